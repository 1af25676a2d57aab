"""Record, change and remove the coordination's exchanges with a project (coordinators only).

Services take plain values and flush; the view commits. A change names the revision it was made
on: an exchange changed by someone else meanwhile is refused rather than overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.auth.services import active_coordinator
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput, StaleEdit
from accompagnement.extensions import db
from accompagnement.meetings import queries
from accompagnement.meetings.models import KINDS, MAX_MINUTES, Exchange
from accompagnement.notifications import services as notices
from accompagnement.projects import queries as project_queries


@dataclass(frozen=True)
class ExchangeInput:
    """An exchange as the coordinator gave it; `at` in naive UTC (views convert the local time)."""

    at: dt.datetime
    kind: str
    minutes: int
    participants: str = ""
    notes: str = ""
    next_steps: str = ""


def _check(values: ExchangeInput) -> None:
    errors = {}
    if values.kind not in KINDS:
        errors["kind"] = _("Choose a kind of exchange.")
    if not 0 <= values.minutes <= MAX_MINUTES:
        errors["minutes"] = _("A duration from 0 to %(max)s minutes.", max=MAX_MINUTES)
    if len(values.participants) > 500:
        errors["participants"] = _("500 characters at most.")
    if errors:
        raise InvalidInput(_("The exchange could not be saved."), errors)


def record_exchange(project_id: int, values: ExchangeInput, *, user_id: int) -> Exchange:
    """Add an exchange to a project the coordinator can see, at the project's current stage."""
    user = active_coordinator(user_id, "Only a coordinator records exchanges")
    project = project_queries.get_visible_project(user, project_id)
    _check(values)
    exchange = Exchange(
        project_id=project.id,
        stage=project.state,
        kind=values.kind,
        at=values.at,
        minutes=values.minutes,
        participants=values.participants.strip(),
        notes=values.notes.strip(),
        next_steps=values.next_steps.strip(),
        coordinator_id=user.id,
    )
    db.session.add(exchange)
    db.session.flush()
    record("exchange.recorded", user_id=user.id, project_id=project.id, exchange=exchange.id)
    if exchange.at > utcnow():  # planned: the holders hear of it (in their language)
        notices.meeting_planned(project, user, exchange.at)
    return exchange


def _exchange(project_id: int, exchange_id: int, user: User) -> Exchange:
    project = project_queries.get_visible_project(user, project_id)
    return queries.get_of_project(project.id, exchange_id)


def change_exchange(
    project_id: int, exchange_id: int, values: ExchangeInput, *, revision: int, user_id: int
) -> Exchange:
    """Change an exchange, unless someone changed it since `revision` was read."""
    user = active_coordinator(user_id, "Only a coordinator records exchanges")
    exchange = _exchange(project_id, exchange_id, user)
    _check(values)
    if exchange.revision != revision:
        raise StaleEdit(_("Someone changed this exchange meanwhile."), exchange.revision)
    exchange.kind, exchange.at, exchange.minutes = values.kind, values.at, values.minutes
    exchange.participants = values.participants.strip()
    exchange.notes, exchange.next_steps = values.notes.strip(), values.next_steps.strip()
    try:
        db.session.flush()
    except StaleDataError as exc:  # changed between our read and our write
        raise StaleEdit(_("Someone changed this exchange meanwhile."), revision + 1) from exc
    record("exchange.changed", user_id=user.id, project_id=project_id, exchange=exchange.id)
    return exchange


def remove_exchange(project_id: int, exchange_id: int, *, user_id: int) -> None:
    """Remove an exchange recorded by mistake."""
    user = active_coordinator(user_id, "Only a coordinator records exchanges")
    exchange = _exchange(project_id, exchange_id, user)
    db.session.delete(exchange)
    db.session.flush()
    record("exchange.removed", user_id=user.id, project_id=project_id, exchange=exchange_id)
