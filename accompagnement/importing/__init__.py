"""CSV imports shared by every feature: the reader and the error list of the one pipeline.

Every importer goes through the same steps:

- `read_csv` (here) reads the file: UTF-8 with or without BOM, or Windows-1252; comma, semicolon
  or tab; it refuses a file larger than IMPORT_MAX_MB or with more than IMPORT_MAX_ROWS data rows
  before any row is checked, and undoes the quote that csvsafe.safe_cell puts before a formula
  sign, so an exported file imports back as it was;
- `importing.pipeline` maps the header to the importer's declared columns (`Schema`: English
  and French names), checks every row with the importer's check function, then applies them all
  or none (`run`), and returns the one `ImportResult`; a refused file raises ImportErrorList,
  listing every bad line (and column);
- `importing.commands` gives every importer the same command, `flask import <kind> FILE
  [--by EMAIL] [--dry-run] [--lang fr|en]`; `run_upload` (here), `importing.forms.ImportForm`
  and `templates/importing/page.html` give every importer the same page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from flask.cli import AppGroup
from flask_babel import gettext as _

from accompagnement.csvsafe import restore_cell
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.textsafe import strip_invisible

R = TypeVar("R")

import_group = AppGroup("import", help="Import data from CSV files (all or nothing).")

DELIMITERS = (",", ";", "\t")
DEFAULT_MAX_MB = 5
DEFAULT_MAX_ROWS = 20000


@dataclass(frozen=True)
class RowError:
    """What is wrong with one line of an imported file (line 1 is the header)."""

    line: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        if self.column:
            return _(
                "Line %(line)s, column %(column)s: %(message)s",
                line=self.line,
                column=self.column,
                message=self.message,
            )
        return _("Line %(line)s: %(message)s", line=self.line, message=self.message)


class ImportErrorList(InvalidInput):
    """An import refused as a whole; `rows` lists every bad line, in file order."""

    def __init__(self, rows: Iterable[RowError]) -> None:
        self.rows = sorted(rows, key=lambda r: r.line)
        super().__init__(
            "The file was not imported",
            {f"line {r.line}" + (f" {r.column}" if r.column else ""): r.message for r in self.rows},
        )

    def lines(self) -> list[str]:
        """Return one readable sentence per error."""
        return [str(r) for r in self.rows]


def run_upload(form: Any, importer: Callable[[bytes], R]) -> tuple[R | None, list[RowError]]:
    """Run an all-or-nothing import on the file of a valid upload form, as every import page
    does: commit when it worked; roll back and return the rows in error when it did not."""
    if not form.validate_on_submit():
        return None, []
    try:
        result = importer(form.file.data.read())
    except ImportErrorList as refused:
        db.session.rollback()
        return None, refused.rows
    db.session.commit()
    return result, []


@dataclass(frozen=True)
class CsvRow:
    """One data row: its line number in the file and its cells keyed by header name."""

    line: int
    values: dict[str, str]
    extra: list[str]

    def get(self, key: str) -> str:
        """Return a cell stripped of surrounding spaces and invisible characters ("" if missing)."""
        return strip_invisible(self.values.get(key) or "").strip()


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else Windows-1252; refuse anything else."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        message = _("The file is neither UTF-8 nor Windows-1252 text.")
        raise ImportErrorList([RowError(1, message)]) from exc


def guess_delimiter(first_line: str) -> str:
    """Pick the delimiter the header line uses most (comma when none is present)."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def normalise_header(name: str) -> str:
    """Lower-case a column name and strip spaces and a stray BOM."""
    return name.replace("\ufeff", "").strip().lower()


def import_limits() -> tuple[int, int]:
    """Return the largest file (bytes) and the most data rows an import accepts."""
    config = current_app.config if has_app_context() else {}
    max_mb = int(config.get("IMPORT_MAX_MB") or DEFAULT_MAX_MB)
    return max_mb * 1024 * 1024, int(config.get("IMPORT_MAX_ROWS") or DEFAULT_MAX_ROWS)


def _too_large(size: int, max_bytes: int) -> ImportErrorList:
    message = _(
        "The file is too large (%(size)s MB): an import takes at most %(max)s MB. "
        "Split it into several files.",
        size=f"{size / 1024 / 1024:.1f}",
        max=max_bytes // 1024 // 1024,
    )
    return ImportErrorList([RowError(1, message)])


def _too_many_rows(max_rows: int) -> ImportErrorList:
    message = _("The file has more than %(max)s rows: split it into several files.", max=max_rows)
    return ImportErrorList([RowError(1, message)])


def read_csv(data: bytes) -> tuple[list[str], list[CsvRow]]:
    """Read a CSV file: return its normalised header and its non-blank rows with line numbers.

    A file over the import limits (size, rows) is refused as a whole.
    """
    max_bytes, max_rows = import_limits()
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    text = decode(data)
    if "\x00" in text:
        raise ImportErrorList([RowError(1, _("The file is not a text file."))])
    if not text.strip():
        raise ImportErrorList([RowError(1, _("The file is empty."))])
    delimiter = guess_delimiter(text.lstrip("\r\n").splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[CsvRow] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [normalise_header(c) for c in cells]
                _check_header(header, line)
                continue
            cells = [restore_cell(c) for c in cells]
            values = dict(zip(header, cells, strict=False))
            rows.append(CsvRow(line, values, [c for c in cells[len(header) :] if c.strip()]))
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
    except csv.Error as exc:
        raise ImportErrorList(
            [RowError(start, _("Malformed CSV: %(error)s", error=str(exc)))]
        ) from exc
    if header is None:
        raise ImportErrorList([RowError(1, _("The file is empty."))])
    return header, rows


def _check_header(header: list[str], line: int) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise ImportErrorList(
                [RowError(line, _("The column %(name)s appears twice.", name=name))]
            )
        seen.add(name)


def check_columns(
    header: list[str],
    required: Iterable[str],
    optional: Iterable[str] = (),
    shown: Callable[[str], str] = str,
) -> list[RowError]:
    """Return errors (on line 1) for missing required columns and unknown columns.

    `shown` names an expected column in the reader's language (its French header in French).
    """
    required = list(required)
    known = set(required) | set(optional)
    errors = []
    missing = [shown(c) for c in required if c not in header]
    if missing:
        errors.append(RowError(1, _("Missing columns: %(names)s.", names=", ".join(missing))))
    unknown = [c for c in header if c and c not in known]
    if unknown:
        errors.append(
            RowError(
                1,
                _(
                    "Unknown columns: %(names)s (expected: %(expected)s).",
                    names=", ".join(unknown),
                    expected=", ".join(shown(c) for c in [*required, *optional]),
                ),
            )
        )
    return errors


def register(app: Flask) -> None:
    """Attach the `import` command group to the app (safe to call more than once)."""
    if app.cli.commands.get("import") is not import_group:
        app.cli.add_command(import_group)
