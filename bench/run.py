"""`make bench`: the main pages under load next to a raw baseline, on a national-sized data set.

    python -m bench.run --database sqlite|postgresql [--seconds 8] [--rounds 2]

The cached data set (bench/dataset.py), the app (`wsgi:app`) and the raw baseline
(bench/baseline.py) each under gunicorn with 2 workers, 16 connections per page for a few
seconds, app and baseline alternating (their order swapped each round) so that both see the same
machine; the baseline gets the app's session cookie, and reads it (the API page: an API token
made for the coordinator, which the baseline checks too). Queries per request are
counted in one in-process request. One table per database:
req/s, mean and p99 latency, queries, bytes, and the ratio of the app's mean to the baseline's;
then the workers' RSS after the run. Not a test: nothing here is asserted. The app runs with
its rate limits off: they count in the database, and the API's would refuse a load like this.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench import dataset, load
from soak import harness

ROOT = Path(__file__).resolve().parent.parent
REPORT_PERIOD = "from=2023-12-01&to=2026-11-30"
API_PAGE = "/api/v1/projects?limit=100&page=50"  # projects 4 901 to 5 000 of 10 000
NO_RATE_LIMITS = {"RATELIMIT_ENABLED": "0"}


@dataclass(frozen=True)
class Page:
    """A page of the app and the baseline's path doing the same work."""

    name: str
    path: str
    baseline: str
    who: str = dataset.COORDINATOR
    token: bool = False  # read with an API token (Authorization: Bearer), not a session


def pages(project_id: int) -> list[Page]:
    """Return the measured pages (the project page is one with a long history)."""
    report = f"/reports/report.json?{REPORT_PERIOD}"
    return [
        Page("board", "/projects/", "/projects/"),
        Page("partner dashboard", "/partners/", "/partners/", dataset.PARTNER),
        Page("project page", f"/projects/{project_id}", f"/projects/{project_id}"),
        Page("report JSON (3 years)", report, report),
        Page("activity log", "/activities/", "/activities/"),
        Page("API page of 100 projects", API_PAGE, API_PAGE, token=True),
    ]


def make_token(url: str, email: str) -> str:
    """Make a read token for the person in their network, as the tokens page does; its secret."""
    from accompagnement import create_app
    from accompagnement.auth import apitokens
    from accompagnement.auth.models import User
    from accompagnement.extensions import db
    from accompagnement.tenancy import network_scope

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        with network_scope(user.memberships[0].network_id):
            secret = apitokens.create_token(user.id, "bench", "read", 30).secret
        db.session.commit()
        db.engine.dispose()
    return secret


def busiest_project(url: str) -> int:
    """Return the project with the most transition records (the longest history)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT project_id FROM transition_records GROUP BY project_id "
                "ORDER BY count(*) DESC, project_id LIMIT 1"
            )
        ).scalar_one()
    engine.dispose()
    return int(found)


def serve_baseline(url: str, port: int) -> subprocess.Popen[bytes]:
    """Start the raw baseline under gunicorn (2 workers) and wait until it answers."""
    # The app's secret key: the baseline reads the session cookie the app signed at sign-in.
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": harness.SECRET}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
               "bench.baseline:app"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    harness.stop(server)
    raise RuntimeError("the baseline did not start")


def sign_in(port: int, email: str) -> str:
    """Sign in through the login form (CSRF token included) and return the Cookie header."""
    headers = {"User-Agent": load.USER_AGENT}
    # A generous timeout: the password hash takes seconds on a loaded machine.
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as client:
        token = harness.csrf_token(client.get("/auth/login").text)
        response = client.post(
            "/auth/login",
            data={"email": email, "password": dataset.PASSWORD, "csrf_token": token},
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in of {email} refused ({response.status_code})")
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def worker_rss_mb(server: subprocess.Popen[bytes]) -> list[float]:
    """Return the resident memory of each gunicorn worker of a server, in MB (from /proc)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def measure(url: str, args: argparse.Namespace) -> None:
    """Serve the app and the baseline on `url`, load every page, print the table."""
    from bench.queries import count_queries

    project_id = busiest_project(url)
    chosen = [p for p in pages(project_id) if not args.page or p.name in args.page]
    tokens = {page.who: make_token(url, page.who) for page in chosen if page.token}
    counted = count_queries(url, chosen, tokens)
    app_port, base_port = harness.free_port(), harness.free_port()
    app_server = harness.serve(url, app_port, workers=2, threads=1, extra_env=NO_RATE_LIMITS)
    base_server = serve_baseline(url, base_port)
    results: dict[str, tuple[load.Result, load.Result]] = {}
    try:
        cookies = {who: sign_in(app_port, who) for who in {p.who for p in chosen if not p.token}}
        for page in chosen:
            mine, raw = load.Result(), load.Result()
            given = {"cookie": "", "bearer": tokens[page.who]} if page.token else {
                "cookie": cookies[page.who]}  # fmt: skip
            load.run(app_port, page.path, connections=2, seconds=1, **given)  # warm
            load.run(base_port, page.baseline, connections=2, seconds=1, **given)
            for round_number in range(args.rounds):
                runs = [(app_port, page.path, mine), (base_port, page.baseline, raw)]
                for port, path, total in runs[:: 1 if round_number % 2 == 0 else -1]:
                    total.merge(load.run(port, path, connections=args.connections,
                                         seconds=args.seconds, **given))  # fmt: skip
            results[page.name] = (mine, raw)
            print(f"{page.name}: {mine.mean_ms:.0f} ms vs {raw.mean_ms:.0f} ms", file=sys.stderr)
        rss = worker_rss_mb(app_server)
    finally:
        harness.stop(app_server)
        harness.stop(base_server)
    print_table(url, results, counted, rss, args)


def print_table(
    url: str,
    results: dict[str, tuple[load.Result, load.Result]],
    counted: dict[str, int],
    rss: list[float],
    args: argparse.Namespace,
) -> None:
    """Print one Markdown table: the app's figures, the baseline's, and their ratio."""
    kind = sa.make_url(url).get_backend_name()
    print(f"\n{kind}: {args.connections} connections, {args.rounds} x {args.seconds:.0f} s "
          "per page and server, gunicorn 2 workers each\n")  # fmt: skip
    print(
        "| page | req/s | mean ms | p99 ms | queries | bytes | raw req/s | raw mean ms "
        "| raw p99 ms | ratio (mean) |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name, (mine, raw) in results.items():
        ratio = mine.mean_ms / raw.mean_ms if raw.mean_ms else float("nan")
        print(f"| {name} | {mine.rate:.1f} | {mine.mean_ms:.0f} | {mine.p99_ms:.0f} | "
              f"{counted[name]} | {mine.size} | {raw.rate:.1f} | {raw.mean_ms:.0f} | "
              f"{raw.p99_ms:.0f} | {ratio:.1f}x |")  # fmt: skip
        bad = {s: n for s, n in {**mine.statuses, **raw.statuses}.items() if s != 200}
        if bad:
            print(f"|   (answers other than 200: {bad}) |||||||||")
    print(f"\napp worker RSS after the run: {', '.join(f'{r:.0f} MB' for r in rss)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--page", action="append", help="measure only this page (its name; may be repeated)"
    )
    args = parser.parse_args()
    if not dataset.reachable(args.database):
        return 0
    started = time.perf_counter()
    url = dataset.ensure(args.database, args.seed, args.projects)
    print(f"data set ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    measure(url, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
