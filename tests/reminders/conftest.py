"""Fixtures of the reminders tests: age a project, links to the network's public address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from accompagnement.db import utcnow


@pytest.fixture(autouse=True)
def _base_url(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reminders link to the network's public address."""
    monkeypatch.setitem(app.config, "BASE_URL", "https://reseau.example.org")


@pytest.fixture
def ago() -> Callable[[int], dt.datetime]:
    """Return a helper giving the moment `days` ago (projects are created in the past)."""

    def moment(days: int) -> dt.datetime:
        return utcnow() - dt.timedelta(days=days)

    return moment


@pytest.fixture
def reminders_client(app: Flask) -> Any:
    """Return a test client of its own (the page is checked for several people in turn)."""
    return app.test_client()
