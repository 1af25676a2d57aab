"""Each person's choice per kind of notification, and the notices waiting for their digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.db import in_values, intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned

IMMEDIATE = "immediate"
DIGEST = "digest"
NEVER = "never"
DELIVERIES = (IMMEDIATE, DIGEST, NEVER)


class NotificationPreference(Model):
    """How one person wants to hear of one kind of notification (no row: the kind's default)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (CheckConstraint(in_values("delivery", DELIVERIES), name="delivery_known"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DigestItem(NetworkOwned, Model):
    """A notice for someone who chose the daily digest: deleted once a digest includes it."""

    __tablename__ = "digest_items"
    __table_args__ = (Index("ix_digest_items_user", "user_id", "id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    # What the line says (project and actor names, a stage's labels in every language); the
    # line is worded when the digest is written, in the recipient's language of that day.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    path: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
