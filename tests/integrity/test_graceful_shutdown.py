"""SIGTERM to gunicorn, or kill -9 to `flask import`, mid-flight: nothing acknowledged is lost,
nothing is half-written, and every project's state still equals the replay of its audit trail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from soak import harness
from tests.conftest import drop_database, make_database_url

pytestmark = pytest.mark.slow

SESSIONS = 6  # two coordinators importing, three holders firing transitions, one partner
RUN_BEFORE_SIGTERM = 0.5  # seconds of traffic after the first 20 acknowledged writes


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, harness.Cast]]:
    """A database of its own, migrated, with the demo data and the run's accounts."""
    name = f"shutdown_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = make_database_url(str(tmp_path_factory.mktemp("shutdown")), name)
    yield url, harness.prepare(url, SESSIONS)
    drop_database(url)


class Traffic:
    """What the clients sent and what they were told."""

    def __init__(self) -> None:
        self.transitions: dict[int, tuple[int, int]] = {}
        self.imports: list[tuple[list[str], bool | None]] = []
        self.lock = threading.Lock()
        self.acks = 0  # acknowledged writes so far, all clients together

    def ack(self) -> None:
        with self.lock:
            self.acks += 1


def _fire(base: str, email: str, project_id: int, state: str, traffic: Traffic) -> None:
    acked = unknown = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        token = harness.sign_in(client, email)
        trigger, expected = "pause", state
        for _ in range(500):
            data = {"trigger": trigger, "expected_state": expected, "csrf_token": token}
            try:
                response = client.post(f"/projects/{project_id}/transition", data=data)
            except httpx.HTTPError:
                unknown += 1
                break
            if response.status_code != 302:
                break
            acked += 1
            traffic.ack()
            trigger, expected = ("resume", "en_pause") if trigger == "pause" else ("pause", state)
    with traffic.lock:
        traffic.transitions[project_id] = (acked, unknown)


def _import(base: str, email: str, traffic: Traffic) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        token = harness.sign_in(client, email)
        for n in range(500):
            titles = [f"{email} import {n} row {row}" for row in range(150)]
            files = {"file": ("activities.csv", harness.import_csv(titles), "text/csv")}
            try:
                response = client.post(
                    "/activities/import", data={"csrf_token": token}, files=files
                )
            except httpx.HTTPError:
                with traffic.lock:
                    traffic.imports.append((titles, None))
                return
            with traffic.lock:
                traffic.imports.append((titles, response.status_code == 302))
            traffic.ack()
            if response.status_code != 302:
                return


def test_sigterm_during_transitions_and_imports_loses_nothing(
    prepared: tuple[str, harness.Cast],
) -> None:
    url, cast = prepared
    port = harness.free_port()
    base = f"http://127.0.0.1:{port}"
    server = harness.serve(url, port, workers=2, threads=4)
    traffic = Traffic()
    threads = []
    for email, role, project_id, state in cast.people:
        if role == "holder" and project_id and state:
            threads.append(
                threading.Thread(target=_fire, args=(base, email, project_id, state, traffic))
            )
        elif role == "coordinator":
            threads.append(threading.Thread(target=_import, args=(base, email, traffic)))
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120  # sign-ins take a while on a busy machine
        while traffic.acks < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(RUN_BEFORE_SIGTERM)
        harness.stop(server, signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=90)
    finally:
        harness.stop(server, signal.SIGKILL)

    assert server.returncode == 0  # a graceful exit: the workers finished their requests
    problems = harness.check_database(url, traffic.transitions, traffic.imports, {})
    assert problems.lines == []
    assert sum(acked for acked, _ in traffic.transitions.values()) > 0
    assert any(outcome for _, outcome in traffic.imports)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_import_command_writes_all_or_nothing(
    prepared: tuple[str, harness.Cast], tmp_path: Path, sig: int
) -> None:
    url, _cast = prepared
    titles = [f"cli import {sig} row {row}" for row in range(4000)]
    path = tmp_path / "activities.csv"
    path.write_bytes(harness.import_csv(titles))
    command = [sys.executable, "-m", "flask", "--app", "accompagnement", "import", "activities",
               str(path), "--network", "limousin"]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url}
    outcomes = []
    for delay in (0.5, 1.5, 3.0):
        process = subprocess.Popen(command, cwd=harness.ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        process.send_signal(sig)
        process.wait(timeout=60)
        outcomes.append(process.returncode)
        problems = harness.check_database(url, {}, [(titles, None)], {})
        assert problems.lines == []
    assert any(code < 0 for code in outcomes)  # at least one run died by the signal
