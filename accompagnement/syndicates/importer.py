"""Import which communes each waste syndicate serves: columns syndicate,commune (INSEE code).

All or nothing; a syndicate named for the first time is created; a commune takes the syndicate
its line names. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from accompagnement.audit.services import record
from accompagnement.extensions import db
from accompagnement.importing import (
    CsvRow,
    ImportErrorList,
    RowError,
    check_columns,
    read_csv,
)
from accompagnement.syndicates import services
from accompagnement.territory.models import WasteSyndicate
from accompagnement.territory.services import resolve_commune

REQUIRED = ["syndicate", "commune"]


@dataclass
class ImportResult:
    syndicates_created: int = 0
    communes_changed: int = 0
    unchanged: int = 0


def import_syndicates(data: bytes, *, user_id: int | None) -> ImportResult:
    """Check every row, then create the syndicates and assign the communes, or raise."""
    header, csv_rows = read_csv(data)
    errors = check_columns(header, REQUIRED)
    if errors:
        raise ImportErrorList(errors)
    if not csv_rows:
        raise ImportErrorList([RowError(1, _("The file has no commune."))])
    pairs, errors = _check(csv_rows)
    if errors:
        raise ImportErrorList(errors)
    return _write(pairs, user_id)


def _check(csv_rows: list[CsvRow]) -> tuple[list[tuple[str, str]], list[RowError]]:
    pairs: list[tuple[str, str]] = []
    errors: list[RowError] = []
    seen: dict[str, tuple[int, str]] = {}
    for row in csv_rows:
        name = " ".join(row.get("syndicate").split())
        if not 0 < len(name) <= services.MAX_NAME:
            message = _("a name of 1 to 200 characters is required")
            errors.append(RowError(row.line, message, "syndicate"))
        commune = resolve_commune(row.get("commune"))
        if commune is None:
            message = _("unknown INSEE code %(code)r", code=row.get("commune")[:10])
            errors.append(RowError(row.line, message, "commune"))
            continue
        first = seen.setdefault(commune.insee, (row.line, name.lower()))
        if first[1] != name.lower():
            message = _("another syndicate on line %(line)s", line=first[0])
            errors.append(RowError(row.line, message, "commune"))
        pairs.append((name, commune.insee))
    return pairs, errors


def _write(pairs: list[tuple[str, str]], user_id: int | None) -> ImportResult:
    result = ImportResult()
    syndicates: dict[str, WasteSyndicate] = {}
    for name, insee in pairs:
        key = name.lower()
        if key not in syndicates:
            found = services.by_name(name)
            if found is None:
                found = WasteSyndicate(name=name)
                db.session.add(found)
                db.session.flush()
                result.syndicates_created += 1
            syndicates[key] = found
        commune = resolve_commune(insee)
        assert commune is not None
        if commune.syndicate_id == syndicates[key].id:
            result.unchanged += 1
        else:
            commune.syndicate_id = syndicates[key].id
            result.communes_changed += 1
    db.session.flush()
    record(
        "syndicate.imported",
        user_id=user_id,
        created=result.syndicates_created,
        changed=result.communes_changed,
    )
    return result
