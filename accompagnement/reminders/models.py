"""What the daily reminders sent, so that a second run the same day sends nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.db import intpk, utcnow
from accompagnement.extensions import Model


class NotificationLog(Model):
    """One message of one kind sent to one user on one day (at most one: unique constraint)."""

    __tablename__ = "notification_logs"
    __table_args__ = (
        UniqueConstraint("user_id", "day", "kind", name="uq_notification_logs_user_day_kind"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
