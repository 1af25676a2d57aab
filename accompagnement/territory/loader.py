"""Load or update the vendored French geography (see data/README.md), in bulk and idempotently.

A yearly COG update renames and merges communes: a commune that left the file and whose code is
now an alias of a current commune has every row that references it repointed to that commune
(projects, members, any foreign key to communes.insee), then goes; one that left without a
successor is kept, so nothing referenced is ever deleted.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Connection, Table, bindparam, func, select

from accompagnement.extensions import db
from accompagnement.territory.models import Commune, CommuneAlias, Departement, Epci, Region
from accompagnement.territory.search import search_key

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = ("regions", "departements", "epcis", "communes", "aliases")
Row = dict[str, Any]


class GeographyFileError(ValueError):
    """A geography extract is missing or malformed."""


@dataclass
class Geography:
    """The rows of the five extracts, keyed as the tables want them."""

    regions: list[Row]
    departements: list[Row]
    epcis: list[Row]
    communes: list[dict[str, str]]
    aliases: list[Row]


@dataclass
class LoadReport:
    """What a load changed."""

    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (inserted, updated)
    merged: dict[str, str] = field(default_factory=dict)  # old code: current code
    kept: list[str] = field(default_factory=list)  # communes gone without successor, kept

    def __str__(self) -> str:
        parts = [
            _("%(table)s: %(added)s added, %(updated)s updated", table=name, added=ins, updated=upd)
            for name, (ins, upd) in self.counts.items()
        ]
        parts.append(_("%(num)s former communes repointed", num=len(self.merged)))
        if self.kept:
            parts.append(_("%(num)s communes no longer in the file kept", num=len(self.kept)))
        return "; ".join(parts)


def _read_csv(directory: Path, name: str) -> list[dict[str, str]]:
    packed, plain = directory / f"{name}.csv.gz", directory / f"{name}.csv"
    if packed.is_file():
        with gzip.open(packed, "rt", encoding="utf-8", newline="") as text:
            return list(csv.DictReader(text))
    if plain.is_file():
        with plain.open(encoding="utf-8", newline="") as text:
            return list(csv.DictReader(text))
    raise GeographyFileError(f"{directory}: {name}.csv.gz (or {name}.csv) not found")


def read_geography(directory: Path = DATA_DIR) -> Geography:
    """Read the extracts of a directory (gzipped or plain CSV), or raise GeographyFileError."""
    raw = {name: _read_csv(directory, name) for name in FILES}
    try:
        return Geography(
            regions=[{"code": r["code"], "name": r["name"]} for r in raw["regions"]],
            departements=[
                {"code": d["code"], "name": d["name"], "region_code": d["region"] or None}
                for d in raw["departements"]
            ],
            epcis=[
                {"siren": e["siren"], "name": e["name"], "kind": e["kind"]} for e in raw["epcis"]
            ],
            communes=raw["communes"],
            aliases=[
                {
                    "code": a["code"],
                    "name": a["name"],
                    "kind": a["kind"],
                    "commune_insee": a["insee"],
                }
                for a in raw["aliases"]
            ],
        )
    except KeyError as exc:
        raise GeographyFileError(f"{directory}: missing column {exc}") from exc


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def _sync(conn: Connection, table: Table, key: str, rows: list[Row]) -> tuple[int, int]:
    """Insert the rows whose key is new and update those that changed; return both counts."""
    columns = list(rows[0]) if rows else []
    existing = {
        r[0]: tuple(r[1:])
        for r in conn.execute(select(table.c[key], *(table.c[c] for c in columns if c != key)))
    }
    new = [r for r in rows if r[key] not in existing]
    changed = [
        r
        for r in rows
        if r[key] in existing and existing[r[key]] != tuple(r[c] for c in columns if c != key)
    ]
    if new:
        conn.execute(table.insert(), new)
    if changed:
        statement = (
            table.update()
            .where(table.c[key] == bindparam("b_" + key))
            .values({c: bindparam("b_" + c) for c in columns if c != key})
        )
        conn.execute(statement, [{"b_" + c: v for c, v in r.items()} for r in changed])
    return len(new), len(changed)


def _commune_rows(geo: Geography, epci_ids: dict[str, int]) -> list[Row]:
    return [
        {
            "insee": c["insee"],
            "name": c["name"],
            "departement_code": c["departement"],
            "epci_id": epci_ids.get(c["epci"]),
            "population": int(c["population"]) if c["population"] else None,
            "postal_codes": c["postal_codes"],
            "search_key": search_key(c["name"]),
        }
        for c in geo.communes
    ]


def load_geography(conn: Connection, geo: Geography | None = None) -> LoadReport:
    """Bring the geography tables in line with `geo` (the vendored extract by default)."""
    geo = geo or read_geography()
    report = LoadReport()
    report.counts["regions"] = _sync(conn, _table(Region), "code", geo.regions)
    report.counts["departements"] = _sync(conn, _table(Departement), "code", geo.departements)
    report.counts["epcis"] = _sync(conn, _table(Epci), "siren", geo.epcis)
    epcis = _table(Epci)
    epci_ids = {s: i for s, i in conn.execute(select(epcis.c.siren, epcis.c.id)) if s}
    rows = _commune_rows(geo, epci_ids)
    report.counts["communes"] = _sync(conn, _table(Commune), "insee", rows)
    current = {r["insee"] for r in rows}
    aliases = [a for a in geo.aliases if a["commune_insee"] in current and a["code"] not in current]
    conn.execute(_table(CommuneAlias).delete())
    if aliases:
        conn.execute(_table(CommuneAlias).insert(), aliases)
    _retire(conn, current, {a["code"]: a["commune_insee"] for a in aliases}, report)
    return report


def referencing_columns() -> list[tuple[Table, str]]:
    """Return every (table, column) holding a foreign key to communes.insee, except the aliases."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name == CommuneAlias.__tablename__:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == Commune.__tablename__:
                found.append((table, fk.parent.name))
    return found


def _retire(
    conn: Connection, current: set[str], successor: dict[str, str], report: LoadReport
) -> None:
    """Repoint the references to communes that left the file for a successor, then drop them."""
    communes = _table(Commune)
    gone = [c for c in conn.scalars(select(communes.c.insee)) if c not in current]
    for code in gone:
        target = successor.get(code)
        if target is None:
            report.kept.append(code)
            continue
        for table, column in referencing_columns():
            conn.execute(table.update().where(table.c[column] == code).values({column: target}))
        syndicate = conn.scalar(select(communes.c.syndicate_id).where(communes.c.insee == code))
        if syndicate is not None:
            conn.execute(
                communes.update()
                .where(communes.c.insee == target, communes.c.syndicate_id.is_(None))
                .values(syndicate_id=syndicate)
            )
        conn.execute(communes.delete().where(communes.c.insee == code))
        report.merged[code] = target


def is_loaded(conn: Connection) -> bool:
    """Tell whether the geography has been loaded (régions come from nowhere else)."""
    return bool(conn.scalar(select(func.count()).select_from(_table(Region))))


def load_if_empty(conn: Connection) -> LoadReport | None:
    """Load the vendored geography when it was never loaded (e.g. after `db upgrade`)."""
    return None if is_loaded(conn) else load_geography(conn)
