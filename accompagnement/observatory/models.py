"""The observatory: what each member ressourcerie reports about one year of activity."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.db import created_at, intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.observatory.indicators import KEYS, Derived, derive
from accompagnement.tenancy import NetworkOwned

if TYPE_CHECKING:
    from accompagnement.auth.models import User
    from accompagnement.members.models import Member

FIRST_YEAR = 2000

Tonnes = Mapped[Decimal | None]


def _tonnes() -> Any:
    return mapped_column(Numeric(10, 1))


def _checks() -> tuple[Any, ...]:
    not_negative = tuple(CheckConstraint(f"{key} >= 0", name=f"{key}_not_negative") for key in KEYS)
    return (
        UniqueConstraint("member_id", "year", name="uq_observatory_reports_member_year"),
        CheckConstraint(f"year >= {FIRST_YEAR}", name="year_plausible"),
        CheckConstraint("women_percent <= 100", name="women_percent_max"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        *not_negative,
    )


class ObservatoryReport(NetworkOwned, Model):
    """One member's yearly figures; unknown figures stay NULL, derived ones are computed.

    `revision` is an optimistic lock: every UPDATE checks the revision it read, and a form
    carries the revision it was opened on, so an edit never silently overwrites another.
    """

    __tablename__ = "observatory_reports"
    __table_args__ = _checks()

    id: Mapped[intpk]
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(index=True)

    collected_dropoff: Tonnes = _tonnes()
    collected_dechetterie: Tonnes = _tonnes()
    collected_home: Tonnes = _tonnes()
    collected_bulky: Tonnes = _tonnes()
    collected_business: Tonnes = _tonnes()
    flow_furniture: Tonnes = _tonnes()
    flow_electrical: Tonnes = _tonnes()
    flow_textile: Tonnes = _tonnes()
    flow_books: Tonnes = _tonnes()
    flow_tableware: Tonnes = _tonnes()
    flow_toys: Tonnes = _tonnes()
    flow_bikes: Tonnes = _tonnes()
    flow_other: Tonnes = _tonnes()
    out_sale: Tonnes = _tonnes()
    out_donation: Tonnes = _tonnes()
    out_recycling: Tonnes = _tonnes()
    out_disposal: Tonnes = _tonnes()
    turnover: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    sales_count: Mapped[int | None]
    headcount: Mapped[int | None]
    fte: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    women_percent: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    contracts_permanent: Mapped[int | None]
    contracts_fixed_term: Mapped[int | None]
    contracts_subsidised: Mapped[int | None]
    contracts_integration: Mapped[int | None]
    volunteers: Mapped[int | None]
    volunteer_hours: Mapped[int | None]
    awareness_actions: Mapped[int | None]
    people_reached: Mapped[int | None]

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    member: Mapped[Member] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": revision}

    def values(self) -> dict[str, Any]:
        """Return the reported figures keyed by indicator."""
        return {key: getattr(self, key) for key in KEYS}

    @property
    def derived(self) -> Derived:
        """Return the figures computed from this report."""
        return derive(self.values())

    def __repr__(self) -> str:
        return f"<ObservatoryReport member={self.member_id} year={self.year} r{self.revision}>"
