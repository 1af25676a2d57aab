"""Pages of the national role: the networks with their aggregate figures, and the national report
(HTML, PDF, DOCX, CSV, JSON) as the sum of the networks' reports. Never a holder's personal data."""

from __future__ import annotations

import json as jsonlib
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import gettext as _

from accompagnement.access import Role, roles
from accompagnement.errors import InvalidInput
from accompagnement.i18n import current_language
from accompagnement.national import queries
from accompagnement.national.services import national_document, national_report
from accompagnement.pagination import page_number
from accompagnement.partners.display import days_text
from accompagnement.partners.queries import pick_workflow, workflow_choices
from accompagnement.reports.document import number
from accompagnement.reports.exports import DOCX_TYPE, chart_svg, render_csv, render_docx, render_pdf
from accompagnement.reports.labels import LANGUAGES, observatory_label
from accompagnement.reports.period import last_full_year, period_from_args
from accompagnement.transaction import refusal

bp = Blueprint("national", __name__, url_prefix="/national")

YEARS_SHOWN = 10  # the observatory years one may choose, back from the last full one


def _years() -> list[int]:
    last = last_full_year()[0].year
    return list(range(last, last - YEARS_SHOWN, -1))


def _year(args: Any) -> int:
    """Read ?year= among the years offered; the last full year otherwise."""
    raw = args.get("year", "")
    years = _years()
    wanted = int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else None
    return wanted if wanted in years else years[0]


def _lang() -> str:
    chosen = request.args.get("lang", "")
    return chosen if chosen in LANGUAGES else current_language()


@bp.route("/")
@roles(Role.NATIONAL)
def index() -> str:
    """List the networks with their pipeline, funnel, median times and observatory figures."""
    choices = workflow_choices()
    workflow = pick_workflow(request.args.get("workflow"), choices)
    year = _year(request.args)
    page, networks = queries.networks_page(workflow, year, page_number(request.args))
    return render_template(
        "national/index.html", networks=networks, page=page, year=year, years=_years(),
        workflow=workflow, workflows=choices, national=queries.national_figures(workflow, year),
        days_text=days_text, observatory_label=observatory_label, lang=current_language(),
    )  # fmt: skip


def _filename(start: date, end: date, extension: str) -> str:
    return f"rapport-national-{start.isoformat()}-{end.isoformat()}.{extension}"


def _attachment(body: str | bytes, mimetype: str, filename: str) -> Response:
    disposition = {"Content-Disposition": f"attachment; filename={filename}"}
    return Response(body, mimetype=mimetype, headers=disposition)


@bp.route("/report")
@roles(Role.NATIONAL)
def report() -> tuple[str, int]:
    """Show the national report of a period (the last full year by default)."""
    default_from, default_to = last_full_year()
    values = {
        "from": request.args.get("from", default_from.isoformat())[:20],
        "to": request.args.get("to", default_to.isoformat())[:20],
    }
    lang, doc, errors = _lang(), None, {}
    with refusal(InvalidInput) as refused:
        start, end = period_from_args(values)
        doc = national_document(start, end, lang)
    if refused:
        errors = refused.error.errors
    fields = [("from", _("From"), values["from"]), ("to", _("To"), values["to"])]
    return render_template(
        "national/report.html", doc=doc, errors=errors, fields=fields, lang=lang,
        query={**values, "lang": lang}, number=number, chart_svg=chart_svg,
    ), (400 if errors else 200)  # fmt: skip


@bp.route("/report.pdf")
@roles(Role.NATIONAL)
def report_pdf() -> Response:
    """Download the national report of a period as a PDF."""
    start, end = period_from_args(request.args)
    body = render_pdf(national_document(start, end, _lang()))
    return _attachment(body, "application/pdf", _filename(start, end, "pdf"))


@bp.route("/report.docx")
@roles(Role.NATIONAL)
def report_docx() -> Response:
    """Download the national report of a period as an editable DOCX (LibreOffice, Word)."""
    start, end = period_from_args(request.args)
    body = render_docx(national_document(start, end, _lang()))
    return _attachment(body, DOCX_TYPE, _filename(start, end, "docx"))


@bp.route("/report.csv")
@roles(Role.NATIONAL)
def report_csv() -> Response:
    """Download the figures of the national report of a period as CSV."""
    start, end = period_from_args(request.args)
    body = render_csv(national_document(start, end, _lang()))
    # The BOM makes spreadsheets read UTF-8 (accents) correctly.
    return _attachment("\ufeff" + body, "text/csv", _filename(start, end, "csv"))


@bp.route("/report.json")
@roles(Role.NATIONAL)
def report_json() -> Response | tuple[Response, int]:
    """Return the figures of the national report of a period as JSON."""
    with refusal(InvalidInput) as refused:
        start, end = period_from_args(request.args)
        figures = national_report(start, end, _lang())
    if refused:
        return jsonify({"errors": refused.error.errors}), 400
    return Response(jsonlib.dumps(figures, ensure_ascii=False), mimetype="application/json")
