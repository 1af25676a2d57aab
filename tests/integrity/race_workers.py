"""What each process of the race tests does (a module of its own: "spawn" imports it by name).

Every process creates its own app on the shared, committed test database once, warms up
(imports, first connection, workflow registry), then runs the tasks it is sent: for each, it
waits at the barrier so that all processes act at the same moment, and reports what happened
to it: never an exception, always an outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, text

from accompagnement import create_app, tenancy
from accompagnement.audit import guard
from accompagnement.db import write_intent
from accompagnement.errors import ProjectChanged, StaleEdit, TransitionRefused
from accompagnement.extensions import db

BARRIER_TIMEOUT = 30


def serve(url: str, barrier: Any, tasks: Any, results: Any) -> None:
    """Create an app, say "ready", then run (kind, kwargs) tasks until None; report each outcome."""
    try:
        app = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_PROFILE": "test"}
        )
        context = app.app_context()
        context.push()
        tenancy.enter(tenancy.network_ids(db.session)[0])  # the race database's one network
        guard.install()
        _warm_up()
        results.put("ready")
    except BaseException as exc:  # noqa: BLE001  (reported to the parent, which fails the test)
        results.put(f"error: {exc!r}")
        return
    while (task := tasks.get()) is not None:
        kind, kwargs = task
        try:
            outcome: Any = WORKERS[kind](barrier, **kwargs)
        except BaseException as exc:  # noqa: BLE001
            barrier.abort()
            outcome = f"error: {exc!r}"
        finally:
            db.session.remove()
        results.put(outcome)
    db.engine.dispose()
    context.pop()


def _warm_up() -> None:
    """Connect once, as a reader (no write lock), so that the race starts warm."""
    token = write_intent.set(False)
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    finally:
        write_intent.reset(token)


def fire(barrier: Any, *, project_id: int, user_id: int, trigger: str, expected: str | None) -> str:
    """Fire a transition at the same moment as the others; return won, changed or refused."""
    from accompagnement.projects.services import fire_transition

    barrier.wait(BARRIER_TIMEOUT)
    try:
        fire_transition(project_id, trigger, user_id=user_id, expected_state=expected)
        db.session.commit()
        return "won"
    except ProjectChanged:
        db.session.rollback()
        return "changed"
    except TransitionRefused:
        db.session.rollback()
        return "refused"


def save(barrier: Any, *, project_id: int, user_id: int, stage: str, rounds: int) -> list[str]:
    """Save the same form with the same base revision as the others, `rounds` times."""
    from accompagnement.projects.services import save_form

    outcomes = []
    for revision in range(rounds):
        barrier.wait(BARRIER_TIMEOUT)
        raw = {"project_name": f"Version {revision + 1} by {user_id}"}
        try:
            save_form(project_id, stage, raw, user_id=user_id, submit=False, base_revision=revision)
            db.session.commit()
            outcomes.append("won")
        except StaleEdit:
            db.session.rollback()
            outcomes.append("stale")
    return outcomes


def count(barrier: Any, *, user_id: int, times: int, mode: str) -> int:
    """Add one to a user's failure counter `times` times, committing each time."""
    from accompagnement.auth.models import User
    from accompagnement.auth.services import register_failure

    barrier.wait(BARRIER_TIMEOUT)
    for _ in range(times):
        if mode == "atomic":
            user = db.session.get(User, user_id)
            assert user is not None
            register_failure(user, max_failures=10**9, lock_minutes=1)
        else:  # read, modify in Python, write back: the row lock must serialise it
            query = select(User).where(User.id == user_id).with_for_update()
            user = db.session.scalars(query).one()
            user.failed_logins = user.failed_logins + 1
        db.session.commit()
    return times


def narrate(barrier: Any, *, report_id: int, user_id: int, text: str, rounds: int) -> list[str]:
    """Save a saved report's narrative from the same version as the others, `rounds` times."""
    from accompagnement.reports.saved import save_narrative

    outcomes = []
    for version in range(rounds):
        barrier.wait(BARRIER_TIMEOUT)
        texts = {"highlights": f"{text}, round {version + 1}"}
        try:
            save_narrative(report_id, texts, user_id=user_id, base_version=version)
            db.session.commit()
            outcomes.append("won")
        except StaleEdit:
            db.session.rollback()
            outcomes.append("stale")
    return outcomes


WORKERS: dict[str, Callable[..., Any]] = {
    "fire": fire, "save": save, "count": count, "narrate": narrate,
}  # fmt: skip
