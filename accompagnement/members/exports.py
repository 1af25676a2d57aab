"""CSV export of the member directory, safe against formula injection and re-importable."""

from __future__ import annotations

from accompagnement.audit.services import record
from accompagnement.csvsafe import write_csv
from accompagnement.members.queries import all_members

HEADER = (
    "name", "kind", "commune", "insee", "departement", "joined", "functions", "website",
    "contact_name", "contact_email", "contact_phone", "status", "left",
)  # fmt: skip


def members_csv(*, user_id: int | None) -> str:
    """Return the whole directory as a CSV text (semicolons and a BOM, as French spreadsheets
    expect), and log the export: it holds contact details."""
    members = all_members()
    rows = [
        (
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
        for m in members
    ]
    record("members.exported", user_id=user_id, count=len(rows))
    return "\ufeff" + write_csv(rows, HEADER, delimiter=";")
