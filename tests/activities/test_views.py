"""The activity log pages: coordinators only; forms, list, plan, import, project visits."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from accompagnement.activities import services
from accompagnement.activities.models import Activity
from accompagnement.extensions import db

PAGES = ["/activities/", "/activities/new", "/activities/import"]


@pytest.mark.parametrize("role", ["holder", "partner", "member"])
def test_only_coordinators_open_the_activity_pages(client, auth, make_user, make_activity, role):
    activity = make_activity("2013-05-01")
    auth.login(make_user(role))
    urls = [*PAGES, f"/activities/{activity.id}", f"/activities/{activity.id}/edit"]
    assert {client.get(u).status_code for u in urls} == {403}
    posts = [
        f"/activities/{activity.id}/delete",
        f"/activities/{activity.id}/done",
        "/activities/plan",
        "/activities/calendar/token",
    ]
    assert {client.post(u).status_code for u in posts} == {403}
    assert db.session.get(Activity, activity.id) is not None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/activities/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_a_coordinator_records_an_activity_through_the_form(client, auth, coordinator, make_member):
    site = make_member("Ressourcerie d'Ussel")
    auth.login(coordinator)
    assert client.get("/activities/new").status_code == 200
    response = client.post(
        "/activities/new",
        data={
            "date": "2013-04-11",
            "type": "visite",
            "title": "Visite des élus d'Ussel",
            "members": [str(site.id)],
            "visitor": "collectivite",
            "participants": "7",
            "status": "done",
        },
    )
    assert response.status_code == 302
    activity = db.session.scalars(select(Activity)).one()
    assert (activity.visitor, activity.participants) == ("collectivite", 7)
    detail = client.get(response.headers["Location"])
    assert "Visite des élus d&#39;Ussel".encode() in detail.data


def test_a_bad_form_is_shown_again_with_the_messages_next_to_the_fields(client, auth, coordinator):
    auth.login(coordinator)
    response = client.post(
        "/activities/new",
        data={
            "date": "2013-04-11",
            "type": "visite",
            "title": "Sans visiteur",
            "participants": "-2",
        },
    )
    assert response.status_code == 400
    assert b'id="visitor-error"' in response.data
    assert b'id="participants-error"' in response.data
    assert db.session.scalar(select(sa.func.count(Activity.id))) == 0


def test_garbage_in_the_form_never_breaks_the_page(client, auth, coordinator):
    auth.login(coordinator)
    response = client.post(
        "/activities/new",
        data={
            "date": "31/02/20x3",
            "type": "<script>",
            "title": "x" * 500,
            "members": ["abc", "99999"],
            "participants": "9" * 40,
            "status": "??",
            "end_date": "demain",
        },
    )
    assert response.status_code == 400
    assert b"<script>" not in response.data


def test_editing_and_deleting_an_activity(client, auth, coordinator, make_activity):
    activity = make_activity("2013-05-01", "animation", "Atelier")
    auth.login(coordinator)
    page = client.get(f"/activities/{activity.id}/edit")
    assert b'value="Atelier"' in page.data
    response = client.post(
        f"/activities/{activity.id}/edit",
        data={"date": "2013-05-02", "type": "animation", "title": "Atelier vélo", "status": "done"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).title == "Atelier vélo"

    assert client.post(f"/activities/{activity.id}/delete").status_code == 302
    assert db.session.get(Activity, activity.id) is None
    assert client.get(f"/activities/{activity.id}").status_code == 404
    assert client.post(f"/activities/{activity.id}/delete").status_code == 404


def test_titles_are_escaped_everywhere(client, auth, coordinator, make_activity):
    make_activity("2013-05-01", "animation", '<img src=x onerror="alert(1)">')
    auth.login(coordinator)
    page = client.get("/activities/?start=")
    assert b"<img src=x" not in page.data
    assert b"&lt;img src=x" in page.data


def test_the_list_shows_planned_ones_first_and_project_visits_read_only(
    client, auth, coordinator, make_activity, make_member, make_project, save_visits
):
    site = make_member("Ressourcerie de Felletin")
    soon = services.today() + dt.timedelta(days=10)
    make_activity(soon, "reunion_coordination", "Réunion de rentrée")
    make_activity("2013-05-01", "animation", "Atelier passé", members=[site])
    project = make_project("Ressourcerie des Combrailles")
    save_visits(project, [(site, "2013-06-01")])
    auth.login(coordinator)

    page = client.get("/activities/?start=").get_data(as_text=True)

    planned_at = page.index("Réunion de rentrée")
    assert planned_at < page.index("Atelier passé")
    assert "Ressourcerie des Combrailles" in page
    assert f"/projects/{project.id}/forms/visites" in page
    assert page.count("/edit") == 2  # the project visit has no edit button


def test_filters_narrow_the_list(client, auth, coordinator, make_activity, make_member):
    a, b = make_member("A"), make_member("B")
    make_activity("2013-05-01", "animation", "Atelier A", members=[a])
    make_activity("2014-05-01", "animation", "Atelier B", members=[b])
    make_activity("2013-06-01", "formation", "Formation A", members=[a])
    auth.login(coordinator)

    page = client.get("/activities/?start=2013-01-01&end=2013-12-31&type=animation").data
    assert b"Atelier A" in page and b"Atelier B" not in page and b"Formation A" not in page
    page = client.get(f"/activities/?member={b.id}&start=").data
    assert b"Atelier B" in page and b"Atelier A" not in page
    page = client.get("/activities/?start=not-a-date&type=nope&member=zz")
    assert page.status_code == 200


def test_the_plan_button_without_a_network_plan_says_so(client, auth, coordinator):
    auth.login(coordinator)
    page = client.post("/activities/plan", data={"year": "2030"}, follow_redirects=True)
    assert b"no yearly plan yet" in page.data
    assert db.session.scalar(select(sa.func.count(Activity.id))) == 0


def test_the_plan_button_plans_the_year_once(client, auth, coordinator, make_network):
    make_network(plan={"reunion_coordination": 2, "journee_technique": 2})
    auth.login(coordinator)
    client.post("/activities/plan", data={"year": "2030"})
    client.post("/activities/plan", data={"year": "2030"})
    assert db.session.scalar(select(sa.func.count(Activity.id))) == 4
    response = client.post("/activities/plan", data={"year": "abc"})
    assert response.status_code == 302


def test_marking_a_past_planned_activity_as_done(client, auth, coordinator, make_activity):
    activity = make_activity("2013-05-01", "animation", "Oubliée", status="planned")
    auth.login(coordinator)
    assert b"Date passed" in client.get("/activities/").data
    client.post(f"/activities/{activity.id}/done")
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).status == "done"


def test_uploading_a_csv_file(client, auth, coordinator, make_member):
    make_member("Court-Circuit")
    auth.login(coordinator)
    good = b"date,type,title,ressourceries\n2013-03-14,animation,Atelier,Court-Circuit\n"
    response = client.post(
        "/activities/import",
        data={"file": (io.BytesIO(good), "activites.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    bad = b"date,type,title,ressourceries\n2013-03-14,fete,Atelier,Inconnue\n"
    response = client.post(
        "/activities/import",
        data={"file": (io.BytesIO(bad), "activites.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "fete" in page and "Inconnue" in page and "2" in page
    assert db.session.scalar(select(sa.func.count(Activity.id))) == 1


def test_an_upload_that_is_not_csv_is_refused(client, auth, coordinator):
    auth.login(coordinator)
    response = client.post(
        "/activities/import",
        data={"file": (io.BytesIO(b"%PDF-1.4"), "rapport.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_an_id_too_large_for_the_database_is_simply_not_found(client, auth, coordinator):
    auth.login(coordinator)
    assert client.get("/activities/99999999999999999999").status_code == 404
    assert client.get("/activities/2147483647").status_code == 404


def test_the_list_runs_as_many_queries_for_many_activities_as_for_few(
    client, auth, coordinator, make_activity, make_member, make_project, save_visits
):
    members = [make_member(f"Ressourcerie {n}") for n in range(4)]
    auth.login(coordinator)

    def queries_of_the_list() -> int:
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/activities/").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    make_activity("2013-01-10", "animation", "Une", members=members[:2])
    make_activity("2013-01-11", "visite", "Visite", members=members[:1], visitor="collectivite")
    save_visits(make_project("Projet 0"), [(members[0], "2013-02-01")])
    few = queries_of_the_list()
    for n in range(8):
        make_activity(
            f"2013-03-{n + 10}", "visite", f"Visite {n}", members=members, visitor="autre"
        )
        save_visits(make_project(f"Projet {n + 1}"), [(members[n % 4], "2013-04-01")])
    assert queries_of_the_list() == few
