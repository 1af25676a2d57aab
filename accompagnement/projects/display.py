"""Stored form values as text, in the reader's language: the rows of a saved stage form.

Nothing here queries the database: the names that values refer to come in `Names`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from accompagnement import engine


@dataclass
class Names:
    """Names of the communes and member ressourceries that form values refer to."""

    communes: Mapping[str, str] = field(default_factory=dict)
    members: Mapping[str, str] = field(default_factory=dict)
    departements: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Row:
    """A field of a saved form, ready to show: a text, or the rows of each group item."""

    label: Any
    text: str = ""
    items: list[list[Row]] | None = None


def form_rows(
    fields: Sequence[engine.Field], data: Mapping[str, Any], names: Names, locale: str
) -> list[Row]:
    """Describe saved form data field by field, in the order of the definition."""
    rows = []
    for spec in fields:
        value = data.get(spec.key)
        if spec.type != "group":
            rows.append(Row(spec.label, display_value(spec, value, names, locale)))
            continue
        items = [i for i in value if isinstance(i, Mapping)] if isinstance(value, list) else []
        subs = list(spec.fields or ())
        rows.append(Row(spec.label, items=[form_rows(subs, i, names, locale) for i in items]))
    return rows


def display_value(spec: engine.Field, value: Any, names: Names, locale: str) -> str:
    """Return a stored value as text in the current language (empty when absent)."""
    if value is None or value == "" or value == []:
        return ""
    kind = spec.type
    if kind == "boolean":
        return _("Yes") if value else _("No")
    if kind == "choice":
        return _choice_label(spec, value, locale)
    if kind == "multi_choice" and isinstance(value, list):
        return ", ".join(_choice_label(spec, v, locale) for v in value)
    if kind == "date":
        return _date_text(value)
    if kind in ("integer", "decimal", "money"):
        return _number_text(spec, value, locale)
    if kind == "commune":
        name = names.communes.get(str(value))
        return f"{name} ({value})" if name else str(value)
    if kind == "departement":
        name = names.departements.get(str(value))
        return f"{name} ({value})" if name else str(value)
    if kind == "member":
        return names.members.get(str(value)) or _("Member #%(id)s", id=value)
    return str(value)


def _choice_label(spec: engine.Field, key: Any, locale: str) -> str:
    choice = spec.choice(str(key))
    return choice.label.get(locale) if choice else str(key)


def _date_text(value: Any) -> str:
    try:
        return format_date(date.fromisoformat(str(value)), "medium")
    except ValueError:
        return str(value)


def _number_text(spec: engine.Field, value: Any, locale: str) -> str:
    try:
        text = format_decimal(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    if spec.type == "money":
        return f"{text} €"
    return f"{text} {spec.unit.get(locale)}" if spec.unit else text


def used_types(definition: engine.Form | None) -> set[str]:
    """Return the field types a form uses, including inside groups."""
    found: set[str] = set()
    for spec in definition.fields if definition else ():
        found.add(spec.type)
        found.update(sub.type for sub in spec.fields or ())
    return found
