"""Factories of the member directory tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale

from accompagnement.extensions import db
from accompagnement.members.models import Member


@pytest.fixture
def make_member(territory: None) -> Callable[..., Member]:
    """Return a factory: make_member("Name", commune_insee="87085", **columns)."""

    def make(name: str = "Ressourcerie test", **fields: Any) -> Member:
        fields.setdefault("commune_insee", "87085")
        fields.setdefault("departement_code", fields["commune_insee"][:2])
        fields.setdefault("joined_on", date(2015, 3, 1))
        member = Member(name=name, **fields)
        db.session.add(member)
        db.session.commit()
        return member

    return make


@pytest.fixture
def csv_file(tmp_path) -> Callable[..., Any]:
    """Return a factory writing CSV text to a file (encoding chosen) and returning its path."""

    def write(text: str, encoding: str = "utf-8", name: str = "members.csv") -> Any:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture(autouse=True)
def _english(client: Any) -> Iterator[None]:
    """Speak English in these tests, whatever catalogues are compiled (msgids are English)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with force_locale("en"):
        yield
