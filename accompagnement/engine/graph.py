"""The stage graph of a definition: `*` and `@return` expanded into concrete edges."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from accompagnement.engine.definition import ALL_STAGES, RETURN, TransitionDef, WorkflowDefinition


@dataclass(frozen=True)
class Edge:
    """One concrete source -> dest move of a transition (`via_return` for an expanded @return)."""

    index: int
    transition: TransitionDef
    source: str
    dest: str
    via_return: bool = False


def sources_of(definition: WorkflowDefinition, transition: TransitionDef) -> tuple[str, ...]:
    """Return the concrete source stages of a transition (`*` = every `stage`-kind stage)."""
    if transition.source == ALL_STAGES:
        return tuple(s.key for s in definition.stages if s.kind == "stage")
    if isinstance(transition.source, str):
        return (transition.source,)
    return tuple(transition.source)


def return_targets(definition: WorkflowDefinition) -> dict[str, tuple[str, ...]]:
    """Map each hold stage to the stages a project can have left to enter it."""
    kinds = {s.key: s.kind for s in definition.stages}
    targets: dict[str, set[str]] = {k: set() for k, kind in kinds.items() if kind == "hold"}
    changed = True
    while changed:
        changed = False
        for transition in definition.transitions:
            if transition.dest in targets:
                changed |= _add_origins(definition, transition, kinds, targets)
    order = definition.stage_keys()
    return {hold: tuple(k for k in order if k in found) for hold, found in targets.items()}


def _add_origins(
    definition: WorkflowDefinition,
    transition: TransitionDef,
    kinds: Mapping[str, str],
    targets: dict[str, set[str]],
) -> bool:
    """Add the origins a transition brings into its hold dest; say whether any was new."""
    before = len(targets[transition.dest])
    for source in sources_of(definition, transition):
        if kinds.get(source) == "hold":
            targets[transition.dest] |= targets[source]
        elif source in kinds:
            targets[transition.dest].add(source)
    return len(targets[transition.dest]) != before


def edges(definition: WorkflowDefinition) -> Iterator[Edge]:
    """Yield every concrete edge, expanding `*` sources and `@return` dests."""
    returns = return_targets(definition)
    for index, transition in enumerate(definition.transitions):
        for source in sources_of(definition, transition):
            if transition.dest != RETURN:
                yield Edge(index, transition, source, transition.dest)
                continue
            for dest in returns.get(source, ()):
                yield Edge(index, transition, source, dest, via_return=True)


def reachable(definition: WorkflowDefinition) -> set[str]:
    """Return the stages reachable from `initial` (an @return only goes back to a known stage)."""
    forward: dict[str, set[str]] = {}
    for edge in edges(definition):
        if not edge.via_return:
            forward.setdefault(edge.source, set()).add(edge.dest)
    seen, todo = {definition.initial}, [definition.initial]
    while todo:
        for dest in forward.get(todo.pop(), ()):
            if dest not in seen:
                seen.add(dest)
                todo.append(dest)
    return seen
