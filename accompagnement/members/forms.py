"""Forms of the member directory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from accompagnement.formfields import CheckboxListField
from accompagnement.members.models import FUNCTIONS, Member
from accompagnement.members.validation import MemberInput
from accompagnement.territory.forms import COMMUNE_HELP, CommuneField


def function_choices() -> list[tuple[str, object]]:
    """Return the four functions of the charter with their translated names."""
    names = {
        "collecte": _l("Collection"),
        "valorisation": _l("Sorting and repair"),
        "vente": _l("Sale and redistribution"),
        "sensibilisation": _l("Awareness raising"),
    }
    return [(key, names[key]) for key in FUNCTIONS]


def kind_choices() -> list[tuple[str, object]]:
    """Return the kinds of structure with their translated names."""
    return [("ressourcerie", _l("Ressourcerie")), ("recyclerie", _l("Recyclerie"))]


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=kind_choices)
    # Named `insee` as the column of the CSV import (services report errors under that key).
    insee = CommuneField(_l("Commune"), [DataRequired()], description=COMMUNE_HELP)
    joined_on = DateField(_l("Date of joining"), validators=[Optional()])
    functions = CheckboxListField(_l("Functions"), choices=function_choices)
    contact_name = StringField(_l("Contact person"), validators=[Length(max=120)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Length(max=254)])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=30)])
    website = StringField(_l("Website"), validators=[Length(max=255)])

    def values(self) -> MemberInput:
        """Return the typed values for the member services."""
        return MemberInput(
            name=self.name.data or "",
            kind=self.kind.data or "",
            insee=self.insee.data or "",
            joined_on=self.joined_on.data,
            functions=frozenset(self.functions.data or ()),
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            website=self.website.data or "",
        )

    def fill(self, member: Member) -> None:
        """Show the current values of a member."""
        self.name.data = member.name
        self.kind.data = member.kind
        self.insee.process_data(member.commune_insee or "")
        self.joined_on.data = member.joined_on
        self.functions.data = member.functions
        self.contact_name.data = member.contact_name or ""
        self.contact_email.data = member.contact_email or ""
        self.contact_phone.data = member.contact_phone or ""
        self.website.data = member.website or ""

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the messages of a refused save next to their fields."""
        for key, message in errors.items():
            field = getattr(self, "insee" if key in ("commune", "departement") else key, None)
            field = field or self.name
            field.errors = [*field.errors, message]


class LeaveForm(FlaskForm):
    left_on = DateField(_l("Left the network on"), validators=[Optional()])
