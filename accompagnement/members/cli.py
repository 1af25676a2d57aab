"""Commands of the members feature: `flask import members FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _

from accompagnement import importing
from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList, cli_locale, echo_errors, import_group
from accompagnement.members.importer import import_members


@import_group.command("members")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_members_command(path: Path) -> None:
    """Import member ressourceries from a CSV file (all or nothing; same file twice is safe)."""
    with cli_locale():
        try:
            result = import_members(path.read_bytes(), user_id=None)
        except ImportErrorList as exc:
            db.session.rollback()
            echo_errors(exc)
            raise SystemExit(1) from exc
        db.session.commit()
        click.echo(
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            )
        )


def register(app: Flask) -> None:
    """Attach the commands of this feature (the shared `import` group) to the app."""
    importing.register(app)
