"""Several networks on one instance: the one place where a network's data is kept to itself.

Every model is either **network-owned** (it subclasses `NetworkOwned`: a `network_id` column)
or **shared** (listed by name in `SHARED`: reference data, accounts, instance machinery); a test
fails when a table is neither. Inside `network_scope(network_id)`, every ORM statement run by a
session (SELECT, including column selects such as `select(Project.id)`, UPDATE and DELETE) gets
`network_id = <the network>` on every network-owned entity it touches, through SQLAlchemy's
`do_orm_execute` and `with_loader_criteria`; and a new network-owned row takes that network
(the column's default, so Core inserts get it too). Outside any scope, a statement touching a
network-owned model raises `OutsideNetworkScope` rather than read every network's rows, except
under `unscoped()`, which says so deliberately (national figures, the list of networks, jobs
that go over every network).

The scope lives in a ContextVar: set for each request from the network the person works in
(auth.sessions), for each command from `--network` (clierrors), and by the test fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, event, select
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)


class OutsideNetworkScope(RuntimeError):
    """A network's data was asked for outside any network scope (a programming error)."""


class _Unscoped:
    def __repr__(self) -> str:
        return "<unscoped>"


UNSCOPED: Final = _Unscoped()
_scope: ContextVar[int | _Unscoped | None] = ContextVar("network_scope", default=None)

# Tables that belong to no network: reference data, people's accounts, instance machinery.
SHARED: frozenset[str] = frozenset(
    {
        "networks",  # the networks themselves (listed under unscoped() by the national pages)
        "users",  # a person may work in several networks: their role is in network_memberships
        "regions",
        "departements",
        "epcis",
        "communes",
        "commune_aliases",
        "waste_syndicates",
        "workflow_snapshots",  # versions of the shared workflow files
        "rate_limit_counters",
        "outbox_messages",
        "api_tokens",  # found by their hash before any scope; each names its network
        "audit_events",  # the instance's security and audit trail (sign-ins included)
        "notification_preferences",  # how a person wants to be told, wherever they work
        "notification_logs",  # which reminder a person got on a day (one a day, whatever network)
    }
)


# Link tables without a network column: their rows are read only joined with the network-owned
# rows at both ends (a project and its holders, an activity and the members it involved).
LINKS: frozenset[str] = frozenset({"project_holders", "activity_members"})


def scope_default() -> int:
    """Return the network in scope for a new row; refuse outside any scope."""
    scope = _scope.get()
    if isinstance(scope, int):
        return scope
    raise OutsideNetworkScope("A network-owned row was created outside any network scope")


class NetworkOwned:
    """Mixin of the models a network owns: a `network_id` filled from the current scope."""

    @declared_attr
    def network_id(cls) -> Mapped[int]:  # noqa: N805 (declared_attr takes the class)
        return mapped_column(
            ForeignKey("networks.id", ondelete="CASCADE"),
            default=scope_default,
            index=True,
        )


def current_network_id() -> int | None:
    """Return the id of the network in scope, or None (outside any scope or under unscoped())."""
    scope = _scope.get()
    return scope if isinstance(scope, int) else None


def is_unscoped() -> bool:
    """Tell whether the code runs under `unscoped()`."""
    return _scope.get() is UNSCOPED


@contextmanager
def network_scope(network_id: int) -> Iterator[None]:
    """Work inside one network: every query of its owned models sees only its rows."""
    token = _scope.set(int(network_id))
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """Work across networks on purpose: national aggregates, the list of networks, jobs."""
    token = _scope.set(UNSCOPED)
    try:
        yield
    finally:
        _scope.reset(token)


def enter(network_id: int | None) -> Any:
    """Set the scope until `leave(token)` (for request hooks); None means no scope."""
    return _scope.set(None if network_id is None else int(network_id))


def leave(token: Any) -> None:
    """Restore the scope that `enter` replaced."""
    _scope.reset(token)


def is_owned(cls: type) -> bool:
    """Tell whether a model class is network-owned."""
    return isinstance(cls, type) and issubclass(cls, NetworkOwned)


def _criteria(cls: Any, network_id: int) -> Any:
    return cls.network_id == network_id


@lru_cache(maxsize=1024)
def _network_criteria(network_id: int) -> Any:
    """The criteria option of a network, built once: building it cost as much as the rest of
    a small statement's execution (it inspects the lambda each time)."""
    return with_loader_criteria(
        NetworkOwned,
        lambda cls: cls.network_id == network_id,
        include_aliases=True,
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    """Add the network criteria to every ORM statement; refuse owned data outside a scope."""
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope = _scope.get()
    if scope is UNSCOPED:
        return
    if isinstance(scope, int):
        state.statement = state.statement.options(_network_criteria(scope))
        return
    if state.is_column_load or state.is_relationship_load:
        return  # lazy loads of objects a scoped or unscoped query loaded
    owned = [m.class_.__name__ for m in state.all_mappers if is_owned(m.class_)]
    if owned:
        raise OutsideNetworkScope(
            f"{', '.join(sorted(set(owned)))} queried outside any network scope: "
            "use network_scope(network_id) or unscoped()"
        )


@event.listens_for(NetworkOwned, "load", propagate=True)
@event.listens_for(NetworkOwned, "refresh", propagate=True)
def _check_loaded(target: Any, *_args: Any) -> None:
    """Refuse a row of another network loaded around the criteria (refresh of a kept object)."""
    scope = _scope.get()
    network_id = target.__dict__.get("network_id")
    if isinstance(scope, int) and network_id is not None and network_id != scope:
        raise OutsideNetworkScope(
            f"{type(target).__name__} of network {network_id} loaded in network {scope}"
        )


# A light view of the networks table, for the hooks below the network feature that only need
# an id from a short name (the command option, the request hook).
_NETWORKS = Table(
    "networks",
    MetaData(),
    Column("id", Integer),
    Column("short_name", String(40)),
    Column("name", String(200)),
)


def network_ids(session: Any) -> list[int]:
    """Return the ids of every network of the instance, in creation order."""
    return list(session.execute(select(_NETWORKS.c.id).order_by(_NETWORKS.c.id)).scalars())


def network_id_of(session: Any, short_name: str) -> int | None:
    """Return the id of the network with this short name, or None."""
    query = select(_NETWORKS.c.id).where(_NETWORKS.c.short_name == short_name)
    return session.execute(query).scalar()


def network_names(session: Any, ids: list[int]) -> dict[int, str]:
    """Return the names of these networks by id."""
    query = select(_NETWORKS.c.id, _NETWORKS.c.name).where(_NETWORKS.c.id.in_(ids))
    return {network_id: name for network_id, name in session.execute(query)}
