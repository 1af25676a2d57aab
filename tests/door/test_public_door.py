"""The public door: a person describes a project, confirms the address, a coordinator decides."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from accompagnement.auth.models import User
from accompagnement.door import services
from accompagnement.door.models import ProjectRequest
from accompagnement.extensions import db
from accompagnement.projects.models import Project
from tests.fixtures.mail import Mailbox

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr"}
CONFIRM_LINK = re.compile(r"http\S+(/door/confirm/\S+)")
STAMP = re.compile(r'name="started"[^>]*value="([^"]+)"')


@pytest.fixture
def door(app: Flask, mailbox: Mailbox, territory: None, monkeypatch: pytest.MonkeyPatch) -> Mailbox:
    """The door open (an SMTP server is set) and no minimum fill time unless a test sets one."""
    monkeypatch.setitem(app.config, "DOOR_MIN_SECONDS", 0)
    return mailbox


def _describe(
    client: FlaskClient, headers: dict[str, str] = FR, path: str = "/door/", **values: str
) -> Any:
    page = client.get(path, headers=headers).get_data(as_text=True)
    stamp = STAMP.search(page)
    assert stamp, page
    data = {
        "project_name": "Ressourcerie du plateau",
        "contact_name": "Camille Martin",
        "email": "camille@example.org",
        "phone": "",
        "commune": "23096",
        "holder_type": "association",
        "description": "Nous sommes cinq habitant·es de Guéret.\nNous cherchons un local.",
        "website": "",
        "started": stamp.group(1),
        **values,
    }
    return client.post(path, data=data, headers=headers)


def _requests() -> list[ProjectRequest]:
    db.session.expire_all()
    return list(db.session.scalars(select(ProjectRequest).order_by(ProjectRequest.id)))


def _confirm_path(mailbox: Mailbox) -> str:
    match = CONFIRM_LINK.search(mailbox.body())
    assert match, mailbox.body()
    return match.group(1)


def test_a_request_reaches_the_coordinators_only_once_the_address_is_confirmed(
    client: FlaskClient, door: Mailbox, coordinator: Any, auth: Any
) -> None:
    answer = _describe(client)
    assert answer.status_code == 302 and answer.headers["Location"] == "/door/sent"
    (made,) = _requests()
    assert made.status == "unconfirmed" and made.commune_insee == "23096"
    assert db.session.scalar(select(User).where(User.email == "camille@example.org")) is None
    message = door.messages[-1]
    assert message["To"] == "camille@example.org"
    assert "Réseau des ressourceries du test" in message["Subject"]  # the door's network
    assert "Bonjour Camille Martin," in door.body()  # the person's language

    auth.login(coordinator)
    assert "Ressourcerie du plateau" not in client.get("/door/requests").get_data(as_text=True)
    assert client.get(f"/door/requests/{made.id}").status_code == 404
    auth.logout()

    link = _confirm_path(door)
    page = client.get(link, headers=EN)
    assert page.status_code == 200 and "Confirm and send my request" in page.get_data(as_text=True)
    assert _requests()[0].status == "unconfirmed"  # opening the link (a mail scanner) is not enough
    done = client.post(link, headers=EN)
    assert "has reached the network" in done.get_data(as_text=True)
    assert _requests()[0].status == "pending"
    assert client.post(link, headers=EN).status_code == 200  # twice: no error, no change

    auth.login(coordinator)
    listing = client.get("/door/requests", headers=EN).get_data(as_text=True)
    assert "Ressourcerie du plateau" in listing and "Camille Martin" in listing


def _pending(
    client: FlaskClient, door: Mailbox, path: str = "/door/", **values: str
) -> ProjectRequest:
    _describe(client, path=path, **values)
    client.post(_confirm_path(door))
    made = _requests()[-1]
    assert made.status == "pending"
    return made


def test_accepting_starts_the_project_and_invites_the_person(
    client: FlaskClient, door: Mailbox, coordinator: Any, auth: Any
) -> None:
    made = _pending(client, door)
    auth.login(coordinator)
    form = client.get(f"/door/requests/{made.id}", headers=EN).get_data(as_text=True)
    assert 'value="Ressourcerie du plateau"' in form and "Guéret" in form

    answer = client.post(
        f"/door/requests/{made.id}/accept",
        data={
            "project_name": "Ressourcerie du plateau de Guéret",
            "workflow": "creation-ressourcerie",
            "commune": "23096",
        },
        headers=EN,
    )
    assert answer.status_code == 302
    project = db.session.scalar(select(Project).order_by(Project.id.desc()))
    assert project is not None and answer.headers["Location"] == f"/projects/{project.id}"
    assert project.name == "Ressourcerie du plateau de Guéret" and project.commune_insee == "23096"
    assert project.state == "premier_contact"
    (holder,) = project.holders
    assert holder.email == "camille@example.org" and holder.role == "holder"
    assert holder.password_hash is None and holder.locale == "fr"
    assert _requests()[-1].status == "accepted" and _requests()[-1].project_id == project.id
    invitation = door.messages[-1]
    assert invitation["To"] == "camille@example.org"
    assert "/auth/password/" in door.body()


def test_a_decision_is_taken_once(
    client: FlaskClient, door: Mailbox, coordinator: Any, make_user: Any, auth: Any
) -> None:
    made = _pending(client, door)
    other = make_user("coordinator")
    services.decline(made.id, user_id=other.id, message="Nous ne couvrons pas ce territoire.")
    db.session.commit()

    auth.login(coordinator)  # whose page was opened before the other's decision
    answer = client.post(
        f"/door/requests/{made.id}/accept",
        data={"project_name": "X", "workflow": "creation-ressourcerie", "commune": ""},
        headers=EN,
    )
    assert answer.status_code == 409
    assert "already decided by someone else" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0
    assert db.session.scalar(select(User).where(User.email == "camille@example.org")) is None


def test_declining_mails_the_message_in_the_persons_language(
    client: FlaskClient, door: Mailbox, coordinator: Any, auth: Any
) -> None:
    made = _pending(client, door)
    auth.login(coordinator)
    empty = client.post(f"/door/requests/{made.id}/decline", data={"message": "  "}, headers=EN)
    assert empty.status_code == 400 and _requests()[-1].status == "pending"

    answer = client.post(
        f"/door/requests/{made.id}/decline",
        data={"message": "Le projet est hors de notre territoire.\nVoyez le réseau voisin."},
        headers=EN,
    )
    assert answer.status_code == 302 and _requests()[-1].status == "declined"
    message = door.messages[-1]
    assert "Réseau des ressourceries du test" in message["Subject"]
    assert "Bonjour Camille Martin," in door.body()  # the person's language
    assert "Voyez le réseau voisin." in door.body()


def test_a_robot_filling_the_trap_field_leaves_nothing(client: FlaskClient, door: Mailbox) -> None:
    answer = _describe(client, website="http://spam.example")
    assert answer.status_code == 302 and answer.headers["Location"] == "/door/sent"
    assert _requests() == [] and door.messages == []


def test_a_form_sent_too_fast_comes_back_with_what_was_typed(
    app: Flask, client: FlaskClient, door: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "DOOR_MIN_SECONDS", 30)
    answer = _describe(client, headers=EN)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "That was quick!" in page
    assert 'value="Ressourcerie du plateau"' in page and "Nous cherchons un local." in page
    assert _requests() == []


def test_a_forged_stamp_is_refused_without_losing_the_text(
    client: FlaskClient, door: Mailbox
) -> None:
    answer = _describe(client, headers=EN, started="forged")
    assert answer.status_code == 400 and "check it and send it again" in answer.get_data(
        as_text=True
    )
    assert "Nous cherchons un local." in answer.get_data(as_text=True) and _requests() == []


def test_bad_input_is_explained_field_by_field(client: FlaskClient, door: Mailbox) -> None:
    answer = _describe(client, headers=EN, email="not-an-address", description="x" * 3001)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'id="email-error"' in page and 'id="description-error"' in page
    assert _requests() == []


def test_the_door_takes_a_limited_number_of_requests_an_hour(
    app: Flask, client: FlaskClient, door: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "DOOR_REQUESTS_PER_HOUR", 1)
    assert _describe(client, headers=EN).status_code == 302
    second = _describe(client, headers=EN, email="other@example.org")
    assert second.status_code == 429 and "try again in an hour" in second.get_data(as_text=True)
    assert len(_requests()) == 1


def test_what_a_person_wrote_is_escaped_everywhere(
    client: FlaskClient, door: Mailbox, coordinator: Any, auth: Any
) -> None:
    made = _pending(client, door, project_name="<script>alert(1)</script>",
                    description="<img src=x onerror=alert(2)>")  # fmt: skip
    auth.login(coordinator)
    for url in ("/door/requests", f"/door/requests/{made.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_bad_confirmation_link_is_a_clear_404(client: FlaskClient, door: Mailbox) -> None:
    answer = client.get("/door/confirm/not-a-token", headers=EN)
    assert answer.status_code == 404


def test_unconfirmed_requests_go_when_their_link_expires(
    app: Flask, client: FlaskClient, door: Mailbox
) -> None:
    _describe(client)
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(
        hours=app.config["DOOR_CONFIRM_HOURS"] + 1
    )
    assert services.purge_unconfirmed(later, dry_run=True) == 1
    assert services.purge_unconfirmed(later) == 1
    db.session.commit()
    assert _requests() == []


def test_without_e_mail_the_door_is_closed(client: FlaskClient, no_mail: None) -> None:
    page = client.get("/door/", headers=EN).get_data(as_text=True)
    assert "not open" in page and 'name="project_name"' not in page
    answer = client.post("/door/", data={"project_name": "X"}, headers=EN)
    assert answer.status_code == 200 and _requests() == []


def test_an_address_of_another_role_is_not_turned_into_a_holder(
    client: FlaskClient, door: Mailbox, coordinator: Any, partner: Any, auth: Any
) -> None:
    made = _pending(client, door, email=partner.email)
    auth.login(coordinator)
    answer = client.post(
        f"/door/requests/{made.id}/accept",
        data={"project_name": "X", "workflow": "creation-ressourcerie", "commune": ""},
        headers=EN,
    )
    assert answer.status_code == 400 and "not a project holder" in answer.get_data(as_text=True)
    assert _requests()[-1].status == "pending"
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_the_sign_in_page_opens_the_door(client: FlaskClient) -> None:
    page = client.get("/auth/login", headers=EN).get_data(as_text=True)
    assert 'href="/door/"' in page


def test_each_connection_may_send_a_few_requests(other_app: Any) -> None:
    worker = other_app(RATELIMIT_ENABLED=True, RATELIMIT_DOOR="2 per hour", SMTP_HOST="x")

    def send(ip: str) -> int:
        client = worker.test_client()
        return client.post("/door/", data={}, environ_base={"REMOTE_ADDR": ip}).status_code

    assert [send("192.0.2.50"), send("192.0.2.50")] == [400, 400]  # empty: refused by the form
    assert send("192.0.2.50") == 429
    assert send("192.0.2.51") == 400  # another connection has its own count


def test_the_coordinators_home_says_how_many_requests_wait(
    client: FlaskClient, door: Mailbox, coordinator: Any, auth: Any
) -> None:
    _pending(client, door)
    _pending(client, door, email="dominique@example.org")
    auth.login(coordinator)
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "2 project requests from the public page are waiting for your decision." in page
