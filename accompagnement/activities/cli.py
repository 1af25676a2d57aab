"""Commands of the activity log: `flask import activities FILE`, `flask activities plan YEAR`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from accompagnement.activities import services
from accompagnement.activities.importer import import_activities, summary
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.importing import import_group
from accompagnement.importing.commands import ImportKind, import_command

activities_group = AppGroup("activities", help="The network's activity log.")

HELP = """Import activities from a CSV FILE (all or nothing; known lines are skipped).

Columns, in English or French: date, type, title (titre), then ressourceries (names separated
by ;), visitor (visiteur), participants, partner (partenaire), notes.
"""

KIND = ImportKind(
    "activities", HELP, lambda data, user_id: import_activities(data, user_id=user_id), summary
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
        click.echo(
            _(
                "planned %(date)s %(type)s %(title)s",
                date=activity.date.isoformat(),
                type=activity.type,
                title=activity.title,
            )
        )
    click.echo(
        ngettext(
            "%(num)d activity planned for %(year)s.",
            "%(num)d activities planned for %(year)s.",
            len(created),
            year=year,
        )
    )


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    import_group.add_command(import_command(KIND))
    app.cli.add_command(activities_group)
