"""Send the due messages of the outbox: the unit of work of `flask notify send`.

Like a CLI command (and unlike a service) this module commits: the claim of each message is
committed before the SMTP conversation, and its outcome right after, so a crash at any point
leaves every message either pending, claimed (taken again after the lease), or sent.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from flask import current_app

from accompagnement.extensions import db
from accompagnement.mail import send_mail
from accompagnement.outbox import services
from accompagnement.outbox.models import OutboxMessage


@dataclass
class Report:
    """What one run of the sender did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another sender first
    purged: int = 0


def _permanent(error: Exception) -> bool:
    """Tell whether the SMTP server refused for good (5xx) rather than for now (4xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _send_one(message_id: int, report: Report, max_attempts: int) -> None:
    token = services.claim(message_id, services.now())
    db.session.commit()
    if token is None:
        report.skipped += 1
        return
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    assert message is not None
    try:
        send_mail([message.recipient], message.subject, message.body, headers=message.headers)
    except (OSError, smtplib.SMTPException) as error:
        db.session.rollback()
        give_up = _permanent(error) or message.attempts >= max_attempts
        detail = f"{type(error).__name__}: {error}"
        services.mark_failed(message_id, token, services.now(), detail, give_up=give_up)
        db.session.commit()
        if give_up:
            report.failed += 1
        else:
            report.retried += 1
        return
    services.mark_sent(message_id, token, services.now())
    db.session.commit()
    report.sent += 1


def send_due(limit: int = 500) -> Report:
    """Send every due message once (claimed one by one); purge the old settled ones."""
    config = current_app.config
    report = Report()
    for message_id in services.due_ids(services.now(), limit):
        _send_one(message_id, report, int(config["OUTBOX_MAX_ATTEMPTS"]))
    report.purged = services.purge_settled(services.now(), int(config["OUTBOX_KEEP_DAYS"]))
    db.session.commit()
    return report
