"""The partner dashboard: pipeline figures, scope by département, no personal data, no writes."""

from __future__ import annotations

from typing import Any

import pytest

from accompagnement.auth.services import create_user
from accompagnement.extensions import db
from accompagnement.partners import queries


def figures(board: queries.Dashboard) -> dict[str, Any]:
    return {
        "by_stage": {s.stage: s.count for s in board.by_stage if s.count},
        "by_departement": {code: n for code, _name, n in board.by_departement},
        "funnel": {s.stage: s.count for s in board.funnel},
        "times": {t.stage: (round(t.median_days), t.projects, t.ongoing) for _l, t in board.times},
        "projects": [(p.name, p.departement, p.state, p.days_in_state) for p in board.projects],
    }


def test_counts_projects_by_stage_and_by_departement(history, coordinator):
    history("Limoges", [("visites", 10)], commune="87085")
    history("Tulle", [("visites", 20), ("dla", 5)], commune="19272")
    history("Guéret", [], commune="23096")
    history("Sans commune", [], commune=None)

    board = figures(queries.dashboard(coordinator))

    assert board["by_stage"] == {"premier_contact": 2, "visites": 1, "dla": 1}
    assert board["by_departement"] == {"": 1, "19": 1, "23": 1, "87": 1}


def test_funnel_counts_projects_that_entered_each_stage_even_when_one_was_skipped(
    history, coordinator
):
    history("A", [("visites", 50), ("dla", 40), ("etude_faisabilite", 30)])
    history("B", [("visites", 50), ("etude_faisabilite", 30), ("ouverture", 5)])
    history("C", [("visites", 10)])
    history("D", [])

    funnel = figures(queries.dashboard(coordinator))["funnel"]

    assert funnel == {
        "premier_contact": 4,
        "visites": 3,
        "dla": 1,
        "etude_faisabilite": 2,
        "ouverture": 1,
        "ouverte": 0,
    }


def test_median_time_in_stage_counts_projects_still_there_so_far(history, coordinator):
    history("Left after 40 days", [("visites", 60), ("dla", 20)], started=100)
    history("Left after 10 days", [("visites", 40)], started=50)
    history("Still there after 30 days", [], started=30)

    times = figures(queries.dashboard(coordinator))["times"]

    assert times["premier_contact"] == (30, 3, 1)  # median of 40, 10 and 30 days, 1 ongoing
    assert times["visites"] == (40, 2, 1)  # 40 days then gone; 40 days so far
    assert times["dla"] == (20, 1, 1)
    assert "etude_faisabilite" not in times


def test_time_on_hold_is_not_counted_in_the_stage(history, coordinator):
    history("Paused", [("visites", 50), ("en_pause", 40), ("visites", 10)], started=60)

    board = queries.dashboard(coordinator)

    assert figures(board)["times"]["visites"] == (20, 1, 1)
    assert [p.days_in_state for p in board.projects] == [10]


def test_a_partner_limited_to_departements_sees_only_their_projects(history, make_user):
    history("Creuse 1", [("visites", 5)], commune="23096")
    history("Creuse 2", [], commune="23008")
    history("Haute-Vienne", [("visites", 5), ("dla", 2)], commune="87085")
    history("Sans commune", [], commune=None)
    creuse = make_user("partner", departements=["23"])

    board = figures(queries.dashboard(creuse))

    assert [p[0] for p in board["projects"]] == ["Creuse 2", "Creuse 1"]
    assert board["by_stage"] == {"premier_contact": 1, "visites": 1}
    assert board["by_departement"] == {"23": 2}
    assert board["funnel"]["premier_contact"] == 2
    assert board["funnel"]["dla"] == 0
    assert set(board["times"]) == {"premier_contact", "visites"}


def test_a_scoped_partner_cannot_widen_the_scope_with_the_filter(history, make_user, client, auth):
    history("Creuse", [], commune="23096")
    history("Haute-Vienne secret", [], commune="87085")
    creuse = make_user("partner", departements=["23"])
    auth.login(creuse)

    page = client.get("/partners/?departement=87").get_data(as_text=True)

    assert "Creuse" in page
    assert "Haute-Vienne secret" not in page


def test_the_departement_filter_narrows_an_unscoped_view(history, partner):
    history("Creuse", [], commune="23096")
    history("Corrèze", [], commune="19272")

    board = queries.dashboard(partner, departement="19")

    assert [p.name for p in board.projects] == ["Corrèze"]


def test_the_workflow_filter_shows_one_pathway_at_a_time(history, partner, client, auth):
    history("Projet Alpha", [])
    history("Structure Beta", [], workflow="adhesion-reseau")
    auth.login(partner)

    default = client.get("/partners/").get_data(as_text=True)
    adhesion = client.get("/partners/?workflow=adhesion-reseau").get_data(as_text=True)
    unknown = client.get("/partners/?workflow=<script>")

    assert "Projet Alpha" in default and "Structure Beta" not in default
    assert "Structure Beta" in adhesion and "Projet Alpha" not in adhesion
    assert unknown.status_code == 200
    assert "<script>" not in unknown.get_data(as_text=True)


def test_the_page_shows_accessible_charts_with_the_same_numbers_in_tables(
    history, partner, client, auth
):
    history("A", [("visites", 10)])
    history("B", [])
    auth.login(partner)

    page = client.get("/partners/").get_data(as_text=True)

    for chart in ("chart-stages", "chart-departements", "chart-funnel", "chart-times"):
        assert f'id="{chart}" role="img"' in page
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'<title id="{chart}-title">' in page
    assert page.count("<table") >= 5
    row = '<th scope="row">First contact</th><td class="num">{}</td>'
    assert row.format(1) in page  # one project in the stage now
    assert row.format('2</td><td class="num">100 %') in page  # both entered it
    assert "style=" not in page


def test_project_names_are_escaped(history, partner, client, auth):
    history('<img src=x onerror="alert(1)">', [])
    auth.login(partner)

    page = client.get("/partners/").get_data(as_text=True)

    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_late_projects_are_flagged_against_the_usual_duration(history, coordinator):
    history("Slow", [], started=400)  # premier_contact usually takes 90 days
    history("Fresh", [], started=3)

    board = queries.dashboard(coordinator)

    assert {p.name: p.late for p in board.projects} == {"Slow": True, "Fresh": False}


@pytest.mark.parametrize("role", ["partner", "coordinator"])
def test_partners_and_coordinators_open_the_dashboard(role, make_user, client, auth):
    auth.login(make_user(role))
    assert client.get("/partners/").status_code == 200


@pytest.mark.parametrize("role", ["holder", "member"])
def test_holders_and_members_may_not_open_the_dashboard(role, make_user, client, auth):
    auth.login(make_user(role))
    assert client.get("/partners/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/partners/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_the_number_of_queries_does_not_grow_with_the_number_of_projects(
    history, partner, client, auth, count_queries
):
    auth.login(partner)

    def queries_for(n: int) -> int:
        for i in range(n):
            history(f"P{n}-{i}", [("visites", 20), ("dla", 3)] if i % 2 else [])
        client.get("/partners/")  # warm up caches of the first request
        with count_queries() as counter:
            assert client.get("/partners/").status_code == 200
        return counter.count

    few = queries_for(3)
    many = queries_for(27)  # 30 projects in all

    assert few == many


def test_a_partner_get_writes_nothing(history, partner, client, auth, count_queries):
    history("A", [("visites", 10)])
    auth.login(partner)

    with count_queries() as counter:
        client.get("/partners/")
        client.get("/partners/?workflow=adhesion-reseau&departement=23")

    assert counter.writes == []


def test_partner_scope_ignores_coordinators_scope_rows(history):
    history("Creuse", [], commune="23096")
    history("Corrèze", [], commune="19272")
    coordinator = create_user("c2@example.org", name="C", role="coordinator", departements=["23"])
    db.session.commit()

    assert len(queries.dashboard(coordinator).projects) == 2
