"""Import members' yearly reports from a CSV file: all or nothing, every bad row reported.

Columns: `member`/`adhérent` (the member's name as in the directory, or its number) and
`year`/`année`, then any of the indicator columns (see `indicators.INDICATORS`, also listed on
the upload page and in `flask import observatory --help`), each under its key or its French
name (`FRENCH`). A blank cell means "not known". A column left out of the
file leaves the stored value as it is. Importing the same file twice changes nothing: a report
is matched on member + year and updated only when a value differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accompagnement.audit.services import record
from accompagnement.extensions import db
from accompagnement.importing import CsvRow, RowError
from accompagnement.importing.pipeline import Column, ImportResult, Schema, counts_summary, run
from accompagnement.members.models import Member
from accompagnement.observatory.indicators import INDICATORS, KEYS
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.services import acting_user, write_report
from accompagnement.observatory.validation import BadNumber, check_rules, parse_values, parse_year

# The French header of each indicator column: a French network's spreadsheet may use these.
FRENCH = {
    "collected_dropoff": "collecte apport volontaire",
    "collected_dechetterie": "collecte déchèterie",
    "collected_home": "collecte à domicile",
    "collected_bulky": "collecte encombrants",
    "collected_business": "collecte entreprises",
    "flow_furniture": "flux mobilier",
    "flow_electrical": "flux électroménager",
    "flow_textile": "flux textile",
    "flow_books": "flux livres",
    "flow_tableware": "flux vaisselle et objets",
    "flow_toys": "flux jouets",
    "flow_bikes": "flux vélos",
    "flow_other": "flux autres",
    "out_sale": "sortie vente",
    "out_donation": "sortie don",
    "out_recycling": "sortie recyclage",
    "out_disposal": "sortie élimination",
    "turnover": "chiffre d'affaires",
    "sales_count": "nombre de ventes",
    "headcount": "effectif",
    "fte": "ETP",
    "women_percent": "pourcentage de femmes",
    "contracts_permanent": "contrats CDI",
    "contracts_fixed_term": "contrats CDD",
    "contracts_subsidised": "contrats aidés",
    "contracts_integration": "contrats insertion",
    "volunteers": "bénévoles",
    "volunteer_hours": "heures de bénévolat",
    "awareness_actions": "actions de sensibilisation",
    "people_reached": "personnes sensibilisées",
}
SCHEMA = Schema(
    columns=(
        Column("member", "adhérent", required=True),
        Column("year", "année", required=True),
        *(Column(key, FRENCH[key]) for key in KEYS),
    ),
    nothing_to_import=_l("The file has no report."),
)
COLUMNS = [c.key for c in SCHEMA.columns]


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
    return run(
        data,
        SCHEMA,
        lambda rows: _check(rows, today),
        lambda checked: _write(*checked, user.id if user else None),
    )


summary = counts_summary  # the shared "created, updated, unchanged" line


Existing = Mapping[tuple[int, int], ObservatoryReport]


def _check(
    lines: list[CsvRow], today: date | None
) -> tuple[tuple[list[_Row], Existing], list[RowError]]:
    """Check every row alone, then each against the report it updates."""
    rows, errors = _check_rows(lines, _members(), today)
    existing = _existing({(r.member_id, r.year) for r in rows})
    for row in rows:
        report = existing.get((row.member_id, row.year))
        base = report.values() if report else {}
        problems = check_rules({**base, **row.values})
        errors.extend(RowError(row.line, message) for message in problems.values())
    return (rows, existing), errors


def _members() -> dict[str, int]:
    """Return member ids keyed by folded name and by number."""
    found: dict[str, int] = {}
    for member_id, name in db.session.execute(select(Member.id, Member.name)):
        found[fold(name)] = member_id
        found[str(member_id)] = member_id
    return found


def _check_rows(
    rows: list[CsvRow], members: Mapping[str, int], today: date | None
) -> tuple[list[_Row], list[RowError]]:
    good: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        line, cells = row.line, {k: row.get(k) for k in row.values}
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


def _write(rows: list[_Row], existing: Existing, user_id: int | None) -> ImportResult:
    result = ImportResult(details={"years": set()})
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


def column_help() -> list[tuple[str, str, str, str]]:
    """Return (column, French name, label, unit) of every column of the file, for the page."""
    meanings = [
        (_("Member ressourcerie: its name as in the directory, or its number"), ""),
        (_("Year of the figures, e.g. %(year)s", year=date.today().year - 1), ""),
        *[(str(i.label), i.unit) for i in INDICATORS],
    ]
    columns = zip(SCHEMA.columns, meanings, strict=True)
    return [(c.key, c.french, *meaning) for c, meaning in columns]
