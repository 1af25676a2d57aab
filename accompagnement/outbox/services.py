"""Write e-mails to the outbox, and claim, settle or purge them (flush, never commit).

A message is claimed by one guarded UPDATE (status and due time in its WHERE clause): of two
senders racing for it, exactly one changes the row, on SQLite and PostgreSQL alike. A claim
older than the lease (a sender killed mid-send) may be taken again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from email.utils import make_msgid

from sqlalchemy import ColumnElement, and_, delete, or_, select, update

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.outbox.models import FAILED, PENDING, SENDING, SENT, OutboxMessage

LEASE = dt.timedelta(minutes=10)
FIRST_DELAY = dt.timedelta(minutes=1)
LONGEST_DELAY = dt.timedelta(hours=6)


def enqueue(
    recipient: str,
    subject: str,
    body: str,
    *,
    kind: str,
    user_id: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> OutboxMessage:
    """Put an e-mail in the outbox, in the caller's transaction (it leaves when that commits).

    `headers` are added to the message as given (List-Unsubscribe...); CR and LF are removed.
    """
    extra = {name: " ".join(value.splitlines()) for name, value in (headers or {}).items()}
    message = OutboxMessage(
        recipient=recipient,
        subject=subject.replace("\r", " ").replace("\n", " ")[:300],
        body=body,
        headers={**extra, "Message-ID": make_msgid(domain="accompagnement")},
        kind=kind,
        user_id=user_id,
    )
    db.session.add(message)
    db.session.flush()
    return message


def _due(now: dt.datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - LEASE),
    )


def due_ids(now: dt.datetime, limit: int) -> list[int]:
    """Return the ids of the messages to send now, oldest first."""
    query = select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(limit)
    return list(db.session.scalars(query))


def claim(message_id: int, now: dt.datetime) -> str | None:
    """Claim a due message for this sender; return the claim, or None when another has it."""
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(
            status=SENDING,
            claim=token,
            claimed_at=now,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return token if result.rowcount == 1 else None  # type: ignore[attr-defined]


def mark_sent(message_id: int, token: str, now: dt.datetime) -> None:
    """Record a message as sent and forget its body (it may hold a live password link)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim == token)
        .values(status=SENT, sent_at=now, body="", claim=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """Return how long to wait after the n-th failed attempt (doubling, capped)."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def mark_failed(
    message_id: int, token: str, now: dt.datetime, error: str, *, give_up: bool
) -> None:
    """Record a failed attempt: try again later with back-off, or give up."""
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None or message.claim != token:
        return
    message.status = FAILED if give_up else PENDING
    message.next_attempt_at = now + retry_delay(message.attempts)
    message.last_error = error[:300]
    message.claim = None
    db.session.flush()


def purge_settled(now: dt.datetime, keep_days: int) -> int:
    """Delete the sent and given-up messages older than keep_days; return how many."""
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_((SENT, FAILED)),
            OutboxMessage.created_at < now - dt.timedelta(days=keep_days),
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def now() -> dt.datetime:
    """Return the current time as the outbox stores it."""
    return utcnow()
