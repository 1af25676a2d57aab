"""`flask demo load`: realistic Limousin demo data with fictitious people."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import func, select

from accompagnement.auth.models import User
from accompagnement.clierrors import across_networks
from accompagnement.demo.loader import load_demo
from accompagnement.extensions import db

demo = AppGroup("demo", help="Demo data.")


@demo.command("load")
@across_networks  # it makes a second network: running it again must not ask for --network
@click.option("--if-empty", is_flag=True, help="Only when the database has no account yet.")
def load(if_empty: bool) -> None:
    """Load the demo data (running it again adds nothing)."""
    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo(_("Database already has data: demo not loaded."))
        return
    summary = load_demo()
    db.session.commit()
    click.echo(summary)


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(demo)
