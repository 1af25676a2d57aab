"""Read queries of the waste syndicate pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from accompagnement.extensions import db
from accompagnement.territory.models import Commune, Epci, WasteSyndicate

PER_PAGE = 50


@dataclass(frozen=True)
class SyndicateRow:
    id: int
    name: str
    communes: int


@dataclass(frozen=True)
class Page:
    rows: list[SyndicateRow]
    number: int
    pages: int
    total: int


def syndicates_page(number: int, per_page: int = PER_PAGE) -> Page:
    """Return one page of syndicates by name, with the number of communes each serves."""
    total = db.session.scalar(select(func.count(WasteSyndicate.id))) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    number = min(max(number, 1), pages)
    served = (
        select(Commune.syndicate_id, func.count(Commune.insee).label("n"))
        .group_by(Commune.syndicate_id)
        .subquery()
    )
    query = (
        select(WasteSyndicate.id, WasteSyndicate.name, func.coalesce(served.c.n, 0))
        .outerjoin(served, served.c.syndicate_id == WasteSyndicate.id)
        .order_by(func.lower(WasteSyndicate.name), WasteSyndicate.id)
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    rows = [SyndicateRow(*row) for row in db.session.execute(query)]
    return Page(rows, number, pages, total)


def communes_of(syndicate_id: int) -> list[Commune]:
    return list(
        db.session.scalars(
            select(Commune).where(Commune.syndicate_id == syndicate_id).order_by(Commune.insee)
        )
    )


def epci_choices() -> list[tuple[int, str]]:
    return [(e.id, e.name) for e in db.session.scalars(select(Epci).order_by(Epci.name))]
