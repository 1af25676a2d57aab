"""What changed between two versions of a workflow, as codes the application words.

A change is structural when running projects could notice it (a stage, a field, a rule, an
order); a label change only rewords (labels, descriptions, help, units, translations) and may be
published in place on the same version. Parameters hold the `Label`s of what they name, so the
application words a change in any language (`accompagnement.workflows.changes`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, TypeVar

from accompagnement.engine.codes import LABEL_CHANGE_CODES
from accompagnement.engine.definition import (
    ALL_STAGES,
    ChecklistItem,
    Field,
    Label,
    Stage,
    TaskTemplate,
    TransitionDef,
    WorkflowDefinition,
)

Keyed = TypeVar("Keyed", Stage, Field, ChecklistItem, TaskTemplate)
BOUNDS = ("max_length", "min", "max", "min_items", "max_items")
"""The field attributes that bound a value (a change of one is structural)."""


@dataclass(frozen=True)
class Change:
    """One difference between two versions: a code and its parameters (labels, keys, values)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def structural(self) -> bool:
        """Say whether projects could notice it (else it only rewords: label-only)."""
        return self.code not in LABEL_CHANGE_CODES


def compare(old: WorkflowDefinition, new: WorkflowDefinition) -> list[Change]:
    """List every difference from `old` to `new`: the workflow, its stages, its transitions."""
    changes = _workflow_changes(old, new)
    changes += _stages_changes(old, new)
    return changes + _transitions_changes(old, new)


def label_only(changes: Sequence[Change]) -> bool:
    """Say whether every change only rewords (it may be published in place)."""
    return not any(c.structural for c in changes)


def _workflow_changes(old: WorkflowDefinition, new: WorkflowDefinition) -> list[Change]:
    """Compare the workflow's own attributes."""
    changes = _labels("workflow", {}, old, new, ("label", "description"))
    if old.default != new.default:
        changes.append(Change("default_changed", {"default": new.default}))
    if old.initial != new.initial:
        initial = {"old": _stage_label(old, old.initial), "new": _stage_label(new, new.initial)}
        changes.append(Change("initial_changed", initial))
    return changes


def _labels(
    prefix: str, where: dict[str, Any], old: Any, new: Any, attributes: Sequence[str]
) -> list[Change]:
    """Say which labels (`label`, `help`...) differ, as `<prefix>_<attribute>_changed`."""
    changes = []
    for attribute in attributes:
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            params = {**where, "old": before, "new": after}
            changes.append(Change(f"{prefix}_{attribute}_changed", params))
    return changes


def _stage_label(definition: WorkflowDefinition, key: str) -> Label:
    """Return a stage's label (its key when the definition has no such stage)."""
    stage = definition.stage(key)
    return stage.label if stage else Label(fr=key)


def _by_key(items: Sequence[Keyed]) -> dict[str, Keyed]:
    return {item.key: item for item in items}


def _added_removed_moved(
    old: Sequence[Keyed], new: Sequence[Keyed], name: str, where: dict[str, Any]
) -> list[Change]:
    """Say which items were added (after which), removed, or moved among the others."""
    olds, news = _by_key(old), _by_key(new)
    changes = []
    for index, item in enumerate(new):
        if item.key not in olds:
            after = new[index - 1] if index else None
            params = {**where, name: _title(item), "after": _title(after) if after else None}
            changes.append(Change(f"{name}_added", params))
    for item in old:
        if item.key not in news:
            changes.append(Change(f"{name}_removed", {**where, name: _title(item)}))
    changes += _moved(old, new, name, where)
    return changes


def _moved(
    old: Sequence[Keyed], new: Sequence[Keyed], name: str, where: dict[str, Any]
) -> list[Change]:
    """Say which kept items changed places: those off the longest run kept in order."""
    kept = set(_by_key(old)) & set(_by_key(new))
    before = [i.key for i in old if i.key in kept]
    after = [i for i in new if i.key in kept]
    matcher = SequenceMatcher(a=before, b=[i.key for i in after], autojunk=False)
    in_order = {before[b.a + n] for b in matcher.get_matching_blocks() for n in range(b.size)}
    changes = []
    for index, item in enumerate(after):
        if item.key not in in_order:
            previous = _title(after[index - 1]) if index else None
            params = {**where, name: _title(item), "after": previous}
            changes.append(Change(f"{name}_moved", params))
    return changes


def _title(item: Stage | Field | ChecklistItem | TaskTemplate) -> Label:
    """Return the label an item is named by."""
    return item.title if isinstance(item, TaskTemplate) else item.label


def _pairs(old: Sequence[Keyed], new: Sequence[Keyed]) -> list[tuple[Keyed, Keyed]]:
    """Return the (old, new) pairs of the items kept, in the new order."""
    olds = _by_key(old)
    return [(olds[item.key], item) for item in new if item.key in olds]


def _stages_changes(old: WorkflowDefinition, new: WorkflowDefinition) -> list[Change]:
    """Compare the stages: added, removed, moved, then each stage kept."""
    changes = _added_removed_moved(old.stages, new.stages, "stage", {})
    for before, after in _pairs(old.stages, new.stages):
        changes += _stage_changes(before, after)
    return changes


def _stage_changes(old: Stage, new: Stage) -> list[Change]:
    """Compare one stage: its kind, usual days, labels, form, checklist and tasks."""
    where = {"stage": new.label}
    changes = _labels("stage", where, old, new, ("label", "description"))
    for attribute in ("kind", "usual_days"):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            params = {**where, "old": before, "new": after}
            changes.append(Change(f"stage_{attribute}_changed", params))
    changes += _form_changes(old, new, where)
    changes += _checklist_changes(old.checklist, new.checklist, where)
    return changes + _tasks_changes(old.tasks, new.tasks, where)


def _form_changes(old: Stage, new: Stage, where: dict[str, Any]) -> list[Change]:
    """Compare the forms of a stage kept."""
    if old.form is None and new.form is None:
        return []
    if old.form is None or new.form is None:
        return [Change("form_added" if old.form is None else "form_removed", where)]
    return _fields_changes(old.form.fields, new.form.fields, where)


def _fields_changes(
    old: Sequence[Field], new: Sequence[Field], where: dict[str, Any]
) -> list[Change]:
    """Compare fields by key, a group's sub-fields within it."""
    changes = _added_removed_moved(old, new, "field", where)
    for before, after in _pairs(old, new):
        changes += _field_changes(before, after, {**where, "field": after.label})
    return changes


def _field_changes(old: Field, new: Field, where: dict[str, Any]) -> list[Change]:
    """Compare one field: type, required, bounds, choices, labels, sub-fields."""
    if old.type != new.type:
        return [Change("field_type_changed", {**where, "old": old.type, "new": new.type})]
    changes = _labels("field", where, old, new, ("label", "help", "unit"))
    if old.required != new.required:
        changes.append(Change("field_required" if new.required else "field_optional", where))
    for bound in BOUNDS:
        before, after = getattr(old, bound), getattr(new, bound)
        if before != after:
            params = {**where, "bound": bound, "old": before, "new": after}
            changes.append(Change("field_bound_changed", params))
    changes += _choices_changes(old, new, where)
    if old.fields or new.fields:
        group = {"stage": where["stage"], "group": new.label}
        changes += _fields_changes(old.fields or [], new.fields or [], group)
    return changes


def _choices_changes(old: Field, new: Field, where: dict[str, Any]) -> list[Change]:
    """Compare the choices of a choice field: added, removed, relabelled, reordered."""
    before = {c.key: c for c in old.choices or ()}
    after = {c.key: c for c in new.choices or ()}
    changes = [
        Change("choice_added", {**where, "choice": c.label})
        for key, c in after.items()
        if key not in before
    ]
    changes += [
        Change("choice_removed", {**where, "choice": c.label})
        for key, c in before.items()
        if key not in after
    ]
    for key, choice in after.items():
        if key in before and before[key].label != choice.label:
            params = {**where, "old": before[key].label, "new": choice.label}
            changes.append(Change("choice_label_changed", params))
    kept_before = [k for k in before if k in after]
    if kept_before != [k for k in after if k in before]:
        changes.append(Change("choices_reordered", where))
    return changes


def _checklist_changes(
    old: Sequence[ChecklistItem], new: Sequence[ChecklistItem], where: dict[str, Any]
) -> list[Change]:
    """Compare a stage's checklist items by key."""
    changes = _added_removed_moved(old, new, "item", where)
    for before, after in _pairs(old, new):
        named = {**where, "item": after.label}
        changes += _labels("item", where, before, after, ("label",))
        if before.required != after.required:
            code = "item_required" if after.required else "item_optional"
            changes.append(Change(code, named))
    return changes


def _tasks_changes(
    old: Sequence[TaskTemplate], new: Sequence[TaskTemplate], where: dict[str, Any]
) -> list[Change]:
    """Compare a stage's task templates by key (their order does not matter)."""
    changes = [c for c in _added_removed_moved(old, new, "task", where) if c.code != "task_moved"]
    for before, after in _pairs(old, new):
        changes += _labels("task", where, before, after, ("title",))
        for attribute in ("assignee", "due_days"):
            if getattr(before, attribute) != getattr(after, attribute):
                params = {**where, "task": after.title, "attribute": attribute}
                params |= {"old": getattr(before, attribute), "new": getattr(after, attribute)}
                changes.append(Change("task_changed", params))
    return changes


TransitionKey = tuple[str, tuple[str, ...]]


def _transition_key(transition: TransitionDef) -> TransitionKey:
    """Name a transition by its trigger and its sources (a trigger may leave several stages)."""
    source = transition.source
    return transition.trigger, tuple(sorted([source] if isinstance(source, str) else source))


def _transitions_changes(old: WorkflowDefinition, new: WorkflowDefinition) -> list[Change]:
    """Compare transitions named by trigger and sources: added, removed, changed."""
    before = {_transition_key(t): t for t in old.transitions}
    after = {_transition_key(t): t for t in new.transitions}
    changes = [
        Change("transition_added", _ends(new, t)) for k, t in after.items() if k not in before
    ]
    changes += [
        Change("transition_removed", _ends(old, t)) for k, t in before.items() if k not in after
    ]
    for key, transition in after.items():
        if key in before:
            changes += _transition_changes(old, new, before[key], transition)
    return changes


def _ends(definition: WorkflowDefinition, transition: TransitionDef) -> dict[str, Any]:
    """Name a transition with where it leaves from and where it goes."""
    sources = [transition.source] if isinstance(transition.source, str) else transition.source
    return {
        "transition": transition.label,
        "sources": [_stage_or_word(definition, key) for key in sources],
        "dest": _stage_or_word(definition, transition.dest),
    }


def _stage_or_word(definition: WorkflowDefinition, key: str) -> Label | str:
    """A stage's label, or the special words `*` (every stage) and `@return` as they are."""
    return key if key == ALL_STAGES or key.startswith("@") else _stage_label(definition, key)


def _transition_changes(
    old_definition: WorkflowDefinition,
    new_definition: WorkflowDefinition,
    old: TransitionDef,
    new: TransitionDef,
) -> list[Change]:
    """Compare one transition kept: label, destination, roles, reason and guards."""
    where = {"transition": new.label}
    changes = _labels("transition", where, old, new, ("label",))
    if old.dest != new.dest:
        dests = {
            "old": _stage_or_word(old_definition, old.dest),
            "new": _stage_or_word(new_definition, new.dest),
        }
        changes.append(Change("transition_dest_changed", {**where, **dests}))
    if set(old.roles) != set(new.roles):
        params = {**where, "old": sorted(old.roles), "new": sorted(new.roles)}
        changes.append(Change("transition_roles_changed", params))
    if old.reason != new.reason:
        params = {**where, "old": old.reason, "new": new.reason}
        changes.append(Change("transition_reason_changed", params))
    return changes + _guards_changes(new_definition, old_definition, old, new, where)


def _guards_changes(
    new_definition: WorkflowDefinition,
    old_definition: WorkflowDefinition,
    old: TransitionDef,
    new: TransitionDef,
    where: dict[str, Any],
) -> list[Change]:
    """Say which guards a transition gained (`needs`) or lost (`no longer needs`)."""
    before = [(g.name, g.params) for g in old.guards]
    after = [(g.name, g.params) for g in new.guards]
    changes = [
        Change("guard_added", {**where, **_guard(new_definition, new, *g)})
        for g in after
        if g not in before
    ]
    return changes + [
        Change("guard_removed", {**where, **_guard(old_definition, old, *g)})
        for g in before
        if g not in after
    ]


def _guard(
    definition: WorkflowDefinition, transition: TransitionDef, name: str, params: dict[str, Any]
) -> dict[str, Any]:
    """Name what a guard checks: its kind, the stage (its own by default), field, count, value."""
    stage_key = params.get("stage") or _single_source(transition)
    stage = definition.stage(stage_key) if stage_key else None
    found: dict[str, Any] = {"guard": name, "stage": stage.label if stage else None}
    field_ = stage.field(str(params.get("field"))) if stage else None
    if "field" in params:
        found["field"] = field_.label if field_ else Label(fr=str(params["field"]))
    if "count" in params:
        found["count"] = params["count"]
    if "value" in params:
        choice = field_.choice(str(params["value"])) if field_ else None
        found["value"] = choice.label if choice else params["value"]
    return found


def _single_source(transition: TransitionDef) -> str | None:
    """Return the one stage a transition leaves, if it leaves exactly one."""
    source = transition.source
    if isinstance(source, str) and source != ALL_STAGES:
        return source
    return source[0] if isinstance(source, list) and len(source) == 1 else None
