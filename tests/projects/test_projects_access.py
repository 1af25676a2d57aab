"""Who may open which project page: coordinator, the project's holder, another holder, a partner,
an anonymous visitor."""

from __future__ import annotations

from typing import Any

import pytest

from accompagnement.extensions import db
from accompagnement.projects import services

PROJECT_PAGES = [
    "/projects/{id}",
    "/projects/{id}/summary",
    "/projects/{id}/forms/premier_contact",
    "/projects/{id}/forms/premier_contact/edit",
    "/projects/{id}/documents/{doc}",
]
PROJECT_POSTS = [
    ("/projects/{id}/transition", {"trigger": "pause", "expected_state": "premier_contact"}),
    ("/projects/{id}/checklist/premier_contact/welcome_interview", {"done": "1"}),
    ("/projects/{id}/comments", {"body": "Bonjour"}),
    ("/projects/{id}/forms/premier_contact/edit", {"project_name": "X", "action": "draft"}),
    ("/projects/{id}/holders/add", {"holder": "1"}),
    ("/projects/{id}/holders/invite", {"name": "Nina", "email": "nina@example.org"}),
    ("/projects/{id}/holders/1/remove", {}),
    ("/projects/{id}/documents", {}),
]


@pytest.fixture
def document(project: Any, holder: Any) -> Any:
    import io

    doc = services.add_document(
        project.id, "notes.txt", io.BytesIO(b"Compte rendu de visite"), user_id=holder.id
    )
    db.session.commit()
    return doc


def _url(template: str, project: Any, document: Any) -> str:
    return template.format(id=project.id, doc=document.id)


@pytest.mark.parametrize("page", PROJECT_PAGES)
def test_coordinator_and_the_projects_holder_open_every_project_page(
    client, auth, coordinator, holder, project, document, page
):
    for user in (coordinator, holder):
        auth.login(user)
        response = client.get(_url(page, project, document))
        assert response.status_code == 200, (user.role, page)
        auth.logout()


@pytest.mark.parametrize("page", PROJECT_PAGES)
def test_another_holder_gets_404_on_every_project_page(
    client, auth, other_holder, project, document, page
):
    auth.login(other_holder)
    assert client.get(_url(page, project, document)).status_code == 404


@pytest.mark.parametrize(("page", "data"), PROJECT_POSTS)
def test_another_holder_gets_404_on_every_project_action(
    client, auth, other_holder, project, document, page, data
):
    auth.login(other_holder)
    assert client.post(_url(page, project, document), data=data).status_code == 404


@pytest.mark.parametrize("page", [*PROJECT_PAGES, "/projects/", "/projects/mine", "/projects/new"])
def test_partners_get_403_on_project_pages(client, auth, partner, project, document, page):
    auth.login(partner)
    assert client.get(_url(page, project, document)).status_code == 403


@pytest.mark.parametrize(("page", "data"), PROJECT_POSTS)
def test_partners_cannot_post_anything(client, auth, partner, project, document, page, data):
    auth.login(partner)
    assert client.post(_url(page, project, document), data=data).status_code == 403


@pytest.mark.parametrize("page", [*PROJECT_PAGES, "/projects/", "/projects/mine", "/projects/new"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, project, document, page):
    response = client.get(_url(page, project, document))
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("page", ["/projects/", "/projects/new", "/projects/{id}/holders"])
def test_holders_cannot_open_coordinator_pages(client, auth, holder, project, document, page):
    auth.login(holder)
    assert client.get(_url(page, project, document)).status_code == 403


def test_holders_cannot_tick_the_checklist_of_their_own_project(client, auth, holder, project):
    auth.login(holder)
    response = client.post(
        f"/projects/{project.id}/checklist/premier_contact/welcome_interview", data={"done": "1"}
    )
    assert response.status_code == 403


def test_a_holder_lists_only_their_projects(client, auth, holder, project):
    auth.login(holder)
    page = client.get("/projects/mine").get_data(as_text=True)
    assert "Ressourcerie du Haut-Limousin" in page
    assert "Projet voisin" not in page


def test_the_coordinator_is_sent_from_my_projects_to_the_board(client, auth, coordinator):
    auth.login(coordinator)
    response = client.get("/projects/mine")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/projects/")


def test_an_unknown_project_is_404_for_the_coordinator(client, auth, coordinator, project):
    auth.login(coordinator)
    assert client.get("/projects/999999").status_code == 404
    assert client.get(f"/projects/{project.id}/forms/nope/edit").status_code == 404
    assert client.get(f"/projects/{project.id}/forms/ouverte").status_code == 404
