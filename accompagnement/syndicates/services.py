"""Waste syndicates, which the official geography does not list: the coordinator manages them.

A commune is served by at most one syndicate (Commune.syndicate_id). Communes are looked up
through territory.services.resolve_commune, the one lookup every import and page uses.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from accompagnement.audit.services import record
from accompagnement.auth import N_
from accompagnement.auth.models import User
from accompagnement.auth.services import active_coordinator
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.territory.models import Commune, Epci, WasteSyndicate
from accompagnement.territory.services import resolve_commune

MAX_NAME = 200


def _coordinator(user_id: int) -> User:
    return active_coordinator(user_id, "Only a coordinator manages waste syndicates")


def get_syndicate(syndicate_id: int) -> WasteSyndicate:
    syndicate = db.session.get(WasteSyndicate, syndicate_id)
    if syndicate is None:
        raise NotFound("No such waste syndicate")
    return syndicate


def clean_name(name: str) -> str:
    """Return a syndicate name without extra spaces, or raise InvalidInput."""
    name = " ".join((name or "").split())
    if not 0 < len(name) <= MAX_NAME:
        raise InvalidInput(
            "Invalid name", {"name": N_("A name of 1 to 200 characters is required")}
        )
    return name


def by_name(name: str) -> WasteSyndicate | None:
    """Return the syndicate with this name, whatever the case."""
    return db.session.scalars(
        select(WasteSyndicate).where(func.lower(WasteSyndicate.name) == name.lower())
    ).first()


def _check_free(name: str, syndicate_id: int | None = None) -> None:
    other = by_name(name)
    if other is not None and other.id != syndicate_id:
        raise InvalidInput("Name taken", {"name": N_("A waste syndicate already has this name")})


def create_syndicate(name: str, *, user_id: int) -> WasteSyndicate:
    """Add a waste syndicate (its name unique, whatever the case)."""
    user = _coordinator(user_id)
    name = clean_name(name)
    _check_free(name)
    syndicate = WasteSyndicate(name=name)
    db.session.add(syndicate)
    db.session.flush()
    record("syndicate.created", user_id=user.id, syndicate=syndicate.id, name=name)
    return syndicate


def rename_syndicate(syndicate_id: int, name: str, *, user_id: int) -> WasteSyndicate:
    user = _coordinator(user_id)
    syndicate = get_syndicate(syndicate_id)
    name = clean_name(name)
    _check_free(name, syndicate.id)
    syndicate.name = name
    db.session.flush()
    record("syndicate.renamed", user_id=user.id, syndicate=syndicate.id, name=name)
    return syndicate


def communes_served(syndicate_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Commune.insee)).where(Commune.syndicate_id == syndicate_id)
        )
        or 0
    )


def delete_syndicate(syndicate_id: int, *, user_id: int) -> None:
    """Delete a syndicate that serves no commune."""
    user = _coordinator(user_id)
    syndicate = get_syndicate(syndicate_id)
    if communes_served(syndicate.id):
        raise InvalidInput(
            "In use", {"syndicate": N_("This syndicate still serves communes: remove them first")}
        )
    db.session.delete(syndicate)
    db.session.flush()
    record("syndicate.deleted", user_id=user.id, syndicate=syndicate_id)


def parse_codes(text: str) -> tuple[list[str], list[str]]:
    """Split a list of INSEE codes (spaces, commas, semicolons, lines); return known, unknown."""
    known: list[str] = []
    unknown: list[str] = []
    for raw in text.replace(",", " ").replace(";", " ").split():
        commune = resolve_commune(raw)
        if commune is None:
            unknown.append(raw[:10])
        elif commune.insee not in known:
            known.append(commune.insee)
    return known, unknown


def set_communes(
    syndicate_id: int, codes: Iterable[str], *, epci_id: int | None = None, user_id: int
) -> int:
    """Make the syndicate serve exactly these communes (plus every commune of an EPCI).

    A commune served by another syndicate moves to this one. Return how many it serves.
    """
    user = _coordinator(user_id)
    syndicate = get_syndicate(syndicate_id)
    wanted = set(codes)
    if epci_id is not None:
        if db.session.get(Epci, epci_id) is None:
            raise InvalidInput("Unknown EPCI", {"epci": N_("Unknown intercommunality")})
        wanted |= set(db.session.scalars(select(Commune.insee).where(Commune.epci_id == epci_id)))
    db.session.execute(
        update(Commune)
        .where(Commune.syndicate_id == syndicate.id, Commune.insee.not_in(sorted(wanted)))
        .values(syndicate_id=None)
    )
    if wanted:
        db.session.execute(
            update(Commune)
            .where(Commune.insee.in_(sorted(wanted)))
            .values(syndicate_id=syndicate.id)
        )
    db.session.flush()
    db.session.expire_all()
    record("syndicate.communes_set", user_id=user.id, syndicate=syndicate.id, communes=len(wanted))
    return len(wanted)
