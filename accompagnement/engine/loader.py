"""Load and validate workflow definitions from YAML text, files and directories."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accompagnement.engine.definition import Stage, WorkflowDefinition
from accompagnement.engine.flow_checks import flow_issues
from accompagnement.engine.problems import (
    DefinitionError,
    DefinitionProblem,
    Issue,
    issue,
    validation_issues,
)
from accompagnement.engine.stage_checks import duplicate_issues, stage_issues, stages_issues
from accompagnement.engine.yamlsource import read_yaml

SUFFIXES = (".yaml", ".yml")


def load_definition(text: str, origin: str = "<text>") -> WorkflowDefinition:
    """Parse and validate a definition, raising DefinitionError with every problem found."""
    source = read_yaml(text)
    problems = [DefinitionProblem.at(origin, found, line) for found, line in source.issues]
    if problems and source.data is None:
        raise DefinitionError(problems)
    if not isinstance(source.data, dict):
        if source.data is None:
            found = issue("", "empty_definition")
        else:
            found = issue("", "not_a_definition", found=type(source.data).__name__)
        raise DefinitionError([*problems, DefinitionProblem.at(origin, found, 1)])
    definition, issues = _validate(source.data)
    problems += [DefinitionProblem.at(origin, i, source.line_of(i[0])) for i in issues]
    if problems or definition is None:
        raise DefinitionError(problems)
    definition._source_text = text
    definition._origin = origin
    return definition


def _validate(data: dict[str, Any]) -> tuple[WorkflowDefinition | None, list[Issue]]:
    """Check the structure, then (when it holds) the meaning of a definition."""
    try:
        definition = WorkflowDefinition.model_validate(data)
    except ValidationError as exc:
        return None, validation_issues(exc, WorkflowDefinition) + _salvaged_stage_issues(data)
    return definition, stages_issues(definition.stages) + flow_issues(definition)


def _salvaged_stage_issues(data: dict[str, Any]) -> list[Issue]:
    """Check the stages that are well formed even though the whole definition is not."""
    stages = data.get("stages")
    if not isinstance(stages, list):
        return []
    keys = [s.get("key") for s in stages if isinstance(s, dict)]
    issues = duplicate_issues(
        [k for k in keys if isinstance(k, str)], "stages", "duplicate_stage_key"
    )
    for index, raw in enumerate(stages):
        try:
            stage = Stage.model_validate(raw)
        except ValidationError:
            continue  # its structural problems are already reported
        issues += stage_issues(stage, f"stages[{index}]")
    return issues


def load_file(path: Path | str) -> WorkflowDefinition:
    """Load a definition from a file; problems name the file as given."""
    origin = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(
            [DefinitionProblem.at(origin, _unreadable("unreadable_file", exc))]
        ) from exc
    return load_definition(text, origin)


def _unreadable(code: str, exc: Exception) -> Issue:
    """Say a file or directory cannot be read (`code`), and why (the system's short reason)."""
    if isinstance(exc, OSError):
        return issue("", code, reason=exc.strerror or str(exc))
    return issue("", "not_utf8")


def load_files(paths: Iterable[Path]) -> tuple[list[WorkflowDefinition], list[DefinitionProblem]]:
    """Load several files, keeping going after a bad one; refuse a name+version seen twice."""
    definitions: list[WorkflowDefinition] = []
    problems: list[DefinitionProblem] = []
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        try:
            definition = load_file(path)
        except DefinitionError as exc:
            problems += exc.problems
            continue
        key = (definition.name, definition.version)
        if key in seen:
            found = issue(
                "version",
                "duplicate_version",
                name=definition.name,
                version=definition.version,
                origin=seen[key],
            )
            problems.append(DefinitionProblem.at(str(path), found))
            continue
        seen[key] = str(path)
        definitions.append(definition)
    return definitions, problems + default_problems(definitions)


def default_problems(definitions: Iterable[WorkflowDefinition]) -> list[DefinitionProblem]:
    """At most one workflow may say `default: true` (its versions may all say it)."""
    first: dict[str, str] = {}
    problems = []
    for definition in definitions:
        if not definition.default:
            continue
        if first and definition.name not in first:
            name, origin = next(iter(first.items()))
            found = issue("default", "second_default", name=name, origin=origin)
            problems.append(DefinitionProblem.at(definition.origin, found))
        else:
            first.setdefault(definition.name, definition.origin)
    return problems


def directory_files(path: Path | str) -> list[Path]:
    """Return the `*.yaml` / `*.yml` files of a directory, by name (OSError when unreadable)."""
    return sorted(p for p in Path(path).iterdir() if p.suffix in SUFFIXES and p.is_file())


def load_directory(path: Path | str) -> list[WorkflowDefinition]:
    """Load every `*.yaml` / `*.yml` file of a directory, raising one error for all problems."""
    try:
        files = directory_files(path)
    except OSError as exc:
        raise DefinitionError(
            [DefinitionProblem.at(str(path), _unreadable("unreadable_directory", exc))]
        ) from exc
    definitions, problems = load_files(files)
    if problems:
        raise DefinitionError(problems)
    return definitions
