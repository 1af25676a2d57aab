"""The report as an editable DOCX file: headings, the narrative, one table per section.

Built with python-docx from the same laid-out `Document` as the page, the PDF and the CSV, so a
new section appears here without a change. A coordinator opens it in LibreOffice or Word to
retouch the wording before handing it over; the tables keep the figures as text, formatted in
the report's language, exactly as the page shows them.
"""

from __future__ import annotations

import io
import re

from docx import Document as new_docx
from docx.document import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from accompagnement.reports.document import Document, Part, Section, number

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2)
TEXT_WIDTH_CM = 17.0
# Characters XML 1.0 cannot hold (a stray control character in a name must not break the file).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    return NOT_XML.sub("", value)


def render_docx(doc: Document) -> bytes:
    """Return the DOCX bytes of a laid-out report."""
    docx = new_docx()
    _page(docx, doc)
    _heading(docx, doc)
    for part in doc.narrative:
        _part(docx, part)
    for section in doc.sections:
        _section(docx, section, doc.lang)
    if doc.closing:
        docx.add_paragraph(_clean(doc.closing))
    docx.add_paragraph(_clean(doc.footer), style="Caption")
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def _page(docx: Docx, doc: Document) -> None:
    """A4 with 2 cm margins, the report's title in the footer, its language for spelling."""
    section = docx.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    footer = section.footer.paragraphs[0]
    footer.text = _clean(doc.title) + " · "
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number = OxmlElement("w:fldSimple")  # the page number, as a field the reader updates
    page_number.set(qn("w:instr"), "PAGE")
    shown, digits = OxmlElement("w:r"), OxmlElement("w:t")
    digits.text = "1"
    shown.append(digits)
    page_number.append(shown)
    footer._p.append(page_number)  # noqa: SLF001 (python-docx has no API for fields)
    docx.core_properties.title = _clean(doc.title)
    docx.core_properties.language = doc.lang
    docx.core_properties.author = "Accompagnement"
    normal = docx.styles["Normal"]
    normal.font.size = Pt(10.5)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), doc.lang)
    normal.element.get_or_add_rPr().append(language)


def _heading(docx: Docx, doc: Document) -> None:
    docx.add_heading(_clean(doc.title), level=0)
    docx.add_paragraph(_clean(doc.subtitle))
    docx.add_paragraph(_clean(doc.period))
    for extra in (doc.notice, doc.intro):
        if extra:
            docx.add_paragraph(_clean(extra))


def _part(docx: Docx, part: Part) -> None:
    docx.add_heading(_clean(part.title), level=1)
    for paragraph in part.paragraphs:
        # A run's text turns "\n" into a line break inside the paragraph.
        docx.add_paragraph().add_run(_clean(paragraph))


def _section(docx: Docx, section: Section, lang: str) -> None:
    docx.add_heading(_clean(section.title), level=1)
    if section.note:
        docx.add_paragraph(_clean(section.note), style="Caption")
    if section.rows:
        _table(docx, section, lang)


def _table(docx: Docx, section: Section, lang: str) -> None:
    columns = len(section.headers)
    table = docx.add_table(rows=1, cols=columns)
    table.style = "Table Grid"
    for index, (cell, heading) in enumerate(zip(table.rows[0].cells, section.headers, strict=True)):
        cell.paragraphs[0].add_run(_clean(heading)).bold = True
        if index:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_as_header(table)
    for row in section.rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=False)):
            cell.text = _clean(number(value, lang))
            if index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _widths(table, columns)
    docx.add_paragraph()


def _repeat_as_header(table: Table) -> None:
    """Repeat the header row at the top of every page the table runs over."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(flag)  # noqa: SLF001 (python-docx has no API)


def _widths(table: Table, columns: int) -> None:
    """The first column (the row names) takes what the figure columns leave, 6 cm at least."""
    figure = min(3.8, (TEXT_WIDTH_CM - 6) / (columns - 1)) if columns > 1 else 0.0
    first = TEXT_WIDTH_CM - figure * (columns - 1)
    table.autofit = False
    for index, column in enumerate(table.columns):  # the grid: what LibreOffice reads
        column.width = Cm(first if index == 0 else figure)
    for row in table.rows:  # each cell: what Word reads
        for index, cell in enumerate(row.cells):
            cell.width = Cm(first if index == 0 else figure)
