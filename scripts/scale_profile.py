"""Build a national-size database and time pages on it (issue 10: profile before optimising).

    python scripts/scale_profile.py build sqlite:////tmp/scale.db [--projects 10000]
    python scripts/scale_profile.py time sqlite:////tmp/scale.db /activities/ /members/
    python scripts/scale_profile.py profile sqlite:////tmp/scale.db /activities/

`build` creates the schema with the migrations, then bulk-inserts (Core executemany) the
projects with their transitions, form revisions (visits forms included), comments, the
members, the users and the activities. `time` signs in as the coordinator and prints, per page,
the best of 3 requests, the SQL statements and the HTML bytes; `profile` prints a cProfile of
one request. Not part of the test suite: `make bench` is the measured benchmark.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from accompagnement import create_app  # noqa: E402
from accompagnement.extensions import db  # noqa: E402

PATH = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "ouverte")
TYPES = (
    "journee_rencontre",
    "reunion_coordination",
    "journee_technique",
    "comite_pilotage",
    "sensibilisation",
    "animation",
    "visite",
    "colloque",
    "formation",
)
PASSWORD = "correct horse battery staple"  # noqa: S105 (a throwaway local database)
COORDINATOR = "coordination@scale.example.org"
COMMUNES = ("87085", "19272", "19031", "23096", "23008", "87154", "87011")


def make_app(url: str) -> Flask:
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    )


def build(url: str, projects: int, activities: int, members: int, users: int) -> None:
    """Create the schema and fill it with a network of the given size."""
    from flask_migrate import upgrade

    from accompagnement.auth.passwords import hash_password

    app = make_app(url)
    with app.app_context():
        upgrade()
        rng = random.Random(10)
        now = dt.datetime(2026, 11, 30, 12, 0)
        conn = db.session.connection()
        t = {name: db.metadata.tables[name] for name in TABLES}
        conn.execute(
            t["users"].insert(),
            [_user(COORDINATOR, "coordinator", hash_password(PASSWORD), now)]
            + [
                _user(
                    f"u{n}@scale.example.org",
                    rng.choice(("holder", "partner", "member")),
                    None,
                    now,
                )
                for n in range(users)
            ],
        )
        coordinator = conn.scalar(
            sa.text("SELECT id FROM users WHERE email = :e"), {"e": COORDINATOR}
        )
        conn.execute(
            t["members"].insert(),
            [
                {
                    "name": f"Ressourcerie {n:04d}",
                    "kind": "ressourcerie",
                    "status": "member",
                    "commune_insee": rng.choice(COMMUNES),
                    "departement_code": None,
                    "joined_on": dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(5000)),
                    "does_collecte": True,
                    "does_valorisation": True,
                    "does_vente": True,
                    "does_sensibilisation": True,
                    "created_at": now,
                    "contact_name": f"Contact {n}",
                    "contact_email": f"m{n}@scale.example.org",
                }
                for n in range(members)
            ],
        )
        member_ids = list(conn.scalars(sa.text("SELECT id FROM members")))
        _projects(conn, t, rng, projects, member_ids, coordinator, now)
        _activities(conn, t, rng, activities, member_ids, now)
        db.session.commit()
        from accompagnement.workflows.services import latest_workflow, snapshot

        snapshot(latest_workflow("creation-ressourcerie"))
        db.session.commit()


TABLES = (
    "users",
    "members",
    "projects",
    "transition_records",
    "form_submissions",
    "comments",
    "activities",
    "activity_members",
    "project_holders",
)


def _user(email: str, role: str, password_hash: str | None, now: dt.datetime) -> dict[str, Any]:
    return {
        "email": email,
        "name": email.split("@")[0],
        "role": role,
        "password_hash": password_hash,
        "active": True,
        "session_token": email,
        "failed_logins": 0,
        "created_at": now,
    }


def _projects(
    conn: Any,
    t: dict[str, Any],
    rng: random.Random,
    count: int,
    member_ids: list[int],
    coordinator: int,
    now: dt.datetime,
) -> None:
    projects, records, forms, comments = [], [], [], []
    for number in range(1, count + 1):
        steps = rng.randrange(1, len(PATH) + 1)
        start = now - dt.timedelta(days=rng.randrange(100, 3000))
        projects.append(
            {
                "id": number,
                "name": f"Projet {number:05d}",
                "workflow_name": "creation-ressourcerie",
                "workflow_version": 1,
                "state": PATH[steps - 1],
                "commune_insee": rng.choice(COMMUNES),
                "created_at": start,
                "updated_at": start,
                "lock_version": 1,
                "state_changed_at": start + dt.timedelta(days=60 * (steps - 1)),
            }
        )
        previous = None
        for index, stage in enumerate(PATH[:steps]):
            records.append(
                {
                    "project_id": number,
                    "workflow_version": 1,
                    "to_state": stage,
                    "trigger": "create" if previous is None else "advance",
                    "from_state": previous,
                    "user_id": coordinator,
                    "at": start + dt.timedelta(days=60 * index),
                }
            )
            previous = stage
        forms.append(_form(number, "premier_contact", 1, {"motivation": "x" * 200}, start))
        if steps >= 2:
            visits = [_visit(rng, member_ids, start) for _ in range(rng.randrange(1, 5))]
            forms.append(_form(number, "visites", 1, {"visits": visits[:1]}, start, "draft"))
            forms.append(_form(number, "visites", 2, {"visits": visits}, start))
        comments.append(
            {
                "project_id": number,
                "author_id": coordinator,
                "body": "Suivi",
                "created_at": start + dt.timedelta(days=rng.randrange(0, 90)),
            }
        )
    conn.execute(t["projects"].insert(), projects)
    conn.execute(t["transition_records"].insert(), records)
    conn.execute(t["form_submissions"].insert(), forms)
    conn.execute(t["comments"].insert(), comments)


def _form(
    project: int,
    stage: str,
    revision: int,
    data: dict[str, Any],
    at: dt.datetime,
    status: str = "submitted",
) -> dict[str, Any]:
    return {
        "project_id": project,
        "stage": stage,
        "revision": revision,
        "status": status,
        "data": data,
        "created_at": at,
    }


def _visit(rng: random.Random, member_ids: list[int], start: dt.datetime) -> dict[str, Any]:
    on = start.date() + dt.timedelta(days=rng.randrange(30, 200))
    return {"member": rng.choice(member_ids), "date": on.isoformat(), "kind": "visite", "days": 1}


def _activities(
    conn: Any,
    t: dict[str, Any],
    rng: random.Random,
    count: int,
    member_ids: list[int],
    now: dt.datetime,
) -> None:
    rows, links = [], []
    for number in range(1, count + 1):
        on = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(4100))
        type_ = rng.choice(TYPES)
        rows.append(
            {
                "id": number,
                "date": on,
                "type": type_,
                "title": f"Activité {number:06d}",
                "visitor": rng.choice(("collectivite", "porteur_projet", "autre"))
                if type_ == "visite"
                else None,
                "status": "planned" if on > now.date() else "done",
                "participants": rng.randrange(80),
                "created_at": now,
                "updated_at": now,
            }
        )
        for member in rng.sample(member_ids, rng.randrange(0, 3)):
            links.append({"activity_id": number, "member_id": member})
    conn.execute(t["activities"].insert(), rows)
    conn.execute(t["activity_members"].insert(), links)


def requests(app: Flask, paths: list[str]) -> Iterator[tuple[str, Any]]:
    client = app.test_client()
    client.post("/auth/login", data={"email": COORDINATOR, "password": PASSWORD})
    for path in paths:
        yield path, client


def time_pages(url: str, paths: list[str]) -> None:
    """Print the best of 3 timings, SQL statements and HTML bytes of each page."""
    app = make_app(url)
    with app.app_context():
        for path, client in requests(app, paths):
            seen: list[str] = []

            def count(*args: Any, seen: list[str] = seen) -> None:
                seen.append(args[2])

            best, size = float("inf"), 0
            for _ in range(3):
                seen.clear()
                sa.event.listen(db.engine, "before_cursor_execute", count)
                began = time.perf_counter()
                response = client.get(path)
                best = min(best, time.perf_counter() - began)
                sa.event.remove(db.engine, "before_cursor_execute", count)
                size = len(response.get_data())
                assert response.status_code == 200, (path, response.status_code)
            print(f"{path}\t{best * 1000:.0f} ms\t{len(seen)} queries\t{size:,} bytes")


def profile(url: str, path: str) -> None:
    """Print where one request spends its time."""
    app = make_app(url)
    with app.app_context():
        for _path, client in requests(app, [path]):
            client.get(path)
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("build", "time", "profile"))
    parser.add_argument("url")
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=50_000)
    parser.add_argument("--members", type=int, default=150)
    parser.add_argument("--users", type=int, default=3_000)
    args = parser.parse_args()
    if args.command == "build":
        build(args.url, args.projects, args.activities, args.members, args.users)
    elif args.command == "time":
        time_pages(args.url, args.paths)
    else:
        profile(args.url, args.paths[0])


if __name__ == "__main__":
    main()
