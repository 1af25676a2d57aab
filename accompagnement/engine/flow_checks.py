"""Semantic checks of the flow: initial stage, transition ends, triggers, guards, reachability."""

from accompagnement.engine.definition import ALL_STAGES, RETURN, TransitionDef, WorkflowDefinition
from accompagnement.engine.graph import edges, reachable, sources_of
from accompagnement.engine.guards import guard_issues
from accompagnement.engine.problems import Issue, issue


def flow_issues(definition: WorkflowDefinition) -> list[Issue]:
    """Check everything that links stages together."""
    issues = _initial_issues(definition)
    for index, transition in enumerate(definition.transitions):
        issues += _transition_issues(definition, transition, f"transitions[{index}]")
    issues += _trigger_issues(definition)
    issues += _graph_issues(definition)
    return issues


def _known(definition: WorkflowDefinition, *extra: str) -> list[str]:
    """List the stage keys (and extra accepted words) for a message."""
    keys = dict.fromkeys(definition.stage_keys())
    return [*keys, *(f"'{word}'" for word in extra)]


def _initial_issues(definition: WorkflowDefinition) -> list[Issue]:
    """The initial stage must exist and be a pathway step."""
    stage = definition.stage(definition.initial)
    if stage is None:
        known = _known(definition)
        return [issue("initial", "unknown_stage", stage=definition.initial, known=known)]
    if stage.kind != "stage":
        return [issue("initial", "initial_not_a_step", kind=stage.kind)]
    return []


def _transition_issues(
    definition: WorkflowDefinition, transition: TransitionDef, path: str
) -> list[Issue]:
    """Check the source, dest and guards of one transition."""
    issues = _source_issues(definition, transition, path) + _dest_issues(
        definition, transition, path
    )
    sources = [s for s in sources_of(definition, transition) if definition.stage(s)]
    for index, guard in enumerate(transition.guards):
        issues += guard_issues(definition, guard, sources, f"{path}.guards[{index}]")
    return issues


def _source_issues(
    definition: WorkflowDefinition, transition: TransitionDef, path: str
) -> list[Issue]:
    """Every source must be a known stage; '*' stands alone."""
    if isinstance(transition.source, str):
        keys, paths = [transition.source], [f"{path}.source"]
    else:
        keys = transition.source
        paths = [f"{path}.source[{i}]" for i in range(len(keys))]
    issues = []
    for key, key_path in zip(keys, paths, strict=True):
        if key == ALL_STAGES and isinstance(transition.source, list):
            issues.append(issue(key_path, "all_stages_in_list"))
        elif key != ALL_STAGES and definition.stage(key) is None:
            known = _known(definition, ALL_STAGES)
            issues.append(issue(key_path, "unknown_stage", stage=key, known=known))
    return issues


def _dest_issues(
    definition: WorkflowDefinition, transition: TransitionDef, path: str
) -> list[Issue]:
    """The dest must be a known stage, or '@return' from hold stages only."""
    if transition.dest == RETURN:
        for source in sources_of(definition, transition):
            stage = definition.stage(source)
            if stage is not None and stage.kind != "hold":
                return [
                    issue(f"{path}.dest", "return_not_from_hold", stage=source, kind=stage.kind)
                ]
        return []
    if definition.stage(transition.dest) is None:
        known = _known(definition, RETURN)
        return [issue(f"{path}.dest", "unknown_stage", stage=transition.dest, known=known)]
    return []


def _trigger_issues(definition: WorkflowDefinition) -> list[Issue]:
    """A trigger is defined at most once from a given source stage."""
    first: dict[tuple[str, str], int] = {}
    issues = []
    for index, transition in enumerate(definition.transitions):
        for source in sources_of(definition, transition):
            seen = first.setdefault((transition.trigger, source), index)
            if seen != index:
                found = issue(
                    f"transitions[{index}].trigger",
                    "duplicate_trigger",
                    trigger=transition.trigger,
                    stage=source,
                    first=f"transitions[{seen}]",
                )
                issues.append(found)
                break
    return issues


def _graph_issues(definition: WorkflowDefinition) -> list[Issue]:
    """Every stage is reachable; no pathway step or hold stage is a dead end."""
    if definition.stage(definition.initial) is None:
        return []
    found = reachable(definition)
    kinds = {s.key: s.kind for s in definition.stages}
    exits: dict[str, set[str]] = {}
    for edge in edges(definition):
        exits.setdefault(edge.source, set()).add(kinds.get(edge.dest, "unknown"))
    issues = []
    for index, stage in enumerate(definition.stages):
        if stage.key not in found:
            unreachable = issue(
                f"stages[{index}]", "unreachable_stage", stage=stage.key, initial=definition.initial
            )
            issues.append(unreachable)
        issues += _dead_end_issues(stage.key, stage.kind, exits.get(stage.key, set()), index)
    return issues


def _dead_end_issues(key: str, kind: str, exit_kinds: set[str], index: int) -> list[Issue]:
    """A step needs a way on to another step or outcome; a hold stage needs a way out."""
    if kind == "stage" and not exit_kinds & {"stage", "final"}:
        return [issue(f"stages[{index}]", "dead_end_stage", stage=key)]
    if kind == "hold" and not exit_kinds:
        return [issue(f"stages[{index}]", "hold_without_exit", stage=key)]
    return []
