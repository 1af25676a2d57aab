"""Language and time zone selection, and template helpers for translated labels."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

DEFAULT_LANGUAGE = "fr"
CLI_LANGUAGES = ("fr", "en")


def select_locale() -> str:
    """Pick the interface language: the user's choice, then the browser's, French by default."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or "fr"


def select_timezone() -> str:
    """Every user of a regional French network lives in Europe/Paris."""
    return "Europe/Paris"


def current_language() -> str:
    """Return the language code of the current request ("fr" or "en")."""
    locale = get_locale()
    return locale.language if locale else "fr"


def label(value: Any) -> str:
    """Render a workflow label (fr/en mapping or engine Label) in the current language."""
    if value is None:
        return ""
    if hasattr(value, "get") and not isinstance(value, dict):
        return str(value.get(current_language()))
    if isinstance(value, dict):
        return str(value.get(current_language()) or value.get("fr") or "")
    return str(value)


def register_template_helpers(app: Flask) -> None:
    """Expose formatting helpers to Jinja templates."""
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = lambda d, fmt="short": format_datetime(d, fmt) if d else ""
    app.jinja_env.filters["number"] = lambda n: format_decimal(n) if n is not None else ""
    app.jinja_env.globals["current_language"] = current_language
    from accompagnement.nav import nav_items

    app.jinja_env.globals["nav_items"] = nav_items


def cli_language() -> str:
    """Return the language of command-line output: the shell's if French or English, else French.

    The first locale variable set among LC_ALL, LC_MESSAGES and LANG (POSIX order) decides: one
    that names French or English gives that language; any other (C, POSIX, de_DE...) gives the
    default language. Every command prints in it (`accompagnement.clierrors`).
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            language = value[:2].lower()
            return language if language in CLI_LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE
