"""Fixtures of the cross-cutting security suite (helpers live in security_suite.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, g, request_started
from security_fuzz import Cast, make_cast
from security_suite import People, make_people

from accompagnement import create_app
from accompagnement.extensions import db


@pytest.fixture
def people(make_user: Callable[..., Any]) -> People:
    return make_people(make_user)


@pytest.fixture
def cast(app: Flask, make_user: Callable[..., Any]) -> Cast:
    """The people of a fuzzing test and a coordinator's client, made once for all examples."""
    return make_cast(app, make_user)


@pytest.fixture(scope="module")
def other_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable]:
    """Return a factory of extra app instances on the test database (closed at the end)."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        settings = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "BACKUP_DIR": str(tmp_path_factory.mktemp("backups")),
            "SERVER_NAME": "localhost",
            # Password hashing is configured per process: keep the suite's cheap profile.
            "PASSWORD_HASH_PROFILE": "test",
        }
        settings.update(config)
        extra = create_app(settings)
        made.append(extra)
        return extra

    yield make
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


def _forget_previous_request(_sender: Any, **_extra: Any) -> None:
    """Start every request with an empty `g`, as in production.

    The root conftest keeps an app context pushed during each test, and a request reuses it, so
    without this `g` (Flask-Login's current user, Flask-Babel's locale) would leak from one
    request, or one client, to the next: a replayed cookie would be "refused" only because the
    previous request had signed out.
    """
    for name in list(g):
        g.pop(name)


@pytest.fixture(autouse=True)
def _fresh_g_per_request(app: Flask) -> Iterator[None]:
    request_started.connect(_forget_previous_request, app)
    yield
    request_started.disconnect(_forget_previous_request, app)
