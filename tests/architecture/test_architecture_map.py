"""docs/architecture.md names every package and module of `accompagnement/`, and nothing else,
and shows the layers pyproject.toml enforces."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "accompagnement"
ENTRY = re.compile(r"^(?P<indent> *)(?P<name>[A-Za-z_][\w]*(?:\.py|/))(?:\s|$)")


def mapped(text: str) -> set[str]:
    """Return the paths the newcomer's map names, relative to accompagnement/ ("auth/views.py")."""
    block = text.split("## Newcomer's map", 1)[1].split("```")[1]
    paths: set[str] = set()
    parents: list[str] = []
    for line in block.splitlines():
        match = ENTRY.match(line)
        if match is None:
            continue
        depth = len(match["indent"]) // 2
        name = match["name"]
        parents = parents[:depth] + [name]
        if parents[0] == "accompagnement/" and depth > 0:
            paths.add("".join(parents[1:]).rstrip("/"))
    return paths


def on_disk(package: Path = PACKAGE) -> set[str]:
    """Return every Python module and package under the application package."""
    paths = set()
    for module in package.rglob("*.py"):
        relative = module.relative_to(package)
        if relative.name != "__init__.py" or len(relative.parts) == 1:
            paths.add(relative.as_posix())
        if len(relative.parts) > 1:
            paths.add(relative.parent.as_posix())
    return paths


def test_the_map_names_every_module_and_only_those() -> None:
    named = mapped(DOC.read_text())
    present = on_disk()
    assert sorted(present - named) == [], "add these to the map in docs/architecture.md"
    assert sorted(named - present) == [], "the map in docs/architecture.md names these: gone?"


def test_the_map_reader_sees_nesting() -> None:
    lines = ["## Newcomer's map", "", "```", "accompagnement/  app", "  db.py  base", "  auth/  a"]
    text = "\n".join([*lines, "    views.py  v", "```", ""])
    assert mapped(text) == {"db.py", "auth", "auth/views.py"}


def test_the_layers_shown_are_the_layers_enforced() -> None:
    block = DOC.read_text().split("## Layers", 1)[1].split("```")[1]
    shown = [re.split(r"\s{2,}", line.strip())[0] for line in block.strip().splitlines()]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    assert shown == contract["layers"]
