"""`flask territory load`: load or update the official French geography."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from accompagnement.clierrors import across_networks
from accompagnement.extensions import db
from accompagnement.territory.loader import (
    DATA_DIR,
    GeographyFileError,
    load_geography,
    read_geography,
)

territory = AppGroup("territory", help="The French administrative geography.")


@territory.command("load")
@click.option(
    "--file",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DATA_DIR,
    help="A directory of extracts made by scripts/update_geography.py (default: the vendored one).",
)
@across_networks
def load(directory: Path) -> None:
    """Load or update régions, départements, EPCI and communes (idempotent)."""
    started = time.perf_counter()
    try:
        geo = read_geography(directory)
        report = load_geography(db.session.connection(), geo)
    except (GeographyFileError, ValueError) as exc:
        db.session.rollback()
        click.echo(_("Error: %(error)s", error=exc), err=True)
        raise SystemExit(1) from exc
    db.session.commit()
    click.echo(f"{report} ({time.perf_counter() - started:.1f} s)")


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(territory)
