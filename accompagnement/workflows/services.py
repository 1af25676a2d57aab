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

import enum
import hashlib
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

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
    load_tree,
)
from accompagnement.errors import WorkflowFilesInvalid
from accompagnement.extensions import db
from accompagnement.i18n import cli_language
from accompagnement.tenancy import current_network_id, is_unscoped
from accompagnement.workflows.models import WorkflowSnapshot

EXTENSION_KEY = "workflow_registry"
CHECKED = "_workflow_registry_checked"  # on `g`: the revision was read in this request
log = logging.getLogger(__name__)

Revision = frozenset[tuple[str, int, str, int, int | None]]
"""The versions in the database: (name, version, SHA-256, label revision, network) of each."""


class WorkflowChanged(RuntimeError):
    """A workflow file was edited without a new version number while projects run on it."""


class CurrentNetwork(enum.Enum):
    """The network in scope (`tenancy.current_network_id()`), as `available`'s default."""

    CURRENT = "current"


CURRENT: Final = CurrentNetwork.CURRENT


def digest(text: str) -> str:
    """Return the SHA-256 of a definition's text (how versions are told apart)."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Built:
    """A registry of every version of the instance, who owns each, and each network's view."""

    registry: WorkflowRegistry
    owners: dict[tuple[str, int], int | None] = field(default_factory=dict)  # None: shared
    views: dict[int | None, WorkflowRegistry] = field(default_factory=dict)

    def view(self, network_id: int | None) -> WorkflowRegistry:
        """Return the versions a network can use: the shared ones and its own (kept)."""
        found = self.views.get(network_id)
        if found is None:
            found = WorkflowRegistry()
            for workflow in self.registry.all():
                if self.owners.get((workflow.name, workflow.version)) in (None, network_id):
                    found.add_workflow(workflow)
            self.views[network_id] = found
        return found


@dataclass
class RegistryState:
    """The files' definitions, the registry built last, and the workflows parsed so far.

    A network's files (`workflows/<short name>/`) are served once `flask workflows sync` has
    recorded them with their network; the shared files are served from the files as well.
    """

    files: list[WorkflowDefinition]
    built: Built
    network_files: dict[str, list[WorkflowDefinition]] = field(default_factory=dict)
    revision: Revision | None = None
    parsed: dict[str, Workflow] = field(default_factory=dict)  # by SHA-256 of the text

    @property
    def registry(self) -> WorkflowRegistry:
        return self.built.registry


def init_registry(app: Flask) -> None:
    """Load and validate every definition; an invalid one stops the app from starting."""
    directory = str(app.config["WORKFLOWS_DIR"])
    try:
        files = load_tree(Path(directory))
    except DefinitionError as exc:
        with app.app_context(), force_locale(cli_language()):  # the shell's (or server's) language
            raise WorkflowFilesInvalid(directory, exc.problems) from None
    state = RegistryState(files.shared, Built(WorkflowRegistry()), files.networks)
    for definition in files.shared:
        state.parsed[digest(definition.source_text)] = state.registry.add(definition)
    app.extensions[EXTENSION_KEY] = state


def _state() -> RegistryState:
    return current_app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]


def _built() -> Built:
    """Return the registry of the current app, up to date with the database (once a request)."""
    state = _state()
    if not g.get(CHECKED):
        rows = _database_versions()
        if rows is not None and rows != state.revision:
            state.built = _rebuild(state, rows)
            state.revision = rows
        setattr(g, CHECKED, True)
    return state.built


def registry() -> WorkflowRegistry:
    """Return every version of the instance, whoever owns it: what projects resolve their own
    (name, version) in. For what a network may choose, use `available()`."""
    return _built().registry


def available(network_id: int | None | CurrentNetwork = CURRENT) -> WorkflowRegistry:
    """Return the versions a network can choose: the shared ones and its own.

    By default the network in scope; outside any network, the shared ones alone; under
    `unscoped()` (national figures, jobs over every network), every version.
    """
    built = _built()
    if network_id is CURRENT:
        if is_unscoped():
            return built.registry
        network_id = current_network_id()
    return built.view(network_id)


def owner(name: str, version: int) -> int | None:
    """Return the network that owns a version (None: shared by every network)."""
    return _built().owners.get((name, version))


def invalidate() -> None:
    """Make the next lookup rebuild the registry (after this session published a version)."""
    _state().revision = None
    g.pop(CHECKED, None)


def _database_versions() -> Revision | None:
    """Read which versions the database holds: name, version, digest, relabellings, network."""
    try:
        rows = db.session.execute(_versions_query()).all()
    except SQLAlchemyError:  # no table yet (before `flask db upgrade`): the files alone
        db.session.rollback()
        return None
    return frozenset((name, version, sha, labels, net) for name, version, sha, labels, net in rows)


@cache
def _versions_query() -> Select[str, int, str, int, int | None]:
    # Built once: it runs on every request that looks a workflow up.
    return select(
        WorkflowSnapshot.name,
        WorkflowSnapshot.version,
        WorkflowSnapshot.sha256,
        WorkflowSnapshot.label_revision,
        WorkflowSnapshot.network_id,
    )


def _rebuild(state: RegistryState, rows: Revision) -> Built:
    """Build a registry from the files and the database's versions (the database's text wins
    when it was relabelled in place, the file's when they differ otherwise: `snapshot` refuses);
    a version's owner is its row's network (a file's version not recorded yet is shared)."""
    chosen = {(d.name, d.version): state.parsed[digest(d.source_text)] for d in state.files}
    owners: dict[tuple[str, int], int | None] = {}
    for name, version, sha256, label_revision, network_id in sorted(rows, key=_row_order):
        owners[(name, version)] = network_id
        if (name, version) in chosen and not label_revision:
            continue
        workflow = state.parsed.get(sha256) or _parse_row(state, name, version)
        if workflow is not None:
            chosen[(name, version)] = workflow
    fresh = WorkflowRegistry()
    for key in sorted(chosen):
        fresh.add_workflow(chosen[key])
    return Built(fresh, owners)


def _row_order(row: tuple[str, int, str, int, int | None]) -> tuple[str, int]:
    return row[0], row[1]


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
    """Return a workflow version, whoever owns it (raise UnknownWorkflow): a project's own."""
    try:
        return registry().get(name, version)
    except UnknownWorkflow:
        if db.session.get(WorkflowSnapshot, (name, version)) is None:
            raise
        invalidate()  # published in this transaction, or since this request checked
        return registry().get(name, version)


def available_workflow(name: str, version: int) -> Workflow:
    """Return a version the network in scope can use (raise UnknownWorkflow otherwise)."""
    workflow = get_workflow(name, version)
    if (name, version) not in available():
        raise UnknownWorkflow(f"{name} v{version}")
    return workflow


def latest_workflow(name: str) -> Workflow:
    """Return the newest version of a workflow the network in scope can use."""
    return available().latest(name)


def file_definitions() -> list[WorkflowDefinition]:
    """Return the shared definitions read from the files at start."""
    return list(_state().files)


def network_file_definitions() -> dict[str, list[WorkflowDefinition]]:
    """Return the networks' definitions read from the files at start, by short name."""
    return {name: list(found) for name, found in _state().network_files.items()}


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
    "CURRENT",
    "DefinitionError",
    "WorkflowChanged",
    "available",
    "available_workflow",
    "get_workflow",
    "invalidate",
    "latest_workflow",
    "registry",
    "snapshot",
]
