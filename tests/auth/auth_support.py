"""Helpers of the account tests: sign in, read a session cookie, a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from flask.testing import FlaskClient

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase for spring"


def login(client: FlaskClient, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Post the sign-in form; return the response."""
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def session_cookie(client: FlaskClient) -> str:
    """Return the value of the client's session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def client_with_cookie(client: FlaskClient, name: str, value: str) -> FlaskClient:
    """Set a (captured) cookie on a client, as an attacker replaying it would."""
    client.set_cookie(name, value, domain="localhost")
    return client


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """Collects every message the local SMTP server receives.

    Requests only write e-mails to the outbox; reading `messages` first runs the sender, as
    the every-minute cron (`flask notify send`) would have by the time a person looks.
    """

    received: list[EmailMessage] = field(default_factory=list)
    send_outbox: Callable[[], Any] = lambda: None

    @property
    def messages(self) -> list[EmailMessage]:
        self.send_outbox()
        return self.received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=default)
        self.received.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def body(self, index: int = -1) -> str:
        """Return the plain-text body of a received message."""
        part = self.messages[index].get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())
