"""Forms of the public door and of the coordinators' decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from accompagnement.territory.forms import COMMUNE_HELP, CommuneField

HOLDER_TYPE_LABELS = {
    "association": _l("An association or a group of citizens"),
    "collectivite": _l("A local authority"),
    "individual": _l("A person on their own"),
    "company": _l("A company or a social enterprise"),
    "other": _l("Other"),
}


class RequestForm(FlaskForm):
    """What a person tells the network about their project (public, no account)."""

    project_name = StringField(
        _l("Name of the project"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("A working name is enough, e.g. «Ressourcerie du plateau»."),
    )
    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Your e-mail address"),
        validators=[DataRequired(), Email(), Length(max=320)],
        description=_l("We send you a link to confirm it before your request reaches us."),
    )
    phone = TelField(_l("Phone (optional)"), validators=[Optional(), Length(max=40)])
    commune = CommuneField(_l("Commune of the project"), description=COMMUNE_HELP)
    holder_type = SelectField(
        _l("Who carries the project?"),
        choices=[SelectChoice(key, label) for key, label in HOLDER_TYPE_LABELS.items()],
        validators=[DataRequired()],
    )
    description = TextAreaField(
        _l("Your project in a few lines"),
        validators=[DataRequired(), Length(max=3000)],
        description=_l("Where you are, what you need, who is with you (3 000 characters at most)."),
    )
    # Left empty by people (hidden from them); robots that fill every field fill it.
    website = StringField(_l("Leave this field empty"), validators=[Optional(), Length(max=200)])
    started = HiddenField()


class AcceptForm(FlaskForm):
    """The project a coordinator starts from a request."""

    project_name = StringField(_l("Project name"), validators=[DataRequired(), Length(max=200)])
    workflow = SelectField(_l("Pathway"), validators=[DataRequired()])
    commune = CommuneField(_l("Commune"), description=COMMUNE_HELP)


class DeclineForm(FlaskForm):
    """The message the person receives when a coordinator declines."""

    message = TextAreaField(
        _l("Message to the person"),
        validators=[DataRequired(), Length(max=3000)],
        description=_l("Sent by e-mail; say why, and where they may find help."),
    )


class ConfirmForm(FlaskForm):
    """The button that confirms an address (a link alone must not: mail scanners open links)."""
