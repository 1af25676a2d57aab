"""The coordination's means, one row per year and thing: staff time, budget lines, funding."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, in_values, intpk
from accompagnement.extensions import Model
from accompagnement.network.models import Organisation
from accompagnement.tenancy import NetworkOwned

FIRST_YEAR = 2000
MAX_FTE = Decimal("99.99")
MAX_AMOUNT = Decimal("9999999999.99")


class CostKind(StrEnum):
    """Stored keys of the kinds of budget line; labels are translated."""

    STAFF = "staff"
    OTHER = "other"


COST_KIND_LABELS = {
    CostKind.STAFF.value: _l("Staff costs"),
    CostKind.OTHER.value: _l("Other costs"),
}


class StaffTime(NetworkOwned, Model):
    """The time a structure gives to the coordination in a year, in full-time equivalents."""

    __tablename__ = "means_staff_time"
    __table_args__ = (
        UniqueConstraint(
            "network_id", "year", "structure", name="uq_means_staff_time_year_structure"
        ),
        CheckConstraint(f"fte > 0 AND fte <= {MAX_FTE}", name="fte"),
        CheckConstraint(f"year >= {FIRST_YEAR} AND year <= 2999", name="year"),
    )

    id: Mapped[intpk]
    year: Mapped[int]
    structure: Mapped[str] = mapped_column(String(200))
    fte: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    created_at: Mapped[created_at]


class BudgetLine(NetworkOwned, Model):
    """One line of the coordination's budget for a year: staff costs or other costs."""

    __tablename__ = "means_budget_lines"
    __table_args__ = (
        UniqueConstraint("network_id", "year", "label", name="uq_means_budget_lines_year_label"),
        CheckConstraint(in_values("kind", [k.value for k in CostKind]), name="kind"),
        CheckConstraint(f"amount >= 0 AND amount <= {MAX_AMOUNT}", name="amount"),
        CheckConstraint(f"year >= {FIRST_YEAR} AND year <= 2999", name="year"),
    )

    id: Mapped[intpk]
    year: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[created_at]

    @property
    def kind_label(self) -> str:
        """Return the translated label of the kind."""
        return str(COST_KIND_LABELS.get(self.kind, self.kind))


class Funding(NetworkOwned, Model):
    """What one of the network's partner organisations paid for the coordination in a year."""

    __tablename__ = "means_funding"
    __table_args__ = (
        UniqueConstraint("year", "organisation_id", name="uq_means_funding_year_organisation"),
        CheckConstraint(f"amount >= 0 AND amount <= {MAX_AMOUNT}", name="amount"),
        CheckConstraint(f"year >= {FIRST_YEAR} AND year <= 2999", name="year"),
    )

    id: Mapped[intpk]
    year: Mapped[int]
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[created_at]

    organisation: Mapped[Organisation] = relationship()
