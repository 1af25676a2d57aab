"""One command for every importer: `flask import <kind> FILE [--by EMAIL] [--dry-run] [--lang]`.

Every import command reads the file, runs the importer all or nothing, commits once (or rolls
back with --dry-run), prints the importer's one-line summary, and on a refused file lists every
bad line on standard error and exits 1. Messages are in the shell's language (LANG), or the one
--lang names. A feature adds its importer in its cli module::

    import_group.add_command(import_command(ImportKind("members", HELP, run, summary)))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.auth.services import find_by_email
from accompagnement.db import refresh_statistics
from accompagnement.extensions import db
from accompagnement.i18n import cli_language
from accompagnement.importing import ImportErrorList
from accompagnement.importing.pipeline import ImportResult


@dataclass(frozen=True)
class ImportKind:
    """An importer as the command line sees it.

    `run(data, user_id)` imports a file under an account (None: nobody in particular);
    `needs_coordinator`: the import is recorded under a coordinator, --by or the only one.
    """

    name: str
    help: str
    run: Callable[[bytes, int | None], ImportResult]
    summary: Callable[[ImportResult], str]
    needs_coordinator: bool = False


def import_command(kind: ImportKind) -> click.Command:
    """Build the `flask import <kind>` command of an importer."""

    @click.command(kind.name, help=kind.help)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--by", "email", help="E-mail of the coordinator the import is recorded under.")
    @click.option("--dry-run", is_flag=True, help="Check the file and tell what it would do.")
    @click.option(
        "--lang", type=click.Choice(["fr", "en"]), help="Language of the messages (default: LANG)."
    )
    def command(path: Path, email: str | None, dry_run: bool, lang: str | None) -> None:
        with force_locale(lang or cli_language()):
            user = importing_coordinator(email, required=kind.needs_coordinator)
            try:
                result = kind.run(path.read_bytes(), user.id if user else None)
            except ImportErrorList as refused:
                db.session.rollback()
                echo_errors(refused)
                raise SystemExit(1) from None
            if dry_run:
                db.session.rollback()
                click.echo(_("Dry run: the file is right, nothing was written."))
            else:
                db.session.commit()
                _refresh_statistics()
            click.echo(kind.summary(result))

    return command


def _refresh_statistics() -> None:
    """Let the planner see the new rows; the import is saved whether or not this succeeds."""
    try:
        with db.engine.begin() as connection:
            refresh_statistics(connection)
    except OperationalError as error:  # busy: the next import or autovacuum refreshes them
        current_app.logger.warning("statistics not refreshed after an import: %s", error)


def importing_coordinator(email: str | None, *, required: bool = True) -> User | None:
    """The coordinator an import is recorded under: --by, or (when required) the only one."""
    if email:
        user = find_by_email(email)
        if user is None or user.role != Role.COORDINATOR or not user.is_active:
            raise click.UsageError(_("%(email)s is not an active coordinator.", email=email))
        return user
    if not required:
        return None
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


def echo_errors(error: ImportErrorList) -> None:
    """Print every bad line of a refused import on standard error."""
    click.echo(_("Nothing was imported: the file has errors."), err=True)
    for sentence in error.lines():
        click.echo(f"  {sentence}", err=True)
