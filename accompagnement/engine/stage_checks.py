"""Semantic checks of stages: unique keys, and form fields whose attributes fit their type."""

from collections.abc import Sequence

from accompagnement.engine.definition import RUNTIME_CHOICE_TYPES, Field, Stage
from accompagnement.engine.problems import Issue, issue
from accompagnement.engine.values import bound_param

NUMERIC = ("integer", "decimal", "money")
CHOICE_TYPES = ("choice", "multi_choice")
ATTRIBUTE_TYPES = {
    "max_length": ("text", "long_text", "organisation"),
    "min": NUMERIC,
    "max": NUMERIC,
    "unit": ("integer", "decimal"),
    "min_items": ("group",),
    "max_items": ("group",),
}


def duplicate_issues(keys: Sequence[str], list_path: str, code: str) -> list[Issue]:
    """Report every key already used earlier in the same list (`code` names the kind of key)."""
    first: dict[str, int] = {}
    issues = []
    for index, key in enumerate(keys):
        if key in first:
            used = f"{list_path}[{first[key]}]"
            issues.append(issue(f"{list_path}[{index}].key", code, key=key, first=used))
        else:
            first[key] = index
    return issues


def stages_issues(stages: Sequence[Stage]) -> list[Issue]:
    """Check stage keys are unique and each stage is consistent."""
    issues = duplicate_issues([s.key for s in stages], "stages", "duplicate_stage_key")
    for index, stage in enumerate(stages):
        issues += stage_issues(stage, f"stages[{index}]")
    return issues


def stage_issues(stage: Stage, path: str) -> list[Issue]:
    """Check one stage: its form fields, its checklist keys and its task template keys."""
    issues = []
    if stage.form is not None:
        issues += _fields_issues(stage.form.fields, f"{path}.form.fields", in_group=False)
    keys = [item.key for item in stage.checklist]
    issues += duplicate_issues(keys, f"{path}.checklist", "duplicate_checklist_item_key")
    tasks = [template.key for template in stage.tasks]
    issues += duplicate_issues(tasks, f"{path}.tasks", "duplicate_task_key")
    return issues


def _fields_issues(fields: Sequence[Field], path: str, *, in_group: bool) -> list[Issue]:
    """Check a list of fields: unique keys, then each field."""
    issues = duplicate_issues([f.key for f in fields], path, "duplicate_field_key")
    for index, spec in enumerate(fields):
        issues += _field_issues(spec, f"{path}[{index}]", in_group=in_group)
    return issues


def _field_issues(spec: Field, path: str, *, in_group: bool) -> list[Issue]:
    """Check one field's attributes against its type."""
    return (
        _attribute_issues(spec, path)
        + _choices_issues(spec, path)
        + _group_issues(spec, path, in_group=in_group)
        + _range_issues(spec, path)
    )


def _attribute_issues(spec: Field, path: str) -> list[Issue]:
    """Report attributes that do not apply to the field's type."""
    issues = []
    for attribute, types in ATTRIBUTE_TYPES.items():
        if getattr(spec, attribute) is not None and spec.type not in types:
            issues.append(
                issue(
                    f"{path}.{attribute}",
                    "attribute_not_applicable",
                    attribute=attribute,
                    type=spec.type,
                    types=list(types),
                )
            )
    return issues


def _choices_issues(spec: Field, path: str) -> list[Issue]:
    """Choice fields need choices with unique keys; other fields take none."""
    if spec.type not in CHOICE_TYPES:
        if spec.choices is None:
            return []
        if spec.type in RUNTIME_CHOICE_TYPES:
            return [issue(f"{path}.choices", "runtime_choices", type=spec.type)]
        return [issue(f"{path}.choices", "choices_not_applicable", type=spec.type)]
    if not spec.choices:
        return [issue(f"{path}.choices", "choices_required", type=spec.type)]
    return duplicate_issues(
        [c.key for c in spec.choices], f"{path}.choices", "duplicate_choice_key"
    )


def _group_issues(spec: Field, path: str, *, in_group: bool) -> list[Issue]:
    """A group needs sub-fields and cannot sit inside another group."""
    if spec.type != "group":
        if spec.fields is None:
            return []
        return [issue(f"{path}.fields", "fields_not_applicable", type=spec.type)]
    if in_group:
        return [issue(f"{path}.type", "nested_group")]
    if not spec.fields:
        return [issue(f"{path}.fields", "group_fields_required")]
    return _fields_issues(spec.fields, f"{path}.fields", in_group=True)


def _range_issues(spec: Field, path: str) -> list[Issue]:
    """Bounds must be ordered, and whole numbers for an integer field."""
    issues = []
    if spec.min is not None and spec.max is not None and spec.min > spec.max:
        low, high = bound_param(spec.min), bound_param(spec.max)
        issues.append(issue(f"{path}.max", "max_below_min", min=low, max=high))
    if spec.type == "integer":
        for name in ("min", "max"):
            bound = getattr(spec, name)
            if bound is not None and bound != bound.to_integral_value():
                issues.append(issue(f"{path}.{name}", "integer_bound_not_whole"))
    fewest, most = spec.min_items, spec.max_items
    if fewest is not None and most is not None and fewest > most:
        found = issue(f"{path}.max_items", "max_items_below_min_items", min=fewest, max=most)
        issues.append(found)
    return issues
