"""Commands of the observatory: `flask import observatory FILE`."""

from __future__ import annotations

from typing import BinaryIO

import click
from flask import Flask
from flask_babel import force_locale

from accompagnement.extensions import db
from accompagnement.i18n import cli_language
from accompagnement.importing import ImportErrorList, echo_errors, import_group
from accompagnement.observatory.importer import COLUMNS, import_reports

HELP = f"""Import members' yearly reports from a CSV FILE (all rows or none).

Columns: member (its name as in the directory, or its number), year, then any of
{", ".join(COLUMNS[2:])}.

Tonnes with one decimal, euros, counts, FTE with two decimals, women_percent from 0 to 100.
An empty cell is "not known"; a column left out keeps the saved figures. A report is matched
on member + year: importing the same file twice changes nothing.
"""


@click.command("observatory", help=HELP)
@click.argument("file", type=click.File("rb"))
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    help="Language of the messages (by default the shell's, or French).",
)
def import_observatory(file: BinaryIO, lang: str | None) -> None:
    with force_locale(lang or cli_language()):
        try:
            result = import_reports(file.read(), user_id=None)
        except ImportErrorList as exc:
            db.session.rollback()
            echo_errors(exc)
            raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged")


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    import_group.add_command(import_observatory)
