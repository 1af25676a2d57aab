"""The coordinators' daily digest of late and forgotten projects, sent at most once a day.

Every message sent is recorded in NotificationLog (unique per user, day and kind) before the
transaction that sends it commits, so a second run the same day, even a concurrent one, finds
the row and sends nothing again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.i18n import current_language
from accompagnement.mail import mail_configured, send_mail
from accompagnement.reminders.models import NotificationLog
from accompagnement.reminders.queries import (
    OverdueProject,
    StaleProject,
    overdue_projects,
    stale_projects,
)

DIGEST = "digest"


@dataclass
class Digest:
    """What the coordinators should look at today."""

    overdue: list[OverdueProject] = field(default_factory=list)
    stale: list[StaleProject] = field(default_factory=list)
    stale_days: int = 0

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.stale


def collect_digest() -> Digest:
    """Gather today's late and forgotten projects."""
    days = current_app.config["STALE_PROJECT_DAYS"]
    return Digest(overdue=overdue_projects(), stale=stale_projects(days), stale_days=days)


def active_coordinators() -> list[User]:
    """Return the coordinators whose account is active, by name."""
    users = db.session.scalars(
        select(User).where(User.role == Role.COORDINATOR.value).order_by(User.name, User.id)
    )
    return [u for u in users if u.is_active]


def already_sent(user_id: int, day: dt.date, kind: str = DIGEST) -> bool:
    """Tell whether this kind of message was already sent to the user that day."""
    return (
        db.session.scalar(
            select(NotificationLog.id).where(
                NotificationLog.user_id == user_id,
                NotificationLog.day == day,
                NotificationLog.kind == kind,
            )
        )
        is not None
    )


def _claim(user_id: int, day: dt.date, kind: str) -> bool:
    """Record the message as sent; False when another run already did (unique constraint)."""
    try:
        with db.session.begin_nested():
            db.session.add(NotificationLog(user_id=user_id, day=day, kind=kind))
    except IntegrityError:
        return False
    return True


def send_digest(user: User, digest: Digest, day: dt.date) -> bool:
    """Send the digest to one coordinator unless already sent that day; True when sent.

    Flushes the log row; the caller commits after each message. SMTP errors propagate, and the
    caller rolls back so that the next run tries again.
    """
    if not mail_configured() or digest.empty or already_sent(user.id, day):
        return False
    if not _claim(user.id, day, DIGEST):
        return False
    with force_locale(user.locale or "fr"):
        subject, body = compose(user, digest)
    return send_mail([user.email], subject, body)


def compose(user: User, digest: Digest) -> tuple[str, str]:
    """Write the subject and plain-text body of the digest in the current language."""
    subject = _(
        "Reminders: %(late)s late projects, %(stale)s without news",
        late=len(digest.overdue),
        stale=len(digest.stale),
    )
    lines = [_("Hello %(name)s,", name=user.name), ""]
    if digest.overdue:
        lines.append(_("Projects staying longer than usual in their stage:"))
        lines += [_overdue_line(p) for p in digest.overdue] + [""]
    if digest.stale:
        lines.append(_("Projects without news for %(days)s days or more:", days=digest.stale_days))
        lines += [_stale_line(p) for p in digest.stale] + [""]
    base_url = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if base_url:
        lines.append(_("See them all: %(url)s", url=f"{base_url}/reminders/"))
    lines.append(_("You receive this message at most once a day, when there is something to see."))
    return subject, "\n".join(lines)


def _overdue_line(p: OverdueProject) -> str:
    return "- " + _(
        "%(project)s, %(stage)s: %(days)s days in the stage (usually %(usual)s)",
        project=p.name,
        stage=p.stage_label.get(current_language()),
        days=p.days_in_stage,
        usual=p.usual_days,
    )


def _stale_line(p: StaleProject) -> str:
    return "- " + _(
        "%(project)s, %(stage)s: nothing new for %(days)s days",
        project=p.name,
        stage=p.stage_label.get(current_language()),
        days=p.idle_days,
    )
