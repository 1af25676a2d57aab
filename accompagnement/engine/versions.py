"""The workflow versions known to the application, and moving projects between versions."""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from accompagnement.engine.definition import WorkflowDefinition
from accompagnement.engine.graph import return_targets
from accompagnement.engine.workflow import Workflow

Id = TypeVar("Id", bound=Hashable)


class UnknownWorkflow(KeyError):
    """No workflow with this name (and version) is known."""


class DuplicateWorkflow(ValueError):
    """A workflow name and version is already registered."""


class WorkflowRegistry:
    """Every known workflow version, each with its one shared machine."""

    def __init__(self) -> None:
        self._workflows: dict[tuple[str, int], Workflow] = {}

    def add(self, definition: WorkflowDefinition) -> Workflow:
        """Register a definition version; refuse a name+version already registered."""
        return self.add_workflow(Workflow(definition))

    def add_workflow(self, workflow: Workflow) -> Workflow:
        """Register a workflow built already (shared between registries); refuse a duplicate."""
        key = (workflow.name, workflow.version)
        if key in self._workflows:
            raise DuplicateWorkflow(f"{workflow.name} v{workflow.version} is already registered")
        self._workflows[key] = workflow
        return workflow

    def get(self, name: str, version: int) -> Workflow:
        """Return a given version, or raise UnknownWorkflow."""
        try:
            return self._workflows[(name, version)]
        except KeyError:
            raise UnknownWorkflow(f"{name} v{version}") from None

    def latest(self, name: str) -> Workflow:
        """Return the highest version of a workflow, or raise UnknownWorkflow."""
        versions = [v for (n, v) in self._workflows if n == name]
        if not versions:
            raise UnknownWorkflow(name)
        return self._workflows[(name, max(versions))]

    def names(self) -> list[str]:
        """Return the names of the known workflows, sorted."""
        return sorted({name for name, _ in self._workflows})

    def default_name(self) -> str | None:
        """Return the name of the workflow whose newest version says `default: true`, if any."""
        return next((n for n in self.names() if self.latest(n).definition.default), None)

    def all(self) -> list[Workflow]:
        """Return every version, sorted by name then version."""
        return [self._workflows[key] for key in sorted(self._workflows)]

    def __contains__(self, key: object) -> bool:
        return key in self._workflows


@dataclass(frozen=True)
class Landing(Generic[Id]):
    """Where a project lands in a target version: its stage, and a paused project's return stage.

    `lands` (or `return_lands`) is None when the stage does not exist in the target and was not
    mapped to one that does: the project cannot move.
    """

    project_id: Id
    state: str
    lands: str | None
    return_state: str | None = None
    return_lands: str | None = None

    @property
    def movable(self) -> bool:
        """Say whether the project can move (its stage, and its return stage if any, land)."""
        return self.lands is not None and (self.return_state is None or bool(self.return_lands))


def landings(
    projects: Iterable[tuple[Id, str, str | None]],
    target: Workflow,
    mapping: Mapping[str, str] | None = None,
) -> list[Landing[Id]]:
    """Say where each (id, state, return state) lands in `target`: the same stage when it
    exists there, else the stage `mapping` gives for it (a stage renamed, merged or split)."""
    keys = {stage.key for stage in target.stages}
    returns = return_targets(target.definition)
    mapped = {old: new for old, new in (mapping or {}).items() if new in keys}

    def land(state: str) -> str | None:
        return state if state in keys else mapped.get(state)

    found = []
    for project_id, state, return_state in projects:
        lands = land(state)
        back = land(return_state) if return_state else None
        if back is not None and lands in returns and back not in returns[lands]:
            back = None  # the hold of the target cannot be left back to that stage
        found.append(Landing(project_id, state, lands, return_state, back))
    return found


def migration_plan(
    projects: Iterable[tuple[Id, str]], target: Workflow
) -> tuple[list[Id], list[tuple[Id, str]]]:
    """Split projects into those whose stage exists in `target` and those refused (id, state)."""
    found = landings(((i, state, None) for i, state in projects), target)
    movable = [landing.project_id for landing in found if landing.movable]
    refused = [(landing.project_id, landing.state) for landing in found if not landing.movable]
    return movable, refused
