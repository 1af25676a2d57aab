"""The API's blueprint `bp` (/api/v1) and its read endpoints; the writes are in `writes.py`.

Views are thin as on the web: validate (flask-openapi3, from the pydantic models), check the
token's scope and role (`@token`), call the same queries and services as the pages, answer JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Response, jsonify, render_template, request
from flask_limiter import RateLimitExceeded
from flask_openapi3 import APIBlueprint, Tag
from werkzeug.exceptions import HTTPException

from accompagnement.access import Role, public
from accompagnement.api import problems, queries, schemas, serialise
from accompagnement.api.auth import authenticate, caller, log_use, token
from accompagnement.api.document import openapi_document
from accompagnement.auth.queries import partner_scope
from accompagnement.db import utcnow
from accompagnement.errors import DomainError
from accompagnement.i18n import current_language, label
from accompagnement.partners import queries as partner_queries
from accompagnement.reports.period import period_from_args
from accompagnement.reports.services import build_report, departements_to_report

bp = APIBlueprint("api", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}])

READERS = (Role.COORDINATOR, Role.PARTNER, Role.HOLDER)
PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.docs"})
PROJECTS = Tag(name="projects")
FIGURES = Tag(name="figures")


@bp.before_request
def _authenticate() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return authenticate()


@bp.after_request
def _conditional(response: Response) -> Response:
    """Give every JSON answer to a GET an ETag, and answer 304 when the client has it."""
    if request.method in ("GET", "HEAD") and response.status_code == 200 and response.is_json:
        response.add_etag()
        response.make_conditional(request)
    return log_use(response)


bp.register_error_handler(DomainError, problems.from_domain)
bp.register_error_handler(HTTPException, problems.from_http)
bp.register_error_handler(RateLimitExceeded, problems.too_many)


@bp.get("/openapi.json", doc_ui=False)
@public
def openapi() -> Response:
    """Return the OpenAPI 3.1 document of the API."""
    return jsonify(openapi_document(bp))


@bp.get("/docs", doc_ui=False)
@public
def docs() -> str:
    """Show the API's documentation page (Redoc, served from this site)."""
    return render_template("api/docs.html")


def answer(model: Any, status: int = 200) -> Response:
    """Return a model (or a list of models) as JSON."""
    response = jsonify(model.model_dump(mode="json", by_alias=True))
    response.status_code = status
    return response


@bp.get("/projects", tags=[PROJECTS], responses={200: schemas.ProjectPage})
@token("read", *READERS)
def list_projects(query: schemas.ProjectFilters) -> Response:
    """List the projects the token's person may see, a page at a time (at most 100)."""
    page, rows = queries.project_page(caller(), query)
    now = utcnow()
    return answer(
        schemas.ProjectPage(
            items=[serialise.project(row, now) for row in rows],
            pagination=serialise.pagination(page),
        )
    )


@bp.get("/projects/<int:project_id>", tags=[PROJECTS], responses={200: schemas.ProjectDetail})
@token("read", *READERS)
def project(path: schemas.ProjectPath) -> Response:
    """Show one project and the moves of its history (never who made them, nor why)."""
    return answer(project_detail(path.project_id))


def project_detail(project_id: int) -> schemas.ProjectDetail:
    """Return a project the caller may see, with its history."""
    row = queries.project_row(caller(), project_id)
    shown = serialise.project(row, utcnow())
    return schemas.ProjectDetail(
        **shown.model_dump(), history=serialise.moves(queries.moves(project_id))
    )


@bp.get("/pipeline", tags=[FIGURES], responses={200: schemas.Pipeline})
@token("read", Role.COORDINATOR, Role.PARTNER)
def pipeline(query: schemas.PipelineFilters) -> Response:
    """Count the projects of one workflow by stage and by département (the partners' figures)."""
    board = partner_queries.dashboard(
        caller(), query.workflow, query.departement, per_page=1, figures=False
    )
    return answer(
        schemas.Pipeline(
            workflow=board.workflow_name,
            total=board.total,
            stages=[
                schemas.StageCount(stage=s.stage, label=label(s.label), count=s.count)
                for s in board.by_stage
            ],
            departements=[
                schemas.DepartementCount(departement=code, name=name, count=n)
                for code, name, n in board.by_departement
            ],
        )
    )


@bp.get("/report", tags=[FIGURES], responses={200: schemas.Report})
@token("read", Role.COORDINATOR, Role.PARTNER)
def report(query: schemas.ReportQuery) -> Response:
    """Return the steering committee report of a period: the dictionary of /reports/report.json."""
    start, end = period(query)
    cut = departements_to_report(partner_scope(caller()), query.departement or "")
    return report_answer(build_report(start, end, cut, query.lang or current_language()))


def period(query: schemas.PeriodQuery) -> tuple[dt.date, dt.date]:
    """Read a report's period as the web reads it (422 with its messages when wrong)."""
    given = {"from": query.from_ or "", "to": query.to or ""}
    return period_from_args({key: text for key, text in given.items() if text})


def report_answer(report: dict[str, Any]) -> Response:
    """Answer a report's dictionary, its keys in the documented order (jsonify would sort them)."""
    return Response(json.dumps(report, ensure_ascii=False), mimetype="application/json")
