"""The period of a report: read from a form, a URL or the command line, with clear refusals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _

from accompagnement.engine.values import Unreadable, parse_date
from accompagnement.errors import InvalidInput

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def last_full_year(today: date | None = None) -> tuple[date, date]:
    """Return the first and last days of the last full calendar year."""
    year = (today or date.today()).year - 1
    return date(year, 1, 1), date(year, 12, 31)


def parse_day(text: str | None) -> date | None:
    """Read a date written YYYY-MM-DD (or DD/MM/YYYY); None when it is not a plausible date."""
    raw = (text or "").strip()
    if len(raw) > 10:
        return None
    try:
        day = parse_date(raw)
    except Unreadable:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def parse_period(start_text: str | None, end_text: str | None) -> tuple[date, date]:
    """Return (start, end) from text, or raise InvalidInput with a message per field."""
    start, end = parse_day(start_text), parse_day(end_text)
    errors: dict[str, str] = {}
    for key, text, day in (("from", start_text, start), ("to", end_text, end)):
        if not (text or "").strip():
            errors[key] = _("Enter a date.")
        elif day is None:
            errors[key] = _("Enter a date as YYYY-MM-DD, between 2000 and 2100.")
    if start and end and start > end:
        errors["to"] = _("The end date must be on or after the start date.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)
    assert start is not None and end is not None
    return start, end


def period_from_args(args: Mapping[str, str]) -> tuple[date, date]:
    """Return the period of ?from=&to=, the last full year when neither is given."""
    if not args.get("from") and not args.get("to"):
        return last_full_year()
    return parse_period(args.get("from"), args.get("to"))
