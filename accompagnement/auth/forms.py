"""Forms of the sign-in, password and account pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from accompagnement.auth.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_HELP = _l("At least 12 characters. A few unrelated words make a good password.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            _l("New password"),
            description=PASSWORD_HELP,
            validators=[
                DataRequired(),
                Length(
                    min=MIN_LENGTH,
                    max=MAX_LENGTH,
                    message=_l("Between 12 and 128 characters."),
                ),
            ],
        ),
        PasswordField(
            _l("New password again"),
            validators=[
                DataRequired(),
                EqualTo("password", message=_l("The two passwords are different.")),
            ],
        ),
    )


class SetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    password, confirm = _new_password_fields()


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Interface language"),
        choices=[
            SelectChoice("", _l("Same as my browser")),
            SelectChoice("fr", "Français", render_kw={"lang": "fr"}),
            SelectChoice("en", "English", render_kw={"lang": "en"}),
        ],
        validate_choice=True,
    )


class NetworkSwitchForm(FlaskForm):
    """Choose the network to work in among one's memberships (choices set by the view)."""

    network = SelectField(_l("Network"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Switch"))


class ApiTokenForm(FlaskForm):
    """Make a personal access token of the API."""

    name = StringField(
        _l("Name of the token"),
        description=_l("Say what uses it, e.g. “Observatory spreadsheet”."),
        validators=[DataRequired(), Length(max=80)],
    )
    scope = SelectField(
        _l("What it may do"),
        choices=[
            SelectChoice("read", _l("Read only")),
            SelectChoice("write", _l("Read and write")),
        ],
        default="read",
        validate_choice=True,
    )
    days = SelectField(
        _l("Valid for"),
        choices=[
            SelectChoice("30", _l("30 days")),
            SelectChoice("90", _l("90 days")),
            SelectChoice("365", _l("One year")),
        ],
        default="90",
        validate_choice=True,
    )
