"""The forms of the pathway pages: upload a version, relabel one in place."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

MAX_TEXT = 500_000  # characters: the shipped pathway is about 30,000


class UploadForm(FlaskForm):
    """A YAML file holding a new version of a pathway."""

    file = FileField(
        _l("YAML file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["yaml", "yml"], _l("The file must be a YAML file (.yaml or .yml).")),
        ],
    )


class LabelsForm(FlaskForm):
    """The YAML text of a version with its wording changed, to check or publish in place."""

    text = TextAreaField(
        _l("YAML text of the version"),
        validators=[DataRequired(_l("This field is required.")), Length(max=MAX_TEXT)],
    )
    action = HiddenField(default="check")
