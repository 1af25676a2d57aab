"""Forms of the activity log pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    DateField,
    Form,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import Select, html_params

from accompagnement.activities.models import STATUS_LABELS, VISITOR_LABELS, ActivityStatus
from accompagnement.activities.services import PARTICIPANTS_MAX
from accompagnement.formfields import BoundedIntegerField, CheckboxListField
from accompagnement.network.models import TYPE_LABELS


class ManyOptions(Select):
    """A select of hundreds of options (every ressourcerie) written with one escape each.

    The same HTML as WTForms' select; its generic option rendering took a fifth of the activity
    log's time at national scale (300 members).
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        choices = field.choices or []
        if self.multiple or not all(_plain(choice) for choice in choices):
            return super().__call__(field, **kwargs)  # type: ignore[no-any-return]
        kwargs.setdefault("id", field.id)
        for name in dir(field.flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(field.flags, name)
        # One pass over the choices (WTForms normalises them twice more, per option).
        options = "".join(
            f"<option{' selected' if field.coerce(c.value) == field.data else ''} "
            f'value="{escape(c.value)}">{escape(c.label or c.value)}</option>'
            for c in choices
        )
        select = html_params(name=field.name, **kwargs)
        return Markup(f"<select {select}>{options}</select>")  # noqa: S704  # markup-reviewed: escaped values and labels

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs: Any) -> Markup:
        if choice.render_kw or kwargs or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)  # type: ignore[no-any-return]
        start = "<option selected" if choice.selected else "<option"
        label = escape(choice.label or choice.value)  # escaped once each, joined as plain text
        option = f'{start} value="{escape(choice.value)}">{label}</option>'
        return Markup(option)  # noqa: S704  # markup-reviewed: escaped value and label


def _plain(choice: object) -> bool:
    """Say whether a choice is a bare value and label (no attributes, no group)."""
    return (
        isinstance(choice, SelectChoice)
        and isinstance(choice.value, str)
        and not choice.render_kw
        and choice.optgroup is None
    )


def type_choices(blank: object | None = None) -> list[SelectChoice]:
    """Return the activity types as select choices, optionally after a blank one."""
    choices = [SelectChoice(key.value, label) for key, label in TYPE_LABELS.items()]
    return ([SelectChoice("", blank)] if blank is not None else []) + choices  # type: ignore[arg-type]


class ActivityForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired()])
    end_date = DateField(
        _l("End date"),
        validators=[Optional()],
        description=_l("Only for an activity over several days."),
    )
    type = SelectField(_l("Type of activity"), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    members = CheckboxListField(_l("Ressourceries involved"), coerce=int)
    visitor = SelectField(
        _l("Visitor"),
        description=_l("For a visit only: who visited the ressourcerie."),
        default="",
        choices=[SelectChoice("", _l("Not a visit"))]  # type: ignore[arg-type]
        + [SelectChoice(k.value, v) for k, v in VISITOR_LABELS.items()],  # type: ignore[arg-type]
    )
    partner = StringField(_l("Partner or local authority"), validators=[Length(max=200)])
    participants = BoundedIntegerField(
        _l("Number of participants"),
        minimum=0,
        maximum=PARTICIPANTS_MAX,
        validators=[Optional()],
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)])
    status = RadioField(
        _l("Status"),
        choices=[SelectChoice(k.value, v) for k, v in STATUS_LABELS.items()],  # type: ignore[arg-type]
        default=ActivityStatus.DONE.value,
        description=_l("Planned: it is still to come. Done: it took place."),
    )

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.type.choices = type_choices()
        self.members.choices = [SelectChoice(i, name) for i, name in members]  # type: ignore[arg-type]


class FilterForm(Form):
    """The filters of the activity list (a GET form: no CSRF token needed)."""

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    type = SelectField(_l("Type"), validators=[Optional()])
    member = SelectField(_l("Ressourcerie"), validators=[Optional()], widget=ManyOptions())

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.type.choices = type_choices(blank=_l("All types"))
        self.member.choices = [SelectChoice("", _l("All ressourceries"))] + [  # type: ignore[arg-type]
            SelectChoice(str(i), name) for i, name in members
        ]


class PlanYearForm(FlaskForm):
    year = BoundedIntegerField(_l("Year"), minimum=2000, maximum=2100, validators=[InputRequired()])


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (delete, mark as done, new token)."""
