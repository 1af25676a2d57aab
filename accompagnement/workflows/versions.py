"""Publish workflow versions into the database, relabel one in place, export one as YAML.

The text of a version is its YAML, checked by the engine exactly as a file is, so a definition
gets the same problems whether it comes from a file, an upload or the editor. Publishing only
flushes: the request or command commits (and every worker sees the version at its next request).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import update

from accompagnement.db import utcnow
from accompagnement.engine import (
    Change,
    DefinitionError,
    UnknownWorkflow,
    Workflow,
    WorkflowDefinition,
    compare,
    load_definition,
)
from accompagnement.engine.loader import default_problems
from accompagnement.errors import DomainError, InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.workflows.models import WorkflowSnapshot
from accompagnement.workflows.services import (
    WorkflowChanged,
    digest,
    file_definitions,
    get_workflow,
    invalidate,
    registry,
    snapshot,
)

UPLOADED = "<text>"


class VersionExists(DomainError):
    """This name and version are published already, with another text."""

    status = 409


class StructuralChange(DomainError):
    """Changes that running projects could notice: they need a new version, not a relabelling."""

    status = 409

    def __init__(self, changes: Sequence[Change]) -> None:
        super().__init__(_("These changes need a new version of the pathway."))
        self.changes = list(changes)


def read(text: str, origin: str = UPLOADED) -> WorkflowDefinition:
    """Check a definition's text as a file is checked (raise DefinitionError with its problems)."""
    definition = load_definition(text, origin)
    others = [
        registry().latest(name).definition for name in registry().names() if name != definition.name
    ]
    problems = [p for p in default_problems([*others, definition]) if p.origin == origin]
    if problems:
        raise DefinitionError(problems)
    return definition


def publish(
    text: str, *, user_id: int | None, network_id: int | None = None, origin: str = UPLOADED
) -> Workflow:
    """Publish a new version from its YAML text; the same text again changes nothing."""
    definition = read(text, origin)
    name, version = definition.name, definition.version
    known = _known_text(name, version)
    if known is not None:
        if digest(known) != digest(text):
            raise VersionExists(
                _(
                    "%(name)s version %(version)s is already published with another content; "
                    "give it a new version number.",
                    name=name,
                    version=version,
                )
            )
        workflow = get_workflow(name, version)
        snapshot(workflow)  # a file's version not recorded yet
        return workflow
    db.session.add(
        WorkflowSnapshot(
            name=name,
            version=version,
            source=text,
            sha256=digest(text),
            network_id=network_id,
            published_by_id=user_id,
        )
    )
    db.session.flush()
    invalidate()
    return get_workflow(name, version)


def _known_text(name: str, version: int) -> str | None:
    """Return the text of a version the database or the files already hold, if any."""
    row = db.session.get(WorkflowSnapshot, (name, version))
    if row is not None:
        return row.source
    try:
        return registry().get(name, version).source_text
    except UnknownWorkflow:
        return None


def publish_labels(name: str, version: int, text: str, *, user_id: int | None) -> Workflow:
    """Publish label-only changes in place on a version; raise StructuralChange otherwise."""
    current = _version(name, version)
    definition = read(text)
    if (definition.name, definition.version) != (name, version):
        raise InvalidInput(
            _(
                "This text is %(found)s version %(found_version)s, not %(name)s version "
                "%(version)s.",
                found=definition.name,
                found_version=definition.version,
                name=name,
                version=version,
            )
        )
    changes = compare(current.definition, definition)
    structural = [change for change in changes if change.structural]
    if structural:
        raise StructuralChange(structural)
    if not changes:
        return current
    snapshot(current)  # a file's version gets its row before it is relabelled
    return _relabel(name, version, text, user_id=user_id)


def _relabel(name: str, version: int, text: str, *, user_id: int | None) -> Workflow:
    """Replace a recorded version's text, one label revision more (atomic for concurrent edits)."""
    db.session.flush()
    db.session.execute(
        update(WorkflowSnapshot)
        .where(WorkflowSnapshot.name == name, WorkflowSnapshot.version == version)
        .values(
            source=text,
            sha256=digest(text),
            label_revision=WorkflowSnapshot.label_revision + 1,
            revised_at=utcnow(),
            revised_by_id=user_id,
        )
        .execution_options(synchronize_session="fetch")
    )
    invalidate()
    return get_workflow(name, version)


def _version(name: str, version: int) -> Workflow:
    """Return a known version, or raise NotFound."""
    try:
        return get_workflow(name, version)
    except UnknownWorkflow:
        raise NotFound(
            _("Unknown pathway %(name)s version %(version)s.", name=name, version=version)
        ) from None


def export_text(name: str, version: int) -> str:
    """Return the YAML text of a version (raise NotFound)."""
    return _version(name, version).source_text


def sync_files() -> list[tuple[WorkflowDefinition, str]]:
    """Record each file version the database lacks; relabel those whose labels alone changed.

    Returns each file's definition with what happened: `recorded`, `relabelled` or `kept`.
    A file edited beyond its labels without a new version number raises WorkflowChanged.
    """
    done = []
    for definition in file_definitions():
        done.append((definition, _sync_one(definition)))
    return done


def _sync_one(definition: WorkflowDefinition) -> str:
    """Record or relabel one file version; say which."""
    name, version, text = definition.name, definition.version, definition.source_text
    row = db.session.get(WorkflowSnapshot, (name, version))
    if row is None:
        db.session.add(
            WorkflowSnapshot(name=name, version=version, source=text, sha256=digest(text))
        )
        return "recorded"
    if row.sha256 == digest(text):
        return "kept"
    stored = load_definition(row.source, f"database {name} v{version}")
    if not any(change.structural for change in compare(stored, definition)):
        if row.label_revision:
            return "kept"  # relabelled in the browser since: the database's wording wins
        _relabel(name, version, text, user_id=None)
        return "relabelled"
    raise WorkflowChanged(
        f"{name} v{version} differs from the version in the database beyond its labels; "
        "give the edited file a new version number"
    )
