"""A national-sized data set for `make bench`, built in seconds with Core bulk inserts.

    python -m bench.dataset --database sqlite|postgresql [--projects 10000] [--seed 19]

The schema comes from `flask db upgrade` (the real migrations), then the geography and the demo
network's settings through the app's own loaders; everything else is inserted in bulk, shaped as
the services write it: projects spread over the stages of the default workflow (read from its
definition), their transition records (a creation record, then one per move, replaying to the
current state), form revisions (drafts, then a submitted one, with the demo's cleaned values) and
their audit events, checklist ticks, comments, activities with their members. The result is
cached, keyed by seed, size, Alembic head, the migrations' and the builder's text: a SQLite file
under bench/.cache/ or a PostgreSQL schema, reused until one of them changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from argon2 import PasswordHasher

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
WORKFLOW = "creation-ressourcerie"
PASSWORD = "bench passphrase for every account"  # noqa: S105 (fictitious bench accounts)
COORDINATOR = "bench-coordinator@example.org"
PARTNER = "bench-partner@example.org"
PG_URL = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 30, 12, 0)  # fixed, so that a seed always gives the same data set


@dataclass
class Rows:
    """Rows waiting for one bulk insert per table, in foreign-key order."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> None:
        self.tables.setdefault(table, []).append(row)

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def reachable(database: str) -> bool:
    """Say whether the database can be used (PostgreSQL may not run on this machine)."""
    if database == "sqlite":
        return True
    engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        print(f"PostgreSQL not reachable at {PG_URL}: skipped", file=sys.stderr)
        return False
    finally:
        engine.dispose()


def cache_key(seed: int, projects: int) -> str:
    """Return the key of a data set: seed, size, schema head, the migrations' and builder's text."""
    head = ",".join(sorted(ScriptDirectory(str(ROOT / "migrations")).get_heads()))
    migrations = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    builders = [ROOT / "bench" / name for name in ("dataset.py", "history.py")]
    text = b"".join(path.read_bytes() for path in [*migrations, *builders])
    digest = hashlib.sha256(f"{seed}:{projects}:{head}:".encode() + text).hexdigest()
    return digest[:12]


def pg_schema_url(schema: str) -> str:
    """Return the PostgreSQL URL whose search path is `schema`."""
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


def ensure(database: str, seed: int = 19, projects: int = 10_000) -> str:
    """Return the URL of the cached data set, building it first when missing."""
    key = cache_key(seed, projects)
    if database == "sqlite":
        return _ensure_sqlite(key, seed, projects)
    return _ensure_postgresql(key, seed, projects)


def _ensure_sqlite(key: str, seed: int, projects: int) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    final = CACHE / f"bench-{key}.db"
    if final.exists():
        return f"sqlite:///{final}"
    for stale in CACHE.glob("bench-*"):  # data sets of older keys, half-built files
        stale.unlink()
    building = final.with_suffix(".building")
    build(f"sqlite:///{building}", seed, projects)
    with sqlite3.connect(building) as conn:  # everything in the file, none left in the WAL
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    building.rename(final)
    for leftover in (Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{final}"


def _ensure_postgresql(key: str, seed: int, projects: int) -> str:
    schema = f"bench_{key}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        done = conn.exec_driver_sql(
            "SELECT obj_description(oid) FROM pg_namespace WHERE nspname = %s", (schema,)
        ).scalar()
        if done == "complete":
            admin.dispose()
            return pg_schema_url(schema)
        older = conn.exec_driver_sql(
            "SELECT nspname FROM pg_namespace WHERE nspname ~ '^bench_[0-9a-f]{12}$'"
        ).scalars()
        for name in [*older, schema]:  # data sets of older keys, a half-built one
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    build(pg_schema_url(schema), seed, projects)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"COMMENT ON SCHEMA {schema} IS 'complete'")
    admin.dispose()
    return pg_schema_url(schema)


def build(url: str, seed: int, projects: int) -> None:
    """Create the schema at `url` and fill it (the database must be empty)."""
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "accompagnement", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    from accompagnement import create_app
    from accompagnement.extensions import db

    migrated = time.perf_counter()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        counts = _fill(seed, projects)
        db.engine.dispose()
    print(
        f"data set built in {time.perf_counter() - started:.1f} s "
        f"(schema {migrated - started:.1f} s, data {time.perf_counter() - migrated:.1f} s): "
        + ", ".join(f"{n} {t}" for t, n in counts.items()),
        file=sys.stderr,
    )


def _fill(seed: int, size: int) -> dict[str, int]:
    from accompagnement.demo.territory import load_territory
    from accompagnement.extensions import db
    from accompagnement.tenancy import network_ids, network_scope

    started = time.perf_counter()
    load_territory()
    network = network_ids(db.session)[0]  # the migration's default network
    with network_scope(network):
        return _fill_network(seed, size, started, network)


def _fill_network(seed: int, size: int, started: float, network: int) -> dict[str, int]:
    from accompagnement.demo.settings import load_network
    from accompagnement.extensions import db
    from accompagnement.workflows.services import latest_workflow, snapshot

    load_network()
    workflow = latest_workflow(WORKFLOW)
    snapshot(workflow)
    db.session.commit()
    rng = random.Random(seed)
    rows = Rows()
    world = _world(rng, rows, size)
    from bench.history import add_projects

    add_projects(rng, rows, world, workflow, size)
    _stage_entries(rows, workflow.name)
    _activities(rng, rows, world, size * 5)
    _fill_audit(rng, rows, world, size * 20)
    _own(rows, network)
    generated = time.perf_counter()
    _insert(rows)
    print(f"geography and rows {generated - started:.1f} s, bulk inserts "
          f"{time.perf_counter() - generated:.1f} s", file=sys.stderr)  # fmt: skip
    return {table: len(batch) for table, batch in rows.tables.items()}


def _own(rows: Rows, network: int) -> None:
    """Put every row of a network-owned table in the network; roles become memberships."""
    from accompagnement.extensions import db

    for name, batch in list(rows.tables.items()):
        if "network_id" in db.metadata.tables[name].c:
            for row in batch:
                row.setdefault("network_id", network)
    for user in rows.tables.get("users", []):
        rows.add("network_memberships", user_id=user["id"], role=user.pop("role"),
                 network_id=network, created_at=NOW)  # fmt: skip


def _stage_entries(rows: Rows, workflow_name: str) -> None:
    """Add the days each project spent in each state, as the services keep them."""
    from accompagnement.projects.stageentries import entry_rows

    moves: dict[int, list[tuple[str, datetime]]] = {}
    for record in rows.tables["transition_records"]:  # in the order they were recorded
        moves.setdefault(record["project_id"], []).append((record["to_state"], record["at"]))
    for project_id, steps in moves.items():
        for row in entry_rows(project_id, workflow_name, steps):
            rows.add("stage_entries", **row)


@dataclass
class World:
    """Who and where: accounts, members, communes the projects and activities refer to."""

    coordinator: int
    holders: list[int]
    members: list[int]
    communes: list[str]
    next_id: dict[str, int] = field(default_factory=dict)

    def new_id(self, table: str) -> int:
        self.next_id[table] = self.next_id.get(table, 0) + 1
        return self.next_id[table]


def _world(rng: random.Random, rows: Rows, size: int) -> World:
    from accompagnement.extensions import db

    network = db.session.execute(sa.text("SELECT id FROM networks")).scalar_one()
    departements = list(db.session.execute(sa.text("SELECT code FROM departements")).scalars())
    covered = set(
        db.session.execute(sa.text("SELECT departement_code FROM network_departements")).scalars()
    )
    for code in sorted(set(departements) - covered):  # a national instance covers them all
        rows.add("network_departements", network_id=network, departement_code=code)
    communes = list(db.session.execute(sa.text("SELECT insee FROM communes")).scalars())
    hashed = PasswordHasher().hash(PASSWORD)  # the production cost, as the server checks it
    world = World(0, [], [], sorted(communes))
    world.coordinator = _user(rows, world, hashed, COORDINATOR, "coordinator")
    _user(rows, world, hashed, PARTNER, "partner")
    for n in range(max(size // 4, 10)):
        world.holders.append(_user(rows, world, hashed, f"holder{n}@bench.example.org", "holder"))
    for n in range(max(size // 33, 30)):
        member = world.new_id("members")
        commune = rng.choice(world.communes)
        rows.add("members", id=member, name=f"Ressourcerie {n:04d}", kind="ressourcerie",
                 commune_insee=commune, departement_code=None, status="member",
                 joined_on=date(2012, 1, 1) + timedelta(days=rng.randrange(5000)),
                 does_collecte=True, does_valorisation=True, does_vente=True,
                 does_sensibilisation=True, created_at=NOW)  # fmt: skip
        world.members.append(member)
    return world


def _user(rows: Rows, world: World, hashed: str, email: str, role: str) -> int:
    user = world.new_id("users")
    rows.add("users", id=user, email=email, name=f"Bench {role} {user}", role=role,
             password_hash=hashed, active=True, session_token=f"bench-{user:08d}-" + "s" * 40,
             failed_logins=0, locale="fr", created_at=NOW)  # fmt: skip
    return user


ACTIVITY_TYPES = (
    ("journee_rencontre", 6), ("reunion_coordination", 4), ("journee_technique", 4),
    ("comite_pilotage", 1), ("sensibilisation", 20), ("animation", 25), ("visite", 25),
    ("colloque", 5), ("formation", 10),
)  # fmt: skip
VISITORS = ("collectivite", "porteur_projet", "autre")


def _activities(rng: random.Random, rows: Rows, world: World, count: int) -> None:
    kinds = [k for k, _ in ACTIVITY_TYPES]
    weights = [w for _, w in ACTIVITY_TYPES]
    first = date(2017, 1, 1)
    span = (NOW.date() - first).days + 120
    for n in range(count):
        activity = world.new_id("activities")
        kind = rng.choices(kinds, weights)[0]
        on = first + timedelta(days=rng.randrange(span))
        rows.add("activities", id=activity, date=on, end_date=None, type=kind,
                 title=f"{kind.replace('_', ' ').capitalize()} n° {n}",
                 visitor=rng.choice(VISITORS) if kind == "visite" else None, partner=None,
                 participants=rng.randrange(3, 80), notes=None,
                 status="planned" if on > NOW.date() else "done",
                 created_by_id=world.coordinator, created_at=NOW, updated_at=NOW)  # fmt: skip
        for member in rng.sample(world.members, rng.randrange(1, 4)):
            rows.add("activity_members", activity_id=activity, member_id=member)
        created = datetime.combine(min(on, NOW.date()), datetime.min.time())
        rows.add("audit_events", at=created - timedelta(days=rng.randrange(0, 30)),
                 user_id=world.coordinator, project_id=None, action="activity.created",
                 detail={"activity_id": activity, "type": kind})  # fmt: skip


def _fill_audit(rng: random.Random, rows: Rows, world: World, target: int) -> None:
    """Top the audit trail up to its target with sign-in lockouts and exports, as the app logs."""
    actions = ("auth.locked_attempt", "privacy.exported", "project.holder_added")
    projects = world.next_id.get("projects", 1)
    while rows.count("audit_events") < target:
        at = NOW - timedelta(minutes=rng.randrange(60 * 24 * 3000))
        rows.add("audit_events", at=at, user_id=rng.choice(world.holders),
                 project_id=rng.randrange(1, projects + 1), action=rng.choice(actions),
                 detail={})  # fmt: skip


def _insert(rows: Rows) -> None:
    from accompagnement import models  # noqa: F401 (every table in the metadata)
    from accompagnement.extensions import db
    from accompagnement.projects.visitrows import rebuild_visits

    db.session.remove()  # its read transaction would hold SQLite's lock
    metadata = db.metadata
    order = ("network_departements", "users", "network_memberships", "members", "projects",
             "project_holders", "transition_records", "stage_entries", "form_submissions",
             "checklist_ticks", "comments", "activities", "activity_members",
             "audit_events")  # fmt: skip
    with db.engine.begin() as conn:
        for name in order:
            batch = rows.tables.get(name, [])
            if conn.dialect.name == "postgresql" and batch:
                _copy(conn, name, batch)
                continue
            for start in range(0, len(batch), 5000):
                conn.execute(metadata.tables[name].insert(), batch[start : start + 5000])
        rebuild_visits(conn)  # the forms were written directly: their visits as rows
        if conn.dialect.name == "postgresql":
            for name in ("users", "members", "projects", "activities"):
                top = f"(SELECT max(id) FROM {name})"  # noqa: S608 (our own table names)
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {top})"
                )
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def _copy(conn: sa.Connection, table: str, batch: list[dict[str, Any]]) -> None:
    """Load rows with PostgreSQL's COPY (JSON values as text), many times faster than INSERTs."""
    columns = list(batch[0])
    names = ", ".join(columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in batch:
            copy.write_row([_copy_value(row[c]) for c in columns])
    cursor.close()


def _copy_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    print(ensure(args.database, args.seed, args.projects))


if __name__ == "__main__":
    main()
