"""compare(): every kind of difference between two versions, structural or label-only."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from engine_helpers import WORKFLOWS

from accompagnement.engine import (
    LABEL_CHANGE_CODES,
    STRUCTURAL_CHANGE_CODES,
    Label,
    WorkflowDefinition,
    compare,
    label_only,
    load_definition,
)

SHIPPED: dict[str, Any] = yaml.safe_load(
    (WORKFLOWS / "creation-ressourcerie-v2.yaml").read_text(encoding="utf-8")
)


def stage(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in data["stages"] if s["key"] == key)


def field(data: dict[str, Any], stage_key: str, key: str) -> dict[str, Any]:
    return next(f for f in stage(data, stage_key)["form"]["fields"] if f["key"] == key)


def transition(data: dict[str, Any], trigger: str, source: str) -> dict[str, Any]:
    return next(t for t in data["transitions"] if (t["trigger"], t["source"]) == (trigger, source))


def items(data: dict[str, Any]) -> list[dict[str, Any]]:
    return stage(data, "premier_contact")["checklist"]  # type: ignore[no-any-return]


def back(data: dict[str, Any]) -> dict[str, Any]:
    return transition(data, "back", "dla")


def skip(data: dict[str, Any]) -> dict[str, Any]:
    return transition(data, "skip", "dla")


def themes(data: dict[str, Any]) -> list[dict[str, Any]]:
    return field(data, "dla", "themes")["choices"]  # type: ignore[no-any-return]


def build(change: Callable[[dict[str, Any]], None]) -> WorkflowDefinition:
    data = copy.deepcopy(SHIPPED)
    change(data)
    return load_definition(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


ORIGINAL = build(lambda data: None)
DLA = "DLA (Dispositif Local d'Accompagnement)"


def add_recherche_de_local(data: dict[str, Any]) -> None:
    """The issue's example: a stage between the DLA and the study, the study needing its list."""
    new = {
        "key": "recherche_local",
        "label": {"fr": "Recherche de local", "en": "Looking for premises"},
        "form": {
            "fields": [
                {"key": "address", "type": "text", "label": {"fr": "Adresse"}},
                {"key": "surface", "type": "decimal", "label": {"fr": "Surface"}},
            ]
        },
        "checklist": [
            {"key": "visited", "label": {"fr": "Local visité"}},
            {"key": "lease", "label": {"fr": "Bail discuté"}},
        ],
    }
    data["stages"].insert(3, new)
    transition(data, "advance", "dla")["dest"] = "recherche_local"
    transition(data, "skip", "dla")["dest"] = "recherche_local"
    data["transitions"].append(
        {
            "trigger": "advance",
            "label": {"fr": "Passer à l'étude de faisabilité"},
            "source": "recherche_local",
            "dest": "etude_faisabilite",
            "roles": ["coordinator"],
            "guards": ["form_submitted"],
        }
    )
    ouverture = transition(data, "advance", "etude_faisabilite")
    ouverture["guards"].append({"checklist_complete": {"stage": "recherche_local"}})


CASES: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("stage_added", add_recherche_de_local, {"stage": "Recherche de local", "after": DLA}),
    ("stage_removed", lambda d: _remove_visites(d), {"stage": "Visites de ressourceries"}),
    ("stage_moved", lambda d: d["stages"].insert(0, d["stages"].pop(4)), {}),
    ("stage_usual_days_changed", lambda d: stage(d, "visites").update(usual_days=1), {}),
    ("stage_kind_changed", lambda d: stage(d, "ouverte").update(kind="hold"), {}),
    ("initial_changed", lambda d: d.update(initial="visites"), {}),
    ("default_changed", lambda d: d.update(default=False), {}),
    ("form_added", lambda d: stage(d, "ouverte").update(form={"fields": [_phone()]}), {}),
    ("field_added", lambda d: _add_field(d), {"field": "Téléphone"}),
    ("field_removed", lambda d: stage(d, "dla")["form"]["fields"].pop(), {}),
    ("field_required", lambda d: field(d, "dla", "consultant").update(required=True), {}),
    ("field_optional", lambda d: field(d, "dla", "operator").update(required=False), {}),
    ("field_type_changed", lambda d: field(d, "dla", "consultant").update(type="long_text"), {}),
    ("field_bound_changed", lambda d: field(d, "dla", "days").update(min=1), {"bound": "min"}),
    ("field_moved", lambda d: _swap_fields(d), {}),
    ("choice_added", lambda d: _add_theme(d), {}),
    ("choice_removed", lambda d: themes(d).pop(), {}),
    ("item_added", lambda d: items(d).append(_item()), {}),
    ("item_removed", lambda d: items(d).pop(), {}),
    ("item_optional", lambda d: items(d)[0].update(required=False), {}),
    ("task_removed", lambda d: stage(d, "dla")["tasks"].pop(), {}),
    ("task_changed", lambda d: stage(d, "dla")["tasks"][0].update(due_days=5), {}),
    ("transition_removed", lambda d: d["transitions"].remove(back(d)), {}),
    ("transition_dest_changed", lambda d: skip(d).update(dest="ouverture"), {}),
    ("transition_roles_changed", lambda d: back(d).update(roles=["holder"]), {}),
    ("transition_reason_changed", lambda d: back(d).update(reason="optional"), {}),
    ("guard_removed", lambda d: transition(d, "advance", "dla").update(guards=[]), {}),
    ("workflow_label_changed", lambda d: d["label"].update(fr="Création"), {}),
    ("stage_label_changed", lambda d: stage(d, "dla")["label"].update(fr="Le DLA"), {}),
    ("stage_description_changed", lambda d: stage(d, "dla")["description"].update(en="x"), {}),
    ("field_label_changed", lambda d: field(d, "dla", "operator")["label"].update(en="Op"), {}),
    ("field_unit_changed", lambda d: field(d, "dla", "days")["unit"].update(fr="j"), {}),
    ("choice_label_changed", lambda d: themes(d)[0]["label"].update(fr="Modèle"), {}),
    ("item_label_changed", lambda d: items(d)[0]["label"].update(fr="Entretien"), {}),
    ("task_title_changed", lambda d: stage(d, "dla")["tasks"][0]["title"].update(fr="Appeler"), {}),
    ("transition_label_changed", lambda d: skip(d)["label"].update(fr="Sauter"), {}),
]  # fmt: skip


def _remove_visites(data: dict[str, Any]) -> None:
    data["stages"].remove(stage(data, "visites"))
    transition(data, "advance", "premier_contact")["dest"] = "dla"
    data["transitions"] = [
        t for t in data["transitions"] if "visites" not in (t["source"], t["dest"])
    ]


def _phone() -> dict[str, Any]:
    return {"key": "phone", "type": "text", "label": {"fr": "Téléphone"}}


def _add_field(data: dict[str, Any]) -> None:
    stage(data, "dla")["form"]["fields"].append(_phone())


def _swap_fields(data: dict[str, Any]) -> None:
    fields = stage(data, "dla")["form"]["fields"]
    fields.insert(0, fields.pop(-1))


def _add_theme(data: dict[str, Any]) -> None:
    field(data, "dla", "themes")["choices"].append({"key": "local", "label": "Local"})


def _item() -> dict[str, Any]:
    return {"key": "extra", "label": {"fr": "En plus"}}


def shown(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v.fr if isinstance(v, Label) else v for k, v in params.items()}


@pytest.mark.parametrize(("code", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_difference_is_found(
    code: str, change: Callable[[dict[str, Any]], None], expected: dict[str, Any]
) -> None:
    changes = compare(ORIGINAL, build(change))
    found = [c for c in changes if c.code == code]
    assert found, [c.code for c in changes]
    assert shown(found[0].params).items() >= expected.items()
    assert found[0].structural == (code in STRUCTURAL_CHANGE_CODES)


def test_the_issue_example_reads_as_its_changes() -> None:
    changes = compare(ORIGINAL, build(add_recherche_de_local))
    codes = [c.code for c in changes]
    assert codes.count("stage_added") == 1 and codes.count("transition_added") == 1
    guard = next(c for c in changes if c.code == "guard_added")
    assert (guard.params["transition"].fr, guard.params["stage"].fr) == (
        "Passer à l'ouverture",
        "Recherche de local",
    )
    assert guard.params["guard"] == "checklist_complete"


def test_wording_changes_alone_are_label_only() -> None:
    def reword(data: dict[str, Any]) -> None:
        stage(data, "dla")["label"]["en"] = "The DLA"
        field(data, "dla", "operator")["help"] = {"fr": "Qui accompagne", "en": "Who supports"}

    changes = compare(ORIGINAL, build(reword))
    assert {c.code for c in changes} == {"stage_label_changed", "field_help_changed"}
    assert label_only(changes)
    assert not label_only(compare(ORIGINAL, build(lambda d: d.update(default=False))))


def test_the_same_definition_has_no_difference() -> None:
    assert compare(ORIGINAL, build(lambda data: None)) == []


def test_every_code_is_declared_once() -> None:
    assert not LABEL_CHANGE_CODES & STRUCTURAL_CHANGE_CODES
    assert {code for code, _, _ in CASES} <= LABEL_CHANGE_CODES | STRUCTURAL_CHANGE_CODES
