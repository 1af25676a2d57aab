"""A person with roles in several networks sees which one they work in and switches."""

from __future__ import annotations

from typing import Any

import pytest

from accompagnement.auth.models import User
from accompagnement.auth.services import join_network
from accompagnement.extensions import db
from accompagnement.network.models import Network
from accompagnement.projects.services import create_project
from accompagnement.tenancy import current_network_id, network_scope
from tests.fixtures import PASSWORD


@pytest.fixture
def two(make_user: Any, english_client: Any) -> dict[str, Any]:
    """Network A (the test's) where Camille holds a project, network B where she coordinates."""
    a_id = current_network_id()
    camille = make_user("holder", name="Camille Deux-Réseaux", email="camille@example.org")
    coordinator = make_user("coordinator")
    create_project("Projet du réseau A", workflow_name="creation-ressourcerie",
                   user_id=coordinator.id, holder_ids=[camille.id])  # fmt: skip
    b = Network(name="Réseau B", short_name="b")
    db.session.add(b)
    db.session.commit()
    with network_scope(b.id):
        join_network(db.session.get(User, camille.id), "coordinator")
        create_project("Projet du réseau B", workflow_name="creation-ressourcerie",
                       user_id=camille.id)  # fmt: skip
        db.session.commit()
    a = db.session.get(Network, a_id)
    a.name = "Réseau A"
    db.session.commit()
    return {"a": a_id, "b": b.id, "camille": camille.id}


def sign_in(client: Any) -> None:
    response = client.post(
        "/auth/login", data={"email": "camille@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_header_shows_the_network_and_offers_the_others(two, english_client) -> None:
    sign_in(english_client)
    page = english_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'action="/auth/network"' in page
    assert f'<option value="{two["a"]}" selected>Réseau A</option>' in page
    assert f'<option value="{two["b"]}">Réseau B</option>' in page
    assert "Projet du réseau A" in page
    assert "Projet du réseau B" not in page


def test_switching_changes_the_network_and_the_role(two, english_client) -> None:
    sign_in(english_client)
    response = english_client.post("/auth/network", data={"network": two["b"]})
    assert response.status_code == 302
    page = english_client.get("/projects/").get_data(as_text=True)
    assert "You now work in Réseau B." in page
    assert "Projet du réseau B" in page
    assert "Projet du réseau A" not in page
    assert english_client.get("/admin/users").status_code == 200  # a coordinator in B
    assert db.session.get(User, two["camille"]).last_network_id == two["b"]


def test_the_last_network_used_is_chosen_at_the_next_sign_in(two, english_client) -> None:
    sign_in(english_client)
    english_client.post("/auth/network", data={"network": two["b"]})
    english_client.post("/auth/logout")
    sign_in(english_client)
    page = english_client.get("/projects/").get_data(as_text=True)
    assert "Projet du réseau B" in page


def test_one_cannot_switch_to_a_network_one_does_not_belong_to(
    two, english_client, make_user
) -> None:
    outsider = Network(name="Réseau C", short_name="c")
    db.session.add(outsider)
    db.session.commit()
    sign_in(english_client)
    english_client.post("/auth/network", data={"network": outsider.id})
    page = english_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Choose one of your networks." in page
    assert "Projet du réseau A" in page


def test_switching_needs_the_csrf_token(app, two) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/auth/login", data={"email": "camille@example.org", "password": PASSWORD,
                                         "csrf_token": token})  # fmt: skip
        client.post("/auth/network", data={"network": two["b"]})
        assert db.session.get(User, two["camille"]).last_network_id is None
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
