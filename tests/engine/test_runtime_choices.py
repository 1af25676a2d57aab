"""The `departement` field type takes its choices at run time; `default: true` marks one pathway."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from engine_helpers import MINIMAL, WORKFLOWS, problems_of, to_yaml

from accompagnement.engine import (
    Choice,
    FieldError,
    Label,
    Workflow,
    WorkflowRegistry,
    load_definition,
    load_directory,
    load_files,
)

CHOICES = {
    "departement": [
        Choice(key="19", label=Label(fr="Corrèze (19)")),
        Choice.model_construct(key="2A", label=Label(fr="Corse-du-Sud (2A)")),
    ]
}


def _with_departement(**extra: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    field = {"key": "dep", "type": "departement", "label": {"fr": "Département"}, **extra}
    data["stages"][0]["form"]["fields"].append(field)
    return data


def _workflow(data: dict[str, Any]) -> Workflow:
    return Workflow(load_definition(to_yaml(data)))


def test_a_departement_field_accepts_only_the_choices_given_at_run_time() -> None:
    workflow = _workflow(_with_departement())
    ok = workflow.clean_form("a", {"dep": "19"}, submit=False, choices=CHOICES)
    assert ok.data == {"dep": "19"} and ok.ok
    corsica = workflow.clean_form("a", {"dep": "2a"}, submit=False, choices=CHOICES)
    assert corsica.data == {"dep": "2A"}
    refused = workflow.clean_form("a", {"dep": "87"}, submit=False, choices=CHOICES)
    assert refused.errors == {"dep": FieldError("invalid_choice", {"value": "87"})}


def test_without_choices_a_departement_field_accepts_any_departement_code() -> None:
    workflow = _workflow(_with_departement())
    assert workflow.clean_form("a", {"dep": "87"}, submit=False).data == {"dep": "87"}
    refused = workflow.clean_form("a", {"dep": "Creuse"}, submit=False)
    assert refused.errors["dep"].code == "invalid_choice"


def test_run_time_choices_reach_departement_fields_inside_groups() -> None:
    data = copy.deepcopy(MINIMAL)
    group = data["stages"][0]["form"]["fields"][1]
    group["fields"].append({"key": "dep", "type": "departement", "label": {"fr": "Dép."}})
    workflow = _workflow(data)
    raw = {"items": [{"dep": "23"}]}
    cleaned = workflow.clean_form("a", raw, submit=False, choices=CHOICES)
    assert cleaned.errors == {"items.0.dep": FieldError("invalid_choice", {"value": "23"})}


def test_choices_written_for_a_departement_field_are_refused_in_the_usual_style() -> None:
    problems = problems_of(_with_departement(choices=[{"key": "19", "label": "Corrèze"}]))
    assert [(p.path, p.code, p.params) for p in problems] == [
        ("stages[0].form.fields[3].choices", "runtime_choices", {"type": "departement"})
    ]


def test_the_shipped_creation_pathway_is_the_default_one() -> None:
    registry = WorkflowRegistry()
    for definition in load_directory(WORKFLOWS):
        registry.add(definition)
    assert registry.default_name() == "creation-ressourcerie"


def test_two_default_workflows_are_refused_naming_the_second_file(tmp_path: Path) -> None:
    for name in ("alpha", "beta"):
        data = copy.deepcopy(MINIMAL) | {"name": name, "default": True}
        (tmp_path / f"{name}.yaml").write_text(to_yaml(data), encoding="utf-8")
    _, problems = load_files(sorted(tmp_path.glob("*.yaml")))
    assert [(p.origin, p.path, p.code, p.params) for p in problems] == [
        (
            str(tmp_path / "beta.yaml"),
            "default",
            "second_default",
            {"name": "alpha", "origin": str(tmp_path / "alpha.yaml")},
        )
    ]


@pytest.mark.parametrize("value", ["yes", 1])
def test_default_must_be_a_boolean(value: object) -> None:
    problems = problems_of(copy.deepcopy(MINIMAL) | {"default": value})
    assert [p.path for p in problems] == ["default"]
