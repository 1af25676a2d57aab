"""The production check refuses unknown environment names and secrets that are not random (#8)."""

from __future__ import annotations

import secrets
import subprocess
import sys

import pytest

from accompagnement.config import ConfigError, check_production, from_environment

STRONG = "9f3Jq0-Lx_2mZr7Tb4Wc8Yd1Ve6Ns5PuKa7e"


def _production(secret: str) -> dict[str, object]:
    return {
        "PRODUCTION": True,
        "SECRET_KEY": secret,
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }


@pytest.mark.parametrize("name", ["production", "Production ", "PRODUCTION"])
def test_production_is_recognised_in_any_case(name: str) -> None:
    config = from_environment("/tmp", {"ACCOMPAGNEMENT_ENV": name, "SECRET_KEY": STRONG})
    assert config["PRODUCTION"] is True


@pytest.mark.parametrize("name", ["prod", "prodution", "staging", "live"])
def test_a_misspelt_environment_name_refuses_to_start(name: str) -> None:
    with pytest.raises(ConfigError, match=f"got '{name}'"):
        from_environment("/tmp", {"ACCOMPAGNEMENT_ENV": name})


def test_no_environment_name_means_development() -> None:
    assert from_environment("/tmp", {})["PRODUCTION"] is False


@pytest.mark.parametrize(
    "secret",
    [
        "a" * 36,
        "change-me-change-me-change-me-change-me",
        "dev-not-secret" * 3,
        "abc123" * 7,
        "0123456789abcdef0123456789abcdef",
        "my-very-own-secret-key-for-accompagnement",
        "please-change-me-7f3a9c0d1e2b4f5a6c7d8e9f",
        "ababababababababababababababababababcd",
        "1111111122222222333333334444444455556666",
    ],
)
def test_a_low_entropy_or_example_secret_is_refused(secret: str) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        check_production(_production(secret))


def test_generated_secrets_are_accepted() -> None:
    for _ in range(50):
        check_production(_production(secrets.token_urlsafe(32)))
        check_production(_production(secrets.token_hex(32)))
        check_production(_production(secrets.token_hex(16)))


def test_the_server_refuses_to_start_with_a_clear_message() -> None:
    """`flask` started with a misspelt environment name says why and exits non-zero."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "flask", "--app", "accompagnement", "routes"],
        env={"ACCOMPAGNEMENT_ENV": "prod", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ACCOMPAGNEMENT_ENV must be one of development, production, got 'prod'" in (
        result.stderr + result.stdout
    )
