"""Commands under contention answer cleanly, never with a traceback (issue 8, finding 3).

Before: 16 `flask projects fire` at once on a loaded machine, SQLite: half exited with a
traceback `sqlite3.OperationalError: database is locked`, raised at BEGIN IMMEDIATE on the
first read, after the 5 s busy timeout. Now read-only commands never take the write lock,
a busy database is waited for (bounded retry), and any operational error gives one line and
exit code 1.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from accompagnement.extensions import db
from tests.conftest import PASSWORD, only_network

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# 16 in the issue (run CLI_RACE_PROCESSES=16: it passes on SQLite and PostgreSQL, in about
# 140 s on this 2-core machine); 8 by default, so that the suite's other multi-process tests
# running alongside still start in time.
PROCESSES = int(os.environ.get("CLI_RACE_PROCESSES", "8"))
LIMIT = 900  # seconds for a command on a very busy machine (a few seconds when idle)
COORDINATOR = "coordination@example.org"


def _environment(url: str, **extra: str) -> dict[str, str]:
    dropped = {"ACCOMPAGNEMENT_ENV", "FLASK_DEBUG", "LC_ALL", "LC_MESSAGES"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    # the assertions read the commands' English output (i18n.cli_language)
    env.update({"DATABASE_URL": url, "PYTHONUNBUFFERED": "1", "LANG": "en_US.UTF-8"}, **extra)
    return env


def _start(url: str, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own interpreter and app)
        [sys.executable, "-m", "flask", "--app", "accompagnement", *args],
        cwd=ROOT,
        env=_environment(url, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str], timeout: float = LIMIT) -> tuple[int, str, str]:
    """Wait for a command; kill it past `timeout` (its pipes are closed either way)."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, out, err


def _stop(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _ready_project(app: Flask) -> int:
    """Create a coordinator and a project whose first stage is complete (ready to advance)."""
    from accompagnement.auth.services import create_user
    from accompagnement.projects import services

    with app.app_context(), only_network():
        coordinator = create_user(
            COORDINATOR, name="Claude Coordination", role="coordinator", password=PASSWORD
        )
        db.session.flush()
        project = services.create_project(
            "Ressourcerie en course", workflow_name="creation-ressourcerie",
            user_id=coordinator.id,
        )  # fmt: skip
        services.save_form(
            project.id, "premier_contact", {"project_name": "Course", "holder_type": "association"},
            user_id=coordinator.id, submit=True, base_revision=0,
        )  # fmt: skip
        for item in services.workflow_of(project).stage("premier_contact").checklist:
            services.set_checklist_item(
                project.id, "premier_contact", item.key, done=True, user_id=coordinator.id
            )
        db.session.commit()
        return project.id


def test_sixteen_commands_firing_at_once_answer_cleanly(
    fresh_app: Callable[..., tuple[Flask, str]],
) -> None:
    app, url = fresh_app("cli_race")
    project_id = _ready_project(app)
    processes = [
        _start(url, "projects", "fire", str(project_id), "advance", "--as", COORDINATOR)
        for _ in range(PROCESSES)
    ]
    try:
        results = [_finish(process) for process in processes]
    finally:
        _stop(processes)
    for code, out, err in results:
        assert "Traceback" not in err + out, err
        assert code in (0, 1), (code, err)
    won = [out for code, out, _err in results if code == 0]
    assert len(won) == 1, results
    assert f"Project {project_id}: premier_contact -> visites" in won[0]
    for code, _out, err in results:
        if code == 1:
            assert "Refused: advance" in err or "Error:" in err, err


def _hold_the_write_lock(url: str) -> sqlite3.Connection:
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")
    return holder


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")


def test_reading_never_waits_for_the_write_lock_and_writing_waits_its_turn(
    fresh_app: Callable[..., tuple[Flask, str]], sqlite_only: Any
) -> None:
    app, url = fresh_app("cli_lock")
    project_id = _ready_project(app)
    with app.app_context():
        db.session.remove()
    holder = _hold_the_write_lock(url)
    reader = _start(url, "projects", "list")
    writer = _start(url, "projects", "fire", str(project_id), "advance", "--as", COORDINATOR)
    try:
        code, out, err = _finish(reader)
        assert (code, "Traceback" in err) == (0, False), err
        assert "Ressourcerie en course" in out and writer.poll() is None
        time.sleep(8)  # the writer's first busy timeout (5 s) may have passed: it still waits
        assert writer.poll() is None
    finally:
        holder.rollback()
        holder.close()
    try:
        code, out, err = _finish(writer)
    finally:
        _stop([reader, writer])
    assert "Traceback" not in err, err
    assert code == 0 and "premier_contact -> visites" in out, (code, out, err)


def test_a_database_busy_for_too_long_gives_a_message_not_a_traceback(
    fresh_app: Callable[..., tuple[Flask, str]], sqlite_only: Any
) -> None:
    app, url = fresh_app("cli_busy")
    project_id = _ready_project(app)
    with app.app_context():
        db.session.remove()
    holder = _hold_the_write_lock(url)
    writer = _start(
        url, "projects", "fire", str(project_id), "advance", "--as", COORDINATOR,
        CLI_LOCK_WAIT_SECONDS="1",
    )  # fmt: skip
    try:
        code, out, err = _finish(writer)
    finally:
        holder.rollback()
        holder.close()
        _stop([writer])
    assert "Traceback" not in err + out, err
    assert code == 1
    assert "the database is busy" in err and "nothing was changed" in err


def test_an_unusable_database_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/missing/dir/nothing.db"
    code, out, err = _finish(_start(url, "projects", "list"))
    assert "Traceback" not in err + out, err
    assert code == 1 and "the database cannot be used" in err
