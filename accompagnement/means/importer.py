"""Import the coordination's means from a CSV file: every row checked, then all or nothing.

Columns (English or French name): year/année, type, label/libellé, value/valeur (all required).
`type` is staff_time (temps de travail: label = the structure, value = FTE), staff_costs
(charges de personnel), other_costs (autres charges) or funding (financement: label = one of
the network's partner organisations), by key or by label in French or English; amounts in
euros. A line of the same year, type and label is updated, so the same file twice changes
nothing.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accompagnement.errors import InvalidInput
from accompagnement.importing import CsvRow, ImportErrorList, RowError
from accompagnement.importing.pipeline import Column, ImportResult, Schema, counts_summary, run
from accompagnement.means import queries, services
from accompagnement.means.validation import (
    FUNDING,
    LINE_KIND_LABELS,
    LINE_KINDS,
    MeansLine,
    check_line,
)

SCHEMA = Schema(
    columns=(
        Column("year", "année", required=True),
        Column("type", "type", required=True),
        Column("label", "libellé", required=True),
        Column("value", "valeur", required=True),
    ),
    nothing_to_import=_l("The file has no line of means."),
)
FRENCH_KINDS = {
    "staff_time": ("temps de travail", "temps", "etp"),
    "staff_costs": ("charges de personnel", "frais de personnel", "personnel"),
    "other_costs": ("autres charges", "frais annexes", "autres frais"),
    "funding": ("financement", "financement recu", "financeur"),
}
COLUMN_OF_FIELD = {"year": "year", "kind": "type", "label": "label", "value": "value"}


def _kind_lookup() -> dict[str, str]:
    """Accept a type's key, its label in French or English, or a usual French word."""
    lookup: dict[str, str] = {}
    for kind in LINE_KINDS:
        lookup[queries.fold(kind)] = kind
        lookup[queries.fold(kind.replace("_", " "))] = kind
        lookup.update({queries.fold(word): kind for word in FRENCH_KINDS[kind]})
        for language in ("fr", "en"):
            with force_locale(language):
                label = str(LINE_KIND_LABELS[kind])
            lookup[queries.fold(label)] = kind
            lookup[queries.fold(label.split(" (")[0])] = kind
    return lookup


def import_means(data: bytes, *, user_id: int | None) -> ImportResult:
    """Check every row of a CSV file, then save every line, or raise ImportErrorList."""
    return run(data, SCHEMA, _check_rows, lambda lines: _write(lines, user_id))


def summary(result: ImportResult) -> str:
    """Say what an import did, in one line."""
    return counts_summary(result)


def _check_rows(rows: list[CsvRow]) -> tuple[list[tuple[int, MeansLine]], list[RowError]]:
    kinds, funders = _kind_lookup(), queries.organisation_by_name()
    checked: list[tuple[int, MeansLine]] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, str, str], int] = {}
    for row in rows:
        kind = kinds.get(queries.fold(row.get("type")), row.get("type"))
        line, problems = check_line(row.get("year"), kind, row.get("label"), row.get("value"))
        found = [RowError(row.line, m, COLUMN_OF_FIELD[f]) for f, m in problems.items()]
        if row.extra:
            found.append(RowError(row.line, _("more cells than columns")))
        if line is not None and line.kind == FUNDING and queries.fold(line.label) not in funders:
            message = _("unknown funder %(name)r: add it to the network's partner organisations "
                        "first", name=line.label[:80])  # fmt: skip
            found.append(RowError(row.line, message, "label"))
        if line is not None:
            key = (line.year, line.kind, queries.fold(line.label))
            if key in seen:
                message = _("same year, type and label as line %(line)s", line=seen[key])
                found.append(RowError(row.line, message))
            seen.setdefault(key, row.line)
        errors.extend(found)
        if line is not None and not found:
            checked.append((row.line, line))
    return checked, errors


def _write(lines: list[tuple[int, MeansLine]], user_id: int | None) -> ImportResult:
    result = ImportResult(details={"years": sorted({line.year for _n, line in lines})})
    for number, line in lines:
        try:
            outcome = services.save_line(line, user_id=user_id)
        except InvalidInput as refused:
            raise ImportErrorList([RowError(number, refused.message)]) from refused
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
