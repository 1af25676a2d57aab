"""Firing transitions through the shared machine: guards, roles, reasons, holds and returns."""

from __future__ import annotations

import copy
from enum import StrEnum

import pytest
from engine_helpers import MINIMAL, PREMIER_CONTACT_ITEMS, submitted, to_yaml

from accompagnement.engine import (
    FormFacts,
    Move,
    ProjectFacts,
    Refusal,
    TransitionNotAllowed,
    Workflow,
    load_definition,
)

READY_TO_VISIT = ProjectFacts(
    state="premier_contact",
    forms=submitted(premier_contact={"project_name": "Ressourcerie de la Montagne"}),
    checklist={"premier_contact": PREMIER_CONTACT_ITEMS},
)


def refusals_of(workflow: Workflow, facts: ProjectFacts, trigger: str, role: str, reason=None):
    """Fire and return the refusals (the fire must be refused)."""
    with pytest.raises(TransitionNotAllowed) as caught:
        workflow.fire(facts, trigger, role, reason)
    return caught.value.refusals


def test_the_coordinator_advances_a_project_whose_stage_is_complete(creation: Workflow) -> None:
    move = creation.fire(READY_TO_VISIT, "advance", "coordinator")
    assert move == Move("advance", "premier_contact", "visites", None)


def test_a_refusal_gives_every_failing_guard_not_only_the_first(creation: Workflow) -> None:
    refusals = refusals_of(creation, ProjectFacts("premier_contact"), "advance", "coordinator")
    assert refusals == (
        Refusal("form_not_submitted", {"stage": "premier_contact"}),
        Refusal(
            "checklist_incomplete",
            {
                "stage": "premier_contact",
                "items": [
                    "welcome_interview",
                    "project_sheet",
                    "charter_presented",
                    "training_offered",
                ],
            },
        ),
    )


def test_a_draft_form_is_not_a_submitted_form(creation: Workflow) -> None:
    facts = ProjectFacts(
        "premier_contact",
        forms={"premier_contact": FormFacts("draft", {})},
        checklist={"premier_contact": PREMIER_CONTACT_ITEMS},
    )
    codes = [r.code for r in refusals_of(creation, facts, "advance", "coordinator")]
    assert codes == ["form_not_submitted"]


def test_a_holder_cannot_validate_a_stage_and_is_told_why(creation: Workflow) -> None:
    refusals = refusals_of(creation, READY_TO_VISIT, "advance", "holder")
    assert refusals == (Refusal("role_not_allowed", {"role": "holder", "roles": ["coordinator"]}),)


def test_a_role_given_as_a_string_enum_is_understood(creation: Workflow) -> None:
    class Role(StrEnum):
        COORDINATOR = "coordinator"

    assert creation.fire(READY_TO_VISIT, "advance", Role.COORDINATOR).dest == "visites"


def test_skipping_the_dla_requires_a_reason(creation: Workflow) -> None:
    at_dla = ProjectFacts("dla")
    for blank in (None, "", "   "):
        assert refusals_of(creation, at_dla, "skip", "coordinator", blank) == (
            Refusal("reason_required", {}),
        )
    move = creation.fire(at_dla, "skip", "coordinator", "Pas encore de salarié : non éligible")
    assert move.dest == "etude_faisabilite"


def test_moving_back_requires_a_reason_and_the_coordinator(creation: Workflow) -> None:
    codes = [r.code for r in refusals_of(creation, ProjectFacts("dla"), "back", "holder")]
    assert codes == ["role_not_allowed", "reason_required"]
    assert creation.fire(ProjectFacts("dla"), "back", "coordinator", "Refaire une visite").dest == (
        "visites"
    )


def test_the_stored_state_is_respected_not_the_initial_one(creation: Workflow) -> None:
    facts = ProjectFacts("etude_faisabilite", forms=submitted(etude_faisabilite={}))
    facts = ProjectFacts(
        facts.state,
        forms=facts.forms,
        checklist={
            "etude_faisabilite": frozenset(i.key for i in creation.stage(facts.state).checklist)
        },
    )
    assert creation.fire(facts, "advance", "coordinator").dest == "ouverture"
    assert creation.machine.initial == "premier_contact"


def test_a_trigger_not_available_from_this_stage_is_refused(creation: Workflow) -> None:
    refusals = refusals_of(creation, ProjectFacts("premier_contact"), "open", "coordinator")
    assert refusals == (
        Refusal("not_from_this_stage", {"trigger": "open", "stage": "premier_contact"}),
    )


def test_an_unknown_trigger_is_refused(creation: Workflow) -> None:
    refusals = refusals_of(creation, ProjectFacts("visites"), "teleport", "coordinator")
    assert refusals == (Refusal("unknown_trigger", {"trigger": "teleport"}),)


def test_visits_are_counted_before_moving_to_the_dla(creation: Workflow) -> None:
    one_visit = ProjectFacts("visites", forms=submitted(visites={"visits": [{"member": 3}]}))
    refusals = refusals_of(creation, one_visit, "advance", "coordinator")
    assert refusals == (
        Refusal("too_few_items", {"stage": "visites", "field": "visits", "count": 2, "have": 1}),
    )
    two_visits = ProjectFacts(
        "visites", forms=submitted(visites={"visits": [{"member": 3}, {"member": 5}]})
    )
    assert creation.fire(two_visits, "advance", "coordinator").dest == "dla"


def test_a_paused_project_resumes_where_it_stopped(creation: Workflow) -> None:
    pause = creation.fire(ProjectFacts("dla"), "pause", "holder", None)
    assert pause == Move("pause", "dla", "en_pause", "dla")
    resume = creation.fire(ProjectFacts("en_pause", return_state="dla"), "resume", "holder")
    assert resume == Move("resume", "en_pause", "dla", None)


def test_an_abandoned_project_is_reopened_where_it_was(creation: Workflow) -> None:
    abandon = creation.fire(ProjectFacts("visites"), "abandon", "coordinator", "Porteur parti")
    assert (abandon.dest, abandon.return_state) == ("abandonne", "visites")
    reopen_facts = ProjectFacts("abandonne", return_state="visites")
    assert refusals_of(creation, reopen_facts, "reopen", "holder", "Retour") == (
        Refusal("role_not_allowed", {"role": "holder", "roles": ["coordinator"]}),
    )
    reopen = creation.fire(reopen_facts, "reopen", "coordinator", "Nouveau porteur")
    assert reopen == Move("reopen", "abandonne", "visites", None)


def test_abandoning_a_paused_project_keeps_the_stage_to_return_to(creation: Workflow) -> None:
    paused = ProjectFacts("en_pause", return_state="etude_faisabilite")
    abandon = creation.fire(paused, "abandon", "coordinator", "Plus de nouvelles")
    assert abandon == Move("abandon", "en_pause", "abandonne", "etude_faisabilite")
    back = creation.fire(
        ProjectFacts("abandonne", return_state=abandon.return_state),
        "reopen",
        "coordinator",
        "Relance",
    )
    assert back.dest == "etude_faisabilite"


@pytest.mark.parametrize("return_state", [None, "ouverte", "nowhere"])
def test_a_return_without_a_valid_stage_to_return_to_is_refused(
    creation: Workflow, return_state: str | None
) -> None:
    facts = ProjectFacts("en_pause", return_state=return_state)
    refusals = refusals_of(creation, facts, "resume", "coordinator")
    assert refusals[0] == Refusal("no_return_stage", {"stage": "en_pause"})


def test_the_board_decision_chooses_between_member_and_refused(adhesion: Workflow) -> None:
    favourable = ProjectFacts("avis_ca", forms=submitted(avis_ca={"avis": "favorable"}))
    assert adhesion.fire(favourable, "accept", "coordinator").dest == "adherente"
    assert refusals_of(adhesion, favourable, "refuse", "coordinator") == (
        Refusal("field_mismatch", {"stage": "avis_ca", "field": "avis", "value": "defavorable"}),
    )


def test_firing_changes_nothing_it_was_given(creation: Workflow) -> None:
    forms = submitted(premier_contact={"project_name": "X"})
    checklist = {"premier_contact": PREMIER_CONTACT_ITEMS}
    facts = ProjectFacts("premier_contact", forms=forms, checklist=checklist)
    creation.fire(facts, "advance", "coordinator")
    assert facts.state == "premier_contact"
    assert forms == submitted(premier_contact={"project_name": "X"})
    assert checklist == {"premier_contact": PREMIER_CONTACT_ITEMS}


def test_options_list_every_transition_with_what_stops_it(creation: Workflow) -> None:
    options = {o.trigger: o for o in creation.options(ProjectFacts("premier_contact"), "holder")}
    assert list(options) == ["advance", "pause", "abandon"]
    assert options["advance"].dest == "visites" and not options["advance"].allowed
    assert [r.code for r in options["advance"].refusals] == [
        "role_not_allowed",
        "form_not_submitted",
        "checklist_incomplete",
    ]
    assert options["pause"].allowed and options["pause"].reason == "optional"
    assert options["abandon"].reason == "required"
    assert options["abandon"].label.get("en") == "Abandon the project"


def test_options_do_not_ask_for_the_reason_yet(creation: Workflow) -> None:
    (skip,) = [
        o for o in creation.options(ProjectFacts("dla"), "coordinator") if o.trigger == "skip"
    ]
    assert skip.allowed and skip.reason == "required"


def test_options_resolve_the_stage_a_paused_project_returns_to(creation: Workflow) -> None:
    options = creation.options(ProjectFacts("en_pause", return_state="visites"), "coordinator")
    assert [(o.trigger, o.dest, o.allowed) for o in options] == [
        ("resume", "visites", True),
        ("abandon", "abandonne", True),
    ]


def test_an_allowed_option_fires_and_a_refused_one_does_not(creation: Workflow) -> None:
    for state in [s.key for s in creation.stages]:
        facts = ProjectFacts(
            state, return_state="dla" if state in ("en_pause", "abandonne") else None
        )
        for role in ("coordinator", "holder", "partner"):
            for option in creation.options(facts, role):
                if option.allowed:
                    assert creation.fire(facts, option.trigger, role, "motif").dest == option.dest
                else:
                    with pytest.raises(TransitionNotAllowed):
                        creation.fire(facts, option.trigger, role, "motif")


def test_missing_says_what_keeps_the_project_from_moving_on(creation: Workflow) -> None:
    facts = ProjectFacts(
        "premier_contact", checklist={"premier_contact": frozenset({"charter_presented"})}
    )
    for role in ("holder", "coordinator"):
        assert creation.missing(facts, role) == [
            Refusal("form_not_submitted", {"stage": "premier_contact"}),
            Refusal(
                "checklist_incomplete",
                {
                    "stage": "premier_contact",
                    "items": ["welcome_interview", "project_sheet", "training_offered"],
                },
            ),
        ]
    assert creation.missing(READY_TO_VISIT, "holder") == []


def test_missing_ignores_back_moves_and_side_states(creation: Workflow) -> None:
    assert creation.missing(ProjectFacts("dla"), "holder") == [
        Refusal("form_not_submitted", {"stage": "dla"})
    ]
    assert creation.missing(ProjectFacts("en_pause", return_state="dla"), "holder") == []
    assert creation.missing(ProjectFacts("ouverte"), "coordinator") == []


@pytest.mark.parametrize(
    ("field", "expected", "stored", "allowed"),
    [
        ({"type": "boolean"}, True, True, True),
        ({"type": "boolean"}, "oui", False, False),
        ({"type": "decimal"}, 12.50, "12.5", True),
        ({"type": "integer"}, "1 000", 1000, True),
    ],
)
def test_field_equals_compares_with_the_cleaned_value(
    field: dict, expected: object, stored: object, allowed: bool
) -> None:
    data = copy.deepcopy(MINIMAL)
    data["stages"][0]["form"]["fields"].append({"key": "x", "label": "X", **field})
    data["transitions"][0]["guards"] = [{"field_equals": {"field": "x", "value": expected}}]
    workflow = Workflow(load_definition(to_yaml(data)))
    facts = ProjectFacts("a", forms=submitted(a={"x": stored}))
    options = workflow.options(facts, "coordinator")
    assert options[0].allowed is allowed


def test_a_workflow_is_labelled_in_both_languages(creation: Workflow) -> None:
    assert creation.label("fr") == "Création d'une ressourcerie"
    assert creation.label("en") == "Creating a ressourcerie"
