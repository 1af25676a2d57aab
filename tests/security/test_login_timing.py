"""Finding 6: every sign-in answer costs one password verification, whatever the account.

Wall time is noisy; the number of argon2 operations is what makes the time, and it is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from accompagnement.auth import passwords
from accompagnement.db import utcnow
from accompagnement.extensions import db

PASSWORD = "correct horse battery staple"


class CountingHasher:
    """Wrap the argon2 hasher and count its costly operations."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def verify(self, stored: str, password: str) -> bool:
        self.calls["verify"] += 1
        return bool(self.inner.verify(stored, password))

    def hash(self, password: str) -> str:
        self.calls["hash"] += 1
        return str(self.inner.hash(password))

    def check_needs_rehash(self, stored: str) -> bool:
        return bool(self.inner.check_needs_rehash(stored))


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    passwords.verify_password(None, "warm the dummy hash up")  # made once per process
    spy = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", spy)
    yield spy


def _sign_in(client: FlaskClient, hasher: CountingHasher, email: str, password: str) -> Counter:
    hasher.calls.clear()
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code in (200, 302)
    return Counter(hasher.calls)


def test_every_refusal_costs_one_verification(
    client: FlaskClient, make_user: Callable[..., Any], hasher: CountingHasher
) -> None:
    make_user("holder", email="active@example.org")
    make_user("holder", email="off@example.org").active = False
    locked = make_user("holder", email="locked@example.org")
    locked.locked_until = utcnow() + timedelta(minutes=10)
    make_user("holder", email="invited@example.org", password=None)
    db.session.commit()

    branches = {
        "unknown": _sign_in(client, hasher, "nobody@example.org", PASSWORD),
        "deactivated, right password": _sign_in(client, hasher, "off@example.org", PASSWORD),
        "deactivated, wrong password": _sign_in(client, hasher, "off@example.org", "nope" * 4),
        "locked, right password": _sign_in(client, hasher, "locked@example.org", PASSWORD),
        "invited, no password yet": _sign_in(client, hasher, "invited@example.org", PASSWORD),
        "wrong password": _sign_in(client, hasher, "active@example.org", "nope" * 4),
    }

    assert branches == dict.fromkeys(branches, Counter(verify=1))


def test_the_right_password_costs_the_same(
    client: FlaskClient, make_user: Callable[..., Any], hasher: CountingHasher
) -> None:
    make_user("holder", email="active@example.org")

    assert _sign_in(client, hasher, "active@example.org", PASSWORD) == Counter(verify=1)


def test_a_deactivated_account_with_the_right_password_stays_out(
    client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    make_user("holder", email="off@example.org").active = False
    db.session.commit()

    client.post("/auth/login", data={"email": "off@example.org", "password": PASSWORD})

    assert client.get("/auth/account").status_code == 302
