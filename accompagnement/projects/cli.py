"""`flask projects ...` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _

from accompagnement.auth.services import find_by_email
from accompagnement.clierrors import read_only
from accompagnement.errors import DomainError, InvalidInput, TransitionRefused
from accompagnement.extensions import db
from accompagnement.i18n import cli_language, label
from accompagnement.projects import queries, services
from accompagnement.projects.models import Project

projects = AppGroup("projects", help="List projects and move them along their workflow.")


@projects.command("list")
@click.option("--workflow", help="Only the projects of this workflow.")
@read_only
def list_command(workflow: str | None) -> None:
    """Print every project with its workflow version and stage."""
    rows = queries.list_projects(workflow)
    for project in rows:
        stage = services.workflow_of(project).stage(project.state)
        click.echo(
            f"{project.id:>4}  {project.name[:40]:<40}  "
            f"{project.workflow_name} v{project.workflow_version}  {label(stage.label)}"
        )
    click.echo(f"{len(rows)} project(s)")


@projects.command("fire")
@click.argument("project_id", type=int)
@click.argument("trigger")
@click.option("--as", "email", required=True, help="E-mail address of the person acting.")
@click.option("--reason", help="Why (required by some transitions).")
def fire_command(project_id: int, trigger: str, email: str, reason: str | None) -> None:
    """Fire a transition on a project as a user; print why when it is refused."""
    user = find_by_email(email)
    if user is None:
        raise click.ClickException(_("No account with the e-mail address %(email)s.", email=email))
    try:
        entry = services.fire_transition(project_id, trigger, user_id=user.id, reason=reason)
    except TransitionRefused as exc:
        db.session.rollback()
        click.echo(
            _("Refused: %(trigger)s on project %(id)s", trigger=trigger, id=project_id), err=True
        )
        for sentence in exc.sentences(cli_language()):
            click.echo(f"  - {sentence}", err=True)
        raise SystemExit(1) from exc
    except InvalidInput as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message or type(exc).__name__) from exc
    project = db.session.get(Project, project_id)
    name = project.name if project else ""
    db.session.commit()
    click.echo(f"Project {project_id}: {entry.from_state} -> {entry.to_state} ({name})")


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(projects)
