"""The retention purge: accounts past retention are anonymised, old logs deleted, twice is safe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from accompagnement.audit.models import AuditEvent
from accompagnement.auth.models import User
from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.privacy.retention import cutoff_for, purge
from accompagnement.projects import services
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.reminders.models import NotificationLog
from tests.privacy.people import table_rows

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences

YEARS = 3
LONG_AGO = utcnow() - timedelta(days=4 * 365)
LAST_YEAR = utcnow() - timedelta(days=365)


def _age_user(user_id: int, *, seen: datetime | None, created: datetime = LONG_AGO) -> None:
    user = db.session.get(User, user_id)
    assert user is not None
    user.created_at, user.last_login_at = created, seen


def _age_project(project_id: int, trigger: str | None, coordinator_id: int, when: datetime) -> None:
    if trigger:
        services.fire_transition(project_id, trigger, user_id=coordinator_id, reason="Fin")
    project = db.session.get(Project, project_id)
    assert project is not None
    project.state_changed_at = when


@pytest.fixture
def people(
    make_user: Callable[..., Any], make_project: Callable[..., Any], coordinator: Any
) -> dict[str, int]:
    """Fictitious accounts at every point of the retention rules; their ids by situation."""
    ids = {}
    cases = {
        # name: (role, project's trigger or None for no project, when it changed, last seen)
        "abandoned long ago": ("holder", "abandon", LONG_AGO, LONG_AGO),
        "paused long ago": ("holder", "pause", LONG_AGO, None),
        "still running": ("holder", "", LONG_AGO, LONG_AGO),
        "abandoned last year": ("holder", "abandon", LAST_YEAR, LONG_AGO),
        "came back recently": ("holder", "abandon", LONG_AGO, LAST_YEAR),
        "never had a project": ("holder", None, LONG_AGO, None),
        "deactivated partner": ("partner", None, LONG_AGO, LONG_AGO),
        "active partner": ("partner", None, LONG_AGO, LONG_AGO),
    }
    for name, (role, trigger, changed, seen) in cases.items():
        user = make_user(role, name=f"Fictif {name}")
        ids[name] = user.id
        if trigger is not None:
            project = make_project(f"Projet {name}", holders=[user])
            _age_project(project.id, trigger, coordinator.id, changed)
        _age_user(user.id, seen=seen)
    db.session.get(User, ids["deactivated partner"]).active = False
    db.session.add_all(
        [
            AuditEvent(action="auth.login", user_id=ids["still running"], at=LONG_AGO),
            AuditEvent(action="privacy.exported", user_id=None, at=LONG_AGO, detail={}),
            AuditEvent(action="auth.login", user_id=ids["still running"], at=LAST_YEAR),
            NotificationLog(user_id=ids["still running"], day=LONG_AGO.date(), kind="late",
                            sent_at=LONG_AGO),
            NotificationLog(user_id=ids["still running"], day=LAST_YEAR.date(), kind="late",
                            sent_at=LAST_YEAR),
        ]
    )  # fmt: skip
    db.session.commit()
    return ids


def anonymised() -> set[str]:
    names = db.session.scalars(
        sa.select(User.name).where(User.anonymised_at.is_(None), User.role != "coordinator")
    )
    return {n.removeprefix("Fictif ") for n in names}


def test_accounts_past_retention_are_anonymised_and_the_others_kept(people: dict[str, int]) -> None:
    report = purge(years=YEARS)
    db.session.commit()
    gone = {"abandoned long ago", "paused long ago", "never had a project", "deactivated partner"}
    assert sorted(report.anonymised) == sorted(people[name] for name in gone)
    assert anonymised() == set(people) - gone


def test_old_logs_go_but_transitions_and_proofs_stay(people: dict[str, int]) -> None:
    transitions = table_rows()["transition_records"]
    report = purge(years=YEARS)
    db.session.commit()
    assert report.deleted == {
        "audit_events": 1,
        "digest_items": 0,
        "notification_logs": 1,
        "outbox_messages": 0,
        "project_requests": 0,
        "project_requests (unconfirmed)": 0,
    }
    assert table_rows()["transition_records"] == transitions
    old = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.at < LAST_YEAR)).all()
    assert old == ["privacy.exported"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationLog)) == 1
    assert db.session.scalar(sa.select(sa.func.min(TransitionRecord.at))) is not None


def test_the_purge_is_logged_once_and_a_second_run_changes_nothing(people: dict[str, int]) -> None:
    purge(years=YEARS)
    db.session.commit()
    after_first = table_rows()
    second = purge(years=YEARS)
    db.session.commit()
    assert not second.changed
    assert table_rows() == after_first
    actions = [e["action"] for e in after_first["audit_events"]]
    assert actions.count("privacy.purged") == 1
    assert actions.count("privacy.anonymised") == 4


def test_a_dry_run_changes_nothing(people: dict[str, int]) -> None:
    before = table_rows()
    report = purge(years=YEARS, dry_run=True)
    db.session.rollback()
    assert len(report.anonymised) == 4 and report.deleted["audit_events"] == 1
    assert table_rows() == before


def test_the_retention_period_is_at_least_a_year() -> None:
    with pytest.raises(ValueError):
        cutoff_for(0)
    assert cutoff_for(1, datetime(2025, 1, 1)) == datetime(2024, 1, 2)  # 365 days


def test_the_purge_command_uses_the_configured_retention(
    people: dict[str, int], runner: FlaskCliRunner, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = table_rows()
    result = runner.invoke(env=ENGLISH, args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would:" in result.output and "anonymise 4 account(s)" in result.output
    assert table_rows() == before
    monkeypatch.setitem(app.config, "RETENTION_YEARS", 10)
    result = runner.invoke(env=ENGLISH, args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "anonymise 0 account(s)" in result.output
    result = runner.invoke(env=ENGLISH, args=["privacy", "purge", "--years", "3"])
    assert "anonymise 4 account(s)" in result.output
    assert len(anonymised()) == 4
