"""An invalid definition is refused with every problem, each at its path, as a code.

The sentences a person reads are checked in tests/foundation/test_problem_wording.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from definition_cases import (
    MEANING_CASES,
    STRUCTURE_CASES,
    YAML_CASES,
    Data,
    add_transition,
    set_guard,
)
from engine_helpers import problems_of, to_yaml

from accompagnement.engine import DefinitionError, DefinitionProblem, load_definition

CASE_CODES = {
    "unknown top key": "unknown_key",
    "unknown field key": "unknown_key",
    "version not a number": "expected_integer",
    "version zero": "not_greater_than",
    "usual days as boolean": "expected_integer",
    "unknown field type": "unknown_value",
    "unknown stage kind": "unknown_value",
    "unknown role": "unknown_value",
    "unknown reason policy": "unknown_value",
    "missing French label": "missing_french_label",
    "label in an unknown language": "unknown_key",
    "empty French label": "empty",
    "stage key not a slug": "pattern_mismatch",
    "missing dest": "missing_key",
    "source of the wrong type": "invalid_source",
    "guard written as a two-key mapping": "invalid_guard",
    "YAML yes read as a boolean choice key": "expected_text",
    "no stages": "too_few_entries",
    "unknown task assignee": "unknown_value",
    "task due days negative": "below_minimum",
    "task due days beyond ten years": "above_maximum",
    "task without a title": "missing_key",
    "duplicate task key": "duplicate_task_key",
    "duplicate stage key": "duplicate_stage_key",
    "duplicate field key": "duplicate_field_key",
    "duplicate sub-field key in a group": "duplicate_field_key",
    "duplicate checklist key": "duplicate_checklist_item_key",
    "duplicate choice key": "duplicate_choice_key",
    "choice field without choices": "choices_required",
    "choices on a text field": "choices_not_applicable",
    "group inside a group": "nested_group",
    "max_length on a date": "attribute_not_applicable",
    "min above max": "max_below_min",
    "unknown initial stage": "unknown_stage",
    "initial stage on hold": "initial_not_a_step",
    "transition from an unknown stage": "unknown_stage",
    "transition from a list with an unknown stage": "unknown_stage",
    "transition to an unknown stage": "unknown_stage",
    "@return from a pathway step": "return_not_from_hold",
    "same trigger twice from the same source": "duplicate_trigger",
    "same trigger from a stage and from '*'": "duplicate_trigger",
    "unknown guard": "unknown_guard",
    "unknown guard parameter": "unknown_key",
    "missing guard parameter": "missing_key",
    "min_items on a field that is not a group": "unsuitable_field",
    "min_items on an unknown field": "not_a_field",
    "min_items with a count of zero": "count_below_one",
    "field_equals on an unknown field": "not_a_field",
    "field_equals with a value outside the choices": "invalid_guard_value",
    "guard on an unknown stage": "unknown_stage",
    "checklist_complete on a stage without a checklist": "stage_without_checklist",
    "form_submitted on a stage without a form": "stage_without_form",
    "unreachable stage": "unreachable_stage",
    "pathway step with no way on": "dead_end_stage",
    "hold stage with no way out": "hold_without_exit",
}
"""The code of the problem each broken definition is refused with."""
YAML_CODES = {
    "syntax error": "invalid_yaml",
    "duplicate top key": "duplicate_yaml_key",
    "duplicate key in a stage": "duplicate_yaml_key",
    "list": "not_a_definition",
    "empty": "empty_definition",
}


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        pytest.param(case[1], case[2], CASE_CODES[case[0]], id=case[0])
        for case in STRUCTURE_CASES + MEANING_CASES
    ],
)
def test_an_invalid_definition_is_refused_at_the_right_path(
    minimal: Data, change: Callable[[Data], None], path: str, code: str
) -> None:
    change(minimal)
    problems = problems_of(minimal)
    assert any(p.path == path and p.code == code for p in problems), problems


@pytest.mark.parametrize(
    ("text", "path", "code", "line"),
    [
        pytest.param(text, path, YAML_CODES[id_], line, id=id_)
        for id_, text, path, _, line in YAML_CASES
    ],
)
def test_a_malformed_yaml_text_is_refused(
    text: str, path: str, code: str, line: int | None
) -> None:
    problems = problems_of(text)
    found = [p for p in problems if p.path == path and p.code == code]
    assert found, problems
    if line is not None:
        assert found[0].line == line


def test_a_duplicate_key_is_reported_at_its_own_line() -> None:
    text = "name: mini\nversion: 1\nversion: 2\n"
    problem = next(p for p in problems_of(text) if p.code == "duplicate_yaml_key")
    assert (problem.path, problem.line, problem.params) == (
        "version",
        3,
        {"key": "version", "first": 2},
    )


def test_every_problem_is_collected_not_only_the_first(minimal: Data) -> None:
    add_transition(minimal, dest="zz")
    set_guard(minimal, "form_sent")
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


def test_a_problem_holds_origin_path_code_parameters_and_line(minimal: Data) -> None:
    minimal["stages"][0]["form"]["fields"][0]["type"] = "txt"
    problem = problems_of(minimal, origin="workflows/x.yaml")[0]
    assert (problem.origin, problem.path, problem.code) == (
        "workflows/x.yaml",
        "stages[0].form.fields[0].type",
        "unknown_value",
    )
    assert problem.params["what"] == "type" and problem.params["value"] == "txt"
    assert problem.params["allowed"][:3] == ["text", "long_text", "integer"]
    line = to_yaml(minimal).splitlines()[problem.line - 1] if problem.line else ""
    assert "type: txt" in line
    assert str(problem).endswith(f"(line {problem.line})")


def test_the_error_lists_every_problem_for_the_logs(minimal: Data) -> None:
    minimal["initial"] = "zz"
    minimal["colour"] = "red"
    with pytest.raises(DefinitionError) as caught:
        load_definition(to_yaml(minimal), "workflows/x.yaml")
    assert "workflows/x.yaml: colour: unknown_key" in str(caught.value)
    assert all(isinstance(p, DefinitionProblem) for p in caught.value.problems)


def test_a_plain_string_is_a_french_label(minimal: Data) -> None:
    minimal["stages"][1]["label"] = "Fin"
    definition = load_definition(to_yaml(minimal))
    assert definition.stages[1].label.get("en") == "Fin"


def test_unquoted_number_choice_keys_are_read_as_text(minimal: Data) -> None:
    minimal["stages"][0]["form"]["fields"][2]["choices"][0]["key"] = 19
    definition = load_definition(to_yaml(minimal))
    assert definition.stages[0].form and definition.stages[0].form.fields[2].choice("19")
