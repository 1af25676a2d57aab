"""A page that finds the database busy answers 503 "try again", never a 500 (issue 8).

Before: under the soak's load on SQLite, a POST whose first query waited past the 5 s busy
timeout for the write lock raised `OperationalError: database is locked`, shown as a 500.
The transaction was rolled back whole, so the honest answer is "busy, nothing was changed".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from accompagnement.auth.models import User
from accompagnement.auth.services import create_user
from accompagnement.extensions import db
from tests.conftest import PASSWORD, only_network

pytestmark = pytest.mark.slow


def test_a_write_that_waits_too_long_for_the_lock_answers_503_and_changes_nothing(
    fresh_app: Callable[..., tuple[Flask, str]],
) -> None:
    app, url = fresh_app("busy_page")
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    with app.app_context(), only_network():
        create_user("nina@example.org", role="coordinator", name="Nina", password=PASSWORD)
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    client.post("/auth/login", data={"email": "nina@example.org", "password": PASSWORD})

    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing, for longer than 5 s
    try:
        response = client.post("/language", data={"lang": "en", "next": "/"})
    finally:
        holder.rollback()
        holder.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "Nothing was changed" in response.get_data(as_text=True) or "Rien n" in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        locale = db.session.scalars(select(User.locale)).one()
    assert locale != "en"
