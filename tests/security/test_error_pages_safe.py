"""Error pages reveal no traceback, SQL or secret (ASVS V16.5.1) and carry the security headers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from accompagnement.access import public

SECRET = "s3cr3t-value-in-the-exception"


@pytest.fixture(scope="module")
def failing_app(other_app: Callable[..., Flask]) -> Flask:
    """An app instance of its own with test-only routes that fail."""
    extra = other_app(TESTING=False)

    @public
    def boom() -> str:
        raise RuntimeError(f"password_hash={SECRET}")

    @public
    def database_down() -> str:
        raise OperationalError(f"SELECT password_hash FROM users -- {SECRET}", {}, Exception())

    extra.add_url_rule("/__test/boom", "test_boom", boom)
    extra.add_url_rule("/__test/database", "test_database", database_down)
    return extra


def _assert_safe_headers(response) -> None:  # noqa: ANN001
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/__test/boom", "/__test/database"])
def test_a_crash_gives_a_plain_500_page(failing_app: Flask, path: str) -> None:
    response = failing_app.test_client().get(path, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    for leak in ("Traceback", SECRET, "password_hash", "SELECT", "RuntimeError", ".py"):
        assert leak not in page
    _assert_safe_headers(response)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no/such/page", 404),
        ("GET", "/auth/logout", 405),
        ("GET", "/auth/password/forged-token", 400),
    ],
)
def test_error_pages_carry_the_security_headers(
    app: Flask, method: str, path: str, status: int
) -> None:
    response = app.test_client().open(path, method=method)
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)
    _assert_safe_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
