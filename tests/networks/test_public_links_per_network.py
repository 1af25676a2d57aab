"""The public pages reached by a signed link open in the link's network, not the first one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from accompagnement.extensions import db
from accompagnement.network.models import Network
from accompagnement.notifications import links
from accompagnement.tenancy import network_scope

NO_SETTINGS = "Your account receives no notification e-mails."


def _coordinator_of_b(make_user: Callable[..., Any]) -> tuple[int, str]:
    """Make network B and a person who coordinates there only; return the person's id."""
    network = Network(name="Réseau B", short_name="b")
    db.session.add(network)
    db.session.commit()
    with network_scope(network.id):
        person = make_user("coordinator", email="coord-b@example.org").id
        token = links.settings_token(person, "stage_changed")
    db.session.remove()
    return person, token


def test_a_settings_link_of_network_b_offers_the_role_there(
    english_client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    _person, token = _coordinator_of_b(make_user)
    page = english_client.get(f"/notifications/email/{token}").get_data(as_text=True)
    assert 'name="form_submitted"' in page and NO_SETTINGS not in page


def test_a_settings_link_made_before_links_named_a_network_uses_the_person_s(
    english_client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    person, _token = _coordinator_of_b(make_user)
    old = links._serializer().dumps({"u": person, "k": "stage_changed"})
    page = english_client.get(f"/notifications/email/{old}").get_data(as_text=True)
    assert 'name="form_submitted"' in page and NO_SETTINGS not in page
