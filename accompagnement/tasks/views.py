"""Task pages: my tasks (with filters), add and change a project's tasks, tick them, and the
personal calendar feed (secret URL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, public, roles
from accompagnement.auth.views import safe_next
from accompagnement.db import utcnow
from accompagnement.errors import InvalidInput, StaleEdit
from accompagnement.i18n import current_language
from accompagnement.meetings import queries as meetings_queries
from accompagnement.pagination import page_number
from accompagnement.projects import queries as project_queries
from accompagnement.projects.models import Project
from accompagnement.tasks import calendar, display, queries, services
from accompagnement.tasks.forms import ButtonForm, FilterForm, TaskForm, version_of
from accompagnement.tasks.models import TITLE_MAX, Assignee, Task
from accompagnement.tenancy import network_scope
from accompagnement.transaction import commits, refusal
from accompagnement.workflows.services import get_workflow

NEXT_STEPS_DAYS = 14  # a task made of an exchange's next steps is due two weeks later

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
PEOPLE = (Role.COORDINATOR, Role.HOLDER)
Page = str | Response | tuple[str, int]


@bp.app_context_processor
def _feed_helpers() -> dict[str, Any]:
    return {"personal_feed_url": _personal_feed_url}


def _personal_feed_url() -> str | None:
    """The signed-in person's feed address, when they made one (the account page shows it)."""
    if not current_user.is_authenticated or current_user.role not in PEOPLE:
        return None
    token = services.existing_feed_token(current_user.id)
    return _feed_url(current_user.id, token) if token else None


def _feed_url(user_id: int, token: str) -> str:
    return url_for("tasks.feed", user_id=user_id, token=token, _external=True)


@bp.route("/")
@roles(*PEOPLE)
def index() -> str:
    """List my tasks (or, for a coordinator, every project's), filtered by the URL."""
    form = FilterForm(request.args)
    filters = form.filters()
    today = services.today()
    page, tasks = queries.task_page(current_user, filters, today, page_number(request.args))
    project = None
    if filters.project_id is not None:
        project = queries.project_name(current_user, filters.project_id)
    return render_template(
        "tasks/index.html",
        form=form,
        filters=filters,
        page=page,
        rows=display.rows(tasks, today, current_language()),
        project_name=project,
        button=ButtonForm(),
    )


def _task_form_choices(form: TaskForm, project: Project) -> None:
    language = current_language()
    workflow = get_workflow(project.workflow_name, project.workflow_version)
    people = [
        (person.id, display.person_label(person)) for person in queries.assignable_people(project)
    ]
    stages = [(stage.key, stage.label.get(language)) for stage in workflow.stages]
    form.set_choices(people, stages)


@bp.route("/new/<int:project_id>", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def new(project_id: int) -> Page:
    """Add a task to a project."""
    project = project_queries.get_visible_project(current_user, project_id)
    form = TaskForm()
    _task_form_choices(form, project)
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.create_task(project.id, form.values(), user_id=current_user.id)
            flash(_("Task added."), "success")
            return redirect(url_for(".index", project=project.id, scope="all"))
        form.show_errors(refused.error.errors)
    status = 400 if form.errors else 200
    return render_template("tasks/form.html", form=form, project=project, task=None), status


@bp.route("/from-exchange/<int:project_id>/<int:exchange_id>", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def from_exchange(project_id: int, exchange_id: int) -> Page:
    """Turn an exchange's next steps into a task for the holders in one click (then adjust it)."""
    project = project_queries.get_visible_project(current_user, project_id)
    exchange = meetings_queries.get_of_project(project.id, exchange_id)
    steps = exchange.next_steps.strip()
    if not steps:
        flash(_("This exchange has no next steps to turn into a task."), "error")
        return redirect(url_for("meetings.project_exchanges", project_id=project.id))
    first_line = steps.splitlines()[0].strip()
    title = first_line if len(first_line) <= TITLE_MAX else first_line[: TITLE_MAX - 1] + "…"
    values = services.TaskInput(
        title=title,
        assignee=Assignee.HOLDERS.value,
        due_on=exchange.at.date() + dt.timedelta(days=NEXT_STEPS_DAYS),
        notes=steps,
        stage=exchange.stage,
    )
    task = services.create_task(project.id, values, user_id=current_user.id)
    flash(_("A task was made of the next steps: adjust it if needed."), "success")
    return redirect(url_for(".edit", task_id=task.id))


@bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def edit(task_id: int) -> Page:
    """Change a task; an edit made on an outdated page is refused, never silently applied."""
    task = services.get_task(current_user, task_id)
    form = TaskForm(obj=None if request.method == "POST" else _form_data(task))
    _task_form_choices(form, task.project)
    if form.validate_on_submit():
        version = version_of(form.version.data)
        with refusal(InvalidInput, StaleEdit) as refused:
            services.update_task(task.id, form.values(), user_id=current_user.id, version=version)
            flash(_("Task saved."), "success")
            return redirect(url_for(".index", project=task.project_id, scope="all"))
        if isinstance(refused.error, StaleEdit):
            flash(_stale_message(), "warning")
            return redirect(url_for(".edit", task_id=task_id))
        form.show_errors(refused.error.errors)
    status = 400 if form.errors else 200
    page = render_template("tasks/form.html", form=form, project=task.project, task=task)
    return page, status


def _form_data(task: Task) -> Any:
    """The task's values as the form reads them (an object with the fields' names)."""
    person = f"user:{task.assignee_id}" if task.assignee_id else task.assignee
    return display.FormValues(
        title=task.title,
        assignee=person,
        due_on=task.due_on,
        stage=task.stage or "",
        notes=task.notes or "",
        version=str(task.lock_version),
    )


def _stale_message() -> str:
    return _("Someone else changed this task since you opened it. Here it is as it is now.")


def _back() -> Response:
    """Go back to the page the button was on (a path on this site), else to the home page."""
    return redirect(safe_next(request.form.get("next")))


@bp.route("/<int:task_id>/done", methods=["POST"])
@roles(*PEOPLE)
@commits
def done(task_id: int) -> Response:
    """Tick a task as done."""
    return _set_done(task_id, done=True)


@bp.route("/<int:task_id>/reopen", methods=["POST"])
@roles(*PEOPLE)
@commits
def reopen(task_id: int) -> Response:
    """Untick a task: it is to do again."""
    return _set_done(task_id, done=False)


def _set_done(task_id: int, *, done: bool) -> Response:
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal(StaleEdit) as refused:
        services.set_done(task_id, done=done, user_id=current_user.id)
        flash(_("Task done.") if done else _("Task to do again."), "success")
    if refused:
        flash(_stale_message(), "warning")
    return _back()


@bp.route("/<int:task_id>/delete", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def delete(task_id: int) -> Response:
    """Delete a task, unless someone changed it since the page showed it."""
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    version = version_of(form.version.data)
    with refusal(StaleEdit) as refused:
        services.delete_task(task_id, user_id=current_user.id, version=version)
        flash(_("Task deleted."), "success")
    if refused:
        message = _("Someone else changed this task since the page was shown: nothing deleted.")
        flash(message, "warning")
    return _back()


@bp.route("/feed/address", methods=["POST"])
@roles(*PEOPLE)
@commits
def new_feed_address() -> Response:
    """Create or replace the secret address of my calendar feed."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.regenerate_feed_token(current_user.id)
    flash(_("New calendar address created; the previous one no longer works."), "info")
    return redirect(url_for("auth.account", _anchor="calendar"))


@bp.route("/feed/<int:user_id>/<token>.ics")
@public
def feed(user_id: int, token: str) -> Response:
    """Serve a person's tasks as an iCalendar feed to whoever holds the secret address."""
    network_id = services.feed_network(user_id, token[:100])
    with network_scope(network_id or 0):  # the feed shows the address's network
        person = services.feed_owner(user_id, token[:100])
        if network_id is None or person is None:
            current_app.logger.warning("personal feed requested with an unknown address")
            abort(404)
        options = calendar.FeedOptions(
            today=services.today(),
            stamp=utcnow().replace(microsecond=0, tzinfo=dt.UTC),
            todos=request.args.get("as") == "todo",
        )
        body = calendar.build_feed(person, options, name=_("My tasks"))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="tasks.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
