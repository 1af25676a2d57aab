"""The workflow versions known to the application, and moving projects between versions."""

from collections.abc import Hashable, Iterable
from typing import TypeVar

from accompagnement.engine.definition import WorkflowDefinition
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


def migration_plan(
    projects: Iterable[tuple[Id, str]], target: Workflow
) -> tuple[list[Id], list[tuple[Id, str]]]:
    """Split projects into those whose stage exists in `target` and those refused (id, state)."""
    keys = {stage.key for stage in target.stages}
    movable: list[Id] = []
    refused: list[tuple[Id, str]] = []
    for project_id, state in projects:
        if state in keys:
            movable.append(project_id)
        else:
            refused.append((project_id, state))
    return movable, refused
