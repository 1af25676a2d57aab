"""The lines of projects' funding plans stored as rows when their form is submitted.

A project's funding plan is the `funding_lines` group of its feasibility study form: a JSON list
of items `{"funder": name, "kind": key, "amount": "25000", "status": key, "requested_on",
"decided_on"}` (version 1 of the pathway has no kind and no dates). The rows of
`project_funding_lines` are the lines of the newest submitted revision, replaced whenever a
newer one is submitted, so that the report's "funding obtained in a period, by funder and kind"
is one grouped query. A line falls on its decision day, else on the day its form was submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select

from accompagnement.extensions import db
from accompagnement.projects.models import FormStatus, FormSubmission, Project, ProjectFunding
from accompagnement.territory.models import Commune

FUNDING_STAGE = "etude_faisabilite"
FUNDING_FIELD = "funding_lines"
OBTAINED = ("accorde", "verse")  # granted or paid: the funding was obtained
MAX_AMOUNT = Decimal("999999999999.99")
LINES = cast(Table, ProjectFunding.__table__)
# (submission id, project id, submitted at, form data) of a feasibility study form.
Form = tuple[int, int, dt.datetime, Any]


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and 0 <= amount <= MAX_AMOUNT else None


def _text(value: Any, limit: int) -> str | None:
    return (value.strip()[:limit] or None) if isinstance(value, str) else None


def funding_rows(form: Form) -> list[dict[str, Any]]:
    """Return the rows of the real lines of a form: a funder, an amount and a status."""
    submission_id, project_id, at, data = form
    items = data.get(FUNDING_FIELD) if isinstance(data, dict) else None
    rows = []
    for position, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        funder, status = _text(item.get("funder"), 200), _text(item.get("status"), 40)
        amount = _amount(item.get("amount"))
        if funder is None or status is None or amount is None:
            continue
        decided = _day(item.get("decided_on"))
        rows.append({
            "submission_id": submission_id, "project_id": project_id, "position": position,
            "funder": funder, "kind": _text(item.get("kind"), 40), "status": status,
            "amount": amount, "requested_on": _day(item.get("requested_on")),
            "decided_on": decided, "day": decided or at.date(),
        })  # fmt: skip
    return rows


def refresh_funding(project_id: int) -> None:
    """Replace a project's funding rows by those of its newest submitted study (flush only)."""
    db.session.flush()
    newest = (
        select(FormSubmission.id, FormSubmission.project_id, FormSubmission.created_at,
               FormSubmission.data)
        .where(FormSubmission.project_id == project_id, FormSubmission.stage == FUNDING_STAGE,
               FormSubmission.status == FormStatus.SUBMITTED.value)
        .order_by(FormSubmission.revision.desc())
        .limit(1)
    )  # fmt: skip
    forms: Sequence[Form] = [(r[0], r[1], r[2], r[3]) for r in db.session.execute(newest)]
    connection = db.session.connection()
    connection.execute(delete(LINES).where(LINES.c.project_id == project_id))
    rows = [row for form in forms for row in funding_rows(form)]
    if rows:
        connection.execute(insert(LINES), rows)


def obtained(
    start: dt.date, end: dt.date, departements: Sequence[str] | None = None
) -> list[tuple[str, str | None, Decimal]]:
    """Return (funder, kind, amount) of the funding projects obtained in a period, grouped;
    with `departements`, of the projects whose commune is in one of them."""
    query = (
        select(ProjectFunding.funder, ProjectFunding.kind, func.sum(ProjectFunding.amount))
        .where(ProjectFunding.day >= start, ProjectFunding.day <= end,
               ProjectFunding.status.in_(OBTAINED))
        .group_by(ProjectFunding.funder, ProjectFunding.kind)
    )  # fmt: skip
    if departements is not None:
        query = (
            query.join(Project, Project.id == ProjectFunding.project_id)
            .join(Commune, Commune.insee == Project.commune_insee)
            .where(Commune.departement_code.in_(list(departements)))
        )
    rows = db.session.execute(query)
    return [(funder, kind, Decimal(amount)) for funder, kind, amount in rows]


def _json(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def obtained_summary(
    start: dt.date, end: dt.date, departements: Sequence[str] | None = None
) -> dict[str, Any]:
    """The funding projects obtained in a period, JSON-ready: by funder and kind, by kind, total.

    A line without a kind (written before kinds existed) counts under "unspecified".
    """
    lines = obtained(start, end, departements)
    by_kind: dict[str, Decimal] = {}
    for _funder, kind, amount in lines:
        by_kind[kind or "unspecified"] = by_kind.get(kind or "unspecified", Decimal(0)) + amount
    return {
        "lines": [
            {"funder": funder, "kind": kind or "unspecified", "amount": _json(amount)}
            for funder, kind, amount in sorted(lines, key=lambda r: (r[0].casefold(), r[1] or ""))
        ],
        "by_kind": {kind: _json(amount) for kind, amount in sorted(by_kind.items())},
        "total": _json(sum(by_kind.values(), Decimal(0))),
    }
