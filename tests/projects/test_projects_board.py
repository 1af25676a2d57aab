"""The pipeline board: a column per stage, holds folded away, late flags, filters in the URL."""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.fixture
def pipeline(make_project, make_user, move_to) -> dict[str, Any]:
    """Projects in various stages, départements and states."""
    alice = make_user("holder", name="Alice Martin")
    bruno = make_user("holder", name="Bruno Dupuis")
    return {
        "limoges": make_project("Ressourcerie de Limoges Nord", holders=[alice], commune="87085"),
        "gueret": move_to(
            make_project("Recyclerie de Guéret", holders=[bruno], commune="23096"),
            "visites",
            days_ago=200,
        ),
        "tulle": move_to(
            make_project("Ressourcerie de Tulle", holders=[], commune="19272"),
            "en_pause",
            days_ago=10,
            return_state="dla",
        ),
        "brive": move_to(
            make_project("Projet de Brive", holders=[], commune="19031"),
            "abandonne",
            return_state="premier_contact",
        ),
        "ussel": move_to(make_project("Ressourcerie d'Ussel", commune="19275"), "ouverte"),
        "adhesion": make_project("Adhésion Bellac", workflow="adhesion-reseau", commune="87011"),
    }


ACTIVE = {"Ressourcerie de Limoges Nord", "Recyclerie de Guéret", "Adhésion Bellac"}


def names_in(html: str) -> set[str]:
    return set(re.findall(r'<h4><a href="/projects/\d+">([^<]+)</a></h4>', html))


def column(html: str, key: str) -> str:
    start = html.index(f'id="col-creation-ressourcerie-{key}"')
    return html[start : html.index("</section>", start)]


def test_one_column_per_stage_and_holds_folded(client, auth, coordinator, pipeline):
    auth.login(coordinator)
    html = client.get("/projects/").get_data(as_text=True)
    for key in ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "ouverte"):
        assert f'id="col-creation-ressourcerie-{key}"' in html
    assert "Ressourcerie de Limoges Nord" in column(html, "premier_contact")
    assert "Recyclerie de Guéret" in column(html, "visites")
    assert "Ressourcerie d&#39;Ussel" in column(html, "ouverte")
    folded = re.findall(r"<details class=\"folded\">\s*<summary>([^<]+)</summary>", html)
    assert [s.strip() for s in folded] == ["On hold (1)", "Abandoned (1)"]
    assert "Stopped at the stage: DLA (local support scheme)" in html
    assert 'id="wf-adhesion-reseau"' in html and "Adhésion Bellac" in html


def test_a_card_shows_commune_holders_days_and_a_late_flag(client, auth, coordinator, pipeline):
    auth.login(coordinator)
    html = client.get("/projects/").get_data(as_text=True)
    card = column(html, "visites")
    assert "Guéret (23)" in card
    assert "Bruno Dupuis" in card
    assert "200 days in this stage" in card
    assert 'class="project-card late"' in card
    assert "Over the usual 180 days" in card
    assert "late" not in column(html, "premier_contact").replace("late_count", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("workflow=adhesion-reseau", {"Adhésion Bellac"}),
        ("departement=23", {"Recyclerie de Guéret"}),
        ("stage=visites", {"Recyclerie de Guéret"}),
        ("status=active", ACTIVE),
        ("status=paused", {"Ressourcerie de Tulle"}),
        ("status=abandoned", {"Projet de Brive"}),
        ("status=open", {"Ressourcerie d&#39;Ussel"}),
        ("q=limoges", {"Ressourcerie de Limoges Nord"}),
        ("q=gU%C3%A9RET", {"Recyclerie de Guéret"}),  # commune name, any ASCII case
        ("q=dupuis", {"Recyclerie de Guéret"}),  # a holder's name
        ("q=Bellac&workflow=adhesion-reseau&departement=87", {"Adhésion Bellac"}),
        ("q=%25", set()),  # LIKE wildcards are plain characters
        ("workflow=nope&stage=%3Cscript%3E&status=weird&departement=99", set()),
    ],
)
def test_filters(client, auth, coordinator, pipeline, query, expected):
    auth.login(coordinator)
    response = client.get(f"/projects/?{query}")
    assert response.status_code == 200
    assert names_in(response.get_data(as_text=True)) == expected


def test_filters_stay_in_the_url_and_in_the_form(client, auth, coordinator, pipeline):
    auth.login(coordinator)
    html = client.get("/projects/?departement=19&status=paused&q=Tulle").get_data(as_text=True)
    assert 'method="get" action="/projects/"' in html
    assert '<option selected value="19">' in html
    assert '<option selected value="paused">' in html
    assert 'name="q" type="search" value="Tulle"' in html
    assert 'href="/projects/">Clear the filters' in html


def test_an_empty_board_says_so(client, auth, coordinator):
    auth.login(coordinator)
    assert "No project yet." in client.get("/projects/").get_data(as_text=True)
