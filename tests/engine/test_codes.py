"""The engine answers with codes only, and every code it emits is declared in engine/codes.py."""

from __future__ import annotations

import ast
from pathlib import Path

from accompagnement.engine import FIELD_ERROR_CODES, PROBLEM_CODES, REFUSAL_CODES
from accompagnement.engine.problems import CUSTOM_CODES, TYPE_CODES

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


PROBLEM_BUILDERS = {"issue": 1, "duplicate_issues": 2, "_unreadable": 0, "PydanticCustomError": 0}
"""The engine's functions that take a problem code, and the position of the code."""


def _problem_codes_built() -> set[str]:
    """Return the literal problem codes of the engine's source, and those its tables map to."""
    found = set(TYPE_CODES.values()) | set(CUSTOM_CODES)
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                position = PROBLEM_BUILDERS.get(node.func.id)
                if position is not None and len(node.args) > position:
                    argument = node.args[position]
                    if isinstance(argument, ast.Constant):  # else a code passed along
                        found.add(argument.value)
            elif (  # a (code, parameters) pair, as problems.py gives for pydantic's errors
                isinstance(node, ast.Tuple)
                and len(node.elts) == 2
                and isinstance(node.elts[0], ast.Constant)
                and isinstance(node.elts[0].value, str)
                and isinstance(node.elts[1], ast.Dict)
            ):
                found.add(node.elts[0].value)
    return found


def test_every_problem_the_engine_builds_has_a_declared_code() -> None:
    built = _problem_codes_built()
    assert built <= PROBLEM_CODES, sorted(built - PROBLEM_CODES)
    assert built >= PROBLEM_CODES, f"declared but never built: {sorted(PROBLEM_CODES - built)}"


def test_the_engine_holds_no_sentence_for_its_codes() -> None:
    assert not (ENGINE / "messages.py").exists()
    sources = "\n".join(p.read_text(encoding="utf-8") for p in ENGINE.glob("*.py"))
    assert "Ce champ est obligatoire" not in sources
    assert "def describe" not in sources
