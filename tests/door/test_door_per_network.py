"""Each network has its own door: `/door/<short_name>/` files the request in that network, its
link, e-mails, purge and the coordinators' list stay there; `/door/` lists the networks."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accompagnement.auth.models import NetworkMembership, User
from accompagnement.door import services
from accompagnement.door.models import ProjectRequest
from accompagnement.extensions import db
from accompagnement.projects.models import Project
from accompagnement.tenancy import network_scope, unscoped
from tests.door.test_public_door import EN, FR, _confirm_path, _describe
from tests.fixtures.accounts import AuthActions
from tests.fixtures.mail import Mailbox

B_NAME = "Réseau fictif des Causses"


@dataclass(frozen=True)
class TwoNetworks:
    a: int
    b: int
    coordinator_a: Any
    coordinator_b: Any


@pytest.fixture
def door(app: Flask, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Mailbox:
    monkeypatch.setitem(app.config, "DOOR_MIN_SECONDS", 0)
    return mailbox


@pytest.fixture
def two(make_network: Callable[..., Any], make_user: Callable[..., Any]) -> TwoNetworks:
    """The test's network A (Limousin) and network B (the Causses: Corrèze here), each with a
    coordinator."""
    a = make_network(departements=("23", "87"), name="Réseau du Limousin").id
    coordinator_a = _plain(make_user("coordinator", email="coord-a@example.org"))
    with network_scope(_new_network()):
        b = make_network(departements=("19",), name=B_NAME, short_name="causses").id
        coordinator_b = _plain(make_user("coordinator", email="coord-b@example.org"))
    db.session.remove()  # the test client's requests load the people afresh, in their network
    return TwoNetworks(a, b, coordinator_a, coordinator_b)


def _plain(user: Any) -> SimpleNamespace:
    return SimpleNamespace(id=user.id, email=user.email)


def _new_network() -> int:
    from accompagnement.network.models import Network

    network = Network(name="", short_name="new")
    db.session.add(network)
    db.session.commit()
    return network.id


def _send(client: FlaskClient, path: str, headers: dict[str, str] = EN, **values: str) -> Any:
    """Send the door's form at `path` as a visitor from the Causses (the public door's helper)."""
    causses = {
        "project_name": "Ressourcerie des Causses",
        "contact_name": "Dominique Caussenard",
        "email": "dominique@example.org",
        "commune": "",
        "description": "Un local à Millau.",
    }
    return _describe(client, headers, path, **{**causses, **values})


def _every_request() -> list[ProjectRequest]:
    """Read every network's requests, then let go of them (the next request of the test client
    shares this session: it must load them afresh, in its own network)."""
    db.session.expire_all()
    with unscoped():
        rows = list(db.session.scalars(select(ProjectRequest).order_by(ProjectRequest.id)))
    for row in rows:
        db.session.expunge(row)
    return rows


def test_with_two_networks_the_door_lists_them(client: FlaskClient, two: TwoNetworks) -> None:
    page = client.get("/door/", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="project_name"' not in text
    assert 'href="/door/causses/"' in text and 'href="/door/test/"' in text
    assert B_NAME in text and "Réseau du Limousin" in text
    assert "Corrèze (19)" in text and "Creuse (23), Haute-Vienne (87)" in text
    assert client.post("/door/", data={}, headers=EN).status_code == 400
    assert _every_request() == []


def test_an_unknown_network_is_a_404_page_in_french(client: FlaskClient, two: TwoNetworks) -> None:
    page = client.get("/door/nulle-part/", headers=FR)
    assert page.status_code == 404
    assert "Il n'y a pas de réseau nommé nulle-part." in html.unescape(page.get_data(as_text=True))
    assert client.post("/door/nulle-part/", data={}, headers=FR).status_code == 404


def test_a_request_through_b_s_door_stays_in_b(
    client: FlaskClient, door: Mailbox, two: TwoNetworks, auth: AuthActions
) -> None:
    form = client.get("/door/causses/", headers=EN).get_data(as_text=True)
    assert B_NAME in form
    answer = _send(client, "/door/causses/")
    assert answer.status_code == 302
    (made,) = _every_request()
    assert made.network_id == two.b and made.status == "unconfirmed"
    mail = door.messages[-1]
    assert B_NAME in mail["Subject"] and B_NAME in door.body()

    client.post(_confirm_path(door), headers=EN)  # the link opens the request in B
    assert _every_request()[0].status == "pending"

    auth.login(two.coordinator_a)  # A's coordinator: not in the list, 404 by its address
    assert "Ressourcerie des Causses" not in client.get("/door/requests").get_data(as_text=True)
    assert client.get(f"/door/requests/{made.id}").status_code == 404
    refused = client.post(f"/door/requests/{made.id}/decline", data={"message": "Non."})
    assert refused.status_code == 404
    assert _every_request()[0].status == "pending"
    auth.logout()

    auth.login(two.coordinator_b)
    listing = client.get("/door/requests", headers=EN).get_data(as_text=True)
    assert "Ressourcerie des Causses" in listing and 'href="/door/causses/"' in listing
    answer = client.post(f"/door/requests/{made.id}/decline", data={"message": "Hors zone."})
    assert answer.status_code == 302 and _every_request()[0].status == "declined"
    assert B_NAME in door.messages[-1]["Subject"] and B_NAME in door.body()


def test_a_link_of_a_network_does_not_open_in_another(
    client: FlaskClient, door: Mailbox, two: TwoNetworks
) -> None:
    _send(client, "/door/causses/")
    made = _every_request()[0]
    with network_scope(two.a):  # a link as old ones were: no network in it, read in the first
        old_link = services._serializer(services.CONFIRM_SALT).dumps([made.id, made.email])
    assert client.post(f"/door/confirm/{old_link}").status_code == 404
    assert _every_request()[0].status == "unconfirmed"


def test_a_holder_of_another_network_becomes_a_holder_here_too(
    client: FlaskClient, door: Mailbox, two: TwoNetworks, make_user: Callable[..., Any],
    auth: AuthActions,
) -> None:  # fmt: skip
    known = _plain(make_user("holder", email="dominique@example.org"))  # a holder in A
    db.session.remove()
    _send(client, "/door/causses/")
    client.post(_confirm_path(door))
    made = _every_request()[0]
    auth.login(two.coordinator_b)
    answer = client.post(
        f"/door/requests/{made.id}/accept",
        data={"project_name": "Causses", "workflow": "creation-ressourcerie", "commune": ""},
        headers=EN,
    )
    assert answer.status_code == 302
    with network_scope(two.b):
        holder = db.session.get(User, known.id)
        project = db.session.scalar(select(Project))
        assert holder is not None and holder.role == "holder"
        assert project is not None and [h.id for h in project.holders] == [known.id]
    with unscoped():
        query = select(NetworkMembership.network_id).where(NetworkMembership.user_id == known.id)
        assert sorted(db.session.scalars(query)) == [two.a, two.b]


def test_the_purge_of_a_network_leaves_the_other_s_requests(
    app: Flask, client: FlaskClient, door: Mailbox, two: TwoNetworks
) -> None:
    _send(client, "/door/causses/")
    _send(client, "/door/test/", email="camille@example.org")
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(
        hours=app.config["DOOR_CONFIRM_HOURS"] + 1
    )
    with network_scope(two.a):
        assert services.purge_unconfirmed(later) == 1
        db.session.commit()
    assert [r.network_id for r in _every_request()] == [two.b]


def test_with_one_network_the_door_is_that_network_s(client: FlaskClient, door: Mailbox) -> None:
    answer = _send(client, "/door/")
    assert answer.status_code == 302 and answer.headers["Location"] == "/door/sent"
    assert len(_every_request()) == 1
