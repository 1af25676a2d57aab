"""The raw baseline of `make bench`: Flask + the DB driver + Jinja, hand-written SQL, no ORM.

    DATABASE_URL=... gunicorn bench.baseline:app

Each page does the work its real page needs, as directly as one would write it by hand: the
board (counts and late counts by stage, the 20 most urgent cards of each stage with their holders,
the filter form), the partner dashboard (counts by stage and département, the funnel, 50
projects), a project page (the project, its holders, its whole history of moves and form saves,
its current form, what is missing and the actions the workflow offers, the checklist, comments
and documents), the report JSON (the period's aggregates) and the activity log's first page (its
default period: 50 entries of activities and project visits, the total, the period's summary)
and the API's page of 100 projects (the bearer token checked, the count, the page as JSON).
One connection per worker process, like the app's pool.

Every page pays for what every signed-in page of the app needs: the signed session cookie read
and written back (seen now), the user loaded and their session token and role checked; the HTML
pages add a CSRF token in each form and the menu of their role. The partner dashboard reads the
partner's départements too. The workflow engine (`accompagnement.engine`, plain Python) says what
is missing and which actions are offered.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, Response, abort, g, redirect, request, session
from itsdangerous import URLSafeTimedSerializer
from jinja2 import Environment, Template

from accompagnement.engine import FormFacts, ProjectFacts, Workflow, load_directory

ENV = Environment(autoescape=True)  # noqa: S701 (autoescape is on)
SIGNED_IN = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/css/app.css"><script src="/static/js/app.js" defer></script>
</head><body><header><a href="/">Accompagnement</a>
<form method="post" action="/lang"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="next" value="{{ request.path }}">
<button name="lang" value="en">English</button></form>
<form method="post" action="/auth/logout"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<a href="/auth/account">{{ user[1] }}</a><button>Se déconnecter</button></form>
<nav><ul>{% for url, text in menu %}<li><a href="{{ url }}"{% if request.path.startswith(url) %}
aria-current="page"{% endif %}>{{ text }}</a></li>{% endfor %}</ul></nav></header>
<main><h1>{{ title }}</h1>{% block body %}{% endblock %}</main>
<footer>Accompagnement : logiciel libre pour les réseaux de ressourceries.</footer></body></html>"""
MENU = {
    "coordinator": [("/projects/", "Pipeline"), ("/partners/", "Vue d'ensemble"),
                    ("/activities/", "Activités"), ("/members/", "Membres"),
                    ("/observatory/", "Observatoire"), ("/reports/", "Rapport"),
                    ("/reminders/", "Relances"), ("/admin/users", "Utilisateurs"),
                    ("/network/", "Réseau"), ("/syndicates/", "Syndicats de déchets")],
    "holder": [("/projects/mine", "Mes projets")],
    "partner": [("/partners/", "Vue d'ensemble"), ("/members/", "Membres"),
                ("/observatory/", "Observatoire"), ("/reports/", "Rapport")],
}  # fmt: skip


def _signed_page(body: str) -> Template:
    return ENV.from_string(SIGNED_IN.replace("{% block body %}{% endblock %}", body))


PARTNERS = _signed_page("""
<table>{% for state, dep, count in by_stage %}<tr><td>{{ state }}</td><td>{{ dep }}</td>
<td>{{ count }}</td></tr>{% endfor %}</table>
<ol>{% for state, count in funnel %}<li>{{ state }}: {{ count }}</li>{% endfor %}</ol>
<table>{% for row in projects %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</table>""")
ACTIVITIES = _signed_page("""
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

BOARD = _signed_page("""
<form method="get" action="/projects/"><select name="workflow"><option value="">Tous</option>
{% for w in workflows %}<option value="{{ w.name }}">{{ w.label("fr") }}</option>{% endfor %}
</select><select name="departement"><option value="">Tous</option>{% for code, name in deps %}
<option value="{{ code }}">{{ name }} ({{ code }})</option>{% endfor %}</select>
<select name="stage"><option value="">Toutes</option>{% for s in workflow.stages %}
<option value="{{ s.key }}">{{ s.label.fr }}</option>{% endfor %}</select>
<input name="q" maxlength="100"><button>Filtrer</button></form>
{% for stage in workflow.stages %}{% set count = counts.get(stage.key, (0, 0)) %}
<section class="board-column"><h3>{{ stage.label.fr }}
<span class="badge">{{ count[0] }}</span></h3>
{% if stage.usual_days %}<p>Habituellement {{ stage.usual_days }} jours{% if count[1] %}
· <span class="badge late">{{ count[1] }} en retard</span>{% endif %}</p>{% endif %}
{% for card in cards.get(stage.key, []) %}{% set late = stage.usual_days is not none
and card[3] > stage.usual_days %}<article class="project-card{% if late %} late{% endif %}">
<h4><a href="/projects/{{ card[0] }}">{{ card[1] }}</a></h4>
<p>{% if card[4] %}{{ card[4] }} ({{ card[5] }}){% else %}Pas de commune{% endif %}</p>
<p>{{ holders.get(card[0], []) | join(", ") }}</p><p>{{ card[3] }} jours dans cette étape
{% if late %}<span class="badge late">Au-delà des {{ stage.usual_days }} jours habituels</span>
{% endif %}</p></article>{% else %}<p>Aucun projet</p>{% endfor %}
{% if count[0] > cards.get(stage.key, [])|length %}<p><a href="/projects/list?stage={{ stage.key
}}">Voir les {{ count[0] }} projets de cette étape</a></p>{% endif %}</section>{% endfor %}""")
PROJECT = _signed_page("""
<p>{{ workflow.label("fr") }}{% if project[4] %} · {{ project[4] }} ({{ project[3] }}){% endif %}
· depuis {{ days }} jours dans cette étape</p><p><a href="/projects/{{ project[0] }}/summary">
Résumé imprimable</a></p>{% if member %}<a href="/members/{{ member[0] }}">{{ member[1] }}</a>
{% endif %}<ol class="timeline">{% for stage, mark in timeline %}<li class="{{ mark }}">
{{ stage.label.fr }}</li>{% endfor %}</ol>
<section id="form"><h2>{{ current.label.fr }}</h2>{% if form %}<p>{{ form[1] }}, le
{{ when(form[3]) }} par {{ form[4] }}.</p><dl>{% for field in current.form.fields %}
<dt>{{ field.label.fr }}</dt><dd>{{ form[2].get(field.key, "—") }}</dd>{% endfor %}</dl>
{% endif %}<a href="/projects/{{ project[0] }}/forms/{{ current.key }}/edit">Modifier le formulaire
</a></section>
<section id="missing"><h2>Ce qui manque pour avancer</h2><ul>{% for refusal in missing %}
<li>{{ refusal.code }} {{ refusal.params }}</li>{% endfor %}</ul></section>
<section id="checklist"><h2>Liste de contrôle</h2><ul>{% for item in current.checklist %}
{% set tick = ticks.get((current.key, item.key)) %}<li>{{ "☑" if tick and tick[0] else "☐" }}
{{ item.label.fr }}{% if tick %} — cochée par {{ tick[1] }} le {{ when(tick[2]) }}{% endif %}
<form method="post" action="/projects/{{ project[0] }}/checklist/{{ current.key }}/{{ item.key }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="done"
value="{{ '0' if tick and tick[0] else '1' }}"><button>Cocher</button></form></li>{% endfor %}
</ul></section><section id="actions"><h2>Actions</h2>{% for option in options %}
{% if option.allowed %}<form method="post" action="/projects/{{ project[0] }}/transition">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="trigger"
value="{{ option.trigger }}"><input type="hidden" name="expected_state" value="{{ project[2] }}">
{% if option.reason != "none" %}<textarea name="reason" rows="2" maxlength="2000"></textarea>
{% endif %}<button>{{ option.label.fr }}</button> → {{ option.dest }}</form>{% else %}
<p>{{ option.label.fr }}</p><ul>{% for r in option.refusals %}<li>{{ r.code }} {{ r.params }}
</li>{% endfor %}</ul>{% endif %}{% endfor %}</section>
<section id="history"><h2>Historique</h2><ol>{% for entry in history %}<li><time
datetime="{{ entry[0] }}Z">{{ when(entry[0]) }}</time> · {{ entry[2] or "" }}<br>
{% if entry[1] == "move" %}<strong>{{ triggers.get(entry[3], entry[3]) }}</strong> :
{{ stages.get(entry[4], entry[4] or "") }} → {{ stages.get(entry[5], entry[5]) }}{% if entry[6] %}
<blockquote>{{ entry[6] }}</blockquote>{% endif %}{% else %}{{ "Formulaire envoyé" if entry[3] ==
"submitted" else "Brouillon enregistré" }} : <a href="/projects/{{ project[0] }}/forms/{{ entry[4]
}}?revision={{ entry[5] }}">{{ stages.get(entry[4], entry[4]) }} (révision {{ entry[5] }})</a>
{% endif %}</li>{% endfor %}</ol></section>
<section id="comments"><h2>Commentaires</h2>{% for comment in comments %}<article><p>
{{ comment[1] or "Compte supprimé" }} · <time>{{ when(comment[0]) }}</time></p><p>{{ comment[2] }}
</p></article>{% endfor %}<form method="post" action="/projects/{{ project[0] }}/comments">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><textarea name="body" rows="3">
</textarea><button>Ajouter le commentaire</button></form></section>
<aside><h2>Porteur·euses du projet</h2><ul>{% for holder in holders %}<li>{{ holder[0] }}<br>
{{ holder[1] }}{% if holder[2] %} · {{ holder[2] }}{% endif %}</li>{% endfor %}</ul>
<h2>Formulaires des étapes</h2><ul>{% for stage in workflow.stages if stage.form %}
<li>{{ stage.label.fr }} {{ latest.get(stage.key, "Pas commencé") }} <a href="/projects/{{
project[0] }}/forms/{{ stage.key }}">Voir</a></li>{% endfor %}</ul><h2>Documents</h2><ul>
{% for doc in documents %}<li><a href="/projects/{{ project[0] }}/documents/{{ doc[0] }}">
{{ doc[1] }}</a> {{ doc[2] // 1024 }} Ko · {{ when(doc[3]) }} · {{ doc[4] or "" }}</li>
{% endfor %}</ul><form method="post" enctype="multipart/form-data" action="/projects/{{
project[0] }}/documents"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="file" name="file"><select name="stage">{% for stage in workflow.stages %}
<option value="{{ stage.key }}">{{ stage.label.fr }}</option>{% endfor %}</select>
<button>Téléverser</button></form></aside>""")

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "dev-not-secret")
app.config["SESSION_COOKIE_HTTPONLY"] = True
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
_local = threading.local()
PARIS = ZoneInfo("Europe/Paris")
SESSION_LIFETIME, SESSION_IDLE = 10 * 3600, 60 * 60


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


@cache
def labels(name: str) -> tuple[dict[str, str], dict[str, str]]:
    """Return the French labels of a workflow's stages and transitions, by key."""
    definition = workflows()[name].definition
    stages = {stage.key: stage.label.fr for stage in definition.stages}
    return stages, {t.trigger: t.label.fr for t in definition.transitions}


@cache
def usual_days(name: str) -> dict[str, int | None]:
    """Return a workflow's usual days in each stage, by key."""
    return {stage.key: stage.usual_days for stage in workflows()[name].stages}


@cache
def workflows() -> dict[str, Workflow]:
    """Load the workflow definitions once per worker, by name."""
    root = Path(__file__).resolve().parent.parent / "workflows"
    return {d.name: Workflow(d) for d in load_directory(root)}


def signed_in(*allowed: str) -> tuple[Any, ...]:
    """Read the session cookie, load its user, check token, timeouts and role; note them seen."""
    user_id, _, token = str(session.get("_user_id", "")).partition(":")
    # Flask-Login's "strong" protection: the session is bound to the address and user agent.
    agent, address = request.headers.get("User-Agent", ""), request.remote_addr or ""
    identifier = hashlib.sha512(f"{address.encode()}|{agent.encode()}".encode()).hexdigest()
    now, login_at = time.time(), session.get("login_at", 0)
    if not user_id.isdecimal() or session.get("_id") != identifier:
        abort(redirect("/auth/login"))
    if now - login_at > SESSION_LIFETIME or now - session.get("seen_at", 0) > SESSION_IDLE:
        abort(redirect("/auth/login"))
    found = rows(
        "SELECT u.id, u.name, m.role, u.active, u.session_token FROM users u "
        "JOIN network_memberships m ON m.user_id = u.id WHERE u.id = ? LIMIT 1",
        user_id,
    )
    if not found or not found[0][3] or found[0][4] != token:
        abort(redirect("/auth/login"))
    if found[0][2] not in allowed:
        abort(403)
    session["seen_at"] = now
    raw_token = session.setdefault("csrf_token", secrets.token_hex(20))  # as Flask-WTF does
    g.csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw_token)
    return found[0]


def when(moment: Any) -> str:
    """Show a stored UTC moment in Paris time, as the French pages do."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC).astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def _signed_html(template: Any, user: tuple[Any, ...], **context: Any) -> Response:
    menu = MENU.get(user[2], [])
    page = template.render(user=user, csrf=g.csrf, menu=menu, request=request, **context)
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@app.route("/projects/")
def board() -> Response:
    """Count projects (and late ones) by stage and show the 20 most urgent cards of each stage."""
    user = signed_in("coordinator")
    workflow = workflows()["creation-ressourcerie"]
    now = datetime.now(UTC).replace(tzinfo=None)
    late_when, params = [], []
    for stage in workflow.stages:
        if stage.usual_days is not None:
            late_when.append("(p.state = ? AND p.state_changed_at <= ?)")
            params += [stage.key, now - timedelta(days=stage.usual_days + 1)]
    late = " OR ".join(late_when) or "1 = 0"  # placeholders only: values are parameters
    counts = {
        state: (total, late_count)
        for state, total, late_count in rows(
            f"SELECT p.state, count(*), sum(CASE WHEN {late} THEN 1 ELSE 0 END) FROM projects p "  # noqa: S608 (placeholders only)
            "GROUP BY p.state",
            *params,
        )
    }
    cards: dict[str, list[tuple[Any, ...]]] = {}
    found = rows(
        "SELECT id, name, state, changed, commune, dep FROM (SELECT p.id, p.name, p.state, "  # noqa: S608
        "p.state_changed_at AS changed, c.name AS commune, c.departement_code AS dep, "
        f"row_number() OVER (PARTITION BY p.state ORDER BY CASE WHEN {late} THEN 0 ELSE 1 END, "
        "p.state_changed_at, p.id) AS n FROM projects p "
        "LEFT JOIN communes c ON c.insee = p.commune_insee) ranked WHERE n <= 20 ORDER BY n",
        *params,
    )
    for card in found:
        changed = card[3] if isinstance(card[3], datetime) else datetime.fromisoformat(card[3])
        cards.setdefault(card[2], []).append((*card[:3], (now - changed).days, *card[4:]))
    holders: dict[int, list[str]] = {}
    if found:
        marks = ",".join("?" * len(found))
        sql = "SELECT h.project_id, u.name FROM project_holders h JOIN users u ON u.id = h.user_id"
        ids = [card[0] for card in found]
        for project_id, name in rows(f"{sql} WHERE h.project_id IN ({marks})", *ids):
            holders.setdefault(project_id, []).append(name)
    deps = rows("SELECT code, name FROM departements ORDER BY code")
    return _signed_html(BOARD, user, title="Pipeline", workflows=workflows().values(),
                        workflow=workflow, deps=deps, counts=counts, cards=cards,
                        holders=holders)  # fmt: skip


@app.route("/partners/")
def partners() -> Response:
    """Count projects by stage and département, the funnel, and list 50 projects."""
    user = signed_in("partner", "coordinator")
    scope = rows("SELECT departement_code FROM partner_scopes WHERE user_id = ?", user[0])
    if scope:  # the bench's partner sees every département: a scoped one is not measured
        abort(501)
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
    return _signed_html(PARTNERS, user, title="Vue d'ensemble", by_stage=by_stage, funnel=funnel,
                        projects=projects)  # fmt: skip


@app.route("/projects/<int:project_id>")
def project(project_id: int) -> Response:
    """Show a project: its pathway, current form, what is missing, actions, history, comments."""
    user = signed_in("coordinator", "holder")
    visible = (
        ""
        if user[2] == "coordinator"
        else (" AND p.id IN (SELECT project_id FROM project_holders WHERE user_id = ?)")
    )
    found = rows(
        "SELECT p.id, p.name, p.state, c.insee, c.name, p.state_changed_at, p.workflow_name, "  # noqa: S608
        f"p.return_state FROM projects p LEFT JOIN communes c ON c.insee = p.commune_insee "
        f"WHERE p.id = ?{visible}",
        project_id, *([] if not visible else [user[0]]),
    )  # fmt: skip
    if not found:
        abort(404)
    project = found[0]
    workflow = workflows()[project[6]]
    holders = rows(
        "SELECT u.name, u.email, u.phone FROM users u JOIN project_holders h ON h.user_id = u.id "
        "WHERE h.project_id = ?",
        project_id,
    )
    moves = rows(
        "SELECT t.at, 'move', u.name, t.trigger, t.from_state, t.to_state, t.reason, t.id "
        "FROM transition_records t LEFT JOIN users u ON u.id = t.user_id "
        "WHERE t.project_id = ? ORDER BY t.id",
        project_id,
    )
    saves = rows(
        "SELECT f.created_at, 'form', u.name, f.status, f.stage, f.revision, f.data, f.id "
        "FROM form_submissions f LEFT JOIN users u ON u.id = f.author_id "
        "WHERE f.project_id = ? ORDER BY f.id",
        project_id,
    )
    ticked = rows(
        "SELECT t.stage, t.item, t.done, u.name, t.at FROM checklist_ticks t "
        "LEFT JOIN users u ON u.id = t.user_id WHERE t.project_id = ?",
        project_id,
    )
    comments = rows(
        "SELECT c.created_at, u.name, c.body FROM comments c LEFT JOIN users u "
        "ON u.id = c.author_id WHERE c.project_id = ? ORDER BY c.id",
        project_id,
    )
    documents = rows(
        "SELECT d.id, d.original_name, d.size, d.uploaded_at, u.name FROM documents d "
        "LEFT JOIN users u ON u.id = d.uploaded_by_id WHERE d.project_id = ? ORDER BY d.id DESC",
        project_id,
    )
    member = rows("SELECT id, name FROM members WHERE project_id = ?", project_id)
    forms: dict[str, FormFacts] = {}
    latest: dict[str, str] = {}
    for save in saves:  # oldest first: the last one of a stage is its newest
        data = save[6] if isinstance(save[6], dict) else json.loads(save[6])
        submitted = save[3] == "submitted" or forms.get(save[4], FormFacts()).status == "submitted"
        kept = forms.get(save[4], FormFacts()).data
        forms[save[4]] = FormFacts(
            status="submitted" if submitted else "draft",
            data=data if save[3] == "submitted" else kept,
            draft=data if save[3] == "draft" else {},
        )
        latest[save[4]] = save[3]
    checklist: dict[str, set[str]] = {}
    for stage, item, done, _name, _at in ticked:
        if done:
            checklist.setdefault(stage, set()).add(item)
    facts = ProjectFacts(project[2], project[7], forms,
                         {k: frozenset(v) for k, v in checklist.items()})  # fmt: skip
    current = workflow.stage(project[7] or project[2])
    keys = [s.key for s in workflow.stages if s.kind != "hold"]
    position = keys.index(current.key) if current.key in keys else -1
    timeline = [(workflow.stage(k), "done" if i < position else "current" if i == position
                 else "todo") for i, k in enumerate(keys)]  # fmt: skip
    current_form = next((s for s in reversed(saves) if s[4] == current.key), None)
    form = None
    if current_form is not None:
        data = current_form[6] if isinstance(current_form[6], dict) else json.loads(current_form[6])
        form = (current.key, current_form[3], data, current_form[0], current_form[2])
    history = sorted([*moves, *saves], key=lambda e: (str(e[0]), e[1] == "form", e[7]),
                     reverse=True)  # fmt: skip
    changed = project[5] if isinstance(project[5], datetime) else datetime.fromisoformat(project[5])
    days = (datetime.now(UTC).replace(tzinfo=None) - changed).days
    return _signed_html(PROJECT, user, title=project[1], project=project, workflow=workflow,
                        holders=holders, history=history, form=form, latest=latest,
                        ticks={(t[0], t[1]): (t[2], t[3], t[4]) for t in ticked},
                        comments=comments, documents=documents, member=member[0] if member
                        else None, timeline=timeline, current=current, days=days,
                        missing=workflow.missing(facts, user[2]), when=when,
                        stages=labels(workflow.name)[0], triggers=labels(workflow.name)[1],
                        options=workflow.options(facts, user[2]))  # fmt: skip


@app.route("/reports/report.json")
def report() -> Response:
    """Return the report's aggregates of a period as JSON."""
    signed_in("coordinator", "partner")
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
    user = signed_in("coordinator")
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
    return _signed_html(ACTIVITIES, user, title="Activités", total=total, planned=planned,
                        done=done, counts=counts, involved=involved, choices=choices)  # fmt: skip


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


def token_owner(*allowed: str) -> tuple[Any, ...]:
    """Find the bearer token by its hash, check it and its person, and their role (the API's)."""
    header = request.headers.get("Authorization", "")
    secret = header[7:].strip() if header[:7].lower() == "bearer " else ""
    found = rows(
        "SELECT u.id, m.role, t.expires_at, t.revoked_at, u.active FROM api_tokens t "
        "JOIN users u ON u.id = t.user_id JOIN network_memberships m ON m.user_id = u.id "
        "AND m.network_id = t.network_id WHERE t.token_hash = ?",
        hashlib.sha256(secret.encode()).hexdigest(),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    if not found or found[0][3] is not None or _moment(found[0][2]) <= now or not found[0][4]:
        abort(401)
    if found[0][1] not in allowed:
        abort(403)
    return found[0]


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


@app.route("/api/v1/projects")
def api_projects() -> Response:
    """Count the projects and return one page of them (at most 100) as JSON."""
    token_owner("coordinator")
    limit = min(max(request.args.get("limit", 50, type=int), 1), 100)
    total = rows("SELECT count(*) FROM projects")[0][0]
    pages = max(1, -(-total // limit))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    found = rows(
        "SELECT p.id, p.name, p.workflow_name, p.workflow_version, p.state, "
        "p.state_changed_at, c.name, c.departement_code FROM projects p "
        "LEFT JOIN communes c ON c.insee = p.commune_insee ORDER BY p.id LIMIT ? OFFSET ?",
        limit,
        (page - 1) * limit,
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    items = []
    for id_, name, workflow, version, state, changed, commune, dep in found:
        changed = _moment(changed)
        usual = usual_days(workflow).get(state)
        days = max(int((now - changed).total_seconds() // 86400), 0)
        items.append({
            "id": id_, "name": name, "workflow": workflow, "workflow_version": version,
            "stage": state, "stage_label": labels(workflow)[0].get(state, state),
            "stage_since": changed.replace(tzinfo=UTC).isoformat(), "days_in_stage": days,
            "late": bool(usual) and days > (usual or 0), "commune": commune, "departement": dep,
        })  # fmt: skip
    pagination = {"page": page, "limit": limit, "total": total, "pages": pages}
    body = json.dumps({"items": items, "pagination": pagination}, ensure_ascii=False)
    return Response(body, mimetype="application/json")


@app.route("/health")
def health() -> Response:
    """Answer once the worker is up."""
    return Response(str(Counter(ok=1)["ok"]))
