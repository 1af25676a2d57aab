"""Transition guards: their parameters, their checks against a definition, their evaluation."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from accompagnement.engine.definition import GuardRef, Model, Slug, Stage, WorkflowDefinition
from accompagnement.engine.facts import ProjectFacts, Refusal
from accompagnement.engine.problems import Issue, issue, validation_issues
from accompagnement.engine.values import as_text, parse_scalar

UNCOMPARABLE = ("group", "multi_choice")


class StageParams(Model):
    """Parameters of form_submitted and checklist_complete: an optional stage."""

    stage: Slug | None = None


class MinItemsParams(StageParams):
    """Parameters of min_items: a group field of the stage and a minimum count."""

    field: Slug
    count: int


class FieldEqualsParams(StageParams):
    """Parameters of field_equals: a field of the stage and the value it must have."""

    field: Slug
    value: Any


@dataclass(frozen=True)
class GuardSpec:
    """A guard kind: its parameter model, its definition check and its evaluation."""

    params: type[StageParams]
    check: Callable[[Any, Stage, str], list[Issue]]
    evaluate: Callable[[Any, str, ProjectFacts, WorkflowDefinition], Refusal | None]


def parse_params(guard: GuardRef) -> StageParams:
    """Return the validated parameters of a guard of a valid definition."""
    return GUARDS[guard.name].params.model_validate(guard.params)


def guard_issues(
    definition: WorkflowDefinition, guard: GuardRef, sources: Sequence[str], path: str
) -> list[Issue]:
    """Check a guard's name and parameters against the stages it will look at."""
    spec = GUARDS.get(guard.name)
    if spec is None:
        return [issue(path, "unknown_guard", guard=guard.name, known=list(GUARDS))]
    params_path = f"{path}.{guard.name}"
    try:
        params = spec.params.model_validate(guard.params)
    except ValidationError as exc:
        return validation_issues(exc, spec.params, params_path)
    if params.stage and definition.stage(params.stage) is None:
        known = list(definition.stage_keys())
        return [issue(f"{params_path}.stage", "unknown_stage", stage=params.stage, known=known)]
    issues: list[Issue] = []
    for key in [params.stage] if params.stage else sources:
        stage = definition.stage(key)
        if stage is not None:  # an unknown source is reported with the transition
            issues += [i for i in spec.check(params, stage, params_path) if i not in issues]
    return issues


def _check_form(params: StageParams, stage: Stage, path: str) -> list[Issue]:
    """form_submitted needs a stage with a form."""
    return [] if stage.form else [issue(path, "stage_without_form", stage=stage.key)]


def _check_checklist(params: StageParams, stage: Stage, path: str) -> list[Issue]:
    """checklist_complete needs a stage with a checklist."""
    return [] if stage.checklist else [issue(path, "stage_without_checklist", stage=stage.key)]


def _check_min_items(params: MinItemsParams, stage: Stage, path: str) -> list[Issue]:
    """min_items needs a group field of the stage and a positive count."""
    spec = stage.field(params.field)
    issues = []
    if spec is None or spec.type != "group":
        groups = [f.key for f in stage.form.fields if f.type == "group"] if stage.form else []
        issues.append(_field_issue(f"{path}.field", params.field, stage, "group", groups))
    if params.count < 1:
        issues.append(issue(f"{path}.count", "count_below_one"))
    return issues


def _field_issue(path: str, key: str, stage: Stage, wanted: str, candidates: list[str]) -> Issue:
    """Say that a guard names a missing or unsuitable field, listing suitable ones."""
    spec = stage.field(key)
    params = {"field": key, "stage": stage.key, "wanted": wanted, "candidates": candidates}
    if spec is None:
        return issue(path, "not_a_field", **params)
    return issue(path, "unsuitable_field", type=spec.type, **params)


def _check_field_equals(params: FieldEqualsParams, stage: Stage, path: str) -> list[Issue]:
    """field_equals needs a single-value field of the stage and a valid value for it."""
    spec = stage.field(params.field)
    if spec is None or spec.type in UNCOMPARABLE:
        fields = stage.form.fields if stage.form else []
        known = [f.key for f in fields if f.type not in UNCOMPARABLE]
        return [_field_issue(f"{path}.field", params.field, stage, "single_value", known)]
    text = as_text(params.value)
    value, error = parse_scalar(spec, text) if text else (None, None)
    if value is None or error is not None:
        choices = [c.key for c in spec.choices or ()]
        return [
            issue(
                f"{path}.value",
                "invalid_guard_value",
                value=params.value,
                field=spec.key,
                choices=choices,
            )
        ]
    return []


def _form_submitted(
    params: StageParams, stage: str, facts: ProjectFacts, definition: WorkflowDefinition
) -> Refusal | None:
    """Refuse until the stage form has a submitted version."""
    form = facts.form(stage)
    if form.status == "submitted":
        return None
    if form.status == "draft":
        return Refusal("form_not_submitted", {"stage": stage, "drafted": True})
    return Refusal("form_not_submitted", {"stage": stage})


def _checklist_complete(
    params: StageParams, stage: str, facts: ProjectFacts, definition: WorkflowDefinition
) -> Refusal | None:
    """Refuse while required checklist items of the stage are not ticked."""
    spec = definition.stage(stage)
    ticked = facts.ticked(stage)
    items = spec.checklist if spec else []
    missing = [i.key for i in items if i.required and i.key not in ticked]
    return Refusal("checklist_incomplete", {"stage": stage, "items": missing}) if missing else None


def _min_items(
    params: MinItemsParams, stage: str, facts: ProjectFacts, definition: WorkflowDefinition
) -> Refusal | None:
    """Refuse while a group of the submitted form has fewer than `count` items."""
    form = facts.form(stage)
    have = _count(form.data.get(params.field))
    if have >= params.count:
        return None
    found = {"stage": stage, "field": params.field, "count": params.count, "have": have}
    drafted = _count(form.draft.get(params.field))
    if drafted > have:
        found["drafted"] = drafted
    return Refusal("too_few_items", found)


def _count(items: Any) -> int:
    return len(items) if isinstance(items, list) else 0


def _field_equals(
    params: FieldEqualsParams, stage: str, facts: ProjectFacts, definition: WorkflowDefinition
) -> Refusal | None:
    """Refuse unless a field of the submitted form has the expected value."""
    spec = definition.stage(stage)
    field = spec.field(params.field) if spec else None
    text = as_text(params.value)
    expected = parse_scalar(field, text)[0] if field and text else params.value
    if facts.form(stage).data.get(params.field) == expected:
        return None
    return Refusal("field_mismatch", {"stage": stage, "field": params.field, "value": expected})


GUARDS: dict[str, GuardSpec] = {
    "form_submitted": GuardSpec(StageParams, _check_form, _form_submitted),
    "checklist_complete": GuardSpec(StageParams, _check_checklist, _checklist_complete),
    "min_items": GuardSpec(MinItemsParams, _check_min_items, _min_items),
    "field_equals": GuardSpec(FieldEqualsParams, _check_field_equals, _field_equals),
}


def evaluate(
    guard: GuardRef,
    params: StageParams,
    source: str,
    facts: ProjectFacts,
    definition: WorkflowDefinition,
) -> Refusal | None:
    """Evaluate one guard for a project leaving `source` (its default stage)."""
    return GUARDS[guard.name].evaluate(params, params.stage or source, facts, definition)
