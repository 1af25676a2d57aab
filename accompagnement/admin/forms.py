"""Forms of the user administration pages."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from accompagnement.access import ROLE_LABELS, Role
from accompagnement.formfields import CheckboxListField

LEAST_POWERFUL_ROLE = Role.MEMBER.value


def role_choices() -> list[SelectChoice]:
    """Return the roles as choices with translated labels."""
    return [SelectChoice(role.value, ROLE_LABELS[role.value]) for role in Role]


def _optional_int(value: object) -> int | None:
    return int(str(value)) if value not in (None, "") else None


class AccessForm(FlaskForm):
    """Role of an account and what limits it (partner: départements; member: its ressourcerie)."""

    role = SelectField(_l("Role"), validators=[DataRequired()])
    departements = CheckboxListField(
        _l("Départements this partner sees"),
        description=_l("None ticked: every département."),
        validators=[Optional()],
    )
    member_id = SelectField(
        _l("Member ressourcerie of this account"),
        coerce=_optional_int,
        validators=[Optional()],
    )
    organisation_id = SelectField(
        _l("Partner organisation"), coerce=_optional_int, validators=[Optional()]
    )

    def set_choices(
        self,
        departements: Sequence[tuple[str, str]],
        members: Sequence[tuple[int, str]],
        organisations: Sequence[tuple[int, str]] = (),
    ) -> None:
        """Fill the choices that come from the database."""
        self.role.choices = role_choices()
        self.departements.choices = [SelectChoice(code, label) for code, label in departements]
        self.member_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(member_id), name) for member_id, name in members
        ]
        self.organisation_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(org_id), name) for org_id, name in organisations
        ]


class InviteForm(AccessForm):
    """Create an account; the person chooses a password through a link."""

    # Preselect the role that reaches least: a member account sees only its own ressourcerie's
    # report, and cannot even be created without naming that ressourcerie. A slip of the
    # coordinator's hand never gives a newcomer more than that.
    role = SelectField(_l("Role"), validators=[DataRequired()], default=LEAST_POWERFUL_ROLE)

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


class UserFilterForm(FlaskForm):
    """Filters of the users list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    role = SelectField(_l("Role"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Deactivated")),
        ],
        validators=[Optional()],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.role.choices = [SelectChoice("", _l("All roles")), *role_choices()]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
