"""Personal access tokens: made in "my account", shown once, stored hashed, refused when over."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import delete, func, select

from accompagnement import tenancy
from accompagnement.auth import apitokens
from accompagnement.auth.models import ApiToken
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.network.models import Network
from tests.api.conftest import bearer
from tests.fixtures.accounts import login


def _make_on_page(client, **values):
    data = {"name": "Tableur", "scope": "read", "days": "90", **values}
    return client.post("/auth/account/tokens", data=data)


def test_the_account_page_shows_a_new_token_once_and_stores_only_its_hash(
    client, coordinator, network
):
    login(client, coordinator.email)
    page = _make_on_page(client, scope="write").get_data(as_text=True)
    token = db.session.scalars(select(ApiToken)).one()
    secret = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("acc_") and len(secret) > 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.token_hash and token.prefix == secret[:12]
    assert (token.scope, token.network_id, token.user_id) == ("write", network.id, coordinator.id)
    again = client.get("/auth/account").get_data(as_text=True)
    assert secret not in again and token.prefix in again
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 200


def test_a_partner_makes_only_read_tokens(client, partner, network):
    login(client, partner.email)
    refused = _make_on_page(client, scope="write")
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []
    _make_on_page(client)
    assert db.session.scalars(select(ApiToken.scope)).all() == ["read"]


def test_a_token_needs_a_name_and_a_listed_duration(client, coordinator, network):
    login(client, coordinator.email)
    _make_on_page(client, name="  ")
    _make_on_page(client, days="7")
    assert db.session.scalars(select(ApiToken)).all() == []


def test_a_revoked_token_is_refused_at_once(client, coordinator, make_token):
    secret = make_token(coordinator)
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 200
    login(client, coordinator.email)
    token = db.session.scalars(select(ApiToken)).one()
    client.post(f"/auth/account/tokens/{token.id}/revoke")
    answer = client.get("/api/v1/projects", headers=bearer(secret))
    assert answer.status_code == 401
    assert answer.mimetype == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_nobody_revokes_the_token_of_another(client, coordinator, make_user, make_token):
    secret = make_token(coordinator)
    other = make_user("coordinator")
    login(client, other.email)
    token = db.session.scalars(select(ApiToken)).one()
    assert client.post(f"/auth/account/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 200


def test_an_expired_token_is_refused(client, coordinator, make_token):
    secret = make_token(coordinator)
    token = db.session.scalars(select(ApiToken)).one()
    token.expires_at = dt.datetime(2020, 1, 1)
    db.session.commit()
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 401


def test_a_deactivated_person_s_token_is_refused(client, coordinator, make_token):
    secret = make_token(coordinator)
    coordinator.active = False
    db.session.commit()
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 401


def test_only_the_bearer_header_authenticates_never_the_session_cookie(client, coordinator):
    login(client, coordinator.email)
    assert client.get("/projects/").status_code == 200  # signed in on the web
    answer = client.get("/api/v1/projects")
    assert answer.status_code == 401
    assert client.get("/api/v1/projects", headers={"Authorization": "Basic abc"}).status_code == 401
    wrong = client.get("/api/v1/projects", headers=bearer("acc_" + "x" * 43))
    assert wrong.status_code == 401


def test_a_read_token_cannot_write(client, coordinator, make_token, make_project):
    project = make_project()
    secret = make_token(coordinator, scope="read")
    answer = client.post(
        f"/api/v1/projects/{project.id}/transitions",
        json={"trigger": "anything"},
        headers=bearer(secret),
    )
    assert answer.status_code == 403
    assert answer.get_json()["status"] == 403


def test_each_use_is_noted_at_most_once_a_minute_and_logged(
    client, coordinator, make_token, caplog
):
    secret = make_token(coordinator)
    with caplog.at_level("INFO", logger="accompagnement.security"):
        client.get("/api/v1/projects", headers=bearer(secret))
    first = db.session.scalars(select(ApiToken.last_used_at)).one()
    assert first is not None
    assert any("api.request" in r.message and 'status="200"' in r.message for r in caplog.records)
    client.get("/api/v1/projects", headers=bearer(secret))
    assert db.session.scalars(select(ApiToken.last_used_at)).one() == first


def test_a_token_is_bound_to_the_network_it_was_made_in(coordinator, network):
    made = apitokens.create_token(coordinator.id, "Tableur", "read", 30)
    assert made.token.network_id == network.id


def test_no_token_is_made_before_the_network_is_set_up(client, coordinator):
    outside = tenancy.enter(None)  # no network in scope: the token would belong to none
    try:
        with pytest.raises(InvalidInput) as refused:
            apitokens.create_token(coordinator.id, "Tableur", "read", 90)
    finally:
        tenancy.leave(outside)
    assert list(refused.value.errors) == ["name"]
    db.session.execute(delete(Network))  # an instance where no network exists yet
    db.session.commit()
    assert db.session.scalar(select(func.count(Network.id))) == 0
    login(client, coordinator.email)
    answer = _make_on_page(client)
    assert answer.status_code == 403  # with no network, nobody holds a role to make one
    assert db.session.scalars(select(ApiToken)).all() == []
    assert "new-token" not in answer.get_data(as_text=True)
