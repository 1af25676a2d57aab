"""The raw baseline of `make bench`: Flask + the DB driver + Jinja, hand-written SQL, no ORM.

    DATABASE_URL=... gunicorn bench.baseline:app

Each page does the work its real page needs, as directly as one would write it by hand: the
board (counts by stage, the first 20 cards of each stage), the partner dashboard (counts by stage
and département, the funnel, 50 projects), a project page (the project, its 20 latest moves, its
latest forms, ticks and comments), the report JSON (the period's aggregates) and the activity
log's first page (its default period: 50 entries of activities and project visits, the
total, the period's summary). One connection per worker process, like the
app's pool; no sign-in (that is part of what the real app pays for).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask, Response, request
from jinja2 import Environment, Template

ENV = Environment(autoescape=True)  # noqa: S701 (autoescape is on)
LAYOUT = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><main><h1>{{ title }}</h1>{% block body %}{% endblock %}</main></body></html>"""


def _page(body: str) -> Template:
    return ENV.from_string(LAYOUT.replace("{% block body %}{% endblock %}", body))


BOARD = _page("""
{% for state, count in counts %}<section><h2>{{ state }} ({{ count }})</h2><ul>
{% for card in cards.get(state, []) %}<li><a href="/projects/{{ card[0] }}">{{ card[1] }}</a>
{{ card[3] }} ({{ card[4] }}), {{ card[2] }}</li>{% endfor %}</ul></section>{% endfor %}""")
PARTNERS = _page("""
<table>{% for state, dep, count in by_stage %}<tr><td>{{ state }}</td><td>{{ dep }}</td>
<td>{{ count }}</td></tr>{% endfor %}</table>
<ol>{% for state, count in funnel %}<li>{{ state }}: {{ count }}</li>{% endfor %}</ol>
<table>{% for row in projects %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>""")
PROJECT = _page("""
<p>{{ project[1] }}: {{ project[2] }} ({{ project[3] }}), {{ project[4] }}</p>
<p>{% for holder in holders %}{{ holder[0] }} &lt;{{ holder[1] }}&gt; {% endfor %}</p>
<ol>{% for move in history %}<li>{{ move[0] }} {{ move[1] }} → {{ move[2] }} {{ move[3] }}
{{ move[4] or '' }} {{ move[5] or '' }}</li>{% endfor %}</ol>
{% for stage, data in forms.items() %}<dl><dt>{{ stage }}</dt>{% for k, v in data.items() %}
<dd>{{ k }}: {{ v }}</dd>{% endfor %}</dl>{% endfor %}
<ul>{% for tick in ticks %}<li>{{ tick[0] }} {{ tick[1] }}</li>{% endfor %}</ul>
{% for comment in comments %}<blockquote>{{ comment[0] }} {{ comment[1] }}: {{ comment[2] }}
</blockquote>{% endfor %}""")
ACTIVITIES = _page("""
<form><select name="member">{% for id, name in choices %}<option value="{{ id }}">{{ name }}
</option>{% endfor %}</select></form><p>{{ total }}</p>
{% for entries in (planned, done) %}<table>{% for e in entries %}<tr><td>{{ e[0] }}</td>
<td>{{ e[1] }}</td><td>{{ e[2] }}</td><td>{{ e[3] | join(', ') }}</td></tr>{% endfor %}</table>
{% endfor %}<table>{% for type, count in counts.items() %}<tr><td>{{ type }}</td>
<td>{{ count }}</td><td>{{ involved.get(type, 0) }}</td></tr>{% endfor %}</table>""")
# The log's first page: at most 50 keys of each part in its index's order, merged and cut.
LOG_PAGE = (
    "SELECT source, ident, day, name FROM ("
    "SELECT * FROM (SELECT 0 AS later, date AS day, 0 AS source, id AS ident, 0 AS position, "
    "NULL AS name FROM activities WHERE status = 'planned' ORDER BY date, id LIMIT 50) a "
    "UNION ALL SELECT * FROM (SELECT 1, date, 0, id, 0, NULL FROM activities "
    "WHERE status = 'done' AND date >= ? ORDER BY date DESC, id DESC LIMIT 50) b "
    "UNION ALL SELECT * FROM (SELECT 0, v.day, 1, v.project_id, v.position, m.name "
    "FROM project_visits v LEFT JOIN members m ON m.id = v.member_id WHERE v.day > ? "
    "ORDER BY v.day, v.project_id, v.position LIMIT 50) c "
    "UNION ALL SELECT * FROM (SELECT 1, v.day, 1, v.project_id, v.position, m.name "
    "FROM project_visits v LEFT JOIN members m ON m.id = v.member_id "
    "WHERE v.day >= ? AND v.day <= ? "
    "ORDER BY v.day DESC, v.project_id DESC, v.position LIMIT 50) d) log "
    "ORDER BY later, CASE WHEN later = 0 THEN day END, day DESC, source, "
    "CASE WHEN later = 0 THEN ident ELSE -ident END, position LIMIT 50"
)

app = Flask(__name__)
_local = threading.local()


def _connect() -> Any:
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn
    import psycopg

    dsn, _, options = url.replace("postgresql+psycopg://", "postgresql://").partition("?")
    schema = options.rpartition("search_path%3D")[2]
    return psycopg.connect(dsn, options=f"-csearch_path={schema}", autocommit=True)


def rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Run one query on this worker's connection and return its rows."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = _connect()
    if not isinstance(conn, sqlite3.Connection):
        sql = sql.replace("?", "%s")
    return list(conn.execute(sql, params).fetchall())


def close() -> None:
    """Close this thread's connection (tests)."""
    conn = getattr(_local, "conn", None)
    if conn is not None:
        conn.close()
        _local.conn = None


def _html(template: Any, **context: Any) -> Response:
    return Response(template.render(**context), mimetype="text/html")


@app.route("/projects/")
def board() -> Response:
    """Count projects by stage and show the 20 longest-waiting cards of each stage."""
    counts = rows("SELECT state, count(*) FROM projects GROUP BY state ORDER BY state")
    cards: dict[str, list[tuple[Any, ...]]] = {}
    for card in rows(
        "SELECT id, name, state, days, commune FROM (SELECT p.id, p.name, p.state, "
        "p.state_changed_at AS days, c.name AS commune, row_number() OVER "
        "(PARTITION BY p.state ORDER BY p.state_changed_at) AS n FROM projects p "
        "LEFT JOIN communes c ON c.insee = p.commune_insee) ranked WHERE n <= 20"
    ):
        cards.setdefault(card[2], []).append(card)
    return _html(BOARD, title="Board", counts=counts, cards=cards)


@app.route("/partners/")
def partners() -> Response:
    """Count projects by stage and département, the funnel, and list 50 projects."""
    by_stage = rows(
        "SELECT p.state, c.departement_code, count(*) FROM projects p "
        "LEFT JOIN communes c ON c.insee = p.commune_insee GROUP BY p.state, c.departement_code"
    )
    funnel = rows(
        "SELECT to_state, count(DISTINCT project_id) FROM transition_records GROUP BY to_state"
    )
    projects = rows(
        "SELECT p.name, p.state, p.state_changed_at, c.name, c.departement_code FROM projects p "
        "LEFT JOIN communes c ON c.insee = p.commune_insee ORDER BY p.state_changed_at DESC "
        "LIMIT 50"
    )
    return _html(PARTNERS, title="Partners", by_stage=by_stage, funnel=funnel, projects=projects)


@app.route("/projects/<int:project_id>")
def project(project_id: int) -> Response:
    """Show a project, its 20 latest moves, its latest forms, ticks and comments."""
    found = rows(
        "SELECT p.id, p.name, p.state, c.name, p.state_changed_at FROM projects p "
        "LEFT JOIN communes c ON c.insee = p.commune_insee WHERE p.id = ?",
        project_id,
    )
    if not found:
        return Response("not found", status=404)
    holders = rows(
        "SELECT u.name, u.email FROM users u JOIN project_holders h ON h.user_id = u.id "
        "WHERE h.project_id = ?",
        project_id,
    )
    history = rows(
        "SELECT t.at, t.from_state, t.to_state, t.trigger, t.reason, u.name "
        "FROM transition_records t LEFT JOIN users u ON u.id = t.user_id "
        "WHERE t.project_id = ? ORDER BY t.id DESC LIMIT 20",
        project_id,
    )
    latest = rows(
        "SELECT f.stage, f.data FROM form_submissions f WHERE f.project_id = ? AND f.revision = "
        "(SELECT max(g.revision) FROM form_submissions g WHERE g.project_id = f.project_id "
        "AND g.stage = f.stage)",
        project_id,
    )
    forms = {stage: data if isinstance(data, dict) else json.loads(data) for stage, data in latest}
    ticks = rows("SELECT stage, item FROM checklist_ticks WHERE project_id = ?", project_id)
    comments = rows(
        "SELECT c.created_at, u.name, c.body FROM comments c LEFT JOIN users u "
        "ON u.id = c.author_id WHERE c.project_id = ? ORDER BY c.id",
        project_id,
    )
    return _html(PROJECT, title=found[0][1], project=found[0], holders=holders, history=history,
                 forms=forms, ticks=ticks, comments=comments)  # fmt: skip


@app.route("/reports/report.json")
def report() -> Response:
    """Return the report's aggregates of a period as JSON."""
    start = date.fromisoformat(request.args["from"])
    end = date.fromisoformat(request.args["to"])
    since = datetime.combine(start, datetime.min.time())
    until = datetime.combine(end + timedelta(days=1), datetime.min.time())
    period = (start, end)
    counts = rows(
        "SELECT type, count(*) FROM activities WHERE status = 'done' AND date >= ? AND date <= ? "
        "GROUP BY type",
        *period,
    )
    involved = rows(
        "SELECT a.type, count(DISTINCT m.member_id) FROM activities a JOIN activity_members m "
        "ON m.activity_id = a.id WHERE a.status = 'done' AND a.date >= ? AND a.date <= ? "
        "GROUP BY a.type",
        *period,
    )
    visitors = rows(
        "SELECT visitor, count(*) FROM activities WHERE type = 'visite' AND status = 'done' "
        "AND date >= ? AND date <= ? GROUP BY visitor",
        *period,
    )
    project_visits = _project_visits(start, min(end, date.today()))
    new_members = rows(
        "SELECT count(*) FROM members WHERE joined_on >= ? AND joined_on <= ?", *period
    )
    states = rows(
        "SELECT t.to_state, count(*) FROM transition_records t JOIN (SELECT max(id) AS id "
        "FROM transition_records WHERE at < ? GROUP BY project_id) last ON last.id = t.id "
        "GROUP BY t.to_state",
        until,
    )
    moves = rows(
        "SELECT count(*), count(DISTINCT CASE WHEN to_state = 'ouverte' THEN project_id END) "
        "FROM transition_records WHERE at >= ? AND at < ? AND from_state IS NOT NULL",
        since,
        until,
    )
    body = {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "activities": {t: {"count": n} for t, n in counts},
        "ressourceries": dict(involved),
        "visits": {"by_visitor": dict(visitors), "projects": project_visits},
        "new_members": new_members[0][0],
        "projects": {"by_stage": dict(states), "transitions": moves[0][0], "opened": moves[0][1]},
    }
    return Response(json.dumps(body, default=str), mimetype="application/json")


def _project_visits(start: date, end: date) -> int:
    """Count the visits in the newest submitted visits form of every project, in the period."""
    found = 0
    for (data,) in rows(
        "SELECT f.data FROM form_submissions f JOIN (SELECT project_id, max(revision) AS r "
        "FROM form_submissions WHERE stage = 'visites' AND status = 'submitted' "
        "GROUP BY project_id) n ON n.project_id = f.project_id AND n.r = f.revision "
        "WHERE f.stage = 'visites'"
    ):
        for item in (data if isinstance(data, dict) else json.loads(data)).get("visits", []):
            found += start.isoformat() <= str(item.get("date")) <= end.isoformat()
    return found


@app.route("/activities/")
def activities() -> Response:
    """The log's default page: everything planned and the last 12 months, 50 entries, the
    total, and the period's summary (done activities and visits by type and ressourceries)."""
    today = date.today()
    start = (
        today.replace(year=today.year - 1)
        if (today.month, today.day) != (2, 29)
        else (today.replace(year=today.year - 1, day=28))
    )
    total = rows(
        "SELECT (SELECT count(*) FROM activities WHERE status = 'planned' OR date >= ?) "
        "+ (SELECT count(*) FROM project_visits WHERE day >= ?)",
        start,
        start,
    )[0][0]
    keys = rows(LOG_PAGE, start, today, start, today)
    details, names = _log_details(keys)
    planned: list[tuple[Any, ...]] = []
    done: list[tuple[Any, ...]] = []
    for source, ident, day, name in keys:
        if source == 0:
            title, type_, status = details[ident][:3]
            entry = (day, type_, title, details[ident][3])
            (planned if status == "planned" else done).append(entry)
        else:
            (planned if str(day) > str(today) else done).append(
                (day, "visite", names.get(ident, ""), [name] if name else [])
            )
    counts, involved = _period_summary(start, today)
    choices = rows("SELECT id, name FROM members ORDER BY name")
    return _html(ACTIVITIES, title="Activities", total=total, planned=planned, done=done,
                 counts=counts, involved=involved, choices=choices)  # fmt: skip


def _log_details(keys: list[tuple[Any, ...]]) -> tuple[dict[int, Any], dict[int, str]]:
    """The page's activities (title, type, status, members) and projects' names, by id."""
    ids = [ident for source, ident, _day, _name in keys if source == 0]
    projects = [ident for source, ident, _day, _name in keys if source == 1]
    details: dict[int, Any] = {}
    if ids:
        marks = ",".join("?" * len(ids))  # placeholders only
        for ident, title, type_, status in rows(
            f"SELECT id, title, type, status FROM activities WHERE id IN ({marks})",  # noqa: S608
            *ids,
        ):
            details[ident] = (title, type_, status, [])
        sql = "SELECT am.activity_id, m.name FROM activity_members am JOIN members m ON "
        sql += f"m.id = am.member_id WHERE am.activity_id IN ({marks}) ORDER BY m.name"
        for activity, name in rows(sql, *ids):
            details[activity][3].append(name)
    names: dict[int, str] = {}
    if projects:
        marks = ",".join("?" * len(projects))
        names = dict(rows(f"SELECT id, name FROM projects WHERE id IN ({marks})", *projects))  # noqa: S608
    return details, names


def _period_summary(start: date, today: date) -> tuple[dict[str, int], dict[str, int]]:
    """Done activities by type and distinct ressourceries involved; visits from both sources."""
    counts = dict(
        rows(
            "SELECT type, count(*) FROM activities WHERE status = 'done' AND date >= ? "
            "GROUP BY type",
            start,
        )
    )
    involved = dict(
        rows(
            "SELECT a.type, count(DISTINCT m.member_id) FROM activities a JOIN activity_members "
            "m ON m.activity_id = a.id WHERE a.status = 'done' AND a.date >= ? GROUP BY a.type",
            start,
        )
    )
    visits, visited = 0, set()
    for _visitor, member, count in rows(
        "SELECT a.visitor, m.member_id, count(*) FROM activities a LEFT JOIN activity_members m "
        "ON m.activity_id = a.id WHERE a.type = 'visite' AND a.status = 'done' AND a.date >= ? "
        "GROUP BY a.visitor, m.member_id",
        start,
    ) + rows(
        "SELECT NULL, member_id, count(*) FROM project_visits WHERE day >= ? AND day <= ? "
        "GROUP BY member_id",
        start,
        today,
    ):
        visits += count
        visited.add(member)
    visited.discard(None)
    counts["visite"], involved["visite"] = visits, len(visited)
    return counts, involved


@app.route("/health")
def health() -> Response:
    """Answer once the worker is up."""
    return Response(str(Counter(ok=1)["ok"]))
