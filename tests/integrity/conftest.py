"""Fixtures of the integrity tests: the audit guard, and apps on databases of their own."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from accompagnement import create_app
from accompagnement.audit import guard
from accompagnement.extensions import db
from tests.conftest import drop_database, make_database_url


@pytest.fixture(autouse=True)
def _audit_guard() -> None:
    """Install the append-only guard (the factory does it too; installing twice is harmless)."""
    guard.install()


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Callable[..., tuple[Flask, str]]]:
    """Return a factory of apps on new, committed databases (dropped at the end of the test)."""
    made: list[tuple[Flask, str]] = []

    def make(name: str, *, create: bool = True) -> tuple[Flask, str]:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        url = make_database_url(str(tmp_path), f"{name}_{worker}_{os.getpid()}")
        app = create_app(app_config(url, tmp_path))
        if create:
            with app.app_context():
                db.create_all()
        made.append((app, url))
        return app, url

    yield make
    for app, url in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(url)


def app_config(url: str, tmp_path: Path) -> dict[str, object]:
    """Return the configuration of a test app on `url`."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "test",
        "SERVER_NAME": "localhost",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
