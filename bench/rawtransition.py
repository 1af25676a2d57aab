"""The raw baseline of a transition: the driver, hand-written SQL, the same checks as the engine.

The rules of each (source, trigger) come from the workflow definition once, before timing; then
each transition reads the project (locked: BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL),
checks the user's role, each guard (submitted form, complete checklist, minimum items), runs the
guarded UPDATE on state and lock version, inserts the transition record, writes what the app
keeps with every move (the stay closed in the state left and the one started in the state
entered, in `stage_entries`; the entered stage's template tasks, once per project) and commits.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.dataset import WORKFLOW

Rule = tuple[str, list[str], list[tuple[str, dict[str, Any]]]]  # dest, roles, guards
Template = tuple[str, str, str, int]  # key, French title, assignee, days until due
DAYS = {
    "sqlite": "julianday(excluded.entered_at) - julianday(stage_entries.since)",
    "postgresql": "EXTRACT(EPOCH FROM (excluded.entered_at - stage_entries.since)) / 86400.0",
}
STAY = (
    "INSERT INTO stage_entries (project_id, stage, workflow_name, entered_at, days, since, "
    "network_id) VALUES (?, ?, ?, ?, 0.0, ?, ?) ON CONFLICT (project_id, stage) DO UPDATE SET "
    "days = stage_entries.days + CASE WHEN {days} > 0 THEN {days} ELSE 0.0 END, "
    "since = excluded.since"
)
TASK = (
    "INSERT INTO tasks (project_id, stage, template, title, assignee, due_on, created_at, "
    "updated_at, lock_version, network_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) "
    "ON CONFLICT (project_id, stage, template) DO NOTHING"
)


class RawTransitions:
    """A driver connection firing transitions by hand."""

    def __init__(self, url: str, user_id: int) -> None:
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout = 5000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = NORMAL")  # as the app's connections
        else:
            import psycopg

            dsn, _, options = url.replace("postgresql+psycopg://", "postgresql://").partition("?")
            schema = options.rpartition("search_path%3D")[2]
            self.conn = psycopg.connect(dsn, options=f"-csearch_path={schema}")
        self.user_id = user_id
        # The data set's network (its only one): every read is scoped to it, as in the app.
        self.network_id = self._q("SELECT min(id) FROM networks").fetchone()[0]
        if not self.sqlite:
            self.conn.commit()
        self.rules, self.checklists, self.templates = _rules()
        self.stay = STAY.format(days=DAYS["sqlite" if self.sqlite else "postgresql"])

    def _q(self, sql: str, *params: Any) -> Any:
        return self.conn.execute(sql if self.sqlite else sql.replace("?", "%s"), params)

    def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if self.sqlite:
            self.conn.executemany(sql, rows)
        else:
            self.conn.cursor().executemany(sql.replace("?", "%s"), rows)

    def run(self, targets: list[tuple[int, str]]) -> float:
        """Fire each (project, trigger) and commit it; return the seconds taken."""
        started = time.perf_counter()
        for project_id, trigger in targets:
            self.fire(project_id, trigger)
        return time.perf_counter() - started

    def fire(self, project_id: int, trigger: str) -> None:
        """Fire one transition with its checks, in one transaction."""
        if self.sqlite:
            self._q("BEGIN IMMEDIATE")
        read = (
            "SELECT state, lock_version, workflow_version FROM projects "
            "WHERE id = ? AND network_id = ?"
        )
        if not self.sqlite:
            read += " FOR UPDATE"
        state, version, workflow_version = self._q(read, project_id, self.network_id).fetchone()
        role, active = self._q(
            "SELECT m.role, u.active FROM users u JOIN network_memberships m ON m.user_id = u.id "
            "WHERE u.id = ? AND m.network_id = ?",
            self.user_id,
            self.network_id,
        ).fetchone()
        dest, roles, guards = self.rules[(state, trigger)]
        if not active or role not in roles:
            raise RuntimeError("role not allowed")
        for name, params in guards:
            self._guard(project_id, params.get("stage") or state, name, params)
        at = datetime.now(UTC).replace(tzinfo=None)
        changed = self._q(
            "UPDATE projects SET state = ?, return_state = NULL, state_changed_at = ?, "
            "updated_at = ?, lock_version = lock_version + 1 "
            "WHERE id = ? AND state = ? AND lock_version = ?",
            dest, at, at, project_id, state, version,
        ).rowcount  # fmt: skip
        if changed != 1:
            raise RuntimeError("the project changed meanwhile")
        self._q(
            "INSERT INTO transition_records (project_id, workflow_version, trigger, from_state, "
            "to_state, user_id, at, network_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            project_id, workflow_version, trigger, state, dest, self.user_id, at, self.network_id,
        )  # fmt: skip
        network = self.network_id
        stays: list[tuple[Any, ...]] = [(project_id, dest, WORKFLOW, at, at, network)]
        if dest != state:
            stays.insert(0, (project_id, state, WORKFLOW, at, None, network))
        self._many(self.stay, stays)
        tasks = [
            (project_id, dest, key, title, who, (at + timedelta(days=days)).date(), at, at, network)
            for key, title, who, days in self.templates.get(dest, [])
        ]
        if tasks:
            self._many(TASK, tasks)
        self.conn.commit() if not self.sqlite else self._q("COMMIT")

    def _guard(self, project_id: int, stage: str, name: str, params: dict[str, Any]) -> None:
        if name in ("form_submitted", "min_items"):
            row = self._q(
                "SELECT data FROM form_submissions WHERE project_id = ? AND stage = ? "
                "AND status = 'submitted' AND network_id = ? ORDER BY revision DESC LIMIT 1",
                project_id,
                stage,
                self.network_id,
            ).fetchone()
            if row is None:
                raise RuntimeError("form not submitted")
            data = row[0] if isinstance(row[0], dict) else json.loads(row[0])
            if name == "min_items" and len(data.get(params["field"]) or []) < params["count"]:
                raise RuntimeError("too few items")
        elif name == "checklist_complete":
            ticked = {
                item
                for (item,) in self._q(
                    "SELECT item FROM checklist_ticks WHERE project_id = ? AND stage = ? "
                    "AND done = ? AND network_id = ?",
                    project_id,
                    stage,
                    True,
                    self.network_id,
                )
            }
            if not self.checklists[stage] <= ticked:
                raise RuntimeError("checklist incomplete")
        else:
            raise RuntimeError(f"the raw baseline does not know the guard {name}")

    def close(self) -> None:
        self.conn.close()


def _rules() -> tuple[dict[tuple[str, str], Rule], dict[str, set[str]], dict[str, list[Template]]]:
    """Read each (source, trigger)'s destination, roles and guards, each stage's required
    checklist items and its task templates, from the newest definition."""
    from accompagnement.config import ROOT
    from accompagnement.engine.loader import load_directory

    definition = max(
        (d for d in load_directory(ROOT / "workflows") if d.name == WORKFLOW),
        key=lambda d: d.version,
    )
    rules: dict[tuple[str, str], Rule] = {}
    keys = [s.key for s in definition.stages]
    for transition in definition.transitions:
        sources = transition.source if isinstance(transition.source, list) else [transition.source]
        for source in keys if "*" in sources else sources:
            guards = [(g.name, dict(g.params)) for g in transition.guards]
            roles = [str(r) for r in transition.roles]
            rules.setdefault((source, transition.trigger), (transition.dest, roles, guards))
    checklists = {
        s.key: {i.key for i in s.checklist or [] if i.required} for s in definition.stages
    }
    assignees = {"holders": "holders", "coordinator": "coordination"}
    templates = {
        s.key: [(t.key, t.title.fr, assignees[t.assignee], t.due_days) for t in s.tasks]
        for s in definition.stages
        if s.tasks
    }
    return rules, checklists, templates
