"""The network a request works in: the one chosen in the session among the person's memberships
(else the last used, else the only or first one); anonymous visitors see the first network,
except on the public pages that name their network (its short name in the address, or a signed
token carrying its id): those call `work_in` / `work_in_named`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, g, session
from flask_login import current_user

from accompagnement import tenancy
from accompagnement.auth.models import User
from accompagnement.db import write_intent
from accompagnement.extensions import db
from accompagnement.network.models import Network
from accompagnement.network.queries import find_network

SESSION_KEY = "network_id"


def init_app(app: Flask) -> None:
    """Enter the request's network scope before any other hook, and leave it at teardown."""
    app.before_request_funcs.setdefault(None, []).insert(0, enter_request_scope)
    app.teardown_request(leave_request_scope)
    app.jinja_env.globals["working_network"] = working_network


@dataclass(frozen=True)
class WorkingNetwork:
    """What the header shows: the network one works in, and the others one may switch to."""

    network_id: int | None
    name: str
    choices: list[tuple[int, str]]


def working_network() -> WorkingNetwork:
    """Return the network of this request and the person's networks, for the header."""
    network_id = tenancy.current_network_id()
    ids = [network_id] if network_id is not None else []
    if current_user.is_authenticated:
        ids = sorted(set(ids) | set(membership_network_ids(current_user)))
    names = tenancy.network_names(db.session, ids) if ids else {}
    choices = sorted(names.items(), key=lambda item: item[1].casefold())
    return WorkingNetwork(network_id, names.get(network_id or 0, ""), choices)


def enter_request_scope() -> None:
    """Scope the request to the network the person works in."""
    g.network_scope_token = tenancy.enter(None)  # the person is loaded outside any network
    network_id = chosen_network_id()
    tenancy.leave(g.network_scope_token)
    g.network_scope_token = tenancy.enter(network_id)


def work_in(network_id: int | None) -> None:
    """Scope the rest of the request to a network named by the request itself (an API token's,
    the public open data page's) rather than by the person's session; None: to no network
    (a national token's request, which reads every network only through `unscoped()`)."""
    previous = g.pop("network_scope_token", None)
    if previous is not None:
        tenancy.leave(previous)
    g.network_scope_token = tenancy.enter(network_id)


def work_in_named(short_name: str) -> Network:
    """Scope the rest of the request to the network a public address names by its short name;
    NotFound (a 404 page) for an unknown one."""
    network = find_network(short_name)
    work_in(network.id)
    return network


def leave_request_scope(_error: BaseException | None) -> None:
    """Restore the scope the request found."""
    token = g.pop("network_scope_token", None)
    if token is not None:
        tenancy.leave(token)


def membership_network_ids(user: User) -> list[int]:
    """Return the ids of the networks a person belongs to, in creation order."""
    with tenancy.unscoped():  # every membership of the person (the role picks the scope's one)
        return sorted(m.network_id for m in user.memberships)


def chosen_network_id() -> int | None:
    """Return the network of this request: chosen, last used, only or first membership."""
    wanted = session.get(SESSION_KEY)
    if not current_user.is_authenticated:
        known = _network_ids_read_only()
        return wanted if wanted in known else (known[0] if known else None)
    user: Any = current_user
    mine = membership_network_ids(user)
    for candidate in (wanted, user.last_network_id):
        if candidate in mine:
            return int(candidate)
    return mine[0] if mine else None


def _network_ids_read_only() -> list[int]:
    """Read the networks in a read transaction ended at once: a visitor's request takes
    SQLite's write lock only if it writes (a refused form does not)."""
    intent = write_intent.set(False)
    try:
        known = tenancy.network_ids(db.session)
        db.session.rollback()
    finally:
        write_intent.reset(intent)
    return known


def switch_network(user: User, network_id: int) -> bool:
    """Make `network_id` the person's working network; False when they do not belong to it."""
    if network_id not in membership_network_ids(user):
        return False
    session[SESSION_KEY] = network_id
    user.last_network_id = network_id
    db.session.flush()
    return True
