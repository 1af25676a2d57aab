"""The application's workflow registry: the files in workflows/, and the versions in the database.

A project runs on the version it started with. Every published version is kept in the database
(`WorkflowSnapshot`), and so is every file version a project started on, so a file can later be
replaced by a newer version without stranding the projects that still run on the old one.

Every worker of every machine serves the same versions without a restart: once per request (or
command) one small query lists the database's versions (name, version, digest of the text, label
revision: a few short rows); when they changed, the registry is rebuilt from the files and the
rows, parsing only the texts it has not seen yet.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask import Flask, current_app, g
from flask_babel import force_locale
from sqlalchemy import Select, select
from sqlalchemy.exc import SQLAlchemyError

from accompagnement.engine import (
    DefinitionError,
    UnknownWorkflow,
    Workflow,
    WorkflowDefinition,
    WorkflowRegistry,
    load_definition,
    load_directory,
)
from accompagnement.errors import WorkflowFilesInvalid
from accompagnement.extensions import db
from accompagnement.i18n import cli_language
from accompagnement.workflows.models import WorkflowSnapshot

EXTENSION_KEY = "workflow_registry"
CHECKED = "_workflow_registry_checked"  # on `g`: the revision was read in this request
log = logging.getLogger(__name__)

Revision = frozenset[tuple[str, int, str, int]]
"""The versions in the database: (name, version, SHA-256, label revision) of each."""


class WorkflowChanged(RuntimeError):
    """A workflow file was edited without a new version number while projects run on it."""


def digest(text: str) -> str:
    """Return the SHA-256 of a definition's text (how versions are told apart)."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class RegistryState:
    """The files' definitions, the registry built last, and the workflows parsed so far."""

    files: list[WorkflowDefinition]
    registry: WorkflowRegistry
    revision: Revision | None = None
    parsed: dict[str, Workflow] = field(default_factory=dict)  # by SHA-256 of the text


def init_registry(app: Flask) -> None:
    """Load and validate every definition; an invalid one stops the app from starting."""
    directory = str(app.config["WORKFLOWS_DIR"])
    try:
        definitions = load_directory(Path(directory))
    except DefinitionError as exc:
        with app.app_context(), force_locale(cli_language()):  # the shell's (or server's) language
            raise WorkflowFilesInvalid(directory, exc.problems) from None
    state = RegistryState(definitions, WorkflowRegistry())
    for definition in definitions:
        state.parsed[digest(definition.source_text)] = state.registry.add(definition)
    app.extensions[EXTENSION_KEY] = state


def _state() -> RegistryState:
    return current_app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def registry() -> WorkflowRegistry:
    """Return the registry of the current app, up to date with the database (once a request)."""
    state = _state()
    if not g.get(CHECKED):
        rows = _database_versions()
        if rows is not None and rows != state.revision:
            state.registry = _rebuild(state, rows)
            state.revision = rows
        setattr(g, CHECKED, True)
    return state.registry


def invalidate() -> None:
    """Make the next lookup rebuild the registry (after this session published a version)."""
    _state().revision = None
    g.pop(CHECKED, None)


def _database_versions() -> Revision | None:
    """Read which versions the database holds, by name, version, text digest and relabellings."""
    try:
        rows = db.session.execute(_versions_query()).all()
    except SQLAlchemyError:  # no table yet (before `flask db upgrade`): the files alone
        db.session.rollback()
        return None
    return frozenset((name, version, sha, labels) for name, version, sha, labels in rows)


@cache
def _versions_query() -> Select[str, int, str, int]:
    # Built once: it runs on every request that looks a workflow up.
    return select(
        WorkflowSnapshot.name,
        WorkflowSnapshot.version,
        WorkflowSnapshot.sha256,
        WorkflowSnapshot.label_revision,
    )


def _rebuild(state: RegistryState, rows: Revision) -> WorkflowRegistry:
    """Build a registry from the files and the database's versions (the database's text wins
    when it was relabelled in place, the file's when they differ otherwise: `snapshot` refuses)."""
    chosen = {(d.name, d.version): state.parsed[digest(d.source_text)] for d in state.files}
    for name, version, sha256, label_revision in sorted(rows):
        if (name, version) in chosen and not label_revision:
            continue
        workflow = state.parsed.get(sha256) or _parse_row(state, name, version)
        if workflow is not None:
            chosen[(name, version)] = workflow
    fresh = WorkflowRegistry()
    for key in sorted(chosen):
        fresh.add_workflow(chosen[key])
    return fresh


def _parse_row(state: RegistryState, name: str, version: int) -> Workflow | None:
    """Read and keep a version's text from the database (None, logged, when it is invalid)."""
    row = db.session.get(WorkflowSnapshot, (name, version))
    if row is None:
        return None
    try:
        definition = load_definition(row.source, origin=f"database {name} v{version}")
    except DefinitionError as exc:  # a rule added since it was published: keep serving the rest
        log.warning("workflow %s v%s in the database is invalid: %s", name, version, exc)
        return None
    workflow = state.parsed[row.sha256] = Workflow(definition)
    return workflow


def get_workflow(name: str, version: int) -> Workflow:
    """Return a workflow version (raise UnknownWorkflow)."""
    try:
        return registry().get(name, version)
    except UnknownWorkflow:
        if db.session.get(WorkflowSnapshot, (name, version)) is None:
            raise
        invalidate()  # published in this transaction, or since this request checked
        return registry().get(name, version)


def latest_workflow(name: str) -> Workflow:
    """Return the newest version of a workflow."""
    return registry().latest(name)


def file_definitions() -> list[WorkflowDefinition]:
    """Return the definitions read from the files at start."""
    return list(_state().files)


def snapshot(workflow: Workflow) -> None:
    """Keep the text of a workflow version in the database, once; refuse a silent edit."""
    source = workflow.source_text
    sha256 = digest(source)
    existing = db.session.get(WorkflowSnapshot, (workflow.name, workflow.version))
    if existing is None:
        db.session.add(
            WorkflowSnapshot(
                name=workflow.name, version=workflow.version, source=source, sha256=sha256
            )
        )
    elif existing.sha256 != sha256:
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
    "invalidate",
    "latest_workflow",
    "registry",
    "snapshot",
]
