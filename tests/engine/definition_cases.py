"""Broken definitions and what is said about them: shared by the engine and wording tests.

Each case: an id, a change to the minimal definition, the path of the problem and a part of
its English sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine_helpers import MINIMAL, to_yaml

Data = dict[str, Any]


def _field(data: Data, index: int) -> Data:
    """Return a field of the first stage's form."""
    field: Data = data["stages"][0]["form"]["fields"][index]
    return field


def _task(**changes: Any) -> Data:
    """Return a task template of a stage, with changes."""
    template = {"key": "call", "title": {"fr": "Appeler"}, "assignee": "holders", "due_days": 7}
    return template | changes


def add_transition(data: Data, **changes: Any) -> None:
    """Add a transition a -> b named `other`, with changes."""
    data["transitions"].append(
        {"trigger": "other", "label": "Autre", "source": "a", "dest": "b", "roles": ["holder"]}
        | changes
    )


def set_guard(data: Data, guard: Any) -> None:
    """Replace the guards of the first transition."""
    data["transitions"][0]["guards"] = [guard]


def _set(path: str, value: Any) -> Callable[[Data], None]:
    """Return a change setting a value at a dotted path (digits index lists)."""

    def change(data: Data) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


STRUCTURE_CASES: list[tuple[str, Callable[[Data], None], str, str]] = [
    (
        "unknown top key",
        _set("colour", "red"),
        "colour",
        "unknown key 'colour'; expected one of: name",
    ),
    (
        "unknown field key",
        lambda d: _field(d, 0).update(lenght=3),
        "stages[0].form.fields[0].lenght",
        "unknown key 'lenght'; expected one of: key, type, label",
    ),
    ("version not a number", _set("version", "one"), "version", "expected a whole number"),
    ("version zero", _set("version", 0), "version", "expected a number > 0"),
    (
        "usual days as boolean",
        _set("stages.0.usual_days", True),
        "stages[0].usual_days",
        "expected a whole number, got true",
    ),
    (
        "unknown field type",
        _set("stages.0.form.fields.0.type", "txt"),
        "stages[0].form.fields[0].type",
        "unknown field type 'txt'; expected one of: text, long_text, integer",
    ),
    (
        "unknown stage kind",
        _set("stages.1.kind", "end"),
        "stages[1].kind",
        "unknown stage kind 'end'; expected one of: stage, hold, final",
    ),
    (
        "unknown role",
        _set("transitions.0.roles", ["admin"]),
        "transitions[0].roles[0]",
        "unknown role 'admin'; expected one of: coordinator, holder",
    ),
    (
        "unknown reason policy",
        _set("transitions.0.reason", "maybe"),
        "transitions[0].reason",
        "unknown reason policy 'maybe'",
    ),
    (
        "missing French label",
        _set("stages.1.label", {"en": "End"}),
        "stages[1].label.fr",
        "a French label ('fr') is required",
    ),
    (
        "label in an unknown language",
        _set("stages.1.label", {"fr": "Fin", "de": "Ende"}),
        "stages[1].label.de",
        "unknown key 'de'; expected one of: fr, en",
    ),
    (
        "empty French label",
        _set("stages.1.label", {"fr": ""}),
        "stages[1].label.fr",
        "must not be empty",
    ),
    (
        "stage key not a slug",
        _set("stages.1.key", "Fin B"),
        "stages[1].key",
        "invalid value 'Fin B'; expected lowercase letters",
    ),
    (
        "missing dest",
        lambda d: d["transitions"][0].pop("dest"),
        "transitions[0].dest",
        "required key 'dest' is missing",
    ),
    (
        "source of the wrong type",
        _set("transitions.0.source", 3),
        "transitions[0].source",
        "expected a stage key, a non-empty list of stage keys, or '*'",
    ),
    (
        "guard written as a two-key mapping",
        lambda d: set_guard(d, {"form_submitted": {}, "checklist_complete": {}}),
        "transitions[0].guards[0]",
        "expected a guard name, or a mapping {guard_name: {param: value}}",
    ),
    (
        "YAML yes read as a boolean choice key",
        _set("stages.0.form.fields.2.choices.0.key", True),
        "stages[0].form.fields[2].choices[0].key",
        "expected text, got true (YAML reads yes/no/on/off as booleans",
    ),
    (
        "no stages",
        _set("stages", []),
        "stages",
        "expected at least 1 item(s)",
    ),
    (
        "unknown task assignee",
        lambda d: d["stages"][0].update(tasks=[_task(assignee="everybody")]),
        "stages[0].tasks[0].assignee",
        "unknown task assignee 'everybody'; expected one of: holders, coordinator",
    ),
    (
        "task due days negative",
        lambda d: d["stages"][0].update(tasks=[_task(due_days=-1)]),
        "stages[0].tasks[0].due_days",
        "expected a number >= 0, got -1",
    ),
    (
        "task due days beyond ten years",
        lambda d: d["stages"][0].update(tasks=[_task(due_days=4000)]),
        "stages[0].tasks[0].due_days",
        "expected a number <= 3650, got 4000",
    ),
    (
        "task without a title",
        lambda d: d["stages"][0].update(tasks=[{"key": "call", "assignee": "holders"}]),
        "stages[0].tasks[0].title",
        "required key 'title' is missing",
    ),
]

MEANING_CASES: list[tuple[str, Callable[[Data], None], str, str]] = [
    (
        "duplicate stage key",
        _set("stages.2.key", "a"),
        "stages[2].key",
        "duplicate stage key 'a' (already used by stages[0])",
    ),
    (
        "duplicate field key",
        _set("stages.0.form.fields.2.key", "title"),
        "stages[0].form.fields[2].key",
        "duplicate field key 'title' (already used by stages[0].form.fields[0])",
    ),
    (
        "duplicate sub-field key in a group",
        lambda d: _field(d, 1)["fields"].append({"key": "when", "type": "text", "label": "X"}),
        "stages[0].form.fields[1].fields[1].key",
        "duplicate field key 'when'",
    ),
    (
        "duplicate checklist key",
        lambda d: d["stages"][0]["checklist"].append({"key": "done", "label": "Encore"}),
        "stages[0].checklist[1].key",
        "duplicate checklist item key 'done'",
    ),
    (
        "duplicate choice key",
        _set("stages.0.form.fields.2.choices.1.key", "oui"),
        "stages[0].form.fields[2].choices[1].key",
        "duplicate choice key 'oui'",
    ),
    (
        "choice field without choices",
        lambda d: _field(d, 2).pop("choices"),
        "stages[0].form.fields[2].choices",
        "choice fields need a non-empty list of choices",
    ),
    (
        "choices on a text field",
        lambda d: _field(d, 0).update(choices=[{"key": "x", "label": "X"}]),
        "stages[0].form.fields[0].choices",
        "'choices' does not apply to text fields",
    ),
    (
        "group inside a group",
        lambda d: _field(d, 1)["fields"].append(
            {"key": "inner", "type": "group", "label": "G", "fields": [_field(d, 0)]}
        ),
        "stages[0].form.fields[1].fields[1].type",
        "a group cannot contain another group",
    ),
    (
        "max_length on a date",
        lambda d: _field(d, 1)["fields"][0].update(max_length=10),
        "stages[0].form.fields[1].fields[0].max_length",
        "'max_length' does not apply to date fields; only to: text, long_text",
    ),
    (
        "min above max",
        lambda d: _field(d, 0).update(type="decimal", min=10, max=2.5),
        "stages[0].form.fields[0].max",
        "max (2.5) is below min (10)",
    ),
    (
        "unknown initial stage",
        _set("initial", "zz"),
        "initial",
        "unknown stage 'zz'; expected one of: a, b, pause",
    ),
    (
        "initial stage on hold",
        _set("initial", "pause"),
        "initial",
        "the initial stage must be of kind 'stage', not 'hold'",
    ),
    (
        "transition from an unknown stage",
        lambda d: add_transition(d, source="zz"),
        "transitions[3].source",
        "unknown stage 'zz'; expected one of: a, b, pause, '*'",
    ),
    (
        "transition from a list with an unknown stage",
        lambda d: add_transition(d, source=["a", "zz"], trigger="also"),
        "transitions[3].source[1]",
        "unknown stage 'zz'",
    ),
    (
        "transition to an unknown stage",
        lambda d: add_transition(d, dest="zz"),
        "transitions[3].dest",
        "unknown stage 'zz'; expected one of: a, b, pause, '@return'",
    ),
    (
        "@return from a pathway step",
        lambda d: add_transition(d, dest="@return"),
        "transitions[3].dest",
        "'@return' only leaves a hold stage; 'a' is of kind 'stage'",
    ),
    (
        "same trigger twice from the same source",
        lambda d: add_transition(d, trigger="go", dest="pause"),
        "transitions[3].trigger",
        "trigger 'go' from stage 'a' is already defined by transitions[0]",
    ),
    (
        "same trigger from a stage and from '*'",
        lambda d: add_transition(d, trigger="pause", dest="b"),
        "transitions[3].trigger",
        "trigger 'pause' from stage 'a' is already defined by transitions[1]",
    ),
    (
        "unknown guard",
        lambda d: set_guard(d, "form_sent"),
        "transitions[0].guards[0]",
        "unknown guard 'form_sent'; expected one of: form_submitted, checklist_complete",
    ),
    (
        "unknown guard parameter",
        lambda d: set_guard(d, {"min_items": {"field": "items", "count": 2, "cnt": 2}}),
        "transitions[0].guards[0].min_items.cnt",
        "unknown key 'cnt'",
    ),
    (
        "missing guard parameter",
        lambda d: set_guard(d, {"min_items": {"field": "items"}}),
        "transitions[0].guards[0].min_items.count",
        "required key 'count' is missing",
    ),
    (
        "min_items on a field that is not a group",
        lambda d: set_guard(d, {"min_items": {"field": "title", "count": 2}}),
        "transitions[0].guards[0].min_items.field",
        "'title' is a field of type 'text' in stage 'a'; expected a group field: items",
    ),
    (
        "min_items on an unknown field",
        lambda d: set_guard(d, {"min_items": {"field": "visits", "count": 2}}),
        "transitions[0].guards[0].min_items.field",
        "'visits' is not a field in stage 'a'",
    ),
    (
        "min_items with a count of zero",
        lambda d: set_guard(d, {"min_items": {"field": "items", "count": 0}}),
        "transitions[0].guards[0].min_items.count",
        "expected a whole number >= 1",
    ),
    (
        "field_equals on an unknown field",
        lambda d: set_guard(d, {"field_equals": {"field": "decision", "value": "oui"}}),
        "transitions[0].guards[0].field_equals.field",
        "'decision' is not a field in stage 'a'; expected a single-value field: title, avis",
    ),
    (
        "field_equals with a value outside the choices",
        lambda d: set_guard(d, {"field_equals": {"field": "avis", "value": "peut-etre"}}),
        "transitions[0].guards[0].field_equals.value",
        "invalid value 'peut-etre' for field 'avis'; expected one of: oui, non",
    ),
    (
        "guard on an unknown stage",
        lambda d: set_guard(d, {"form_submitted": {"stage": "zz"}}),
        "transitions[0].guards[0].form_submitted.stage",
        "unknown stage 'zz'",
    ),
    (
        "checklist_complete on a stage without a checklist",
        lambda d: set_guard(d, {"checklist_complete": {"stage": "b"}}),
        "transitions[0].guards[0].checklist_complete",
        "stage 'b' has no checklist",
    ),
    (
        "form_submitted on a stage without a form",
        lambda d: d["stages"][0].pop("form"),
        "transitions[0].guards[0].form_submitted",
        "stage 'a' has no form to submit",
    ),
    (
        "unreachable stage",
        lambda d: d["stages"].append({"key": "orphan", "kind": "final", "label": "Orpheline"}),
        "stages[3]",
        "stage 'orphan' cannot be reached from the initial stage 'a'",
    ),
    (
        "pathway step with no way on",
        lambda d: (
            d["stages"].append({"key": "c", "label": "C"}),
            add_transition(d, dest="c"),
        ),
        "stages[3]",
        "stage 'c' has no outgoing transition to a stage or final outcome",
    ),
    (
        "hold stage with no way out",
        lambda d: d["transitions"].pop(2),
        "stages[2]",
        "hold stage 'pause' has no outgoing transition",
    ),
    (
        "duplicate task key",
        lambda d: d["stages"][0].update(tasks=[_task(), _task()]),
        "stages[0].tasks[1].key",
        "duplicate task key 'call' (already used by stages[0].tasks[0])",
    ),
]


YAML_CASES: list[tuple[str, str, str, str, int | None]] = [
    ("syntax error", "name: [unclosed\n", "", "invalid YAML", 2),
    (
        "duplicate top key",
        to_yaml(MINIMAL) + "version: 2\n",
        "version",
        "duplicate key 'version' (first written at line 2)",
        None,
    ),
    (
        "duplicate key in a stage",
        to_yaml(MINIMAL).replace("- key: a\n", "- key: a\n  key: z\n", 1),
        "stages[0].key",
        "duplicate key 'key'",
        None,
    ),
    ("list", "- a\n- b\n", "", "expected a workflow definition (a mapping)", 1),
    ("empty", "", "", "a workflow definition (a mapping), got an empty text", 1),
]
"""Malformed YAML texts: id, text, path, part of the English sentence, line (when checked)."""
