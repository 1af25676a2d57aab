"""`flask import syndicates FILE`: which communes each waste syndicate serves."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _

from accompagnement import importing
from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList, cli_locale, echo_errors, import_group
from accompagnement.syndicates.importer import ImportResult, import_syndicates


def summary(result: ImportResult) -> str:
    return _(
        "%(created)s syndicates created, %(changed)s communes assigned, %(unchanged)s unchanged.",
        created=result.syndicates_created,
        changed=result.communes_changed,
        unchanged=result.unchanged,
    )


@import_group.command("syndicates")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_syndicates_command(path: Path) -> None:
    """Import waste syndicates and their communes: columns syndicate,commune (INSEE code)."""
    with cli_locale():
        try:
            result = import_syndicates(path.read_bytes(), user_id=None)
        except ImportErrorList as exc:
            db.session.rollback()
            echo_errors(exc)
            raise SystemExit(1) from exc
        db.session.commit()
        click.echo(summary(result))


def register(app: Flask) -> None:
    """Attach the shared `import` group (this command is on it) to the app."""
    importing.register(app)
