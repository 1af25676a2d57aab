"""The days each project spent in each state (`stage_entries`) follow its transitions: every
writer of transition records keeps them, and they always equal a replay of the records."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from accompagnement.errors import TransitionRefused
from accompagnement.extensions import db
from accompagnement.history.importer import import_projects
from accompagnement.projects import services
from accompagnement.projects.models import StageEntry
from tests.fixtures.projects import assert_stage_entries_replay_the_records

START = datetime(2024, 3, 1, 9, 30)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "projets-historique.csv"


def day(n: float) -> datetime:
    return START + timedelta(days=n)


def entries(project_id: int) -> dict[str, tuple[float, datetime | None]]:
    rows = db.session.scalars(select(StageEntry).where(StageEntry.project_id == project_id))
    return {row.stage: (round(row.days, 6), row.since) for row in rows}


def fire(project_id: int, trigger: str, user_id: int, at: datetime, reason: str = "") -> None:
    services.fire_transition(project_id, trigger, user_id=user_id, at=at, reason=reason or None)
    db.session.commit()


def test_a_new_project_starts_a_stay_in_its_first_stage(make_project):
    project = make_project(at=START)

    assert entries(project.id) == {"premier_contact": (0.0, START)}


def test_leaving_a_stage_adds_its_days_and_coming_back_adds_more(make_project, coordinator):
    project = make_project(at=START)

    fire(project.id, "pause", coordinator.id, day(10))
    fire(project.id, "resume", coordinator.id, day(15))
    fire(project.id, "pause", coordinator.id, day(25.5))

    assert entries(project.id) == {
        "premier_contact": (20.5, None),  # 10 days, then 10.5 more after coming back
        "en_pause": (5.0, day(25.5)),  # still on hold: the stay goes on from there
    }
    first = db.session.get(StageEntry, (project.id, "premier_contact"))
    assert first is not None and first.entered_at == START


def test_a_move_backdated_before_the_previous_one_adds_no_negative_time(make_project, coordinator):
    project = make_project(at=START)

    fire(project.id, "pause", coordinator.id, day(10))
    fire(project.id, "resume", coordinator.id, day(4))  # typed in with an earlier date

    assert entries(project.id) == {"premier_contact": (10.0, day(4)), "en_pause": (0.0, None)}


def test_a_refused_transition_changes_no_entry(make_project, coordinator):
    project = make_project(at=START)
    before = entries(project.id)

    with pytest.raises(TransitionRefused):
        services.fire_transition(project.id, "advance", user_id=coordinator.id)  # form missing
    db.session.rollback()

    assert entries(project.id) == before


def test_creations_moves_and_imported_histories_replay_to_the_table(make_project, coordinator):
    first, second = make_project("Un", at=START), make_project("Deux", at=day(3))
    fire(first.id, "pause", coordinator.id, day(10))
    fire(second.id, "abandon", coordinator.id, day(12), reason="Plus de local")
    fire(first.id, "resume", coordinator.id, day(20))
    fire(second.id, "reopen", coordinator.id, day(30), reason="Un local trouvé")
    fire(first.id, "abandon", coordinator.id, day(31), reason="Arrêt")
    import_projects(EXAMPLE.read_bytes(), user_id=coordinator.id)
    db.session.commit()

    assert_stage_entries_replay_the_records()
