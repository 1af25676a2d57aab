"""A project of `holder` for the exchange tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def project(make_project: Callable[..., Any], holder: Any) -> Any:
    return make_project("Ressourcerie du Haut-Limousin", holders=[holder], commune="87085")
