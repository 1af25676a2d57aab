"""Use cases of the member directory: create, edit, leave, come back (a project joins through
projects/membership.py). Functions take plain values, check who may act, flush, never commit."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.auth.services import active_coordinator
from accompagnement.db import utcnow
from accompagnement.errors import DomainError, InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.members.models import FUNCTIONS, Member, MemberStatus
from accompagnement.members.validation import (
    CleanMember,
    MemberInput,
    Territory,
    clean,
    name_taken,
)

# Attributes an import leaves as they are when its cell is blank.
KEEPABLE = ("kind", "joined_on", "contact_name", "contact_email", "contact_phone", "website")


class AlreadyMember(DomainError):
    """The project already became a member, or a member already has its name."""

    status = 409


def _coordinator(user_id: int) -> User:
    return active_coordinator(user_id, "Only a coordinator can change the member directory")


def _member(member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None:
        raise NotFound("No such member")
    return member


def _checked(values: MemberInput, member_id: int | None = None) -> CleanMember:
    cleaned, errors = clean(values, Territory.load([values.insee.strip().upper()]))
    if cleaned is not None and name_taken(cleaned.name, member_id):
        errors = {"name": _("A member with this name already exists.")}
    if cleaned is None or errors:
        raise InvalidInput(_("The member has errors."), errors)
    return cleaned


def apply(member: Member, values: CleanMember, keep: frozenset[str] = frozenset()) -> None:
    """Write checked values on a member, except the attributes named in `keep` (a new commune
    is created first)."""
    if values.new_commune is not None:
        db.session.add(values.new_commune)
    member.name = values.name
    member.commune_insee = values.commune_insee
    member.departement_code = values.departement_code
    for function in FUNCTIONS:
        setattr(member, f"does_{function}", function in values.functions)
    for attribute in KEEPABLE:
        if attribute not in keep:
            setattr(member, attribute, getattr(values, attribute))


def create_member(values: MemberInput, *, user_id: int) -> Member:
    """Add a member to the directory (coordinators only)."""
    user = _coordinator(user_id)
    member = Member(status=MemberStatus.MEMBER.value)
    apply(member, _checked(values))
    db.session.add(member)
    db.session.flush()
    record("member.created", user_id=user.id, member_id=member.id)
    return member


def update_member(member_id: int, values: MemberInput, *, user_id: int) -> Member:
    """Change the details of a member (coordinators only)."""
    user = _coordinator(user_id)
    member = _member(member_id)
    apply(member, _checked(values, member.id))
    db.session.flush()
    record("member.updated", user_id=user.id, member_id=member.id)
    return member


def mark_former(member_id: int, left_on: date | None, *, user_id: int) -> Member:
    """Record that a member left the network on a date (today by default)."""
    user = _coordinator(user_id)
    member = _member(member_id)
    left_on = left_on or utcnow().date()
    if left_on > utcnow().date():
        raise InvalidInput(_("Invalid date."), {"left_on": _("The date cannot be in the future.")})
    if member.joined_on and left_on < member.joined_on:
        message = _("A member cannot leave before joining.")
        raise InvalidInput(message, {"left_on": message})
    member.status = MemberStatus.FORMER.value
    member.left_on = left_on
    db.session.flush()
    record("member.left", user_id=user.id, member_id=member.id, left_on=left_on.isoformat())
    return member


def reinstate(member_id: int, *, user_id: int) -> Member:
    """Make a former member a member again (the date it left is cleared)."""
    user = _coordinator(user_id)
    member = _member(member_id)
    member.status = MemberStatus.MEMBER.value
    member.left_on = None
    db.session.flush()
    record("member.reinstated", user_id=user.id, member_id=member.id)
    return member
