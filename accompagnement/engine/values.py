"""Parse one raw value (a string from HTML, CSV or the CLI) into a JSON-able value."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from accompagnement.engine.definition import Field

DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 5000}
TRUE_WORDS = frozenset({"y", "yes", "oui", "true", "1", "on"})
FALSE_WORDS = frozenset({"n", "no", "non", "false", "0", "off", ""})
SPACES = re.compile(r"[\s\u00a0\u202f\u2009_]+")
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


def _parse_integer(spec: Field, text: str) -> Parsed:
    """Parse a whole number, allowing spaces as thousands separators."""
    compact = SPACES.sub("", text)
    if not INTEGER.fullmatch(compact):
        return None, FieldError("not_an_integer")
    if len(compact.lstrip("+-").lstrip("0")) > MAX_WHOLE_DIGITS:
        return None, FieldError("too_large")
    value = int(compact)
    return value, _bounds_error(spec, Decimal(value))


def _parse_decimal(spec: Field, text: str) -> Parsed:
    """Parse a number with a dot or a French comma; return it as a normalised string."""
    compact = SPACES.sub("", text)
    if spec.type == "money":
        compact = compact.removesuffix("€")
    match = NUMBER.fullmatch(compact)
    if not match or not (match[2] or match[3]):
        return None, FieldError("not_a_number")
    if len(match[2].lstrip("0")) > MAX_WHOLE_DIGITS:
        return None, FieldError("too_large")
    if len(compact) > MAX_DIGITS:
        return None, FieldError("not_a_number")
    value = normalise_number(match[1], match[2], match[3] or "")
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
    """Parse YYYY-MM-DD or DD/MM/YYYY into an ISO date string."""
    value = text.strip()
    if match := ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := FRENCH_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        return None, FieldError("not_a_date")
    try:
        return date(int(year), int(month), int(day)).isoformat(), None
    except ValueError:
        return None, FieldError("not_a_date")


def _parse_boolean(spec: Field, text: str) -> Parsed:
    """Read yes/no words in English or French."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return None, FieldError("invalid_choice", {"value": text.strip()[:50]})


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
}
