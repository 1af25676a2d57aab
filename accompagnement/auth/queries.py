"""Read queries about accounts that other features share: what a partner account may see."""

from __future__ import annotations

from sqlalchemy import select

from accompagnement.access import Role
from accompagnement.auth.models import PartnerScope, User
from accompagnement.extensions import db


def partner_scope(user: User) -> frozenset[str] | None:
    """Return the départements a partner is limited to, or None when it sees them all."""
    if user.role != Role.PARTNER:
        return None
    codes = db.session.scalars(
        select(PartnerScope.departement_code).where(PartnerScope.user_id == user.id)
    ).all()
    return frozenset(codes) or None
