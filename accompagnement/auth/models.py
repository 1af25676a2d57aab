"""People who sign in, and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.access import Role
from accompagnement.db import created_at, in_values, intpk, utcnow
from accompagnement.extensions import Model

if TYPE_CHECKING:
    from accompagnement.members.models import Member
    from accompagnement.network.models import Organisation


def new_session_token() -> str:
    """Return a fresh random token; changing it signs the user out everywhere."""
    return secrets.token_urlsafe(32)


class User(Model):
    """A person with an account: coordinator, project holder, partner or member ressourcerie."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(in_values("role", [r.value for r in Role]), name="role"),)

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    locale: Mapped[str | None] = mapped_column(String(5))
    organisation: Mapped[str | None] = mapped_column(String(200))  # free text before 0002_network
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="SET NULL")
    )
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    last_login_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    departements: Mapped[list[PartnerScope]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    member: Mapped[Member | None] = relationship()
    partner_organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_locked(self) -> bool:
        """Tell whether sign-in is locked for a while after too many failures."""
        return bool(self.locked_until and self.locked_until > utcnow())

    @property
    def has_password(self) -> bool:
        """Tell whether the person has chosen a password (False: invitation pending)."""
        return self.password_hash is not None

    # Flask-Login protocol. get_id() embeds the session token: rotating the token (logout,
    # password change, deactivation) makes every cookie issued before it worthless.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active and self.anonymised_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class PartnerScope(Model):
    """A département a partner is limited to; a partner without scope sees every département."""

    __tablename__ = "partner_scopes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    departement_code: Mapped[str] = mapped_column(ForeignKey("departements.code"), primary_key=True)
    user: Mapped[User] = relationship(back_populates="departements")


API_SCOPES = ("read", "write")


class ApiToken(Model):
    """A personal access token of the API: bound to one person and one network, stored hashed.

    The secret is 32 random bytes shown once; only its SHA-256 is kept (`token_hash`). A slow
    password hash is not needed: 256 random bits cannot be guessed, and a fast hash lets each
    request find its token by an indexed equality in one query. `prefix` (the first characters
    of the secret) lets the person recognise a token in the list.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(in_values("scope", list(API_SCOPES)), name="scope"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    created_at: Mapped[created_at]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def usable(self, now: datetime) -> bool:
        """Tell whether the token may still be used at `now`."""
        return self.revoked_at is None and self.expires_at > now
