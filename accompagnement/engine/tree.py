"""The workflow files of an instance: the shared ones, and each network's own directory.

`workflows/*.yaml` are shared by every network; `workflows/<short name>/*.yaml` belong to the
network with that short name. A name belongs to one owner: a network's variant has a name of its
own (`creation-ressourcerie-auvergne`), never a shared file's name nor another network's.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from accompagnement.engine.definition import WorkflowDefinition
from accompagnement.engine.loader import (
    _unreadable,
    default_problems,
    directory_files,
    load_files,
)
from accompagnement.engine.problems import DefinitionError, DefinitionProblem, issue


@dataclass(frozen=True)
class WorkflowFiles:
    """The definitions read from a workflows directory: shared, and by network short name."""

    shared: list[WorkflowDefinition] = field(default_factory=list)
    networks: dict[str, list[WorkflowDefinition]] = field(default_factory=dict)

    def everything(self) -> list[WorkflowDefinition]:
        """Return every definition, the shared ones first, then each network's by short name."""
        return [*self.shared, *(d for name in sorted(self.networks) for d in self.networks[name])]


def network_directories(path: Path | str) -> dict[str, Path]:
    """Return the networks' directories of a workflows directory, by name (hidden ones left out)."""
    found = (p for p in Path(path).iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    return {directory.name: directory for directory in sorted(found)}


def load_tree(path: Path | str) -> WorkflowFiles:
    """Load the shared files and every network's directory, raising one error for all problems."""
    try:
        shared_paths = directory_files(path)
        network_paths = {
            name: directory_files(directory)
            for name, directory in network_directories(path).items()
        }
    except OSError as exc:
        found = _unreadable("unreadable_directory", exc)
        raise DefinitionError([DefinitionProblem.at(str(path), found)]) from exc
    files, problems = load_tree_files(shared_paths, network_paths)
    if problems:
        raise DefinitionError(problems)
    return files


def load_tree_files(
    shared_paths: list[Path], network_paths: dict[str, list[Path]]
) -> tuple[WorkflowFiles, list[DefinitionProblem]]:
    """Load shared and network files, keeping going after a bad one; every problem is listed."""
    shared, problems = load_files(shared_paths)
    owners = {definition.name: definition.origin for definition in shared}
    networks: dict[str, list[WorkflowDefinition]] = {}
    for name in sorted(network_paths):
        loaded, found = load_files(network_paths[name])
        kept, taken = _own_names(loaded, owners)
        found += taken + default_problems([*shared, *kept])
        problems += _unique(p for p in found if p not in problems)
        networks[name] = kept
        owners.update((d.name, d.origin) for d in kept if d.name not in owners)
    return WorkflowFiles(shared, networks), problems


def _own_names(
    definitions: list[WorkflowDefinition], owners: dict[str, str]
) -> tuple[list[WorkflowDefinition], list[DefinitionProblem]]:
    """Keep a network's definitions whose names no other owner uses; refuse the others."""
    kept, problems = [], []
    for definition in definitions:
        if definition.name in owners:
            found = issue(
                "name", "name_taken", name=definition.name, origin=owners[definition.name]
            )
            problems.append(DefinitionProblem.at(definition.origin, found))
        else:
            kept.append(definition)
    return kept, problems


def _unique(problems: Iterable[DefinitionProblem]) -> list[DefinitionProblem]:
    """Drop problems found twice (a second default seen alone and beside the shared files)."""
    unique: list[DefinitionProblem] = []
    for problem in problems:
        if problem not in unique:
            unique.append(problem)
    return unique
