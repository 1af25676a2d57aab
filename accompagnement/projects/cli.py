"""`flask projects list|fire`, and `flask workflows migrate` (it moves projects)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from accompagnement import engine
from accompagnement.audit.services import record
from accompagnement.auth.services import find_by_email
from accompagnement.clierrors import read_only
from accompagnement.db import utcnow
from accompagnement.errors import DomainError, InvalidInput, TransitionRefused
from accompagnement.extensions import db
from accompagnement.i18n import cli_language, label
from accompagnement.projects import queries, services, stageentries
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.workflows.cli import workflows
from accompagnement.workflows.services import get_workflow, snapshot

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
    click.echo(_("%(num)s project(s)", num=len(rows)))


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
    click.echo(
        _(
            "Project %(id)s: %(source)s -> %(target)s (%(name)s)",
            id=project_id,
            source=entry.from_state,
            target=entry.to_state,
            name=name,
        )
    )


@click.command("migrate")
@click.argument("name")
@click.option("--to", "version", type=int, required=True, help="Target version.")
@click.option("--dry-run", is_flag=True, help="Say what would move, change nothing.")
def migrate(name: str, version: int, dry_run: bool) -> None:
    """Move the projects of a workflow to another version where their stage exists."""
    try:
        target = get_workflow(name, version)
    except engine.UnknownWorkflow as exc:
        raise click.ClickException(
            _("unknown workflow %(name)s v%(version)s", name=name, version=version)
        ) from exc
    rows = db.session.scalars(
        select(Project).where(Project.workflow_name == name, Project.workflow_version != version)
    ).all()
    movable, refused = engine.migration_plan([(p.id, p.state) for p in rows], target)
    by_id = {p.id: p for p in rows}
    for project_id in movable:
        values = {
            "id": project_id,
            "state": by_id[project_id].state,
            "source": by_id[project_id].workflow_version,
            "target": version,
        }
        if dry_run:
            click.echo(
                _("would move: project %(id)s (%(state)s) v%(source)s -> v%(target)s", **values)
            )
        else:
            click.echo(_("moved: project %(id)s (%(state)s) v%(source)s -> v%(target)s", **values))
    for project_id, state in refused:
        sentence = _(
            "refused: project %(id)s: stage %(state)s does not exist in v%(version)s",
            id=project_id,
            state=repr(state),
            version=version,
        )
        click.echo(sentence, err=True)
    if dry_run:
        db.session.rollback()
    else:
        _apply(target, [by_id[i] for i in movable])
    click.echo(
        _("%(movable)s movable, %(refused)s refused", movable=len(movable), refused=len(refused))
    )
    raise SystemExit(1 if refused else 0)


def _apply(target: engine.Workflow, projects: list[Project]) -> None:
    snapshot(target)
    at = utcnow()
    for project in projects:
        db.session.add(
            TransitionRecord(
                project_id=project.id,
                workflow_version=target.version,
                trigger="migrate",
                from_state=project.state,
                to_state=project.state,
                reason=f"v{project.workflow_version} -> v{target.version}",
                at=at,
            )
        )
        # A move like any other for the time spent in the state (its stay goes on).
        stageentries.record_move(
            project.id, project.workflow_name, project.state, project.state, at
        )
        record(
            "workflow.migrated",
            user_id=None,
            project_id=project.id,
            source=project.workflow_version,
            target=target.version,
        )
        project.workflow_version = target.version
    db.session.commit()


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app (`migrate` joins `flask workflows`)."""
    app.cli.add_command(projects)
    workflows.add_command(migrate)
