"""The engine answers with codes only, and every code it emits is declared in engine/codes.py."""

from __future__ import annotations

import ast
from pathlib import Path

from accompagnement.engine import FIELD_ERROR_CODES, REFUSAL_CODES

ENGINE = Path(__file__).resolve().parents[2] / "accompagnement" / "engine"


def _codes_built(class_name: str) -> set[str]:
    """Return the literal codes given to `class_name(...)` anywhere in the engine's source."""
    found = set()
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == class_name
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_refusal_the_engine_builds_has_a_declared_code() -> None:
    built = _codes_built("Refusal")
    assert built, "no Refusal(...) found: the scan is broken"
    assert built <= REFUSAL_CODES, sorted(built - REFUSAL_CODES)


def test_every_field_error_the_engine_builds_has_a_declared_code() -> None:
    built = _codes_built("FieldError")
    assert built, "no FieldError(...) found: the scan is broken"
    assert built <= FIELD_ERROR_CODES, sorted(built - FIELD_ERROR_CODES)


def test_the_engine_holds_no_sentence_for_its_codes() -> None:
    assert not (ENGINE / "messages.py").exists()
    sources = "\n".join(p.read_text(encoding="utf-8") for p in ENGINE.glob("*.py"))
    assert "Ce champ est obligatoire" not in sources
    assert "def describe" not in sources
