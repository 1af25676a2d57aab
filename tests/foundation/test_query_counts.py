"""Pages run as many SQL queries for a large network as for a small one (no N+1).

The board, project page, partner dashboard, member directory and activity log have their own
query-count tests; this module covers the other main pages the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from accompagnement.activities.services import ActivityInput, create_activity
from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.services import save_report
from accompagnement.projects.services import fire_transition

LAST_YEAR = dt.date.today().year - 1


@pytest.fixture
def count_queries(client) -> Callable[[str], int]:
    """Return a function that GETs a page and counts the SQL statements it ran."""

    def count(url: str) -> int:
        seen: list[str] = []

        def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            response = client.get(url)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert response.status_code == 200, url
        return len(seen)

    return count


@pytest.fixture
def grow(make_user, make_project, coordinator) -> Iterator[Callable[[int], None]]:
    """Return a function adding `n` of everything a page lists: projects, members, reports..."""
    holder = make_user("holder", name="Léa Dubois", email="lea@example.org")
    counter = iter(range(10_000))

    def add(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            member = Member(
                name=f"Ressourcerie {i}",
                commune_insee="87085",
                departement_code="87",
                joined_on=dt.date(LAST_YEAR, 3, 1),
            )
            db.session.add(member)
            db.session.flush()
            save_report(
                member.id,
                LAST_YEAR,
                {"collected_dropoff": "12,5", "out_sale": "6"},
                user_id=coordinator.id,
                base_revision=None,
            )
            project = make_project(
                f"Projet {i}", holders=[holder], at=utcnow() - dt.timedelta(days=400)
            )
            if i % 2:  # half paused, half late in their stage (listed by reminders)
                fire_transition(project.id, "pause", user_id=coordinator.id)
            create_activity(
                ActivityInput(
                    date=dt.date(LAST_YEAR, 5, 1 + i % 27),
                    type="animation",
                    title=f"Atelier {i}",
                    member_ids=[member.id],
                ),
                user_id=coordinator.id,
            )
            make_user("partner", organisation=f"Partenaire {i}")
        db.session.commit()

    yield add


COORDINATOR_PAGES = [
    "/observatory/",
    f"/observatory/reports?year={LAST_YEAR}",
    f"/reports/?from={LAST_YEAR}-01-01&to={LAST_YEAR}-12-31",
    f"/reports/report.json?from={LAST_YEAR}-01-01&to={LAST_YEAR}-12-31",
    "/reminders/",
    "/admin/users",
]


@pytest.mark.parametrize("url", COORDINATOR_PAGES)
def test_coordinator_pages_do_not_grow_with_the_data(url, auth, coordinator, grow, count_queries):
    auth.login(coordinator)
    grow(2)
    small = count_queries(url)
    grow(10)
    assert count_queries(url) == small


def test_the_holders_list_of_projects_does_not_grow(client, grow, count_queries):
    grow(2)
    client.post(
        "/auth/login", data={"email": "lea@example.org", "password": "correct horse battery staple"}
    )
    small = count_queries("/projects/mine")
    grow(10)
    assert count_queries("/projects/mine") == small
