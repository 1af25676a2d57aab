"""Commands of the national role: `flask national report --from --to --format [--output FILE]`,
the national report (every network's report added up) as the national pages give it."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from accompagnement.clierrors import across_networks, read_only
from accompagnement.errors import NotFound
from accompagnement.national.services import national_document, national_report
from accompagnement.reports.cli import read_period, report_options, write_output
from accompagnement.reports.exports import render

national_group = AppGroup("national", help="Every network's figures added up (no personal data).")


@national_group.command("report")
@report_options
@across_networks
@read_only
def report_command(
    start: str | None, end: str | None, fmt: str, lang: str, output: str | None
) -> None:
    """Write the national report of a period (every network's report added up) to standard
    output or a file; refusals are in the shell's language, the report in --lang."""
    first, last = read_period(start, end)
    try:
        with force_locale(lang):
            if fmt == "json":
                body: str | bytes | dict[str, Any] = national_report(first, last, lang)
            else:
                body = render(national_document(first, last, lang), fmt)
    except NotFound:  # worded in the report's language: say it in the shell's
        raise click.ClickException(_("No network has been set up yet.")) from None
    write_output(body, fmt, output)


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(national_group)
