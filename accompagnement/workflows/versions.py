"""Publish workflow versions into the database, relabel one in place, export one as YAML.

The text of a version is its YAML, checked by the engine exactly as a file is, so a definition
gets the same problems whether it comes from a file, an upload or the editor. Publishing only
flushes: the request or command commits (and every worker sees the version at its next request).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import select, update

from accompagnement.db import utcnow
from accompagnement.engine import (
    Change,
    DefinitionError,
    DefinitionProblem,
    UnknownWorkflow,
    Workflow,
    WorkflowDefinition,
    compare,
    load_definition,
)
from accompagnement.engine.loader import default_problems
from accompagnement.errors import DomainError, InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.tenancy import network_id_of
from accompagnement.workflows.models import WorkflowSnapshot
from accompagnement.workflows.services import (
    CURRENT,
    CurrentNetwork,
    WorkflowChanged,
    available,
    available_workflow,
    digest,
    file_definitions,
    get_workflow,
    invalidate,
    network_file_definitions,
    registry,
    snapshot,
)

UPLOADED = "<text>"


class VersionExists(DomainError):
    """This name and version are published already, with another text."""

    status = 409


class NameTaken(DomainError):
    """The name is another owner's: a network's pathway needs a name no other owner uses."""

    status = 409


class StructuralChange(DomainError):
    """Changes that running projects could notice: they need a new version, not a relabelling."""

    status = 409

    def __init__(self, changes: Sequence[Change]) -> None:
        super().__init__(_("These changes need a new version of the pathway."))
        self.changes = list(changes)


class InvalidDefinition(DomainError):
    """A definition's text is invalid: the engine's `problems`, for a page to show."""

    def __init__(self, problems: Sequence[DefinitionProblem]) -> None:
        super().__init__(_("The definition is not valid."))
        self.problems = list(problems)


@contextmanager
def checked() -> Iterator[None]:
    """Turn the engine's DefinitionError into InvalidDefinition (a refusal pages can show)."""
    try:
        yield
    except DefinitionError as exc:
        raise InvalidDefinition(exc.problems) from exc


def read(
    text: str, origin: str = UPLOADED, network_id: int | None | CurrentNetwork = CURRENT
) -> WorkflowDefinition:
    """Check a definition's text as a file is checked (raise DefinitionError with its problems),
    beside the pathways of the network it is for (the network in scope by default)."""
    definition = load_definition(text, origin)
    known = available(network_id)
    others = [known.latest(name).definition for name in known.names() if name != definition.name]
    problems = [p for p in default_problems([*others, definition]) if p.origin == origin]
    if problems:
        raise DefinitionError(problems)
    return definition


def publish(
    text: str, *, user_id: int | None, network_id: int | None = None, origin: str = UPLOADED
) -> Workflow:
    """Publish a new version from its YAML text; the same text again changes nothing.

    `network_id` owns the version (None: shared by every network); the name must be unknown,
    shared or that network's own.
    """
    definition = read(text, origin, network_id)
    name, version = definition.name, definition.version
    _check_owner(name, network_id)
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


def _check_owner(name: str, network_id: int | None) -> None:
    """Refuse a version of a name only other owners use (another network's pathway)."""
    if name in registry().names() and name not in available(network_id).names():
        raise NameTaken(
            _(
                "The key %(name)s is already used by another network's pathway; choose another "
                "key.",
                name=name,
            )
        )


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
    """Return a version the network in scope can use, or raise NotFound."""
    try:
        return available_workflow(name, version)
    except UnknownWorkflow:
        raise NotFound(
            _("Unknown pathway %(name)s version %(version)s.", name=name, version=version)
        ) from None


def export_text(name: str, version: int) -> str:
    """Return the YAML text of a version (raise NotFound)."""
    return _version(name, version).source_text


NO_NETWORK = "no_network"


def sync_files() -> list[tuple[WorkflowDefinition, str, str | None]]:
    """Record each file version the database lacks; relabel those whose labels alone changed.

    Returns each file's definition with what happened (`recorded`, `relabelled`, `kept`, or
    `no_network` for a network's file whose network does not exist yet: skipped) and the short
    name of the network whose directory it is in (None: a shared file). A file edited beyond its
    labels without a new version number raises WorkflowChanged; a network's file named as another
    owner's pathway raises NameTaken.
    """
    done: list[tuple[WorkflowDefinition, str, str | None]] = [
        (definition, _sync_one(definition, None), None) for definition in file_definitions()
    ]
    for short_name, definitions in sorted(network_file_definitions().items()):
        done += [(d, what, short_name) for d, what in sync_network(short_name, definitions)]
    return done


def sync_network(
    short_name: str, definitions: Sequence[WorkflowDefinition] | None = None
) -> list[tuple[WorkflowDefinition, str]]:
    """Record the versions of a network's directory with its network (skipped when it is
    missing: `no_network`), as `sync_files` does; the demo calls it for the network it makes."""
    if definitions is None:
        definitions = network_file_definitions().get(short_name, [])
    network_id = network_id_of(db.session, short_name)
    if network_id is None:
        return [(definition, NO_NETWORK) for definition in definitions]
    done = []
    for definition in definitions:
        _check_file_owner(definition, network_id)
        done.append((definition, _sync_one(definition, network_id)))
    return done


def _check_file_owner(definition: WorkflowDefinition, network_id: int) -> None:
    """Refuse a network's file whose name the database knows as another owner's pathway."""
    owners = db.session.scalars(
        select(WorkflowSnapshot.network_id).where(WorkflowSnapshot.name == definition.name)
    )
    if any(found != network_id for found in owners):
        raise NameTaken(
            _(
                "%(origin)s: the name %(name)s is already used by a shared pathway or another "
                "network's; a network's pathway needs a name of its own.",
                origin=definition.origin,
                name=definition.name,
            )
        )


def _sync_one(definition: WorkflowDefinition, network_id: int | None) -> str:
    """Record or relabel one file version; say which."""
    name, version, text = definition.name, definition.version, definition.source_text
    row = db.session.get(WorkflowSnapshot, (name, version))
    if row is None:
        db.session.add(
            WorkflowSnapshot(
                name=name, version=version, source=text, sha256=digest(text), network_id=network_id
            )
        )
        invalidate()
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
