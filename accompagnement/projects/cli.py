"""`flask projects list|fire`, and `flask workflows migrate` (it moves projects)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from accompagnement.auth.services import find_by_email
from accompagnement.clierrors import read_only
from accompagnement.errors import DomainError, InvalidInput, NotFound, TransitionRefused
from accompagnement.extensions import db
from accompagnement.i18n import cli_language, label
from accompagnement.projects import moves, queries, services
from accompagnement.projects.models import Project
from accompagnement.workflows.cli import workflows

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


def _mapping(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    """Read `--map OLD=NEW` options."""
    mapping = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not (sep and old.strip() and new.strip()):
            raise click.BadParameter(
                _("expected OLD=NEW (two stage keys), got %(value)s", value=value)
            )
        mapping[old.strip()] = new.strip()
    return mapping


@click.command("migrate")
@click.argument("name")
@click.option("--to", "version", type=int, required=True, help="Target version.")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    callback=_mapping,
    help="OLD=NEW: projects in a stage the target lacks go to this stage (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Say what would move, change nothing.")
def migrate(name: str, version: int, mapping: dict[str, str], dry_run: bool) -> None:
    """Move the projects of a workflow to another version where their stage exists or is mapped."""
    try:
        found = moves.plan(name, version, mapping)
        sources = _versions([x.project_id for x in found.movable])
        if not dry_run:
            moves.move(name, version, mapping, user_id=None)
    except NotFound as exc:
        raise click.ClickException(
            _("unknown workflow %(name)s v%(version)s", name=name, version=version)
        ) from exc
    except InvalidInput as exc:
        raise click.ClickException(exc.message) from exc
    for landing in found.movable:
        state = (
            landing.state
            if landing.lands == landing.state
            else f"{landing.state} -> {landing.lands}"
        )
        values = {
            "id": landing.project_id,
            "state": state,
            "source": sources.get(landing.project_id, "?"),
            "target": version,
        }
        if dry_run:
            click.echo(
                _("would move: project %(id)s (%(state)s) v%(source)s -> v%(target)s", **values)
            )
        else:
            click.echo(_("moved: project %(id)s (%(state)s) v%(source)s -> v%(target)s", **values))
    for landing in found.refused:
        missing = landing.state if landing.lands is None else landing.return_state
        sentence = _(
            "refused: project %(id)s: stage %(state)s does not exist in v%(version)s",
            id=landing.project_id,
            state=repr(missing),
            version=version,
        )
        click.echo(sentence, err=True)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(
        _(
            "%(movable)s movable, %(refused)s refused",
            movable=len(found.movable),
            refused=len(found.refused),
        )
    )
    raise SystemExit(1 if found.refused else 0)


def _versions(ids: list[int]) -> dict[int, int]:
    """Return the version each project runs on now."""
    rows = db.session.execute(
        select(Project.id, Project.workflow_version).where(Project.id.in_(ids))
    ).all()
    return {project_id: version for project_id, version in rows}


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app (`migrate` joins `flask workflows`)."""
    app.cli.add_command(projects)
    workflows.add_command(migrate)
