"""Pages of the activity log (coordinators), and its calendar feed (secret URL)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, public, roles
from accompagnement.activities import listing, queries, services
from accompagnement.activities.calendar import build_feed
from accompagnement.activities.forms import (
    ActivityForm,
    ConfirmForm,
    FilterForm,
    PlanYearForm,
)
from accompagnement.activities.importer import SCHEMA, import_activities, summary
from accompagnement.activities.models import Activity
from accompagnement.errors import InvalidInput
from accompagnement.importing import run_upload
from accompagnement.importing.forms import ImportForm
from accompagnement.network.models import TYPE_LABELS, ActivityType
from accompagnement.pagination import page_number
from accompagnement.tenancy import network_scope
from accompagnement.transaction import commits, refusal

bp = Blueprint("activities", __name__, url_prefix="/activities")
FORM_FIELDS = {"member_ids": "members"}


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"today": services.today(), "type_labels": TYPE_LABELS}


def _filters(form: FilterForm) -> queries.ActivityFilters:
    form.validate()
    member = form.member.data if not form.member.errors else None
    return queries.ActivityFilters(
        start=None if form.start.errors else form.start.data,
        end=None if form.end.errors else form.end.data,
        type=form.type.data if form.type.data in {t.value for t in ActivityType} else None,
        member_id=int(member) if member and member.isdecimal() and len(member) < 10 else None,
    )


@bp.route("/")
@roles(Role.COORDINATOR)
def index() -> str:
    """List the activities: the planned ones first, then the log with the project visits."""
    members = queries.member_choices()
    # Without a start in the URL the log opens on everything planned and the last 12 months.
    default_period = "start" not in request.args
    opening = queries.default_start(services.today())
    filter_form = FilterForm(request.args, members=members, start=opening)
    filters = _filters(filter_form)
    filters.planned_before_start = default_period
    token = queries.calendar_token_of(current_user.id)
    return render_template(
        "activities/index.html",
        filter_form=filter_form,
        filters=filters,
        default_period=default_period,
        listing=listing.list_activities(filters, page_number(request.args)),
        counts=queries.activity_counts(filters.start, filters.end),
        feed_url=_feed_url(token),
        import_form=ImportForm(),
        plan_form=PlanYearForm(year=_year_to_plan()),
        confirm_form=ConfirmForm(),
    )


def _year_to_plan() -> int:
    """Suggest this year in its first half, next year after."""
    now = services.today()
    return now.year if now.month <= 6 else now.year + 1


def _feed_url(token: str | None) -> str | None:
    return url_for(".calendar_feed", token=token, _external=True) if token else None


def _input(form: ActivityForm) -> services.ActivityInput:
    return services.ActivityInput(
        date=form.date.data,  # type: ignore[arg-type]
        end_date=form.end_date.data,
        type=form.type.data or "",
        title=form.title.data or "",
        member_ids=list(form.members.data or []),
        visitor=form.visitor.data or None,
        partner=form.partner.data,
        participants=form.participants.data,
        notes=form.notes.data,
        status=form.status.data,
    )


def _show_errors(form: ActivityForm, error: InvalidInput) -> None:
    for key, message in error.errors.items():
        getattr(form, FORM_FIELDS.get(key, key), form.title).errors.append(message)


def _rule_errors(form: ActivityForm) -> None:
    """Add the service's rules to a form WTForms refused, so every problem shows at once."""
    if form.date.data is None:
        return
    on = services.today()
    values = _input(form)
    if form.participants.errors:
        values.participants = None
    for key, message in services.check_activity(values.normalised(on), on).items():
        target = getattr(form, FORM_FIELDS.get(key, key), form.title)
        if not target.errors:
            target.errors.append(message)


def _form_data(activity: Activity) -> dict[str, Any]:
    return {
        "date": activity.date,
        "end_date": activity.end_date,
        "type": activity.type,
        "title": activity.title,
        "members": [m.id for m in activity.members],
        "visitor": activity.visitor or "",
        "partner": activity.partner,
        "participants": activity.participants,
        "notes": activity.notes,
        "status": activity.status,
    }


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def create() -> str | Response | tuple[str, int]:
    """Record an activity."""
    form = ActivityForm(members=queries.member_choices())
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            activity = services.create_activity(_input(form), user_id=current_user.id)
            flash(_("Activity recorded."), "info")
            return redirect(url_for(".detail", activity_id=activity.id))
        _show_errors(form, refused.error)
    elif form.is_submitted():
        _rule_errors(form)
    status = 400 if form.errors else 200
    return render_template("activities/form.html", form=form, activity=None), status


@bp.route("/<int(max=2147483647):activity_id>")
@roles(Role.COORDINATOR)
def detail(activity_id: int) -> str:
    """Show one activity."""
    activity = queries.get_activity_detail(activity_id)
    if activity is None:
        abort(404)
    return render_template("activities/detail.html", activity=activity, confirm_form=ConfirmForm())


@bp.route("/<int(max=2147483647):activity_id>/edit", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def edit(activity_id: int) -> str | Response | tuple[str, int]:
    """Change an activity."""
    activity = queries.get_activity_detail(activity_id)
    if activity is None:
        abort(404)
    data = _form_data(activity) if request.method == "GET" else None
    form = ActivityForm(data=data, members=queries.member_choices())
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.update_activity(activity.id, _input(form), user_id=current_user.id)
            flash(_("Activity saved."), "info")
            return redirect(url_for(".detail", activity_id=activity.id))
        _show_errors(form, refused.error)
    elif form.is_submitted():
        _rule_errors(form)
    status = 400 if form.errors else 200
    return render_template("activities/form.html", form=form, activity=activity), status


@bp.route("/<int(max=2147483647):activity_id>/delete", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def delete(activity_id: int) -> Response:
    """Delete an activity."""
    services.delete_activity(activity_id, user_id=current_user.id)
    flash(_("Activity deleted."), "info")
    return redirect(url_for(".index"))


@bp.route("/<int(max=2147483647):activity_id>/done", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def mark_done(activity_id: int) -> Response:
    """Mark a planned activity as done."""
    with refusal(InvalidInput):
        services.mark_done(activity_id, user_id=current_user.id)
        flash(_("Activity marked as done."), "info")
        return redirect(url_for(".index"))
    flash(_("An activity in the future cannot be done yet."), "error")
    return redirect(url_for(".index"))


@bp.route("/plan", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def plan() -> Response:
    """Create the year's planned coordination meetings and technical days."""
    form = PlanYearForm()
    if not form.validate_on_submit() or form.year.data is None:
        flash(_("Give a year between 2000 and 2100."), "error")
        return redirect(url_for(".index"))
    with refusal(InvalidInput) as refused:
        created = services.plan_year(form.year.data, user_id=current_user.id)
    if refused:
        flash(refused.error.message, "error")
        return redirect(url_for(".index"))
    if created:
        flash(_("%(count)s activities planned.", count=len(created)), "info")
    else:
        flash(_("Nothing to add: the year is already planned."), "info")
    return redirect(
        url_for(".index", start=f"{form.year.data}-01-01", end=f"{form.year.data}-12-31")
    )


@bp.route("/import", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
def import_file() -> str | Response | tuple[str, int]:
    """Import activities from a CSV file, all or nothing."""
    form = ImportForm()
    result, errors = run_upload(form, lambda data: import_activities(data, user_id=current_user.id))
    if result is not None:
        flash(summary(result), "info")
        return redirect(url_for(".index"))
    status = 400 if errors or form.errors else 200
    page = render_template("activities/import.html", form=form, errors=errors, schema=SCHEMA)
    return page, status


@bp.route("/calendar/token", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def new_calendar_token() -> Response:
    """Create or replace the secret address of my calendar feed."""
    ConfirmForm().validate_on_submit()
    services.regenerate_calendar_token(current_user.id)
    flash(_("New calendar address created; the previous one no longer works."), "info")
    return redirect(url_for(".index") + "#calendar")


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str) -> Response:
    """Serve the activities as an iCalendar feed to whoever holds a valid secret address."""
    network_id = queries.network_of_calendar_token(token)
    with network_scope(network_id or 0):  # the feed shows the token's network
        if network_id is None or queries.coordinator_for_token(token) is None:
            current_app.logger.warning("calendar feed requested with an unknown token")
            abort(404)
        body = build_feed(queries.feed_activities(), name=_("Network activities"))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="activities.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
