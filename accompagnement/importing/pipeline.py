"""The one import pipeline: declared columns, every row checked, then all rows applied or none.

An importer declares its `Schema` (each column's English key and French header name, which are
required, header families such as date_<stage>) and two functions: `check(rows)` returns the
checked rows and every error (line and column), `apply(checked)` writes them through the
feature's services (flush, never commit) and returns the `ImportResult`. `run` chains them::

    result = run(data, SCHEMA, _check_rows, _write)

Header names are compared folded: case, accents, spaces, hyphens and apostrophes do not matter,
so "Code INSEE", "code_insee" and "code-insee" are the same column, and "Adhésion" is "adhesion".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from flask_babel import get_locale
from flask_babel import gettext as _

from accompagnement.importing import CsvRow, ImportErrorList, RowError, check_columns, read_csv

Checked = TypeVar("Checked")


@dataclass(frozen=True)
class Column:
    """One column of an import file: its key (the English header) and its French header."""

    key: str
    french: str
    required: bool = False


@dataclass(frozen=True)
class Schema:
    """The columns an importer reads, each under its English key or its French name.

    `families` maps a French header prefix to the English one (motif_ -> reason_) for columns
    named after data (date_<stage>); `more` gives optional keys known only at run time;
    `ignored` are accepted and left aside (columns of an export the import does not read).
    """

    columns: tuple[Column, ...]
    nothing_to_import: Any  # a lazy message: the file has a header and no row
    families: tuple[tuple[str, str], ...] = ()
    more: Callable[[], Iterable[str]] = tuple
    ignored: tuple[str, ...] = ()

    @property
    def required(self) -> list[str]:
        return [c.key for c in self.columns if c.required]

    @property
    def optional(self) -> list[str]:
        return [c.key for c in self.columns if not c.required]

    def key_of(self, header: str) -> str:
        """Return the key of a header name, English or French ("" stays "")."""
        folded = fold_header(header)
        for column in self.columns:
            if folded in (column.key, fold_header(column.french)):
                return column.key
        for french, english in self.families:
            if folded.startswith(french) and len(folded) > len(french):
                return english + folded[len(french) :]
        return folded


def fold_header(name: str) -> str:
    """Fold a header name: no accents, lower case, words joined by _ (Code INSEE: code_insee)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "_".join(re.split(r"[^0-9a-z]+", plain)).strip("_")


@dataclass
class ImportResult:
    """What an import did, the same for every importer.

    created, updated and unchanged count the file's rows (a row already there and left as it
    was is unchanged: importers that never update call it skipped). `details` holds what an
    importer tells on top (holder accounts created, the records created), read as attributes:
    `result.holders_created`.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return self.unchanged

    def __getattr__(self, name: str) -> Any:
        details = self.__dict__.get("details", {})
        if name in details:
            return details[name]
        raise AttributeError(name)


def read_rows(data: bytes, schema: Schema) -> list[CsvRow]:
    """Read a file whose columns are the schema's (English or French names); raise if not."""
    header, rows = read_csv(data)
    keys = [schema.key_of(name) if name else "" for name in header]
    errors = _twice(keys) or check_columns(
        keys, schema.required, [*schema.optional, *schema.more(), *schema.ignored], _shown(schema)
    )
    if errors:
        raise ImportErrorList(errors)
    if not rows:
        raise ImportErrorList([RowError(1, str(schema.nothing_to_import))])
    renamed = dict(zip(header, keys, strict=True))
    return [replace(r, values={renamed[k]: v for k, v in r.values.items()}) for r in rows]


def _shown(schema: Schema) -> Callable[[str], str]:
    """Name the expected columns in the reader's language: their French headers in French."""
    locale = get_locale()
    if locale is None or locale.language != "fr":
        return str
    french = {column.key: column.french for column in schema.columns}
    return lambda key: french.get(key, key)


def _twice(keys: list[str]) -> list[RowError]:
    """Refuse a column given twice, e.g. under its English and its French name."""
    seen: set[str] = set()
    for key in keys:
        if key and key in seen:
            return [RowError(1, _("The column %(name)s appears twice.", name=key))]
        seen.add(key)
    return []


def run(
    data: bytes,
    schema: Schema,
    check: Callable[[list[CsvRow]], tuple[Checked, list[RowError]]],
    apply: Callable[[Checked], ImportResult],
) -> ImportResult:
    """Read a file, check every row, then apply them all; raise ImportErrorList on any error."""
    checked, errors = check(read_rows(data, schema))
    if errors:
        raise ImportErrorList(errors)
    return apply(checked)


def counts_summary(result: ImportResult) -> str:
    """Say in one line how many rows an import created, updated and left unchanged."""
    return _(
        "%(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
