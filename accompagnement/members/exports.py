"""CSV export of the member directory, safe against formula injection and re-importable.

The file is streamed: the rows are read in batches while the download goes on, so a national
directory never sits whole in a worker's memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from accompagnement.audit.services import record
from accompagnement.csvsafe import csv_chunks
from accompagnement.db import write_intent
from accompagnement.members.models import Member
from accompagnement.members.queries import count_members, members_in_batches

HEADER = (
    "name", "kind", "commune", "insee", "departement", "joined", "functions", "website",
    "contact_name", "contact_email", "contact_phone", "status", "left",
)  # fmt: skip


def members_csv(*, user_id: int | None) -> Iterator[str]:
    """Log the export (it holds contact details), then return the directory as CSV pieces
    (semicolons and a BOM, as French spreadsheets expect), read when the download asks."""
    record("members.exported", user_id=user_id, count=count_members())
    return _pieces()


def _pieces() -> Iterator[str]:
    # The export's audit row is committed by now: reading the rows needs no write lock.
    intent = write_intent.set(False)
    try:
        yield "\ufeff"
        yield from csv_chunks((_row(m) for m in members_in_batches()), HEADER, delimiter=";")
    finally:
        write_intent.reset(intent)


def _row(m: Member) -> tuple[Any, ...]:
    return (
        m.name,
        m.kind,
        m.commune.name if m.commune else "",
        m.commune_insee,
        m.departement_code,
        m.joined_on,
        ";".join(m.functions),
        m.website,
        m.contact_name,
        m.contact_email,
        m.contact_phone,
        m.status,
        m.left_on,
    )
