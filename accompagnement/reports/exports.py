"""The report as CSV (spreadsheet-safe) and as a standalone HTML document."""

from __future__ import annotations

from decimal import Decimal

from flask import render_template

from accompagnement.csvsafe import write_csv
from accompagnement.reports.document import Cell, Document, number
from accompagnement.reports.labels import text


def _plain(value: Cell, lang: str) -> Cell:
    """Write a figure without thousands separators, with the decimal mark of the language."""
    if isinstance(value, float | Decimal) and lang == "fr":
        return str(value).replace(".", ",")
    return value


def render_csv(doc: Document) -> str:
    """Return the report as CSV: one line per figure, prefixed by its section.

    French spreadsheets expect semicolons and a decimal comma; English ones commas and points.
    Every cell goes through csvsafe, so a partner's name cannot become a formula.
    """
    width = max(len(s.headers) for s in doc.sections)
    header = [text("section", doc.lang), text("item", doc.lang), text("value", doc.lang)]
    header += [text("ressourceries", doc.lang)] * (width - 2)
    rows = []
    for section in doc.sections:
        for row in section.rows:
            rows.append([section.title, *[_plain(cell, doc.lang) for cell in row]])
    return write_csv(rows, header, delimiter=";" if doc.lang == "fr" else ",")


def render_html(doc: Document) -> str:
    """Return the report as a standalone HTML page (for the command line)."""
    return render_template("reports/standalone.html", doc=doc, number=number)
