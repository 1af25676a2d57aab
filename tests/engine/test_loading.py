"""The shipped workflows load; directories, file checks and the registry behave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_helpers import MINIMAL, WORKFLOWS, to_yaml
from pydantic import BaseModel

from accompagnement.engine import (
    DefinitionError,
    DuplicateWorkflow,
    Label,
    UnknownStage,
    UnknownWorkflow,
    Workflow,
    WorkflowRegistry,
    load_definition,
    load_directory,
    load_file,
    load_files,
    migration_plan,
)


def _write(directory: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = directory / name
    path.write_text(data if isinstance(data, str) else to_yaml(data), encoding="utf-8")
    return path


def test_both_shipped_workflows_load() -> None:
    names = {(d.name, d.version) for d in load_directory(WORKFLOWS)}
    assert {("creation-ressourcerie", 1), ("adhesion-reseau", 1)} <= names


def test_the_creation_pathway_has_the_five_stages_then_the_outcome_and_side_states(
    creation: Workflow,
) -> None:
    kinds = [(s.key, s.kind) for s in creation.stages]
    assert kinds == [
        ("premier_contact", "stage"),
        ("visites", "stage"),
        ("dla", "stage"),
        ("etude_faisabilite", "stage"),
        ("ouverture", "stage"),
        ("ouverte", "final"),
        ("en_pause", "hold"),
        ("abandonne", "hold"),
    ]
    assert [s.usual_days for s in creation.stages[:5]] == [90, 180, 240, 365, 180]
    assert creation.initial == "premier_contact"


def test_the_creation_forms_hold_what_the_network_records(creation: Workflow) -> None:
    first = creation.stage("premier_contact")
    departement = first.field("departement")
    assert departement and departement.type == "departement" and departement.choices is None
    communes = first.field("communes")
    assert communes and communes.type == "group" and communes.subfield("insee")
    visits = creation.stage("visites").field("visits")
    assert visits and {f.key for f in visits.fields or []} >= {"member", "date", "kind", "lessons"}
    study = creation.stage("etude_faisabilite")
    reusable, funding = study.field("reusable_percent"), study.field("funding_lines")
    assert reusable and reusable.max == 100
    assert funding and funding.type == "group"
    assert len(study.checklist) == 5


def test_every_label_has_french_and_english(creation: Workflow, adhesion: Workflow) -> None:
    def labels(value: Any) -> list[Label]:
        if isinstance(value, Label):
            return [value]
        if isinstance(value, list | tuple):
            return [label for item in value for label in labels(item)]
        if isinstance(value, BaseModel):
            names = type(value).model_fields
            return [label for name in names for label in labels(getattr(value, name))]
        return []

    for workflow in (creation, adhesion):
        found = labels(workflow.definition)
        assert found and all(label.fr and label.en for label in found)


def test_a_label_falls_back_to_french() -> None:
    label = Label(fr="Premier contact")
    assert (label.get("en"), label.get("en_GB"), label.get("fr")) == ("Premier contact",) * 3
    assert Label(fr="Ouverture", en="Opening").get("en-GB") == "Opening"


def test_a_directory_with_two_files_of_the_same_version_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", MINIMAL)
    _write(tmp_path, "b.yml", MINIMAL)
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    (problem,) = caught.value.problems
    assert problem.origin.endswith("b.yml")
    assert (problem.path, problem.code) == ("version", "duplicate_version")
    assert problem.params == {"name": "mini", "version": 1, "origin": str(tmp_path / "a.yaml")}


def test_a_directory_reports_the_problems_of_every_file(tmp_path: Path) -> None:
    _write(tmp_path, "one.yaml", {**MINIMAL, "initial": "zz"})
    _write(tmp_path, "two.yaml", {**MINIMAL, "name": "other", "colour": "red"})
    _write(tmp_path, "notes.txt", "not a workflow")
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    origins = {Path(p.origin).name for p in caught.value.problems}
    assert origins == {"one.yaml", "two.yaml"}


def test_load_files_keeps_the_valid_workflows_and_lists_every_problem(tmp_path: Path) -> None:
    good = WORKFLOWS / "creation-ressourcerie.yaml"
    definitions, problems = load_files([good])
    assert [(d.name, d.version, d.origin) for d in definitions] == [
        ("creation-ressourcerie", 1, str(good))
    ]
    assert problems == []
    bad = _write(tmp_path, "bad.yaml", {**MINIMAL, "initial": "zz"})
    definitions, problems = load_files([good, bad, tmp_path / "missing.yaml"])
    assert [d.name for d in definitions] == ["creation-ressourcerie"]
    found = {(p.origin, p.path, p.code) for p in problems}
    assert {
        (str(bad), "initial", "unknown_stage"),
        (str(tmp_path / "missing.yaml"), "", "unreadable_file"),
    } <= found


def test_a_definition_keeps_its_source_text_for_snapshots() -> None:
    text = to_yaml(MINIMAL)
    workflow = Workflow(load_definition(text, origin="snapshot mini v1"))
    assert workflow.source_text == text
    assert workflow.definition.origin == "snapshot mini v1"


def test_the_registry_finds_versions_and_the_latest() -> None:
    registry = WorkflowRegistry()
    registry.add(load_definition(to_yaml(MINIMAL)))
    registry.add(load_definition(to_yaml({**MINIMAL, "version": 3})))
    registry.add(load_file(WORKFLOWS / "adhesion-reseau.yaml"))
    assert registry.get("mini", 1).version == 1
    assert registry.latest("mini").version == 3
    assert registry.names() == ["adhesion-reseau", "mini"]
    assert [(w.name, w.version) for w in registry.all()] == [
        ("adhesion-reseau", 1),
        ("mini", 1),
        ("mini", 3),
    ]


def test_the_registry_refuses_a_duplicate_and_names_unknown_workflows() -> None:
    registry = WorkflowRegistry()
    registry.add(load_definition(to_yaml(MINIMAL)))
    with pytest.raises(DuplicateWorkflow):
        registry.add(load_definition(to_yaml(MINIMAL)))
    with pytest.raises(UnknownWorkflow):
        registry.get("mini", 2)
    with pytest.raises(KeyError):
        registry.latest("nothing")


def test_an_unknown_stage_is_a_key_error(creation: Workflow) -> None:
    with pytest.raises(UnknownStage):
        creation.stage("nowhere")


def test_migration_moves_projects_whose_stage_exists_in_the_target(creation: Workflow) -> None:
    projects = [(1, "visites"), (2, "emergence"), (3, "en_pause"), (4, "structuration")]
    movable, refused = migration_plan(projects, creation)
    assert movable == [1, 3]
    assert refused == [(2, "emergence"), (4, "structuration")]


def test_mermaid_shows_every_stage_and_transition(creation: Workflow) -> None:
    text = creation.mermaid()
    assert text.startswith("stateDiagram-v2\n    [*] --> premier_contact\n")
    for stage in creation.stages:
        assert f'state "{stage.label.fr}" as {stage.key}' in text
    assert "en_pause --> visites : Reprendre" in text
    assert "ouverte --> [*]" in text
    assert "Move on to visits" in creation.mermaid("en")
