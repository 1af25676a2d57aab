"""The form of an exchange, and the period of the time page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from accompagnement.formfields import BoundedIntegerField
from accompagnement.meetings.models import MAX_MINUTES

KIND_LABELS = {
    "meeting": _l("Meeting"),
    "phone": _l("Phone call"),
    "site_visit": _l("Visit on site"),
    "workshop": _l("Workshop"),
    "email": _l("E-mail"),
}


class ExchangeForm(FlaskForm):
    """An exchange with a project: held, or planned when its date is ahead."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    time = TimeField(_l("Time (optional)"), validators=[Optional()])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(key, label) for key, label in KIND_LABELS.items()],
        validators=[InputRequired()],
    )
    minutes = BoundedIntegerField(
        _l("Duration in minutes"),
        minimum=0,
        maximum=MAX_MINUTES,
        validators=[InputRequired()],
        description=_l("The coordination's time, e.g. 90 for an hour and a half."),
    )
    participants = StringField(_l("Who took part"), validators=[Length(max=500)])
    notes = TextAreaField(
        _l("Notes"),
        validators=[Length(max=10000)],
        description=_l("For the coordination: holders and partners do not see them."),
    )
    next_steps = TextAreaField(_l("Next steps"), validators=[Length(max=5000)])
    revision = HiddenField()
