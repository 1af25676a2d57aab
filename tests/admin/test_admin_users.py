"""User administration under /admin: coordinators only; invite, change access, deactivate, links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from accompagnement.audit.models import AuditEvent
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.members.models import Member
from tests.fixtures.accounts import (
    NEW_PASSWORD,
    PASSWORD,
    client_with_cookie,
    login,
    session_cookie,
)
from tests.fixtures.mail import Mailbox

LINK = re.compile(r'value="(http[^"]+/auth/password/[^"]+)"')
EN = {"Accept-Language": "en"}


@pytest.fixture
def coord_client(client: Any, coordinator: Any) -> Any:
    login(client, coordinator.email)
    return client


@pytest.fixture
def member_org() -> Member:
    member = Member(name="Ressourcerie de Felletin")
    db.session.add(member)
    db.session.commit()
    return member


def _user(email: str) -> User:
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.email == email)).one()
    return user


def _invite(client: Any, follow: bool = False, **fields: Any) -> Any:
    data = {"name": "Nina Nouvelle", "email": "nina@example.org", "role": "holder", "member_id": ""}
    data.update(fields)
    return client.post("/admin/users/new", data=data, headers=EN, follow_redirects=follow)


def _shown_link(response: Any) -> str:
    """Return the link shown in the answer itself (never kept in the session)."""
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    match = LINK.search(page)
    assert match, "no link on the page"
    return match.group(1).replace("&amp;", "&")


ADMIN_PAGES = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{id}"),
    ("POST", "/admin/users/{id}/access"),
    ("POST", "/admin/users/{id}/deactivate"),
    ("POST", "/admin/users/{id}/reactivate"),
    ("POST", "/admin/users/{id}/unlock"),
    ("POST", "/admin/users/{id}/password-link"),
]


@pytest.mark.parametrize("role", ["holder", "partner", "member"])
@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
def test_only_coordinators_administer_users(
    client: Any,
    make_user: Callable[..., Any],
    member_org: Member,
    role: str,
    method: str,
    path: str,
) -> None:
    target = make_user("holder")
    extra = {"member_id": member_org.id} if role == "member" else {}
    person = make_user(role, **extra)
    login(client, person.email)
    response = client.open(path.format(id=target.id), method=method, data={"role": "coordinator"})
    assert response.status_code == 403
    assert _user(target.email).role == "holder" and _user(target.email).active


@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Any, coordinator: Any, method: str, path: str
) -> None:
    response = client.open(path.format(id=coordinator.id), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_the_list_filters_by_role_and_status(
    coord_client: Any, make_user: Callable[..., Any]
) -> None:
    make_user("partner", name="Paula Partenaire")
    gone = make_user("holder", name="Gaston Parti")
    make_user("holder", name="Hugo Porteur")
    gone.active = False
    db.session.commit()

    def names(query: str) -> set[str]:
        page = coord_client.get(f"/admin/users{query}", headers=EN).get_data(as_text=True)
        rows = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', page)
        return {row.split()[0] for row in rows}

    assert names("") == {"Paula", "Gaston", "Hugo", "Camille"}
    assert names("?role=partner") == {"Paula"}
    assert names("?role=holder&status=active") == {"Hugo"}
    assert names("?status=inactive") == {"Gaston"}
    assert names("?role=wizard&status=other") == {"Paula", "Gaston", "Hugo", "Camille"}
    assert coord_client.get("/admin/users?status=%00").status_code == 400  # NUL: refused


def test_an_invitation_without_mail_shows_the_link_on_the_page_it_redirects_to(
    app: Flask, coord_client: Any, no_mail: None
) -> None:
    response = _invite(coord_client)
    nina = _user("nina@example.org")
    assert response.headers["Location"].endswith(f"/admin/users/{nina.id}?invited=1")
    link = _shown_link(coord_client.get(response.headers["Location"], headers=EN))
    plain = coord_client.get(f"/admin/users/{nina.id}").get_data(as_text=True)
    assert "/auth/password/" not in plain  # only the page after the invitation shows it

    invited = app.test_client()
    path = link.split("localhost", 1)[1]
    assert invited.get(path).status_code == 200
    assert (
        invited.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 302
    )
    assert login(invited, "nina@example.org", NEW_PASSWORD).status_code == 302
    assert invited.get(path).status_code == 400  # used


def test_an_invitation_is_emailed_when_mail_is_configured(
    coord_client: Any, mailbox: Mailbox
) -> None:
    response = _invite(coord_client, email="Nina@Example.org")
    page = coord_client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "A link to choose a password was sent to nina@example.org" in page
    assert "/auth/password/" not in page
    assert mailbox.messages[0]["To"] == "nina@example.org"
    assert "/auth/password/" in mailbox.body()
    assert _user("nina@example.org").password_hash is None


def test_a_failing_mail_server_keeps_the_invitation_in_the_outbox(
    app: Flask, coord_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accompagnement.outbox.models import PENDING, OutboxMessage
    from tests.fixtures.mail import free_port

    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nobody listens there
    _invite(coord_client)
    sent = app.test_cli_runner().invoke(args=["notify", "send"], env={"LANG": "en_US.UTF-8"})
    assert sent.exit_code == 1
    assert "1 to retry" in sent.output
    message = db.session.scalars(select(OutboxMessage)).one()
    assert (message.recipient, message.status, message.attempts) == ("nina@example.org", PENDING, 1)


def test_a_partner_can_be_limited_to_departements(coord_client: Any) -> None:
    _invite(coord_client, role="partner", departements=["19", "23"])
    partner = _user("nina@example.org")
    assert sorted(s.departement_code for s in partner.departements) == ["19", "23"]


def test_a_member_account_needs_its_ressourcerie(coord_client: Any, member_org: Member) -> None:
    response = _invite(coord_client, role="member")
    assert response.status_code == 200
    assert "Choose the member ressourcerie of this account" in response.get_data(as_text=True)
    _invite(coord_client, role="member", member_id=str(member_org.id))
    assert _user("nina@example.org").member_id == member_org.id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not an address"}, "Invalid e-mail address"),
        ({"email": "camille@example.org"}, "An account already uses this e-mail address"),
        ({"name": ""}, "This field is required."),
        ({"role": "wizard"}, "Not a valid choice"),
        ({"role": "partner", "departements": ["99"]}, "is not a valid choice"),
        ({"name": "N" * 121}, "Field cannot be longer than 120 characters."),
    ],
)
def test_a_wrong_invitation_says_why_and_creates_nothing(
    coord_client: Any, make_user: Callable[..., Any], fields: dict[str, Any], message: str
) -> None:
    make_user("holder", email="camille@example.org")
    before = db.session.scalar(select(db.func.count(User.id)))
    response = _invite(coord_client, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(User.id))) == before


def test_the_role_can_be_changed(coord_client: Any, coordinator: Any, holder: Any) -> None:
    response = coord_client.post(
        f"/admin/users/{holder.id}/access",
        data={"role": "partner", "departements": ["87"], "member_id": ""},
    )
    assert response.status_code == 302
    user = _user(holder.email)
    assert user.role == "partner"
    assert [s.departement_code for s in user.departements] == ["87"]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "admin.access_changed")
    ).one()
    assert event.user_id == coordinator.id and event.detail["target"] == holder.id


def test_a_coordinator_cannot_change_their_own_role(coord_client: Any, coordinator: Any) -> None:
    response = coord_client.post(
        f"/admin/users/{coordinator.id}/access",
        data={"role": "holder", "member_id": ""},
        headers=EN,
    )
    assert response.status_code == 200
    assert "You cannot change your own role" in response.get_data(as_text=True)
    assert _user(coordinator.email).role == "coordinator"


def test_deactivation_signs_the_person_out_at_once(
    app: Flask, coord_client: Any, holder: Any
) -> None:
    theirs = app.test_client()
    login(theirs, holder.email)
    captured = session_cookie(theirs)
    assert coord_client.post(f"/admin/users/{holder.id}/deactivate").status_code == 302

    assert theirs.get("/auth/account").status_code == 302
    replay = client_with_cookie(app.test_client(), "session", captured)
    assert replay.get("/auth/account").status_code == 302
    assert login(app.test_client(), holder.email).status_code == 200  # cannot sign in again

    coord_client.post(f"/admin/users/{holder.id}/reactivate")
    assert login(app.test_client(), holder.email).status_code == 302


def test_a_coordinator_cannot_deactivate_themselves(coord_client: Any, coordinator: Any) -> None:
    response = coord_client.post(f"/admin/users/{coordinator.id}/deactivate", headers=EN)
    assert response.status_code == 302
    page = coord_client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "You cannot deactivate your own account" in page
    assert _user(coordinator.email).active


def test_a_reset_link_for_an_account(
    app: Flask, coord_client: Any, holder: Any, no_mail: None
) -> None:
    theirs = app.test_client()
    login(theirs, holder.email)
    response = coord_client.post(f"/admin/users/{holder.id}/password-link")
    link = _shown_link(response)
    path = link.split("localhost", 1)[1]
    app.test_client().post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert theirs.get("/auth/account").status_code == 302  # their old session ended
    assert login(app.test_client(), holder.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_is_emailed_when_mail_is_configured(
    coord_client: Any, holder: Any, mailbox: Mailbox
) -> None:
    coord_client.post(f"/admin/users/{holder.id}/password-link")
    assert mailbox.messages[0]["To"] == holder.email
    assert "/auth/password/" in mailbox.body()


def test_no_reset_link_for_a_deactivated_account(
    coord_client: Any, holder: Any, no_mail: None
) -> None:
    coord_client.post(f"/admin/users/{holder.id}/deactivate")
    response = coord_client.post(f"/admin/users/{holder.id}/password-link", headers=EN)
    page = coord_client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Reactivate the account before sending a link" in page
    assert "/auth/password/" not in page


def test_a_locked_account_can_be_unlocked(app: Flask, coord_client: Any, holder: Any) -> None:
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        login(app.test_client(), holder.email, "wrong password")
    assert login(app.test_client(), holder.email, PASSWORD).status_code == 200
    page = coord_client.get(f"/admin/users/{holder.id}", headers=EN).get_data(as_text=True)
    assert "Locked" in page
    coord_client.post(f"/admin/users/{holder.id}/unlock")
    assert login(app.test_client(), holder.email, PASSWORD).status_code == 302


def test_an_unknown_account_is_not_found(coord_client: Any) -> None:
    assert coord_client.get("/admin/users/999999").status_code == 404
    assert coord_client.post("/admin/users/999999/deactivate").status_code == 404


def test_the_invitation_form_preselects_the_least_powerful_role(coord_client: Any) -> None:
    page = coord_client.get("/admin/users/new", headers=EN).get_data(as_text=True)
    role_select = re.search(r'<select[^>]*name="role".*?</select>', page, re.S)
    assert role_select is not None
    assert re.findall(r'<option selected value="([^"]*)"', role_select.group(0)) == ["member"]
