"""The person's exchanges as calendar events, for the personal feed (`tasks.calendar`).

Holders get the exchanges of their projects, coordinators those they recorded; from a month ago
on, bounded. Kind, time, duration and project name only: notes stay in the application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from flask import url_for
from icalendar import Component, Event

from accompagnement.access import Role
from accompagnement.auth.models import User
from accompagnement.meetings import queries
from accompagnement.meetings.forms import KIND_LABELS

UID_DOMAIN = "exchanges.accompagnement"
SINCE_DAYS = 31
LIMIT = 500


def exchange_components(user: User, options: Any) -> Iterator[Component]:
    """Give one event per exchange of the person (a feed source: see tasks.calendar)."""
    since = dt.datetime.combine(options.today - dt.timedelta(days=SINCE_DAYS), dt.time.min)
    coordinator = user.role == Role.COORDINATOR
    for exchange in queries.for_calendar(
        user.id, coordinator=coordinator, since=since, limit=LIMIT
    ):
        event = Event()
        event.add("uid", f"exchange-{exchange.id}@{UID_DOMAIN}")
        event.add("dtstamp", options.stamp)
        event.add("summary", f"{KIND_LABELS[exchange.kind]} · {exchange.project.name}")
        start = exchange.at.replace(tzinfo=dt.UTC)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=max(exchange.minutes, 30)))
        endpoint = "meetings.project_exchanges" if coordinator else "projects.detail"
        event.add("url", url_for(endpoint, project_id=exchange.project_id, _external=True))
        yield event
