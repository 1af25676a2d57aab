"""Finding 10: per-IP limits on sign-in and forgotten password, shared by every worker."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from accompagnement.extensions import db
from accompagnement.throttle.storage import DatabaseStorage

LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_SIGN_IN": "3 per minute"}
WRONG = {"email": "nobody@example.org", "password": "not the password at all"}


def _sign_in(app: Flask, ip: str = "192.0.2.1", **headers: str) -> Any:
    client = app.test_client()
    return client.post("/auth/login", data=WRONG, environ_base={"REMOTE_ADDR": ip}, headers=headers)


def test_two_workers_share_one_counter(other_app: Callable[..., Flask]) -> None:
    worker_a, worker_b = other_app(**LIMITED), other_app(**LIMITED)

    answers = [_sign_in(worker_a).status_code, _sign_in(worker_b).status_code]
    answers.append(_sign_in(worker_a).status_code)
    refused = _sign_in(worker_b, **{"Accept-Language": "en"})

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Too many attempts from your connection" in refused.get_data(as_text=True)


def test_the_refusal_is_in_french_by_default(other_app: Callable[..., Flask]) -> None:
    worker = other_app(**{**LIMITED, "RATELIMIT_SIGN_IN": "1 per minute"})
    _sign_in(worker, ip="192.0.2.7")

    page = _sign_in(worker, ip="192.0.2.7").get_data(as_text=True)

    assert "Trop de tentatives" in page


def test_another_address_and_reading_the_form_are_not_counted(
    other_app: Callable[..., Flask],
) -> None:
    worker = other_app(**{**LIMITED, "RATELIMIT_SIGN_IN": "1 per minute"})
    _sign_in(worker, ip="192.0.2.2")

    assert _sign_in(worker, ip="192.0.2.2").status_code == 429
    assert _sign_in(worker, ip="192.0.2.3").status_code == 200
    reading = worker.test_client().get("/auth/login", environ_base={"REMOTE_ADDR": "192.0.2.2"})
    assert reading.status_code == 200


def test_forgot_password_has_its_own_limit(other_app: Callable[..., Flask]) -> None:
    worker = other_app(RATELIMIT_ENABLED=True, RATELIMIT_FORGOT="2 per hour", SMTP_HOST="x")
    client = worker.test_client()
    answers = [
        client.post("/auth/forgot", data={"email": "a@example.org"}).status_code for _ in range(3)
    ]

    assert answers == [302, 302, 429]


def test_the_suite_runs_without_limits(app: Flask) -> None:
    answers = {_sign_in(app).status_code for _ in range(12)}
    assert answers == {200}


def test_concurrent_increments_are_never_lost(app: Flask) -> None:
    storage = DatabaseStorage()
    start = threading.Barrier(4)

    def hit() -> None:
        with app.app_context():
            start.wait()
            for _ in range(25):
                storage.incr("race", expiry=60)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert storage.get("race") == 100
    assert storage.get_expiry("race") > 0
    storage.clear("race")
    assert storage.get("race") == 0
    db.session.remove()


def test_a_successful_sign_in_under_limits_is_not_blocked_by_its_own_transaction(
    other_app: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    # The limiter's headers are read after the view, while the request's session may hold
    # SQLite's write lock: the read must not wait for it (it did: 5 s, then a 500).
    make_user("holder", email="hugo@example.org")
    worker = other_app(**LIMITED)
    response = worker.test_client().post(
        "/auth/login",
        data={"email": "hugo@example.org", "password": "correct horse battery staple"},
    )

    assert response.status_code == 302
    assert response.headers["X-RateLimit-Remaining"] == "2"
