"""The rights of a person over their data: export everything about them, anonymise them.

Both follow the column registry (privacy/personal_data.py): the export gathers, in every table, the
rows linked to the person and the columns marked exported; anonymisation applies each column's
erasure to the rows the person owns (their account, what they wrote or uploaded). Projects,
states and transition records stay, so the pipeline statistics do not change. Both are logged.
Services flush; the caller commits.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, update
from sqlalchemy import Table as CoreTable

from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.csvsafe import write_csv
from accompagnement.db import utcnow
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.privacy.personal_data import REGISTRY, Erasure, Table

ERASED_TEXT = "[contenu supprimé]"
PSEUDONYM = "Personne anonymisée #{id}"
ANONYMOUS_EMAIL = "anonyme-{id}@anonyme.invalid"
EXPORT_FORMATS = ("json", "csv")


@dataclass
class Person:
    """Whom a request is about: an account, or only an address (a member's contact)."""

    email: str
    user: User | None
    project_ids: list[int] = field(default_factory=list)


@dataclass
class Anonymisation:
    """What anonymising a person changed: rows per table."""

    user_id: int | None
    rows: dict[str, int]
    already_done: bool = False


def find_person(email: str) -> Person:
    """Return the person with this address, or raise NotFound when nothing is about them."""
    email = (email or "").strip().lower()
    user = db.session.scalars(select(User).where(func.lower(User.email) == email)).one_or_none()
    person = Person(email=email, user=user)
    if user is not None:
        person.project_ids = _held_projects(user.id)
        return person
    if not any(_rows(name, policy, person, owned_only=True) for name, policy in _linked()):
        raise NotFound("No personal data is held for this e-mail address")
    return person


def export_person(email: str, *, fmt: str = "json", actor_id: int | None = None) -> str:
    """Return everything held about a person, as JSON or CSV, and log the export."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    person = find_person(email)
    data = collect(person)
    record(
        "privacy.exported",
        user_id=actor_id,
        subject_id=person.user.id if person.user else None,
        format=fmt,
        rows=sum(len(rows) for rows in data["tables"].values()),
    )
    db.session.flush()
    return to_json(data) if fmt == "json" else to_csv(data)


def collect(person: Person) -> dict[str, Any]:
    """Gather the exported columns of every row linked to a person, table by table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, policy in _linked():
        columns = [c for c, kind in policy.columns.items() if kind.exported]
        if columns:
            tables[name] = [
                {c: _plain(row[c]) for c in columns}
                for row in _rows(name, policy, person, owned_only=False)
            ]
    return {
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "email": person.email,
        "user_id": person.user.id if person.user else None,
        "tables": tables,
    }


def to_json(data: Mapping[str, Any]) -> str:
    """Return an export as indented JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def to_csv(data: Mapping[str, Any]) -> str:
    """Return an export as one CSV of (table, row, column, value), safe for spreadsheets."""
    lines = []
    for table, rows in data["tables"].items():
        for index, row in enumerate(rows, start=1):
            for column, value in row.items():
                if isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False)
                lines.append((table, index, column, value))
    return write_csv(lines, ["table", "row", "column", "value"])


def anonymise_person(email: str, *, actor_id: int | None = None) -> Anonymisation:
    """Anonymise the person with this address (account and member contacts) and log it."""
    person = find_person(email)
    if person.user is not None:
        return anonymise_user(person.user.id, actor_id=actor_id, reason="request")
    rows = _erase(person)
    record("privacy.anonymised", user_id=actor_id, subject_id=None, reason="request", rows=rows)
    db.session.flush()
    return Anonymisation(user_id=None, rows=rows)


def anonymise_user(user_id: int, *, actor_id: int | None = None, reason: str) -> Anonymisation:
    """Anonymise one account and what its owner wrote, keeping projects and their history."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    if user.anonymised_at is not None:
        return Anonymisation(user_id=user.id, rows={}, already_done=True)
    person = Person(email=user.email.lower(), user=user)
    db.session.flush()
    rows = _erase(person)
    db.session.expire_all()
    record("privacy.anonymised", user_id=actor_id, subject_id=user_id, reason=reason, rows=rows)
    db.session.flush()
    return Anonymisation(user_id=user_id, rows=rows)


def _linked() -> list[tuple[str, Table]]:
    """Return the tables whose rows can be about a person, in registry order."""
    return [(n, p) for n, p in REGISTRY.items() if p.owner or p.email or p.project]


def _table(name: str) -> CoreTable:
    return db.metadata.tables[name]


def _held_projects(user_id: int) -> list[int]:
    holders = _table("project_holders")
    rows = db.session.execute(select(holders.c.project_id).where(holders.c.user_id == user_id))
    return sorted(rows.scalars())


def _condition(table: CoreTable, policy: Table, person: Person, owned_only: bool) -> Any:
    """Return the SQL condition selecting the rows linked to (or owned by) a person."""
    parts: list[ColumnElement[bool]] = []
    if person.user is not None:
        parts += [table.c[name] == person.user.id for name in policy.owner]
    parts += [func.lower(table.c[name]) == person.email for name in policy.email]
    if not owned_only and policy.project and person.project_ids:
        parts.append(table.c[policy.project].in_(person.project_ids))
    return or_(*parts) if parts else false()


def _rows(name: str, policy: Table, person: Person, *, owned_only: bool) -> list[Any]:
    table = _table(name)
    query = select(table).where(_condition(table, policy, person, owned_only))
    order = list(table.primary_key.columns)
    return list(db.session.execute(query.order_by(*order)).mappings())


def _erase(person: Person) -> dict[str, int]:
    """Apply the registry's erasure to every row the person owns; return rows changed per table."""
    changed: dict[str, int] = {}
    for name, policy in _linked():
        actions = {c: kind.erasure for c, kind in policy.columns.items()}
        actions = {c: a for c, a in actions.items() if a is not Erasure.KEEP}
        if not actions:
            continue
        table = _table(name)
        rows = _rows(name, policy, person, owned_only=True)
        for row in rows:
            keys = [pk == row[pk.name] for pk in table.primary_key.columns]
            values = {c: ERASERS[action](row, c) for c, action in actions.items()}
            db.session.execute(update(table).where(*keys).values(values))
        if rows:
            changed[name] = len(rows)
    return changed


def _filename(row: Mapping[str, Any], column: str) -> str:
    suffix = PurePath(str(row[column] or "")).suffix.lower()
    suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 10 else ""
    return f"document-{row['id']}{suffix}"


ERASERS: dict[Erasure, Callable[[Mapping[str, Any], str], Any]] = {
    Erasure.NULL: lambda _row, _c: None,
    Erasure.PLACEHOLDER: lambda _row, _c: ERASED_TEXT,
    Erasure.PSEUDONYM: lambda row, _c: PSEUDONYM.format(id=row["id"]),
    Erasure.EMAIL: lambda row, _c: ANONYMOUS_EMAIL.format(id=row["id"]),
    Erasure.TOKEN: lambda _row, _c: secrets.token_urlsafe(32),
    Erasure.FILENAME: _filename,
    Erasure.NOW: lambda _row, _c: utcnow(),
}


def _plain(value: Any) -> Any:
    """Return a value JSON can hold (dates as ISO 8601, decimals as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value
