"""The append-only audit trail of everything that is not a transition."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.db import intpk, json_dict, utcnow
from accompagnement.extensions import Model


class AuditEvent(Model):
    """Who did what and when: form saves, checklist ticks, exports of personal data..."""

    __tablename__ = "audit_events"

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[json_dict] = mapped_column(default=dict)
