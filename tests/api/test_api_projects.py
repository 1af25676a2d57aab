"""Reading projects through the API: what each role sees, pages, filters, ETags, query counts."""

from __future__ import annotations

import pytest

from accompagnement.extensions import db
from accompagnement.projects.services import fire_transition
from tests.api.conftest import bearer

PERSONAL = ("Hélène", "helene@example.org", "Porteuse", "Camille")


@pytest.fixture
def projects(make_project, holder):
    return {
        "mine": make_project("Recyclerie de Limoges", holders=[holder], commune="87085"),
        "tulle": make_project("Ressourcerie de Tulle", commune="19272"),
        "gueret": make_project("Atelier de Guéret", commune="23096"),
    }


def _names(answer):
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return sorted(item["name"] for item in answer.get_json()["items"])


def test_a_coordinator_reads_every_project(client, coordinator, make_token, projects):
    answer = client.get("/api/v1/projects", headers=bearer(make_token(coordinator)))
    assert _names(answer) == sorted(p.name for p in projects.values())
    assert answer.get_json()["pagination"] == {"page": 1, "limit": 50, "total": 3, "pages": 1}


def test_a_holder_reads_only_their_own_projects(client, holder, make_token, projects):
    secret = make_token(holder)
    assert _names(client.get("/api/v1/projects", headers=bearer(secret))) == [
        "Recyclerie de Limoges"
    ]
    other = client.get(f"/api/v1/projects/{projects['tulle'].id}", headers=bearer(secret))
    assert other.status_code == 404
    assert other.mimetype == "application/problem+json"


def test_a_partner_reads_the_projects_of_their_departements_without_personal_data(
    client, make_user, make_token, projects
):
    partner = make_user("partner", departements=["87", "19"])
    secret = make_token(partner)
    listed = client.get("/api/v1/projects", headers=bearer(secret))
    assert _names(listed) == ["Recyclerie de Limoges", "Ressourcerie de Tulle"]
    detail = client.get(f"/api/v1/projects/{projects['mine'].id}", headers=bearer(secret))
    hidden = client.get(f"/api/v1/projects/{projects['gueret'].id}", headers=bearer(secret))
    assert hidden.status_code == 404
    for text in (listed.get_data(as_text=True), detail.get_data(as_text=True)):
        assert not any(word in text for word in PERSONAL)


def test_pages_are_at_most_a_hundred_projects(client, coordinator, make_token, projects):
    secret = make_token(coordinator)
    first = client.get("/api/v1/projects?limit=2", headers=bearer(secret)).get_json()
    second = client.get("/api/v1/projects?limit=2&page=2", headers=bearer(secret)).get_json()
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert ids == sorted(p.id for p in projects.values())
    assert second["pagination"] == {"page": 2, "limit": 2, "total": 3, "pages": 2}
    refused = client.get("/api/v1/projects?limit=101", headers=bearer(secret))
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert "limit" in refused.get_json()["errors"]


def test_validation_messages_follow_accept_language(client, coordinator, make_token, network):
    secret = make_token(coordinator)
    french = client.get(
        "/api/v1/projects?limit=0", headers={**bearer(secret), "Accept-Language": "fr"}
    )
    english = client.get(
        "/api/v1/projects?limit=0", headers={**bearer(secret), "Accept-Language": "en"}
    )
    assert english.get_json()["errors"]["limit"] == "The value must be at least 1."
    assert french.get_json()["errors"]["limit"] == "La valeur doit être au moins 1."


def test_projects_are_filtered_by_stage_departement_and_date(
    client, coordinator, make_token, projects
):
    secret = make_token(coordinator)

    def names(query):
        return _names(client.get(f"/api/v1/projects?{query}", headers=bearer(secret)))

    assert names("departement=19") == ["Ressourcerie de Tulle"]
    assert len(names("stage=premier_contact")) == 3
    assert names("stage=ouverte") == []
    assert names("changed_since=2000-01-01") == names("")
    assert names("changed_until=2000-01-01") == []


def test_a_project_shows_its_moves_without_who_or_why(client, coordinator, make_token, projects):
    secret = make_token(coordinator)
    detail = client.get(f"/api/v1/projects/{projects['mine'].id}", headers=bearer(secret))
    body = detail.get_json()
    assert body["stage"] == "premier_contact" and body["departement"] == "87"
    assert all(set(move) == {"trigger", "from_stage", "to_stage", "at"} for move in body["history"])


def test_an_unchanged_answer_is_not_sent_again(client, coordinator, make_token, projects):
    secret = make_token(coordinator)
    first = client.get("/api/v1/projects", headers=bearer(secret))
    etag = first.headers["ETag"]
    again = client.get("/api/v1/projects", headers={**bearer(secret), "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert first.headers["Cache-Control"] == "private, no-cache"


def test_pipeline_counts_by_stage_and_departement(client, make_user, make_token, projects):
    partner = make_user("partner", departements=["87"])
    answer = client.get("/api/v1/pipeline", headers=bearer(make_token(partner))).get_json()
    assert answer["total"] == 1
    assert [d["departement"] for d in answer["departements"]] == ["87"]
    assert {s["stage"]: s["count"] for s in answer["stages"]}["premier_contact"] == 1


def test_a_holder_reads_neither_the_pipeline_nor_the_report(client, holder, make_token, network):
    secret = make_token(holder)
    assert client.get("/api/v1/pipeline", headers=bearer(secret)).status_code == 403
    assert client.get("/api/v1/report", headers=bearer(secret)).status_code == 403


def test_the_report_is_the_dictionary_of_the_web_report(
    client, coordinator, make_token, projects, sign_in
):
    secret = make_token(coordinator)
    period = "from=2024-01-01&to=2026-12-31"
    api = client.get(f"/api/v1/report?{period}", headers=bearer(secret))
    sign_in(client, coordinator)
    web = client.get(f"/reports/report.json?{period}")
    assert api.status_code == 200 and api.get_data() == web.get_data()  # same keys, same order


def test_a_wrong_report_period_is_refused_with_the_web_s_message(
    client, coordinator, make_token, network
):
    secret = make_token(coordinator)
    answer = client.get(
        "/api/v1/report?from=2026-02-01&to=2025-01-01",
        headers={**bearer(secret), "Accept-Language": "en"},
    )
    assert answer.status_code == 422
    assert answer.get_json()["errors"]["to"] == "The end date must be on or after the start date."


def test_listing_projects_costs_the_same_for_three_or_thirty(
    client, coordinator, make_token, make_project, count_queries, projects
):
    secret = make_token(coordinator)
    client.get("/api/v1/projects", headers=bearer(secret))  # last use noted: not counted below

    def statements():
        with count_queries() as counter:
            assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 200
        return counter.count

    few = statements()
    for n in range(27):
        make_project(f"Projet {n}")
    assert statements() == few


def test_a_project_costs_the_same_with_a_long_history(
    client, coordinator, make_token, projects, count_queries
):
    project = projects["mine"]
    secret = make_token(coordinator)
    url = f"/api/v1/projects/{project.id}"
    client.get(url, headers=bearer(secret))
    with count_queries() as before:
        client.get(url, headers=bearer(secret))
    for trigger in ("pause", "resume") * 5:
        fire_transition(project.id, trigger, user_id=coordinator.id)
    db.session.commit()
    with count_queries() as after:
        client.get(url, headers=bearer(secret))
    assert after.count == before.count
