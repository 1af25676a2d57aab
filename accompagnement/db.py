"""Declarative base, shared column types and the database engine settings."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import JSON, MetaData, String, event, inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model: constraint names follow one convention on every database."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (stored the same way on every database)."""
    return datetime.now(UTC).replace(tzinfo=None)


intpk = Annotated[int, mapped_column(primary_key=True)]
created_at = Annotated[datetime, mapped_column(default=utcnow)]
str40 = Annotated[str, mapped_column(String(40))]
str120 = Annotated[str, mapped_column(String(120))]
str200 = Annotated[str, mapped_column(String(200))]
str255 = Annotated[str, mapped_column(String(255))]
# JSON documents: jsonb on PostgreSQL (binary, compared by value), JSON text on SQLite.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")
json_dict = Annotated[dict[str, Any], mapped_column(JSONDocument)]


def in_values(column: str, values: list[str] | tuple[str, ...]) -> str:
    """Return a CHECK expression restricting a column to a closed set of keys."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


# Whether the current unit of work may write. Read-only requests (GET) open deferred SQLite
# transactions so readers never queue behind each other; everything else takes the write lock
# up front (BEGIN IMMEDIATE) so that read-modify-write sequences cannot interleave.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def configure_sqlite(engine: Engine) -> None:
    """Make SQLite safe for concurrent use: WAL, busy timeout, foreign keys, BEGIN IMMEDIATE."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's own lower() folds ASCII only: "ÉCO" would not match "éco" in searches and
        # duplicate checks. Python's folds every letter, as PostgreSQL's does.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def refresh_statistics(connection: Connection) -> None:
    """Refresh the planner's statistics after a bulk load, so its plans fit the new sizes.

    Both databases plan the log's and the lists' queries from these statistics (SQLite's
    sqlite_stat1, PostgreSQL's pg_statistic); ANALYZE takes about a second at national scale.
    On PostgreSQL a bare ANALYZE walks every table of the database, other schemas included, and
    can deadlock with whatever else runs there: only this app's tables are analysed.
    """
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql("ANALYZE")
        return
    present = set(inspect(connection).get_table_names())
    tables = ", ".join(f'"{name}"' for name in Base.metadata.tables if name in present)
    if tables:
        connection.exec_driver_sql(f"ANALYZE {tables}")
