"""Enter the coordination's means: add or change a line of a year, delete one (flush only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from accompagnement.audit.services import record
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.means import queries
from accompagnement.means.models import BudgetLine, Funding, StaffTime
from accompagnement.means.validation import (
    COST_KIND_OF,
    FUNDING,
    LINE_KIND_OF_COST,
    STAFF_TIME,
    MeansLine,
)
from accompagnement.network.models import Organisation

Outcome = Literal["created", "updated", "unchanged"]
Row = StaffTime | BudgetLine | Funding
MODELS: dict[str, type[Row]] = {"staff": StaffTime, "budget": BudgetLine, "funding": Funding}


def save_line(line: MeansLine, *, user_id: int | None) -> Outcome:
    """Add a line of a year, or change the figure (and kind) of the line of the same label."""
    row, outcome = _find_or_add(line)
    if outcome == "unchanged":
        return outcome
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # the same line was added meanwhile
        message = _("The means changed meanwhile: try again.")
        raise InvalidInput(message, {"label": message}) from exc
    record(f"means.{outcome}", user_id=user_id, year=line.year, kind=line.kind, label=line.label,
           value=str(line.value))  # fmt: skip
    return outcome


def _find_or_add(line: MeansLine) -> tuple[Row, Outcome]:
    if line.kind == STAFF_TIME:
        staff = queries.staff_line(line.year, line.label)
        return _set(staff, StaffTime(year=line.year, structure=line.label), fte=line.value)
    if line.kind == FUNDING:
        organisation = _funder(line.label)
        funding = queries.funding_line(line.year, organisation.id)
        new = Funding(year=line.year, organisation_id=organisation.id)
        return _set(funding, new, amount=line.value)
    budget = queries.budget_line(line.year, line.label)
    new_line = BudgetLine(year=line.year, label=line.label)
    return _set(budget, new_line, amount=line.value, kind=COST_KIND_OF[line.kind])


def _set(row: Row | None, new: Row, **values: Decimal | str) -> tuple[Row, Outcome]:
    """Give a found row (else the new one) its values; say whether anything changed."""
    if row is not None and all(getattr(row, k) == v for k, v in values.items()):
        return row, "unchanged"
    target = row if row is not None else new
    for name, value in values.items():
        setattr(target, name, value)
    if row is None:
        db.session.add(new)
    return target, "created" if row is None else "updated"


def _funder(name: str) -> Organisation:
    """Return the network's organisation of this name (case and accents aside), or refuse."""
    organisation = queries.organisation_by_name().get(queries.fold(name))
    if organisation is None:
        message = _(
            "unknown funder %(name)r: add it to the network's partner organisations first",
            name=name[:80],
        )
        raise InvalidInput(message, {"label": message})
    return organisation


def delete_line(table: str, line_id: int, *, user_id: int | None) -> MeansLine:
    """Delete a line of means (table: staff, budget or funding); return what it was."""
    model = MODELS.get(table)
    row: Row | None = db.session.get(model, line_id) if model else None  # type: ignore[assignment]
    if row is None:
        raise NotFound("No such line of means")
    gone = describe(row)
    db.session.delete(row)
    db.session.flush()
    record("means.deleted", user_id=user_id, year=gone.year, kind=gone.kind, label=gone.label)
    return gone


def describe(row: Row) -> MeansLine:
    """Return a stored row as a line of means."""
    if isinstance(row, StaffTime):
        return MeansLine(row.year, STAFF_TIME, row.structure, row.fte)
    if isinstance(row, Funding):
        return MeansLine(row.year, FUNDING, row.organisation.name, row.amount)
    return MeansLine(row.year, LINE_KIND_OF_COST[row.kind], row.label, row.amount)
