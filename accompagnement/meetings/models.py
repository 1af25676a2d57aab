"""One exchange of the coordination with a project: held, or planned when its time is ahead."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.auth.models import User
from accompagnement.db import in_values, intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.projects.models import Project
from accompagnement.tenancy import NetworkOwned

KINDS = ("meeting", "phone", "site_visit", "workshop", "email")
MAX_MINUTES = 24 * 60


class Exchange(NetworkOwned, Model):
    """A meeting, call, visit on site, workshop or e-mail with a project's holders."""

    __tablename__ = "exchanges"
    __table_args__ = (
        CheckConstraint(in_values("kind", KINDS), name="kind_known"),
        CheckConstraint(f"minutes >= 0 AND minutes <= {MAX_MINUTES}", name="minutes_range"),
        Index("ix_exchanges_project_at", "project_id", "at"),
        Index("ix_exchanges_at", "at"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(40))  # the project's stage when it was recorded
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime]  # naive UTC like every stored moment (typed in local time)
    minutes: Mapped[int] = mapped_column(default=0)
    participants: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    coordinator: Mapped[User | None] = relationship()
    project: Mapped[Project] = relationship()

    __mapper_args__ = {"version_id_col": revision}
