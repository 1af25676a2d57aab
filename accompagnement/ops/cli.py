"""`flask backup [--output PATH]` and `flask restore PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from accompagnement.clierrors import across_networks
from accompagnement.extensions import db
from accompagnement.ops.services import BackupError, backup, default_path, restore


@click.command("backup")
@click.option(
    "--output", type=click.Path(dir_okay=False), help="File to write (default: in BACKUP_DIR)."
)
@with_appcontext
@across_networks
def backup_command(output: str | None) -> None:
    """Write a complete, consistent copy of the database (safe while the app runs)."""
    engine = db.engine
    path = Path(output) if output else default_path(_backup_dir(), engine.dialect.name)
    try:
        written = backup(engine, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        _(
            "Backup written to %(path)s (%(size)s bytes)",
            path=written,
            size=written.stat().st_size,
        )
    )


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
@across_networks
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database with a backup (stop the application first)."""
    if not yes:
        click.confirm(_("Replace the whole database with %(path)s?", path=path), abort=True)
    db.session.remove()
    try:
        safety = restore(db.engine, path, _backup_dir())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        _(
            "Database restored from %(path)s. The previous database was saved to %(safety)s",
            path=path,
            safety=safety,
        )
    )


def _backup_dir() -> str:
    return str(current_app.config["BACKUP_DIR"])


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
