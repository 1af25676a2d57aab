"""Fixtures of the pathway editor's tests: a signed-in coordinator reading English pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.fixtures.accounts import login


@pytest.fixture
def editor(client: FlaskClient, coordinator: Any) -> FlaskClient:
    """A client signed in as a coordinator, asking for English pages."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, coordinator.email)
    return client
