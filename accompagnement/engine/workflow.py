"""A workflow version at run time: options, firing, what is missing, forms and diagram."""

from collections.abc import Mapping
from typing import Any

from transitions import Machine

from accompagnement.engine import diagram
from accompagnement.engine.definition import RETURN, Stage, TransitionDef, WorkflowDefinition
from accompagnement.engine.facts import (
    Move,
    Option,
    ProjectFacts,
    Refusal,
    TransitionNotAllowed,
    UnknownStage,
)
from accompagnement.engine.forms import CleanForm, RuntimeChoices, clean_form
from accompagnement.engine.graph import return_targets, sources_of
from accompagnement.engine.guards import evaluate, parse_params
from accompagnement.engine.machine import SharedMachine

NOT_MISSING = ("role_not_allowed", "reason_required")


class Workflow:
    """One workflow version: its definition and the transitions Machine shared by all projects."""

    def __init__(self, definition: WorkflowDefinition) -> None:
        self.definition = definition
        self.name = definition.name
        self.version = definition.version
        self.initial = definition.initial
        self._stages = {s.key: s for s in definition.stages}
        self._order = {key: index for index, key in enumerate(self._stages)}
        self._sources = [set(sources_of(definition, t)) for t in definition.transitions]
        self._params = [[parse_params(g) for g in t.guards] for t in definition.transitions]
        self._returns = return_targets(definition)
        self._shared = SharedMachine(definition, self._judge)

    def __repr__(self) -> str:
        return f"<Workflow {self.name} v{self.version}>"

    @property
    def source_text(self) -> str:
        """Return the YAML text of this version (kept so projects outlive file edits)."""
        return self.definition.source_text

    @property
    def machine(self) -> Machine:
        """Return the transitions Machine shared by every project of this version."""
        return self._shared.machine

    @property
    def stages(self) -> tuple[Stage, ...]:
        """Return the stages in definition order."""
        return tuple(self._stages.values())

    def stage(self, key: str) -> Stage:
        """Return a stage by key, or raise UnknownStage."""
        try:
            return self._stages[key]
        except KeyError:
            raise UnknownStage(key) from None

    def label(self, locale: str) -> str:
        """Return the workflow's label in a language."""
        return self.definition.label.get(locale)

    def options(self, facts: ProjectFacts, role: str) -> list[Option]:
        """List every transition from the current stage, saying whether `role` may fire it now."""
        self.stage(facts.state)
        pairs = self._transitions_from(facts.state)
        return [self._option(i, t, facts, str(role)) for i, t in pairs]

    def _option(
        self, index: int, transition: TransitionDef, facts: ProjectFacts, role: str
    ) -> Option:
        """Evaluate one transition for the options list (the reason is asked later)."""
        dest = self._dest(transition, facts)
        refusals = self._judge(index, facts.state, facts, role, None, check_reason=False)
        if dest is None:
            refusals.insert(0, Refusal("no_return_stage", {"stage": facts.state}))
        label = transition.label
        return Option(
            transition.trigger,
            dest,
            label,
            transition.reason,
            not refusals,
            tuple(refusals),
            forward=self._is_forward(facts.state, dest),
        )

    def _is_forward(self, source: str, dest: str | None) -> bool:
        """Say whether going from `source` to `dest` moves on: to a later step, or out of a hold."""
        target = self._stages.get(dest or "")
        if target is None or target.kind == "hold":
            return False
        if self.stage(source).kind == "hold":
            return True
        return self._order[target.key] > self._order[self.stage(source).key]

    def fire(self, facts: ProjectFacts, trigger: str, role: str, reason: str | None = None) -> Move:
        """Fire a trigger through the shared machine, or raise TransitionNotAllowed."""
        self.stage(facts.state)
        if not self._shared.has_trigger(trigger):
            raise TransitionNotAllowed((Refusal("unknown_trigger", {"trigger": trigger}),))
        token = self._shared.fire(facts, trigger, str(role), reason)
        if token.moved:
            return Move(trigger, facts.state, token.state, token.return_state)
        raise TransitionNotAllowed(
            tuple(token.refusals) or self._no_return(facts, trigger, role, reason)
        )

    def _no_return(
        self, facts: ProjectFacts, trigger: str, role: str, reason: str | None
    ) -> tuple[Refusal, ...]:
        """Explain an @return transition with no matching return stage (no edge was tried)."""
        found = [Refusal("no_return_stage", {"stage": facts.state})]
        for index, transition in self._transitions_from(facts.state):
            if transition.trigger == trigger:
                found += self._judge(index, facts.state, facts, str(role), reason)
        return tuple(found)

    def missing(self, facts: ProjectFacts, role: str | None = None) -> list[Refusal]:
        """List what keeps the project from moving forward (who may fire is not "missing")."""
        current = self._order[self.stage(facts.state).key]
        found: list[Refusal] = []
        for option in self.options(facts, role or ""):
            dest = self._stages.get(option.dest or "")
            if dest is None or dest.kind == "hold" or self._order[dest.key] <= current:
                continue
            found += [r for r in option.refusals if r.code not in NOT_MISSING and r not in found]
        return found

    def clean_form(
        self,
        stage_key: str,
        raw: Mapping[str, Any],
        *,
        submit: bool,
        choices: RuntimeChoices | None = None,
    ) -> CleanForm:
        """Clean raw form values of a stage (a stage without a form gives empty data).

        `choices` fills the choices of run-time choice types (`departement`) from the app.
        """
        form = self.stage(stage_key).form
        return clean_form(form.fields if form else (), raw, submit=submit, choices=choices)

    def mermaid(self, locale: str = "fr") -> str:
        """Return the workflow as a Mermaid stateDiagram-v2."""
        return diagram.mermaid(self.definition, locale)

    def _transitions_from(self, state: str) -> list[tuple[int, TransitionDef]]:
        """Return the (index, transition) pairs leaving a stage, in definition order."""
        transitions = self.definition.transitions
        return [(i, t) for i, t in enumerate(transitions) if state in self._sources[i]]

    def _dest(self, transition: TransitionDef, facts: ProjectFacts) -> str | None:
        """Resolve a transition's dest for a project (@return -> its return stage, if valid)."""
        if transition.dest != RETURN:
            return transition.dest
        allowed = self._returns.get(facts.state, ())
        return facts.return_state if facts.return_state in allowed else None

    def _judge(
        self,
        index: int,
        source: str,
        facts: ProjectFacts,
        role: str,
        reason: str | None,
        check_reason: bool = True,
    ) -> list[Refusal]:
        """Return every refusal of transition `index` from `source`; empty when allowed."""
        transition = self.definition.transitions[index]
        found = []
        if role not in transition.roles:
            found.append(
                Refusal("role_not_allowed", {"role": role, "roles": list(transition.roles)})
            )
        if check_reason and transition.reason == "required" and not (reason or "").strip():
            found.append(Refusal("reason_required", {}))
        for guard, params in zip(transition.guards, self._params[index], strict=True):
            refusal = evaluate(guard, params, source, facts, self.definition)
            if refusal is not None:
                found.append(refusal)
        return found
