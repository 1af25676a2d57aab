"""Keep the audit trail append-only: in the ORM (a flush guard) and in the database (triggers).

Transition records and audit events are written once and never changed. The ORM guard refuses
to flush a modified or deleted row of those tables, and refuses bulk UPDATE/DELETE statements on
them; only the retention purge deletes old audit events, inside `purging()`. The triggers repeat
the rule in the database itself, for anything that bypasses the ORM: an UPDATE is refused unless
it only sets a user or project reference to NULL (what ON DELETE SET NULL does when an account or
a project is deleted).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

# The models whose rows are written once: the app factory names them when it installs the
# guard (`install(TransitionRecord, AuditEvent)`), so the audit package imports no feature.
_append_only: set[type] = set()

# The module-level switch: True only inside `purging()`, for the retention purge's deletions.
_purge_allowed: ContextVar[bool] = ContextVar("audit_purge_allowed", default=False)

# Per table: every column, and the reference columns that ON DELETE SET NULL may clear.
# A test checks these lists against the models, so a new column cannot slip past the triggers.
TRIGGER_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "transition_records": (
        (
            "id", "project_id", "workflow_version", "trigger", "from_state", "to_state",
            "return_state", "reason", "user_id", "at", "source", "network_id",
        ),
        ("user_id",),
    ),
    "audit_events": (
        ("id", "at", "user_id", "project_id", "action", "detail"),
        ("user_id", "project_id"),
    ),
}  # fmt: skip


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or delete a row of the append-only audit trail."""


@contextmanager
def purging() -> Iterator[None]:
    """Allow deleting audit rows for the duration of the block (the retention purge only)."""
    token = _purge_allowed.set(True)
    try:
        yield
    finally:
        _purge_allowed.reset(token)


def install(*append_only: type) -> None:
    """Guard every Session against changes to rows of `append_only` models (idempotent).

    The factory calls it with the models of the audit trail; a later call adds to them.
    """
    _append_only.update(append_only)
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
    if not event.contains(Session, "do_orm_execute", _on_execute):
        event.listen(Session, "do_orm_execute", _on_execute)


def uninstall() -> None:
    """Remove the listeners (tests that need a session without the guard)."""
    if event.contains(Session, "before_flush", _before_flush):
        event.remove(Session, "before_flush", _before_flush)
    if event.contains(Session, "do_orm_execute", _on_execute):
        event.remove(Session, "do_orm_execute", _on_execute)


def guarded() -> tuple[type, ...]:
    """Return the models whose rows the guard keeps append-only."""
    return tuple(_append_only)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    append_only = guarded()
    for obj in session.dirty:
        if isinstance(obj, append_only) and session.is_modified(obj, include_collections=False):
            raise AppendOnlyViolation(f"{type(obj).__name__} rows are append-only")
    if _purge_allowed.get():
        return
    for obj in session.deleted:
        if isinstance(obj, append_only):
            raise AppendOnlyViolation(f"{type(obj).__name__} rows are never deleted")


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table not in TRIGGER_COLUMNS:
        return
    if state.is_update or not _purge_allowed.get():
        verb = "updated" if state.is_update else "deleted"
        raise AppendOnlyViolation(f"{table} rows are never {verb}")


def audit_trigger_ddl(dialect_name: str) -> list[str]:
    """Return the statements creating the triggers that refuse UPDATEs of the audit trail."""
    if dialect_name == "sqlite":
        return [_sqlite_trigger(table) for table in TRIGGER_COLUMNS]
    if dialect_name == "postgresql":
        statements = []
        for table in TRIGGER_COLUMNS:
            statements += _postgresql_trigger(table)
        return statements
    raise ValueError(f"No audit triggers for the {dialect_name} dialect")


def drop_audit_trigger_ddl(dialect_name: str) -> list[str]:
    """Return the statements removing those triggers (a migration's downgrade)."""
    if dialect_name == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {t}_append_only" for t in TRIGGER_COLUMNS]
    if dialect_name == "postgresql":
        statements = []
        for table in TRIGGER_COLUMNS:
            statements.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            statements.append(f"DROP FUNCTION IF EXISTS {table}_append_only()")
        return statements
    raise ValueError(f"No audit triggers for the {dialect_name} dialect")


def _unchanged_condition(table: str, template: str, null_template: str) -> str:
    columns, nullable_refs = TRIGGER_COLUMNS[table]
    parts = []
    for column in columns:
        if column in nullable_refs:
            parts.append(null_template.format(c=column))
        else:
            parts.append(template.format(c=column))
    return " AND ".join(parts)


def _sqlite_trigger(table: str) -> str:
    unchanged = _unchanged_condition(
        table, "NEW.{c} IS OLD.{c}", "(NEW.{c} IS OLD.{c} OR NEW.{c} IS NULL)"
    )
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_append_only BEFORE UPDATE ON {table} "
        f"WHEN NOT ({unchanged}) "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def _postgresql_trigger(table: str) -> list[str]:
    _columns, nullable_refs = TRIGGER_COLUMNS[table]
    # Compare whole rows (a column added later is covered too), minus the clearable references.
    strip = "".join(f" - '{c}'" for c in nullable_refs)
    refs = "".join(
        f" OR (NEW.{c} IS NOT NULL AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in nullable_refs
    )
    function = (
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  IF (to_jsonb(NEW){strip}) IS DISTINCT FROM (to_jsonb(OLD){strip}){refs} THEN\n"
        f"    RAISE EXCEPTION '{table} is append-only' USING ERRCODE = 'restrict_violation';\n"
        "  END IF;\n  RETURN NEW;\nEND\n$$"
    )
    trigger = (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
    )
    return [function, f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}", trigger]
