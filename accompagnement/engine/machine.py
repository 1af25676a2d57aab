"""One transitions-library Machine per workflow version, shared by every project.

The machine never holds a project: each fire triggers the event on a throwaway token carrying the
project's facts (in the state stored for the project). Guards run as
the machine's conditions and note their refusals on the token.
"""

import threading
from collections.abc import Callable, Mapping
from typing import Any

from transitions import EventData, Machine, MachineError

from accompagnement.engine.definition import WorkflowDefinition
from accompagnement.engine.facts import ProjectFacts, Refusal
from accompagnement.engine.graph import Edge, edges

Judge = Callable[[int, str, ProjectFacts, str, str | None], list[Refusal]]
"""(transition index, source, facts, role, reason) -> refusals; empty when allowed."""


class Token:
    """The throwaway model moved by the shared machine for one fire (never a database row)."""

    def __init__(self, facts: ProjectFacts, role: str, reason: str | None) -> None:
        self.state = facts.state
        self.return_state = facts.return_state
        self.facts = facts
        self.role = role
        self.reason = reason
        self.refusals: list[Refusal] = []
        self.moved = False


def next_return_state(
    kinds: Mapping[str, str], source: str, dest: str, current: str | None
) -> str | None:
    """Entering a hold from a step records the step; hold -> hold keeps it; leaving clears it."""
    if kinds[dest] != "hold":
        return None
    return current if kinds[source] == "hold" else source


def _token(event: EventData) -> Token:
    """Return the token an event is about."""
    token = event.model
    assert isinstance(token, Token)
    return token


class SharedMachine:
    """The Machine of one workflow version, guarded by a lock for threaded web workers."""

    def __init__(self, definition: WorkflowDefinition, judge: Judge) -> None:
        self._judge = judge
        self._kinds = {s.key: s.kind for s in definition.stages}
        self._lock = threading.Lock()
        self.machine = Machine(
            model=None,
            states=definition.stage_keys(),
            initial=definition.initial,
            transitions=[self._transition(edge) for edge in edges(definition)],
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )

    def _transition(self, edge: Edge) -> dict[str, Any]:
        """Describe one concrete edge for the library; @return edges check the return stage."""
        conditions = [self._accepts(edge.index)]
        if edge.via_return:
            conditions.insert(0, self._returns_to(edge.dest))
        return {
            "trigger": edge.transition.trigger,
            "source": edge.source,
            "dest": edge.dest,
            "conditions": conditions,
            "after": self._record_return,
        }

    def _accepts(self, index: int) -> Callable[[EventData], bool]:
        """Return the condition evaluating every rule of a transition, noting all refusals."""

        def accepts(event: EventData) -> bool:
            token = _token(event)
            source = event.transition.source if event.transition else token.state
            refusals = self._judge(index, source, token.facts, token.role, token.reason)
            token.refusals.extend(refusals)
            return not refusals

        return accepts

    @staticmethod
    def _returns_to(dest: str) -> Callable[[EventData], bool]:
        """Return the condition choosing the @return edge that leads back to `dest`."""
        return lambda event: _token(event).return_state == dest

    def _record_return(self, event: EventData) -> None:
        """Update the token's return state after it moved."""
        token = _token(event)
        transition = event.transition
        if transition is not None and transition.dest is not None:
            source, dest = transition.source, transition.dest
            token.return_state = next_return_state(self._kinds, source, dest, token.return_state)

    def has_trigger(self, trigger: str) -> bool:
        """Say whether any transition of the workflow uses this trigger."""
        return trigger in self.machine.events

    def fire(self, facts: ProjectFacts, trigger: str, role: str, reason: str | None) -> Token:
        """Run one trigger for a project on a throwaway token, and return the token."""
        token = Token(facts, role, reason)
        # The event reads and writes the token's `state` only: the token is not added to the
        # machine (adding one set a method per trigger and state on it, most of a fire's time).
        with self._lock:
            try:
                token.moved = bool(self.machine.events[trigger].trigger(token))
            except MachineError:
                refusal = Refusal("not_from_this_stage", {"trigger": trigger, "stage": facts.state})
                token.refusals.append(refusal)
        return token
