"""The network's records through the API: activities, member ressourceries, observatory reports.

Lists are read a page at a time; creations go through the services of the web pages, with their
checks and messages, and commit once (`@commits`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response
from flask_openapi3 import Tag

from accompagnement.access import Role
from accompagnement.activities import services as activities
from accompagnement.api import queries, schemas, serialise
from accompagnement.api.auth import caller, token
from accompagnement.api.views import answer, bp
from accompagnement.members import queries as member_queries
from accompagnement.members import services as members
from accompagnement.members.validation import FUNCTIONS, MemberInput
from accompagnement.observatory import services as observatory
from accompagnement.observatory.indicators import KEYS
from accompagnement.transaction import commits

NETWORK = Tag(name="network")
DIRECTORY_READERS = (Role.COORDINATOR, Role.PARTNER)


def _activity(activity: Any) -> schemas.Activity:
    return schemas.Activity(
        id=activity.id,
        date=activity.date,
        end_date=activity.end_date,
        type=activity.type,
        title=activity.title,
        status=activity.status,
        member_ids=[m.id for m in activity.members],
    )


@bp.get("/activities", tags=[NETWORK], responses={200: schemas.ActivityPage})
@token("read", Role.COORDINATOR)
def list_activities(query: schemas.PageQuery) -> Response:
    """List the network's activities, newest first (coordinators, as the activity log)."""
    page, rows = queries.activity_page(query.page)
    return answer(
        schemas.ActivityPage(
            items=[_activity(a) for a in rows], pagination=serialise.pagination(page)
        )
    )


@bp.post("/activities", tags=[NETWORK], responses={201: schemas.Activity})
@token("write", Role.COORDINATOR)
@commits
def create_activity(body: schemas.ActivityIn) -> Response:
    """Record an activity, checked as the activity form checks it."""
    values = activities.ActivityInput(**body.model_dump())
    return answer(_activity(activities.create_activity(values, user_id=caller().id)), 201)


def _member(member: Any) -> schemas.Member:
    return schemas.Member(
        id=member.id,
        name=member.name,
        commune=member.commune.name if member.commune else None,
        departement=member.departement_code,
        status=member.status,
    )


@bp.get("/members", tags=[NETWORK], responses={200: schemas.MemberPage})
@token("read", *DIRECTORY_READERS)
def list_members(query: schemas.PageQuery) -> Response:
    """List the member ressourceries the person may see: public fields, no contact details."""
    rows, page = member_queries.list_members(caller(), member_queries.Filters(), query.page)
    return answer(
        schemas.MemberPage(items=[_member(m) for m in rows], pagination=serialise.pagination(page))
    )


@bp.post("/members", tags=[NETWORK], responses={201: schemas.Member})
@token("write", Role.COORDINATOR)
@commits
def create_member(body: schemas.MemberIn) -> Response:
    """Add a member ressourcerie, checked as the member form checks it."""
    values = body.model_dump(exclude={"functions"})
    functions = frozenset(body.functions) if body.functions is not None else frozenset(FUNCTIONS)
    member = members.create_member(MemberInput(**values, functions=functions), user_id=caller().id)
    return answer(_member(member), 201)


def _report(report: Any) -> schemas.ObservatoryReport:
    figures = {key: getattr(report, key) for key in KEYS}
    return schemas.ObservatoryReport(
        id=report.id,
        member_id=report.member_id,
        member=report.member.name,
        year=report.year,
        revision=report.revision,
        figures={k: float(v) if isinstance(v, Decimal) else v for k, v in figures.items()},
    )


@bp.get("/observatory/reports", tags=[NETWORK], responses={200: schemas.ObservatoryPage})
@token("read", *DIRECTORY_READERS)
def list_reports(query: schemas.ObservatoryFilters) -> Response:
    """List the members' yearly reports the person may see, newest year first."""
    page, rows = queries.observatory_page(caller(), query.page, query.year)
    return answer(
        schemas.ObservatoryPage(
            items=[_report(r) for r in rows], pagination=serialise.pagination(page)
        )
    )


@bp.post("/observatory/reports", tags=[NETWORK], responses={201: schemas.ObservatoryReport})
@token("write", Role.COORDINATOR)
@commits
def save_report(body: schemas.ObservatoryIn) -> Response:
    """Save a member's whole report of a year, checked as the report form checks it."""
    report = observatory.save_report(
        body.member_id,
        body.year,
        body.figures,
        user_id=caller().id,
        base_revision=body.base_revision,
    )
    return answer(_report(report), 201)
