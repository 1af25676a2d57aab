"""Prepare a database, serve it with gunicorn on 127.0.0.1, and check it afterwards.

Shared by `make soak` (soak/run.py) and the graceful-shutdown test. Everything stays on
127.0.0.1; servers are started by the caller and stopped by the caller, by process id.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa
from argon2 import PasswordHasher

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "soak test passphrase for everyone"  # noqa: S105 (test accounts)
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
LOG = open(os.environ["SOAK_LOG"], "a") if os.environ.get("SOAK_LOG") else None  # noqa: SIM115
SECRET = "soak-" + "x7Qp2vLm9Tz4Rk8Wn3Yb6Hd1Jf5Gc0Sa"


@dataclass
class Cast:
    """The accounts and projects made for a run: (email, role, project id, its state)."""

    people: list[tuple[str, str, int | None, str | None]] = field(default_factory=list)


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(url: str, sessions: int) -> Cast:
    """Create the schema, the demo data and one account per session."""
    from accompagnement import create_app
    from accompagnement.demo.loader import load_demo
    from accompagnement.extensions import db
    from accompagnement.tenancy import network_id_of, network_scope

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_PROFILE": "test"})
    # The server hashes with the production cost: a cheaper hash would be re-hashed at each
    # sign-in (needs_rehash), holding SQLite's write lock meanwhile. One hash serves everyone.
    production_hash = PasswordHasher().hash(PASSWORD)
    cast = Cast()
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        limousin = network_id_of(db.session, "limousin")
        with network_scope(limousin):  # the demo's first network: the soak's people work there
            _people(cast, sessions, production_hash)
        db.session.remove()
        db.engine.dispose()
    return cast


def _people(cast: Cast, sessions: int, production_hash: str) -> None:
    """Create the run's accounts, and a project for each coordinator and holder."""
    from accompagnement.auth.services import create_user
    from accompagnement.extensions import db
    from accompagnement.projects.services import create_project

    boss = create_user("soak-boss@example.org", name="Soak Boss", role="coordinator",
                       password=PASSWORD)  # fmt: skip
    roles = ["coordinator", "holder", "holder", "partner", "holder"]
    for n in range(sessions):
        role = roles[n % len(roles)]
        email = f"soak{n}@example.org"
        user = create_user(email, name=f"Soak Person {n}", role=role)
        user.password_hash = production_hash
        project_id, state = None, None
        if role in ("coordinator", "holder"):
            holders = [user.id] if role == "holder" else []
            project = create_project(f"Soak project {n}", workflow_name="creation-ressourcerie",
                                     user_id=boss.id, holder_ids=holders)  # fmt: skip
            project_id, state = project.id, project.state
        cast.people.append((email, role, project_id, state))
    db.session.commit()


def serve(
    url: str,
    port: int,
    workers: int = 3,
    threads: int = 4,
    *,
    cwd: Path = ROOT,
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start gunicorn on 127.0.0.1:port (in `cwd`, with `extra_env`) and wait until it answers."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # wsgi.py, whatever the working directory
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "ACCOMPAGNEMENT_ENV": "development",
        "RATELIMIT_ENABLED": "1",  # the limiter stays in the path, with room for the test
        "RATELIMIT_SIGN_IN": "10000 per minute",
        "SMTP_HOST": "",
        **(extra_env or {}),
    }
    command = [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--graceful-timeout", "30",
        "--timeout", "60", "wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=cwd, env=env, stderr=LOG)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/auth/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def stop(server: subprocess.Popen[bytes], sig: int = signal.SIGTERM, wait: float = 60) -> None:
    """Stop the server we started (by its process id) and wait for it."""
    if server.poll() is None:
        server.send_signal(sig)
    try:
        server.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def csrf_token(page: str) -> str:
    """Return the CSRF token of a page's first form."""
    match = CSRF.search(page)
    if match is None:
        raise ValueError("no CSRF token on the page")
    return match.group(1) or match.group(2)


def sign_in(client: httpx.Client, email: str) -> str:
    """Sign in and return the CSRF token of the new session."""
    token = csrf_token(client.get("/auth/login").text)
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {email} refused ({response.status_code})")
    return csrf_token(client.get("/auth/account").text)


def import_csv(titles: Iterable[str]) -> bytes:
    """Return an activities CSV with one activity per title."""
    lines = ["date,type,title,ressourceries,visitor,participants,partner,notes"]
    lines += [f"2025-05-14,journee_rencontre,{title},,,12,," for title in titles]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class Problems:
    """What the database check found (empty: all is well)."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)


def check_database(
    url: str,
    transitions: dict[int, tuple[int, int]],
    imports: list[tuple[list[str], bool | None]],
    comments: dict[str, bool | None],
) -> Problems:
    """Compare what the clients were told with the database.

    transitions: project id -> (acknowledged, unknown outcome) since the start;
    imports: (titles, True acknowledged / False refused / None unknown);
    comments: body -> the same. Every project's state must equal its audit trail's replay.
    """
    from accompagnement import create_app
    from accompagnement.activities.models import Activity
    from accompagnement.extensions import db
    from accompagnement.projects.models import Comment, Project, TransitionRecord
    from accompagnement.projects.services import replay
    from accompagnement.tenancy import unscoped

    problems = Problems()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), unscoped():  # the whole database, whatever the caller's network
        records: dict[int, list[TransitionRecord]] = {}
        for record in db.session.scalars(sa.select(TransitionRecord).order_by(TransitionRecord.id)):
            records.setdefault(record.project_id, []).append(record)
        for project in db.session.scalars(sa.select(Project)):
            if replay(records.get(project.id, [])) != project.state:
                problems.add(f"project {project.id}: state {project.state} != audit replay")
        for project_id, (acked, unknown) in transitions.items():
            done = len(records.get(project_id, [])) - 1  # the creation record
            if not acked <= done <= acked + unknown:
                problems.add(f"project {project_id}: {done} transitions, {acked} acknowledged")
        titles = Counter(db.session.scalars(sa.select(Activity.title)))
        for batch, outcome in imports:
            found = {titles[t] for t in batch}
            if found not in ({0}, {1}):
                problems.add(f"import {batch[0]}: half-written or doubled ({sorted(found)})")
            elif outcome is True and found != {1}:
                problems.add(f"import {batch[0]}: acknowledged but missing")
            elif outcome is False and found != {0}:
                problems.add(f"import {batch[0]}: refused but written")
        bodies = Counter(db.session.scalars(sa.select(Comment.body)))
        for body, outcome in comments.items():
            if bodies[body] > 1 or (outcome is True and bodies[body] != 1):
                problems.add(f"comment {body}: {bodies[body]} in the database, acknowledged")
        db.session.remove()
        db.engine.dispose()
    return problems
