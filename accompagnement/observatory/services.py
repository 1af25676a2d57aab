"""Use cases of the observatory: fill in or correct a member's yearly report.

A member ressourcerie's own account fills in its own reports only (another member's is "not
found"); a coordinator fills in or corrects any. Functions flush; the caller commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from accompagnement.access import Role
from accompagnement.audit.services import record
from accompagnement.auth.models import User
from accompagnement.db import utcnow
from accompagnement.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.indicators import KEYS
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.validation import BadNumber, BadReport, clean, parse_year

Outcome = Literal["created", "updated", "unchanged"]


def acting_user(user_id: int | None) -> User | None:
    """Return the active user acting (None for a command run by the administrator)."""
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise Forbidden("Unknown or inactive user")
    return user


def editable_member(user: User, member_id: int) -> Member:
    """Return the member whose reports this user may fill in, or raise NotFound."""
    allowed = user.role == Role.COORDINATOR or (
        user.role == Role.MEMBER and user.member_id == member_id
    )
    member = db.session.get(Member, member_id) if allowed else None
    if member is None:
        raise NotFound("No such member ressourcerie")
    return member


def checked_year(year: Any, today: date | None = None) -> int:
    """Return a plausible report year, or raise InvalidInput with a message for the field."""
    try:
        return parse_year(year, today)
    except BadNumber as exc:
        raise InvalidInput(str(exc), {"year": str(exc)}) from exc


def find_report(member_id: int, year: int) -> ObservatoryReport | None:
    """Return the report of a member for a year, if there is one."""
    return db.session.scalars(
        select(ObservatoryReport).where(
            ObservatoryReport.member_id == member_id, ObservatoryReport.year == year
        )
    ).one_or_none()


def save_report(
    member_id: int,
    year: Any,
    raw: Mapping[str, Any],
    *,
    user_id: int,
    base_revision: int | None,
) -> ObservatoryReport:
    """Save the whole report of a member for a year, refusing an edit of a stale revision."""
    user = acting_user(user_id)
    assert user is not None
    member = editable_member(user, member_id)
    year = checked_year(year)
    report = find_report(member.id, year)
    current = report.revision if report else 0
    if (base_revision or 0) != current:
        raise _stale(report)
    try:
        values = clean({key: raw.get(key) for key in KEYS})
    except BadReport as exc:
        raise InvalidInput("The report has errors", exc.errors) from exc
    report, _outcome = write_report(member.id, year, values, report=report, user_id=user.id)
    return report


def write_report(
    member_id: int,
    year: int,
    values: Mapping[str, Any],
    *,
    report: ObservatoryReport | None,
    user_id: int | None,
) -> tuple[ObservatoryReport, Outcome]:
    """Create or update a report with checked values; identical values change nothing."""
    if report is None:
        return _create(member_id, year, values, user_id), "created"
    if all(_same(getattr(report, key), value) for key, value in values.items()):
        return report, "unchanged"
    for key, value in values.items():
        setattr(report, key, value)
    report.updated_by_id, report.updated_at = user_id, utcnow()
    try:
        db.session.flush()
    except StaleDataError as exc:
        # A concurrent save won; the session must be rolled back by the caller.
        raise StaleEdit(_("Someone else saved this report since you opened it."), 0) from exc
    _audit("observatory.report_updated", report, user_id)
    return report, "updated"


def _create(
    member_id: int, year: int, values: Mapping[str, Any], user_id: int | None
) -> ObservatoryReport:
    report = ObservatoryReport(
        member_id=member_id, year=year, created_by_id=user_id, updated_by_id=user_id, **values
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError as exc:
        # Someone created the same member+year report since the form was opened.
        raise _stale(find_report(member_id, year)) from exc
    _audit("observatory.report_created", report, user_id)
    return report


def _same(stored: Any, new: Any) -> bool:
    if stored is None or new is None:
        return stored is None and new is None
    return bool(stored == new)


def _audit(action: str, report: ObservatoryReport, user_id: int | None) -> None:
    record(
        action,
        user_id=user_id,
        member_id=report.member_id,
        year=report.year,
        revision=report.revision,
    )


def _stale(report: ObservatoryReport | None) -> StaleEdit:
    author = report.updated_by.name if report and report.updated_by else None
    return StaleEdit(
        _("Someone else saved this report since you opened it."),
        report.revision if report else 0,
        author,
    )
