"""Use cases of the activity log: record, change, delete, plan a year, calendar tokens.

Functions take plain values, check them, change the session and flush; the caller commits once.
Checks shared with the CSV import live in `check_activity`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accompagnement.activities.models import (
    Activity,
    ActivityStatus,
    CalendarToken,
    VisitorType,
    new_calendar_token,
)
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.auth.services import active_coordinator
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network import queries as network_queries
from accompagnement.network.models import TYPE_LABELS, ActivityType

NETWORK_TZ = ZoneInfo("Europe/Paris")
TITLE_MAX, PARTNER_MAX, NOTES_MAX, PARTICIPANTS_MAX = 200, 200, 5000, 1_000_000
# Planned activities fall on the second Tuesday of their month, technical days on the second
# Thursday (placeholders the coordinator moves). Monday = 0.
PLAN_WEEKDAY = {ActivityType.JOURNEE_TECHNIQUE: 3}
DEFAULT_WEEKDAY = 1


def today() -> dt.date:
    """Return today's date where the network lives."""
    return dt.datetime.now(NETWORK_TZ).date()


@dataclass
class ActivityInput:
    """The values of an activity as a person or a file gives them."""

    date: dt.date
    type: str
    title: str
    member_ids: list[int] = field(default_factory=list)
    end_date: dt.date | None = None
    visitor: str | None = None
    partner: str | None = None
    participants: int | None = None
    notes: str | None = None
    status: str | None = None  # None: planned when in the future, done otherwise

    def normalised(self, on: dt.date) -> ActivityInput:
        """Return a copy with text trimmed, empty strings as None and a status chosen."""
        status = self.status or (ActivityStatus.PLANNED if self.date > on else ActivityStatus.DONE)
        return ActivityInput(
            date=self.date,
            type=(self.type or "").strip(),
            title=" ".join((self.title or "").split()),
            member_ids=sorted(set(self.member_ids)),
            end_date=self.end_date,
            visitor=(self.visitor or "").strip() or None,
            partner=(self.partner or "").strip() or None,
            participants=self.participants,
            notes=(self.notes or "").strip().replace("\r\n", "\n") or None,
            status=str(status),
        )


def check_activity(values: ActivityInput, on: dt.date) -> dict[str, str]:
    """Return what is wrong with normalised activity values, keyed by field name."""
    errors: dict[str, str] = {}
    if values.type not in {t.value for t in ActivityType}:
        errors["type"] = _("Unknown activity type: %(value)s", value=values.type[:40])
    if not values.title:
        errors["title"] = _("A title is required.")
    elif len(values.title) > TITLE_MAX:
        errors["title"] = _("At most %(max)s characters.", max=TITLE_MAX)
    if values.end_date and values.end_date < values.date:
        errors["end_date"] = _("The end date is before the start date.")
    errors.update(_visit_errors(values))
    if values.participants is not None and values.participants < 0:
        errors["participants"] = _("The number of participants cannot be negative.")
    elif values.participants is not None and values.participants > PARTICIPANTS_MAX:
        errors["participants"] = _("At most %(max)s.", max=PARTICIPANTS_MAX)
    if values.partner and len(values.partner) > PARTNER_MAX:
        errors["partner"] = _("At most %(max)s characters.", max=PARTNER_MAX)
    if values.notes and len(values.notes) > NOTES_MAX:
        errors["notes"] = _("At most %(max)s characters.", max=NOTES_MAX)
    if values.status not in {s.value for s in ActivityStatus}:
        errors["status"] = _("Unknown status.")
    elif values.status == ActivityStatus.DONE and values.date > on:
        errors["status"] = _("An activity in the future cannot be done yet.")
    return errors


def _visit_errors(values: ActivityInput) -> dict[str, str]:
    if values.type != ActivityType.VISITE:
        if values.visitor:
            return {"visitor": _("The visitor type is only for visits.")}
        return {}
    errors = {}
    if not values.visitor:
        errors["visitor"] = _("Say who visited: local authority, project holder or other.")
    elif values.visitor not in {v.value for v in VisitorType}:
        errors["visitor"] = _("Unknown visitor type: %(value)s", value=values.visitor[:40])
    if not values.member_ids:
        errors["member_ids"] = _("Choose the ressourcerie visited.")
    return errors


def acting_coordinator(user_id: int | None) -> User | None:
    """Return the acting coordinator, or refuse; None means a command run by the administrator."""
    if user_id is None:
        return None
    return active_coordinator(user_id, "Only a coordinator can change the activity log")


def _members(member_ids: Iterable[int]) -> list[Member]:
    ids = sorted(set(member_ids))
    if not ids:
        return []
    members = list(db.session.scalars(select(Member).where(Member.id.in_(ids))))
    if len(members) != len(ids):
        raise InvalidInput("Unknown member", {"member_ids": _("Unknown member ressourcerie.")})
    return members


def natural_key_taken(on: dt.date, type_: str, title: str, *, except_id: int | None = None) -> bool:
    """Tell whether an activity with this date, type and title already exists."""
    query = select(func.count(Activity.id)).where(
        Activity.date == on, Activity.type == type_, Activity.title == title
    )
    if except_id is not None:
        query = query.where(Activity.id != except_id)
    return bool(db.session.scalar(query))


def _validated(values: ActivityInput, except_id: int | None = None) -> ActivityInput:
    clean = values.normalised(today())
    errors = check_activity(clean, today())
    if not errors and natural_key_taken(clean.date, clean.type, clean.title, except_id=except_id):
        errors["title"] = _("An activity of this type with this title exists on this date.")
    if errors:
        raise InvalidInput("The activity has errors", errors)
    return clean


def _apply(activity: Activity, values: ActivityInput) -> None:
    members = _members(values.member_ids)  # query first: nothing half-changed gets autoflushed
    activity.date, activity.end_date = values.date, values.end_date
    activity.type, activity.title = values.type, values.title
    activity.visitor, activity.partner = values.visitor, values.partner
    activity.participants, activity.notes = values.participants, values.notes
    activity.status = values.status or ActivityStatus.DONE.value
    activity.members = members


def _flush_unique() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise InvalidInput(
            "Duplicate activity",
            {"title": _("An activity of this type with this title exists on this date.")},
        ) from exc


def create_activity(values: ActivityInput, *, user_id: int | None) -> Activity:
    """Record a new activity (coordinators only)."""
    user = acting_coordinator(user_id)
    clean = _validated(values)
    activity = Activity(created_by_id=user.id if user else None)
    _apply(activity, clean)
    db.session.add(activity)
    _flush_unique()
    record("activity.created", user_id=user_id, activity_id=activity.id, type=activity.type)
    return activity


def get_activity(activity_id: int) -> Activity:
    """Load an activity or raise NotFound."""
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound("No such activity")
    return activity


def update_activity(activity_id: int, values: ActivityInput, *, user_id: int | None) -> Activity:
    """Change an activity (coordinators only)."""
    acting_coordinator(user_id)
    activity = get_activity(activity_id)
    clean = _validated(values, except_id=activity.id)
    _apply(activity, clean)
    _flush_unique()
    record("activity.updated", user_id=user_id, activity_id=activity.id)
    return activity


def mark_done(activity_id: int, *, user_id: int | None) -> Activity:
    """Mark a planned activity whose date has come as done."""
    acting_coordinator(user_id)
    activity = get_activity(activity_id)
    if activity.date > today():
        raise InvalidInput(
            "Future activity", {"status": _("An activity in the future cannot be done yet.")}
        )
    activity.status = ActivityStatus.DONE.value
    record("activity.done", user_id=user_id, activity_id=activity.id)
    db.session.flush()
    return activity


def delete_activity(activity_id: int, *, user_id: int | None) -> None:
    """Delete an activity (coordinators only); the audit keeps its key."""
    acting_coordinator(user_id)
    activity = get_activity(activity_id)
    record(
        "activity.deleted",
        user_id=user_id,
        activity_id=activity.id,
        date=activity.date.isoformat(),
        type=activity.type,
        title=activity.title,
    )
    db.session.delete(activity)
    db.session.flush()


def _nth_weekday(year: int, month: int, weekday: int) -> dt.date:
    """Return the second given weekday (Monday = 0) of a month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7)


def plan_months(per_year: int, position: int) -> list[int]:
    """Spread `per_year` activities over the year; types later in the plan come later.

    Two a year fall in March and September for the first type, June and December for the second.
    """
    step = 12 / per_year
    return sorted({(int(step * k + step / 2) + 3 * position - 1) % 12 + 1 for k in range(per_year)})


def plan_year(year: int, *, user_id: int | None = None) -> list[Activity]:
    """Create the year's missing activities of the network's yearly plan, as planned."""
    acting_coordinator(user_id)
    if not 2000 <= year <= 2100:
        raise InvalidInput("Invalid year", {"year": _("Give a year between 2000 and 2100.")})
    plan = network_queries.yearly_plan()
    if not plan:
        message = _("The network has no yearly plan yet: set it in the network settings.")
        raise InvalidInput(message, {"plan": message})
    created: list[Activity] = []
    for position, type_ in enumerate(t for t in ActivityType if t.value in plan):
        weekday = PLAN_WEEKDAY.get(type_, DEFAULT_WEEKDAY)
        months = plan_months(plan[type_.value], position)
        existing = _count_in_year(type_, year)
        for number, month in enumerate(months[existing:], start=existing + 1):
            created.append(_planned(type_, year, number, _nth_weekday(year, month, weekday)))
    for activity in created:
        activity.created_by_id = user_id
        db.session.add(activity)
    db.session.flush()
    if created:
        record("activity.year_planned", user_id=user_id, year=year, created=len(created))
    return created


def _count_in_year(type_: ActivityType, year: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Activity.id)).where(
                Activity.type == type_.value,
                Activity.date >= dt.date(year, 1, 1),
                Activity.date <= dt.date(year, 12, 31),
            )
        )
        or 0
    )


def _planned(type_: ActivityType, year: int, number: int, on: dt.date) -> Activity:
    title = _(
        "%(kind)s %(number)s (%(year)s)", kind=str(TYPE_LABELS[type_]), number=number, year=year
    )
    # Planned even when the date has passed: only a person can say it took place.
    return Activity(date=on, type=type_.value, title=title, status=ActivityStatus.PLANNED.value)


def calendar_token(user_id: int) -> CalendarToken:
    """Return the coordinator's calendar token, creating it on first use."""
    acting_coordinator(user_id)
    token = db.session.scalars(
        select(CalendarToken).where(CalendarToken.user_id == user_id)
    ).one_or_none()
    if token is None:
        token = CalendarToken(user_id=user_id, token=new_calendar_token())
        db.session.add(token)
        db.session.flush()
    return token


def regenerate_calendar_token(user_id: int) -> CalendarToken:
    """Replace the coordinator's calendar token: the old feed URL stops working."""
    token = calendar_token(user_id)
    token.token = new_calendar_token()
    record("calendar.token_regenerated", user_id=user_id)
    db.session.flush()
    return token
