"""`make soak`: ~50 sessions of mixed roles against gunicorn for a few minutes, then checks.

    python -m soak.run --database sqlite|postgresql [--sessions 50] [--seconds 120]

A fresh database (demo data and one account per session), gunicorn on 127.0.0.1, asyncio
clients (httpx) firing transitions, adding comments, importing activities and reading pages,
bounded in time and in requests. Then: no 5xx, every acknowledged write in the database once,
imports all-or-nothing, every project's state equal to its audit trail's replay; p50/p99 per
action. Exit status 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx
import sqlalchemy as sa

from soak import harness

PG_URL = os.environ.get("PG_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@dataclass
class Tally:
    """Everything the clients saw."""

    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    transitions: dict[int, tuple[int, int]] = field(default_factory=dict)
    imports: list[tuple[list[str], bool | None]] = field(default_factory=list)
    comments: dict[str, bool | None] = field(default_factory=dict)
    requests: int = 0
    errors: int = 0


class Session:
    """One person's browser: signs in, then acts until the deadline or the request budget."""

    def __init__(self, base: str, person: tuple, tally: Tally, n: int) -> None:
        self.email, self.role, self.project_id, self.state = person
        self.base, self.tally, self.n = base, tally, n
        self.rng = random.Random(n)
        self.acked = self.unknown = 0
        self.trigger, self.expected = "pause", self.state

    async def request(self, client: httpx.AsyncClient, action: str, method: str, url: str,
                      **kwargs: object) -> httpx.Response | None:  # fmt: skip
        self.tally.requests += 1
        start = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError:
            self.tally.errors += 1
            return None
        self.tally.latency[action].append(time.perf_counter() - start)
        self.tally.statuses[response.status_code] += 1
        return response

    async def run(self, deadline: float, budget: int) -> None:
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as client:
            login = await self.request(client, "read login", "GET", "/auth/login")
            if login is None:
                return
            data = {"email": self.email, "password": harness.PASSWORD,
                    "csrf_token": harness.csrf_token(login.text)}  # fmt: skip
            if (await self.request(client, "sign in", "POST", "/auth/login", data=data)) is None:
                return
            page = await self.request(client, "read page", "GET", "/auth/account")
            if page is None or page.status_code != 200:
                return
            self.token = harness.csrf_token(page.text)
            count = 0
            while time.monotonic() < deadline and self.tally.requests < budget:
                await self.act(client, count)
                count += 1
        if self.project_id:
            self.tally.transitions[self.project_id] = (self.acked, self.unknown)

    async def act(self, client: httpx.AsyncClient, count: int) -> None:
        roll = self.rng.random()
        if self.project_id and roll < 0.3:
            await self.fire(client)
        elif self.project_id and roll < 0.45:
            await self.comment(client, count)
        elif self.role == "coordinator" and roll < 0.5:
            await self.import_activities(client, count)
        else:
            pages = ["/", "/members/", "/activities/"]
            if self.project_id:
                pages.append(f"/projects/{self.project_id}")
            await self.request(client, "read page", "GET", self.rng.choice(pages))

    async def fire(self, client: httpx.AsyncClient) -> None:
        data = {"trigger": self.trigger, "expected_state": self.expected, "csrf_token": self.token}
        url = f"/projects/{self.project_id}/transition"
        response = await self.request(client, "transition", "POST", url, data=data)
        if response is None:
            self.unknown += 1
            self.project_id_lost = True
            return
        if response.status_code == 302:
            self.acked += 1
            pause = self.trigger == "pause"
            self.trigger, self.expected = ("resume", "en_pause") if pause else ("pause", self.state)

    async def comment(self, client: httpx.AsyncClient, count: int) -> None:
        body = f"soak comment {self.n}-{count}"
        data = {"body": body, "csrf_token": self.token}
        url = f"/projects/{self.project_id}/comments"
        response = await self.request(client, "comment", "POST", url, data=data)
        self.tally.comments[body] = None if response is None else response.status_code == 302

    async def import_activities(self, client: httpx.AsyncClient, count: int) -> None:
        titles = [f"soak import {self.n}-{count} row {row}" for row in range(20)]
        files = {"file": ("activities.csv", harness.import_csv(titles), "text/csv")}
        data = {"csrf_token": self.token}
        response = await self.request(client, "import", "POST", "/activities/import",
                                      data=data, files=files)  # fmt: skip
        self.tally.imports.append(
            (titles, None if response is None else response.status_code == 302)
        )


def _database(kind: str, directory: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory}/soak.db"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS soak CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA soak")
    engine.dispose()
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3Dsoak"


def _report(kind: str, tally: Tally, seconds: float, problems: list[str]) -> None:
    print(f"\nsoak on {kind}: {tally.requests} requests in {seconds:.0f} s "
          f"({tally.requests / seconds:.0f}/s), statuses {dict(sorted(tally.statuses.items()))}, "
          f"{tally.errors} connection errors")  # fmt: skip
    print(f"{'action':<12} {'count':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for action, values in sorted(tally.latency.items()):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"{action:<12} {len(values):>6} {statistics.median(values) * 1000:>8.0f} "
              f"{p99 * 1000:>8.0f} {ordered[-1] * 1000:>8.0f}")  # fmt: skip
    acked = sum(a for a, _ in tally.transitions.values())
    imports = sum(1 for _, ok in tally.imports if ok)
    comments = sum(1 for ok in tally.comments.values() if ok)
    print(f"acknowledged writes: {acked} transitions, {comments} comments, {imports} imports")
    print("checks: " + ("all good" if not problems else f"{len(problems)} problems"))
    for line in problems[:20]:
        print("  " + line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = _database(args.database, directory)
        cast = harness.prepare(url, args.sessions)
        port = harness.free_port()
        server = harness.serve(url, port, workers=args.workers, threads=4)
        tally = Tally()
        started = time.monotonic()
        try:
            sessions = [Session(f"http://127.0.0.1:{port}", person, tally, n)
                        for n, person in enumerate(cast.people)]  # fmt: skip
            deadline = started + args.seconds

            async def everyone() -> None:
                await asyncio.gather(*(s.run(deadline, args.max_requests) for s in sessions))

            asyncio.run(everyone())
        finally:
            harness.stop(server)
        seconds = time.monotonic() - started
        problems = harness.check_database(url, tally.transitions, tally.imports, tally.comments)
        lines = list(problems.lines)
        server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
        if server_errors:
            lines.insert(0, f"{server_errors} answers with a 5xx status")
        _report(args.database, tally, seconds, lines)
        if args.database == "postgresql":
            harness_drop = sa.create_engine(PG_URL)
            with harness_drop.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA IF EXISTS soak CASCADE")
            harness_drop.dispose()
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
