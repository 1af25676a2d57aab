"""The report as a PDF, drawn with fpdf2 (pure Python).

French text needs its accents: a TrueType font shipped with the system (DejaVu Sans on Debian) is
embedded when found; otherwise the PDF falls back to the built-in Helvetica, whose Windows-1252
encoding still covers French (é, è, à, ç, œ, €), other characters being simplified.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import FontFace

from accompagnement.reports.document import Chart, Document, Part, Section, number

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
# Characters outside Windows-1252 that French text and number formats commonly use.
SIMPLER = str.maketrans(
    {"\u202f": " ", "\u2009": " ", "\u2011": "-", "\u2212": "-", "\u2026": "..."}
)


def find_font(dirs: Sequence[Path] = FONT_DIRS) -> Path | None:
    """Return the DejaVu Sans regular font file of this machine, if any."""
    for folder in dirs:
        if (folder / REGULAR).is_file():
            return folder / REGULAR
    return None


class ReportPDF(FPDF):
    """An A4 page layout with the report's title in the footer and page numbers."""

    def __init__(self, font: Path | None) -> None:
        super().__init__(format="A4")
        self.bold = True
        if font is not None:
            self.add_font("report", "", str(font))
            bold = font.with_name(BOLD)
            if bold.is_file():
                self.add_font("report", "B", str(bold))
            else:
                self.bold = False
            self.family_key = "report"
        else:
            self.core_fonts_encoding = "windows-1252"
            self.family_key = "helvetica"
        self.footer_text = ""
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def text_of(self, value: str) -> str:
        """Return text the chosen font can write."""
        if self.family_key == "report":
            return value
        simple = value.translate(SIMPLER)
        return simple.encode("cp1252", errors="replace").decode("cp1252")

    def style(self, size: float, bold: bool = False) -> None:
        """Set the font size, in bold when available."""
        self.set_font(self.family_key, "B" if bold and self.bold else "", size)

    def footer(self) -> None:
        self.set_y(-12)
        self.style(8)
        self.cell(0, 6, self.text_of(f"{self.footer_text} · {self.page_no()}/{{nb}}"), align="C")


def render_pdf(doc: Document, font: Path | None = None, *, use_system_font: bool = True) -> bytes:
    """Return the PDF bytes of a laid-out report."""
    font = font or (find_font() if use_system_font else None)
    pdf = ReportPDF(font)
    pdf.footer_text = doc.title
    pdf.set_title(pdf.text_of(doc.title))
    pdf.set_lang(doc.lang)
    pdf.set_creator("Accompagnement")
    pdf.add_page()
    _heading(pdf, doc)
    for part in doc.narrative:
        _part(pdf, part)
    for section in doc.sections:
        _section(pdf, section, doc.lang)
    pdf.ln(4)
    if doc.closing:
        pdf.style(10)
        pdf.multi_cell(0, 5, pdf.text_of(doc.closing), new_x="LMARGIN", new_y="NEXT")
    pdf.style(8)
    pdf.multi_cell(0, 5, pdf.text_of(doc.footer))
    return bytes(pdf.output())


def _heading(pdf: ReportPDF, doc: Document) -> None:
    pdf.style(17, bold=True)
    pdf.multi_cell(0, 9, pdf.text_of(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.style(11)
    pdf.multi_cell(0, 6, pdf.text_of(doc.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, pdf.text_of(doc.period), new_x="LMARGIN", new_y="NEXT")
    if doc.notice:
        pdf.ln(2)
        pdf.style(10, bold=True)
        pdf.multi_cell(0, 6, pdf.text_of(doc.notice), new_x="LMARGIN", new_y="NEXT")
        pdf.style(11)
    if doc.intro:
        pdf.ln(2)
        pdf.multi_cell(0, 6, pdf.text_of(doc.intro), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _part(pdf: ReportPDF, part: Part) -> None:
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(2)
    pdf.style(13, bold=True)
    pdf.multi_cell(0, 7, pdf.text_of(part.title), new_x="LMARGIN", new_y="NEXT")
    pdf.style(10)
    for paragraph in part.paragraphs:
        pdf.multi_cell(0, 5, pdf.text_of(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _section(pdf: ReportPDF, section: Section, lang: str) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(2)
    pdf.style(13, bold=True)
    pdf.multi_cell(0, 7, pdf.text_of(section.title), new_x="LMARGIN", new_y="NEXT")
    if section.note:
        pdf.style(9)
        pdf.multi_cell(0, 5, pdf.text_of(section.note), new_x="LMARGIN", new_y="NEXT")
    if section.rows:
        _table(pdf, section, lang)
    if section.chart is not None and section.chart.bars:
        _chart(pdf, section.chart)
    pdf.ln(2)


BAR_HEIGHT, BAR_GAP = 4.2, 1.6  # millimetres


def _chart(pdf: ReportPDF, chart: Chart) -> None:
    """Draw a chart's bars under its table: labels left, bars, the values written after."""
    bars = chart.bars
    height = len(bars) * (BAR_HEIGHT + BAR_GAP) + 8
    if pdf.will_page_break(height):
        pdf.add_page()
    pdf.ln(2)
    pdf.style(9, bold=True)
    pdf.cell(0, 5, pdf.text_of(chart.title), new_x="LMARGIN", new_y="NEXT")
    pdf.style(8)
    label_w = min(max(pdf.get_string_width(pdf.text_of(b.label)) for b in bars) + 3, 70)
    value_w = max(pdf.get_string_width(pdf.text_of(b.shown)) for b in bars) + 3
    plot_w = pdf.epw - label_w - value_w
    top = max((b.value for b in bars), default=0) or 1
    x, y = pdf.l_margin, pdf.get_y() + 1
    for bar in bars:
        width = max(plot_w * max(bar.value, 0) / top, 0.2)
        pdf.set_xy(x, y)
        pdf.cell(label_w - 2, BAR_HEIGHT, pdf.text_of(_fit(pdf, bar.label, label_w - 3)),
                 align="R")  # fmt: skip
        colour = (138, 75, 0) if bar.alt else (31, 107, 74)  # the page's accent and brand
        with pdf.local_context(fill_color=colour):
            pdf.rect(x + label_w, y + 0.4, width, BAR_HEIGHT - 0.8, style="F")
        pdf.set_xy(x + label_w + width + 1, y)
        pdf.cell(value_w, BAR_HEIGHT, pdf.text_of(bar.shown))
        y += BAR_HEIGHT + BAR_GAP
    pdf.set_xy(x, y + 1)


def _fit(pdf: ReportPDF, label: str, width: float) -> str:
    """Shorten a label to a width, with an ellipsis."""
    if pdf.get_string_width(pdf.text_of(label)) <= width:
        return label
    while label and pdf.get_string_width(pdf.text_of(label + "...")) > width:
        label = label[:-1]
    return label.rstrip() + "..."


def _table(pdf: ReportPDF, section: Section, lang: str) -> None:
    columns = len(section.headers)
    first = 4 if columns <= 4 else 2.4  # wide tables (years, openings) give the names less
    widths = (1,) if columns == 1 else (first,) + (1.4,) * (columns - 1)
    align = ("LEFT",) + ("RIGHT",) * (columns - 1)
    headings = FontFace(emphasis=TextEmphasis.B if pdf.bold else TextEmphasis.NONE)
    pdf.style(10)
    with pdf.table(
        col_widths=widths, text_align=align, headings_style=headings, line_height=6,
        padding=(1, 2), first_row_as_headings=True,
    ) as table:  # fmt: skip
        table.row([pdf.text_of(h) for h in section.headers])
        for row in section.rows:
            table.row([pdf.text_of(number(cell, lang)) for cell in row])
