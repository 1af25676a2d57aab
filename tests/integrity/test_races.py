"""Several processes act on one project at the same moment (security.md items 20 and 21).

Each process creates its own app on a committed database made for this module (not the
per-test emptied one) and waits at a barrier, so that they really race. SQLite serialises
writers with BEGIN IMMEDIATE and a busy timeout; PostgreSQL with row locks and guarded updates.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from accompagnement import create_app
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.projects import queries, services
from accompagnement.projects.models import FormSubmission, Project, TransitionRecord
from tests.conftest import PASSWORD, drop_database, make_database_url, only_network
from tests.integrity import race_workers

pytestmark = pytest.mark.slow

PROCESSES = 6
STARTUP_LIMIT = 120  # seconds for six apps to start on a busy machine (about 10 s when idle)
RACE_LIMIT = 20  # seconds for one race (about 1 s)


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """An app on a database of its own, committed for real, shared by the module's races."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = make_database_url(str(tmp_path_factory.mktemp("race")), f"race_{worker}_{os.getpid()}")
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_PROFILE": "test"}
    )
    with app.app_context():
        db.create_all()
    with app.app_context(), only_network():
        from accompagnement.auth.services import create_user

        create_user(
            "coordination@example.org",
            name="Claude Coordination",
            role="coordinator",
            password=PASSWORD,
        )
        create_user("porteuse@example.org", name="Dominique Porteuse", role="holder",
                    password=PASSWORD)  # fmt: skip
        db.session.commit()
    yield app, url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(url)


def _user_id(email: str) -> int:
    return db.session.scalars(sa.select(User.id).where(User.email == email)).one()


def _new_project(ready: bool) -> tuple[int, int, int]:
    """Create a project (ready: its first stage complete); return its id and the users' ids."""
    coordinator, holder = _user_id("coordination@example.org"), _user_id("porteuse@example.org")
    project = services.create_project(
        "Ressourcerie en course", workflow_name="creation-ressourcerie", user_id=coordinator,
        holder_ids=[holder],
    )  # fmt: skip
    if ready:
        services.save_form(
            project.id, "premier_contact", {"project_name": "Course", "holder_type": "association"},
            user_id=coordinator, submit=True, base_revision=0,
        )  # fmt: skip
        for item in services.workflow_of(project).stage("premier_contact").checklist:
            services.set_checklist_item(
                project.id, "premier_contact", item.key, done=True, user_id=coordinator
            )
    db.session.commit()
    return project.id, coordinator, holder


class RacePool:
    """PROCESSES processes with an app each, started once, released together for each race."""

    def __init__(self, url: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(PROCESSES)
        self.results: Any = context.Queue()
        self.tasks = [context.Queue() for _ in range(PROCESSES)]
        self.processes = [
            context.Process(
                target=race_workers.serve, args=(url, self.barrier, tasks, self.results)
            )
            for tasks in self.tasks
        ]
        for process in self.processes:
            process.start()
        started = self._collect(STARTUP_LIMIT)
        assert started == ["ready"] * PROCESSES, started

    def race(self, kind: str, kwargs_list: list[dict[str, Any]]) -> list[Any]:
        """Give one task to each process; return their outcomes once all have finished."""
        assert len(kwargs_list) == PROCESSES
        for tasks, kwargs in zip(self.tasks, kwargs_list, strict=True):
            tasks.put((kind, kwargs))
        outcomes = self._collect(RACE_LIMIT)
        errors = [o for o in outcomes if isinstance(o, str) and o.startswith("error")]
        if errors:
            self.barrier.reset()
        assert not errors, errors
        return outcomes

    def _collect(self, limit: float) -> list[Any]:
        deadline = time.monotonic() + limit
        found: list[Any] = []
        try:
            for _ in self.processes:
                found.append(self.results.get(timeout=max(0.1, deadline - time.monotonic())))
        except queue.Empty:
            pytest.fail(f"the processes did not answer within {limit} s: {found}")
        return found

    def close(self) -> None:
        """Stop the processes."""
        for tasks in self.tasks:
            tasks.put(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()


@pytest.fixture(scope="module")
def pool(race_app: tuple[Flask, str]) -> Iterator[RacePool]:
    """The racing processes, each with its own app on the module's database."""
    racers = RacePool(race_app[1])
    yield racers
    racers.close()


@pytest.mark.parametrize("expected", [True, False], ids=["as-the-page-does", "no-expected-state"])
def test_one_transition_wins_and_the_others_are_told(
    race_app: tuple[Flask, str], pool: RacePool, expected: bool
) -> None:
    app, _url = race_app
    with app.app_context(), only_network():
        project_id, coordinator, _holder = _new_project(ready=True)
    kwargs = [
        {"project_id": project_id, "user_id": coordinator, "trigger": "advance",
         "expected": "premier_contact" if expected else None}
        for _ in range(PROCESSES)
    ]  # fmt: skip
    outcomes = pool.race("fire", kwargs)
    assert outcomes.count("won") == 1, outcomes
    assert set(outcomes) - {"won"} <= {"changed", "refused"}, outcomes
    with app.app_context(), only_network():
        records = queries.history(project_id)
        assert [r.trigger for r in records] == ["create", "advance"]
        assert services.replay(records) == "visites"
        assert db.session.get(Project, project_id).state == "visites"


def test_pause_from_both_sides_wins_once(race_app: tuple[Flask, str], pool: RacePool) -> None:
    """Holders and coordinators may both pause: still one transition, never two."""
    app, _url = race_app
    with app.app_context(), only_network():
        project_id, coordinator, holder = _new_project(ready=False)
    kwargs = [
        {"project_id": project_id, "user_id": user, "trigger": "pause", "expected": None}
        for user in [coordinator, holder] * (PROCESSES // 2)
    ]
    outcomes = pool.race("fire", kwargs)
    assert outcomes.count("won") == 1, outcomes
    assert set(outcomes) - {"won"} <= {"changed", "refused"}, outcomes
    with app.app_context(), only_network():
        records = db.session.scalars(
            sa.select(TransitionRecord).where(TransitionRecord.project_id == project_id)
        ).all()
        assert [r.to_state for r in records] == ["premier_contact", "en_pause"]


def test_concurrent_form_saves_never_overwrite(race_app: tuple[Flask, str], pool: RacePool) -> None:
    app, _url = race_app
    rounds = 3
    with app.app_context(), only_network():
        project_id, coordinator, holder = _new_project(ready=False)
    kwargs = [
        {"project_id": project_id, "user_id": user, "stage": "premier_contact", "rounds": rounds}
        for user in [coordinator, holder] * (PROCESSES // 2)
    ]
    outcomes = pool.race("save", kwargs)
    for index in range(rounds):
        this_round = [per_process[index] for per_process in outcomes]
        assert this_round.count("won") == 1, outcomes
        assert this_round.count("stale") == PROCESSES - 1, outcomes
    with app.app_context(), only_network():
        revisions = db.session.scalars(
            sa.select(FormSubmission.revision)
            .where(FormSubmission.project_id == project_id)
            .order_by(FormSubmission.revision)
        ).all()
        assert revisions == list(range(1, rounds + 1))


def test_concurrent_narrative_saves_lose_nothing(
    race_app: tuple[Flask, str], pool: RacePool
) -> None:
    from accompagnement.reports.models import NarrativeVersion
    from accompagnement.reports.saved import ReportInput, create_report

    app, _url = race_app
    rounds = 3
    with app.app_context(), only_network():
        coordinator = _user_id("coordination@example.org")
        report = create_report(ReportInput("Comité en course", "2024-01-01", "2024-12-31"),
                               user_id=coordinator)  # fmt: skip
        db.session.commit()
        report_id = report.id
    kwargs = [
        {"report_id": report_id, "user_id": coordinator, "text": f"Texte {n}", "rounds": rounds}
        for n in range(PROCESSES)
    ]
    outcomes = pool.race("narrate", kwargs)
    for index in range(rounds):
        this_round = [per_process[index] for per_process in outcomes]
        assert this_round.count("won") == 1, outcomes
        assert this_round.count("stale") == PROCESSES - 1, outcomes
    with app.app_context(), only_network():
        numbers = db.session.scalars(
            sa.select(NarrativeVersion.number)
            .where(NarrativeVersion.report_id == report_id)
            .order_by(NarrativeVersion.number)
        ).all()
        assert numbers == list(range(1, rounds + 1))


@pytest.mark.parametrize("mode", ["atomic", "locked-read-modify-write"])
def test_a_counter_loses_no_update(race_app: tuple[Flask, str], pool: RacePool, mode: str) -> None:
    app, _url = race_app
    times = 25
    with app.app_context(), only_network():
        user = db.session.scalars(sa.select(User).where(User.role == "holder")).first()
        user.failed_logins = 0
        record("test.counter_reset", user_id=user.id)
        db.session.commit()
        user_id = user.id
    kwargs = [{"user_id": user_id, "times": times, "mode": mode} for _ in range(PROCESSES)]
    assert pool.race("count", kwargs) == [times] * PROCESSES
    with app.app_context(), only_network():
        value = db.session.scalar(sa.select(User.failed_logins).where(User.id == user_id))
        assert value == PROCESSES * times
