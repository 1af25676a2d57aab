"""Fixtures of the engine tests: the shipped workflows, and a small valid definition to vary."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from engine_helpers import MINIMAL, WORKFLOWS

from accompagnement.engine import Workflow, load_file


@pytest.fixture(scope="session")
def creation() -> Workflow:
    """The shipped creation-ressourcerie workflow."""
    return Workflow(load_file(WORKFLOWS / "creation-ressourcerie.yaml"))


@pytest.fixture(scope="session")
def adhesion() -> Workflow:
    """The shipped adhesion-reseau workflow."""
    return Workflow(load_file(WORKFLOWS / "adhesion-reseau.yaml"))


@pytest.fixture
def minimal() -> dict[str, Any]:
    """A fresh copy of a small valid definition, as plain data to break on purpose."""
    return copy.deepcopy(MINIMAL)
