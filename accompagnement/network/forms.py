"""Forms of the network settings page (coordinators)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from accompagnement.formfields import BoundedIntegerField, CheckboxListField
from accompagnement.network.models import (
    KIND_LABELS,
    PLAN_MAX,
    TYPE_LABELS,
    ActivityType,
    OrganisationKind,
)


class SettingsForm(FlaskForm):
    """Name, départements, default pathway and report texts of the network."""

    name = StringField(_l("Name of the network"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(
        _l("Short name"),
        description=_l("Lower-case letters, digits and hyphens, e.g. limousin."),
        validators=[DataRequired(), Length(max=40)],
    )
    departements = CheckboxListField(
        _l("Départements of the network"), validators=[Optional()], validate_choice=False
    )
    default_workflow = SelectField(
        _l("Default pathway of new projects"),
        description=_l("None: the pathway whose file says default: true."),
        validators=[Optional()],
    )
    report_title = StringField(
        _l("Title of the steering committee report"),
        description=_l("Empty: the usual title."),
        validators=[Optional(), Length(max=200)],
    )
    report_intro = TextAreaField(
        _l("Introduction of the report"), validators=[Optional(), Length(max=5000)]
    )
    report_footer = TextAreaField(
        _l("Closing text of the report"), validators=[Optional(), Length(max=5000)]
    )

    def set_choices(
        self, departements: Sequence[tuple[str, str]], workflows: Sequence[tuple[str, str]]
    ) -> None:
        """Fill the choices that come from the database and the workflow files (key, label)."""
        self.departements.choices = [SelectChoice(code, label) for code, label in departements]
        self.default_workflow.choices = [
            SelectChoice("", _l("None")),
            *[SelectChoice(name, workflow_label) for name, workflow_label in workflows],
        ]


def plan_field_name(activity_type: str) -> str:
    """Return the name of the plan field of an activity type."""
    return f"plan_{activity_type}"


class PlanForm(FlaskForm):
    """How many activities of each type the network plans a year."""


for _type in ActivityType:
    setattr(
        PlanForm,
        plan_field_name(_type.value),
        BoundedIntegerField(
            TYPE_LABELS[_type], minimum=0, maximum=PLAN_MAX, validators=[Optional()]
        ),
    )


def kind_choices() -> list[SelectChoice]:
    """Return the kinds of organisation with translated labels."""
    return [SelectChoice(kind.value, KIND_LABELS[kind.value]) for kind in OrganisationKind]


class OrganisationForm(FlaskForm):
    """A partner organisation of the network."""

    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    departement = SelectField(
        _l("Département"),
        description=_l("Only for a local organisation."),
        validators=[Optional()],
    )
    active = BooleanField(
        _l("Active (listed on reports, chosen for partner accounts)"), default=True
    )

    def set_choices(self, departements: Sequence[tuple[str, str]]) -> None:
        """Fill the kinds and the départements."""
        self.kind.choices = kind_choices()
        self.departement.choices = [
            SelectChoice("", _l("None")),
            *[SelectChoice(code, label) for code, label in departements],
        ]
