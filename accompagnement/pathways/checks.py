"""Check a draft as a file is checked, and say next to which input each problem goes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from accompagnement.engine import DefinitionError, WorkflowDefinition, load_definition
from accompagnement.messages import problem_sentence
from accompagnement.pathways.document import CHILD_LISTS, Document, dotted, to_text

TEXT_KEYS = ("label", "description", "help", "unit", "title")
LANGUAGES = ("fr", "en")
ROOT_LISTS = ("stages", "transitions")


@dataclass(frozen=True)
class Found:
    """One problem of a draft: its dotted path and what is wrong, in the reader's language."""

    path: str
    sentence: str


def check(document: Document) -> tuple[WorkflowDefinition | None, list[Found]]:
    """Load the draft with the engine's loader: the definition, or every problem found."""
    try:
        definition = load_definition(to_text(document), origin="draft")
    except DefinitionError as exc:
        return None, [Found(dotted(p.path), problem_sentence(p)) for p in exc.problems]
    return definition, []


class Problems:
    """The problems of a draft, looked up by the place of an element on the editor's pages."""

    def __init__(self, found: Iterable[Found]) -> None:
        self.found = list(found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def within(self, path: str) -> list[Found]:
        """Return the problems of an element and of everything inside it."""
        if not path:
            return list(self.found)
        return [f for f in self.found if f.path == path or f.path.startswith(path + ".")]

    def on_item(
        self, path: str, kind: str, inputs: Iterable[str]
    ) -> tuple[dict[str, list[str]], list[str]]:
        """Split an item's own problems between its inputs and the item as a whole.

        Problems of the items of its lists (a stage's fields...) are shown in those lists.
        """
        children = ROOT_LISTS if not path else CHILD_LISTS.get(kind, ())
        names = set(inputs)
        by_input: dict[str, list[str]] = {}
        general: list[str] = []
        for found in self.within(path):
            rest = found.path[len(path) + 1 :] if path else found.path
            if any(re.match(rf"{re.escape(child)}\.\d+(\.|$)", rest) for child in children):
                continue
            name = input_name(rest, kind)
            if name in names:
                by_input.setdefault(name, []).append(found.sentence)
            else:
                general.append(found.sentence)
        return by_input, general


def input_name(rest: str, kind: str) -> str:
    """Return the input a problem path (inside an item) is about: `label.fr` -> `label_fr`."""
    parts = rest.split(".") if rest else []
    if kind == "guard":
        parts = parts[1:]  # `min_items.field`: the guard's name, then its parameter
    if not parts:
        return ""
    head = parts[0]
    if head in TEXT_KEYS:
        language = parts[1] if len(parts) > 1 and parts[1] in LANGUAGES else "fr"
        return f"{head}_{language}"
    return head
