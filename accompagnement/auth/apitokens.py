"""Personal access tokens of the API: create (the secret shown once), list, revoke, authenticate.

A token is `acc_` followed by 32 random bytes in URL-safe base64. Only the SHA-256 of the whole
string is stored: the secret has 256 random bits, so a slow hash would add nothing but cost, and
a fast one finds the token by an indexed equality. `last_used_at` is written at most once a
minute per token, so a busy client does not turn every read into a write.

A token is bound to the network it was made in, except national staff's: theirs is bound to no
network, since what it reads (every network's aggregates) belongs to none, and it may only read.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from accompagnement.access import Role
from accompagnement.auth import N_
from accompagnement.auth.models import API_SCOPES, ApiToken, User
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.network.queries import current_network
from accompagnement.security import log_event

TOKEN_PREFIX = "acc_"  # noqa: S105  (a marker that says what the secret is, not a secret)
SHOWN_CHARACTERS = 8
NAME_LENGTH = 80
EXPIRY_CHOICES = (30, 90, 365)
LAST_USED_EVERY = timedelta(minutes=1)
# Roles that may hold a token: those the API serves (holders read and write their own projects).
API_ROLES = (Role.COORDINATOR, Role.PARTNER, Role.HOLDER, Role.NATIONAL)
# Roles whose tokens may only read: partners, and national staff (aggregates only).
READ_ONLY_ROLES = (Role.PARTNER, Role.NATIONAL)


@dataclass(frozen=True)
class NewToken:
    """A token just made: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    """Return the stored form of a token's secret."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user_id: int, name: str, scope: str, days: int) -> NewToken:
    """Make a token for the person, valid `days` days, bound to the current network (national
    staff's: to no network)."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound(N_("No such account"))
    errors = _errors(user, name, scope, days)
    network = None if user.role == Role.NATIONAL else current_network()
    if network is None and user.role != Role.NATIONAL:
        errors["name"] = N_("The network is not set up yet: no token can be made.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        network_id=network.id if network is not None else None,
        name=name.strip(),
        scope=scope,
        token_hash=hash_secret(secret),
        prefix=secret[: len(TOKEN_PREFIX) + SHOWN_CHARACTERS],
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    log_event("api.token_created", user=user.id, key_id=token.id, scope=scope)
    return NewToken(token, secret)


def _errors(user: User, name: str, scope: str, days: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if user.role not in API_ROLES:
        errors["name"] = N_("Your role has no access to the API.")
    if not name.strip() or len(name.strip()) > NAME_LENGTH:
        errors["name"] = N_("Give the token a name of 1 to 80 characters.")
    if scope not in API_SCOPES or (scope == "write" and user.role in READ_ONLY_ROLES):
        errors["scope"] = N_("Choose a scope from the list.")
    if days not in EXPIRY_CHOICES:
        errors["days"] = N_("Choose a duration from the list.")
    return errors


def tokens_of(user_id: int) -> list[ApiToken]:
    """Return the person's tokens, newest first (revoked and expired ones included)."""
    query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def revoke_token(user_id: int, token_id: int) -> ApiToken:
    """Revoke one of the person's own tokens (revoking twice changes nothing)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound(N_("No such token"))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        log_event("api.token_revoked", user=user_id, key_id=token.id)
    return token


def authenticate(secret: str, now: datetime | None = None) -> ApiToken | None:
    """Return the usable token behind a secret, with its active owner loaded; else None."""
    now = now or utcnow()
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    query = select(ApiToken, User).join(User).where(ApiToken.token_hash == hash_secret(secret))
    row = db.session.execute(query).one_or_none()
    if row is None:
        return None
    token, user = row
    if not token.usable(now) or not user.is_active:
        return None
    return token


def mark_used(token: ApiToken, now: datetime | None = None) -> bool:
    """Write when the token was last used, at most once a minute; say whether it wrote."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return False
    db.session.execute(
        update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now),
        execution_options={"synchronize_session": False},
    )
    token.last_used_at = now
    return True
