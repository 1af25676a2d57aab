"""Use cases on accounts: create, authenticate, change password, deactivate."""

from __future__ import annotations

from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from accompagnement.audit.services import record
from accompagnement.auth.models import PartnerScope, Role, User, new_session_token
from accompagnement.auth.passwords import hash_password, needs_rehash, password_problem
from accompagnement.auth.passwords import verify_password
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db


def normalise_email(email: str) -> str:
    """Validate an e-mail address's syntax and return it normalised (lower-case domain)."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput("Invalid e-mail address", {"email": "Invalid e-mail address"}) from exc


def find_by_email(email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), if any."""
    return db.session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).one_or_none()


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
        errors["role"] = "Unknown role"
    if not name or len(name) > 120:
        errors["name"] = "A name of 1 to 120 characters is required"
    if find_by_email(email) is not None:
        errors["email"] = "An account already uses this e-mail address"
    if password is not None:
        problem = password_problem(password, email=email, name=name)
        if problem:
            errors["password"] = problem
    if errors:
        raise InvalidInput("The account could not be created", errors)
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


def authenticate(email: str, password: str, *, max_failures: int, lock_minutes: int) -> User | None:
    """Return the user when the password is right; count failures and lock the account."""
    user = find_by_email(email)
    now = utcnow()
    if user is None:
        verify_password(None, password)
        return None
    if user.locked_until and user.locked_until > now:
        verify_password(None, password)
        record("auth.locked_attempt", user_id=user.id)
        return None
    if not user.is_active or not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            record("auth.locked", user_id=user.id)
        db.session.flush()
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def set_password(user_id: int, password: str) -> User:
    """Set a new password and sign the user out of every other session."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
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


def load_session_user(session_id: str) -> User | None:
    """Return the user of a session identifier "id:token", if the token is still current."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user
