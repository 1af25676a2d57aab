"""Pages of the steering committee report: HTML (prints well), PDF, CSV and JSON."""

from __future__ import annotations

import json as jsonlib
from datetime import date

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import gettext as _

from accompagnement.access import Role, roles
from accompagnement.errors import InvalidInput
from accompagnement.i18n import current_language
from accompagnement.reports.document import layout, number
from accompagnement.reports.exports import render_csv, render_pdf
from accompagnement.reports.labels import LANGUAGES
from accompagnement.reports.period import last_full_year, period_from_args
from accompagnement.reports.services import build_report
from accompagnement.transaction import refusal

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _lang() -> str:
    chosen = request.args.get("lang", "")
    return chosen if chosen in LANGUAGES else current_language()


def _filename(start: date, end: date, extension: str) -> str:
    return f"rapport-{start.isoformat()}-{end.isoformat()}.{extension}"


def _attachment(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


@bp.route("/")
@roles(Role.COORDINATOR, Role.PARTNER)
def index() -> tuple[str, int]:
    """Show the report of a period (the last full year by default), ready to print."""
    default_from, default_to = last_full_year()
    values = {
        "from": request.args.get("from", default_from.isoformat())[:20],
        "to": request.args.get("to", default_to.isoformat())[:20],
    }
    lang, doc, errors = _lang(), None, {}
    with refusal(InvalidInput) as refused:
        start, end = period_from_args(values)
    if refused:
        errors = refused.error.errors
    else:
        doc = layout(build_report(start, end), lang)
    fields = [("from", _("From"), values["from"]), ("to", _("To"), values["to"])]
    query = {**values, "lang": lang}
    return render_template(
        "reports/index.html", doc=doc, errors=errors, fields=fields, lang=lang, query=query,
        number=number,
    ), (400 if errors else 200)  # fmt: skip


@bp.route("/report.pdf")
@roles(Role.COORDINATOR, Role.PARTNER)
def pdf() -> Response:
    """Download the report of a period as a PDF."""
    start, end = period_from_args(request.args)
    body = render_pdf(layout(build_report(start, end), _lang()))
    return _attachment(body, "application/pdf", _filename(start, end, "pdf"))


@bp.route("/report.csv")
@roles(Role.COORDINATOR, Role.PARTNER)
def csv() -> Response:
    """Download the figures of the report of a period as CSV."""
    start, end = period_from_args(request.args)
    body = render_csv(layout(build_report(start, end), _lang()))
    # The BOM makes spreadsheets read UTF-8 (accents) correctly.
    return _attachment("\ufeff" + body, "text/csv", _filename(start, end, "csv"))


@bp.route("/report.json")
@roles(Role.COORDINATOR, Role.PARTNER)
def json() -> Response | tuple[Response, int]:
    """Return the figures of the report of a period as JSON."""
    with refusal(InvalidInput) as refused:
        start, end = period_from_args(request.args)
    if refused:
        return jsonify({"errors": refused.error.errors}), 400
    # Keys in the documented order (activity types, then stages along the pathway).
    body = jsonlib.dumps(build_report(start, end), ensure_ascii=False)
    return Response(body, mimetype="application/json")
