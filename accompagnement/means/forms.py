"""Forms of the means page: add or change a line of a year, delete one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from accompagnement.means.validation import LABEL_MAX, LINE_KIND_LABELS


class LineForm(FlaskForm):
    """One line of means: its kind, its label and its figure (the year is the page's)."""

    kind = SelectField(
        _l("Kind of line"),
        choices=[SelectChoice(k, v) for k, v in LINE_KIND_LABELS.items()],  # type: ignore[arg-type]
        validators=[InputRequired()],
    )
    label = StringField(
        _l("Structure, budget line or funder"),
        description=_l(
            "Staff time: the structure that gives it. Costs: the budget line. "
            "Funding: one of the network's partner organisations. "
            "A line with the same kind and label is changed, not added twice."
        ),
        validators=[InputRequired(), Length(max=LABEL_MAX)],
    )
    value = StringField(
        _l("Figure"),
        description=_l("FTE for staff time (e.g. 0,4), euros for costs and funding."),
        validators=[InputRequired(), Length(max=30)],
    )


class DeleteForm(FlaskForm):
    """Delete a line (the CSRF token is the whole form)."""
