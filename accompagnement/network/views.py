"""The network settings page (coordinators): name, départements, texts, plan, organisations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from accompagnement.access import Role, roles
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.i18n import current_language
from accompagnement.network import queries, services
from accompagnement.network.forms import (
    OrganisationForm,
    PlanForm,
    SettingsForm,
    plan_field_name,
)
from accompagnement.network.models import ActivityType, Network, Organisation
from accompagnement.territory.models import Departement
from accompagnement.transaction import commits, refusal
from accompagnement.workflows.services import available, latest_workflow

bp = Blueprint("network", __name__, url_prefix="/admin/network")

Page = str | Response | tuple[str, int]


def _all_departements() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Departement).order_by(Departement.code))
    return [(d.code, f"{d.code} {d.name}") for d in rows]


def _settings_form(network: Network | None) -> SettingsForm:
    form = SettingsForm(obj=network) if request.method == "GET" else SettingsForm()
    if request.method == "GET" and network is not None:
        form.departements.data = network.departement_codes
        form.default_workflow.data = network.default_workflow or ""
    locale = current_language()
    pathways = [(name, latest_workflow(name).label(locale)) for name in available().names()]
    form.set_choices(_all_departements(), pathways)
    return form


def _plan_form(network: Network | None) -> PlanForm:
    form = PlanForm()
    if request.method == "GET" and network is not None:
        counts = {item.activity_type: item.per_year for item in network.plan}
        for activity_type in ActivityType:
            getattr(form, plan_field_name(activity_type.value)).data = counts.get(
                activity_type.value, 0
            )
    return form


def _organisation_form(organisation: Organisation | None = None) -> OrganisationForm:
    if request.method == "GET" and organisation is not None:
        form = OrganisationForm(obj=organisation)
        form.departement.data = organisation.departement_code or ""
    else:
        form = OrganisationForm()
    form.set_choices(queries.departement_choices())
    return form


def _show_errors(form: FlaskForm, error: InvalidInput) -> None:
    for name, message in error.errors.items():
        field = getattr(form, name, None) or getattr(form, plan_field_name(name), None)
        if field is not None:
            field.errors = [message]
        else:
            flash(message, "error")


def _show_refusal(form: FlaskForm, error: InvalidInput | NotFound) -> None:
    """Show field errors next to their inputs, a missing network or département as a message."""
    if isinstance(error, InvalidInput):
        _show_errors(form, error)
    else:
        flash(error.message, "error")


def _page(
    settings: SettingsForm | None = None,
    plan: PlanForm | None = None,
    organisation: OrganisationForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    network = queries.current_network()
    page = render_template(
        "network/settings.html",
        network=network,
        settings=settings or _settings_form(network),
        plan=plan or _plan_form(network),
        organisation=organisation or _organisation_form(),
        organisations=queries.organisations(),
        activity_types=[t.value for t in ActivityType],
        plan_field_name=plan_field_name,
    )
    return page, status


@bp.route("/")
@roles(Role.COORDINATOR)
def settings() -> Page:
    """Show the network's settings, yearly plan and partner organisations."""
    return _page()


@bp.route("/settings", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def save_settings() -> Page:
    """Save the name, départements, default pathway and report texts."""
    form = _settings_form(queries.current_network())
    if form.validate_on_submit():
        values = services.Settings(
            name=form.name.data or "",
            short_name=form.short_name.data or "",
            departements=form.departements.data or [],
            default_workflow=form.default_workflow.data or None,
            report_title=form.report_title.data,
            report_intro=form.report_intro.data,
            report_footer=form.report_footer.data,
        )
        with refusal(InvalidInput) as refused:
            services.setup_network(values, workflows=available().names(), user_id=current_user.id)
            flash(_("The network settings are saved."), "info")
            return redirect(url_for(".settings"))
        _show_errors(form, refused.error)
    return _page(settings=form, status=400)


@bp.route("/plan", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def save_plan() -> Page:
    """Save how many activities of each type are planned a year."""
    form = _plan_form(queries.current_network())
    if form.validate_on_submit():
        counts = {t.value: getattr(form, plan_field_name(t.value)).data or 0 for t in ActivityType}
        with refusal(InvalidInput, NotFound) as refused:
            services.set_plan(counts, user_id=current_user.id)
            flash(_("The yearly plan is saved."), "info")
            return redirect(url_for(".settings"))
        _show_refusal(form, refused.error)
    return _page(plan=form, status=400)


def _organisation_input(form: OrganisationForm) -> services.OrganisationInput:
    return services.OrganisationInput(
        name=form.name.data or "",
        kind=form.kind.data or "",
        departement=form.departement.data or None,
        active=bool(form.active.data),
    )


@bp.route("/organisations", methods=["POST"])
@roles(Role.COORDINATOR)
@commits
def add_organisation() -> Page:
    """Add a partner organisation."""
    form = _organisation_form()
    if form.validate_on_submit():
        with refusal(InvalidInput, NotFound) as refused:
            saved = services.save_organisation(_organisation_input(form), user_id=current_user.id)
            flash(_("%(name)s is saved.", name=saved.name), "info")
            return redirect(url_for(".settings"))
        _show_refusal(form, refused.error)
    return _page(organisation=form, status=400)


def _organisation(organisation_id: int) -> Organisation:
    network = queries.current_network()
    organisation = db.session.get(Organisation, organisation_id)
    if network is None or organisation is None or organisation.network_id != network.id:
        raise NotFound("No such organisation")
    return organisation


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@roles(Role.COORDINATOR)
@commits
def organisation(organisation_id: int) -> Page:
    """Change a partner organisation (name, kind, département, active)."""
    current = _organisation(organisation_id)
    form = _organisation_form(current)
    if form.validate_on_submit():
        with refusal(InvalidInput) as refused:
            services.save_organisation(
                _organisation_input(form), organisation_id=current.id, user_id=current_user.id
            )
            flash(_("%(name)s is saved.", name=form.name.data), "info")
            return redirect(url_for(".settings"))
        _show_errors(form, refused.error)
    status = 400 if form.is_submitted() else 200
    page = render_template("network/organisation.html", organisation=current, form=form)
    return page, status
