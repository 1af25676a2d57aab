"""Forms of the project pages with a fixed shape (stage forms: see `stageforms`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    HiddenField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from accompagnement.formfields import CheckboxListField
from accompagnement.territory.forms import COMMUNE_HELP, CommuneField

# --- Forms with a fixed shape -------------------------------------------------------------------


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choices of a select."""
    return [SelectChoice(value, label) for value, label in pairs]


class ProjectForm(FlaskForm):
    name = StringField(_l("Project name"), validators=[DataRequired(), Length(max=200)])
    workflow = SelectField(_l("Pathway"), validators=[DataRequired()])
    commune = CommuneField(_l("Commune"), description=COMMUNE_HELP)
    holders = CheckboxListField(_l("Project holders"), coerce=int, validate_choice=False)


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])
    stage = SelectField(_l("Stage"), validators=[Optional()], validate_choice=False)


class TransitionForm(FlaskForm):
    trigger = HiddenField(validators=[DataRequired(), Length(max=40)])
    expected_state = HiddenField(validators=[DataRequired(), Length(max=40)])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])


class ChecklistForm(FlaskForm):
    done = HiddenField(validators=[DataRequired()])


class AddHolderForm(FlaskForm):
    holder = SelectField(_l("Existing holder account"), coerce=int, validate_choice=False)


class InviteHolderForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


class BoardFilterForm(Form):
    """The filters of the pipeline board, read from the query string (no CSRF: a GET)."""

    workflow = SelectField(_l("Pathway"), validate_choice=False)
    departement = SelectField(_l("Département"), validate_choice=False)
    stage = SelectField(_l("Stage"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    q = SearchField(_l("Search"), validators=[Length(max=100)])


class ProjectListForm(BoardFilterForm):
    """The filters of the project list: the board's, and late projects only."""

    late = BooleanField(_l("Late only"))


STATUS_CHOICES = (
    ("", _l("All")),
    ("active", _l("Active")),
    ("paused", _l("Paused")),
    ("abandoned", _l("Abandoned")),
    ("open", _l("Final stage")),
)

# Messages raised by services and shown on these pages: marked here so that the catalogue has them.
SERVICE_MESSAGES = (
    _l("Unknown member ressourcerie"),
    _l("A comment of 1 to 5000 characters"),
    _l("A name of 1 to 200 characters is required"),
    _l("A name of 1 to 120 characters is required"),
    _l("Unknown commune"),
    _l("Unknown INSEE code"),
    _l("Unknown workflow"),
    _l("Every holder must be a holder account"),
    _l("An account already uses this e-mail address"),
    _l("Invalid e-mail address"),
    _l("This stage is not open yet"),
    _l("No such form"),
    _l("No such project"),
    _l("No such document"),
    _l("No such checklist item"),
    _l("Read-only account"),
    _l("The project has changed since you loaded it"),
    _l("This type of file is not accepted."),
    _l("The file is empty."),
    _l("The content of the file does not match its type."),
    _l("The file is too large."),
    _l("Unknown stage"),
    _l("No such holder"),
    _l("No such revision"),
    _l("Only a coordinator can change the holders of a project"),
    _l("Only a coordinator validates checklist items"),
    _l("Only a coordinator can create a project"),
    _l("The account could not be created"),
)


def move_form(
    vanished: list[tuple[str, str]], stages: list[tuple[str, str]], *, preview: bool
) -> FlaskForm:
    """Build the form mapping each vanished stage (key, label) to a stage of the target.

    The preview reads the URL (no token: it changes nothing); the confirmation is a POST.
    """

    class MoveForm(FlaskForm):
        pass

    leave = [("", _l("— none: its projects stay on their version —"))]
    for key, label in vanished:
        field = SelectField(label, choices=choices([*leave, *stages]), default="")
        setattr(MoveForm, f"map_{key}", field)
    if preview:
        return MoveForm(formdata=request.args, meta={"csrf": False})
    return MoveForm()


class ConfirmForm(FlaskForm):
    """A button that confirms what the page previewed: only the CSRF token."""
