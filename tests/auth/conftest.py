"""Fixtures of the account tests: a real SMTP server on 127.0.0.1, extra app instances."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from auth_support import Mailbox, free_port
from flask import Flask, g, request_started

from accompagnement import create_app
from accompagnement.extensions import db


@pytest.fixture
def mailbox(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """Start a real SMTP server (aiosmtpd) and point the app at it."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", controller.port)
    box.send_outbox = lambda: app.test_cli_runner().invoke(args=["notify", "send"])
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def no_mail(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure no SMTP server is configured."""
    monkeypatch.setitem(app.config, "SMTP_HOST", "")


@pytest.fixture(scope="module")
def second_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Another app instance on the same database, as a second worker process would be."""
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "SERVER_NAME": "localhost",
        }
    )
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def holder(make_user: Callable[..., Any]) -> Any:
    return make_user("holder", name="Hugo Porteur", email="hugo@example.org")


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
