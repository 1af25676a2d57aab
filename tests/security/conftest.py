"""Fixtures of the cross-cutting security suite (helpers live in security_suite.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from security_fuzz import Cast, make_cast
from security_suite import People, make_people


@pytest.fixture
def people(make_user: Callable[..., Any]) -> People:
    return make_people(make_user)


@pytest.fixture
def cast(app: Flask, make_user: Callable[..., Any]) -> Cast:
    """The people of a fuzzing test and a coordinator's client, made once for all examples."""
    return make_cast(app, make_user)
