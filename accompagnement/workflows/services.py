"""The application's workflow registry: files in workflows/, plus versions kept in the database.

A project runs on the version it started with. When a project starts on a version, the text of
that version is snapshotted in the database, so the file can later be replaced by a newer version
without stranding the projects that still run on the old one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import select

from accompagnement.engine import (
    DefinitionError,
    UnknownWorkflow,
    Workflow,
    WorkflowRegistry,
    load_definition,
    load_directory,
)
from accompagnement.errors import WorkflowFilesInvalid
from accompagnement.extensions import db
from accompagnement.i18n import cli_language
from accompagnement.workflows.models import WorkflowSnapshot

EXTENSION_KEY = "workflow_registry"


class WorkflowChanged(RuntimeError):
    """A workflow file was edited without a new version number while projects run on it."""


def init_registry(app: Flask) -> None:
    """Load and validate every definition; an invalid one stops the app from starting."""
    registry = WorkflowRegistry()
    directory = str(app.config["WORKFLOWS_DIR"])
    try:
        definitions = load_directory(Path(directory))
    except DefinitionError as exc:
        with app.app_context(), force_locale(cli_language()):  # the shell's (or server's) language
            raise WorkflowFilesInvalid(directory, exc.problems) from None
    for definition in definitions:
        registry.add(definition)
    app.extensions[EXTENSION_KEY] = registry


def registry() -> WorkflowRegistry:
    """Return the registry of the current app."""
    return current_app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def get_workflow(name: str, version: int) -> Workflow:
    """Return a workflow version, from the files or else from the database snapshots."""
    reg = registry()
    try:
        return reg.get(name, version)
    except UnknownWorkflow:
        snapshot = db.session.get(WorkflowSnapshot, (name, version))
        if snapshot is None:
            raise
        definition = load_definition(snapshot.source, origin=f"snapshot {name} v{version}")
        reg.add(definition)
        return reg.get(name, version)


def latest_workflow(name: str) -> Workflow:
    """Return the newest version of a workflow known to the files."""
    return registry().latest(name)


def snapshot(workflow: Workflow) -> None:
    """Keep the text of a workflow version in the database, once; refuse a silent edit."""
    source = workflow.source_text
    digest = hashlib.sha256(source.encode()).hexdigest()
    existing = db.session.get(WorkflowSnapshot, (workflow.name, workflow.version))
    if existing is None:
        db.session.add(
            WorkflowSnapshot(
                name=workflow.name, version=workflow.version, source=source, sha256=digest
            )
        )
    elif existing.sha256 != digest:
        raise WorkflowChanged(
            f"{workflow.name} v{workflow.version} differs from the version projects started on; "
            "give the edited file a new version number"
        )


def snapshot_versions() -> list[tuple[str, int]]:
    """List the workflow versions recorded in the database."""
    rows = db.session.execute(select(WorkflowSnapshot.name, WorkflowSnapshot.version))
    return [(name, version) for name, version in rows]


__all__ = [
    "DefinitionError",
    "WorkflowChanged",
    "get_workflow",
    "latest_workflow",
    "registry",
    "snapshot",
]
