"""What the engine is told about a project, and what it answers (options, moves, refusals)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from accompagnement.engine.definition import Label

FormStatus = Literal["draft", "submitted"]


@dataclass(frozen=True)
class FormFacts:
    """A stage form: "submitted" once a submitted version exists; `data` = latest submitted data.

    `draft` holds the data of a draft saved after it (or without any submitted version): guards
    never accept it, but their refusals count it, to tell the holder what is left to submit.
    """

    status: FormStatus | None = None
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)
    draft: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ProjectFacts:
    """Everything guards look at: state, return state, forms and ticked checklist items."""

    state: str
    return_state: str | None = None
    forms: Mapping[str, FormFacts] = field(default_factory=dict, hash=False)
    checklist: Mapping[str, frozenset[str]] = field(default_factory=dict, hash=False)

    def form(self, stage: str) -> FormFacts:
        """Return the facts of a stage form (an empty one when never saved)."""
        return self.forms.get(stage) or FormFacts()

    def ticked(self, stage: str) -> frozenset[str]:
        """Return the ticked checklist items of a stage."""
        return frozenset(self.checklist.get(stage) or ())


@dataclass(frozen=True)
class Refusal:
    """Why a transition cannot be fired: a code and parameters (keys, never sentences)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Option:
    """A transition available from the current stage, and whether this role may fire it now."""

    trigger: str
    dest: str | None
    label: Label
    reason: str
    allowed: bool
    refusals: tuple[Refusal, ...] = ()
    forward: bool = False  # moves the project on along its pathway (or resumes it from a hold)


@dataclass(frozen=True)
class Move:
    """A fired transition: the caller stores `dest` and `return_state` on the project."""

    trigger: str
    source: str
    dest: str
    return_state: str | None


class TransitionNotAllowed(Exception):
    """A transition was refused; `refusals` says every reason."""

    def __init__(self, refusals: tuple[Refusal, ...]) -> None:
        self.refusals = refusals
        super().__init__(", ".join(r.code for r in refusals))


class UnknownStage(KeyError):
    """A stage key that the workflow version does not define."""
