"""Workflow versions kept in the database, so a project outlives the file it started on."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.db import created_at
from accompagnement.extensions import Model


class WorkflowSnapshot(Model):
    """The exact text of a workflow version some project started on, kept for ever."""

    __tablename__ = "workflow_snapshots"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[created_at]
