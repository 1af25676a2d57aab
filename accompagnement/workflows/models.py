"""Workflow versions kept in the database: every published version, and the files' versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.db import created_at
from accompagnement.extensions import Model


class WorkflowSnapshot(Model):
    """A published workflow version: its exact text, who published it, kept for ever.

    `recorded_at` is when the version was published (or its file first recorded). A label-only
    change published in place replaces `source` and `sha256` and adds one to `label_revision`,
    which is how every worker notices it (`services.registry`).
    """

    __tablename__ = "workflow_snapshots"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[created_at]
    # NULL: shared by every network of the instance.
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    label_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    revised_at: Mapped[datetime | None]
    revised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
