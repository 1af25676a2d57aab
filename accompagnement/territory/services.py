"""Finding communes: by former code (`resolve_commune`), by what a person types (`search_communes`,
`resolve_typed`). Every import and form that takes an INSEE code goes through `resolve_commune`,
so a code from before a merger still lands on the current commune."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import selectinload

from accompagnement.extensions import db
from accompagnement.territory.models import Commune, CommuneAlias
from accompagnement.territory.search import search_key

MAX_RESULTS = 20
INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
DIGITS = re.compile(r"^\d{2,5}$")
NAME_WITH_CODE = re.compile(r"\(\s*(\d{5}|2[AaBb]\d{3})\s*\)\s*$")


def resolve_commune(code: str | None) -> Commune | None:
    """Return the current commune of an INSEE code, former, delegated and associated codes
    included (one or two primary-key lookups), or None."""
    code = (code or "").strip().upper()
    if not INSEE.match(code):
        return None
    commune = db.session.get(Commune, code)
    if commune is not None:
        return commune
    alias = db.session.get(CommuneAlias, code)
    return db.session.get(Commune, alias.commune_insee) if alias is not None else None


def resolve_communes(codes: Iterable[str]) -> dict[str, Commune]:
    """Return the current commune of each known code (former codes included), in two queries:
    the bulk form of `resolve_commune`, for imports."""
    wanted = {c.strip().upper() for c in codes if c and INSEE.match(c.strip().upper())}
    if not wanted:
        return {}
    found = {
        c.insee: c for c in db.session.scalars(select(Commune).where(Commune.insee.in_(wanted)))
    }
    missing = wanted - set(found)
    if missing:
        aliases = db.session.scalars(
            select(CommuneAlias).where(CommuneAlias.code.in_(missing))
        ).all()
        targets = {a.commune_insee for a in aliases}
        current = {
            c.insee: c
            for c in db.session.scalars(select(Commune).where(Commune.insee.in_(targets)))
        }
        found |= {a.code: current[a.commune_insee] for a in aliases if a.commune_insee in current}
    return found


def _ordered(query: Select[Any], limit: int) -> list[Commune]:
    query = query.options(selectinload(Commune.departement), selectinload(Commune.epci))
    ordered = query.order_by(Commune.population.desc().nulls_last(), Commune.name, Commune.insee)
    return list(db.session.scalars(ordered.limit(limit)))


def _by_name(key: str, limit: int) -> list[Commune]:
    """Names starting with the key (indexed), then names containing it, biggest first."""
    starts: ColumnElement[bool]
    if db.engine.dialect.name == "postgresql":  # the key holds only a-z, 0-9 and spaces
        starts = Commune.search_key.like(key + "%")
    else:  # SQLite's LIKE ignores the index; a range on the binary key uses it
        starts = (Commune.search_key >= key) & (Commune.search_key < key + "~")
    found = _ordered(select(Commune).where(starts), limit)
    if len(found) < limit:
        seen = [c.insee for c in found]
        inside = select(Commune).where(
            Commune.search_key.like(f"% {key}%"), Commune.insee.not_in(seen)
        )
        found += _ordered(inside, limit - len(found))
    return found


def _by_number(digits: str, limit: int) -> list[Commune]:
    """INSEE codes and postal codes starting with these digits."""
    query = select(Commune).where(
        Commune.insee.startswith(digits) | Commune.postal_codes.contains(digits)
    )
    found = _ordered(query, limit)
    former = resolve_commune(digits) if len(digits) == 5 else None
    if former is not None and former not in found:
        found.insert(0, former)
    return found[:limit]


def search_communes(text: str, limit: int = 10) -> list[Commune]:
    """Return at most `limit` (≤ 20) communes matching a name (accents, case, hyphens and "st"
    ignored), a postal code or an INSEE code; best matches first."""
    limit = max(1, min(limit, MAX_RESULTS))
    text = (text or "").strip()[:100]
    match = NAME_WITH_CODE.search(text)
    if match:
        commune = resolve_commune(match.group(1))
        return [commune] if commune else []
    if INSEE.match(text.upper()) and not text.isdigit():
        commune = resolve_commune(text)
        return [commune] if commune else []
    if DIGITS.match(text):
        return _by_number(text, limit)
    key = search_key(text)
    if len(key) < 2:
        return []
    return _by_name(key, limit)


@dataclass(frozen=True)
class Resolution:
    """What a typed commune resolved to: one commune, or the candidates to choose from."""

    commune: Commune | None
    candidates: Sequence[Commune] = ()


def resolve_typed(text: str) -> Resolution:
    """Resolve what a person typed: an INSEE code, "Name (INSEE)", a postal code served by one
    commune, or a name that only one commune bears exactly; otherwise list candidates."""
    text = (text or "").strip()
    match = NAME_WITH_CODE.search(text)
    code = match.group(1) if match else text
    if INSEE.match(code.upper()):
        commune = resolve_commune(code)
        if commune is not None:
            return Resolution(commune)
    key = search_key(text)
    exact = _ordered(select(Commune).where(Commune.search_key == key), 6) if key else []
    if not exact:
        exact = [c for c in search_communes(text, 6) if text in c.postal_codes.split()]
    if len(exact) == 1:
        return Resolution(exact[0])
    return Resolution(None, exact or search_communes(text, 6))


def label(commune: Commune) -> str:
    """Return "Guéret (23096)", what the commune field shows and reads back."""
    return f"{commune.name} ({commune.insee})"


class CommuneNames(Mapping[str, str]):
    """Names of communes by INSEE code (former codes included), looked up when first asked:
    pages show the few communes their forms name without loading the 35,000."""

    def __init__(self) -> None:
        self._names: dict[str, str | None] = {}

    def __getitem__(self, code: str) -> str:
        if code not in self._names:
            commune = resolve_commune(code)
            self._names[code] = commune.name if commune else None
        name = self._names[code]
        if name is None:
            raise KeyError(code)
        return name

    def __iter__(self) -> Iterator[str]:
        return (code for code, name in self._names.items() if name is not None)

    def __len__(self) -> int:
        return sum(1 for name in self._names.values() if name is not None)
