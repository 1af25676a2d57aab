"""The activity log is paginated and the calendar feed has a window (issue 8, finding 5).

Before: `/activities/` rendered every row (41 MB at 100 000 activities, past gunicorn's
timeout) and the iCalendar feed listed every activity ever recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from icalendar import Calendar

from accompagnement.activities import services
from accompagnement.activities.models import Activity
from accompagnement.extensions import db
from accompagnement.pagination import PER_PAGE

TITLE = re.compile(r'<a href="/activities/\d+">(Log [^<]+)</a>|(Projet [^<]+)</a>')
EN = {"Accept-Language": "en"}


def _bulk(count: int, *, first: dt.date, status: str = "done", step: int = 1) -> None:
    """Insert many activities at once (the service would take minutes for thousands)."""
    db.session.execute(
        sa.insert(Activity),
        [
            {
                "date": first + dt.timedelta(days=step * n),
                "type": "animation",
                "title": f"Log {status} {n:05d}",
                "status": status,
            }
            for n in range(count)
        ],
    )
    db.session.commit()


def _titles(page: str) -> list[str]:
    return [a or b for a, b in TITLE.findall(page)]


def test_the_log_shows_fifty_rows_a_page_with_the_total(client, auth, coordinator) -> None:
    _bulk(130, first=dt.date(2015, 1, 1))
    auth.login(coordinator)
    page = client.get("/activities/?start=", headers=EN).get_data(as_text=True)
    assert len(_titles(page)) == PER_PAGE
    assert "1–50 of 130" in page and "Page 1 of 3" in page
    assert "Log done 00129" in page  # the newest first
    last = client.get("/activities/?start=&page=3", headers=EN).get_data(as_text=True)
    assert len(_titles(last)) == 30 and "Log done 00000" in last


def test_every_entry_is_on_exactly_one_page_in_log_order(
    client, auth, coordinator, make_member, make_project, save_visits
) -> None:
    """Planned ones soonest first, then done ones newest first, project visits merged in."""
    today = services.today()
    _bulk(20, first=today + dt.timedelta(days=1), status="planned", step=3)
    _bulk(140, first=dt.date(2019, 1, 1), step=2)
    site = make_member("Ressourcerie de Felletin")
    for n, day in enumerate(["2019-01-02", "2019-03-15", "2019-06-30", "2018-01-01"]):
        save_visits(make_project(f"Projet {n}"), [(site, day)])
    save_visits(make_project("Projet futur"), [(site, (today + dt.timedelta(days=7)).isoformat())])
    auth.login(coordinator)

    seen: list[str] = []
    for number in range(1, 5):  # 165 entries: 4 pages
        page = client.get(f"/activities/?start=&page={number}", headers=EN).get_data(as_text=True)
        seen += _titles(page)
    assert len(seen) == 20 + 140 + 5 == len(set(seen))
    # The whole log on one page of a huge size gives the reference order.
    from accompagnement.activities.listing import list_activities
    from accompagnement.activities.queries import ActivityFilters

    whole = list_activities(ActivityFilters(), 1, per_page=10_000)
    expected = [
        e.activity.title if e.activity else e.project_name for e in whole.upcoming + whole.past
    ]
    assert seen == expected
    assert expected[0] == "Log planned 00000"
    assert expected.index("Projet futur") < 21 == expected.index("Log done 00139")


def test_filters_and_page_stay_in_the_links(client, auth, coordinator) -> None:
    _bulk(120, first=dt.date(2016, 1, 1))
    auth.login(coordinator)
    page = client.get("/activities/?type=animation&start=2016-01-01", headers=EN)
    text = page.get_data(as_text=True)
    assert "page=2" in text and "type=animation" in text.split("page=2")[0].rsplit("href", 1)[1]


def test_odd_page_numbers_give_a_page(client, auth, coordinator) -> None:
    _bulk(60, first=dt.date(2016, 1, 1))
    auth.login(coordinator)
    for odd in ("abc", "0", "-1", "99999999999999999999", "²", "%00", "1e3", "999"):
        response = client.get(f"/activities/?start=&page={odd}", headers=EN)
        assert response.status_code in (200, 400), odd
    last = client.get("/activities/?start=&page=999", headers=EN).get_data(as_text=True)
    assert "Page 2 of 2" in last


def test_a_page_costs_the_same_queries_for_many_activities_as_for_few(
    client, auth, coordinator
) -> None:
    auth.login(coordinator)

    def queries_of(url: str) -> int:
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(str(args[2]))

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    _bulk(60, first=dt.date(2010, 1, 1))
    few = queries_of("/activities/?page=2")
    _bulk(1500, first=dt.date(2012, 1, 1), step=1)
    assert queries_of("/activities/?page=2") == few
    assert queries_of("/activities/?page=20") == few


def _feed_uids(client: Any, coordinator: Any) -> set[str]:
    token = services.calendar_token(coordinator.id).token
    db.session.commit()
    body = client.get(f"/activities/calendar/{token}.ics").data
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(body).walk("VEVENT")}


def test_the_calendar_feed_covers_the_last_year_and_the_next_two(
    client, coordinator, make_activity: Callable[..., Any]
) -> None:
    today = services.today()
    for days, title in [
        (-400, "too old"),
        (-360, "last year"),
        (0, "today"),
        (700, "in two years"),
        (800, "too far"),
    ]:
        make_activity(today + dt.timedelta(days=days), "animation", title)
    make_activity(
        today - dt.timedelta(days=380),
        "animation",
        "long one ending in the window",
        end_date=today - dt.timedelta(days=300),
    )
    assert _feed_uids(client, coordinator) == {
        "last year",
        "today",
        "in two years",
        "long one ending in the window",
    }
