"""Fixtures of the member directory tests: members with usual columns, CSV files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from accompagnement.members.models import Member


@pytest.fixture
def make_member(make_member: Callable[..., Member]) -> Callable[..., Member]:
    """Return the shared factory with usual columns: make_member("Name", commune_insee="87085")."""

    def make(name: str = "Ressourcerie test", **fields: Any) -> Member:
        fields.setdefault("commune_insee", "87085")
        fields.setdefault("departement_code", fields["commune_insee"][:2])
        fields.setdefault("joined_on", date(2015, 3, 1))
        return make_member(name, **fields)

    return make


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Any]:
    """Return a factory writing CSV text to a file (encoding chosen) and returning its path."""

    def write(text: str, encoding: str = "utf-8", name: str = "members.csv") -> Any:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
