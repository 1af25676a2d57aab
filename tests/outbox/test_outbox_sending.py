"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1): sent once, retried, kept."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable
from email import message_from_bytes
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select, update

from accompagnement.extensions import db
from accompagnement.outbox import sender, services
from accompagnement.outbox.models import FAILED, PENDING, SENT, OutboxMessage
from tests.fixtures.mail import free_port

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences


class Server:
    """An SMTP server answering each message with the next scripted reply (then 250)."""

    def __init__(self, replies: list[str] | None = None, delay: float = 0.0) -> None:
        self.replies = list(replies or [])
        self.delay = delay
        self.received: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(self.delay)
        with self.lock:
            if self.replies:
                return self.replies.pop(0)
            message = message_from_bytes(envelope.content)
            self.received.append(str(message["To"]))
        return "250 OK"


@pytest.fixture
def smtp(start_smtp: Callable[[Server], Server]) -> Callable[..., Server]:
    """Return a starter of scripted SMTP servers the app sends to (stopped after the test)."""

    def start(replies: list[str] | None = None, delay: float = 0.0) -> Server:
        return start_smtp(Server(replies, delay))

    return start


def _queue(count: int) -> list[int]:
    ids = [
        services.enqueue(f"person{n}@example.org", "Hello", f"Body {n}", kind="test").id
        for n in range(count)
    ]
    db.session.commit()
    return ids


def _messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _make_due_now() -> None:
    past = services.now() - dt.timedelta(seconds=1)
    db.session.execute(update(OutboxMessage).values(next_attempt_at=past))
    db.session.commit()


def test_a_message_is_sent_once_and_its_body_forgotten(
    runner: FlaskCliRunner, smtp: Callable[..., Server]
) -> None:
    server = smtp()
    _queue(1)

    first = runner.invoke(env=ENGLISH, args=["notify", "send"])
    second = runner.invoke(env=ENGLISH, args=["notify", "send"])

    assert first.exit_code == 0, first.output
    assert "1 sent" in first.output
    assert "0 sent" in second.output
    assert server.received == ["person0@example.org"]
    [message] = _messages()
    assert (message.status, message.body, message.attempts) == (SENT, "", 1)


def test_a_server_answering_451_is_retried_later(
    runner: FlaskCliRunner, smtp: Callable[..., Server]
) -> None:
    server = smtp(replies=["451 4.3.0 Try again later"])
    _queue(1)

    refused = runner.invoke(env=ENGLISH, args=["notify", "send"])
    too_soon = runner.invoke(env=ENGLISH, args=["notify", "send"])
    [message] = _messages()
    waiting = (message.status, message.attempts, message.last_error or "")
    delayed = message.next_attempt_at > message.created_at
    _make_due_now()
    retried = runner.invoke(env=ENGLISH, args=["notify", "send"])

    assert refused.exit_code == 1 and "1 to retry" in refused.output
    assert waiting[:2] == (PENDING, 1)
    assert "451" in waiting[2]
    assert delayed
    assert "0 sent" in too_soon.output  # back-off: not due yet
    assert retried.exit_code == 0 and "1 sent" in retried.output
    assert server.received == ["person0@example.org"]
    assert _messages()[0].attempts == 2


def test_a_permanent_refusal_gives_up_at_once(
    runner: FlaskCliRunner, smtp: Callable[..., Server]
) -> None:
    smtp(replies=["550 5.1.1 No such mailbox"])
    _queue(1)

    result = runner.invoke(env=ENGLISH, args=["notify", "send"])

    assert result.exit_code == 1 and "1 given up" in result.output
    assert _messages()[0].status == FAILED


def test_the_delay_doubles_up_to_a_ceiling() -> None:
    delays = [services.retry_delay(n) for n in (1, 2, 3, 20)]
    assert delays == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=4),
        services.LONGEST_DELAY,
    ]


def test_two_senders_at_once_send_each_message_once(
    app: Flask, smtp: Callable[..., Server]
) -> None:
    server = smtp(delay=0.02)
    _queue(12)
    start = threading.Barrier(2)
    reports: list[sender.Report] = []

    def run() -> None:
        with app.app_context():
            start.wait()
            reports.append(sender.send_due())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(server.received) == sorted(f"person{n}@example.org" for n in range(12))
    assert sum(r.sent for r in reports) == 12
    assert {m.status for m in _messages()} == {SENT}


def test_a_claimed_message_cannot_be_claimed_again() -> None:
    [message_id] = _queue(1)
    now = services.now()

    first, second = services.claim(message_id, now), services.claim(message_id, now)

    assert first is not None and second is None


def test_a_crash_after_the_commit_loses_nothing(
    app: Flask,
    client: Any,
    make_user: Callable[..., Any],
    smtp: Callable[..., Server],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_user("holder", email="hugo@example.org")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # the mail server is down

    # The request commits the event and its message, then the process dies: nothing was sent.
    response = client.post("/auth/forgot", data={"email": "hugo@example.org"})
    assert response.status_code == 302
    [queued] = _messages()
    assert (queued.recipient, queued.status, queued.attempts) == ("hugo@example.org", PENDING, 0)

    server = smtp()  # the mail server is back; the next cron run sends the message
    result = app.test_cli_runner().invoke(env=ENGLISH, args=["notify", "send"])
    assert "1 sent" in result.output
    assert server.received == ["hugo@example.org"]


def test_a_sender_killed_mid_send_leaves_the_message_to_the_next_after_the_lease(
    runner: FlaskCliRunner, smtp: Callable[..., Server]
) -> None:
    server = smtp()
    [message_id] = _queue(1)
    assert services.claim(message_id, services.now()) is not None  # then the sender dies
    db.session.commit()

    during_lease = runner.invoke(env=ENGLISH, args=["notify", "send"])
    db.session.execute(update(OutboxMessage).values(claimed_at=services.now() - services.LEASE * 2))
    db.session.commit()
    after_lease = runner.invoke(env=ENGLISH, args=["notify", "send"])

    assert "0 sent" in during_lease.output
    assert "1 sent" in after_lease.output
    assert server.received == ["person0@example.org"]


def test_without_smtp_the_outbox_waits(runner: FlaskCliRunner, app: Flask) -> None:
    assert not app.config["SMTP_HOST"]
    _queue(1)

    result = runner.invoke(env=ENGLISH, args=["notify", "send"])

    assert result.exit_code == 0 and "the outbox waits" in result.output
    assert _messages()[0].status == PENDING


def test_old_settled_messages_are_deleted(
    runner: FlaskCliRunner, smtp: Callable[..., Server]
) -> None:
    smtp()
    _queue(2)
    runner.invoke(env=ENGLISH, args=["notify", "send"])
    old = services.now() - dt.timedelta(days=31)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == "person0@example.org")
        .values(created_at=old)
    )
    db.session.commit()

    result = runner.invoke(env=ENGLISH, args=["notify", "send"])

    assert "1 old messages deleted" in result.output
    assert [m.recipient for m in _messages()] == ["person1@example.org"]
