"""Import members' yearly reports from a CSV file: all or nothing, every bad row reported.

Columns: `member` (the member's name as in the directory, or its number) and `year`, then any
of the indicator columns (see `indicators.INDICATORS`, also listed on the upload page and in
`flask import observatory --help`). A blank cell means "not known". A column left out of the
file leaves the stored value as it is. Importing the same file twice changes nothing: a report
is matched on member + year and updated only when a value differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from accompagnement.audit.services import record
from accompagnement.extensions import db
from accompagnement.importing import CsvRow, ImportErrorList, RowError, check_columns, read_csv
from accompagnement.members.models import Member
from accompagnement.observatory.indicators import INDICATORS, KEYS
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.services import acting_user, write_report
from accompagnement.observatory.validation import BadNumber, check_rules, parse_values, parse_year

REQUIRED = ["member", "year"]
COLUMNS = [*REQUIRED, *KEYS]


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    years: set[int] = field(default_factory=set)


@dataclass
class _Row:
    line: int
    member_id: int
    year: int
    values: dict[str, Any]


def fold(name: str) -> str:
    """Fold a name for comparison: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def import_reports(data: bytes, *, user_id: int | None, today: date | None = None) -> ImportResult:
    """Check every row of a CSV file, then create or update the reports (flush, no commit).

    Raise ImportErrorList (every bad line) when anything is wrong; nothing is written then.
    """
    user = acting_user(user_id)
    header, lines = read_csv(data)
    header_errors = check_columns(header, REQUIRED, KEYS)
    if header_errors:
        raise ImportErrorList(header_errors)
    rows, errors = _check_rows(header, lines, _members(), today)
    existing = _existing({(r.member_id, r.year) for r in rows})
    for row in rows:
        report = existing.get((row.member_id, row.year))
        base = report.values() if report else {}
        problems = check_rules({**base, **row.values})
        errors.extend(RowError(row.line, message) for message in problems.values())
    if errors:
        raise ImportErrorList(errors)
    return _write(rows, existing, user.id if user else None)


def _members() -> dict[str, int]:
    """Return member ids keyed by folded name and by number."""
    found: dict[str, int] = {}
    for member_id, name in db.session.execute(select(Member.id, Member.name)):
        found[fold(name)] = member_id
        found[str(member_id)] = member_id
    return found


def _check_rows(
    header: list[str], rows: list[CsvRow], members: Mapping[str, int], today: date | None
) -> tuple[list[_Row], list[RowError]]:
    good: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        line, cells = row.line, {k: row.get(k) for k in header}
        messages: list[str] = []
        if row.extra:
            messages.append(_("More cells than columns."))
        name = cells.get("member", "")
        member_id = members.get(fold(name))
        if not name:
            messages.append(_("The member is missing."))
        elif member_id is None:
            messages.append(_("Unknown member: %(name)s.", name=name[:100]))
        try:
            year: int | None = parse_year(cells.get("year"), today)
        except BadNumber as exc:
            year = None
            messages.append(f"year: {exc}")
        values, value_errors = parse_values({k: v for k, v in cells.items() if k in KEYS})
        messages.extend(f"{key}: {message}" for key, message in value_errors.items())
        if member_id is not None and year is not None:
            first = seen.setdefault((member_id, year), line)
            if first != line:
                messages.append(_("Same member and year as line %(line)s.", line=first))
        if messages:
            errors.extend(RowError(line, m) for m in messages)
        else:
            assert member_id is not None and year is not None
            good.append(_Row(line, member_id, year, values))
    return good, errors


def _existing(keys: set[tuple[int, int]]) -> dict[tuple[int, int], ObservatoryReport]:
    if not keys:
        return {}
    reports = db.session.scalars(
        select(ObservatoryReport).where(
            ObservatoryReport.member_id.in_({m for m, _ in keys}),
            ObservatoryReport.year.in_({y for _, y in keys}),
        )
    )
    return {(r.member_id, r.year): r for r in reports}


def _write(
    rows: list[_Row], existing: Mapping[tuple[int, int], ObservatoryReport], user_id: int | None
) -> ImportResult:
    result = ImportResult()
    for row in rows:
        report = existing.get((row.member_id, row.year))
        _report, outcome = write_report(
            row.member_id, row.year, row.values, report=report, user_id=user_id
        )
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.years.add(row.year)
    record(
        "observatory.imported",
        user_id=user_id,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


def column_help() -> list[tuple[str, str, str]]:
    """Return (column, label, unit) of every column of the file, for the upload page."""
    return [
        ("member", _("Member ressourcerie: its name as in the directory, or its number"), ""),
        ("year", _("Year of the figures, e.g. %(year)s", year=date.today().year - 1), ""),
        *[(i.key, str(i.label), i.unit) for i in INDICATORS],
    ]
