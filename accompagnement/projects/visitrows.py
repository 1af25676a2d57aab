"""The holders' visits stored as rows when their form is submitted, for the log and the report.

Project holders record their visits in their project's `visites` form: a JSON list of items
`{"member": id, "date": "YYYY-MM-DD", ...}`. The rows of `project_visits` are the items of the
newest submitted revision, replaced whenever a newer revision is submitted (a draft changes
nothing), so that a period, a count or a page of the log is an indexed query instead of
expanding every project's JSON. An item becomes a row only when it is an object with a real
ISO day; its member is kept only when the value is a whole number naming an existing member.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, select

from accompagnement.converters import MAX_ID
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.models import FormStatus, FormSubmission, ProjectVisit

VISITS_STAGE = "visites"
VISITS_FIELD = "visits"
ISO_DAY = re.compile("[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
BATCH = 1000
VISITS = cast(Table, ProjectVisit.__table__)
SUBMITTED = (
    FormSubmission.stage == VISITS_STAGE,
    FormSubmission.status == FormStatus.SUBMITTED.value,
)
# (submission id, project id, form data) of a visits form.
Form = tuple[int, int, Any]


def visit_items(data: Any) -> list[tuple[int, dt.date, int | None]]:
    """Return (position, day, member value if whole) of the real visits of a form's data."""
    items = data.get(VISITS_FIELD) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    found = []
    for position, item in enumerate(items):
        day = _day(item.get("date")) if isinstance(item, dict) else None
        if day is None:
            continue
        member = item.get("member")
        whole = isinstance(member, int) and not isinstance(member, bool)
        found.append((position, day, member if whole else None))
    return found


def _day(value: Any) -> dt.date | None:
    """The day of an ISO `YYYY-MM-DD` text, None for another text or an impossible day."""
    if not isinstance(value, str) or ISO_DAY.fullmatch(value) is None:
        return None
    try:
        return dt.date.fromisoformat(value)  # no 30 February, no year 0
    except ValueError:
        return None


def _rows(connection: Connection, forms: Sequence[Form]) -> list[dict[str, Any]]:
    """The `project_visits` rows of some visits forms, members checked in one query."""
    items = [(form, item) for form in forms for item in visit_items(form[2])]
    wanted = {member for _, (_, _, member) in items if member is not None and 0 < member <= MAX_ID}
    known = set(connection.scalars(select(Member.id).where(Member.id.in_(wanted))))
    return [
        {
            "submission_id": submission_id,
            "project_id": project_id,
            "position": position,
            "day": day,
            "member_id": member if member in known else None,
        }
        for (submission_id, project_id, _), (position, day, member) in items
    ]


def refresh_visits(project_id: int) -> None:
    """Replace a project's visit rows by those of its newest submitted visits form (flush only)."""
    db.session.flush()
    newest = (
        select(FormSubmission.id, FormSubmission.project_id, FormSubmission.data)
        .where(FormSubmission.project_id == project_id, *SUBMITTED)
        .order_by(FormSubmission.revision.desc())
        .limit(1)
    )
    forms = [(row[0], row[1], row[2]) for row in db.session.execute(newest)]
    connection = db.session.connection()
    connection.execute(delete(VISITS).where(VISITS.c.project_id == project_id))
    rows = _rows(connection, forms)
    if rows:
        connection.execute(insert(VISITS), rows)


def rebuild_visits(connection: Connection) -> int:
    """Rebuild every project's visit rows from the newest submitted visits forms; count them.

    For the migration that creates the table and for bulk loads that write forms directly. It
    goes over every network (a Core connection: no network scope); each row takes its form's.
    """
    connection.execute(delete(VISITS))
    revisions = select(FormSubmission.project_id, FormSubmission.revision, FormSubmission.id)
    newest: dict[int, tuple[int, int]] = {}  # project id: (revision, submission id)
    for project_id, revision, submission_id in connection.execute(revisions.where(*SUBMITTED)):
        if revision > newest.get(project_id, (0, 0))[0]:
            newest[project_id] = (revision, submission_id)
    ids = sorted(submission_id for _, submission_id in newest.values())
    count = 0
    for start in range(0, len(ids), BATCH):
        forms = connection.execute(
            select(
                FormSubmission.id,
                FormSubmission.project_id,
                FormSubmission.data,
                FormSubmission.network_id,
            ).where(FormSubmission.id.in_(ids[start : start + BATCH]))
        ).all()
        networks = {row[0]: row[3] for row in forms}
        rows = _rows(connection, [(row[0], row[1], row[2]) for row in forms])
        for row in rows:
            row["network_id"] = networks[row["submission_id"]]
        if rows:
            connection.execute(insert(VISITS), rows)
        count += len(rows)
    return count
