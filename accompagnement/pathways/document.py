"""A draft's definition as the data of a YAML file, and the lists of it that the editor changes.

A list is named by its dotted path in the document (`stages.2.form.fields`), the same path the
engine's problems name (`stages[2].form.fields[4].type` becomes `stages.2.form.fields.4.type`),
so that each problem is shown next to the element it is about.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

Document = dict[str, Any]

LIST_KINDS: tuple[tuple[str, str], ...] = (
    (r"stages", "stage"),
    (r"stages\.\d+\.form\.fields", "field"),
    (r"stages\.\d+\.form\.fields\.\d+\.fields", "subfield"),
    (r"stages\.\d+\.form\.fields\.\d+\.choices", "choice"),
    (r"stages\.\d+\.form\.fields\.\d+\.fields\.\d+\.choices", "choice"),
    (r"stages\.\d+\.checklist", "item"),
    (r"stages\.\d+\.tasks", "task"),
    (r"transitions", "transition"),
    (r"transitions\.\d+\.guards", "guard"),
)
"""Every list the editor changes, by the pattern of its path, and the kind of its items."""
CHILD_LISTS: dict[str, tuple[str, ...]] = {
    "stage": ("form.fields", "checklist", "tasks"),
    "field": ("choices", "fields"),
    "subfield": ("choices",),
    "transition": ("guards",),
}
"""The lists inside an item of each kind."""
MAX_ITEMS = 200
NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")


class PlaceNotFound(LookupError):
    """A path names no list or no item of the document."""


@dataclass(frozen=True)
class Place:
    """A list of the document: its dotted path and the kind of its items."""

    path: str
    kind: str

    def item(self, index: int) -> str:
        """Return the path of one item of the list."""
        return f"{self.path}.{index}"


def place(path: str) -> Place:
    """Return the list at `path`, refusing a path the editor does not change."""
    for pattern, kind in LIST_KINDS:
        if re.fullmatch(pattern, path):
            return Place(path, kind)
    raise PlaceNotFound(path)


def _parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def lookup(document: Document, path: str) -> Any:
    """Return the value at a dotted path, None when some part is missing."""
    value: Any = document
    for part in _parts(path):
        if isinstance(part, int) and isinstance(value, list) and part < len(value):
            value = value[part]
        elif isinstance(part, str) and isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def items(document: Document, path: str) -> list[Any]:
    """Return the items of a list (empty when the list is not written yet)."""
    value = lookup(document, path)
    return value if isinstance(value, list) else []


def item(document: Document, path: str, index: int) -> dict[str, Any]:
    """Return one item of a list, which must be a mapping."""
    found = items(document, path)
    if not 0 <= index < len(found) or not isinstance(found[index], dict):
        raise PlaceNotFound(f"{path}.{index}")
    value: dict[str, Any] = found[index]
    return value


def _writable_list(document: Document, path: str) -> list[Any]:
    """Return the list at `path`, creating it (and a stage's `form`) when missing."""
    *parents, last = _parts(path)
    target: Any = document
    for part in parents:
        if isinstance(part, int):
            if not isinstance(target, list) or part >= len(target):
                raise PlaceNotFound(path)
            target = target[part]
        else:
            if not isinstance(target, dict):
                raise PlaceNotFound(path)
            target = target.setdefault(part, {})
    if not isinstance(target, dict):
        raise PlaceNotFound(path)
    if not isinstance(target.get(str(last)), list):
        target[str(last)] = []
    found: list[Any] = target[str(last)]
    return found


def add(document: Document, path: str, values: dict[str, Any], position: int | None) -> int:
    """Insert an item at `position` (the end when None); return its index."""
    found = _writable_list(document, path)
    if len(found) >= MAX_ITEMS:
        raise PlaceNotFound(path)
    index = len(found) if position is None else max(0, min(position, len(found)))
    found.insert(index, write_keys({}, values))
    return index


def update(document: Document, path: str, index: int, values: dict[str, Any]) -> None:
    """Change an item's keys (None removes a key), keeping the keys the editor does not show."""
    write_keys(item(document, path, index), values)


def replace(document: Document, path: str, index: int, value: Any) -> None:
    """Write an item anew (a guard: `name` or {name: parameters})."""
    found = items(document, path)
    if not 0 <= index < len(found):
        raise PlaceNotFound(f"{path}.{index}")
    found[index] = value


def write_keys(target: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Set keys of a mapping (None removes a key) and return it."""
    for key, value in values.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return target


def move(document: Document, path: str, index: int, to: int) -> int:
    """Move an item to another position of its list; return where it landed."""
    found = items(document, path)
    if not 0 <= index < len(found):
        raise PlaceNotFound(f"{path}.{index}")
    landing = max(0, min(to, len(found) - 1))
    found.insert(landing, found.pop(index))
    return landing


def remove(document: Document, path: str, index: int) -> None:
    """Remove an item; a stage form left without fields is removed with it."""
    found = items(document, path)
    if not 0 <= index < len(found):
        raise PlaceNotFound(f"{path}.{index}")
    del found[index]
    if not found and path.endswith(".form.fields"):
        stage = lookup(document, path.removesuffix(".form.fields"))
        if isinstance(stage, dict):
            stage.pop("form", None)


def copied(document: Document) -> Document:
    """Return a deep copy (the ORM sees a changed JSON document only when it is a new object)."""
    return copy.deepcopy(document)


def to_text(document: Document) -> str:
    """Write the document as the YAML text of a workflow file."""
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def from_text(text: str) -> Document:
    """Read a workflow file's text as a document (the text of a published, valid version)."""
    data = yaml.safe_load(text)
    return data if isinstance(data, dict) else {}


def dotted(problem_path: str) -> str:
    """Turn an engine path (`stages[2].form.fields[4].type`) into a dotted one."""
    return re.sub(r"\[(\d+)\]", r".\1", problem_path)


def label_text(value: Any, locale: str = "fr") -> str:
    """Return a label written as text or as {fr, en} in a language (French by default)."""
    if isinstance(value, dict):
        wanted = value.get("en") if locale.startswith("en") else None
        return str(wanted or value.get("fr") or "")
    return "" if value is None else str(value)


def empty_pathway(name: str, label: str) -> Document:
    """Return the document of a new pathway: no stage yet (a draft may be incomplete)."""
    return {"name": name, "version": 1, "label": {"fr": label}, "stages": [], "transitions": []}


def text_pair(item: dict[str, Any], key: str) -> tuple[str, str]:
    """Return the French and English texts of a label written as text or as {fr, en}."""
    value = item.get(key)
    if isinstance(value, dict):
        return str(value.get("fr") or ""), str(value.get("en") or "")
    return ("" if value is None else str(value)), ""


def text_value(french: str | None, english: str | None) -> dict[str, str] | None:
    """Write a label as {fr, en}; None (no key) when both are blank."""
    french, english = (french or "").strip(), (english or "").strip()
    if not french and not english:
        return None
    label = {"fr": french}
    if english:
        label["en"] = english
    return label


def read_number(text: str | None) -> Any:
    """Read a typed number (French comma accepted); keep unreadable text for the engine to name."""
    text = (text or "").strip()
    if not text:
        return None
    if not NUMBER.fullmatch(text):
        return text
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover (the pattern only lets numbers through)
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def shown_number(value: Any) -> str:
    """Show a stored number (or the text that was kept instead)."""
    return "" if value is None or isinstance(value, bool) else str(value)
