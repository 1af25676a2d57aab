"""Import which communes each waste syndicate serves: columns syndicate (syndicat), commune
(its INSEE code).

All or nothing; a syndicate named for the first time is created; a commune takes the syndicate
its line names. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accompagnement.audit.services import record
from accompagnement.extensions import db
from accompagnement.importing import CsvRow, RowError
from accompagnement.importing.pipeline import Column, ImportResult, Schema, run
from accompagnement.syndicates import services
from accompagnement.territory.models import WasteSyndicate
from accompagnement.territory.services import resolve_commune

SCHEMA = Schema(
    columns=(
        Column("syndicate", "syndicat", required=True),
        Column("commune", "commune", required=True),
    ),
    nothing_to_import=_l("The file has no commune."),
)


def import_syndicates(data: bytes, *, user_id: int | None) -> ImportResult:
    """Check every row, then create the syndicates and assign the communes, or raise.

    A row whose commune changes syndicate is updated; `syndicates_created` counts new syndicates.
    """
    return run(data, SCHEMA, _check, lambda pairs: _write(pairs, user_id))


def summary(result: ImportResult) -> str:
    """Say what an import did, in one line."""
    return _(
        "%(created)s syndicates created, %(changed)s communes assigned, %(unchanged)s unchanged.",
        created=result.syndicates_created,
        changed=result.updated,
        unchanged=result.unchanged,
    )


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
    result = ImportResult(details={"syndicates_created": 0})
    syndicates: dict[str, WasteSyndicate] = {}
    for name, insee in pairs:
        key = name.lower()
        if key not in syndicates:
            found = services.by_name(name)
            if found is None:
                found = WasteSyndicate(name=name)
                db.session.add(found)
                db.session.flush()
                result.details["syndicates_created"] += 1
            syndicates[key] = found
        commune = resolve_commune(insee)
        assert commune is not None
        if commune.syndicate_id == syndicates[key].id:
            result.unchanged += 1
        else:
            commune.syndicate_id = syndicates[key].id
            result.updated += 1
    db.session.flush()
    result.details["communes_changed"] = result.updated
    record(
        "syndicate.imported",
        user_id=user_id,
        created=result.syndicates_created,
        changed=result.updated,
    )
    return result
