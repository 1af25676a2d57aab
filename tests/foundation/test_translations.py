"""The interface is French first: every string of the code has a French translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "accompagnement" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
METHODS = [
    ("accompagnement/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "_n": (1, 2),
    "lazy_ngettext": (1, 2),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="fr")


def used_msgids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_string_of_the_interface_is_in_the_french_catalogue(catalogue):
    missing = sorted(m for m in used_msgids() if m and m not in catalogue)
    assert missing == [], "run `make update-messages` and translate: " + repr(missing[:20])


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    bad = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert bad == [], repr(bad[:20])


def test_translations_keep_their_placeholders(catalogue):
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple):
            continue
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), (
            message.id
        )
