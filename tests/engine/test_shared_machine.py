"""One transitions Machine per workflow version, shared by every project, safe across threads."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import transitions
from engine_helpers import PREMIER_CONTACT_ITEMS, WORKFLOWS, submitted

from accompagnement.engine import ProjectFacts, TransitionNotAllowed, Workflow, load_file

CASES = [
    (
        ProjectFacts(
            "premier_contact",
            forms=submitted(premier_contact={}),
            checklist={"premier_contact": PREMIER_CONTACT_ITEMS},
        ),
        "advance",
        "visites",
    ),
    (ProjectFacts("dla"), "skip", "etude_faisabilite"),
    (ProjectFacts("visites"), "pause", "en_pause"),
    (ProjectFacts("en_pause", return_state="ouverture"), "resume", "ouverture"),
    (ProjectFacts("abandonne", return_state="visites"), "reopen", "visites"),
]


def test_a_workflow_builds_one_machine_and_firing_builds_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[Any] = []
    original = transitions.Machine.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(transitions.Machine, "__init__", counting_init)
    workflow = Workflow(load_file(WORKFLOWS / "creation-ressourcerie.yaml"))
    for _ in range(20):
        for facts, trigger, _dest in CASES:
            workflow.fire(facts, trigger, "coordinator", "motif")
    assert len(built) == 1
    assert workflow.machine.models == []


def test_the_machine_does_not_invent_transitions(creation: Workflow) -> None:
    assert not any(name.startswith("to_") for name in creation.machine.events)
    assert set(creation.machine.events) == {
        "advance", "skip", "open", "back", "pause", "resume", "abandon", "reopen",
    }  # fmt: skip


def test_two_projects_fired_on_the_same_workflow_do_not_interfere(creation: Workflow) -> None:
    paused = creation.fire(ProjectFacts("ouverture"), "pause", "holder")
    other = creation.fire(ProjectFacts("visites"), "pause", "holder")
    assert (paused.return_state, other.return_state) == ("ouverture", "visites")
    resumed = creation.fire(ProjectFacts("en_pause", return_state="ouverture"), "resume", "holder")
    assert resumed.dest == "ouverture"


def test_threads_firing_on_one_workflow_each_get_their_own_answer(creation: Workflow) -> None:
    errors: list[str] = []

    def work(offset: int) -> None:
        for round_ in range(40):
            facts, trigger, dest = CASES[(offset + round_) % len(CASES)]
            move = creation.fire(facts, trigger, "coordinator", "motif")
            if (move.source, move.dest) != (facts.state, dest):
                errors.append(f"{facts.state} --{trigger}--> {move.dest}, expected {dest}")
            try:
                creation.fire(ProjectFacts("premier_contact"), "advance", "coordinator")
                errors.append("an incomplete stage was allowed to advance")
            except TransitionNotAllowed as exc:
                if len(exc.refusals) != 2:
                    errors.append(f"refusals mixed between threads: {exc.refusals}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert creation.machine.models == []
