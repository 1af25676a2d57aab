"""Tokens for the API tests: make_token(user, scope="read") returns the secret, shown once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accompagnement.extensions import db


@pytest.fixture(autouse=True)
def _responses_checked(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Check every successful answer against its model in the document, as a client would."""
    monkeypatch.setattr(app, "validate_response", True)


@pytest.fixture
def network(make_network: Callable[..., Any]) -> Any:
    return make_network()


@pytest.fixture
def make_token(network: Any) -> Callable[..., str]:
    """Return a factory: make_token(user, scope="read", days=90) -> the token's secret."""
    from accompagnement.auth import apitokens

    def make(user: Any, scope: str = "read", days: int = 90, name: str = "Test") -> str:
        made = apitokens.create_token(user.id, name, scope, days)
        db.session.commit()
        return made.secret

    return make


def bearer(secret: str) -> dict[str, str]:
    """Return the header that carries a token."""
    return {"Authorization": f"Bearer {secret}"}
