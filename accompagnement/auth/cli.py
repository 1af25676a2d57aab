"""`flask users ...` commands."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from accompagnement.access import ROLE_LABELS, Role
from accompagnement.audit.services import record
from accompagnement.auth import services
from accompagnement.auth.links import password_url
from accompagnement.auth.models import User
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.network import queries as network_queries

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", required=True, help="Full name shown in the interface.")
@click.option("--departement", "departements", multiple=True, help="Limit a partner (repeat).")
@click.option("--organisation", help="A partner's organisation, by name (see `network show`).")
def create(
    email: str, role: str, name: str, departements: tuple[str, ...], organisation: str | None
) -> None:
    """Create an account, or give an existing one a role in this network.

    The password of a new account is read from standard input, or asked.
    """
    organisation_id = _organisation_id(organisation, role) if organisation else None
    existing = services.find_by_email(email)
    if existing is not None:
        _join(existing, role, list(departements), organisation_id)
        return
    if sys.stdin.isatty():
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = services.create_user(
            email, name=name, role=role, password=password, departements=list(departements)
        )
    except InvalidInput as exc:
        for field, message in exc.errors.items():
            click.echo(_("Error: %(field)s: %(message)s", field=field, message=message), err=True)
        raise SystemExit(1) from exc
    user.organisation_id = organisation_id
    db.session.commit()
    click.echo(
        _(
            "Created %(role)s %(email)s (id %(id)s)",
            role=str(ROLE_LABELS[user.role]).lower(),
            email=user.email,
            id=user.id,
        )
    )


def _join(user: User, role: str, departements: list[str], organisation_id: int | None) -> None:
    """Give an existing account a role in the network of the command."""
    try:
        services.join_network(user, role, departements)
    except InvalidInput as exc:
        for field, message in exc.errors.items():
            click.echo(_("Error: %(field)s: %(message)s", field=field, message=message), err=True)
        raise SystemExit(1) from exc
    if organisation_id is not None:
        user.organisation_id = organisation_id
    db.session.commit()
    click.echo(
        _(
            "%(email)s (id %(id)s) is now %(role)s here",
            role=str(ROLE_LABELS[role]).lower(),
            email=user.email,
            id=user.id,
        )
    )


def _organisation_id(name: str, role: str) -> int:
    """Return the id of the network's organisation of that name (any case), or exit 1."""
    if role != Role.PARTNER:
        click.echo(_("Error: organisation: only a partner belongs to an organisation"), err=True)
        raise SystemExit(1)
    known = network_queries.organisations()
    for found in known:
        if found.name.casefold() == name.strip().casefold():
            return found.id
    names = ", ".join(o.name for o in known) or _("none yet (`flask network organisation NAME`)")
    message = _(
        "Error: organisation: no organisation is named %(name)s; known: %(names)s",
        name=repr(name),
        names=names,
    )
    click.echo(message, err=True)
    raise SystemExit(1)


@users.command("link")
@click.argument("email")
def link(email: str) -> None:
    """Print a single-use link to choose a password (invitation or forgotten password)."""
    user = services.find_by_email(email)
    if user is None or not user.is_active:
        click.echo(_("Error: no active account uses %(email)s", email=email), err=True)
        raise SystemExit(1)
    base = current_app.config.get("BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context(base_url=base):
        url = password_url(user)
    record("auth.password_link_cli", user_id=user.id)
    db.session.commit()
    hours = current_app.config["RESET_TOKEN_HOURS"]
    text = ngettext(
        "Link for %(email)s (works once, for %(num)d hour):",
        "Link for %(email)s (works once, for %(num)d hours):",
        hours,
        email=user.email,
    )
    click.echo(f"{text}\n{url}")


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(users)
