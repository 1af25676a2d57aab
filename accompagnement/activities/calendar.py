"""The iCalendar feed of the activity log: titles and dates only, with stable UIDs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from accompagnement.activities.models import Activity, ActivityStatus

UID_DOMAIN = "activities.accompagnement"


def activity_uid(activity: Activity) -> str:
    """Return the UID of an activity's event: it never changes while the activity exists."""
    return f"activity-{activity.id}@{UID_DOMAIN}"


def _event(activity: Activity, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", stamp)
    event.add("dtstart", activity.date)
    # All-day events end the day after their last day (RFC 5545, DTEND is exclusive).
    event.add("dtend", (activity.end_date or activity.date) + dt.timedelta(days=1))
    event.add("summary", activity.title)
    event.add("categories", [activity.type_label])
    event.add("status", "TENTATIVE" if activity.status == ActivityStatus.PLANNED else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    modified = activity.updated_at or activity.created_at
    if modified:
        event.add("last-modified", modified.replace(tzinfo=dt.UTC))
    return event


def build_feed(activities: Iterable[Activity], *, name: str) -> bytes:
    """Return an iCalendar document with one all-day event per activity."""
    calendar = Calendar()
    calendar.add("prodid", "-//Accompagnement//Activities//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for activity in activities:
        calendar.add_component(_event(activity, stamp))
    return calendar.to_ical()
