"""Use cases of user administration (coordinators only): invite, change access, deactivate."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from accompagnement.access import Role
from accompagnement.audit.services import record
from accompagnement.auth import N_
from accompagnement.auth.models import PartnerScope, User
from accompagnement.auth.services import active_coordinator, create_user, sign_out_everywhere
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.models import Organisation
from accompagnement.territory.models import Departement


def _coordinator(actor_id: int) -> User:
    return active_coordinator(actor_id, N_("Only a coordinator manages accounts"))


def _target(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or (user.membership() is None and not user.instance_role):
        raise NotFound(N_("No such user"))  # people of other networks are not managed here
    if user.anonymised_at is not None:
        raise InvalidInput(N_("This account was anonymised"), {"user": N_("Anonymised account")})
    return user


def _check_limits(
    role: str, departements: Sequence[str], member_id: int | None, organisation_id: int | None
) -> tuple[list[str], int | None, int | None]:
    """Validate the limits that go with a role; return those that apply to it."""
    errors: dict[str, str] = {}
    organisation = organisation_id if role == Role.PARTNER else None
    if organisation is not None and db.session.get(Organisation, organisation) is None:
        errors["organisation_id"] = N_("Unknown organisation")
    codes = sorted(set(departements)) if role == Role.PARTNER else []
    if codes:
        known = set(db.session.scalars(select(Departement.code).where(Departement.code.in_(codes))))
        if known != set(codes):
            errors["departements"] = N_("Unknown département")
    member = member_id if role == Role.MEMBER else None
    if role == Role.MEMBER and (member is None or db.session.get(Member, member) is None):
        errors["member_id"] = N_("Choose the member ressourcerie of this account")
    if role not in {r.value for r in Role}:
        errors["role"] = N_("Unknown role")
    if errors:
        raise InvalidInput(N_("The account could not be saved"), errors)
    return codes, member, organisation


def invite_user(
    *,
    actor_id: int,
    email: str,
    name: str,
    role: str,
    departements: Sequence[str] = (),
    member_id: int | None = None,
    organisation_id: int | None = None,
) -> User:
    """Create an account without a password; the person chooses one through a link."""
    actor = _coordinator(actor_id)
    codes, member, organisation = _check_limits(role, departements, member_id, organisation_id)
    user = create_user(email, name=name, role=role, departements=codes, member_id=member)
    user.organisation_id = organisation
    record("admin.user_invited", user_id=actor.id, target=user.id, role=role)
    return user


def _refuse_self(actor: User, user: User, message: str) -> None:
    if actor.id == user.id:
        raise InvalidInput(message, {"user": message})


def change_access(
    user_id: int,
    *,
    actor_id: int,
    role: str,
    departements: Sequence[str] = (),
    member_id: int | None = None,
    organisation_id: int | None = None,
) -> User:
    """Change the role of an account and its limits (partner départements and organisation,
    member)."""
    actor = _coordinator(actor_id)
    user = _target(user_id)
    codes, member, organisation = _check_limits(role, departements, member_id, organisation_id)
    if role != user.role:
        _refuse_self(actor, user, N_("You cannot change your own role"))
    old = user.role
    user.role = role
    user.member_id = member
    user.organisation_id = organisation
    current = {scope.departement_code: scope for scope in user.departements}
    user.departements = [current.get(c) or PartnerScope(departement_code=c) for c in codes]
    record(
        "admin.access_changed",
        user_id=actor.id,
        target=user.id,
        old=old,
        new=role,
        departements=codes,
        member_id=member,
        organisation_id=organisation,
    )
    db.session.flush()
    return user


def deactivate(user_id: int, *, actor_id: int) -> User:
    """Deactivate an account: it can no longer sign in, and its sessions end now."""
    actor = _coordinator(actor_id)
    user = _target(user_id)
    _refuse_self(actor, user, N_("You cannot deactivate your own account"))
    user.active = False
    sign_out_everywhere(user.id)
    record("admin.user_deactivated", user_id=actor.id, target=user.id)
    db.session.flush()
    return user


def reactivate(user_id: int, *, actor_id: int) -> User:
    """Let a deactivated account sign in again (and lift any lock)."""
    actor = _coordinator(actor_id)
    user = _target(user_id)
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    record("admin.user_reactivated", user_id=actor.id, target=user.id)
    db.session.flush()
    return user


def unlock(user_id: int, *, actor_id: int) -> User:
    """Lift the lock put on an account after too many failed sign-ins."""
    actor = _coordinator(actor_id)
    user = _target(user_id)
    user.failed_logins = 0
    user.locked_until = None
    record("admin.user_unlocked", user_id=actor.id, target=user.id)
    db.session.flush()
    return user


def prepare_password_link(user_id: int, *, actor_id: int) -> User:
    """Check a password link may be given to this account, and record who made it."""
    actor = _coordinator(actor_id)
    user = _target(user_id)
    if not user.is_active:
        message = N_("Reactivate the account before sending a link")
        raise InvalidInput(message, {"user": message})
    record("admin.password_link", user_id=actor.id, target=user.id)
    db.session.flush()
    return user
