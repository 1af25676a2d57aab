"""Problems found in a definition as codes and parameters, pydantic's errors included."""

import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from accompagnement.engine.definition import (
    ASSIGNEES,
    FIELD_TYPES,
    REASON_POLICIES,
    ROLES,
    STAGE_KINDS,
)

Issue = tuple[str, str, dict[str, Any]]
"""A (path, code, parameters) triple before it gets its origin."""

LITERAL_KINDS = {
    "type": FIELD_TYPES,
    "kind": STAGE_KINDS,
    "reason": REASON_POLICIES,
    "roles": ROLES,
    "assignee": ASSIGNEES,
}
"""The enumerated keys whose unknown values name what they are (`what` parameter)."""
TYPE_CODES = {
    "string_type": "expected_text",
    "int_type": "expected_integer",
    "bool_type": "expected_boolean",
    "list_type": "expected_list",
    "dict_type": "expected_mapping",
    "model_type": "expected_mapping",
    "model_attributes_type": "expected_mapping",
}
"""Pydantic's type errors and the problem code of each."""
PATTERN_KEYS = ("name", "key", "trigger")
"""The keys whose pattern mismatch gets its own hint (`hint` parameter, else `other`)."""
CUSTOM_CODES = ("expected_number", "invalid_source", "invalid_guard")
"""Codes raised by the definition's own validators (PydanticCustomError types)."""


def issue(path: str, code: str, **params: Any) -> Issue:
    """Build one issue: where it is, its code and the parameters its message needs."""
    return (path, code, params)


@dataclass(frozen=True)
class DefinitionProblem:
    """One problem of a definition: where (origin file, path, line), a code and its parameters.

    `accompagnement.messages.describe_problem` words it for a person; `str()` is for logs.
    """

    origin: str
    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    @classmethod
    def at(cls, origin: str, found: Issue, line: int | None = None) -> "DefinitionProblem":
        """Give an issue its origin (and line)."""
        path, code, params = found
        return cls(origin, path, code, params, line)

    def __str__(self) -> str:
        where = f"{self.origin}: {self.path}: " if self.path else f"{self.origin}: "
        line = f" (line {self.line})" if self.line else ""
        return f"{where}{self.code} {self.params}{line}"


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
    """Turn pydantic's errors into (path, code, parameters) issues."""
    issues = []
    for detail in error.errors():
        path = format_path(detail["loc"])
        if prefix:
            path = f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path
        code, params = _coded(detail, model)
        issues.append((path, code, params))
    return issues


def _coded(detail: ErrorDetails, model: type[BaseModel]) -> tuple[str, dict[str, Any]]:
    """Return the problem code and parameters of one pydantic error."""
    kind, loc, value = detail["type"], detail["loc"], detail.get("input")
    last = loc[-1] if loc else ""
    if kind == "missing":
        return ("missing_french_label", {}) if last == "fr" else ("missing_key", {"key": last})
    if kind == "extra_forbidden":
        return "unknown_key", {"key": last, "allowed": _allowed_keys(model, loc[:-1])}
    if kind == "literal_error":
        named = [part for part in loc if isinstance(part, str)]
        what = named[-1] if named and named[-1] in LITERAL_KINDS else "value"
        return "unknown_value", {"what": what, "value": value, "allowed": _allowed(what)}
    if kind in TYPE_CODES:
        return TYPE_CODES[kind], {"value": value}
    return _constraint_code(detail, last)


def _allowed(what: str) -> list[str]:
    """Return the accepted values of an enumerated key."""
    return list(LITERAL_KINDS.get(what, ()))


def _constraint_code(detail: ErrorDetails, last: str | int) -> tuple[str, dict[str, Any]]:
    """Code the errors of constrained values (pattern, bounds, lengths, custom checks)."""
    kind, ctx, value = detail["type"], detail.get("ctx") or {}, detail.get("input")
    if kind == "string_pattern_mismatch":
        hint = str(last) if last in PATTERN_KEYS else "other"
        return "pattern_mismatch", {"value": value, "hint": hint}
    if kind == "string_too_short":
        return "empty", {}
    if kind == "too_short":
        return "too_few_entries", {"min": ctx.get("min_length")}
    if kind == "greater_than":
        return "not_greater_than", {"bound": ctx.get("gt"), "value": value}
    if kind == "greater_than_equal":
        return "below_minimum", {"bound": ctx.get("ge"), "value": value}
    if kind == "less_than_equal":
        return "above_maximum", {"bound": ctx.get("le"), "value": value}
    if kind in CUSTOM_CODES:
        return kind, {}
    return "invalid_value", {"detail": detail["msg"]}


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
