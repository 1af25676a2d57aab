"""Commands of the networks: `flask network create|list` for the instance, and
`flask network setup|show|organisation|plan [--network SHORT_NAME]` for one network."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from accompagnement.clierrors import across_networks, read_only
from accompagnement.errors import DomainError, InvalidInput
from accompagnement.extensions import db
from accompagnement.network import queries, services
from accompagnement.network.models import OrganisationKind
from accompagnement.tenancy import unscoped
from accompagnement.workflows.services import available

network_group = AppGroup("network", help="The network's settings, partners and yearly plan.")
T = TypeVar("T")


def _run(action: Callable[[], T]) -> T:
    """Run a service and commit, or print its errors and exit 1 (nothing saved)."""
    try:
        result = action()
    except InvalidInput as error:
        db.session.rollback()
        for field, message in error.errors.items():
            click.echo(f"{field}: {message}", err=True)
        raise click.ClickException(error.message) from None
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    return result


@network_group.command("create")
@click.option("--name", required=True, help="Full name of the network.")
@click.option("--short-name", required=True, help="Short name: lower-case letters, digits, -.")
@click.option("--departements", required=True, help="Codes of its départements: 19,23,87.")
@click.option("--default-workflow", default=None, help="Pathway preselected for new projects.")
@across_networks
def create(name: str, short_name: str, departements: str, default_workflow: str | None) -> None:
    """Add a network to the instance."""
    codes = services.parse_codes(departements)
    if not codes:
        raise click.BadParameter(
            _("Give at least one département code."), param_hint="--departements"
        )
    settings = services.Settings(
        name=name, short_name=short_name, departements=codes, default_workflow=default_workflow
    )
    with unscoped():
        network = _run(lambda: services.create_network(settings, workflows=available(None).names()))
        click.echo(
            _(
                "Network %(name)s (%(short)s) created: départements %(codes)s.",
                name=network.name,
                short=network.short_name,
                codes=", ".join(network.departement_codes),
            )
        )


@network_group.command("list")
@across_networks
@read_only
def list_networks() -> None:
    """List the networks of the instance: short name, name, départements."""
    with unscoped():
        networks = queries.all_networks()
        if not networks:
            click.echo(_("No network yet: create one with `flask network create`."))
        for network in networks:
            codes = ", ".join(network.departement_codes) or "-"
            click.echo(f"{network.short_name}\t{network.name}\t{codes}")


@network_group.command("setup")
@click.option("--name", required=True, help="Full name of the network.")
@click.option("--short-name", required=True, help="Short name: lower-case letters, digits, -.")
@click.option("--departements", required=True, help="Codes of its départements: 19,23,87.")
@click.option("--default-workflow", default=None, help="Pathway preselected for new projects.")
@click.option("--report-title", default=None, help="Title of the steering committee report.")
def setup(
    name: str,
    short_name: str,
    departements: str,
    default_workflow: str | None,
    report_title: str | None,
) -> None:
    """Create the network or update its settings (idempotent)."""
    codes = services.parse_codes(departements)
    if not codes:
        raise click.BadParameter(
            _("Give at least one département code."), param_hint="--departements"
        )
    settings = services.Settings(
        name=name,
        short_name=short_name,
        departements=codes,
        default_workflow=default_workflow,
        report_title=report_title,
    )
    network = _run(lambda: services.setup_network(settings, workflows=available().names()))
    click.echo(
        _(
            "Network %(name)s (%(short)s): départements %(codes)s.",
            name=network.name,
            short=network.short_name,
            codes=", ".join(network.departement_codes),
        )
    )


@network_group.command("organisation")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in OrganisationKind]),
    default=OrganisationKind.OTHER.value,
    show_default=True,
)
@click.option("--departement", default=None, help="Code of its département, when it is local.")
@click.option("--inactive", is_flag=True, help="Keep it, but no longer list it.")
def organisation(name: str, kind: str, departement: str | None, inactive: bool) -> None:
    """Add a partner organisation, or update the one of that name."""
    data = services.OrganisationInput(
        name=name, kind=kind, departement=(departement or "").strip().upper() or None,
        active=not inactive,
    )  # fmt: skip
    saved = _run(lambda: services.save_organisation(data))
    click.echo(_("Organisation saved: %(name)s.", name=saved.name))


@network_group.command("plan")
@click.argument("counts", nargs=-1, required=True, metavar="TYPE=COUNT...")
def plan(counts: tuple[str, ...]) -> None:
    """Set the yearly plan, e.g. `reunion_coordination=2 journee_technique=2` (0 removes)."""
    parsed: dict[str, int] = {}
    for item in counts:
        key, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise click.BadParameter(
                _("Write TYPE=COUNT, e.g. journee_technique=2."), param_hint=item
            )
        parsed[key.strip()] = int(value)
    saved = _run(lambda: services.set_plan(parsed))
    click.echo(", ".join(f"{key}={count}" for key, count in sorted(saved.items())) or "-")


@network_group.command("show")
def show() -> None:
    """Print the network's settings, organisations and plan."""
    network = queries.current_network()
    if network is None:
        raise click.ClickException(_("No network is set up yet: run `flask network setup` first."))
    click.echo(f"{network.name} ({network.short_name})")
    click.echo(_("départements: %(codes)s", codes=", ".join(network.departement_codes)))
    click.echo(_("default workflow: %(name)s", name=network.default_workflow or "-"))
    for item in network.plan:
        click.echo(_("plan: %(type)s=%(count)s", type=item.activity_type, count=item.per_year))
    for org in network.organisations:
        place = f" {org.departement_code}" if org.departement_code else ""
        state = "" if org.active else _(" (inactive)")
        click.echo(
            _(
                "organisation: %(name)s [%(kind)s%(place)s]%(state)s",
                name=org.name,
                kind=org.kind,
                place=place,
                state=state,
            )
        )


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(network_group)
