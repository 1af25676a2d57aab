"""Language and time zone selection, and template helpers for translated labels."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any

from babel import dates, numbers
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_timezone, get_translations
from flask_login import current_user

DEFAULT_LANGUAGE = "fr"
CLI_LANGUAGES = ("fr", "en")


def select_locale() -> str:
    """Pick the interface language: the user's choice, then the browser's, French by default."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if g.get("language_from_header"):  # an API client: its Accept-Language alone
        return request.accept_languages.best_match(languages) or "fr"
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or "fr"


def select_timezone() -> str:
    """Every user of a regional French network lives in Europe/Paris."""
    return "Europe/Paris"


@dataclass(frozen=True)
class Chosen:
    """The language chosen for the current request, and what it takes to speak it."""

    locale: Any  # babel.Locale, or None outside an app context
    locale_name: str  # str(locale) takes 20 us: made once
    language: str
    translations: NullTranslations
    zone: tzinfo | None


# Outside an app context: French, no catalogue (as Flask-Babel answers there).
OUTSIDE = Chosen(None, DEFAULT_LANGUAGE, DEFAULT_LANGUAGE, NullTranslations(), None)


def chosen() -> Chosen:
    """Return the current language's locale, catalogue and time zone, looked up once.

    Flask-Babel finds the catalogue through several context proxies for each string (about
    40 µs); a page translates a hundred strings and labels. The lookup is kept on `g` with the
    locale it was made for: a locale forced (`force_locale`) or refreshed gets its own.
    """
    if not has_app_context():
        return OUTSIDE
    state = g._get_current_object().__dict__
    # Flask-Babel keeps the request's locale (forced or refreshed too) on `g._flask_babel`;
    # reading it there saves three context lookups. Not chosen yet: get_locale() chooses it.
    locale = getattr(state.get("_flask_babel"), "babel_locale", None) or get_locale()
    found: Chosen | None = state.get("_i18n_chosen")
    if found is None or found.locale is not locale:
        found = state["_i18n_chosen"] = _choose(locale)
    return found


def _choose(locale: Any) -> Chosen:
    language = locale.language if locale else DEFAULT_LANGUAGE
    name = str(locale) if locale else DEFAULT_LANGUAGE
    return Chosen(locale, name, language, get_translations(), get_timezone())


def current_language() -> str:
    """Return the language code of the current request ("fr" or "en")."""
    return chosen().language


def _gettext(message: str) -> str:
    return chosen().translations.ugettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return chosen().translations.ungettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return chosen().translations.upgettext(context, message)


def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return chosen().translations.unpgettext(context, singular, plural, n)


def format_datetime(moment: datetime, fmt: str = "short") -> str:
    """Show a stored (naive UTC) moment in the user's time zone and language."""
    here = chosen()
    return _formatted(moment, fmt, here.locale_name, here.zone, dates.format_datetime)


def format_date(day: date, fmt: str = "medium") -> str:
    """Show a date in the user's language."""
    return _formatted(day, fmt, chosen().locale_name, None, dates.format_date)


def format_number(value: Any) -> str:
    """Show a number in the user's language (its grouping and decimal signs)."""
    return _formatted_number(value, type(value).__name__, chosen().locale_name)


@lru_cache(maxsize=4096)
def _formatted_number(value: Any, _kind: str, locale: str) -> str:
    # Like the moments below: a pure function of its arguments (the type too, so that 1 and
    # 1.0 or True each keep their own entry), taking 100 µs through Flask-Babel's lookups.
    return str(numbers.format_decimal(value, locale=locale))


@lru_cache(maxsize=4096)
def _formatted(value: Any, fmt: str, locale: str, zone: tzinfo | None, formatter: Any) -> str:
    # Babel's formatting is a pure function of these arguments and takes 60 to 100 µs: the
    # moments of a history are shown again on every view of the page.
    extra = {"tzinfo": zone} if zone is not None else {}
    return str(formatter(value, fmt, locale=locale, **extra))


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
    # Flask-Babel's own callables look the catalogue up again for every string.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
        newstyle=True,
    )
    app.jinja_env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = lambda d, fmt="short": format_datetime(d, fmt) if d else ""
    app.jinja_env.filters["number"] = lambda n: format_number(n) if n is not None else ""
    app.jinja_env.globals["current_language"] = current_language


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
