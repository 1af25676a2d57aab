"""Import the member directory from a CSV file, all or nothing.

Columns (English or French name): name/nom, commune, insee/code INSEE, departement/département,
joined/adhésion, functions/fonctions (required) and kind/type, website/site web,
contact_name/contact nom, contact_email/contact courriel, contact_phone/contact téléphone
(optional); status and left (written by the export) are accepted and ignored. A row whose name
matches an existing member (ignoring case and accents) updates it, so importing the same file
twice adds nothing; on an update, a blank optional cell leaves the stored value as it is.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accompagnement.audit.services import record
from accompagnement.engine.values import Unreadable, parse_date
from accompagnement.extensions import db
from accompagnement.importing import CsvRow, RowError
from accompagnement.importing.pipeline import Column, ImportResult, Schema, counts_summary, run
from accompagnement.members.models import FUNCTIONS, Member, MemberStatus
from accompagnement.members.services import apply
from accompagnement.members.validation import (
    CleanMember,
    MemberInput,
    Territory,
    clean,
    parse_functions,
    simplify,
)

SCHEMA = Schema(
    columns=(
        Column("name", "nom", required=True),
        Column("commune", "commune", required=True),
        Column("insee", "code INSEE", required=True),
        Column("departement", "département", required=True),
        Column("joined", "adhésion", required=True),
        Column("functions", "fonctions", required=True),
        Column("kind", "type"),
        Column("website", "site web"),
        Column("contact_name", "contact nom"),
        Column("contact_email", "contact courriel"),
        Column("contact_phone", "contact téléphone"),
    ),
    nothing_to_import=_l("The file has no member."),
    # Columns of the export that an import accepts and leaves aside (leaving is done on the page).
    ignored=("status", "left"),
)
COLUMN_OF_FIELD = {"joined_on": "joined", "functions": "functions"}
ATTRIBUTE_OF_COLUMN = {
    "kind": "kind",
    "joined": "joined_on",
    "website": "website",
    "contact_name": "contact_name",
    "contact_email": "contact_email",
    "contact_phone": "contact_phone",
}


def import_members(data: bytes, *, user_id: int | None) -> ImportResult:
    """Check every row of a members CSV file, then create or update members (or raise)."""
    result = run(data, SCHEMA, _check_rows, _write)
    record(
        "members.imported",
        user_id=user_id,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


summary = counts_summary  # the shared "created, updated, unchanged" line


def _input(row: CsvRow, errors: list[RowError]) -> MemberInput:
    """Read the cells of a row as member values; date and function problems go to `errors`."""
    joined = None
    if row.get("joined"):
        try:
            joined = parse_date(row.get("joined"))
        except Unreadable:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "joined: %(value)s is not a date (YYYY-MM-DD or DD/MM/YYYY).",
                        value=row.get("joined"),
                    ),
                )
            )
    try:
        functions = parse_functions(row.get("functions"))
    except ValueError as exc:
        functions = frozenset(FUNCTIONS)
        errors.append(
            RowError(
                row.line,
                _(
                    "functions: unknown %(value)s (expected %(expected)s).",
                    value=str(exc),
                    expected=";".join(FUNCTIONS),
                ),
            )
        )
    return MemberInput(
        name=row.get("name"),
        kind=row.get("kind") or "ressourcerie",
        commune=row.get("commune"),
        insee=row.get("insee"),
        departement=row.get("departement"),
        joined_on=joined,
        functions=functions,
        contact_name=row.get("contact_name"),
        contact_email=row.get("contact_email"),
        contact_phone=row.get("contact_phone"),
        website=row.get("website"),
    )


def _blank(row: CsvRow) -> frozenset[str]:
    """Return the attributes whose cell is blank: an update leaves them as they are."""
    return frozenset(attr for col, attr in ATTRIBUTE_OF_COLUMN.items() if not row.get(col))


def _check_rows(
    rows: list[CsvRow],
) -> tuple[list[tuple[CleanMember, frozenset[str]]], list[RowError]]:
    territory = Territory.load(r.get("insee").upper() for r in rows)
    errors: list[RowError] = []
    checked: list[tuple[CleanMember, frozenset[str]]] = []
    first_line: dict[str, int] = {}
    new_communes: dict[str, CleanMember] = {}
    for row in rows:
        row_errors: list[RowError] = []
        if row.extra:
            row_errors.append(RowError(row.line, _("More cells than columns.")))
        values = _input(row, row_errors)
        cleaned, messages = clean(values, territory)
        for field_name, message in messages.items():
            column = COLUMN_OF_FIELD.get(field_name, field_name)
            row_errors.append(RowError(row.line, f"{column}: {message}"))
        key = simplify(values.name)
        if key and key in first_line:
            row_errors.append(
                RowError(
                    row.line,
                    _(
                        "name: %(name)s already appears on line %(line)s.",
                        name=values.name,
                        line=first_line[key],
                    ),
                )
            )
        first_line.setdefault(key, row.line)
        if cleaned is not None and not row_errors:
            _share_new_commune(cleaned, new_communes)
            checked.append((cleaned, _blank(row)))
        errors += row_errors
    return checked, errors


def _share_new_commune(cleaned: CleanMember, seen: dict[str, CleanMember]) -> None:
    """Create a new commune once even when several rows name it."""
    if cleaned.new_commune is None:
        return
    if cleaned.commune_insee in seen:
        cleaned.new_commune = None
    else:
        seen[cleaned.commune_insee] = cleaned


def _write(checked: list[tuple[CleanMember, frozenset[str]]]) -> ImportResult:
    existing = {simplify(m.name): m for m in db.session.scalars(select(Member))}
    created = updated = unchanged = 0
    for values, blank in checked:
        member = existing.get(simplify(values.name))
        if member is None:
            member = Member(status=MemberStatus.MEMBER.value)
            apply(member, values)
            db.session.add(member)
            created += 1
            continue
        before = _snapshot(member)
        apply(member, values, keep=blank)
        if _snapshot(member) == before:
            unchanged += 1
        else:
            updated += 1
    db.session.flush()
    return ImportResult(created, updated, unchanged)


SNAPSHOT = (
    "name",
    "kind",
    "commune_insee",
    "departement_code",
    "joined_on",
    "functions",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
)


def _snapshot(member: Member) -> tuple[object, ...]:
    return tuple(getattr(member, name) for name in SNAPSHOT)
