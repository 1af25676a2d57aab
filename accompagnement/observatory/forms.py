"""Forms of the observatory: a member's yearly report, and the CSV upload.

Figures are text fields read by `observatory.validation` (the same reader as the CSV import),
so "1 234,5" and "1234.5" are both understood and every rule lives in one place.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from accompagnement.observatory.indicators import INDICATORS, Indicator

# Tonnes are explained once per group (the legend and a note), not under every box.
HELP = {
    "tonnes": None,
    "euros": _l("In euros, e.g. 12500."),
    "fte": _l("Up to two decimals, e.g. 3.75."),
    "percent": _l("Percentage, from 0 to 100."),
    "count": None,
}


def _field(indicator: Indicator) -> StringField:
    return StringField(
        indicator.label,
        description=HELP[indicator.kind] or "",
        render_kw={
            "inputmode": "numeric" if indicator.places == 0 else "decimal",
            "autocomplete": "off",
            "maxlength": 30,
        },
    )


class ReportForm(FlaskForm):
    """Every indicator of a yearly report, plus the revision it was opened on."""

    revision = HiddenField()


for _indicator in INDICATORS:
    setattr(ReportForm, _indicator.key, _field(_indicator))


def shown(value: Any, language: str) -> str:
    """Write a stored figure the way a person types it (decimal comma in French)."""
    if value is None:
        return ""
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",") if language == "fr" else text


def fill(form: ReportForm, values: dict[str, Any], revision: int, language: str) -> None:
    """Put stored figures and their revision into the form."""
    for indicator in INDICATORS:
        form[indicator.key].data = shown(values.get(indicator.key), language)
    form.revision.data = str(revision)


def base_revision(form: ReportForm) -> int:
    """Return the revision the form was opened on (0 for a new report)."""
    raw = (form.revision.data or "0").strip()
    return int(raw) if raw.isdecimal() and len(raw) < 10 else -1
