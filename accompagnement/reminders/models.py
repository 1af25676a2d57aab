"""Which digests were written, so that a second run the same day writes nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.db import intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.projects.models import ChecklistTick, Comment, FormSubmission, TransitionRecord


class NotificationLog(Model):
    """One message of one kind written for one user on one day (at most one: unique constraint).

    For a digest, `sent_at` is the moment it covers up to: the next one starts there.
    """

    __tablename__ = "notification_logs"
    __table_args__ = (
        UniqueConstraint("user_id", "day", "kind", name="uq_notification_logs_user_day_kind"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# Indexes of the reminders' "last news" of every project (issue 10): per project, the newest
# transition, form save, comment and checklist tick are read from these without a table scan.
Index(
    "ix_transition_records_project_time",
    TransitionRecord.network_id,
    TransitionRecord.project_id,
    TransitionRecord.at,
)
Index(
    "ix_form_submissions_project_created",
    FormSubmission.network_id,
    FormSubmission.project_id,
    FormSubmission.created_at,
)
Index("ix_comments_project_created", Comment.project_id, Comment.created_at)
Index(
    "ix_checklist_ticks_project_at",
    ChecklistTick.network_id,
    ChecklistTick.project_id,
    ChecklistTick.at,
)
