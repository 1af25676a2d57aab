"""Configuration read from the environment, inside the app factory (never at import time)."""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SECRETS = {"", "dev", "change-me", "changeme", "secret", "example", "dev-not-secret"}
DEV_SECRET = "dev-not-secret"  # noqa: S105 (refused in production by check_production)
ENVIRONMENTS = ("development", "production")
# Words of example or placeholder secrets (README, tutorials, the development value): a secret
# containing one was typed by a person, not drawn at random.
EXAMPLE_WORDS = (
    "changeme",
    "devnotsecret",
    "replaceme",
    "yoursecret",
    "secretkey",
    "example",
    "password",
    "notsecret",
)
MIN_SECRET_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 8
MIN_BITS_PER_CHARACTER = 2.5


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


def _storage(env: Mapping[str, str]) -> str:
    """Read STORAGE: where uploaded files live (`directory` or `s3`, which needs S3_BUCKET)."""
    backend = (env.get("STORAGE") or "directory").strip().lower()
    if backend not in ("directory", "s3"):
        raise ConfigError(f"STORAGE must be directory or s3, got {env.get('STORAGE')!r}")
    if backend == "s3" and not env.get("S3_BUCKET"):
        raise ConfigError("STORAGE=s3 needs S3_BUCKET")
    return backend


def _pairs(env: Mapping[str, str], name: str) -> dict[str, str]:
    """Read `key=value` pairs separated by commas (e.g. OPENDATA_NETWORK_LICENCES)."""
    pairs: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in env.get(name, "").split(","))):
        key, equals, value = pair.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise ConfigError(f"{name} must read key=value,key=value..., got {pair!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def _default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "accompagnement.db")


def environment_name(env: Mapping[str, str]) -> str:
    """Return the environment name, refusing a name that is not a known one (a typo)."""
    raw = env.get("ACCOMPAGNEMENT_ENV") or "development"
    name = raw.strip().lower()
    if name not in ENVIRONMENTS:
        raise ConfigError(
            f"ACCOMPAGNEMENT_ENV must be one of {', '.join(ENVIRONMENTS)}, got {raw!r}"
        )
    return name


def secret_weakness(secret: str) -> str | None:
    """Say why a secret key is not a random value, or None when it looks like one."""
    if len(secret) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    normalised = re.sub(r"[^a-z0-9]", "", secret.lower())
    if secret.lower() in EXAMPLE_SECRETS or any(word in normalised for word in EXAMPLE_WORDS):
        return "is an example or placeholder value"
    if _has_period(secret):
        return "repeats a pattern"
    counts = Counter(secret)
    entropy = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    if len(counts) < MIN_DISTINCT_CHARACTERS or entropy < MIN_BITS_PER_CHARACTER:
        return "has too little entropy (too few different characters)"
    return None


def _has_period(text: str) -> bool:
    """Tell whether the text is a shorter unit repeated (e.g. 'abc123abc123abc1')."""
    return any(text[period:] == text[:-period] for period in range(1, len(text) // 2 + 1))


def from_environment(instance_path: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the configuration mapping from environment variables."""
    env = os.environ if env is None else env
    production = environment_name(env) == "production"
    return {
        "PRODUCTION": production,
        "DEBUG": _bool(env.get("FLASK_DEBUG")),
        "SECRET_KEY": env.get("SECRET_KEY", "" if production else DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or _default_database_url(instance_path),
        "WORKFLOWS_DIR": env.get("WORKFLOWS_DIR", str(ROOT / "workflows")),
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(Path(instance_path) / "uploads")),
        "STORAGE": _storage(env),
        "STORAGE_DIR": env.get("STORAGE_DIR", ""),  # empty: UPLOAD_DIR
        "S3_BUCKET": env.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL", ""),
        "S3_REGION": env.get("S3_REGION", ""),
        "S3_PREFIX": env.get("S3_PREFIX", ""),
        "S3_ACCESS_KEY_ID": env.get("S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": env.get("S3_SECRET_ACCESS_KEY", ""),
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
        "NOTIFICATION_LINK_DAYS": _int(env, "NOTIFICATION_LINK_DAYS", 90),
        "DIGEST_COMING_DAYS": _int(env, "DIGEST_COMING_DAYS", 14),
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "database://"),
        "RATELIMIT_SIGN_IN": env.get("RATELIMIT_SIGN_IN", "10 per minute;100 per hour"),
        "RATELIMIT_FORGOT": env.get("RATELIMIT_FORGOT", "5 per minute;20 per hour"),
        "RATELIMIT_DOOR": env.get("RATELIMIT_DOOR", "3 per minute;10 per day"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "API_RATELIMIT_TOKEN": env.get("API_RATELIMIT_TOKEN", "120 per minute;3000 per hour"),
        "API_RATELIMIT_IP": env.get("API_RATELIMIT_IP", "300 per minute"),
        "API_VALIDATE_RESPONSES": _bool(env.get("API_VALIDATE_RESPONSES"), default=False),
        "TASK_DUE_SOON_DAYS": _int(env, "TASK_DUE_SOON_DAYS", 2),
        "DOOR_MIN_SECONDS": _int(env, "DOOR_MIN_SECONDS", 3),
        "DOOR_FORM_MAX_HOURS": _int(env, "DOOR_FORM_MAX_HOURS", 6),
        "DOOR_CONFIRM_HOURS": _int(env, "DOOR_CONFIRM_HOURS", 48),
        "DOOR_REQUESTS_PER_HOUR": _int(env, "DOOR_REQUESTS_PER_HOUR", 30),
        "RETENTION_YEARS": _int(env, "RETENTION_YEARS", 3),
        "OPENDATA_LICENCE": env.get("OPENDATA_LICENCE") or "etalab-2.0",
        "OPENDATA_NETWORK_LICENCES": _pairs(env, "OPENDATA_NETWORK_LICENCES"),
        "OPENDATA_MAX_AGE": _int(env, "OPENDATA_MAX_AGE", 3600),
        "CLI_LOCK_WAIT_SECONDS": _int(env, "CLI_LOCK_WAIT_SECONDS", 60),
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
    weakness = secret_weakness(secret)
    if weakness:
        problems.append(
            f"SECRET_KEY {weakness}: it must be a random value of at least "
            f"{MIN_SECRET_LENGTH} characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')"
        )
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
