"""An invalid definition is refused with every problem, each at its path, in plain English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from engine_helpers import MINIMAL, problems_of, to_yaml

from accompagnement.engine import DefinitionError, load_definition

Data = dict[str, Any]


def _field(data: Data, index: int) -> Data:
    """Return a field of the first stage's form."""
    field: Data = data["stages"][0]["form"]["fields"][index]
    return field


def _add_transition(data: Data, **changes: Any) -> None:
    """Add a transition a -> b named `other`, with changes."""
    data["transitions"].append(
        {"trigger": "other", "label": "Autre", "source": "a", "dest": "b", "roles": ["holder"]}
        | changes
    )


def _guard(data: Data, guard: Any) -> None:
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
        lambda d: _guard(d, {"form_submitted": {}, "checklist_complete": {}}),
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
        lambda d: _add_transition(d, source="zz"),
        "transitions[3].source",
        "unknown stage 'zz'; expected one of: a, b, pause, '*'",
    ),
    (
        "transition from a list with an unknown stage",
        lambda d: _add_transition(d, source=["a", "zz"], trigger="also"),
        "transitions[3].source[1]",
        "unknown stage 'zz'",
    ),
    (
        "transition to an unknown stage",
        lambda d: _add_transition(d, dest="zz"),
        "transitions[3].dest",
        "unknown stage 'zz'; expected one of: a, b, pause, '@return'",
    ),
    (
        "@return from a pathway step",
        lambda d: _add_transition(d, dest="@return"),
        "transitions[3].dest",
        "'@return' only leaves a hold stage; 'a' is of kind 'stage'",
    ),
    (
        "same trigger twice from the same source",
        lambda d: _add_transition(d, trigger="go", dest="pause"),
        "transitions[3].trigger",
        "trigger 'go' from stage 'a' is already defined by transitions[0]",
    ),
    (
        "same trigger from a stage and from '*'",
        lambda d: _add_transition(d, trigger="pause", dest="b"),
        "transitions[3].trigger",
        "trigger 'pause' from stage 'a' is already defined by transitions[1]",
    ),
    (
        "unknown guard",
        lambda d: _guard(d, "form_sent"),
        "transitions[0].guards[0]",
        "unknown guard 'form_sent'; expected one of: form_submitted, checklist_complete",
    ),
    (
        "unknown guard parameter",
        lambda d: _guard(d, {"min_items": {"field": "items", "count": 2, "cnt": 2}}),
        "transitions[0].guards[0].min_items.cnt",
        "unknown key 'cnt'",
    ),
    (
        "missing guard parameter",
        lambda d: _guard(d, {"min_items": {"field": "items"}}),
        "transitions[0].guards[0].min_items.count",
        "required key 'count' is missing",
    ),
    (
        "min_items on a field that is not a group",
        lambda d: _guard(d, {"min_items": {"field": "title", "count": 2}}),
        "transitions[0].guards[0].min_items.field",
        "'title' is a field of type 'text' in stage 'a'; expected a group field: items",
    ),
    (
        "min_items on an unknown field",
        lambda d: _guard(d, {"min_items": {"field": "visits", "count": 2}}),
        "transitions[0].guards[0].min_items.field",
        "'visits' is not a field in stage 'a'",
    ),
    (
        "min_items with a count of zero",
        lambda d: _guard(d, {"min_items": {"field": "items", "count": 0}}),
        "transitions[0].guards[0].min_items.count",
        "expected a whole number >= 1",
    ),
    (
        "field_equals on an unknown field",
        lambda d: _guard(d, {"field_equals": {"field": "decision", "value": "oui"}}),
        "transitions[0].guards[0].field_equals.field",
        "'decision' is not a field in stage 'a'; expected a single-value field: title, avis",
    ),
    (
        "field_equals with a value outside the choices",
        lambda d: _guard(d, {"field_equals": {"field": "avis", "value": "peut-etre"}}),
        "transitions[0].guards[0].field_equals.value",
        "invalid value 'peut-etre' for field 'avis'; expected one of: oui, non",
    ),
    (
        "guard on an unknown stage",
        lambda d: _guard(d, {"form_submitted": {"stage": "zz"}}),
        "transitions[0].guards[0].form_submitted.stage",
        "unknown stage 'zz'",
    ),
    (
        "checklist_complete on a stage without a checklist",
        lambda d: _guard(d, {"checklist_complete": {"stage": "b"}}),
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
            _add_transition(d, dest="c"),
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
]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in STRUCTURE_CASES + MEANING_CASES],
)
def test_an_invalid_definition_is_refused_at_the_right_path(
    minimal: Data, change: Callable[[Data], None], path: str, message: str
) -> None:
    change(minimal)
    problems = problems_of(minimal)
    assert any(p.path == path and message in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("text", "path", "message", "line"),
    [
        pytest.param("name: [unclosed\n", "", "invalid YAML", 2, id="syntax error"),
        pytest.param(
            to_yaml(MINIMAL) + "version: 2\n",
            "version",
            "duplicate key 'version' (first written at line 2)",
            None,
            id="duplicate top key",
        ),
        pytest.param(
            to_yaml(MINIMAL).replace("- key: a\n", "- key: a\n  key: z\n", 1),
            "stages[0].key",
            "duplicate key 'key'",
            None,
            id="duplicate key in a stage",
        ),
        pytest.param("- a\n- b\n", "", "expected a workflow definition (a mapping)", 1, id="list"),
        pytest.param("", "", "a workflow definition (a mapping), got an empty text", 1, id="empty"),
    ],
)
def test_a_malformed_yaml_text_is_refused(
    text: str, path: str, message: str, line: int | None
) -> None:
    problems = problems_of(text)
    found = [p for p in problems if p.path == path and message in p.message]
    assert found, problems
    if line is not None:
        assert found[0].line == line


def test_a_duplicate_key_is_reported_at_its_own_line() -> None:
    text = "name: mini\nversion: 1\nversion: 2\n"
    problem = next(p for p in problems_of(text) if "duplicate" in p.message)
    assert (problem.path, problem.line) == ("version", 3)


def test_every_problem_is_collected_not_only_the_first(minimal: Data) -> None:
    _add_transition(minimal, dest="zz")
    _guard(minimal, "form_sent")
    minimal["stages"][0]["checklist"].append({"key": "done", "label": "Encore"})
    paths = {p.path for p in problems_of(minimal)}
    assert {
        "transitions[3].dest",
        "transitions[0].guards[0]",
        "stages[0].checklist[1].key",
    } <= paths


def test_well_formed_stages_are_still_checked_when_another_part_is_malformed(
    minimal: Data,
) -> None:
    minimal["version"] = "one"
    minimal["stages"][0]["checklist"].append({"key": "done", "label": "Encore"})
    paths = {p.path for p in problems_of(minimal)}
    assert {"version", "stages[0].checklist[1].key"} <= paths


def test_a_problem_reads_origin_path_message_and_line(minimal: Data) -> None:
    minimal["stages"][0]["form"]["fields"][0]["type"] = "txt"
    problem = problems_of(minimal, origin="workflows/x.yaml")[0]
    assert str(problem).startswith(
        "workflows/x.yaml: stages[0].form.fields[0].type: unknown field type 'txt'; "
        "expected one of: text, long_text, integer, decimal, money, date, boolean, choice"
    )
    line = to_yaml(minimal).splitlines()[problem.line - 1] if problem.line else ""
    assert "type: txt" in line
    assert str(problem).endswith(f"(line {problem.line})")


def test_the_error_message_lists_every_problem(minimal: Data) -> None:
    minimal["initial"] = "zz"
    minimal["colour"] = "red"
    with pytest.raises(DefinitionError) as caught:
        load_definition(to_yaml(minimal), "workflows/x.yaml")
    assert "workflows/x.yaml: colour: unknown key 'colour'" in str(caught.value)


def test_a_plain_string_is_a_french_label(minimal: Data) -> None:
    minimal["stages"][1]["label"] = "Fin"
    definition = load_definition(to_yaml(minimal))
    assert definition.stages[1].label.get("en") == "Fin"


def test_unquoted_number_choice_keys_are_read_as_text(minimal: Data) -> None:
    minimal["stages"][0]["form"]["fields"][2]["choices"][0]["key"] = 19
    definition = load_definition(to_yaml(minimal))
    assert definition.stages[0].form and definition.stages[0].form.fields[2].choice("19")
