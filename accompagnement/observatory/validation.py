"""Read and check the figures of a report: the same rules for the web form and the CSV import.

Values arrive as text typed by people ("1 234,5", "12.5 t", ""). A blank is "not known". Every
error is keyed by the indicator (or by the group for rules across several figures) and is a
sentence in the current language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from accompagnement.engine.values import Unreadable, parse_decimal, parse_integer
from accompagnement.observatory.indicators import (
    BY_KEY,
    FLOWS,
    MODES,
    OUTGOING,
    Indicator,
    sum_of,
    total_collected,
)
from accompagnement.observatory.models import FIRST_YEAR

# Tolerance between the total by collection mode and the total by flow (rounding of each line).
TOLERANCE = Decimal("0.1")


class BadNumber(ValueError):
    """A cell that is not a number of the expected kind; the message is for a person."""


def parse_number(text: Any, indicator: Indicator) -> Decimal | int | None:
    """Turn typed text into a number of the indicator's kind; None for a blank."""
    if text is None:
        return None
    if isinstance(text, int | Decimal) and not isinstance(text, bool):
        text = str(text)
    raw = str(text)
    if not raw.strip():
        return None
    try:  # the engine's reading of a number: the one accepted by every form and import
        number = parse_decimal(raw, indicator.unit)
    except Unreadable:
        if "," in raw and "." in raw:
            message = _("Write the number without thousands separators, e.g. 1234.5.")
            raise BadNumber(message) from None
        raise BadNumber(_example(indicator)) from None
    return _of_kind(number, indicator)


def _example(indicator: Indicator) -> str:
    if indicator.places == 0:
        return _("Enter a whole number, e.g. 12.")
    return _("Enter a number, e.g. 12.5.")


def _of_kind(number: Decimal, indicator: Indicator) -> Decimal | int:
    if number < 0:
        raise BadNumber(_("Must be zero or more."))
    if number > indicator.maximum and indicator.kind == "percent":
        raise BadNumber(_("A percentage cannot be more than 100."))
    if number > indicator.maximum:
        raise BadNumber(_("Must be at most %(max)s.", max=format_decimal(indicator.maximum)))
    if indicator.places == 0:
        if number != number.to_integral_value():
            raise BadNumber(_("Enter a whole number, e.g. 12."))
        return int(number)
    if -number.normalize().as_tuple().exponent > indicator.places:  # type: ignore[operator]
        if indicator.places == 1:
            raise BadNumber(_("Use at most one decimal, e.g. 12.5."))
        raise BadNumber(_("Use at most two decimals, e.g. 12.25."))
    return number.quantize(Decimal(1).scaleb(-indicator.places))


def parse_values(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse every indicator present in `raw`; return (values, errors by key)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, text in raw.items():
        if key not in BY_KEY:
            continue
        try:
            values[key] = parse_number(text, BY_KEY[key])
        except BadNumber as exc:
            errors[key] = str(exc)
    return values, errors


def parse_year(text: Any, today: date | None = None) -> int:
    """Read a report year; refuse a missing one, one before 2000 or one in the future."""
    today = today or date.today()
    raw = str(text if text is not None else "")
    if not raw.strip():
        raise BadNumber(_("The year is missing."))
    try:
        year = parse_integer(raw)
    except Unreadable:
        year = -1
    if year < 0 or raw.strip().startswith(("+", "-")):
        raise BadNumber(_("Enter the year with four digits, e.g. %(year)s.", year=today.year - 1))
    if year < FIRST_YEAR or year > today.year:
        raise BadNumber(
            _("The year must be between %(first)s and %(last)s.", first=FIRST_YEAR, last=today.year)
        )
    return year


def check_rules(values: Mapping[str, Any]) -> dict[str, str]:
    """Check the rules across figures of a parsed report; return errors by key or group."""
    errors: dict[str, str] = {}
    by_mode, by_flow = sum_of(values, MODES), sum_of(values, FLOWS)
    if by_mode is not None and by_flow is not None and abs(by_mode - by_flow) > TOLERANCE:
        errors["flows"] = _(
            "The total by flow (%(flows)s t) differs from the total by collection mode "
            "(%(modes)s t).",
            flows=format_decimal(by_flow),
            modes=format_decimal(by_mode),
        )
    collected, going_out = total_collected(values), sum_of(values, OUTGOING)
    if going_out is not None and collected is not None and going_out > collected:
        errors["outgoing"] = _(
            "The tonnes going out (%(out)s t) are more than the tonnes collected "
            "(%(collected)s t).",
            out=format_decimal(going_out),
            collected=format_decimal(collected),
        )
    fte, headcount = values.get("fte"), values.get("headcount")
    if fte is not None and headcount is not None and fte > headcount:
        errors["fte"] = _(
            "The FTE (%(fte)s) cannot be more than the headcount (%(headcount)s).",
            fte=format_decimal(fte),
            headcount=format_decimal(headcount),
        )
    return errors


def clean(raw: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Parse `raw` over `base` (current values) and check every rule; raise BadReport if wrong."""
    values, errors = parse_values(raw)
    merged = {**(base or {}), **values}
    if not errors:
        errors = check_rules(merged)
    if errors:
        raise BadReport(errors)
    return merged


class BadReport(ValueError):
    """The figures of a report break one or more rules; `errors` maps key or group to message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)
