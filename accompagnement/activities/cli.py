"""Commands of the activity log: `flask import activities FILE`, `flask activities plan YEAR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from accompagnement.activities import services
from accompagnement.activities.importer import import_activities
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList, echo_errors, import_group

activities_group = AppGroup("activities", help="The network's activity log.")


@click.command("activities")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_activities_command(file: Path) -> None:
    """Import activities from a CSV file (all or nothing; known lines are skipped)."""
    try:
        result = import_activities(file.read_bytes(), user_id=None)
    except ImportErrorList as rejected:
        db.session.rollback()
        echo_errors(rejected)
        raise SystemExit(1) from None
    db.session.commit()
    created, skipped = result.created, result.skipped
    click.echo(
        _(
            "%(created)s activities imported, %(skipped)s already in the log.",
            created=created,
            skipped=skipped,
        )
    )


@activities_group.command("plan")
@click.argument("year", type=int)
def plan_command(year: int) -> None:
    """Create the year's missing activities of the network's yearly plan (idempotent)."""
    try:
        created = services.plan_year(year)
    except InvalidInput as error:
        db.session.rollback()
        if "year" not in error.errors:
            raise click.ClickException("; ".join(error.errors.values())) from None
        raise click.BadParameter("; ".join(error.errors.values()), param_hint="YEAR") from None
    db.session.commit()
    for activity in created:
        click.echo(f"planned {activity.date.isoformat()} {activity.type} {activity.title}")
    click.echo(f"{len(created)} activities planned for {year}.")


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    import_group.add_command(import_activities_command)
    app.cli.add_command(activities_group)
