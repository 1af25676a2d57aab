"""`flask workflows check|list|show|sync|import|export` (`migrate` moves projects: projects/cli.py).

`workflows/*.yaml` are shared by every network; `workflows/<short name>/*.yaml` are that
network's own (recorded with it by `sync`)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext

from accompagnement import engine
from accompagnement.clierrors import across_networks, read_only
from accompagnement.errors import DomainError
from accompagnement.extensions import db
from accompagnement.i18n import cli_language
from accompagnement.messages import describe_problem
from accompagnement.workflows import versions
from accompagnement.workflows.services import (
    WorkflowChanged,
    available,
    get_workflow,
    owner,
    registry,
)

workflows = AppGroup("workflows", help="Check, show and migrate workflow definitions.")


@workflows.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@across_networks
def check(files: tuple[Path, ...]) -> None:
    """Validate workflow files (all of workflows/ and its networks' directories by default)."""
    # With broken files in WORKFLOWS_DIR the factory already refused to start: every problem
    # was shown and the command exited 1 (WorkflowFilesInvalid) before reaching this line.
    if files:
        definitions, problems = engine.load_files(list(files))
    else:
        definitions, problems = _whole_directory(Path(current_app.config["WORKFLOWS_DIR"]))
    for definition in definitions:
        click.echo(_summary(definition), err=bool(problems))
    for problem in problems:
        click.echo(describe_problem(problem), err=True)
    raise SystemExit(1 if problems else 0)


def _whole_directory(
    directory: Path,
) -> tuple[list[engine.WorkflowDefinition], list[engine.DefinitionProblem]]:
    """Load the shared files and every network's directory (listing, not raising, problems)."""
    shared = engine.directory_files(directory)
    networks = {
        name: engine.directory_files(path)
        for name, path in engine.network_directories(directory).items()
    }
    files, problems = engine.load_tree_files(shared, networks)
    return files.everything(), problems


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


@workflows.command("list")
@read_only
def list_command() -> None:
    """List the pathways the network can use: the shared ones and its own, newest version."""
    known = available()
    for name in known.names():
        newest = known.latest(name)
        network_id = owner(name, newest.version)
        whose = gettext("shared") if network_id is None else gettext("this network's own")
        click.echo(f"{name} v{newest.version}\t{newest.label(cli_language())}\t{whose}")


@workflows.command("sync")
@across_networks  # the shared files and every network's directory, each with its network
def sync() -> None:
    """Record in the database each version of workflows/ it lacks (run after an upgrade)."""
    try:
        done = versions.sync_files()
    except WorkflowChanged as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    words = {
        "recorded": gettext("recorded"),
        "relabelled": gettext("labels updated"),
        "kept": gettext("already recorded"),
    }
    for definition, what, short_name in done:
        click.echo(_synced(definition, words.get(what, ""), what, short_name))


def _synced(
    definition: engine.WorkflowDefinition, word: str, what: str, short_name: str | None
) -> str:
    """Say in one line what the sync did with a file."""
    if what == versions.NO_NETWORK:
        return gettext(
            "%(name)s v%(version)s: skipped, no network has the short name %(short)s yet "
            "(create it, then run `flask workflows sync` again)",
            name=definition.name,
            version=definition.version,
            short=short_name,
        )
    if short_name is None:
        return f"{definition.name} v{definition.version}: {word}"
    return f"{definition.name} v{definition.version} ({short_name}): {word}"


@workflows.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Publish the workflow version of a YAML file in the database."""
    try:
        definition = engine.load_file(file)  # the same problems as `flask workflows check`
        workflow = versions.publish(definition.source_text, user_id=None, origin=str(file))
    except engine.DefinitionError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(describe_problem(problem), err=True)
        raise SystemExit(1) from exc
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(_summary(workflow.definition))


@workflows.command("export")
@click.argument("name")
@click.option("--version", type=int, help="A given version (the newest by default).")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)
@read_only
def export(name: str, version: int | None, output: Path | None) -> None:
    """Print (or write) the YAML text of a workflow version."""
    try:
        number = version or available().latest(name).version
        text = versions.export_text(name, number)
    except (engine.UnknownWorkflow, DomainError) as exc:
        raise click.ClickException(
            gettext("unknown workflow %(name)s v%(version)s", name=name, version=version or "")
        ) from exc
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{output}: {exc.strerror or exc}") from exc


def register(app: Flask) -> None:
    """Attach the commands of this feature to the app."""
    app.cli.add_command(workflows)
