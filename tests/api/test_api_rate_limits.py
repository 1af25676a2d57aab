"""Rate limits of the API: per token and per address, counted in the database (every worker)."""

from __future__ import annotations

from tests.api.conftest import bearer


def _get(app, secret, ip="192.0.2.10"):
    client = app.test_client()
    return client.get(
        "/api/v1/projects",
        headers={**bearer(secret), "Accept-Language": "en"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_a_token_over_its_limit_waits_with_a_problem(other_app, coordinator, make_token):
    worker_a = other_app(RATELIMIT_ENABLED=True, API_RATELIMIT_TOKEN="2 per minute")
    worker_b = other_app(RATELIMIT_ENABLED=True, API_RATELIMIT_TOKEN="2 per minute")
    secret, other = make_token(coordinator), make_token(coordinator)
    first = _get(worker_a, secret, ip="192.0.2.11").status_code
    second = _get(worker_b, secret, ip="192.0.2.12").status_code
    refused = _get(worker_b, secret, ip="192.0.2.13")
    another = _get(worker_b, other, ip="192.0.2.13").status_code
    assert (first, second, another) == (200, 200, 200)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["status"] == 429


def test_an_address_over_its_limit_waits_whatever_the_token(other_app, coordinator, make_token):
    worker = other_app(RATELIMIT_ENABLED=True, API_RATELIMIT_IP="2 per minute")
    secrets = [make_token(coordinator) for _ in range(3)]
    answers = [_get(worker, secret, ip="192.0.2.20").status_code for secret in secrets]
    elsewhere = _get(worker, secrets[0], ip="192.0.2.21").status_code
    assert answers == [200, 200, 429]
    assert elsewhere == 200


def test_wrong_tokens_are_counted_too(other_app, network):
    worker = other_app(RATELIMIT_ENABLED=True, API_RATELIMIT_IP="2 per minute")
    answers = [_get(worker, f"acc_wrong{n}", ip="192.0.2.30").status_code for n in range(3)]
    assert answers == [401, 401, 429]
