"""The national endpoints of the API: the networks, their aggregate figures side by side and
pooled, and the national report, for national staff's tokens only (read-only, bound to no
network). The figures are the national pages': the same queries and services, never a person.
"""

from __future__ import annotations

from flask import Response
from flask_openapi3 import Tag

from accompagnement.access import Role
from accompagnement.api import schemas, serialise
from accompagnement.api.auth import token
from accompagnement.api.views import answer, bp, period, report_answer
from accompagnement.i18n import current_language, label
from accompagnement.national import queries, services
from accompagnement.partners.queries import pick_workflow, workflow_choices
from accompagnement.reports.period import last_full_year

NATIONAL = Tag(name="national")


@bp.get("/national/networks", tags=[NATIONAL], responses={200: schemas.NetworkPage})
@token("read", Role.NATIONAL)
def national_networks(query: schemas.NetworkListQuery) -> Response:
    """List the networks of the instance by name, a page at a time (100 a page)."""
    page, rows = queries.network_page(query.page, schemas.MAX_LIMIT)
    return answer(
        schemas.NetworkPage(
            items=[schemas.Network(id=r.id, name=r.name, short_name=r.short_name) for r in rows],
            pagination=serialise.pagination(page),
        )
    )


@bp.get("/national/pipeline", tags=[NATIONAL], responses={200: schemas.NationalPipeline})
@token("read", Role.NATIONAL)
def national_pipeline(query: schemas.NationalFilters) -> Response:
    """Count one workflow's projects by stage (now, reached, median days) over every network
    pooled and for a page of networks (10 a page), with the observatory figures of a year."""
    workflow = pick_workflow(query.workflow, workflow_choices())
    year = query.year or last_full_year()[0].year
    page, rows = queries.networks_page(workflow, year, query.page)
    return answer(
        schemas.NationalPipeline(
            workflow=workflow,
            year=year,
            national=_figures(queries.national_figures(workflow, year)),
            networks=[
                schemas.NetworkFigures(
                    id=row.id,
                    name=row.name,
                    short_name=row.short_name,
                    figures=_figures(row.figures),
                )
                for row in rows
            ],  # fmt: skip
            pagination=serialise.pagination(page),
        )
    )


def _figures(figures: queries.Figures) -> schemas.Figures:
    return schemas.Figures(
        total=figures.projects,
        stages=[
            schemas.StageFigures(
                stage=s.key,
                label=label(s.label),
                count=s.projects,
                reached=s.reached,
                median_days=s.median_days,
                measured=s.measured,
            )
            for s in figures.stages
        ],  # fmt: skip
        observatory=figures.observatory,
    )


@bp.get("/national/report", tags=[NATIONAL], responses={200: schemas.Report})
@token("read", Role.NATIONAL)
def national_report(query: schemas.PeriodQuery) -> Response:
    """Return the national report of a period: the dictionary of /national/report.json."""
    start, end = period(query)
    return report_answer(services.national_report(start, end, query.lang or current_language()))
