"""Commands of the reports feature: `flask report --from --to | --saved NAME|ID --format
[--output FILE]`; its options and output are shared with `flask national report`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _

from accompagnement.clierrors import read_only
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.reports.document import layout
from accompagnement.reports.exports import render
from accompagnement.reports.labels import LANGUAGES
from accompagnement.reports.models import SavedReport
from accompagnement.reports.period import parse_period
from accompagnement.reports.saved import as_json, current_version, find_report, saved_layout
from accompagnement.reports.services import build_report, departements_to_report

FORMATS = ("html", "pdf", "csv", "json", "docx")


def read_period(start_text: str | None, end_text: str | None) -> tuple[date, date]:
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


def report_options(command: Any) -> Any:
    """Add the options every report command takes: period, format, language, output file."""
    options = (
        click.option("--from", "start", metavar="YYYY-MM-DD", help="First day."),
        click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day (included)."),
        click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True
        ),
        click.option(
            "--lang",
            type=click.Choice(LANGUAGES),
            default="fr",
            show_default=True,
            help="Language of the report.",
        ),
        click.option(
            "--output",
            metavar="FILE",
            default=None,
            help="Write to this file rather than to standard output.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


@click.command("report")
@report_options
@click.option(
    "--saved", "reference", metavar="NAME|ID",
    help="A saved report, by name or id (its period, narrative and frozen figures).",
)  # fmt: skip
@click.option("--departement", default="", metavar="CODE", help="Only this département (e.g. 23).")
@read_only
def report_command(
    start: str | None,
    end: str | None,
    fmt: str,
    lang: str,
    output: str | None,
    reference: str | None,
    departement: str,
) -> None:
    """Write the steering committee report of a period, or a saved report, to standard output
    or a file; refusals are in the shell's language, the report in --lang."""
    if reference is not None:
        report = _saved(reference)
        version = current_version(report.id)
        with force_locale(lang):
            if fmt == "json":
                body: str | bytes | dict[str, Any] = as_json(report, version)
            else:
                body = render(saved_layout(report, version, lang), fmt)
    else:
        first, last = read_period(start, end)
        departements = _departements(departement)
        with force_locale(lang):
            data = build_report(first, last, departements, lang)
            body = data if fmt == "json" else render(layout(data, lang), fmt)
    write_output(body, fmt, output)


def write_output(body: str | bytes | dict[str, Any], fmt: str, output: str | None) -> None:
    """Write a report (JSON-ready data, text or bytes) to standard output or to a file."""
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False, indent=2)
    if output is not None:
        _write_file(body, Path(output))
    elif isinstance(body, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        click.echo(body, nl=fmt != "csv")


def _write_file(body: str | bytes, path: Path) -> None:
    """Write the file, or stop with a usage error naming --output and why."""
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise click.BadParameter(
            _("cannot write %(file)s: %(reason)s", file=str(path), reason=reason),
            param_hint="--output",
        ) from None


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(report_command)
