"""Visits of ressourceries read by the database: the activity log's and the projects' forms.

Project holders record their visits in their project's `visites` form: a JSON list of items
`{"member": id, "date": "YYYY-MM-DD", ...}` in the newest submitted revision. The database
expands those lists (SQLite `json_each`, PostgreSQL `json_array_elements`) so that a period,
a count or one page of the log never decodes every project's form in Python. The stage form
engine stores dates as ISO `YYYY-MM-DD` text, so comparing the text compares the dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal_column,
    select,
    true,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement

from accompagnement.activities.models import Activity, ActivityStatus, ActivityType
from accompagnement.activities.models import activity_members as links
from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.models import FormStatus, FormSubmission

VISITS_STAGE = "visites"
VISITS_FIELD = "visits"
VISITORS = ("collectivite", "porteur_projet", "autre")
ISO_DAY = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
# The expanded items: (table-valued function, date, member id, validity, position).
Items = tuple[Any, ColumnElement[Any], ColumnElement[Any], ColumnElement[bool], ColumnElement[Any]]


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _newest_submitted() -> Subquery:
    """The newest submitted revision of every project's visits form."""
    return (
        select(FormSubmission.project_id, func.max(FormSubmission.revision).label("revision"))
        .where(
            FormSubmission.stage == VISITS_STAGE,
            FormSubmission.status == FormStatus.SUBMITTED.value,
        )
        .group_by(FormSubmission.project_id)
        .subquery()
    )


def _items_sqlite() -> Items:
    each = func.json_each(FormSubmission.data, f"$.{VISITS_FIELD}").table_valued(
        "value", "type", "key"
    )
    # Only an object of the list is parsed: json_extract() fails on a plain string item, and
    # SQL does not promise the order in which it evaluates the terms of a WHERE.
    is_item = and_(
        func.json_type(FormSubmission.data, f"$.{VISITS_FIELD}") == "array",
        each.c.type == "object",
    )
    on = case((is_item, func.json_extract(each.c.value, "$.date")))
    whole = func.json_type(each.c.value, "$.member") == "integer"
    member = case((is_item, case((whole, func.json_extract(each.c.value, "$.member")))))
    valid = and_(
        on.is_not(None),
        # With a modifier, SQLite's date() rewrites an impossible day (30 February): it differs.
        func.date(on, "+0 days") == on,
        func.substr(on, 1, 4) != "0000",
    )
    return each, on, member, valid, each.c.key


def _items_postgresql() -> Items:
    visits = FormSubmission.data.op("->")(VISITS_FIELD)
    array = case((func.json_typeof(visits) == "array", visits), else_=literal_column("'[]'::json"))
    each = (
        func.json_array_elements(array)
        .table_valued("value", with_ordinality="position")
        .render_derived()
    )
    on = each.c.value.op("->>")("date")
    raw_member = each.c.value.op("->>")("member")
    member = case(
        (and_(func.json_typeof(each.c.value.op("->")("member")) == "number",
              raw_member.op("~")("^[0-9]{1,9}$")), cast(raw_member, Integer)),
    )  # fmt: skip
    valid = and_(func.json_typeof(each.c.value) == "object", _real_date(on))
    return each, on, member, valid, each.c.position  # type: ignore[return-value]


def _real_date(on: ColumnElement[Any]) -> ColumnElement[bool]:
    """Tell, on PostgreSQL, whether a text is a real ISO day (no 30 February), without error.

    The CASE makes sure the day is built only from a text of the right shape.
    """
    shape = and_(on.op("~")(ISO_DAY), func.substr(on, 1, 4) != "0000")  # no year 0

    def part(start: int, length: int) -> ColumnElement[int]:
        return cast(func.substr(on, start, length), Integer)

    first = func.make_date(part(1, 4), part(6, 2), 1)
    same = func.to_char(first + (part(9, 2) - 1), "YYYY-MM-DD") == on
    return case((shape, same), else_=False)


def project_visits_query(
    start: dt.date | None, end: dt.date | None, include_planned: bool, member_id: int | None = None
) -> Subquery:
    """Return the project holders' visits in a period, one row per visit.

    Columns: project_id, on (ISO text), member_id (None when the member does not exist),
    member_name, position (the item's place in its form). Visits after today count only with
    `include_planned`.
    """
    newest = _newest_submitted()
    each, on, member, valid, position = _items_postgresql() if _postgresql() else _items_sqlite()
    query = (
        select(
            FormSubmission.project_id.label("project_id"),
            on.label("on"),
            Member.id.label("member_id"),
            Member.name.label("member_name"),
            cast(position, Integer).label("position"),
        )
        .select_from(FormSubmission)
        .join(
            newest,
            and_(
                FormSubmission.project_id == newest.c.project_id,
                FormSubmission.revision == newest.c.revision,
                FormSubmission.stage == VISITS_STAGE,
            ),
        )
        .join(each, true())
        .outerjoin(Member, Member.id == member)
    )
    # The period first: it leaves out most items before the dearer check of the day.
    if start is not None:
        query = query.where(on >= start.isoformat())
    if end is not None:
        query = query.where(on <= end.isoformat())
    if not include_planned:
        query = query.where(on <= today().isoformat())
    if member_id is not None:
        query = query.where(Member.id == member_id)
    return query.where(valid).subquery("project_visits")


def _activity_visit_filter(start: dt.date | None, end: dt.date | None) -> list[Any]:
    conditions: list[Any] = [
        Activity.type == ActivityType.VISITE.value,
        Activity.status == ActivityStatus.DONE.value,
    ]
    if start is not None:
        conditions.append(Activity.date >= start)
    if end is not None:
        conditions.append(Activity.date <= end)
    return conditions


def visit_summary(start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """Count the done visits of a period by visitor, and the distinct ressourceries visited.

    An activity visiting two ressourceries counts twice; a project visit once. Two grouped
    queries (a few hundred rows at most), whatever the size of the log.
    """
    by_visitor = dict.fromkeys(VISITORS, 0)
    visited: set[int | None] = set()
    activity_rows = db.session.execute(
        select(Activity.visitor, links.c.member_id, func.count())
        .select_from(Activity)
        .outerjoin(links, links.c.activity_id == Activity.id)
        .where(*_activity_visit_filter(start, end))
        .group_by(Activity.visitor, links.c.member_id)
    )
    for visitor, member_id, count in activity_rows:
        by_visitor[visitor if visitor in by_visitor else "autre"] += count
        visited.add(member_id)
    projects = project_visits_query(start, end, include_planned=False)
    project_rows = db.session.execute(
        select(projects.c.member_id, func.count()).group_by(projects.c.member_id)
    )
    for member_id, count in project_rows:
        by_visitor["porteur_projet"] += count
        visited.add(member_id)
    visited.discard(None)
    return {
        "total": sum(by_visitor.values()),
        "by_visitor": by_visitor,
        "ressourceries": len(visited),
    }


def activity_visit_rows(
    start: dt.date | None, end: dt.date | None, include_planned: bool
) -> list[tuple[Any, ...]]:
    """Return (activity id, date, visitor, member id, member name) of the visits in a period."""
    conditions = _activity_visit_filter(start, end)
    if include_planned:
        conditions = conditions[:1] + conditions[2:]
    return [
        tuple(row)
        for row in db.session.execute(
            select(Activity.id, Activity.date, Activity.visitor, Member.id, Member.name)
            .select_from(Activity)
            .outerjoin(links, links.c.activity_id == Activity.id)
            .outerjoin(Member, Member.id == links.c.member_id)
            .where(*conditions)
        )
    ]


def text_date(column: Any) -> ColumnElement[str]:
    """Return a date column as ISO text, to sort and merge it with the forms' dates."""
    # SQLite stores dates as that text already: only the Python-side type changes.
    return cast(column, String(10)) if _postgresql() else type_coerce(column, String(10))
