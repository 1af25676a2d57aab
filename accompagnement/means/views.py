"""The means page (coordinators): one year's staff time, budget and funding; the import."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.importing import run_upload
from accompagnement.importing.forms import ImportForm
from accompagnement.means import queries, services
from accompagnement.means.forms import DeleteForm, LineForm
from accompagnement.means.importer import SCHEMA, import_means, summary
from accompagnement.means.models import FIRST_YEAR
from accompagnement.means.stats import budget_totals
from accompagnement.means.validation import check_line, last_year
from accompagnement.transaction import commits, refusal

bp = Blueprint("means", __name__, url_prefix="/means")


def _year_arg() -> int:
    """Read ?year=, this year when absent or out of range."""
    raw = request.args.get("year", "")
    if raw.isdecimal() and FIRST_YEAR <= int(raw) <= last_year():
        return int(raw)
    return date.today().year


@bp.route("/")
@roles(Role.COORDINATOR)
def index() -> str:
    """Show the staff time, budget and funding of one year."""
    return _page(_year_arg(), LineForm())


def _page(year: int, form: LineForm) -> str:
    lines = queries.year_lines(year)
    return render_template(
        "means/index.html",
        year=year,
        lines=lines,
        totals=budget_totals(lines.budget),
        fte=sum((s.fte for s in lines.staff), start=0),
        funded=sum((f.amount for f, _name in lines.funding), start=0),
        years=queries.existing_years(),
        form=form,
        suggestions=queries.suggested_labels(),
    )


@bp.route("/<int:year>", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def save(year: int) -> Response | tuple[str, int]:
    """Add a line to a year, or change the line of the same kind and label."""
    form = LineForm()
    if not FIRST_YEAR <= year <= last_year():
        raise NotFound("No such year")
    if not form.validate_on_submit():
        return _page(year, form), 400
    line, errors = check_line(str(year), form.kind.data, form.label.data, form.value.data)
    with refusal(InvalidInput) as refused:
        if line is None:
            raise InvalidInput("The line has errors", errors)
        services.save_line(line, user_id=current_user.id)
        flash(_("The line %(label)s is saved.", label=line.label), "success")
        return redirect(url_for(".index", year=year))
    for key, message in refused.error.errors.items():
        if key in form:
            form[key].errors = [message]
    return _page(year, form), 400


@bp.route("/<table>/<int:line_id>/delete", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def delete(table: str, line_id: int) -> Response | tuple[str, int]:
    """Delete a line of means."""
    form = DeleteForm()
    if not form.validate_on_submit():
        flash(_("The page was out of date: nothing was deleted, try again."), "warning")
        return redirect(url_for(".index"))
    gone = services.delete_line(table, line_id, user_id=current_user.id)
    flash(_("The line %(label)s is deleted.", label=gone.label), "success")
    return redirect(url_for(".index", year=gone.year))


@bp.route("/import", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def import_file() -> str | tuple[str, int] | Response:
    """Import lines of means from a CSV file, all or nothing."""
    form = ImportForm()
    result, errors = run_upload(form, lambda data: import_means(data, user_id=current_user.id))
    if result is not None:
        flash(summary(result), "success")
        year = max(result.years) if result.years else None
        return redirect(url_for(".index", year=year))
    status = 400 if errors or form.errors else 200
    page = render_template("means/import.html", form=form, errors=errors, schema=SCHEMA)
    return page, status
