"""Read queries of the waste syndicate pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from accompagnement.extensions import db
from accompagnement.pagination import PER_PAGE, Page, clamp
from accompagnement.territory.models import Commune, Epci, WasteSyndicate


@dataclass(frozen=True)
class SyndicateRow:
    id: int
    name: str
    communes: int


def syndicates_page(number: int, per_page: int = PER_PAGE) -> tuple[Page, list[SyndicateRow]]:
    """Return one page of syndicates by name, with the number of communes each serves."""
    total = db.session.scalar(select(func.count(WasteSyndicate.id))) or 0
    page = clamp(number, total, per_page)
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
        .offset(page.offset)
    )
    return page, [SyndicateRow(*row) for row in db.session.execute(query)]


def communes_of(syndicate_id: int) -> list[Commune]:
    return list(
        db.session.scalars(
            select(Commune).where(Commune.syndicate_id == syndicate_id).order_by(Commune.insee)
        )
    )


def epci_choices() -> list[tuple[int, str]]:
    return [(e.id, e.name) for e in db.session.scalars(select(Epci).order_by(Epci.name))]
