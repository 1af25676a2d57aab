"""CSV exports that a spreadsheet cannot turn into formulas (OWASP "CSV injection").

A text cell starting with = + - @ tab or carriage return is prefixed with a single quote, so
Excel and LibreOffice show it as text instead of evaluating it. Numbers are written as they are:
a negative number is data, not a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """Return the text of one cell, neutralised when a spreadsheet could read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """Undo safe_cell on text read back from a file: drop the quote put before a formula sign."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_chunks(
    rows: Iterable[Sequence[Any]],
    header: Sequence[str],
    *,
    delimiter: str = ",",
    rows_per_chunk: int = 500,
) -> Iterator[str]:
    """Yield a CSV document (header first) a few hundred rows at a time, for a streamed download;
    every cell passed through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(v) for v in row])
        if count % rows_per_chunk == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_csv(rows: Iterable[Sequence[Any]], header: Sequence[str], *, delimiter: str = ",") -> str:
    """Return a whole CSV document (header first), every cell passed through safe_cell."""
    return "".join(csv_chunks(rows, header, delimiter=delimiter))
