"""Configuration read from the environment, inside the app factory (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SECRETS = {"", "dev", "change-me", "changeme", "secret", "example", "dev-not-secret"}
DEV_SECRET = "dev-not-secret"  # noqa: S105 (refused in production by check_production)


class ConfigError(RuntimeError):
    """The configuration is not safe or not complete for the chosen mode."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "accompagnement.db")


def from_environment(instance_path: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the configuration mapping from environment variables."""
    env = os.environ if env is None else env
    production = env.get("ACCOMPAGNEMENT_ENV", "development").lower() == "production"
    return {
        "PRODUCTION": production,
        "DEBUG": _bool(env.get("FLASK_DEBUG")),
        "SECRET_KEY": env.get("SECRET_KEY", "" if production else DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or _default_database_url(instance_path),
        "WORKFLOWS_DIR": env.get("WORKFLOWS_DIR", str(ROOT / "workflows")),
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(Path(instance_path) / "uploads")),
        "BACKUP_DIR": env.get("BACKUP_DIR", str(Path(instance_path) / "backups")),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_UPLOAD_MB", 10) * 1024 * 1024,
        "IMPORT_MAX_MB": _int(env, "IMPORT_MAX_MB", 5),
        "IMPORT_MAX_ROWS": _int(env, "IMPORT_MAX_ROWS", 20000),
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": _int(env, "SMTP_PORT", 25),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS")),
        "MAIL_FROM": env.get("MAIL_FROM", "accompagnement@localhost"),
        "BASE_URL": env.get("BASE_URL", ""),
        "SESSION_COOKIE_SECURE": production or _bool(env.get("SESSION_COOKIE_SECURE")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int(env, "SESSION_HOURS", 10)),
        "SESSION_IDLE_MINUTES": _int(env, "SESSION_IDLE_MINUTES", 60),
        "LOGIN_MAX_FAILURES": _int(env, "LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCK_MINUTES": _int(env, "LOGIN_LOCK_MINUTES", 15),
        "RESET_TOKEN_HOURS": _int(env, "RESET_TOKEN_HOURS", 48),
        "STALE_PROJECT_DAYS": _int(env, "STALE_PROJECT_DAYS", 60),
        "OUTBOX_MAX_ATTEMPTS": _int(env, "OUTBOX_MAX_ATTEMPTS", 8),
        "OUTBOX_KEEP_DAYS": _int(env, "OUTBOX_KEEP_DAYS", 30),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "database://"),
        "RATELIMIT_SIGN_IN": env.get("RATELIMIT_SIGN_IN", "10 per minute;100 per hour"),
        "RATELIMIT_FORGOT": env.get("RATELIMIT_FORGOT", "5 per minute;20 per hour"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RETENTION_YEARS": _int(env, "RETENTION_YEARS", 3),
        "PASSWORD_HASH_PROFILE": "default",
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": ["fr", "en"],
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


def check_production(config: Mapping[str, Any]) -> None:
    """Refuse to run in production with an unsafe configuration."""
    if not config.get("PRODUCTION"):
        return
    problems = []
    secret = str(config.get("SECRET_KEY") or "")
    if secret.lower() in EXAMPLE_SECRETS or len(secret) < 32:
        problems.append("SECRET_KEY must be a random value of at least 32 characters")
    if config.get("DEBUG"):
        problems.append("DEBUG must be off")
    if not config.get("SESSION_COOKIE_SECURE") or not config.get("REMEMBER_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE and REMEMBER_COOKIE_SECURE must be on")
    if not config.get("SESSION_COOKIE_HTTPONLY"):
        problems.append("SESSION_COOKIE_HTTPONLY must be on")
    if config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        problems.append("SESSION_COOKIE_SAMESITE must be Lax or Strict")
    if config.get("SMTP_HOST") and not config.get("BASE_URL"):
        problems.append("BASE_URL must be set when e-mail is configured (links in e-mails)")
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems))
