"""Form fields shared by every WTForms form, and the checkbox list several forms use.

`BoundedIntegerField` is the only integer field forms use (a test walks the forms): it reads
a whole number as every form and import does (`engine.values.parse_integer`: ASCII digits,
spaces between thousands) and refuses a number outside its bounds with a message, before any
validator runs. WTForms' own IntegerField accepts any length, and its NumberRange then calls
math.isnan() on the int: 400 nines raised OverflowError, a 500.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import IntegerField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from accompagnement.engine.values import Unreadable, parse_integer


class BoundedIntegerField(IntegerField):
    """A whole number between `minimum` and `maximum`, both required."""

    def __init__(self, label: Any = None, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        render_kw = {"min": minimum, "max": maximum, "inputmode": "numeric"}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, render_kw=render_kw, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the typed text; refuse anything but a whole number within the bounds."""
        if not valuelist:
            return
        text = str(valuelist[0]).strip()
        if text == "":
            self.data = None
            return
        self.data = None
        try:
            value: int | None = parse_integer(text)
        except Unreadable as refused:
            if refused.error.code != "too_large":
                raise ValueError(_("Enter a whole number, e.g. 12.")) from None
            value = None
        if value is None or not self.minimum <= value <= self.maximum:
            raise ValueError(
                _("Enter a number between %(min)s and %(max)s.", min=self.minimum, max=self.maximum)
            )
        self.data = value


class CheckboxListField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
