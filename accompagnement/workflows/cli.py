"""`flask workflows check|show|migrate` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from accompagnement import engine
from accompagnement.audit.services import record
from accompagnement.extensions import db
from accompagnement.projects.models import Project, TransitionRecord
from accompagnement.workflows.registry import get_workflow, registry, snapshot

workflows = AppGroup("workflows", help="Check, show and migrate workflow definitions.")


@workflows.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate workflow files (all of workflows/ by default)."""
    # With broken files in WORKFLOWS_DIR the factory already refused to start: every problem
    # was shown and the command exited 1 (WorkflowFilesInvalid) before reaching this line.
    paths = list(files) or engine.directory_files(current_app.config["WORKFLOWS_DIR"])
    lines, ok = engine.check_files(paths)
    for line in lines:
        click.echo(line, err=not ok)
    raise SystemExit(0 if ok else 1)


@workflows.command("show")
@click.argument("name")
@click.option("--version", type=int, help="A given version (the newest by default).")
def show(name: str, version: int | None) -> None:
    """Print the diagram of a workflow as Mermaid text."""
    try:
        workflow = get_workflow(name, version) if version else registry().latest(name)
    except engine.UnknownWorkflow as exc:
        known = ", ".join(sorted(registry().names())) or "none"
        raise click.ClickException(f"unknown workflow {name!r} (known: {known})") from exc
    click.echo(workflow.mermaid())


@workflows.command("migrate")
@click.argument("name")
@click.option("--to", "version", type=int, required=True, help="Target version.")
@click.option("--dry-run", is_flag=True, help="Say what would move, change nothing.")
def migrate(name: str, version: int, dry_run: bool) -> None:
    """Move the projects of a workflow to another version where their stage exists."""
    try:
        target = get_workflow(name, version)
    except engine.UnknownWorkflow as exc:
        raise click.ClickException(f"unknown workflow {name} v{version}") from exc
    rows = db.session.scalars(
        select(Project).where(Project.workflow_name == name, Project.workflow_version != version)
    ).all()
    movable, refused = engine.migration_plan([(p.id, p.state) for p in rows], target)
    by_id = {p.id: p for p in rows}
    for project_id in movable:
        click.echo(
            f"{'would move' if dry_run else 'moved'}: project {project_id} "
            f"({by_id[project_id].state}) v{by_id[project_id].workflow_version} -> v{version}"
        )
    for project_id, state in refused:
        click.echo(
            f"refused: project {project_id}: stage {state!r} does not exist in v{version}", err=True
        )
    if dry_run:
        db.session.rollback()
    else:
        _apply(target, [by_id[i] for i in movable])
    click.echo(f"{len(movable)} movable, {len(refused)} refused")
    raise SystemExit(1 if refused else 0)


def _apply(target: engine.Workflow, projects: list[Project]) -> None:
    snapshot(target)
    for project in projects:
        db.session.add(
            TransitionRecord(
                project_id=project.id,
                workflow_version=target.version,
                trigger="migrate",
                from_state=project.state,
                to_state=project.state,
                reason=f"v{project.workflow_version} -> v{target.version}",
            )
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
    """Attach the commands of this feature to the app."""
    app.cli.add_command(workflows)
