"""Problems found in a definition, and the plain-English wording of pydantic's errors."""

import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from accompagnement.engine.definition import (
    FIELD_TYPES,
    REASON_POLICIES,
    ROLES,
    STAGE_KINDS,
)

Issue = tuple[str, str]
"""A (path, message) pair before it gets its origin."""

LITERAL_NOUNS = {
    "type": ("field type", FIELD_TYPES),
    "kind": ("stage kind", STAGE_KINDS),
    "reason": ("reason policy", REASON_POLICIES),
    "roles": ("role", ROLES),
}
TYPE_MESSAGES = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping (key: value)",
    "model_type": "expected a mapping (key: value)",
    "model_attributes_type": "expected a mapping (key: value)",
}
PATTERN_HINTS = {
    "name": "a lowercase name with hyphens, like 'creation-ressourcerie'",
    "key": "lowercase letters, digits and _, starting with a letter, like 'premier_contact'",
    "trigger": "lowercase letters, digits and _, starting with a letter, like 'advance'",
}


@dataclass(frozen=True)
class DefinitionProblem:
    """One problem of a definition: where (origin file, path inside it) and what is expected."""

    origin: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}: {self.path}: " if self.path else f"{self.origin}: "
        line = f" (line {self.line})" if self.line else ""
        return f"{where}{self.message}{line}"


class DefinitionError(ValueError):
    """A definition (or a set of them) is invalid; `problems` lists every problem found."""

    def __init__(self, problems: Sequence[DefinitionProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(loc: Iterable[str | int]) -> str:
    """Render a location tuple as `stages[2].form.fields[4].type`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def validation_issues(
    error: ValidationError, model: type[BaseModel], prefix: str = ""
) -> list[Issue]:
    """Translate pydantic's errors into (path, plain message) issues."""
    issues = []
    for detail in error.errors():
        path = format_path(detail["loc"])
        if prefix:
            path = f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path
        issues.append((path, _message(detail, model)))
    return issues


def _message(detail: ErrorDetails, model: type[BaseModel]) -> str:
    """Return a plain-English message for one pydantic error."""
    kind, loc, value = detail["type"], detail["loc"], detail.get("input")
    last = loc[-1] if loc else ""
    if kind == "missing":
        if last == "fr":
            return "a French label ('fr') is required"
        return f"required key '{last}' is missing"
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(model, loc[:-1]))
        return f"unknown key '{last}'; expected one of: {allowed}"
    if kind == "literal_error":
        return _literal_message(loc, value)
    if kind in TYPE_MESSAGES:
        return f"{TYPE_MESSAGES[kind]}, got {_shown(value)}{_yaml_hint(value)}"
    return _constraint_message(detail, last)


def _constraint_message(detail: ErrorDetails, last: str | int) -> str:
    """Word the errors of constrained values (pattern, bounds, lengths, custom checks)."""
    kind, ctx = detail["type"], detail.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(str(last), "a key of lowercase letters, digits and _")
        return f"invalid value {_shown(detail.get('input'))}; expected {hint}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s)"
    if kind in ("greater_than", "greater_than_equal"):
        sign = ">" if kind == "greater_than" else ">="
        bound = ctx.get("gt", ctx.get("ge"))
        return f"expected a number {sign} {bound}, got {_shown(detail.get('input'))}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    return detail["msg"]


def _literal_message(loc: tuple[str | int, ...], value: Any) -> str:
    """Word an unknown enumerated value, naming what it is and the accepted values."""
    named = [part for part in loc if isinstance(part, str)]
    noun, allowed = LITERAL_NOUNS.get(named[-1] if named else "", ("value", ()))
    expected = f"; expected one of: {', '.join(allowed)}" if allowed else ""
    return f"unknown {noun} {_shown(value)}{expected}"


def _shown(value: Any) -> str:
    """Show a YAML value as the author wrote it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value)


def _yaml_hint(value: Any) -> str:
    """Explain YAML's yes/no/on/off booleans, a frequent surprise."""
    if isinstance(value, bool):
        return " (YAML reads yes/no/on/off as booleans: put the value in quotes)"
    return ""


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Return the keys accepted by the model found at `loc` inside `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not _is_model(current):
            continue
        info = current.model_fields.get(part)
        current = _model_in(info.annotation) if info else None
    return list(current.model_fields) if _is_model(current) else []


def _is_model(value: Any) -> bool:
    """Say whether a value is a pydantic model class."""
    return isinstance(value, type) and issubclass(value, BaseModel)


def _model_in(annotation: Any) -> Any:
    """Find the model class inside an annotation such as `list[Field] | None`."""
    if _is_model(annotation):
        return annotation
    if isinstance(annotation, str):
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        args = args[:1]
    elif origin not in (list, typing.Union, types.UnionType):
        return None
    return next((m for m in map(_model_in, args) if m is not None), None)
