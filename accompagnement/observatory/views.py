"""Pages of the observatory: the regional view, the list of reports, a report form, the import."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from accompagnement.access import Role, roles
from accompagnement.csvsafe import write_csv
from accompagnement.errors import InvalidInput, StaleEdit
from accompagnement.i18n import current_language
from accompagnement.importing import run_upload
from accompagnement.importing.forms import ImportForm
from accompagnement.members.models import Member
from accompagnement.observatory import display, queries, services
from accompagnement.observatory.forms import ReportForm, base_revision, fill, shown
from accompagnement.observatory.importer import (
    COLUMNS,
    SCHEMA,
    column_help,
    import_reports,
    summary,
)
from accompagnement.observatory.indicators import GROUPS, INDICATORS
from accompagnement.observatory.models import FIRST_YEAR, ObservatoryReport
from accompagnement.observatory.stats import stage_table
from accompagnement.transaction import commits, refusal

bp = Blueprint("observatory", __name__, url_prefix="/observatory")

COMPARED_YEARS = 5


def _year_arg(default: int) -> int:
    """Read ?year=, falling back to `default` when absent or implausible."""
    raw = request.args.get("year", "")
    if raw.isdecimal() and FIRST_YEAR <= int(raw) <= date.today().year:
        return int(raw)
    return default


def _default_year() -> int:
    years = queries.report_years()
    return years[0] if years else date.today().year - 1


@bp.route("/")
@roles(Role.COORDINATOR, Role.MEMBER, Role.PARTNER)
def index() -> str:
    """Show the regional observatory of one year, compared with the previous years."""
    year = _year_arg(_default_year())
    scope = queries.member_scope(current_user)
    years = [y for y in queries.report_years() if y <= year][:COMPARED_YEARS]
    by_year = queries.totals_by_year(sorted({*years, year}), scope)
    totals = by_year.get(year)
    own = None
    if current_user.role == Role.MEMBER and current_user.member_id:
        own = services.find_report(current_user.member_id, year)
    return render_template(
        "observatory/index.html",
        year=year,
        totals=totals,
        expected=len(queries.members_of_year(year, scope)),
        scope=sorted(scope) if scope is not None else None,
        figures=display.key_figures(totals) if totals else [],
        year_table=display.year_table(by_year),
        years_svg=display.years_chart(by_year) if by_year else None,
        charts=display.year_charts(totals),
        stages=stage_table(queries.projects_by_state(scope), current_language()),
        own=own,
    )


@bp.route("/reports")
@roles(Role.COORDINATOR, Role.PARTNER)
def reports() -> str:
    """List a year's reports with their key figures, and the members who have not reported."""
    year = _year_arg(_default_year())
    scope = queries.member_scope(current_user)
    return render_template(
        "observatory/reports.html",
        status=queries.year_status(year, scope),
        scope=sorted(scope) if scope is not None else None,
        year=year,
        number=display.number,
        rate=display.rate,
    )


@bp.route("/members/<int:member_id>/<int:year>", methods=["GET", "POST"])
@roles(Role.COORDINATOR, Role.MEMBER)
@commits
def report_form(member_id: int, year: int) -> str | BaseResponse | tuple[str, int]:
    """Fill in or correct the report of a member for a year."""
    member = services.editable_member(current_user, member_id)
    year = services.checked_year(year)
    report = services.find_report(member.id, year)
    form = ReportForm()
    if request.method == "GET":
        fill(
            form,
            report.values() if report else {},
            report.revision if report else 0,
            current_language(),
        )
        return _render_form(form, member, year, report)
    if not form.validate_on_submit():
        return _render_form(form, member, year, report), 400
    raw = {i.key: form[i.key].data for i in INDICATORS}
    with refusal(InvalidInput, StaleEdit) as refused:
        services.save_report(
            member.id, year, raw, user_id=current_user.id, base_revision=base_revision(form)
        )
        flash(
            _("The report of %(member)s for %(year)s is saved.", member=member.name, year=year),
            "success",
        )
        return redirect(url_for(".report_form", member_id=member.id, year=year))
    if isinstance(refused.error, StaleEdit):
        return _render_stale(form, member.id, year)
    return _render_form(form, member, year, report, errors=refused.error.errors), 400


def _render_stale(form: ReportForm, member_id: int, year: int) -> tuple[str, int]:
    """Keep what the person typed, show what is saved now, and let them save again knowingly."""
    member = services.editable_member(current_user, member_id)
    report = services.find_report(member_id, year)
    form.revision.data = str(report.revision if report else 0)
    author = report.updated_by.name if report and report.updated_by else None
    saved = {
        k: shown(v, current_language()) for k, v in (report.values() if report else {}).items()
    }
    flash(
        _(
            "Someone else (%(author)s) saved this report since you opened it. Your figures are "
            "kept below, next to the saved ones: check them and save again.",
            author=author or _("unknown"),
        ),
        "warning",
    )
    return _render_form(form, member, year, report, saved=saved), 409


def _render_form(
    form: ReportForm,
    member: Member,
    year: int,
    report: ObservatoryReport | None,
    errors: Mapping[str, str] | None = None,
    saved: Mapping[str, str] | None = None,
) -> str:
    errors = errors or {}
    for key, message in errors.items():
        if key in form:
            form[key].errors = [message]
    return render_template(
        "observatory/form.html",
        form=form,
        member=member,
        year=year,
        report=report,
        groups=[(key, label, [i for i in INDICATORS if i.group == key]) for key, label in GROUPS],
        group_errors={k: v for k, v in errors.items() if k not in form},
        saved=saved or {},
        derived=report.derived if report else None,
        number=display.number,
        rate=display.rate,
    )


@bp.route("/import", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def import_file() -> BaseResponse | tuple[str, int]:
    """Import yearly reports from a CSV file: all rows or none."""
    form = ImportForm()
    result, errors = run_upload(form, lambda data: import_reports(data, user_id=current_user.id))
    if result is not None:
        flash(summary(result), "success")
        year = max(result.years) if result.years else None
        return redirect(url_for(".reports", year=year))
    status = 400 if errors or form.errors else 200
    return render_template(
        "observatory/import.html", form=form, errors=errors, schema=SCHEMA, columns=column_help()
    ), status


@bp.route("/import/template.csv")
@roles(Role.COORDINATOR)
def import_template() -> Response:
    """Download an empty CSV file with every column of the import."""
    return Response(
        write_csv([], COLUMNS),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=observatoire-modele.csv"},
    )
