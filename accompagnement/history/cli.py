"""`flask import projects FILE`: bring a network's existing projects and their history in."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import select

from accompagnement import importing
from accompagnement.auth.models import Role, User
from accompagnement.auth.services import find_by_email
from accompagnement.extensions import db
from accompagnement.history.importer import ImportResult, import_projects
from accompagnement.importing import ImportErrorList, cli_locale, echo_errors, import_group


def importing_coordinator(email: str | None) -> User:
    """The coordinator the imported moves are recorded under: --by, or the only one there is."""
    if email:
        user = find_by_email(email)
        if user is None or user.role != Role.COORDINATOR or not user.is_active:
            raise click.UsageError(_("%(email)s is not an active coordinator.", email=email))
        return user
    coordinators = db.session.scalars(
        select(User).where(User.role == Role.COORDINATOR, User.active.is_(True))
    ).all()
    if not coordinators:
        raise click.UsageError(
            _("There is no coordinator account yet: create one with `users create` first.")
        )
    if len(coordinators) != 1:
        raise click.UsageError(_("Say which coordinator imports the file with --by EMAIL."))
    return coordinators[0]


def summary(result: ImportResult) -> str:
    return _(
        "%(created)s projects imported with their history, %(skipped)s already there, "
        "%(holders)s holder accounts created (not invited).",
        created=result.created,
        skipped=result.skipped,
        holders=result.holders_created,
    )


@import_group.command("projects")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "email", help="E-mail of the coordinator the history is recorded under.")
def import_projects_command(path: Path, email: str | None) -> None:
    """Import existing projects and the dates of their stages (all or nothing; safe twice).

    Columns: name, workflow, stage, then commune, holder_name, holder_email, date_<stage> and
    reason_<stage>; see the README.
    """
    with cli_locale():
        coordinator = importing_coordinator(email)
        try:
            result = import_projects(path.read_bytes(), user_id=coordinator.id)
        except ImportErrorList as exc:
            db.session.rollback()
            echo_errors(exc)
            raise SystemExit(1) from exc
        db.session.commit()
        click.echo(summary(result))


def register(app: Flask) -> None:
    """Attach the shared `import` group (this command is on it) to the app."""
    importing.register(app)
