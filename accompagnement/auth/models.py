"""People who sign in, and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accompagnement.access import INSTANCE_ROLES, NETWORK_ROLES
from accompagnement.db import created_at, in_values, intpk, utcnow
from accompagnement.extensions import Model
from accompagnement.tenancy import NetworkOwned, OutsideNetworkScope, current_network_id

if TYPE_CHECKING:
    from accompagnement.members.models import Member
    from accompagnement.network.models import Organisation


def new_session_token() -> str:
    """Return a fresh random token; changing it signs the user out everywhere."""
    return secrets.token_urlsafe(32)


class User(Model):
    """A person with an account: coordinator, project holder, partner or member ressourcerie."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            in_values("instance_role", [r.value for r in INSTANCE_ROLES]), name="instance_role"
        ),
    )

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(30))
    # An instance-wide role (national staff); the role in a network is in network_memberships.
    instance_role: Mapped[str | None] = mapped_column(String(20))
    last_network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="SET NULL")
    )
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
    memberships: Mapped[list[NetworkMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @hybrid_property
    def role(self) -> str:
        """The role in the network in scope (or the instance-wide role); "" when none."""
        if self.instance_role:
            return self.instance_role
        membership = self.membership()
        return membership.role if membership else ""

    @role.inplace.setter
    def _role_setter(self, value: str) -> None:
        if value in INSTANCE_ROLES:
            self.instance_role = value
            return
        membership = self.membership()
        if membership is not None:
            membership.role = value
            return
        network_id = current_network_id()
        if network_id is None:
            raise OutsideNetworkScope("A role in a network was given outside any network scope")
        self.memberships.append(NetworkMembership(network_id=network_id, role=value))

    @role.inplace.expression
    @classmethod
    def _role_expression(cls) -> Any:
        # The membership is network-owned: the scope's criteria pick the current network's row.
        in_network = (
            select(NetworkMembership.role)
            .where(NetworkMembership.user_id == cls.id)
            .limit(1)
            .scalar_subquery()
        )
        return func.coalesce(cls.instance_role, in_network)

    def membership(self, network_id: int | None = None) -> NetworkMembership | None:
        """Return the membership in `network_id` (default: the network in scope)."""
        network_id = network_id if network_id is not None else current_network_id()
        if network_id is None:
            return self.memberships[0] if len(self.memberships) == 1 else None
        return next((m for m in self.memberships if m.network_id == network_id), None)

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


class NetworkMembership(NetworkOwned, Model):
    """A person's role in one network (a holder in one, a partner of two...)."""

    __tablename__ = "network_memberships"
    __table_args__ = (
        UniqueConstraint("network_id", "user_id", name="uq_network_memberships_user"),
        CheckConstraint(in_values("role", [r.value for r in NETWORK_ROLES]), name="role"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(back_populates="memberships")


class PartnerScope(NetworkOwned, Model):
    """A département a partner is limited to; a partner without scope sees every département."""

    __tablename__ = "partner_scopes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    departement_code: Mapped[str] = mapped_column(ForeignKey("departements.code"), primary_key=True)
    user: Mapped[User] = relationship(back_populates="departements")


def in_current_network() -> Any:
    """SQL: the person has a role in the network in scope (memberships are network-owned, so
    the scope's criteria pick this network's rows)."""
    return User.id.in_(select(NetworkMembership.user_id))


API_SCOPES = ("read", "write")


class ApiToken(Model):
    """A personal access token of the API: bound to one person and one network, stored hashed.

    A national staff member's token is bound to no network (`network_id` NULL): it reads the
    instance's aggregate figures, across networks, and may only read (a check constraint).

    The secret is 32 random bytes shown once; only its SHA-256 is kept (`token_hash`). A slow
    password hash is not needed: 256 random bits cannot be guessed, and a fast hash lets each
    request find its token by an indexed equality in one query. `prefix` (the first characters
    of the secret) lets the person recognise a token in the list.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(in_values("scope", list(API_SCOPES)), name="scope"),
        CheckConstraint("network_id IS NOT NULL OR scope = 'read'", name="national_read"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    created_at: Mapped[created_at]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_national(self) -> bool:
        """Tell whether the token reads the national figures (bound to no network)."""
        return self.network_id is None

    def usable(self, now: datetime) -> bool:
        """Tell whether the token may still be used at `now`."""
        return self.revoked_at is None and self.expires_at > now
