"""Backups and restores of the whole database, SQLite or PostgreSQL.

SQLite: the online backup API (a consistent copy even while the app writes; `cp` of a live WAL
database is not). PostgreSQL: `pg_dump -Fc` of the application's schema (the first one on its
search_path) and `pg_restore --clean --if-exists` in a single transaction, with the connection
parameters of the database URL. A restore first checks that the file is a backup of this
application and of the same kind of database, and saves the current database beside it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess  # noqa: S404  (pg_dump / pg_restore, arguments never go through a shell)
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, Engine

from accompagnement.db import utcnow

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
REQUIRED_TABLES = ("users", "projects", "transition_records")
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}
TIMEOUT = 600


class BackupError(RuntimeError):
    """A backup or a restore could not be done; the message says why, for a person."""


def default_path(directory: str, dialect: str, prefix: str = "accompagnement") -> Path:
    """Return a new timestamped file name in the backup directory."""
    stamp = utcnow().strftime("%Y%m%d-%H%M%S-%f")
    return Path(directory) / f"{prefix}-{stamp}{SUFFIX.get(dialect, '.backup')}"


def backup(engine: Engine, output: Path) -> Path:
    """Write a complete copy of the database to `output` and return its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        raise BackupError(f"{output} already exists: choose another file name")
    if engine.dialect.name == "sqlite":
        _sqlite_backup(engine, output)
    elif engine.dialect.name == "postgresql":
        _pg_dump(engine, output)
    else:
        raise BackupError(f"Backups of {engine.dialect.name} databases are not supported")
    return output


def check_backup(engine: Engine, path: Path) -> None:
    """Refuse a file that is not a backup of this application for this kind of database."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    with path.open("rb") as handle:
        head = handle.read(16)
    kind = "sqlite" if head == SQLITE_MAGIC else "postgresql" if head[:5] == PG_MAGIC else None
    if kind is None:
        raise BackupError(f"{path} is not a backup made by the backup command")
    if kind != engine.dialect.name:
        raise BackupError(f"{path} is a {kind} backup; the database is {engine.dialect.name}")
    tables = _sqlite_tables(path) if kind == "sqlite" else _pg_tables(engine, path)
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"{path} is not a backup of this application (no {', '.join(missing)})")


def restore(engine: Engine, path: Path, safety_dir: str) -> Path:
    """Replace the database with a backup; return the copy of the database made just before."""
    check_backup(engine, path)
    safety = backup(engine, default_path(safety_dir, engine.dialect.name, "before-restore"))
    engine.dispose()
    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, path)
    else:
        _pg_restore(engine, path)
    engine.dispose()
    return safety


# SQLite ------------------------------------------------------------------------------------


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up")
    return database


def _sqlite_backup(engine: Engine, output: Path) -> None:
    source = sqlite3.connect(_sqlite_file(engine))
    target = sqlite3.connect(output)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
        source.close()


def _sqlite_restore(engine: Engine, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_file(engine), timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _sqlite_tables(path: Path) -> set[str]:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is damaged or not a SQLite backup ({exc})") from exc
    return {name for (name,) in rows}


# PostgreSQL --------------------------------------------------------------------------------


def schema_of(engine: Engine) -> str:
    """Return the schema the application's tables live in (first of the search_path)."""
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    if not schema:
        raise BackupError("The database has no current schema (check search_path)")
    return str(schema)


def _pg_env(url: URL) -> dict[str, str]:
    """Return the libpq environment for a URL (the password never appears in arguments)."""
    env = dict(os.environ)
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    for key, value in values.items():
        if value:
            env[key] = str(value)
    for key, libpq in (("sslmode", "PGSSLMODE"), ("host", "PGHOST"), ("port", "PGPORT")):
        option = url.query.get(key)
        if isinstance(option, str):
            env[libpq] = option
    env["PGOPTIONS"] = "-c lock_timeout=30s"
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603
            args, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(f"{args[0]} is not installed (PostgreSQL client tools)") from exc
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what} took more than {TIMEOUT} s and was stopped") from exc
    if done.returncode != 0:
        detail = _first_error(done.stderr)
        raise BackupError(f"{what} failed: {detail}")
    return done.stdout


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no message"])[0]


def _pg_dump(engine: Engine, output: Path) -> None:
    schema = schema_of(engine)
    args = ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-n", schema, "-f", str(output)]
    try:
        _run(args, _pg_env(engine.url), "pg_dump")
    except BackupError:
        output.unlink(missing_ok=True)
        raise


def _pg_tables(engine: Engine, path: Path) -> set[str]:
    """Return the tables of a dump, refusing one made from another schema."""
    listing = _run(["pg_restore", "--list", str(path)], _pg_env(engine.url), "Reading the backup")
    found = re.findall(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ", listing, flags=re.M)
    schemas = {schema for schema, _table in found}
    current = schema_of(engine)
    if schemas and schemas != {current}:
        names = ", ".join(sorted(schemas))
        raise BackupError(f"{path} holds schema {names}; the database uses schema {current}")
    tables = {table for _schema, table in found}
    extra = sorted(set(inspect(engine).get_table_names(schema=current)) - tables)
    if tables and extra:
        raise BackupError(
            f"The database has tables that {path} does not have ({', '.join(extra)}): "
            f"restore into an empty schema, or drop them first"
        )
    return tables


def _pg_restore(engine: Engine, path: Path) -> None:
    args = [
        "pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-owner",
        "--no-privileges", "-d", str(engine.url.database), str(path),
    ]  # fmt: skip
    _run(args, _pg_env(engine.url), "pg_restore")
