"""The language of a request is looked up once, and still follows every way it can change.

Templates translate through `accompagnement.i18n.chosen()` (kept on `g`) rather than through
Flask-Babel's lookup for each string; dates are formatted by Babel with the same locale and time
zone as Flask-Babel's filters, and the menu is translated when it is built.
"""

from __future__ import annotations

from datetime import datetime

import flask_babel
import pytest
from flask import render_template_string
from flask_babel import force_locale, refresh
from flask_login import login_user

from accompagnement.i18n import current_language
from accompagnement.nav import nav_items

MOMENTS = [
    datetime(2025, 3, 30, 0, 59),  # an hour before Paris moves to summer time
    datetime(2025, 3, 30, 1, 0),
    datetime(2025, 10, 26, 0, 30),  # in the hour Paris lives twice
    datetime(2025, 10, 26, 1, 30),
    datetime(2025, 12, 31, 23, 30),  # already next year in Paris
]


def test_templates_speak_the_forced_language_and_come_back(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert render_template_string("{{ _('Sign out') }}") == "Se déconnecter"
        with force_locale("en"):
            assert render_template_string("{{ _('Sign out') }}") == "Sign out"
            assert current_language() == "en"
        assert render_template_string("{{ _('Sign out') }}") == "Se déconnecter"
        assert current_language() == "fr"


def test_a_refreshed_locale_is_followed(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert current_language() == "fr"
        babel = flask_babel.get_babel()
        chooser = babel.locale_selector
        babel.locale_selector = lambda: "en"
        try:
            refresh()
            assert render_template_string("{{ _('Sign out') }}") == "Sign out"
        finally:
            babel.locale_selector = chooser


def test_plural_forms_are_translated(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        text = "{{ ngettext('%(num)d project', '%(num)d projects', 2) }}"
        assert render_template_string(text) == "2 projets"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["short", "medium", "long"])
def test_dates_read_as_flask_babel_writes_them(app, language, fmt):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        for moment in MOMENTS:
            shown = render_template_string("{{ m|datetime(f) }}", m=moment, f=fmt)
            assert shown == flask_babel.format_datetime(moment, fmt)
            day = moment.date()
            assert render_template_string("{{ d|date(f) }}", d=day, f=fmt) == (
                flask_babel.format_date(day, fmt)
            )
        assert render_template_string("{{ d|date }}", d=None) == ""


def test_outside_an_app_the_language_is_french():
    assert current_language() == "fr"


def test_the_menu_is_translated_and_marks_the_current_section(app, coordinator):
    with app.test_request_context("/projects/"):
        login_user(coordinator)
        with force_locale("en"):
            english = {item["label"]: item for item in nav_items()}
        assert english["Pipeline"]["current"] is True
        assert english["Members"]["current"] is False
        assert english["Members"]["url"] == "/members/"
        with force_locale("fr"):
            assert "Adhérents" in {item["label"] for item in nav_items()}
