"""Which options move a project forward: the primary action of the project page."""

from __future__ import annotations

from accompagnement.engine import ProjectFacts, Workflow


def _forward(workflow: Workflow, facts: ProjectFacts) -> dict[str, bool]:
    return {o.trigger: o.forward for o in workflow.options(facts, "coordinator")}


def test_advancing_moves_forward_going_back_pausing_and_abandoning_do_not(
    creation: Workflow,
) -> None:
    assert _forward(creation, ProjectFacts("visites")) == {
        "advance": True,
        "back": False,
        "pause": False,
        "abandon": False,
    }


def test_resuming_a_paused_project_moves_it_forward(creation: Workflow) -> None:
    paused = ProjectFacts("en_pause", return_state="visites")
    forward = _forward(creation, paused)
    assert forward["resume"] is True
    assert forward["abandon"] is False


def test_opening_the_ressourcerie_moves_forward(creation: Workflow) -> None:
    assert _forward(creation, ProjectFacts("ouverture"))["open"] is True
