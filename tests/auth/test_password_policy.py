"""Passwords: argon2id, at least 12 characters, common ones refused (ASVS V6.2.x, CNIL 2022-100)."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import PasswordHasher

from accompagnement.auth.models import User
from accompagnement.auth.passwords import hash_password, password_problem, verify_password
from accompagnement.extensions import db
from tests.fixtures.accounts import PASSWORD, login


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "abcdefghijk!", "Élan vital 87", "x" * 3 + "yzw" * 3 + "..."],
)
def test_long_enough_passwords_are_accepted(password: str) -> None:
    assert password_problem(password) is None


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short pass", "at least 12"),
        ("elevenchars", "at least 12"),
        ("p" * 129, "at most 128"),
        ("azertyuiop12", "too common"),
        ("PASSWORD1234", "too common"),
        ("motdepasse123", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("abababababab", "too common"),
    ],
)
def test_short_long_and_common_passwords_are_refused(password: str, problem: str) -> None:
    assert problem in (password_problem(password) or "")


def test_a_password_may_not_contain_the_name_or_address() -> None:
    assert password_problem("hugo.porteur-2024!", email="hugo.porteur@example.org")
    assert password_problem("I am Hugo Porteur!", name="Hugo Porteur")
    assert password_problem("a completely unrelated one", name="Hugo Porteur") is None


def test_no_composition_rule_is_imposed() -> None:
    assert password_problem("all lower case words here") is None


def test_hashes_are_argon2id_and_salted() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, PASSWORD) and not verify_password(first, "other password")
    assert not verify_password(None, PASSWORD) and not verify_password("garbage", PASSWORD)


def test_a_weaker_hash_is_upgraded_at_sign_in(client: Any, holder: Any) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    user = db.session.get(User, holder.id)
    user.password_hash = weak
    db.session.commit()
    assert login(client, holder.email).status_code == 302
    db.session.expire_all()
    upgraded = db.session.get(User, holder.id).password_hash
    assert upgraded != weak and verify_password(upgraded, PASSWORD)
