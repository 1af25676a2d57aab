"""Import activities from a CSV file: every row is checked first, then all or nothing.

Columns (English or French name): date, type, title/titre (required), ressourceries,
visitor/visiteur, participants, partner/partenaire, notes. `ressourceries` holds member names
separated by ";". A row whose date, type and title already exist is skipped, so importing the
same file twice duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from accompagnement.activities import queries
from accompagnement.activities.models import Activity
from accompagnement.activities.services import (
    ActivityInput,
    acting_coordinator,
    check_activity,
    today,
)
from accompagnement.audit.services import record
from accompagnement.engine.values import Unreadable, parse_date, parse_integer
from accompagnement.extensions import db
from accompagnement.importing import CsvRow, ImportErrorList, RowError
from accompagnement.importing.pipeline import Column, ImportResult, Schema, run
from accompagnement.members.models import Member
from accompagnement.network.models import TYPE_LABELS, ActivityType

SCHEMA = Schema(
    columns=(
        Column("date", "date", required=True),
        Column("type", "type", required=True),
        Column("title", "titre", required=True),
        Column("ressourceries", "ressourceries"),
        Column("visitor", "visiteur"),
        Column("participants", "participants"),
        Column("partner", "partenaire"),
        Column("notes", "notes"),
    ),
    nothing_to_import=_l("The file has no activity."),
)
MAX_PARTICIPANTS = 999_999_999
LANGUAGES = ("fr", "en")
FIELD_NAMES = {"member_ids": "ressourceries", "end_date": "date", "status": "date"}


@dataclass
class _Row:
    line: int
    values: ActivityInput
    members: list[Member]


def _type_lookup() -> dict[str, str]:
    """Accept a type's key, or its label in French or English, whatever the case.

    Both languages, whatever the user's: a French spreadsheet imported from an English shell.
    """
    lookup = {}
    for type_ in ActivityType:
        lookup[queries.fold(type_.value)] = type_.value
        lookup[queries.fold(type_.value.replace("_", " "))] = type_.value
        for language in LANGUAGES:
            with force_locale(language):
                lookup[queries.fold(str(TYPE_LABELS[type_]))] = type_.value
    return lookup


def import_activities(data: bytes, *, user_id: int | None) -> ImportResult:
    """Check every row of a CSV file, then create the new activities, or raise ImportErrorList."""
    acting_coordinator(user_id)
    return run(data, SCHEMA, _check_rows, lambda rows: _write(rows, user_id))


def summary(result: ImportResult) -> str:
    """Say what an import did, in one line."""
    return _(
        "%(created)s activities imported, %(skipped)s already in the log.",
        created=result.created,
        skipped=result.skipped,
    )


def _check_rows(csv_rows: list[CsvRow]) -> tuple[list[_Row], list[RowError]]:
    members, types, on = queries.member_by_name(), _type_lookup(), today()
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[dt.date, str, str], int] = {}
    for csv_row in csv_rows:
        line = csv_row.line
        row, problems = _check_row(csv_row, members, types, on)
        if row is not None:
            key = (row.values.date, row.values.type, row.values.title)
            if key in seen:
                problems.append(_("same date, type and title as line %(line)s", line=seen[key]))
            seen.setdefault(key, line)
        if problems:
            errors.extend(RowError(line, p) for p in problems)
        elif row is not None:
            rows.append(row)
    return rows, errors


def _check_row(
    cells: CsvRow, members: dict[str, Member], types: dict[str, str], on: dt.date
) -> tuple[_Row | None, list[str]]:
    problems: list[str] = []
    if cells.extra:
        problems.append(
            _('more cells than columns: quote a cell that contains the separator ("A;B")')
        )
    date = _date(cells.get("date"))
    if date is None:
        problems.append(
            _("bad date %(value)r (use YYYY-MM-DD or DD/MM/YYYY)", value=cells.get("date")[:30])
        )
    type_ = types.get(queries.fold(cells.get("type")))
    if type_ is None:
        problems.append(_("unknown type %(value)r", value=cells.get("type")[:40]))
    found, unknown = _members_of(cells.get("ressourceries"), members)
    problems.extend(_("unknown ressourcerie %(name)r", name=name[:80]) for name in unknown)
    participants, participants_problem = _participants(cells.get("participants"))
    if participants_problem:
        problems.append(participants_problem)
    if date is None or type_ is None:
        return None, problems
    values = ActivityInput(
        date=date,
        type=type_,
        title=cells.get("title"),
        member_ids=[m.id for m in found],
        visitor=cells.get("visitor").lower() or None,
        partner=cells.get("partner"),
        participants=participants,
        notes=cells.get("notes"),
    ).normalised(on)
    checks = check_activity(values, on)
    if unknown:
        checks.pop("member_ids", None)  # already said which names are unknown
    problems.extend(f"{FIELD_NAMES.get(k, k)}: {msg}" for k, msg in checks.items())
    return _Row(cells.line, values, found), problems


def _members_of(text: str, members: dict[str, Member]) -> tuple[list[Member], list[str]]:
    found: list[Member] = []
    unknown: list[str] = []
    for name in (n.strip() for n in text.split(";")):
        if not name:
            continue
        member = members.get(queries.fold(name))
        if member is None:
            unknown.append(name)
        elif member not in found:
            found.append(member)
    return found, unknown


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except Unreadable:
        return None


def _participants(text: str) -> tuple[int | None, str | None]:
    if not text:
        return None, None
    try:
        value = parse_integer(text)
    except Unreadable:
        value = None
    if value is None or value > MAX_PARTICIPANTS:
        return None, _("participants: %(value)r is not a whole number", value=text[:20])
    if value < 0:
        return None, _("participants: the number of participants cannot be negative")
    return value, None


def _write(rows: list[_Row], user_id: int | None) -> ImportResult:
    result = ImportResult(details={"activities": []})
    taken = queries.existing_keys((r.values.date, r.values.type, r.values.title) for r in rows)
    for row in rows:
        v = row.values
        if (v.date, v.type, v.title) in taken:
            result.unchanged += 1
            continue
        activity = Activity(
            date=v.date, type=v.type, title=v.title, visitor=v.visitor, partner=v.partner,
            participants=v.participants, notes=v.notes, status=v.status,
            created_by_id=user_id, members=row.members,
        )  # fmt: skip
        db.session.add(activity)
        result.activities.append(activity)
    result.created = len(result.activities)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # someone added the same activity meanwhile
        raise ImportErrorList([RowError(1, _("The log changed meanwhile: import again."))]) from exc
    record("activity.imported", user_id=user_id, created=result.created, skipped=result.skipped)
    return result
