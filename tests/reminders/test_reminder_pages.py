"""The reminders page at national scale (issue 10): the database selects, counts, orders and
cuts a page of the late and silent projects; each list has its own page in the URL."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.projects.models import Project
from accompagnement.reminders.queries import (
    count_overdue,
    count_stale,
    overdue_projects,
    stale_projects,
)
from tests.fixtures.queries import get_page

EN = {"Accept-Language": "en"}
LATE = re.compile(r'<a href="/projects/\d+">(Retard [^<]+)</a>')


def _projects(first: int, count: int, *, state: str = "premier_contact", days: int = 200) -> None:
    """Projects created `days`, `days + 1`... days ago, left in `state` since (no news either)."""
    now = utcnow()
    db.session.execute(
        sa.insert(Project),
        [
            {"name": f"Retard {n:05d}", "workflow_name": "creation-ressourcerie",
             "workflow_version": 1, "state": state, "lock_version": 1,
             "created_at": now - dt.timedelta(days=days + n - first),
             "state_changed_at": now - dt.timedelta(days=days + n - first)}
            for n in range(first, first + count)
        ],
    )  # fmt: skip
    db.session.commit()


def test_lists_are_ordered_and_cut_by_the_database(app):
    _projects(0, 12)
    _projects(100, 3, state="pause")  # on hold: never reminded of
    _projects(200, 2, days=10)  # recent: neither late nor silent
    now = utcnow()
    assert count_overdue(now) == 12 and count_stale(60, now) == 12
    late = overdue_projects(now, offset=5, limit=5)
    assert [p.name for p in late] == [f"Retard {n:05d}" for n in range(6, 1, -1)]
    assert [p.days_over for p in late] == [116, 115, 114, 113, 112]  # 200 + n - 90 days
    silent = stale_projects(60, now, offset=10)
    assert [(p.name, p.idle_days) for p in silent] == [("Retard 00001", 201), ("Retard 00000", 200)]


def test_each_list_has_its_own_page_in_the_url(reminders_client, sign_in, make_user):
    client = reminders_client
    _projects(0, 60)
    sign_in(client, make_user("coordinator"))
    html, _ = get_page(client, "/reminders/", EN)
    assert len(LATE.findall(html)) == 100  # 50 late + 50 silent
    assert html.count('<span class="badge late">60</span>') == 2
    assert "page=2" in html and "stale_page=2" in html
    html, _ = get_page(client, "/reminders/?page=2", EN)
    late, silent = html.split('id="stale-title"')
    assert len(LATE.findall(late)) == 10 and len(LATE.findall(silent)) == 50
    html, _ = get_page(client, "/reminders/?page=2&stale_page=2", EN)
    late, silent = html.split('id="stale-title"')
    assert len(LATE.findall(late)) == 10 and len(LATE.findall(silent)) == 10


def test_queries_and_page_size_do_not_grow_with_the_projects(reminders_client, sign_in, make_user):
    client = reminders_client
    sign_in(client, make_user("coordinator"))
    _projects(0, 60)
    small_html, small_queries = get_page(client, "/reminders/", EN)
    _projects(60, 600)
    big_html, big_queries = get_page(client, "/reminders/", EN)
    assert big_queries == small_queries
    assert len(big_html) < len(small_html) * 1.01  # only the totals are longer


def test_a_network_without_projects_has_nothing_to_remind(app):
    """No project: no workflow version, so no stage condition at all (an empty CASE)."""
    assert overdue_projects() == [] and count_overdue() == 0
    assert stale_projects(60) == [] and count_stale(60) == 0
