"""Read queries of the means: one year's lines for the page, the years of a report in three."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from accompagnement.extensions import db
from accompagnement.means.models import BudgetLine, Funding, StaffTime
from accompagnement.means.stats import MeansFigures, summarise
from accompagnement.members.models import Member
from accompagnement.network.models import Organisation
from accompagnement.network.queries import current_network

MAX_LINES = 200  # lines shown for one year: a network has a handful of each


def fold(name: str) -> str:
    """Fold a name to compare it: no accents, no case, single spaces."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def staff_line(year: int, structure: str) -> StaffTime | None:
    """Return the staff time of a structure in a year, if recorded."""
    return db.session.scalar(
        select(StaffTime).where(StaffTime.year == year, StaffTime.structure == structure)
    )


def budget_line(year: int, label: str) -> BudgetLine | None:
    """Return the budget line of this label in a year, if recorded."""
    return db.session.scalar(
        select(BudgetLine).where(BudgetLine.year == year, BudgetLine.label == label)
    )


def funding_line(year: int, organisation_id: int) -> Funding | None:
    """Return what an organisation paid in a year, if recorded."""
    return db.session.scalar(
        select(Funding).where(Funding.year == year, Funding.organisation_id == organisation_id)
    )


def organisation_by_name() -> dict[str, Organisation]:
    """Return the network's organisations by folded name (active or not: past funding)."""
    network = current_network()
    if network is None:
        return {}
    rows = db.session.scalars(select(Organisation).where(Organisation.network_id == network.id))
    return {fold(o.name): o for o in rows}


def suggested_labels() -> list[str]:
    """Return the names a line's label is usually taken from: members and organisations."""
    members = db.session.scalars(select(Member.name).order_by(Member.name).limit(MAX_LINES))
    network = current_network()
    names = list(members)
    if network is not None:
        names += db.session.scalars(
            select(Organisation.name).where(Organisation.network_id == network.id)
        )
    return sorted(set(names), key=fold)


def existing_years() -> list[int]:
    """Return the years that have means, newest first."""
    rows = db.session.scalars(
        select(StaffTime.year).union(select(BudgetLine.year), select(Funding.year))
    )
    return sorted(set(rows), reverse=True)


@dataclass
class YearLines:
    """The lines of one year, as the means page lists them."""

    staff: list[StaffTime] = field(default_factory=list)
    budget: list[BudgetLine] = field(default_factory=list)
    funding: list[tuple[Funding, str]] = field(default_factory=list)


def year_lines(year: int) -> YearLines:
    """Return every line of a year (three queries)."""
    staff = db.session.scalars(
        select(StaffTime).where(StaffTime.year == year).order_by(StaffTime.structure)
        .limit(MAX_LINES)
    )  # fmt: skip
    budget = db.session.scalars(
        select(BudgetLine).where(BudgetLine.year == year)
        .order_by(BudgetLine.kind.desc(), BudgetLine.label).limit(MAX_LINES)
    )  # fmt: skip
    funding = db.session.execute(
        select(Funding, Organisation.name).join(Organisation)
        .where(Funding.year == year).order_by(Organisation.name).limit(MAX_LINES)
    )  # fmt: skip
    return YearLines(list(staff), list(budget), [(f, name) for f, name in funding])


def figures_of_years(years: Iterable[int]) -> MeansFigures:
    """Return the staff time, budget lines and funding of the years (three grouped queries)."""
    wanted = list(years)
    staff = db.session.execute(
        select(StaffTime.year, StaffTime.structure, func.sum(StaffTime.fte))
        .where(StaffTime.year.in_(wanted))
        .group_by(StaffTime.year, StaffTime.structure)
    )
    budget = db.session.execute(
        select(BudgetLine.year, BudgetLine.label, BudgetLine.kind, func.sum(BudgetLine.amount))
        .where(BudgetLine.year.in_(wanted))
        .group_by(BudgetLine.year, BudgetLine.label, BudgetLine.kind)
    )
    funding = db.session.execute(
        select(Funding.year, Organisation.name, func.sum(Funding.amount))
        .join(Organisation, Organisation.id == Funding.organisation_id)
        .where(Funding.year.in_(wanted))
        .group_by(Funding.year, Organisation.name)
    )
    return MeansFigures(
        [(y, s, Decimal(v)) for y, s, v in staff],
        [(y, label, kind, Decimal(v)) for y, label, kind, v in budget],
        [(y, name, Decimal(v)) for y, name, v in funding],
    )


def period_means(start: date, end: date) -> dict[str, Any]:
    """Return the means of every calendar year the period start..end touches (3 queries)."""
    years = list(range(start.year, end.year + 1))
    return summarise(figures_of_years(years), years)
