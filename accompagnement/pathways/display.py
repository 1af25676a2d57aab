"""What the editor's pages show of a draft: rows of its lists, the trail to an item, previews."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from accompagnement import engine
from accompagnement.pathways.checks import Problems
from accompagnement.pathways.document import (
    CHILD_LISTS,
    Document,
    Place,
    PlaceNotFound,
    items,
    lookup,
    place,
)
from accompagnement.pathways.forms import KIND_FORMS, ItemForm, entry_title
from accompagnement.pathways.names import (
    ASSIGNEE_NAMES,
    FIELD_TYPE_NAMES,
    LIST_NAMES,
    ROLE_NAMES,
    STAGE_KIND_NAMES,
)

ROOT_LISTS = ("stages", "transitions")


@dataclass
class Row:
    """One item of a list as its row shows it."""

    index: int
    title: str
    detail: str
    problems: list[str]


@dataclass
class ListView:
    """A list of the draft on a page: its rows and the form that adds to it."""

    place: Place
    name: str
    rows: list[Row]
    add_form: ItemForm
    anchor: str = field(init=False)

    def __post_init__(self) -> None:
        self.anchor = "list-" + self.place.path.replace(".", "-")


def _named(names: dict[str, Any], key: Any) -> str:
    return str(names.get(str(key), key)) if key is not None else ""


def row_detail(kind: str, entry: dict[str, Any]) -> str:
    """Return the short detail of an item under its title (key, type, who, when)."""
    key = entry.get("key") or ""
    if kind == "stage":
        return " · ".join(str(p) for p in (key, _named(STAGE_KIND_NAMES, entry.get("kind"))) if p)
    if kind in ("field", "subfield"):
        return " · ".join(str(p) for p in (key, _named(FIELD_TYPE_NAMES, entry.get("type"))) if p)
    if kind == "task":
        return " · ".join(str(p) for p in (key, _named(ASSIGNEE_NAMES, entry.get("assignee"))) if p)
    if kind == "transition":
        source = entry.get("source")
        shown = ", ".join(source) if isinstance(source, list) else str(source or "?")
        roles = entry.get("roles")
        who = ", ".join(_named(ROLE_NAMES, r) for r in roles) if isinstance(roles, list) else ""
        return f"{entry.get('trigger') or '?'}: {shown} → {entry.get('dest') or '?'} · {who}"
    if kind == "guard" and len(entry) == 1:
        params = next(iter(entry.values()))
        if isinstance(params, dict):
            return ", ".join(f"{k} = {v}" for k, v in params.items())
        return ""
    return str(key)


def rows(document: Document, where: Place, problems: Problems) -> list[Row]:
    """Return the rows of a list with the problems found inside each item."""
    found = []
    for index, entry in enumerate(items(document, where.path)):
        shown = entry if isinstance(entry, dict) else {}
        sentences = [p.sentence for p in problems.within(where.item(index))]
        found.append(Row(index, entry_title(entry), row_detail(where.kind, shown), sentences))
    return found


def child_lists(document: Document, path: str, kind: str) -> list[Place]:
    """Return the lists shown on an item's page (a field's choices only for choice fields...)."""
    if not path:
        return [place(name) for name in ROOT_LISTS]
    entry = lookup(document, path)
    entry = entry if isinstance(entry, dict) else {}
    found = []
    for child in CHILD_LISTS.get(kind, ()):
        choosing = entry.get("type") in ("choice", "multi_choice")
        if child == "choices" and not choosing and not entry.get("choices"):
            continue
        if child == "fields" and entry.get("type") != "group" and not entry.get("fields"):
            continue
        found.append(place(f"{path}.{child}"))
    return found


def list_view(
    document: Document, where: Place, problems: Problems, add_form: ItemForm | None = None
) -> ListView:
    """Return a list with its rows and its (fresh or refused) add form."""
    here = items(document, where.path)
    if add_form is None:
        add_form = KIND_FORMS[where.kind](formdata=None, prefix=f"new-{where.kind}")
        add_form.load({"required": True} if where.kind == "item" else {})
    add_form.prepare(document, here)
    name = str(LIST_NAMES[where.kind])
    return ListView(where, name, rows(document, where, problems), add_form)


def trail(document: Document, path: str) -> list[tuple[str, int, str]]:
    """Return the items leading to `path` (itself included): list path, index and title."""
    parts = path.split(".") if path else []
    found = []
    for end in range(2, len(parts) + 1):
        if not parts[end - 1].isdigit():
            continue
        list_path = ".".join(parts[: end - 1])
        try:
            place(list_path)
        except PlaceNotFound:
            continue
        entry = lookup(document, ".".join(parts[:end]))
        found.append((list_path, int(parts[end - 1]), entry_title(entry)))
    return found


def stage_preview(stage: dict[str, Any]) -> engine.Form | None:
    """Return a stage's form as the engine reads it, or None while it is not valid yet."""
    form = stage.get("form")
    if not isinstance(form, dict):
        return None
    try:
        return engine.Form.model_validate(form)
    except ValidationError:
        return None
