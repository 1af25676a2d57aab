"""Helpers of the reminders tests: age a project, and a real SMTP server on localhost."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from accompagnement.db import utcnow
from accompagnement.extensions import db


@pytest.fixture
def ago() -> Callable[[int], dt.datetime]:
    """Return a helper giving the moment `days` ago (projects are created in the past)."""

    def moment(days: int) -> dt.datetime:
        return utcnow() - dt.timedelta(days=days)

    return moment


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_config(app: Flask) -> Iterator[Callable[[int], None]]:
    """Return a setter pointing the app at an SMTP port; restore the configuration after."""
    saved = {k: app.config[k] for k in ("SMTP_HOST", "SMTP_PORT", "BASE_URL")}

    def point_at(port: int) -> None:
        app.config.update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=port, BASE_URL="https://reseau.example.org"
        )

    yield point_at
    app.config.update(saved)


@pytest.fixture
def start_smtp(smtp_config: Callable[[int], None]) -> Iterator[Callable[[], Mailbox]]:
    """Return a starter of real SMTP servers on free local ports; the app points at the last."""
    controllers: list[Controller] = []

    def start() -> Mailbox:
        box = Mailbox()
        port = free_port()
        controller = Controller(box, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        smtp_config(port)
        return box

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mailbox(start_smtp: Callable[[], Mailbox]) -> Mailbox:
    """Start a real SMTP server on a free local port and point the app at it."""
    return start_smtp()


@pytest.fixture
def reminders_client(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """Return a test client of an app serving the reminders page.

    Until the factory registers the reminders blueprint, a second app on the same database
    registers it (a blueprint cannot be added to an app that already served requests).
    """
    if "reminders" in app.blueprints:
        yield app.test_client()
        return
    from accompagnement import create_app
    from accompagnement.reminders.views import bp

    other = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": database_url})
    other.register_blueprint(bp)
    with other.app_context():
        yield other.test_client()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sign_in() -> Callable[[Any, Any], None]:
    """Return a helper signing a user in on a given client (make_user's default password)."""

    def login(client: Any, user: Any) -> None:
        client.post("/auth/logout")
        client.post(
            "/auth/login", data={"email": user.email, "password": "correct horse battery staple"}
        )

    return login
