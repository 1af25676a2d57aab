"""Drafts of workflow versions, edited in the browser before they are published."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import JSONDocument, intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned

if TYPE_CHECKING:
    from accompagnement.auth.models import User


class WorkflowDraft(NetworkOwned, Model):
    """A workflow version being written by a network: its definition as the YAML file's data,
    kept as JSON."""

    __tablename__ = "workflow_drafts"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(80))
    # The published version it copies (None: a new pathway).
    base_version: Mapped[int | None]
    definition: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[updated_by])

    def __repr__(self) -> str:
        return f"<WorkflowDraft {self.id} {self.name!r}>"
