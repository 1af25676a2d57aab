"""The activity log with many project visits (issue 10): the database merges and cuts the page.

Before, every project's visits form was decoded for each page and merged in Python. Now a page
and its summary cost the same queries and the same HTML size whatever the number of visits.
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from accompagnement.activities.models import Activity
from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.projects.models import FormSubmission, Project
from accompagnement.projects.visitrows import rebuild_visits
from tests.fixtures.queries import get_page

EN = {"Accept-Language": "en"}


def _visited_projects(first: int, count: int, member_id: int) -> None:
    """Projects with a submitted visits form of two visits each, in 2019."""
    now = utcnow()
    db.session.execute(
        sa.insert(Project),
        [
            {"id": 10_000 + n, "name": f"Visiteur {n:05d}",
             "workflow_name": "creation-ressourcerie", "workflow_version": 1, "state": "visites",
             "lock_version": 1, "created_at": now, "state_changed_at": now}
            for n in range(first, first + count)
        ],
    )  # fmt: skip
    day = dt.date(2019, 1, 1)
    db.session.execute(
        sa.insert(FormSubmission),
        [
            {"project_id": 10_000 + n, "stage": "visites", "revision": 1, "status": "submitted",
             "data": {"visits": [
                 {"member": member_id, "date": (day + dt.timedelta(days=n % 300)).isoformat()},
                 {"member": member_id, "date": (day + dt.timedelta(days=n % 7)).isoformat()},
             ]}}
            for n in range(first, first + count)
        ],
    )  # fmt: skip
    rebuild_visits(db.session.connection())  # forms written directly: their visits as rows
    db.session.execute(
        sa.insert(Activity),
        [
            {"date": day + dt.timedelta(days=n % 365), "type": "animation",
             "title": f"Atelier {n:05d}", "status": "done"}
            for n in range(first, first + count)
        ],
    )  # fmt: skip
    db.session.commit()


def test_the_log_costs_the_same_for_ten_times_more_visits(client, auth, coordinator, make_member):
    site = make_member("Ressourcerie de Bourganeuf")
    auth.login(coordinator)
    _visited_projects(0, 30, site.id)
    small_html, small_queries = get_page(client, "/activities/?start=", EN)
    _visited_projects(30, 300, site.id)
    big_html, big_queries = get_page(client, "/activities/?start=", EN)
    assert big_queries == small_queries
    assert len(big_html) < len(small_html) * 1.02  # the same fifty rows, longer totals
    assert "1–50 of 990" in big_html  # 330 activities and 660 project visits


def test_a_ressourcerie_filter_keeps_its_project_visits_and_counts(
    client, auth, coordinator, make_member
):
    site, other = make_member("Ressourcerie de Bellac"), make_member("Ressourcerie d'Ussel")
    _visited_projects(0, 40, site.id)
    auth.login(coordinator)
    mine, _ = get_page(client, f"/activities/?member={site.id}&start=2019-01-01&end=2019-12-31", EN)
    assert "1–50 of 80" in mine  # the project visits only: the activities visit nobody
    assert re.search(r"Visit of a ressourcerie</th>\s*<td class=\"num\">80</td>", mine)
    none, _ = get_page(client, f"/activities/?member={other.id}&start=", EN)
    assert "No activity recorded for these filters." in none
