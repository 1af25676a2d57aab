"""Read values typed by people: the one home of number, date and yes/no parsing.

Every reader of typed text (stage forms, the other forms' custom fields, every CSV import, the
observatory) calls `parse_integer`, `parse_decimal`, `parse_date` or `parse_boolean`, so a value
written one way is accepted, or refused, everywhere. The accepted inputs:

- whole numbers: ASCII digits with an optional sign; spaces (also no-break, narrow no-break and
  thin spaces), `_` and `'` may separate thousands: "1 234", "1\u202f234", "+850", "-3";
- decimals: the same, with one decimal comma or point: "1 234,5", "1234.5", ",5", "12.";
  at most 15 digits before it and 30 characters in all; no exponent ("1e3"), no "NaN", no
  "1,234.5" (a comma and a point); a unit may follow ("12,5 t", "30 €");
- dates: day/month/year "04/05/2013" (French order) or ISO "2013-05-04"; one-digit day and
  month allowed, four-digit year, ASCII digits, a real calendar day;
- yes/no: oui, non, yes, no, y, n, true, false, 1, 0, on, off (any case); blank is no.

A refusal raises `Unreadable`, whose `error` is a code with parameters (never a sentence): each
caller words it in its user's language. `parse_scalar` then reads one value for a form field.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from accompagnement.engine.definition import Field

DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 5000, "organisation": 200}
TRUE_WORDS = frozenset({"y", "yes", "oui", "true", "1", "on"})
FALSE_WORDS = frozenset({"n", "no", "non", "false", "0", "off", ""})
# What people type between thousands: spaces of every kind (\s includes no-break ones), _ and '.
SPACES = re.compile(r"[\s\u00a0\u202f\u2009_']+")
INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
NUMBER = re.compile(r"([+-]?)([0-9]*)(?:[.,]([0-9]*))?", re.ASCII)
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII)
FRENCH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
COMMUNE = re.compile(r"[0-9]{5}|2[AB][0-9]{3}", re.ASCII)
DEPARTEMENT = re.compile(r"[0-9]{2}|2[AB]|97[0-9]", re.ASCII)
MEMBER = re.compile(r"[0-9]{1,12}", re.ASCII)
MAX_DIGITS = 30
# The widest whole part of a number: 15 digits stay exact as a JSON number and a float.
MAX_WHOLE_DIGITS = 15


@dataclass(frozen=True)
class FieldError:
    """Why one value was refused: a code and its parameters (the web layer words it)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


Parsed = tuple[Any, FieldError | None]


def as_text(value: Any) -> str | None:
    """Return the text of a raw scalar value; None when absent or not a scalar."""
    if isinstance(value, list | tuple):
        texts = (as_text(item) for item in value if not isinstance(item, list | tuple))
        return next((t for t in texts if t is not None and t.strip()), None)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        try:
            return str(value)
        except ValueError:  # an int too long to print
            return None
    return None


def parse_scalar(spec: Field, text: str) -> Parsed:
    """Parse a non-empty text for a field of any type but group and multi_choice."""
    parser = PARSERS.get(spec.type, _parse_text)
    return parser(spec, text)


def _parse_text(spec: Field, text: str) -> Parsed:
    """Keep trimmed text (with Unix line ends) within the field's length."""
    value = text.strip().replace("\r\n", "\n")
    limit = spec.max_length or DEFAULT_MAX_LENGTH.get(spec.type, 200)
    if len(value) > limit:
        return None, FieldError("too_long", {"max": limit})
    return value, None


class Unreadable(ValueError):
    """A text that is not a value of the asked kind; `error` says why, as a code."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.code)
        self.error = error


def parse_integer(text: str) -> int:
    """Read a whole number ("1 234", "+850"); raise Unreadable otherwise."""
    compact = SPACES.sub("", text)
    if not INTEGER.fullmatch(compact):
        raise Unreadable(FieldError("not_an_integer"))
    if len(compact.lstrip("+-").lstrip("0")) > MAX_WHOLE_DIGITS:
        raise Unreadable(FieldError("too_large"))
    return int(compact)


def decimal_text(text: str, unit: str = "") -> str:
    """Read a decimal ("1 234,5", "12.5 t") as a normalised string; raise Unreadable otherwise."""
    compact = SPACES.sub("", text)
    if unit:
        compact = compact.removesuffix(unit)
    match = NUMBER.fullmatch(compact)
    if not match or not (match[2] or match[3]):
        raise Unreadable(FieldError("not_a_number"))
    if len(match[2].lstrip("0")) > MAX_WHOLE_DIGITS:
        raise Unreadable(FieldError("too_large"))
    if len(compact) > MAX_DIGITS:
        raise Unreadable(FieldError("not_a_number"))
    return normalise_number(match[1], match[2], match[3] or "")


def parse_decimal(text: str, unit: str = "") -> Decimal:
    """Read a decimal with a comma or a point, a unit allowed after it; raise Unreadable."""
    return Decimal(decimal_text(text, unit))


def parse_date(text: str) -> date:
    """Read DD/MM/YYYY or YYYY-MM-DD; raise Unreadable otherwise."""
    value = text.strip()
    if match := ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := FRENCH_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        raise Unreadable(FieldError("not_a_date"))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise Unreadable(FieldError("not_a_date")) from None


def parse_boolean(text: str) -> bool:
    """Read yes/no words in French or English (blank is no); raise Unreadable otherwise."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Unreadable(FieldError("invalid_choice", {"value": text.strip()[:50]}))


def _parse_integer(spec: Field, text: str) -> Parsed:
    """Parse a whole number within the field's bounds."""
    try:
        value = parse_integer(text)
    except Unreadable as refused:
        return None, refused.error
    return value, _bounds_error(spec, Decimal(value))


def _parse_decimal(spec: Field, text: str) -> Parsed:
    """Parse a number with a dot or a French comma; return it as a normalised string."""
    try:
        value = decimal_text(text, "€" if spec.type == "money" else "")
    except Unreadable as refused:
        return None, refused.error
    return value, _bounds_error(spec, Decimal(value))


def normalise_number(sign: str, whole: str, fraction: str) -> str:
    """Write a number without useless zeros: ("+", "01280", "50") -> "1280.5"."""
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    text = f"{whole}.{fraction}" if fraction else whole
    return f"-{text}" if sign == "-" and text != "0" else text


def _bounds_error(spec: Field, value: Decimal) -> FieldError | None:
    """Check a number against the field's min and max."""
    if spec.min is not None and value < spec.min:
        return FieldError("below_min", {"min": bound_param(spec.min)})
    if spec.max is not None and value > spec.max:
        return FieldError("above_max", {"max": bound_param(spec.max)})
    return None


def bound_param(bound: Decimal) -> int | str:
    """Show a bound as an int when whole, else as a normalised decimal string."""
    if bound == bound.to_integral_value():
        return int(bound)
    return format(bound.normalize(), "f")


def _parse_date(spec: Field, text: str) -> Parsed:
    """Parse a date into its ISO string."""
    try:
        return parse_date(text).isoformat(), None
    except Unreadable as refused:
        return None, refused.error


def _parse_boolean(spec: Field, text: str) -> Parsed:
    """Read yes/no words in English or French."""
    try:
        return parse_boolean(text), None
    except Unreadable as refused:
        return None, refused.error


def _parse_choice(spec: Field, text: str) -> Parsed:
    """Accept one of the field's choice keys."""
    key = text.strip()
    if spec.choice(key) is None:
        return None, FieldError("invalid_choice", {"value": key[:50]})
    return key, None


def _parse_departement(spec: Field, text: str) -> Parsed:
    """Accept one of the choices given at run time, else any département code (19, 2A, 974)."""
    code = text.strip().upper()
    if spec.choices is not None:
        return _parse_choice(spec, code)
    if not DEPARTEMENT.fullmatch(code):
        return None, FieldError("invalid_choice", {"value": code[:50]})
    return code, None


def _parse_commune(spec: Field, text: str) -> Parsed:
    """Accept an INSEE commune code: five digits, or 2A/2B and three digits (Corsica)."""
    code = text.strip().upper()
    if not COMMUNE.fullmatch(code):
        return None, FieldError("invalid_commune")
    return code, None


def _parse_member(spec: Field, text: str) -> Parsed:
    """Accept a member ressourcerie id: a positive whole number."""
    value = text.strip()
    if not MEMBER.fullmatch(value) or int(value) < 1:
        return None, FieldError("invalid_member")
    return int(value), None


PARSERS: dict[str, Callable[[Field, str], Parsed]] = {
    "text": _parse_text,
    "long_text": _parse_text,
    "integer": _parse_integer,
    "decimal": _parse_decimal,
    "money": _parse_decimal,
    "date": _parse_date,
    "boolean": _parse_boolean,
    "choice": _parse_choice,
    "commune": _parse_commune,
    "member": _parse_member,
    "departement": _parse_departement,
    "organisation": _parse_text,  # a name: one of the network's organisations, or free text
}
