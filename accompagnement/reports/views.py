"""Pages of the steering committee report: HTML (prints well), PDF, CSV, JSON and DOCX; and the
saved reports: list, create, write the narrative, versions, freeze, compare with live figures."""

from __future__ import annotations

import json as jsonlib
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from accompagnement.access import Role, roles
from accompagnement.auth.queries import partner_scope
from accompagnement.errors import InvalidInput, StaleEdit
from accompagnement.i18n import current_language
from accompagnement.network import queries as network_queries
from accompagnement.pagination import page_number
from accompagnement.reports import saved
from accompagnement.reports.compare import MISSING, differences
from accompagnement.reports.document import Document, layout, number
from accompagnement.reports.exports import (
    DOCX_TYPE,
    chart_svg,
    render_csv,
    render_docx,
    render_html,
    render_pdf,
)
from accompagnement.reports.forms import FreezeForm, NarrativeForm, SavedReportForm
from accompagnement.reports.labels import LANGUAGES
from accompagnement.reports.models import NarrativeVersion, SavedReport
from accompagnement.reports.period import last_full_year, period_from_args
from accompagnement.reports.services import build_report, departements_to_report
from accompagnement.transaction import commits, refusal

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


@bp.route("/report.docx")
@roles(Role.COORDINATOR, Role.PARTNER)
def docx() -> Response:
    """Download the report of a period as an editable DOCX (LibreOffice, Word)."""
    start, end = period_from_args(request.args)
    lang = _lang()
    body = render_docx(layout(_report(start, end, lang), lang))
    return _attachment(body, DOCX_TYPE, _filename(start, end, "docx"))


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


# --- Saved reports -------------------------------------------------------------------------------


@bp.route("/saved/")
@roles(Role.COORDINATOR, Role.PARTNER)
def saved_list() -> str:
    """List the saved reports the reader may open, newest period first."""
    page, reports = saved.reports_page(current_user, page_number(request.args))
    return render_template("reports/saved_list.html", page=page, reports=reports)


@bp.route("/saved/new", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def saved_new() -> str | BaseResponse | tuple[str, int]:
    """Create a named report for a period."""
    form = SavedReportForm()
    if request.method == "GET":
        start, end = last_full_year()
        form.start.data, form.end.data = start.isoformat(), end.isoformat()
        return render_template("reports/saved_new.html", form=form)
    if not form.validate_on_submit():
        return render_template("reports/saved_new.html", form=form), 400
    with refusal(InvalidInput) as refused:
        report = saved.create_report(form.values(), user_id=current_user.id)
        flash(_("The report %(name)s is saved: write its narrative.", name=report.name), "success")
        return redirect(url_for(".saved_narrative", report_id=report.id))
    form.show_errors(refused.error.errors)
    return render_template("reports/saved_new.html", form=form), 400


def _shown_version(report: SavedReport) -> NarrativeVersion | None:
    """The version asked for by ?version= (coordinators only), else the current one."""
    raw = request.args.get("version", "")
    if not raw:
        return saved.current_version(report.id)
    if current_user.role != Role.COORDINATOR or not raw.isdecimal() or len(raw) > 9:
        abort(404)
    return saved.version(report.id, int(raw))


@bp.route("/saved/<int:report_id>")
@roles(Role.COORDINATOR, Role.PARTNER)
def saved_view(report_id: int) -> str:
    """Show a saved report (an older version of its narrative with ?version=)."""
    report = saved.readable_report(current_user, report_id)
    shown = _shown_version(report)
    current = saved.current_version(report.id)
    lang = _lang()
    return render_template(
        "reports/saved_view.html", report=report, doc=saved.saved_layout(report, shown, lang),
        shown=shown, current=current, lang=lang, number=number, chart_svg=chart_svg,
    )  # fmt: skip


SAVED_FORMATS = ("pdf", "csv", "json", "docx", "html")


@bp.route("/saved/<int:report_id>/report.<fmt>")
@roles(Role.COORDINATOR, Role.PARTNER)
def saved_file(report_id: int, fmt: str) -> Response:
    """Download a saved report as PDF, CSV, JSON, DOCX or standalone HTML."""
    if fmt not in SAVED_FORMATS:
        abort(404)
    report = saved.readable_report(current_user, report_id)
    shown = _shown_version(report)
    if fmt == "json":
        body = jsonlib.dumps(saved.as_json(report, shown), ensure_ascii=False)
        return Response(body, mimetype="application/json")
    doc = saved.saved_layout(report, shown, _lang())
    name = f"rapport-{report.id}-{report.start_on.isoformat()}-{report.end_on.isoformat()}.{fmt}"
    return _saved_attachment(doc, fmt, name)


def _saved_attachment(doc: Document, fmt: str, name: str) -> Response:
    if fmt == "pdf":
        return _attachment(render_pdf(doc), "application/pdf", name)
    if fmt == "csv":
        return _attachment("\ufeff" + render_csv(doc), "text/csv", name)
    if fmt == "html":
        return _attachment(render_html(doc), "text/html", name)
    return _attachment(render_docx(doc), DOCX_TYPE, name)


@bp.route("/saved/<int:report_id>/narrative", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def saved_narrative(report_id: int) -> str | BaseResponse | tuple[str, int]:
    """Write the narrative of a saved report; each save is a new version."""
    report = saved.readable_report(current_user, report_id)
    current = saved.current_version(report.id)
    form = NarrativeForm()
    if request.method == "GET":
        form.process(data={**(current.texts() if current else {}),
                           "base_version": str(current.number if current else 0)})  # fmt: skip
        return _narrative_page(form, report, current)
    if not form.validate_on_submit():
        return _narrative_page(form, report, current), 400
    with refusal(InvalidInput, StaleEdit) as refused:
        version = saved.save_narrative(
            report.id, form.texts(), user_id=current_user.id, base_version=form.opened_on()
        )
        flash(_("Narrative saved (version %(number)s).", number=version.number), "success")
        return redirect(url_for(".saved_view", report_id=report.id))
    if isinstance(refused.error, StaleEdit):
        return _narrative_stale(form, report.id)
    form.show_errors(refused.error.errors)
    return _narrative_page(form, report, current), 400


def _narrative_stale(form: NarrativeForm, report_id: int) -> tuple[str, int]:
    """Keep what the person typed, show the saved text, and let them save again knowingly."""
    report = saved.readable_report(current_user, report_id)
    current = saved.current_version(report.id)
    form.base_version.data = str(current.number if current else 0)
    author = current.author.name if current and current.author else _("unknown")
    flash(
        _(
            "Someone else (%(author)s) saved this narrative since you opened it (version "
            "%(number)s). Your text is kept below, next to the saved one: merge them and save "
            "again.",
            author=author, number=current.number if current else 0,
        ),
        "warning",
    )  # fmt: skip
    return _narrative_page(form, report, current, conflict=True), 409


def _narrative_page(
    form: NarrativeForm, report: SavedReport, current: NarrativeVersion | None,
    conflict: bool = False,
) -> str:  # fmt: skip
    return render_template(
        "reports/saved_narrative.html", form=form, report=report, current=current,
        conflict=conflict,
    )  # fmt: skip


@bp.route("/saved/<int:report_id>/versions")
@roles(Role.COORDINATOR)
def saved_versions(report_id: int) -> str:
    """List the versions of a saved report's narrative: who saved each, and when."""
    report = saved.readable_report(current_user, report_id)
    page, versions = saved.versions_page(report.id, page_number(request.args))
    return render_template("reports/saved_versions.html", report=report, page=page,
                           versions=versions)  # fmt: skip


@bp.route("/saved/<int:report_id>/freeze", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def saved_freeze(report_id: int) -> BaseResponse:
    """Freeze a saved report's figures as they are now."""
    form = FreezeForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal(InvalidInput) as refused:
        report = saved.freeze(report_id, user_id=current_user.id)
        flash(_("The figures of %(name)s are frozen.", name=report.name), "success")
    if refused:
        flash(refused.error.message, "warning")
    return redirect(url_for(".saved_view", report_id=report_id))


@bp.route("/saved/<int:report_id>/compare")
@roles(Role.COORDINATOR, Role.PARTNER)
def saved_compare(report_id: int) -> str:
    """List every figure that differs between the frozen report and the live data."""
    report = saved.readable_report(current_user, report_id)
    found = differences(report.snapshot, saved.live_figures(report)) if report.snapshot else []
    return render_template("reports/saved_compare.html", report=report, differences=found,
                           missing=MISSING)  # fmt: skip
