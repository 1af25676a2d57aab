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
    validation_issues,
)
from accompagnement.engine.stage_checks import duplicate_issues, stage_issues, stages_issues
from accompagnement.engine.yamlsource import read_yaml

SUFFIXES = (".yaml", ".yml")


def load_definition(text: str, origin: str = "<text>") -> WorkflowDefinition:
    """Parse and validate a definition, raising DefinitionError with every problem found."""
    source = read_yaml(text)
    problems = [DefinitionProblem(origin, path, msg, line) for path, msg, line in source.issues]
    if problems and source.data is None:
        raise DefinitionError(problems)
    if not isinstance(source.data, dict):
        found = "an empty text" if source.data is None else type(source.data).__name__
        message = f"expected a workflow definition (a mapping), got {found}"
        raise DefinitionError([*problems, DefinitionProblem(origin, "", message, 1)])
    definition, issues = _validate(source.data)
    problems += [DefinitionProblem(origin, p, m, source.line_of(p)) for p, m in issues]
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
    issues = duplicate_issues([k for k in keys if isinstance(k, str)], "stages", "stage key")
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
        problem = DefinitionProblem(origin, "", f"cannot read the file: {_reason(exc)}")
        raise DefinitionError([problem]) from exc
    return load_definition(text, origin)


def _reason(exc: Exception) -> str:
    """Return the short reason of a reading error."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return "not UTF-8 text"


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
            message = (
                f"{definition.name} version {definition.version} is already defined in {seen[key]}"
            )
            problems.append(DefinitionProblem(str(path), "version", message))
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
            message = f"only one workflow may be the default; {name} already is ({origin})"
            problems.append(DefinitionProblem(definition.origin, "default", message))
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
            [DefinitionProblem(str(path), "", f"cannot read the directory: {_reason(exc)}")]
        ) from exc
    definitions, problems = load_files(files)
    if problems:
        raise DefinitionError(problems)
    return definitions


def check_files(paths: list[Path]) -> tuple[list[str], bool]:
    """Return one line per valid workflow then one per problem, and whether all are valid."""
    definitions, problems = load_files(paths)
    lines = [_summary(d) for d in definitions] + [str(p) for p in problems]
    return lines, not problems


def _summary(definition: WorkflowDefinition) -> str:
    """Describe a valid workflow in one line."""
    counts = f"{len(definition.stages)} stages, {len(definition.transitions)} transitions"
    return f"{definition.name} v{definition.version}: {counts} ({definition.origin})"
