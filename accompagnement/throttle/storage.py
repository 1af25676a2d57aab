"""A `limits` storage over the application's own database, registered as "database://".

Flask-Limiter counts sign-in and forgotten-password attempts per IP address; in memory each
gunicorn worker (and each machine) would count apart. Here every worker shares one row per
window, incremented by one atomic INSERT ... ON CONFLICT DO UPDATE ... RETURNING, which SQLite
(3.35+) and PostgreSQL both run as a single statement: two workers never lose a hit.
The statement runs on its own connection and commits at once, whatever the request does next.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from limits.storage import Storage
from sqlalchemy import Table, case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from accompagnement.db import write_intent
from accompagnement.extensions import db
from accompagnement.throttle.models import RateLimitCounter

TABLE: Table = RateLimitCounter.__table__  # type: ignore[assignment]
CLEANUP_CHANCE = 0.01  # about one increment in a hundred deletes the expired windows


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """Fixed-window counters in the table rate_limit_counters of the app's database."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _engine() -> Engine:
        return db.engine  # the current app's engine: one storage object serves any app

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """Read without the write lock: the response headers are computed after the view,
        while the request's own session may hold SQLite's write lock (WAL readers never wait).
        """
        intent = write_intent.set(False)
        try:
            with self._engine().connect() as connection:
                yield connection
        finally:
            write_intent.reset(intent)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` hits to the key's window (a new window when it expired); return hits."""
        now = time.time()
        engine = self._engine()
        dialect = sqlite if engine.dialect.name == "sqlite" else postgresql
        expired = TABLE.c.expires_at <= now
        statement = (
            dialect.insert(TABLE)
            .values(key=_hashed(key), hits=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[TABLE.c.key],
                set_={
                    "hits": case((expired, amount), else_=TABLE.c.hits + amount),
                    "expires_at": case((expired, now + expiry), else_=TABLE.c.expires_at),
                },
            )
            .returning(TABLE.c.hits)
        )
        with engine.begin() as connection:
            hits = int(connection.execute(statement).scalar_one())
            if random.random() < CLEANUP_CHANCE:
                connection.execute(delete(TABLE).where(TABLE.c.expires_at < now))
        return hits

    def get(self, key: str) -> int:
        """Return the hits of the key's current window (0 when none)."""
        query = select(TABLE.c.hits).where(
            TABLE.c.key == _hashed(key), TABLE.c.expires_at > time.time()
        )
        with self._reading() as connection:
            return int(connection.scalar(query) or 0)

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends (now when there is none)."""
        query = select(TABLE.c.expires_at).where(TABLE.c.key == _hashed(key))
        with self._reading() as connection:
            return float(connection.scalar(query) or time.time())

    def check(self) -> bool:
        """Tell whether the database answers."""
        try:
            with self._reading() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Delete every counter; return how many."""
        with self._engine().begin() as connection:
            return int(connection.execute(delete(TABLE)).rowcount)

    def clear(self, key: str) -> None:
        """Delete the counter of one key."""
        with self._engine().begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.key == _hashed(key)))
