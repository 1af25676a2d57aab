"""The packages form layers with no import cycle; the engine imports neither Flask nor SQLAlchemy.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter checks them here so the
suite fails on an import that climbs a layer. A second, independent check lists the cycles between
the top-level packages, and both are shown to catch a synthetic upward import or cycle.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.application import use_cases
from importlinter.configuration import configure

from tests.architecture.import_graph import PACKAGE, build_graph, cycles, package_edges

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return build_graph()


def _layers() -> list[grimp.Layer]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    layers = []
    for line in contract["layers"]:
        independent = ":" not in line
        tails = [t.strip() for t in line.replace(":", "|").split("|")]
        layers.append(grimp.Layer(*tails, independent=independent))
    return layers


def _climbing_imports(graph: grimp.ImportGraph) -> set[str]:
    found = graph.find_illegal_dependencies_for_layers(layers=_layers(), containers={PACKAGE})
    return {f"{d.importer} -> {d.imported}" for d in found}


def test_the_import_contracts_are_kept() -> None:
    # On failure the captured output names each broken contract and the imports that break it.
    configure()
    assert use_cases.lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)


def test_no_cycle_between_packages(graph: grimp.ImportGraph) -> None:
    assert cycles(package_edges(graph)) == []


def test_a_synthetic_cycle_is_found() -> None:
    edges = {"a.audit": {"a.db"}, "a.projects": {"a.audit"}, "a.db": set()}
    assert cycles(edges) == []
    edges["a.audit"].add("a.projects")
    assert cycles(edges) == [["a.audit", "a.projects"]]


def test_an_import_climbing_a_layer_is_refused(graph: grimp.ImportGraph) -> None:
    assert _climbing_imports(graph) == set()
    graph.add_import(
        importer="accompagnement.audit.guard", imported="accompagnement.projects.models"
    )
    try:
        assert _climbing_imports(graph)
        (cycle,) = cycles(package_edges(graph))
        assert {"accompagnement.audit", "accompagnement.projects"} <= set(cycle)
    finally:
        graph.remove_import(
            importer="accompagnement.audit.guard", imported="accompagnement.projects.models"
        )
