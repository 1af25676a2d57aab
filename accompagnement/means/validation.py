"""The checks of one line of means (form or CSV row): plain strings in, a clean line or messages.

A line is one of four kinds: the staff time a structure gives (FTE), a budget line of staff
costs or of other costs (€), or the funding a partner organisation paid (€). Its label names the
structure, the budget line or the funder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accompagnement.engine.values import Unreadable, parse_decimal, parse_integer
from accompagnement.means.models import FIRST_YEAR, MAX_AMOUNT, MAX_FTE, CostKind
from accompagnement.textsafe import strip_invisible

STAFF_TIME = "staff_time"
STAFF_COSTS = "staff_costs"
OTHER_COSTS = "other_costs"
FUNDING = "funding"
LINE_KINDS = (STAFF_TIME, STAFF_COSTS, OTHER_COSTS, FUNDING)
COST_KIND_OF = {STAFF_COSTS: CostKind.STAFF.value, OTHER_COSTS: CostKind.OTHER.value}
LINE_KIND_OF_COST = {cost: line for line, cost in COST_KIND_OF.items()}
LINE_KIND_LABELS = {
    STAFF_TIME: _l("Staff time (FTE)"),
    STAFF_COSTS: _l("Staff costs (€)"),
    OTHER_COSTS: _l("Other costs (€)"),
    FUNDING: _l("Funding received (€)"),
}
LABEL_MAX = 200
YEARS_AHEAD = 1  # next year's budget may be entered


@dataclass(frozen=True)
class MeansLine:
    """A checked line: its year, kind (LINE_KINDS), label and figure (FTE or euros)."""

    year: int
    kind: str
    label: str
    value: Decimal


def last_year() -> int:
    """Return the last year a line may be entered for."""
    return date.today().year + YEARS_AHEAD


def check_year(text: str) -> tuple[int | None, str | None]:
    """Read a year from FIRST_YEAR to next year."""
    try:
        year = parse_integer(text)
    except Unreadable:
        return None, _("%(value)r is not a year", value=text[:20])
    if not FIRST_YEAR <= year <= last_year():
        return None, _(
            "the year must be from %(first)s to %(last)s", first=FIRST_YEAR, last=last_year()
        )
    return year, None


def check_line(
    year: str, kind: str, label: str, value: str
) -> tuple[MeansLine | None, dict[str, str]]:
    """Check the four values of a line; return the clean line, or messages by field."""
    errors: dict[str, str] = {}
    clean_year, problem = check_year(year)
    if problem:
        errors["year"] = problem
    if kind not in LINE_KINDS:
        errors["kind"] = _("unknown kind of line %(value)r", value=kind[:40])
    clean_label = strip_invisible(label).strip()
    if not clean_label:
        errors["label"] = _("the label is required")
    elif len(clean_label) > LABEL_MAX:
        errors["label"] = _("the label has more than %(max)s characters", max=LABEL_MAX)
    figure, problem = _figure(kind, value)
    if problem:
        errors["value"] = problem
    if errors or clean_year is None or figure is None:
        return None, errors
    return MeansLine(clean_year, kind, clean_label, figure), {}


def _figure(kind: str, text: str) -> tuple[Decimal | None, str | None]:
    """Read an FTE (more than 0, two decimals) or an amount in euros (0 or more, cents)."""
    if not text.strip():
        return None, _("the figure is required")
    try:
        figure = parse_decimal(text, "€" if kind != STAFF_TIME else "")
    except Unreadable:
        return None, _("%(value)r is not a number", value=text[:20])
    if figure != round(figure, 2):
        return None, _("at most two decimals")
    if kind == STAFF_TIME and not Decimal(0) < figure <= MAX_FTE:
        return None, _("an FTE is more than 0 and at most %(max)s", max=MAX_FTE)
    if kind != STAFF_TIME and not Decimal(0) <= figure <= MAX_AMOUNT:
        return None, _("an amount is 0 or more, and less than ten billion euros")
    return figure, None
