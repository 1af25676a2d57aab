"""Forms of the waste syndicate pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class NameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


def _epci(value: str | int | None) -> int | None:
    return int(value) if value not in (None, "") else None


class CommunesForm(FlaskForm):
    codes = TextAreaField(
        _l("INSEE codes of the communes served"),
        description=_l("Separated by spaces, commas or lines. The list replaces the current one."),
        validators=[Optional(), Length(max=60000)],
    )
    epci = SelectField(
        _l("Add every commune of an intercommunality"),
        coerce=_epci,
        validators=[Optional()],
        validate_choice=False,
    )
