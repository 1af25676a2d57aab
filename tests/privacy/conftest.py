"""Fixtures of the privacy tests: the append-only guard and the fictitious people's scene."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accompagnement.audit import guard
from tests.privacy.people import Scene, build_scene


@pytest.fixture(autouse=True)
def _audit_guard() -> None:
    guard.install()


@pytest.fixture
def scene(
    make_user: Callable[..., Any], make_project: Callable[..., Any], coordinator: Any
) -> Scene:
    """Maëlle holds a project and wrote, uploaded and did things; her neighbour did too."""
    return build_scene(make_user, make_project, coordinator)
