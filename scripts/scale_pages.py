"""Time, count the queries of and profile the list pages on a national-size network.

    .venv/bin/python scripts/scale_pages.py [--projects 10000] [--profile /projects/] [--db URL]

Builds a database of its own (a SQLite file in a temporary folder unless --db is given), bulk
inserts `--projects` projects over the two pathways with their transitions and one holder each
(Core `executemany`, a few seconds), then GETs each page as a coordinator or a partner through
the test client: the second of three requests is timed, the queries counted, the HTML measured.
`--profile PATH` prints the cProfile of one request of that page (cumulative, top 35);
`--explain` prints the plan of every query (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL).
A developer's tool, not part of the suite (the official benchmark is `make bench`).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from accompagnement import create_app  # noqa: E402
from accompagnement.auth.models import User  # noqa: E402
from accompagnement.db import utcnow  # noqa: E402
from accompagnement.extensions import db  # noqa: E402
from accompagnement.projects.models import Project, TransitionRecord, project_holders  # noqa: E402

CREATION = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "ouverte")
ADHESION = ("candidature", "visite", "avis_ca", "adherente")
COMMUNES = ("87085", "19272", "19031", "23096", "23008", "87154", "87011", "19275", None)
PASSWORD = "correct horse battery staple"  # noqa: S105 (a throwaway test database)
EMAILS = {"coordinator": "coord@example.org", "partner": "partner@example.org"}
PAGES = (
    ("coordinator", "/projects/"),
    ("coordinator", "/"),
    ("partner", "/partners/"),
    ("partner", "/"),
)


def seed(count: int) -> dict[str, int]:
    """Insert the network: users, projects, holders and transitions, in bulk."""
    from accompagnement.auth.services import create_user
    from accompagnement.demo.territory import load_territory
    from accompagnement.workflows.services import latest_workflow, snapshot

    load_territory()
    coordinator = create_user(
        "coord@example.org", role="coordinator", name="Camille Coordination", password=PASSWORD
    )
    partner = create_user(
        "partner@example.org", role="partner", name="Paula Partenaire", password=PASSWORD
    )
    for name in ("creation-ressourcerie", "adhesion-reseau"):
        snapshot(latest_workflow(name))
    db.session.commit()
    rng = random.Random(10)
    now = utcnow()
    first_holder = _insert_holders(count)
    projects, transitions, holders = [], [], []
    for number in range(count):
        path, workflow = (
            (ADHESION, "adhesion-reseau")
            if number % 10 == 0
            else (
                CREATION,
                "creation-ressourcerie",
            )
        )
        steps = rng.randrange(1, len(path) + 1)
        start = now - timedelta(days=rng.randrange(30, 2000))
        state = path[steps - 1]
        if rng.random() < 0.08:
            state = "en_pause"
        projects.append(
            {
                "id": number + 1,
                "name": f"Projet {number:05d}",
                "workflow_name": workflow,
                "workflow_version": 1,
                "state": state,
                "return_state": path[steps - 1] if state == "en_pause" else None,
                "state_changed_at": start + timedelta(days=min(60 * steps, 1990)),
                "commune_insee": rng.choice(COMMUNES),
                "created_at": start,
                "updated_at": start,
                "lock_version": 1,
            }
        )
        holders.append({"project_id": number + 1, "user_id": first_holder + number})
        for index, stage in enumerate(path[:steps]):
            transitions.append(
                {
                    "project_id": number + 1,
                    "workflow_version": 1,
                    "trigger": "create" if index == 0 else "advance",
                    "from_state": path[index - 1] if index else None,
                    "to_state": stage,
                    "user_id": coordinator.id,
                    "at": start + timedelta(days=60 * index),
                }
            )
    db.session.execute(insert(Project), projects)
    db.session.execute(insert(project_holders), holders)
    db.session.execute(insert(TransitionRecord), transitions)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return {"coordinator": coordinator.id, "partner": partner.id, "transitions": len(transitions)}


def _insert_holders(count: int) -> int:
    start = (db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0) + 1
    rows = [
        {
            "id": start + n,
            "email": f"holder{n}@example.org",
            "name": f"Porteur {n}",
            "role": "holder",
            "password_hash": "argon2$" + "x" * 90,
            "session_token": f"t{n}",
            "active": True,
            "failed_logins": 0,
        }
        for n in range(count)
    ]
    db.session.execute(insert(User), rows)
    return start


def explain(statements: list[tuple[str, Any]]) -> None:
    """Print the database's plan of each statement a page ran."""
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            print("  ", " ".join(statement.split())[:300])
            for row in conn.exec_driver_sql(prefix + statement, parameters):
                print("      ", " | ".join(str(c) for c in row))


def statements_listener(statements: list[tuple[str, Any]]) -> Any:
    """Return an event listener appending each statement and its parameters to `statements`."""

    def listen(*args: Any) -> None:
        statements.append((args[2], args[3]))

    return listen


def measure(app: Any, ids: dict[str, int], profile: str | None, plans: bool = False) -> None:
    """Print, per page, the time of one request, its SQL queries and HTML bytes."""
    for role, path in PAGES:
        client = app.test_client()
        client.post("/auth/login", data={"email": EMAILS[role], "password": PASSWORD})
        statements: list[tuple[str, Any]] = []
        listen = statements_listener(statements)

        client.get(path)  # warm up (workflows, templates)
        event.listen(db.engine, "before_cursor_execute", listen)
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", listen)
        size = len(response.get_data())
        print(
            f"{role:12} {path:12} {response.status_code} {elapsed * 1000:8.0f} ms "
            f"{len(statements):4} queries {size / 1024:8.1f} KB"
        )
        if plans:
            explain(statements)
        if profile == path:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def main() -> None:
    """Seed a database and measure the pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--profile")
    parser.add_argument("--db")
    parser.add_argument("--explain", action="store_true", help="print each query's plan")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.db or f"sqlite:///{folder}/scale.db"
    os.environ.setdefault("RATELIMIT_ENABLED", "0")
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "TESTING": True,
        "UPLOAD_DIR": folder,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "test",
    }
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        from accompagnement.territory.loader import load_geography

        with db.engine.begin() as conn:
            load_geography(conn)
        started = time.perf_counter()
        ids = seed(args.projects)
        print(
            f"seeded {args.projects} projects, {ids['transitions']} transitions "
            f"in {time.perf_counter() - started:.1f} s ({url.split('@')[-1]})"
        )
        measure(app, ids, args.profile, args.explain)


if __name__ == "__main__":
    main()
