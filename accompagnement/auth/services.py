"""Use cases on accounts: create, authenticate, change or reset a password, sign out."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import joinedload

from accompagnement.access import INSTANCE_ROLES, Role
from accompagnement.audit.models import AuditEvent
from accompagnement.audit.services import record
from accompagnement.auth import N_
from accompagnement.auth.models import PartnerScope, User, new_session_token
from accompagnement.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from accompagnement.auth.tokens import user_for_token
from accompagnement.db import utcnow, write_intent
from accompagnement.errors import Forbidden, InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.security import log_event
from accompagnement.tenancy import unscoped


def normalise_email(email: str) -> str:
    """Validate an e-mail address's syntax and return it normalised (lower-case domain)."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(
            N_("Invalid e-mail address"), {"email": N_("Invalid e-mail address")}
        ) from exc


def find_by_email(email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), if any."""
    return db.session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).one_or_none()


def active_coordinator(user_id: int, refusal: str) -> User:
    """Return the user if they are an active coordinator; else refuse with `refusal`."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.role != Role.COORDINATOR:
        raise Forbidden(refusal)
    return user


def create_user(
    email: str,
    *,
    name: str,
    role: str,
    password: str | None = None,
    departements: list[str] | None = None,
    member_id: int | None = None,
    organisation: str | None = None,
) -> User:
    """Create an account; without a password the person sets one through an invitation link."""
    email = normalise_email(email)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if role not in {r.value for r in Role}:
        errors["role"] = N_("Unknown role")
    if not name or len(name) > 120:
        errors["name"] = N_("A name of 1 to 120 characters is required")
    if find_by_email(email) is not None:
        errors["email"] = N_("An account already uses this e-mail address")
    if password is not None:
        problem = password_problem(password, email=email, name=name)
        if problem:
            errors["password"] = problem
    if errors:
        raise InvalidInput(N_("The account could not be created"), errors)
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password) if password else None,
        member_id=member_id,
        organisation=organisation,
    )
    user.departements = [PartnerScope(departement_code=c) for c in departements or []]
    db.session.add(user)
    db.session.flush()
    return user


def join_network(user: User, role: str, departements: list[str] | None = None) -> User:
    """Give an existing person a role in the network in scope (or the national role)."""
    if role not in {r.value for r in Role}:
        raise InvalidInput(N_("Unknown role"), {"role": N_("Unknown role")})
    if role not in INSTANCE_ROLES and user.membership() is not None:
        message = N_("This person already has a role in this network")
        raise InvalidInput(message, {"email": message})
    user.role = role
    if role not in INSTANCE_ROLES:
        user.departements = [PartnerScope(departement_code=c) for c in departements or []]
    db.session.flush()
    return user


def authenticate(email: str, password: str, *, max_failures: int, lock_minutes: int) -> User | None:
    """Return the user when the password is right; count failures and lock the account.

    Every answer costs one password verification, done before anything else is looked at:
    an unknown address, a deactivated or locked account and a wrong password take the same time.
    The verification runs between two transactions: the costly hash never holds the database
    (SQLite's write lock), so a burst of sign-ins does not queue every other write behind it.
    """
    stored = _stored_hash(email)
    right = verify_password(stored, password)
    user = find_by_email(email)
    if user is None:
        return None
    if user.is_locked:
        record("auth.locked_attempt", user_id=user.id)
        db.session.flush()
        return None
    if not user.is_active or not right or user.password_hash != stored:
        register_failure(user, max_failures=max_failures, lock_minutes=lock_minutes)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def _stored_hash(email: str) -> str | None:
    """Read the password hash of an address in a read-only transaction, then end it."""
    intent = write_intent.set(False)
    try:
        user = find_by_email(email)
        stored = user.password_hash if user else None
        db.session.rollback()  # nothing was written: ends the read transaction
    finally:
        write_intent.reset(intent)
    return stored


def register_failure(user: User, *, max_failures: int, lock_minutes: int) -> bool:
    """Count one failed password in the database (atomically); lock the account at the limit."""
    failures = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    locked = failures >= max_failures
    if locked:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=utcnow() + timedelta(minutes=lock_minutes))
            .execution_options(synchronize_session=False)
        )
        record("auth.locked", user_id=user.id)
        log_event("auth.locked", level="warning", user=user.id, minutes=lock_minutes)
    db.session.flush()
    db.session.refresh(user)
    return locked


def set_password(user_id: int, password: str) -> User:
    """Set a new password and sign the user out of every other session."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such user"))
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise InvalidInput(problem, {"password": problem})
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    user.failed_logins = 0
    user.locked_until = None
    record("auth.password_set", user_id=user.id)
    db.session.flush()
    return user


def sign_out_everywhere(user_id: int) -> None:
    """Invalidate every session of a user (logout, deactivation)."""
    user = db.session.get(User, user_id)
    if user is not None:
        user.session_token = new_session_token()
        db.session.flush()


def change_password(
    user_id: int, current: str, new: str, *, max_failures: int, lock_minutes: int
) -> User:
    """Change one's own password after checking the current one; other sessions end."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound(N_("No such user"))
    if not verify_password(user.password_hash, current):
        if register_failure(user, max_failures=max_failures, lock_minutes=lock_minutes):
            sign_out_everywhere(user.id)
        message = N_("The current password is not right.")
        raise InvalidInput(message, {"current_password": message})
    return set_password(user.id, new)


def reset_password(token: str, password: str, *, now: datetime | None = None) -> User:
    """Set a password through a password link (invitation or reset); the link dies."""
    user = user_for_token(token, now=now)
    user = set_password(user.id, password)
    record("auth.password_reset", user_id=user.id)
    return user


def request_password_reset(email: str, *, every_minutes: int = 5) -> User | None:
    """Return the active user to mail a reset link to, or None (unknown, or mailed just now)."""
    user = find_by_email(email) if email else None
    if user is None or not user.is_active:
        return None
    since = utcnow() - timedelta(minutes=every_minutes)
    recent = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.user_id == user.id,
            AuditEvent.action == "auth.reset_mailed",
            AuditEvent.at > since,
        )
    )
    if recent:
        return None
    record("auth.reset_mailed", user_id=user.id)
    db.session.flush()
    return user


def set_locale(user_id: int, locale: str | None, *, languages: list[str]) -> User:
    """Set the interface language of a user (None: follow the browser)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such user"))
    if locale and locale not in languages:
        raise InvalidInput(N_("Unknown language"), {"locale": N_("Unknown language")})
    user.locale = locale or None
    db.session.flush()
    return user


def load_session_user(session_id: str) -> User | None:
    """Return the user of a session identifier "id:token", if the token is still current."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdecimal() or len(user_id) > 9 or not token:
        return None
    # With the person's memberships, which say their networks and role: one statement, built
    # once, for every signed-in request. Every membership of the person: no network is chosen yet.
    with unscoped():
        user = db.session.scalars(_session_user_query(), {"user_id": int(user_id)}).first()
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


@cache
def _session_user_query() -> Select[User]:
    return select(User).options(joinedload(User.memberships)).where(User.id == bindparam("user_id"))
