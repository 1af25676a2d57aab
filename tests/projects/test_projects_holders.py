"""Creating a project, and managing its holders: existing accounts, invitations, removal."""

from __future__ import annotations

import re

from sqlalchemy import select

from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.projects.models import Project, TransitionRecord


def test_a_coordinator_creates_a_project(client, auth, coordinator, holder):
    auth.login(coordinator)
    page = client.get("/projects/new").get_data(as_text=True)
    assert '<option selected value="creation-ressourcerie">' in page  # the default pathway
    assert "Hélène Porteuse" in page
    data = {
        "name": "Ressourcerie de Felletin",
        "workflow": "creation-ressourcerie",
        "commune": "23079",
        "holders": [str(holder.id)],
        "state": "ouverte",  # forged: ignored
    }
    response = client.post("/projects/new", data=data)
    assert response.status_code == 302
    project = db.session.scalars(select(Project)).one()
    assert response.headers["Location"].endswith(f"/projects/{project.id}")
    assert (project.state, project.commune_insee) == ("premier_contact", "23079")
    assert [h.id for h in project.holders] == [holder.id]
    assert db.session.scalars(select(TransitionRecord)).one().user_id == coordinator.id


def test_creating_a_project_shows_errors_next_to_fields(client, auth, coordinator):
    auth.login(coordinator)
    response = client.post("/projects/new", data={"name": "", "workflow": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="name-error"' in html and 'id="workflow-error"' in html
    assert db.session.scalars(select(Project)).all() == []


def test_adding_an_existing_holder_gives_them_the_project(
    client, auth, coordinator, other_holder, project
):
    auth.login(coordinator)
    url = f"/projects/{project.id}/holders/add"
    response = client.post(url, data={"holder": str(other_holder.id)}, follow_redirects=True)
    assert "The holder was added to the project." in response.get_data(as_text=True)
    assert other_holder in db.session.get(Project, project.id).holders
    auth.logout()
    auth.login(other_holder)
    assert client.get(f"/projects/{project.id}").status_code == 200


def test_only_holder_accounts_can_be_added(client, auth, coordinator, partner, project):
    auth.login(coordinator)
    response = client.post(f"/projects/{project.id}/holders/add", data={"holder": str(partner.id)})
    assert response.status_code == 400
    assert 'id="holder-error"' in response.get_data(as_text=True)
    assert partner not in db.session.get(Project, project.id).holders


def test_removing_a_holder_takes_the_project_away(client, auth, coordinator, holder, project):
    auth.login(coordinator)
    response = client.post(f"/projects/{project.id}/holders/{holder.id}/remove")
    assert response.status_code == 302
    assert db.session.get(Project, project.id).holders == []
    assert db.session.get(User, holder.id) is not None  # the account stays
    auth.logout()
    auth.login(holder)
    assert client.get(f"/projects/{project.id}").status_code == 404


def test_inviting_a_new_holder_creates_an_account_and_shows_its_link(
    client, auth, app, coordinator, project, monkeypatch
):
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    auth.login(coordinator)
    data = {"name": "Nina Nouvelle", "email": "Nina.Nouvelle@Example.org"}
    response = client.post(f"/projects/{project.id}/holders/invite", data=data)
    invited = db.session.scalars(select(User).where(User.name == "Nina Nouvelle")).one()
    assert response.status_code == 302  # post/redirect/get
    assert response.headers["Location"] == f"/projects/{project.id}/holders?invited={invited.id}"
    with client.session_transaction() as cookie:
        assert "/auth/password/" not in str(dict(cookie))  # the link never goes in the cookie
    assert (invited.role, invited.password_hash) == ("holder", None)
    assert invited in db.session.get(Project, project.id).holders
    for _reload in range(2):  # reloading the page gives the page (and the link) again
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        link = re.search(
            r'id="invite-link" class="input" type="text" readonly value="([^"]+)"', html
        )
        assert link and "/auth/password/" in link.group(1)
    assert client.get(link.group(1).replace("http://localhost", "")).status_code in (200, 302)


def test_the_invitation_link_is_only_shown_while_the_holder_has_no_password(
    client, auth, coordinator, holder, project
):
    auth.login(coordinator)
    html = client.get(f"/projects/{project.id}/holders?invited={holder.id}").get_data(as_text=True)
    assert "invite-link" not in html  # a holder with a password: no link
    html = client.get(f"/projects/{project.id}/holders?invited=abc").get_data(as_text=True)
    assert "invite-link" not in html


def test_inviting_an_existing_address_is_refused_next_to_the_field(
    client, auth, coordinator, holder, project
):
    auth.login(coordinator)
    data = {"name": "Doublon", "email": holder.email}
    response = client.post(f"/projects/{project.id}/holders/invite", data=data)
    assert response.status_code == 400
    assert "An account already uses this e-mail address" in response.get_data(as_text=True)
    assert db.session.scalars(select(User).where(User.name == "Doublon")).all() == []
