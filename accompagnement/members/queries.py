"""Read queries of the member directory, and who may see whose contact details.

Contact details (name, e-mail, phone of a person) are personal data: coordinators see them all,
a member ressourcerie's account sees its own, partners never do. A partner limited to some
départements sees only the members of those départements.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.auth.queries import partner_scope
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.members.models import FUNCTIONS, Member, MemberStatus
from accompagnement.pagination import Page, clamp
from accompagnement.territory.models import Departement

STATUS_FILTERS = ("member", "former", "all")


@dataclass(frozen=True)
class Filters:
    """The directory filters, already checked (unknown values are dropped)."""

    departement: str | None = None
    status: str = MemberStatus.MEMBER.value
    function: str | None = None

    @classmethod
    def from_args(cls, args: dict[str, str], departements: Sequence[str]) -> Filters:
        """Read filters from query-string values, ignoring what is not a known choice."""
        departement = args.get("departement") or None
        status = args.get("status") or MemberStatus.MEMBER.value
        function = args.get("function") or None
        return cls(
            departement=departement if departement in departements else None,
            status=status if status in STATUS_FILTERS else MemberStatus.MEMBER.value,
            function=function if function in FUNCTIONS else None,
        )


def sees_contact(user: User, member: Member) -> bool:
    """Tell whether `user` may see the contact details of `member`."""
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.MEMBER and user.member_id == member.id


def _visible(user: User) -> Select:
    query = select(Member)
    scope = partner_scope(user)
    if scope is not None:
        query = query.where(Member.departement_code.in_(sorted(scope)))
    return query


def all_departements() -> list[tuple[str, str]]:
    """Return (code, name) of every département, by code."""
    rows = db.session.execute(select(Departement.code, Departement.name).order_by(Departement.code))
    return [(code, name) for code, name in rows]


def departements(user: User) -> list[tuple[str, str]]:
    """Return (code, name) of the départements this user may filter on."""
    scope = partner_scope(user)
    return [(code, name) for code, name in all_departements() if scope is None or code in scope]


def list_members(user: User, filters: Filters, number: int = 1) -> tuple[Sequence[Member], Page]:
    """Return one page of the members this user may see, filtered, with their commune, by name."""
    query = _filtered(user, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp(number, total)
    members = db.session.scalars(
        query.options(selectinload(Member.commune))
        .order_by(Member.name)
        .offset(page.offset)
        .limit(page.per_page)
    ).all()
    return members, page


def _filtered(user: User, filters: Filters) -> Select:
    query = _visible(user)
    if filters.departement:
        query = query.where(Member.departement_code == filters.departement)
    if filters.status != "all":
        query = query.where(Member.status == filters.status)
    if filters.function:
        query = query.where(getattr(Member, f"does_{filters.function}").is_(True))
    return query


def get_member(user: User, member_id: int) -> Member:
    """Load a member this user may see, or raise NotFound."""
    member = db.session.scalars(
        _visible(user).options(selectinload(Member.commune)).where(Member.id == member_id)
    ).one_or_none()
    if member is None:
        raise NotFound("No such member")
    return member


def count_members() -> int:
    """Return how many members the directory holds, whatever their status."""
    return db.session.scalar(select(func.count()).select_from(Member)) or 0


def members_in_batches(batch: int = 500) -> Iterator[Member]:
    """Yield every member with its commune, by name, read `batch` rows at a time (the export)."""
    query = (
        select(Member)
        .options(joinedload(Member.commune))
        .order_by(Member.name, Member.id)
        .execution_options(yield_per=batch)
    )
    yield from db.session.scalars(query)
