"""Writing through the API: the same services, refusals and messages as the web pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accompagnement.activities.models import Activity
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.models import ChecklistTick, Project
from tests.api.conftest import bearer

FIRST_CONTACT = {"project_name": "Ressourcerie test", "holder_type": "association"}
CHECKLIST = ("welcome_interview", "project_sheet", "charter_presented", "training_offered")
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def project(make_project, holder):
    return make_project("Recyclerie de Limoges", holders=[holder])


@pytest.fixture
def writer(coordinator, make_token):
    return {**bearer(make_token(coordinator, scope="write")), **ENGLISH}


def _fire(client, project, headers, **body):
    return client.post(f"/api/v1/projects/{project.id}/transitions", json=body, headers=headers)


def test_a_refused_transition_gives_the_workflow_s_reasons(client, project, writer):
    answer = _fire(client, project, writer, trigger="advance")
    assert answer.status_code == 409
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["refusals"]  # the same sentences as the project page
    assert db.session.get(Project, project.id).state == "premier_contact"


def test_a_coordinator_moves_a_project_once_its_stage_is_complete(client, project, writer):
    saved = client.put(
        f"/api/v1/projects/{project.id}/forms/premier_contact",
        json={"values": FIRST_CONTACT, "submit": True, "base_revision": 0},
        headers=writer,
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json() == {"stage": "premier_contact", "revision": 1, "status": "submitted"}
    for item in CHECKLIST:
        ticked = client.put(
            f"/api/v1/projects/{project.id}/checklist/premier_contact/{item}",
            json={"done": True},
            headers=writer,
        )
        assert ticked.status_code == 200
    assert len(db.session.scalars(select(ChecklistTick)).all()) == 4
    moved = _fire(client, project, writer, trigger="advance", expected_stage="premier_contact")
    assert moved.status_code == 201, moved.get_data(as_text=True)
    assert moved.get_json()["stage"] == "visites"
    assert moved.get_json()["history"][-1]["to_stage"] == "visites"


def test_a_stale_expected_stage_is_a_conflict(client, project, writer):
    answer = _fire(client, project, writer, trigger="pause", expected_stage="visites")
    assert answer.status_code == 409


def test_a_form_draft_is_refused_field_by_field_in_the_caller_s_language(client, project, writer):
    answer = client.put(
        f"/api/v1/projects/{project.id}/forms/premier_contact",
        json={"values": {"holder_type": "nonsense"}, "submit": True, "base_revision": 0},
        headers=writer,
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["errors"]) >= {"project_name", "holder_type"}


def test_a_holder_pauses_their_own_project_but_may_not_tick(client, project, holder, make_token):
    headers = {**bearer(make_token(holder, scope="write")), **ENGLISH}
    assert _fire(client, project, headers, trigger="pause").status_code == 201
    tick = client.put(
        f"/api/v1/projects/{project.id}/checklist/premier_contact/welcome_interview",
        json={"done": True},
        headers=headers,
    )
    assert tick.status_code == 403


def test_a_holder_cannot_move_another_s_project(client, make_project, holder, make_token):
    other = make_project("Autre projet")
    headers = bearer(make_token(holder, scope="write"))
    assert _fire(client, other, headers, trigger="pause").status_code == 404


def test_a_partner_writes_nothing(client, make_user, make_token, project):
    partner = make_user("partner")
    headers = bearer(make_token(partner))
    assert _fire(client, project, headers, trigger="pause").status_code == 403
    assert client.post("/api/v1/activities", json={}, headers=headers).status_code == 403


def test_a_body_with_an_unknown_field_is_refused(client, project, writer):
    answer = _fire(client, project, writer, trigger="pause", who="me")
    assert answer.status_code == 422
    assert "who" in answer.get_json()["errors"]


def test_a_coordinator_records_and_lists_activities(client, writer):
    made = client.post(
        "/api/v1/activities",
        json={"date": "2025-03-04", "type": "journee_rencontre", "title": "Rencontre"},
        headers=writer,
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    assert db.session.scalars(select(Activity.title)).all() == ["Rencontre"]
    listed = client.get("/api/v1/activities", headers=writer).get_json()
    assert [a["title"] for a in listed["items"]] == ["Rencontre"]


def test_an_activity_is_refused_with_the_form_s_messages(client, writer):
    answer = client.post(
        "/api/v1/activities",
        json={"date": "2025-03-04", "type": "no_such_type", "title": "Rencontre"},
        headers=writer,
    )
    assert answer.status_code == 422
    assert "type" in answer.get_json()["errors"]


def test_a_coordinator_adds_a_member_and_partners_list_it_without_contact(
    client, writer, make_user, make_token
):
    made = client.post(
        "/api/v1/members",
        json={
            "name": "Ressourcerie du Lac",
            "insee": "87085",
            "contact_email": "lac@example.org",
        },
        headers=writer,
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    assert db.session.scalars(select(Member.name)).all() == ["Ressourcerie du Lac"]
    partner = make_user("partner")
    listed = client.get("/api/v1/members", headers=bearer(make_token(partner)))
    assert [m["name"] for m in listed.get_json()["items"]] == ["Ressourcerie du Lac"]
    assert "lac@example.org" not in listed.get_data(as_text=True)


def test_a_member_with_the_name_of_another_is_refused(client, writer, make_member):
    make_member("Ressourcerie du Lac", commune_insee="87085", departement_code="87")
    answer = client.post("/api/v1/members", json={"name": "Ressourcerie du Lac"}, headers=writer)
    assert answer.status_code in (409, 422)
    assert answer.mimetype == "application/problem+json"


def test_observatory_reports_are_saved_and_listed(client, writer, make_member):
    member = make_member("Ressourcerie du Lac", commune_insee="87085", departement_code="87")
    body = {"member_id": member.id, "year": 2024, "figures": {"headcount": 7}}
    made = client.post("/api/v1/observatory/reports", json=body, headers=writer)
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["figures"]["headcount"] == 7
    again = client.post("/api/v1/observatory/reports", json=body, headers=writer)
    assert again.status_code == 409  # saved on revision 0 while revision 1 exists
    listed = client.get("/api/v1/observatory/reports?year=2024", headers=writer).get_json()
    assert [(r["member"], r["revision"]) for r in listed["items"]] == [("Ressourcerie du Lac", 1)]


def test_a_coordinator_starts_a_project_on_the_default_pathway(client, writer, holder, territory):
    made = client.post(
        "/api/v1/projects",
        json={"name": "Ressourcerie de Tulle", "commune": "19272", "holder_ids": [holder.id]},
        headers=writer,
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    project = db.session.scalars(select(Project)).one()
    assert (project.name, project.state, project.commune_insee) == (
        "Ressourcerie de Tulle",
        "premier_contact",
        "19272",
    )
    assert [h.id for h in project.holders] == [holder.id]
    assert made.get_json()["id"] == project.id
    listed = client.get("/api/v1/projects", headers=writer).get_json()
    assert [p["name"] for p in listed["items"]] == ["Ressourcerie de Tulle"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Ressourcerie", "commune": "99999"}, "commune"),
        ({"name": "Ressourcerie", "workflow": "no-such-pathway"}, "workflow"),
        ({"name": "   "}, "name"),
    ],
)
def test_a_project_is_refused_with_the_form_s_reasons_and_nothing_saved(
    client, writer, territory, body, field
):
    answer = client.post("/api/v1/projects", json=body, headers=writer)
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    assert field in answer.get_json()["errors"]
    assert db.session.scalars(select(Project)).all() == []


def test_only_a_coordinator_s_write_token_starts_a_project(
    client, coordinator, holder, make_user, make_token
):
    body = {"name": "Ressourcerie"}
    tokens = [make_token(coordinator), make_token(holder, scope="write")]
    tokens.append(make_token(make_user("partner")))
    answers = [client.post("/api/v1/projects", json=body, headers=bearer(t)) for t in tokens]
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert db.session.scalars(select(Project)).all() == []
