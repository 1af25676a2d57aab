"""500 sequential transitions through the service, next to a raw guarded UPDATE + audit INSERT.

    python -m bench.transitions --database sqlite|postgresql [--count 500] [--profile]

On a throwaway copy of the data set: the app fires `advance`/`open` on projects ready to move on
through `projects.services.fire_transition` and commits each one; the raw baseline does the same
checks by hand with the driver (the user's role, the stage's submitted form, its checklist, the
guarded UPDATE on state and lock version, the transition record) and commits each one. Both on
distinct projects of the same stages. `--profile` prints where the service's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import dataset
from bench.history import pathway

Target = tuple[int, str]  # project id, trigger
WARM, SLICE = 20, 50


def throwaway_copy(database: str, directory: str) -> str:
    """Return the URL of a copy of the cached data set that may be changed, then dropped."""
    if database == "sqlite":
        source = sqlite3.connect(dataset.ensure("sqlite").removeprefix("sqlite:///"))
        copy = Path(directory) / "transitions.db"
        with sqlite3.connect(copy) as target:
            source.backup(target)
        source.close()
        return f"sqlite:///{copy}"
    admin = sa.create_engine(dataset.PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS bench_transitions CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA bench_transitions")
    admin.dispose()
    url = dataset.pg_schema_url("bench_transitions")
    dataset.build(url, 19, 10_000)
    return url


def ready_targets(count: int) -> list[Target]:
    """Return projects whose forward move is allowed now, with its trigger (in app context)."""
    from accompagnement.extensions import db
    from accompagnement.projects import services
    from accompagnement.projects.models import Project
    from accompagnement.workflows.services import latest_workflow

    workflow = latest_workflow(dataset.WORKFLOW)
    steps, _holds = pathway(workflow)
    candidates = db.session.scalars(
        sa.select(Project).where(Project.state.in_(steps[:-1])).order_by(Project.id)
    ).all()
    found: list[Target] = []
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        facts = services.facts_of_many(batch)
        for project in batch:
            for option in workflow.options(facts[project.id], "coordinator"):
                if option.allowed and option.forward and option.reason == "none":
                    found.append((project.id, option.trigger))
                    break
        if len(found) >= count:
            break
    db.session.rollback()
    return found[:count]


def run_app(targets: list[Target], coordinator: int) -> float:
    """Fire and commit each transition through the service; return the seconds taken."""
    from accompagnement.extensions import db
    from accompagnement.projects.services import fire_transition

    started = time.perf_counter()
    for project_id, trigger in targets:
        fire_transition(project_id, trigger, user_id=coordinator)
        db.session.commit()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not dataset.reachable(args.database):
        return 0
    from accompagnement import create_app
    from bench.rawtransition import RawTransitions

    with tempfile.TemporaryDirectory() as directory:
        url = throwaway_copy(args.database, directory)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context(), _network_scope():
            targets = ready_targets(2 * (args.count + WARM))
            if len(targets) < 2 * (args.count + WARM):
                raise RuntimeError(f"only {len(targets)} projects ready to move on")
            coordinator = _coordinator()
            raw_runner = RawTransitions(url, coordinator)
            profiler = cProfile.Profile() if args.profile else None
            app_seconds, raw_seconds = _alternate(targets, raw_runner, coordinator, profiler)
            raw_runner.close()
        _report(args, app_seconds, raw_seconds, profiler)
        if args.database == "postgresql":
            _drop_schema()
    return 0


def _alternate(
    targets: list[Target],
    raw_runner: Any,
    coordinator: int,
    profiler: cProfile.Profile | None,
) -> tuple[float, float]:
    """Time the app and the raw baseline in alternating slices, so both see the same machine."""
    mine, raw = targets[0::2], targets[1::2]
    run_app(mine[:WARM], coordinator)
    raw_runner.run(raw[:WARM])
    app_seconds = raw_seconds = 0.0
    for start in range(WARM, len(mine), SLICE):
        chunk = mine[start : start + SLICE]
        app_seconds += _timed(profiler, partial(run_app, chunk, coordinator))
        raw_seconds += raw_runner.run(raw[start : start + SLICE])
    return app_seconds, raw_seconds


def _network_scope() -> Any:
    """Enter the data set's network (its only one), as a request of its coordinator does."""
    from accompagnement.extensions import db
    from accompagnement.tenancy import network_ids, network_scope

    return network_scope(network_ids(db.session)[0])


def _coordinator() -> int:
    from accompagnement.auth.models import User
    from accompagnement.extensions import db

    found = db.session.scalars(sa.select(User.id).where(User.email == dataset.COORDINATOR)).one()
    db.session.rollback()  # no read transaction left open while the raw connection writes
    return found


def _timed(profiler: cProfile.Profile | None, work: Callable[[], float]) -> float:
    if profiler is None:
        return work()
    profiler.enable()
    seconds = work()
    profiler.disable()
    return seconds


def _report(
    args: argparse.Namespace,
    app_seconds: float,
    raw_seconds: float,
    profiler: cProfile.Profile | None,
) -> None:
    mine, raw = app_seconds / args.count * 1000, raw_seconds / args.count * 1000
    print(f"\n{args.database}: {args.count} sequential transitions, each committed")
    print("| path | total s | per transition ms | ratio |")
    print("|---|--:|--:|--:|")
    print(f"| fire_transition + commit | {app_seconds:.2f} | {mine:.2f} | {mine / raw:.1f}x |")
    print(f"| raw guarded UPDATE + INSERT | {raw_seconds:.2f} | {raw:.2f} | 1.0x |")
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


def _drop_schema() -> None:
    admin = sa.create_engine(dataset.PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS bench_transitions CASCADE")
    admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
