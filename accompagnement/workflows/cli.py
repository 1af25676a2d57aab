"""`flask workflows check|show` commands (`migrate` moves projects: projects/cli.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext

from accompagnement import engine
from accompagnement.clierrors import across_networks
from accompagnement.messages import describe_problem
from accompagnement.workflows.services import get_workflow, registry

workflows = AppGroup("workflows", help="Check, show and migrate workflow definitions.")


@workflows.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@across_networks
def check(files: tuple[Path, ...]) -> None:
    """Validate workflow files (all of workflows/ by default)."""
    # With broken files in WORKFLOWS_DIR the factory already refused to start: every problem
    # was shown and the command exited 1 (WorkflowFilesInvalid) before reaching this line.
    paths = list(files) or engine.directory_files(current_app.config["WORKFLOWS_DIR"])
    definitions, problems = engine.load_files(paths)
    for definition in definitions:
        click.echo(_summary(definition), err=bool(problems))
    for problem in problems:
        click.echo(describe_problem(problem), err=True)
    raise SystemExit(1 if problems else 0)


def _summary(definition: engine.WorkflowDefinition) -> str:
    """Describe a valid workflow in one line."""
    return gettext(
        "%(name)s v%(version)s: %(stages)s stages, %(transitions)s transitions (%(origin)s)",
        name=definition.name,
        version=definition.version,
        stages=len(definition.stages),
        transitions=len(definition.transitions),
        origin=definition.origin,
    )


@workflows.command("show")
@click.argument("name")
@click.option("--version", type=int, help="A given version (the newest by default).")
@across_networks
def show(name: str, version: int | None) -> None:
    """Print the diagram of a workflow as Mermaid text."""
    try:
        workflow = get_workflow(name, version) if version else registry().latest(name)
    except engine.UnknownWorkflow as exc:
        known = ", ".join(sorted(registry().names())) or "none"
        raise click.ClickException(f"unknown workflow {name!r} (known: {known})") from exc
    click.echo(workflow.mermaid())


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(workflows)
