"""Drafts of pathways: start one, change its lists and keys, publish it, throw it away.

Every change reads the draft's document, changes a copy and stores the copy (a JSON column is
seen as changed only when it is a new object). Services flush; the request commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from accompagnement.db import utcnow
from accompagnement.engine import (
    Change,
    DefinitionError,
    UnknownWorkflow,
    Workflow,
    WorkflowDefinition,
    compare,
    label_only,
)
from accompagnement.engine.definition import NAME_PATTERN
from accompagnement.errors import DomainError, InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.messages import problem_sentence
from accompagnement.pathways import document as doc
from accompagnement.pathways.checks import check
from accompagnement.pathways.models import WorkflowDraft
from accompagnement.workflows.services import available, get_workflow, latest_workflow, registry

T = TypeVar("T")


def get_draft(draft_id: int) -> WorkflowDraft:
    """Return a draft, or raise NotFound."""
    draft = db.session.get(WorkflowDraft, draft_id)
    if draft is None:
        raise NotFound(_("This draft does not exist."))
    return draft


def pathway_names() -> list[str]:
    """Return the names of the published pathways the network can use (shared and its own)."""
    return available().names()


def start_draft(source: str | None, *, name: str, label: str, user_id: int) -> WorkflowDraft:
    """Start a draft: the next version of a published pathway, or a new pathway."""
    if source:
        document, base = _next_version(source)
    else:
        _check_new_name(name, label)
        document, base = doc.empty_pathway(name, label.strip()), None
    draft = WorkflowDraft(  # the network in scope owns it (tenancy)
        name=str(document.get("name") or name),
        base_version=base,
        definition=document,
        updated_by=user_id,
    )
    db.session.add(draft)
    db.session.flush()
    return draft


def _next_version(name: str) -> tuple[doc.Document, int]:
    """Copy the network's current version of a pathway, numbered one above the newest of the
    instance (another network's own versions of a shared pathway take numbers too)."""
    try:
        current = latest_workflow(name)
    except UnknownWorkflow:
        raise InvalidInput(_("Unknown pathway."), {"source": _("Unknown pathway.")}) from None
    document = normalised(doc.from_text(current.definition.source_text))
    document["version"] = registry().latest(name).version + 1
    return document, current.version


def normalised(document: doc.Document) -> doc.Document:
    """Write every guard as {name: {parameters}}, the one shape the editor changes."""
    for transition in doc.items(document, "transitions"):
        if isinstance(transition, dict) and isinstance(transition.get("guards"), list):
            transition["guards"] = [
                {guard: {}} if isinstance(guard, str) else guard for guard in transition["guards"]
            ]
    return document


def _check_new_name(name: str, label: str) -> None:
    errors = {}
    if not re.fullmatch(NAME_PATTERN, name or ""):
        errors["name"] = _("A key of lowercase letters, digits and hyphens is required.")
    elif name in registry().names() or _draft_named(name):  # unique in the instance
        errors["name"] = _("A pathway or a draft already has this key.")
    if not (label or "").strip():
        errors["label"] = _("A name is required.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)


def _draft_named(name: str) -> bool:
    return db.session.scalar(select(WorkflowDraft.id).where(WorkflowDraft.name == name)) is not None


def change(draft_id: int, user_id: int, operation: Callable[[doc.Document], T]) -> T:
    """Apply an operation to a copy of a draft's document and keep it; a bad place is a 404.

    The draft's row is locked first, so that two coordinators' changes apply one after the other.
    """
    locked = select(WorkflowDraft).where(WorkflowDraft.id == draft_id).with_for_update()
    draft = db.session.scalars(locked).first()
    if draft is None:
        raise NotFound(_("This draft does not exist."))
    document = doc.copied(draft.definition)
    try:
        result = operation(document)
    except doc.PlaceNotFound:
        raise NotFound(_("This element of the draft does not exist.")) from None
    draft.definition = document
    draft.name = str(document.get("name") or draft.name)
    draft.updated_by = user_id
    draft.updated_at = utcnow()
    db.session.flush()
    return result


def add_item(
    draft_id: int, path: str, values: dict[str, Any], position: int | None, *, user_id: int
) -> int:
    """Add an item to a list of a draft; return its index."""
    return change(draft_id, user_id, lambda d: doc.add(d, path, values, position))


def update_item(
    draft_id: int, path: str, index: int, values: dict[str, Any], *, replace: bool, user_id: int
) -> None:
    """Change an item of a draft (replace: write it anew, as a guard is)."""

    def operation(document: doc.Document) -> None:
        if replace:
            doc.replace(document, path, index, values)
        else:
            doc.update(document, path, index, values)

    change(draft_id, user_id, operation)


def move_item(draft_id: int, path: str, index: int, to: int, *, user_id: int) -> int:
    """Move an item of a draft to another position of its list; return where it landed."""
    return change(draft_id, user_id, lambda d: doc.move(d, path, index, to))


def remove_item(draft_id: int, path: str, index: int, *, user_id: int) -> None:
    """Remove an item of a draft."""
    change(draft_id, user_id, lambda d: doc.remove(d, path, index))


def update_settings(draft_id: int, values: dict[str, Any], *, user_id: int) -> None:
    """Change the pathway's own keys (label, description, first stage, default)."""
    change(draft_id, user_id, lambda d: doc.write_keys(d, values))


def delete_draft(draft_id: int) -> None:
    """Throw a draft away."""
    db.session.delete(get_draft(draft_id))
    db.session.flush()


def publish_draft(draft_id: int, *, user_id: int) -> tuple[str, int]:
    """Publish a valid draft as a new version and drop the draft; refuse an invalid one."""
    draft = get_draft(draft_id)
    definition, problems = check(draft.definition)
    if definition is None:
        raise InvalidInput(
            _("The pathway has %(count)s problem(s): correct them before publishing.",
              count=len(problems))
        )  # fmt: skip
    workflow = _published(doc.to_text(draft.definition), user_id, draft.network_id)
    db.session.delete(draft)
    db.session.flush()
    return workflow.name, workflow.version


def changes_from_base(draft: WorkflowDraft, definition: WorkflowDefinition | None) -> list[Change]:
    """List what a valid draft changes from the version it copies (none for a new pathway)."""
    if definition is None or draft.base_version is None:
        return []
    try:
        base = get_workflow(draft.name, draft.base_version)
    except UnknownWorkflow:
        return []
    return compare(base.definition, definition)


def publish_wording(draft_id: int, *, user_id: int) -> tuple[str, int]:
    """Publish a draft that only rewords in place on the version it copies; drop the draft."""
    from accompagnement.workflows.versions import publish_labels

    draft = get_draft(draft_id)
    definition, _problems = check(draft.definition)
    changes = changes_from_base(draft, definition)
    if draft.base_version is None or not changes or not label_only(changes):
        raise InvalidInput(_("Only a draft that changes wording alone can be published in place."))
    document = doc.copied(draft.definition)
    document["version"] = draft.base_version
    try:
        workflow = publish_labels(
            draft.name, draft.base_version, doc.to_text(document), user_id=user_id
        )
    except DomainError as exc:
        raise InvalidInput(exc.message) from None
    db.session.delete(draft)
    db.session.flush()
    return workflow.name, workflow.version


def _published(text: str, user_id: int, network_id: int | None) -> Workflow:
    """Publish a version's text; what the versions refuse is said as a refused input."""
    from accompagnement.workflows.versions import publish

    try:
        return publish(text, user_id=user_id, network_id=network_id)
    except DefinitionError as exc:  # what only the published versions show (a second default)
        raise InvalidInput(" ".join(problem_sentence(p) for p in exc.problems)) from None
    except DomainError as exc:  # the version was published meanwhile
        raise InvalidInput(exc.message) from None
