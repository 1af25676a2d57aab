"""Access policy of every route: who may call it, declared next to the view.

Every view function carries an ``access_policy`` attribute set by one of these decorators; a test
walks the URL map and fails on an endpoint without one. Object-level rules (a holder sees only
their own projects) live in the feature's queries and services.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user


class Role(StrEnum):
    """Stored role keys; their labels are translated in the interface."""

    COORDINATOR = "coordinator"
    HOLDER = "holder"
    PARTNER = "partner"
    MEMBER = "member"
    NATIONAL = "national"  # instance-wide: every network's aggregate figures, no personal data


ROLE_LABELS = {
    Role.COORDINATOR.value: _l("Coordinator"),
    Role.HOLDER.value: _l("Project holder"),
    Role.PARTNER.value: _l("Partner"),
    Role.MEMBER.value: _l("Member ressourcerie"),
    Role.NATIONAL.value: _l("National staff"),
}
# The roles a person holds in one network (a membership); the others are instance-wide.
NETWORK_ROLES: tuple[Role, ...] = (Role.COORDINATOR, Role.HOLDER, Role.PARTNER, Role.MEMBER)
INSTANCE_ROLES: tuple[Role, ...] = (Role.NATIONAL,)


F = TypeVar("F", bound=Callable[..., Any])

ROLES: tuple[Role, ...] = tuple(Role)


def public(view: F) -> F:
    """Allow anyone, signed in or not."""
    view.access_policy = frozenset({"anonymous", *ROLES})  # type: ignore[attr-defined]
    return view


def roles(*allowed: Role) -> Callable[[F], F]:
    """Allow signed-in users whose role is among `allowed`; others get 403, anonymous the login."""
    # `Role` members only: a string literal ("coordinatr") would be a typo found at import time.
    strange = [role for role in allowed if not isinstance(role, Role)]
    if strange:
        raise TypeError(f"roles() takes Role members, not {strange!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from accompagnement.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.access_policy = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def signed_in(view: F) -> F:
    """Allow every signed-in user, whatever the role."""
    return roles(*ROLES)(view)
