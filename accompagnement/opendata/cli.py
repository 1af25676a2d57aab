"""Commands of open data: `flask opendata export --network SHORT_NAME --year YEAR DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from accompagnement.clierrors import read_only
from accompagnement.errors import DomainError
from accompagnement.network.models import Network
from accompagnement.network.queries import current_network
from accompagnement.opendata import licences
from accompagnement.opendata.package import DataPackage, check_year

LANGUAGES = ("fr", "en")

opendata_group = AppGroup("opendata", help="The network's open data (Frictionless Data Package).")


def _year(text: str) -> int:
    """Read --year, or stop with one translated line (exit 1)."""
    try:
        year = int(text.strip())
    except ValueError:
        raise click.ClickException(_("The year must be a number, such as 2025.")) from None
    return check_year(year)


@opendata_group.command("export")
@click.option("--year", "year_text", required=True, metavar="YYYY", help="Year of the figures.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="fr", show_default=True,
              help="Language of titles, descriptions and labels.")  # fmt: skip
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@read_only
def export(year_text: str, lang: str, directory: Path) -> None:
    """Write datapackage.json and one CSV per resource into DIRECTORY (of the network chosen with
    `--network`, which every command takes: clierrors)."""
    try:
        package = DataPackage(_network(), _year(year_text), lang)
        written = package.write(directory)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    except OSError as error:
        message = _("Cannot write to %(directory)s: %(reason)s", directory=directory,
                    reason=error.strerror or error)  # fmt: skip
        raise click.ClickException(message) from None
    for path in written:
        click.echo(path)


def _network() -> Network:
    """Return the network the command works in."""
    network = current_network()
    if network is None:  # clierrors entered a scope: the network exists
        raise click.ClickException(_("No network to export."))
    return network


def register(app: Flask) -> None:
    """Attach the `opendata` commands to the app, after checking its licences."""
    licences.check(app.config)
    app.cli.add_command(opendata_group)
