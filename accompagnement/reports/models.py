"""Named saved reports: a period, its narrative written as versions, and figures frozen once."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, intpk, str200, utcnow
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned

if TYPE_CHECKING:
    from accompagnement.auth.models import User

NAME_MAX = 200
NARRATIVE_MAX = 20_000
NARRATIVE_PARTS = ("highlights", "difficulties", "outlook")


class SavedReport(NetworkOwned, Model):
    """A report a coordinator named for a period ("Comité de pilotage 2014")."""

    __tablename__ = "saved_reports"
    __table_args__ = (
        UniqueConstraint("network_id", "name", name="uq_saved_reports_name"),
        CheckConstraint("end_on >= start_on", name="period_in_order"),
        CheckConstraint("(frozen_at IS NULL) = (snapshot IS NULL)", name="frozen_with_snapshot"),
    )

    id: Mapped[intpk]
    name: Mapped[str200]
    start_on: Mapped[date]
    end_on: Mapped[date]
    # None: the whole network. Passed to build_report as its département scope.
    departement_code: Mapped[str | None] = mapped_column(
        String(3), ForeignKey("departements.code", ondelete="RESTRICT")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The figures as build_report gave them when the report was frozen (JSON-ready data).
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
    )
    frozen_at: Mapped[datetime | None]
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    frozen_by: Mapped[User | None] = relationship(foreign_keys=[frozen_by_id])

    @property
    def frozen(self) -> bool:
        """Say whether the figures are the snapshot's rather than the live ones."""
        return self.frozen_at is not None

    def __repr__(self) -> str:
        return f"<SavedReport {self.id} {self.name!r}>"


class NarrativeVersion(NetworkOwned, Model):
    """One save of a saved report's qualitative parts; the newest number is the current text."""

    __tablename__ = "saved_report_versions"
    __table_args__ = (
        # Two saves from the same version cannot both become the next one.
        UniqueConstraint("report_id", "number", name="uq_saved_report_versions_report_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[intpk]
    report_id: Mapped[int] = mapped_column(
        ForeignKey("saved_reports.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    highlights: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    outlook: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship()

    def texts(self) -> dict[str, str]:
        """Return the three parts keyed by name."""
        return {key: getattr(self, key) for key in NARRATIVE_PARTS}

    def __repr__(self) -> str:
        return f"<NarrativeVersion report={self.report_id} v{self.number}>"
