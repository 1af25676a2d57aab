"""Migration 0009_stageentries fills `stage_entries` from the transition records already there,
with what replaying them gives (returns, a move to another workflow version, a backdated move)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from accompagnement.projects.models import StageEntry, TransitionRecord
from accompagnement.projects.stageentries import replay
from tests.conftest import drop_database, flask_command, make_database_url

START = datetime(2023, 5, 4, 10, 0)
PROJECT = (
    "INSERT INTO projects (id, name, workflow_name, workflow_version, state, state_changed_at, "
    "created_at, updated_at, lock_version) VALUES (:id, :name, :workflow, 1, :state, :at, :at, "
    ":at, 1)"
)
RECORD = (
    "INSERT INTO transition_records (project_id, workflow_version, trigger, from_state, to_state, "
    "at) VALUES (:project, 1, :trigger, :source, :dest, :at)"
)
# (project, workflow, [(state entered, days after START)]) in the order they were recorded.
HISTORIES = [
    (1, "creation-ressourcerie", [("premier_contact", 0), ("visites", 40.5), ("dla", 90)]),
    (
        2,
        "creation-ressourcerie",
        [
            ("premier_contact", 3),
            ("visites", 10),
            ("premier_contact", 12),
            ("visites", 30),
            ("en_pause", 31),
        ],
    ),  # fmt: skip
    (3, "creation-ressourcerie", [("premier_contact", 5), ("premier_contact", 8)]),  # migrated
    (4, "autre-parcours", [("accueil", 0), ("suite", 20), ("accueil", 15)]),  # backdated
]


def write_histories(conn: sa.Connection) -> None:
    for project, workflow, steps in HISTORIES:
        last = steps[-1]
        conn.execute(sa.text(PROJECT), {"id": project, "name": f"P{project}",
                                        "workflow": workflow, "state": last[0],
                                        "at": START + timedelta(days=last[1])})  # fmt: skip
        source = None
        for state, after in steps:
            conn.execute(sa.text(RECORD), {"project": project, "trigger": "t", "source": source,
                                           "dest": state,
                                           "at": START + timedelta(days=after)})  # fmt: skip
            source = state


def test_the_backfill_equals_a_replay_of_the_records(tmp_path: Path) -> None:
    url = make_database_url(str(tmp_path), f"backfill_entries_{os.getpid()}")
    try:
        flask_command(url, "db", "upgrade", "0008_visitrows")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            write_histories(conn)
        flask_command(url, "db", "upgrade")
        with engine.connect() as conn:
            records = conn.execute(
                sa.select(TransitionRecord.project_id, TransitionRecord.to_state,
                          TransitionRecord.at).order_by(TransitionRecord.id)
            ).all()  # fmt: skip
            stored = conn.execute(sa.select(StageEntry.__table__)).all()
        engine.dispose()
    finally:
        drop_database(url)
    moves: dict[int, list[tuple[str, datetime]]] = {}
    for project, state, at in records:
        moves.setdefault(project, []).append((state, at))
    workflows = {project: workflow for project, workflow, _steps in HISTORIES}
    expected = {
        (project, state): (workflows[project], e.entered_at, round(e.days, 6), e.since)
        for project, steps in moves.items()
        for state, e in replay(steps).items()
    }
    assert {
        (r.project_id, r.stage): (r.workflow_name, r.entered_at, round(r.days, 6), r.since)
        for r in stored
    } == expected
    assert expected[(2, "premier_contact")][2] == 25.0  # 7 days, then 18 more after coming back
    assert expected[(4, "suite")][2] == 0.0  # left "before" it was entered: nothing
