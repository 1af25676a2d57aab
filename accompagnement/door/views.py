"""The public door and the coordinators' list of requests (`/door/requests`).

Each network has its own door, `/door/<short_name>/`; `/door/` is the only network's door, or
the list of the networks to choose from when the instance has several. A request is kept in the
door's network, and its confirmation link names that network: the coordinators of the others
never see it.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import Role, public, roles
from accompagnement.auth.links import INVITATION, mail_password_link, password_url
from accompagnement.auth.scope import work_in, work_in_named
from accompagnement.door import forms, queries, services
from accompagnement.door.models import STATUSES, UNCONFIRMED, ProjectRequest
from accompagnement.errors import InvalidInput
from accompagnement.i18n import current_language
from accompagnement.mail import mail_configured
from accompagnement.network import queries as network_queries
from accompagnement.network.models import Network
from accompagnement.notifications.links import absolute_url
from accompagnement.pagination import Page, page_number
from accompagnement.projects.forms import choices
from accompagnement.security import log_event
from accompagnement.transaction import commits, refusal
from accompagnement.workflows.services import available, latest_workflow

bp = Blueprint("door", __name__, url_prefix="/door")

View = str | Response | tuple[str, int]


@bp.before_request
def _enter_network() -> None:
    """Work in the network of the public page (its address names it, or its link does)."""
    args = request.view_args or {}
    if "short_name" in args:
        g.door_network = _door_network(args["short_name"])
    elif "token" in args:
        network_id = services.network_of_token(str(args["token"]))
        if network_id is not None:
            work_in(network_id)


def _door_network(short_name: str | None) -> Network | None:
    """Work in the network the address names (404 for an unknown one), else in the instance's
    only network; None when the visitor has to choose one."""
    if short_name is not None:
        return work_in_named(short_name)
    networks = network_queries.all_networks()
    if len(networks) != 1:
        return None
    work_in(networks[0].id)
    return networks[0]


def _render_new(form: forms.RequestForm, status: int = 200, problem: str = "") -> tuple[str, int]:
    form.started.data = services.form_stamp()
    form.website.data = ""
    html = render_template(
        "door/new.html",
        form=form,
        open=mail_configured(),
        problem=problem,
        network=g.door_network,
    )
    return html, status


def _render_choice() -> tuple[str, int]:
    """List the networks, to choose the one of the project (a form sent here is refused)."""
    html = render_template(
        "door/choose.html", networks=network_queries.networks_with_departements()
    )
    return html, 200 if request.method == "GET" else 400


@bp.route("/", methods=["GET", "POST"], defaults={"short_name": None})
@bp.route("/<short_name>/", methods=["GET", "POST"])
@public
@commits
def new(short_name: str | None) -> View:
    """«Vous portez un projet de ressourcerie ?»: describe the project, then confirm the address."""
    if g.door_network is None:
        return _render_choice()
    form = forms.RequestForm()
    if not form.is_submitted() or not mail_configured():
        return _render_new(form)
    if not form.validate_on_submit():
        return _render_new(form, 400)
    if form.website.data:
        log_event("door.trap", level="warning")
        return redirect(url_for("door.sent"))  # a robot: it learns nothing, nothing is kept
    waited = services.seconds_since_shown(form.started.data or "")
    if waited is None:
        return _render_new(
            form, 400, _("This form was open for a long time: check it and send it again.")
        )
    if waited < int(current_app.config["DOOR_MIN_SECONDS"]):
        return _render_new(form, 400, _("That was quick! Check your answers and send again."))
    with refusal(InvalidInput) as refused:
        made = services.submit(_submission(form))
        services.mail_confirmation(
            made, absolute_url("door.confirm", token=services.confirmation_token(made))
        )
        return redirect(url_for("door.sent"))
    for name, message in refused.error.errors.items():
        getattr(form, name).errors = [message]
    problem = "" if refused.error.errors else refused.error.message
    return _render_new(form, refused.error.status, problem)


def _submission(form: forms.RequestForm) -> services.Submission:
    return services.Submission(
        project_name=form.project_name.data or "",
        contact_name=form.contact_name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        commune_insee=form.commune.data or "",
        commune_text=form.commune.text,
        holder_type=form.holder_type.data or "other",
        description=form.description.data or "",
        locale=current_language(),
    )


@bp.route("/sent")
@public
def sent() -> str:
    """Tell the person to look for the confirmation e-mail."""
    return render_template("door/sent.html", hours=current_app.config["DOOR_CONFIRM_HOURS"])


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@public
@commits
def confirm(token: str) -> View:
    """Confirm the address with one button (opening the link alone changes nothing)."""
    made = services.request_for_token(token)
    form = forms.ConfirmForm()
    if made.status == UNCONFIRMED and not form.validate_on_submit():
        return render_template("door/confirm.html", made=made, form=form)
    if made.status == UNCONFIRMED:
        made = services.confirm(token)
    return render_template("door/confirmed.html", made=made)


# --- Coordinators --------------------------------------------------------------------------------


@bp.route("/requests")
@roles(Role.COORDINATOR)
def requests() -> str:
    """The confirmed requests, waiting ones first by default."""
    status = request.args.get("status", "pending")
    status = status if status in STATUSES and status != UNCONFIRMED else ""
    page = Page(page_number(request.args), queries.count(status or None))
    rows = queries.requests(status or None, page)
    return render_template(
        "door/requests.html",
        rows=rows,
        page=page,
        status=status,
        labels=forms.HOLDER_TYPE_LABELS,
        network=network_queries.current_network(),
    )


def _accept_form(made: ProjectRequest, form: forms.AcceptForm | None = None) -> forms.AcceptForm:
    locale = current_language()
    if form is None:
        form = forms.AcceptForm(formdata=None, project_name=made.project_name)
        form.commune.process_data(made.commune_insee)
        form.workflow.data = network_queries.default_pathway()
    form.workflow.choices = choices(
        (name, latest_workflow(name).label(locale)) for name in available().names()
    )
    return form


def _render_request(
    made: ProjectRequest,
    *,
    accept_form: forms.AcceptForm | None = None,
    decline_form: forms.DeclineForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    html = render_template(
        "door/request.html",
        made=made,
        labels=forms.HOLDER_TYPE_LABELS,
        accept_form=_accept_form(made, accept_form),
        decline_form=decline_form or forms.DeclineForm(formdata=None),
    )
    return html, status


@bp.route("/requests/<int:request_id>")
@roles(Role.COORDINATOR)
def detail(request_id: int) -> View:
    """One request, with the forms to accept or decline it while it waits."""
    return _render_request(services.pending_request(request_id))


@bp.route("/requests/<int:request_id>/accept", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def accept(request_id: int) -> View:
    """Start the project and invite the person (a new account gets a first-password link)."""
    made = services.pending_request(request_id)
    form = _accept_form(made, forms.AcceptForm())
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            project, holder, created = services.accept(
                made.id,
                user_id=current_user.id,
                project_name=form.project_name.data or "",
                workflow_name=form.workflow.data or "",
                commune_insee=form.commune.data or None,
            )
            if created and mail_password_link(holder, INVITATION, password_url(holder)):
                flash(
                    _("The project was created and %(email)s was invited.", email=holder.email),
                    "success",
                )
                return redirect(url_for("projects.detail", project_id=project.id))
            if created:  # no e-mail: the holders page shows the first-password link
                return redirect(
                    url_for("projects.holders", project_id=project.id, invited=holder.id)
                )
            flash(_("The project was created; its holder already had an account."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
        for name, message in refused.error.errors.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [message]
        if not any(hasattr(form, name) for name in refused.error.errors):
            flash(refused.error.message, "error")
        return _render_request(made, accept_form=form, status=refused.error.status)
    return _render_request(made, accept_form=form, status=400)


@bp.route("/requests/<int:request_id>/decline", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def decline(request_id: int) -> View:
    """Decline the request; the person receives the message by e-mail."""
    made = services.pending_request(request_id)
    form = forms.DeclineForm()
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.decline(made.id, user_id=current_user.id, message=form.message.data or "")
            flash(_("The request was declined and the person informed."), "success")
            return redirect(url_for("door.requests"))
        if "message" in refused.error.errors:
            form.message.errors = [refused.error.errors["message"]]
        else:
            flash(refused.error.message, "error")
        return _render_request(made, decline_form=form, status=refused.error.status)
    return _render_request(made, decline_form=form, status=400)
