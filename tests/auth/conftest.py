"""Fixtures of the account tests: a second app instance on the same database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask


@pytest.fixture(scope="module")
def second_app(other_app: Callable[..., Flask]) -> Flask:
    """Another app instance on the same database, as a second worker process would be."""
    return other_app()
