"""Forms of the saved reports: create one for a period, write its narrative."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from accompagnement.network import queries as network_queries
from accompagnement.reports.models import NAME_MAX, NARRATIVE_MAX
from accompagnement.reports.saved import ReportInput


def departement_choices() -> list[tuple[str, object]]:
    """Return "the whole network" then the network's départements."""
    whole: list[tuple[str, object]] = [("", _l("The whole network"))]
    return whole + [(d.code, f"{d.name} ({d.code})") for d in network_queries.departements()]


class SavedReportForm(FlaskForm):
    # The service checks every value (so the command line and tests get the same messages);
    # the lengths here only bound what a request may carry.
    name = StringField(
        _l("Name"),
        validators=[Length(max=NAME_MAX * 2)],
        description=_l('For example "Comité de pilotage 2014".'),
    )
    start = StringField(_l("From"), validators=[Length(max=20)])
    end = StringField(_l("To"), validators=[Length(max=20)])
    departement = SelectField(_l("Département"), choices=departement_choices, validate_choice=False)

    def values(self) -> ReportInput:
        """Return the raw values for saved.create_report."""
        return ReportInput(
            name=self.name.data or "",
            start=self.start.data or "",
            end=self.end.data or "",
            departement=self.departement.data or "",
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the messages of a refused creation next to their fields."""
        fields = {"from": self.start, "to": self.end}
        for key, message in errors.items():
            field = fields.get(key) or getattr(self, key, None) or self.name
            field.errors = [*field.errors, message]


class NarrativeForm(FlaskForm):
    highlights = TextAreaField(_l("Highlights"), validators=[Length(max=NARRATIVE_MAX * 2)])
    difficulties = TextAreaField(_l("Difficulties"), validators=[Length(max=NARRATIVE_MAX * 2)])
    outlook = TextAreaField(_l("Outlook"), validators=[Length(max=NARRATIVE_MAX * 2)])
    base_version = HiddenField()

    def texts(self) -> dict[str, str]:
        """Return the three parts as typed."""
        return {
            "highlights": self.highlights.data or "",
            "difficulties": self.difficulties.data or "",
            "outlook": self.outlook.data or "",
        }

    def opened_on(self) -> int:
        """Return the version the form was opened on (-1 when the field was tampered with)."""
        raw = (self.base_version.data or "0").strip()
        return int(raw) if raw.isdecimal() and len(raw) < 10 else -1

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the messages of a refused save next to their fields."""
        for key, message in errors.items():
            field = getattr(self, key, None) or self.highlights
            field.errors = [*field.errors, message]


class FreezeForm(FlaskForm):
    """The freeze button: a CSRF token and nothing else."""
