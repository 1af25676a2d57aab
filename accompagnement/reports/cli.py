"""Commands of the reports feature: `flask report --from --to | --saved NAME|ID --format`."""

from __future__ import annotations

import json
import sys
from datetime import date

import click
from flask import Flask
from flask_babel import force_locale

from accompagnement.clierrors import read_only
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.reports.document import Document, layout
from accompagnement.reports.exports import render_csv, render_docx, render_html, render_pdf
from accompagnement.reports.labels import LANGUAGES
from accompagnement.reports.models import SavedReport
from accompagnement.reports.period import parse_period
from accompagnement.reports.saved import as_json, current_version, find_report, saved_layout
from accompagnement.reports.services import build_report, departements_to_report

FORMATS = ("html", "pdf", "csv", "json", "docx")


def _period(start_text: str | None, end_text: str | None) -> tuple[date, date]:
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


def _saved(reference: str) -> SavedReport:
    """Find a saved report by name or id, or stop with a usage error."""
    try:
        return find_report(reference)
    except NotFound as exc:
        raise click.BadParameter(exc.message, param_hint="--saved") from None


@click.command("report")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day (included).")
@click.option(
    "--saved", "reference", metavar="NAME|ID",
    help="A saved report, by name or id (its period, narrative and frozen figures).",
)  # fmt: skip
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
def report_command(
    start: str | None,
    end: str | None,
    reference: str | None,
    fmt: str,
    lang: str,
    departement: str,
) -> None:
    """Write the steering committee report of a period, or a saved report, to standard output."""
    with force_locale(lang):
        if reference is not None:
            report = _saved(reference)
            version = current_version(report.id)
            if fmt == "json":
                _write(json.dumps(as_json(report, version), ensure_ascii=False, indent=2), fmt)
            else:
                _write(_rendered(saved_layout(report, version, lang), fmt), fmt)
            return
        first, last = _period(start, end)
        data = build_report(first, last, _departements(departement), lang)
        if fmt == "json":
            _write(json.dumps(data, ensure_ascii=False, indent=2), fmt)
        else:
            _write(_rendered(layout(data, lang), fmt), fmt)


def _rendered(doc: Document, fmt: str) -> str | bytes:
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "docx":
        return render_docx(doc)
    return render_csv(doc) if fmt == "csv" else render_html(doc)


def _write(body: str | bytes, fmt: str) -> None:
    if isinstance(body, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        click.echo(body, nl=fmt != "csv")


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(report_command)
