"""Read queries behind the user administration pages."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from accompagnement.auth.models import User, in_current_network
from accompagnement.errors import NotFound
from accompagnement.extensions import db
from accompagnement.members.models import Member, MemberStatus
from accompagnement.network import queries as network_queries
from accompagnement.pagination import Page, clamp


def list_users(
    role: str | None = None, active: bool | None = None, number: int = 1
) -> tuple[Sequence[User], Page]:
    """Return one page of accounts by name, filtered by role and status, limits and roles loaded."""
    query = select(User).where(in_current_network())  # the network's people only
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp(number, total)
    users = db.session.scalars(
        query.options(
            selectinload(User.departements),
            selectinload(User.member),
            selectinload(User.memberships),
        )
        .order_by(User.name, User.id)
        .offset(page.offset)
        .limit(page.per_page)
    ).all()
    return users, page


def get_user(user_id: int) -> User:
    """Return one account with its limits, or raise NotFound."""
    user = db.session.scalars(
        select(User)
        .options(
            selectinload(User.departements),
            selectinload(User.member),
            selectinload(User.memberships),
        )
        .where(User.id == user_id, in_current_network())
    ).one_or_none()
    if user is None:
        raise NotFound("No such user")
    return user


def departement_choices() -> list[tuple[str, str]]:
    """Return (code, "code name") of the network's départements (every loaded one as fallback)."""
    return network_queries.departement_choices()


def organisation_choices(include_id: int | None = None) -> list[tuple[int, str]]:
    """Return (id, name) of the network's active partner organisations (plus `include_id`)."""
    return network_queries.organisation_choices(include_id)


def member_choices(include_id: int | None = None) -> list[tuple[int, str]]:
    """Return (id, name) of current members, plus `include_id` even if it left the network."""
    condition = Member.status == MemberStatus.MEMBER.value
    if include_id is not None:
        condition = condition | (Member.id == include_id)
    rows = db.session.execute(select(Member.id, Member.name).where(condition).order_by(Member.name))
    return [(member_id, name) for member_id, name in rows]
