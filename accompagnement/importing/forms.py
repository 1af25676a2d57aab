"""The upload form of every import page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class ImportForm(FlaskForm):
    """A CSV file to import (all or nothing)."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "txt"], _l("The file must be a CSV file (.csv).")),
        ],
    )
