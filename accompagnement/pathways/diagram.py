"""The pathway drawn by our own layout: the steps in a column, side states and outcomes beside.

The geometry is computed here; `templates/pathways/_diagram.html` writes it as SVG (escaped by
Jinja). It reads the draft's data leniently, so that an unfinished draft is drawn too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accompagnement.pathways.document import Document, items, label_text

BOX_WIDTH = 220
BOX_HEIGHT = 44
GAP = 34
MAIN_X = 120
SIDE_X = MAIN_X + BOX_WIDTH + 150
TOP = 20
LABEL_MAX = 30
ANY = "*"
RETURN = "@return"


@dataclass(frozen=True)
class Box:
    key: str
    label: str
    kind: str
    x: int
    y: int

    @property
    def middle(self) -> int:
        return self.y + BOX_HEIGHT // 2


@dataclass(frozen=True)
class Arrow:
    label: str
    path: str
    back: bool


@dataclass(frozen=True)
class Diagram:
    boxes: list[Box]
    arrows: list[Arrow]
    width: int
    height: int
    box_width: int = BOX_WIDTH
    box_height: int = BOX_HEIGHT


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _boxes(document: Document, locale: str) -> list[Box]:
    stages = [s for s in items(document, "stages") if isinstance(s, dict)]
    main = [s for s in stages if s.get("kind", "stage") == "stage"]
    side = [s for s in stages if s.get("kind", "stage") != "stage"]
    boxes = []
    for column, x in ((main, MAIN_X), (side, SIDE_X)):
        for row, stage in enumerate(column):
            label = _short(label_text(stage.get("label"), locale) or str(stage.get("key")))
            kind = str(stage.get("kind", "stage"))
            boxes.append(Box(str(stage.get("key")), label, kind, x, TOP + row * (BOX_HEIGHT + GAP)))
    return boxes


def _sources(transition: dict[str, Any], boxes: dict[str, Box]) -> list[str]:
    source = transition.get("source")
    if source == ANY:
        return [key for key, box in boxes.items() if box.kind == "stage"]
    if isinstance(source, str):
        return [source]
    return [s for s in source if isinstance(s, str)] if isinstance(source, list) else []


def _curve(start: Box, end: Box) -> tuple[str, bool]:
    """Return the SVG path between two boxes, and whether it goes back up the pathway."""
    back = end.y < start.y
    if start.x == end.x:
        if end.y - start.y == BOX_HEIGHT + GAP:  # the next step: straight down
            x = start.x + BOX_WIDTH // 2
            return f"M{x},{start.y + BOX_HEIGHT} L{x},{end.y}", False
        side = start.x if back else start.x + BOX_WIDTH
        bulge = side + (-1 if back else 1) * (30 + abs(end.y - start.y) // 6)
        curve = f"C{bulge},{start.middle} {bulge},{end.middle} {side},{end.middle}"
        return f"M{side},{start.middle} {curve}", back
    if start.x < end.x:
        return f"M{start.x + BOX_WIDTH},{start.middle} L{end.x},{end.middle}", False
    return f"M{start.x},{start.middle + 8} L{end.x + BOX_WIDTH},{end.middle + 8}", True


def layout(document: Document, locale: str) -> Diagram:
    """Place the stages and draw every transition that joins two known stages."""
    boxes = _boxes(document, locale)
    by_key = {box.key: box for box in boxes}
    arrows = []
    drawn: set[tuple[str, str]] = set()
    for transition in items(document, "transitions"):
        if not isinstance(transition, dict) or transition.get("dest") == RETURN:
            continue
        end = by_key.get(str(transition.get("dest")))
        label = label_text(transition.get("label"), locale)
        for key in _sources(transition, by_key):
            start = by_key.get(key)
            if start is None or end is None or (key, end.key) in drawn or start is end:
                continue
            drawn.add((key, end.key))
            path, back = _curve(start, end)
            arrows.append(Arrow(label, path, back))
    lowest = max((box.y for box in boxes), default=0)
    return Diagram(boxes, arrows, SIDE_X + BOX_WIDTH + 60, lowest + BOX_HEIGHT + 2 * TOP)
