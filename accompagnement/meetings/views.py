"""A project's exchanges (`/projects/<id>/exchanges`) and the time page (`/exchanges/time`)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.db import utcnow
from accompagnement.engine.values import Unreadable, parse_date
from accompagnement.errors import InvalidInput, StaleEdit
from accompagnement.i18n import current_language
from accompagnement.meetings import forms, queries, services
from accompagnement.meetings.models import Exchange
from accompagnement.pagination import Page, page_number
from accompagnement.projects import queries as project_queries
from accompagnement.projects.models import Project
from accompagnement.transaction import commits, refusal
from accompagnement.workflows.services import get_workflow

bp = Blueprint("meetings", __name__)

View = str | Response | tuple[str, int]
PER_PAGE = 20


def _values(form: forms.ExchangeForm) -> services.ExchangeInput:
    typed = dt.datetime.combine(form.day.data or dt.date.today(), form.time.data or dt.time.min)
    at = queries.to_utc(typed)
    return services.ExchangeInput(
        at=at,
        kind=form.kind.data or "",
        minutes=form.minutes.data or 0,
        participants=form.participants.data or "",
        notes=form.notes.data or "",
        next_steps=form.next_steps.data or "",
    )


def _put_errors(form: forms.ExchangeForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [message]


def _render(project: Project, form: forms.ExchangeForm | None = None, status: int = 200) -> View:
    page = Page(page_number(request.args), queries.count_of_project(project.id), PER_PAGE)
    workflow = get_workflow(project.workflow_name, project.workflow_version)
    now = utcnow()
    html = render_template(
        "meetings/project.html",
        project=project,
        workflow=workflow,
        rows=queries.of_project(project.id, page),
        page=page,
        by_stage=queries.minutes_by_stage(project.id, now),
        now=now,
        form=form or forms.ExchangeForm(formdata=None, minutes=60, day=queries.local_now().date()),
        kinds=forms.KIND_LABELS,
    )
    return html, status


@bp.route("/projects/<int:project_id>/exchanges", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def project_exchanges(project_id: int) -> View:
    """A project's exchanges, the time spent per stage, and the form to record one."""
    project = project_queries.get_visible_project(current_user, project_id)
    form = forms.ExchangeForm()
    if not form.is_submitted():
        return _render(project)
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.record_exchange(project.id, _values(form), user_id=current_user.id)
            flash(_("The exchange was recorded."), "success")
            return redirect(url_for("meetings.project_exchanges", project_id=project.id))
        _put_errors(form, refused.error.errors)
    return _render(project, form, 400)


@bp.route("/projects/<int:project_id>/exchanges/<int:exchange_id>", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def edit(project_id: int, exchange_id: int) -> View:
    """Change an exchange; a change made meanwhile by someone else is not overwritten."""
    project = project_queries.get_visible_project(current_user, project_id)
    exchange = queries.get_of_project(project.id, exchange_id)
    if request.method != "POST":
        form = forms.ExchangeForm(formdata=None, obj=exchange)
        local = queries.to_local(exchange.at)
        form.day.data, form.time.data = local.date(), local.time()
        form.revision.data = str(exchange.revision)
        return _render_edit(project, exchange, form)
    form = forms.ExchangeForm()
    if form.validate_on_submit():
        with refusal(InvalidInput, StaleEdit) as refused:
            services.change_exchange(
                project.id,
                exchange.id,
                _values(form),
                revision=int(form.revision.data or 0)
                if (form.revision.data or "").isdecimal()
                else 0,
                user_id=current_user.id,
            )
            flash(_("The exchange was saved."), "success")
            return redirect(url_for("meetings.project_exchanges", project_id=project.id))
        if isinstance(refused.error, InvalidInput):
            _put_errors(form, refused.error.errors)
        else:
            flash(refused.error.message, "error")
            return _render_edit(project, queries.get_of_project(project.id, exchange_id), form, 409)
    return _render_edit(project, exchange, form, 400)


def _revision(raw: str | None) -> int:
    text = raw or ""
    return int(text) if text.isdecimal() and len(text) < 10 else 0


def _render_edit(
    project: Project, exchange: Exchange, form: forms.ExchangeForm, status: int = 200
) -> View:
    html = render_template(
        "meetings/edit.html", project=project, exchange=exchange, form=form, kinds=forms.KIND_LABELS
    )
    return html, status


@bp.route("/projects/<int:project_id>/exchanges/<int:exchange_id>/remove", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def remove(project_id: int, exchange_id: int) -> Response:
    """Remove an exchange recorded by mistake."""
    services.remove_exchange(project_id, exchange_id, user_id=current_user.id)
    flash(_("The exchange was removed."), "success")
    return redirect(url_for("meetings.project_exchanges", project_id=project_id))


@bp.route("/exchanges/time")
@roles(Role.COORDINATOR)
def time_page() -> View:
    """The accompaniment time over a period: total, per stage, per coordinator, per kind."""
    today = queries.local_now().date()
    start = _day(request.args.get("from"), dt.date(today.year, 1, 1))
    end = _day(request.args.get("to"), today)
    if start > end:
        start, end = end, start
    spent = queries.time_spent(start, end)
    html = render_template(
        "meetings/time.html",
        spent=spent,
        start=start,
        end=end,
        stage_label=_stage_label,
        kinds=forms.KIND_LABELS,
    )
    return html


def _day(raw: str | None, default: dt.date) -> dt.date:
    try:
        return parse_date(raw or "")
    except Unreadable:
        return default


def _stage_label(workflow_name: str, stage: str) -> str:
    return queries.stage_name(workflow_name, stage, current_language())
