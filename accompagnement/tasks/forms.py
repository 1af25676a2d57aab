"""Forms of the task pages: a task, the list's filters, and the buttons that post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from accompagnement.engine.values import Unreadable, parse_date
from accompagnement.formfields import BoundedIntegerField
from accompagnement.tasks.models import ASSIGNEE_LABELS, NOTES_MAX, TITLE_MAX, Assignee
from accompagnement.tasks.queries import TaskFilters
from accompagnement.tasks.services import TaskInput

STATUS_LABELS = {
    "open": _l("To do"),
    "overdue": _l("Overdue"),
    "done": _l("Done"),
    "all": _l("All"),
}
SCOPE_LABELS = {"mine": _l("Mine and the coordination's"), "all": _l("Every project's")}


def version_of(raw: str | None) -> int | None:
    """Read the version of the task a page was shown with (None when missing or unreadable)."""
    text = raw or ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class TaskForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    assignee = SelectField(_l("For"), validators=[InputRequired()])
    due_on = DateField(_l("Due date"), validators=[Optional()])
    stage = SelectField(_l("Stage"), validators=[Optional()], default="")
    notes = TextAreaField(_l("Notes"), validators=[Length(max=NOTES_MAX)])
    version = HiddenField()

    def set_choices(
        self, people: Iterable[tuple[int, str]], stages: Iterable[tuple[str, str]]
    ) -> None:
        """Offer the holders together, the coordination, each person, and the stages."""
        people_choices = [SelectChoice(f"user:{i}", name) for i, name in people]
        self.assignee.choices = [  # type: ignore[assignment]
            SelectChoice(Assignee.HOLDERS.value, ASSIGNEE_LABELS[Assignee.HOLDERS]),  # type: ignore[arg-type]
            SelectChoice(Assignee.COORDINATION.value, ASSIGNEE_LABELS[Assignee.COORDINATION]),  # type: ignore[arg-type]
            *people_choices,
        ]
        self.stage.choices = [  # type: ignore[assignment]
            SelectChoice("", _l("No stage")),  # type: ignore[arg-type]
            *(SelectChoice(key, label) for key, label in stages),
        ]

    def values(self) -> TaskInput:
        """Return the typed values for the service."""
        return TaskInput(
            title=self.title.data or "",
            assignee=self.assignee.data or "",
            due_on=self.due_on.data,
            notes=self.notes.data,
            stage=self.stage.data or None,
        )

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Put the service's messages next to their fields."""
        for name, message in errors.items():
            getattr(self, name, self.title).errors = [message]


class ButtonForm(FlaskForm):
    """A button that posts (tick, untick, delete): the CSRF token and the version seen."""

    version = HiddenField()


class FilterForm(Form):
    """The filters of the task list (a GET form: everything stays in the URL)."""

    status = SelectField(_l("Status"), default="open")
    scope = SelectField(_l("Tasks of"), default="mine")
    project = BoundedIntegerField(
        _l("Project number"), minimum=1, maximum=2147483647, validators=[Optional()]
    )
    due_from = StringField(_l("Due from"), validators=[Optional()])
    due_to = StringField(_l("Due until"), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.status.choices = [SelectChoice(k, v) for k, v in STATUS_LABELS.items()]  # type: ignore[assignment, arg-type]
        self.scope.choices = [SelectChoice(k, v) for k, v in SCOPE_LABELS.items()]  # type: ignore[assignment, arg-type]

    def filters(self) -> TaskFilters:
        """Read the filters, leaving out (and marking) what cannot be read."""
        self.validate()
        return TaskFilters(
            status=self.status.data if self.status.data in STATUS_LABELS else "open",
            scope=self.scope.data if self.scope.data in SCOPE_LABELS else "mine",
            project_id=None if self.project.errors else self.project.data,
            due_from=self._day(self.due_from),
            due_to=self._day(self.due_to),
        )

    @staticmethod
    def _day(field: StringField) -> dt.date | None:
        text = (field.data or "").strip()
        if not text:
            return None
        try:
            return parse_date(text[:20])
        except Unreadable:
            field.errors = [str(_l("A date is expected (YYYY-MM-DD or DD/MM/YYYY)."))]
            return None
