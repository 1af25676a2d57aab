"""The report as files: CSV (spreadsheet-safe) and a standalone HTML document.

The PDF is drawn by pdf.py and the editable DOCX by editable.py, from the same laid-out
document; the pages import them when asked for one (fpdf2 and python-docx weigh about 30 MB in
every worker otherwise).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import render_template
from markupsafe import Markup

from accompagnement.charts import bar_chart
from accompagnement.csvsafe import write_csv
from accompagnement.reports.document import Cell, Document, Section, number
from accompagnement.reports.labels import text

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plain(value: Cell, lang: str) -> Cell:
    """Write a figure without thousands separators, with the decimal mark of the language."""
    if isinstance(value, float | Decimal) and lang == "fr":
        return str(value).replace(".", ",")
    return value


def render_csv(doc: Document) -> str:
    """Return the report as CSV: each section's header line, then its lines of figures.

    Every line starts with its section, so a spreadsheet can filter one; a section's header
    line names its columns (years, counts...). French spreadsheets expect semicolons and a
    decimal comma; English ones commas and points. Every cell goes through csvsafe, so a
    partner's name cannot become a formula.
    """
    width = max(len(s.headers) for s in doc.sections)
    header = [text("section", doc.lang), text("item", doc.lang)]
    header += [text("value", doc.lang)] * (width - 1)
    rows: list[list[Cell]] = []
    for section in doc.sections:
        rows.append([section.title, *section.headers])
        for row in section.rows:
            rows.append([section.title, *[_plain(cell, doc.lang) for cell in row]])
    rows += narrative_rows(doc)
    return write_csv(rows, header, delimiter=";" if doc.lang == "fr" else ",")


def chart_svg(section: Section, lang: str) -> Markup:
    """Return the accessible SVG chart of a section (empty when it has none)."""
    chart = section.chart
    if chart is None or not chart.bars:
        return Markup("")
    listing = "; ".join(f"{bar.label}: {bar.shown}" for bar in chart.bars)
    return bar_chart(
        chart.bars, chart_id=f"chart-{section.key}", title=chart.title, description=listing,
        horizontal=chart.horizontal,
    )  # fmt: skip


def narrative_rows(doc: Document) -> list[list[Cell]]:
    """Return the narrative as CSV rows after the figures: part, "Paragraph n", its text."""
    paragraph = text("paragraph", doc.lang)
    return [
        [part.title, f"{paragraph} {index}", body]
        for part in doc.narrative
        for index, body in enumerate(part.paragraphs, start=1)
    ]


def render_html(doc: Document) -> str:
    """Return the report as a standalone HTML page (for the command line)."""
    return render_template("reports/standalone.html", doc=doc, number=number, chart_svg=chart_svg)


def render_pdf(doc: Document, font: Path | None = None, *, use_system_font: bool = True) -> bytes:
    """Return the PDF bytes of a laid-out report (fpdf2 is imported on the first one)."""
    from accompagnement.reports import pdf  # noqa: PLC0415 (about 25 MB a worker otherwise)

    return pdf.render_pdf(doc, font, use_system_font=use_system_font)


def render_docx(doc: Document) -> bytes:
    """Return the editable DOCX bytes of a laid-out report (python-docx imported on first use)."""
    from accompagnement.reports import editable  # noqa: PLC0415 (about 8 MB a worker otherwise)

    return editable.render_docx(doc)


def render(doc: Document, fmt: str) -> str | bytes:
    """Return a laid-out report as a file of a format: pdf, docx, csv or (standalone) html."""
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "docx":
        return render_docx(doc)
    return render_csv(doc) if fmt == "csv" else render_html(doc)
