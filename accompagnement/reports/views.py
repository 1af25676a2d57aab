"""Pages of the steering committee report: HTML (prints well), PDF, CSV and JSON."""

from __future__ import annotations

import json as jsonlib
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from accompagnement.access import Role, roles
from accompagnement.auth.queries import partner_scope
from accompagnement.errors import InvalidInput
from accompagnement.i18n import current_language
from accompagnement.network import queries as network_queries
from accompagnement.reports.document import layout, number
from accompagnement.reports.exports import chart_svg, render_csv, render_pdf
from accompagnement.reports.labels import LANGUAGES
from accompagnement.reports.period import last_full_year, period_from_args
from accompagnement.reports.services import build_report, departements_to_report
from accompagnement.transaction import refusal

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _lang() -> str:
    chosen = request.args.get("lang", "")
    return chosen if chosen in LANGUAGES else current_language()


def _filename(start: date, end: date, extension: str) -> str:
    return f"rapport-{start.isoformat()}-{end.isoformat()}.{extension}"


def _report(start: date, end: date, lang: str) -> dict[str, Any]:
    """Build the report of the reader's départements (?departement=, within their scope)."""
    asked = request.args.get("departement", "")[:3]
    cut = departements_to_report(partner_scope(current_user), asked)
    return build_report(start, end, cut, lang)


def _departement_choices() -> list[tuple[str, str]]:
    """Return the départements the reader may choose: all the network's, or their own."""
    scope = partner_scope(current_user)
    choices = network_queries.departement_choices()
    return [(code, name) for code, name in choices if scope is None or code in scope]


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
    departement = request.args.get("departement", "")[:3]
    lang, doc, errors = _lang(), None, {}
    with refusal(InvalidInput) as refused:
        start, end = period_from_args(values)
        doc = layout(_report(start, end, lang), lang)
    if refused:
        errors = refused.error.errors
    fields = [("from", _("From"), values["from"]), ("to", _("To"), values["to"])]
    query = {**values, "lang": lang, **({"departement": departement} if departement else {})}
    return render_template(
        "reports/index.html", doc=doc, errors=errors, fields=fields, lang=lang, query=query,
        number=number, chart_svg=chart_svg, departements=_departement_choices(),
        departement=departement,
    ), (400 if errors else 200)  # fmt: skip


@bp.route("/report.pdf")
@roles(Role.COORDINATOR, Role.PARTNER)
def pdf() -> Response:
    """Download the report of a period as a PDF."""
    start, end = period_from_args(request.args)
    lang = _lang()
    body = render_pdf(layout(_report(start, end, lang), lang))
    return _attachment(body, "application/pdf", _filename(start, end, "pdf"))


@bp.route("/report.csv")
@roles(Role.COORDINATOR, Role.PARTNER)
def csv() -> Response:
    """Download the figures of the report of a period as CSV."""
    start, end = period_from_args(request.args)
    lang = _lang()
    body = render_csv(layout(_report(start, end, lang), lang))
    # The BOM makes spreadsheets read UTF-8 (accents) correctly.
    return _attachment("\ufeff" + body, "text/csv", _filename(start, end, "csv"))


@bp.route("/report.json")
@roles(Role.COORDINATOR, Role.PARTNER)
def json() -> Response | tuple[Response, int]:
    """Return the figures of the report of a period as JSON."""
    with refusal(InvalidInput) as refused:
        start, end = period_from_args(request.args)
        report = _report(start, end, _lang())
    if refused:
        return jsonify({"errors": refused.error.errors}), 400
    # Keys in the documented order (activity types, then stages along the pathway).
    body = jsonlib.dumps(report, ensure_ascii=False)
    return Response(body, mimetype="application/json")
