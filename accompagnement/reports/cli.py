"""Commands of the reports feature: `flask report --from --to --format`."""

from __future__ import annotations

import json
import sys
from datetime import date

import click
from flask import Flask
from flask_babel import force_locale

from accompagnement.clierrors import read_only
from accompagnement.errors import InvalidInput
from accompagnement.reports.document import layout
from accompagnement.reports.exports import render_csv, render_html, render_pdf
from accompagnement.reports.labels import LANGUAGES
from accompagnement.reports.period import parse_period
from accompagnement.reports.services import build_report, departements_to_report

FORMATS = ("html", "pdf", "csv", "json")


def _period(start_text: str, end_text: str) -> tuple[date, date]:
    """Read the period, or stop with a usage error (exit status 2) naming the bad option."""
    try:
        return parse_period(start_text, end_text)
    except InvalidInput as exc:
        key, message = next(iter(exc.errors.items()))
        raise click.BadParameter(message, param_hint=f"--{key}") from None


def _departements(code: str) -> list[str] | None:
    """Read --departement, or stop with a usage error naming it."""
    try:
        return departements_to_report(None, code)
    except InvalidInput as exc:
        raise click.BadParameter(exc.message, param_hint="--departement") from None


@click.command("report")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD", help="First day.")
@click.option("--to", "end", required=True, metavar="YYYY-MM-DD", help="Last day (included).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="fr",
    show_default=True,
    help="Language of the report.",
)
@click.option("--departement", default="", metavar="CODE", help="Only this département (e.g. 23).")
@read_only
def report_command(start: str, end: str, fmt: str, lang: str, departement: str) -> None:
    """Write the steering committee report of a period to standard output."""
    with force_locale(lang):
        first, last = _period(start, end)
        report = build_report(first, last, _departements(departement), lang)
        if fmt == "json":
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
            return
        doc = layout(report, lang)
        if fmt == "pdf":
            sys.stdout.flush()
            sys.stdout.buffer.write(render_pdf(doc))
            sys.stdout.buffer.flush()
        elif fmt == "csv":
            click.echo(render_csv(doc), nl=False)
        else:
            click.echo(render_html(doc))


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(report_command)
