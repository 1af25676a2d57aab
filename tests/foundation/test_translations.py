"""The interface is French first: every string of the code has a French translation.

The catalogue is the only place that holds translated text: the engine answers with codes that
`accompagnement.messages` words through it, the report is worded through it with `force_locale`,
and no other module keeps a table of French and English texts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale

from accompagnement import engine, messages
from accompagnement.i18n import cli_language

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
    "N_": None,
    "lazy_gettext": None,
    "_n": (1, 2),
    "lazy_ngettext": (1, 2),
    "_p": ((1, "c"), 2),
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}
GETTEXT_CALLS = {name for name in KEYWORDS}
# Sample content of `flask demo` (a French network's activities, people and places): data, not
# interface text.
SAMPLE_DATA = ("accompagnement/demo/",)
FRENCH_WORDS = re.compile(
    r"(?<!\w)(le|la|les|des|du|une|est|pas|pour|avec|dans|sur|aux|ce|cette|il|elle)(?!\w)", re.I
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="fr")


def used_msgids() -> set[tuple[str, str | None]]:
    """Return the (msgid, context) of every message the code and the templates use."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={}
    ):
        found.add((message[0] if isinstance(message, tuple) else message, context))
    return found


def test_every_string_of_the_interface_is_in_the_french_catalogue(catalogue):
    missing = sorted((m, c) for m, c in used_msgids() if m and catalogue.get(m, context=c) is None)
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


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_translation_table(node: ast.AST) -> bool:
    """A dict keyed "fr"/"en", or a dict of (text, text) pairs: French and English side by side."""
    if not isinstance(node, ast.Dict):
        return False
    keys = {k.value for k in node.keys if k is not None and _is_text(k)}
    if {"fr", "en"} <= keys:
        return True
    return len(node.values) >= 2 and all(
        isinstance(v, ast.Tuple) and len(v.elts) == 2 and all(map(_is_text, v.elts))
        for v in node.values
    )


def _outside_the_catalogue(tree: ast.AST) -> list[ast.AST]:
    """Return the nodes of a module, less docstrings and the arguments of gettext calls."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and _is_text(node.value):
            skipped.add(id(node.value))
        if isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "id", getattr(func, "attr", ""))
            if name in GETTEXT_CALLS:
                skipped.update(id(inner) for inner in ast.walk(node))
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def translated_text_outside_the_catalogue() -> list[str]:
    """Return where a module holds a translation table or a French sentence of its own."""
    found = []
    for path in sorted((ROOT / "accompagnement").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        if where.startswith(SAMPLE_DATA):
            continue
        for node in _outside_the_catalogue(ast.parse(path.read_text(encoding="utf-8"))):
            if _is_translation_table(node):
                found.append(f"{where}:{node.lineno}: a table of translations")
            elif _is_text(node) and (
                "«" in node.value or len(FRENCH_WORDS.findall(node.value)) > 1
            ):
                found.append(f"{where}:{node.lineno}: French text {node.value[:40]!r}")
    return found


def test_no_module_but_the_catalogue_holds_translated_text():
    # Workflow labels carry fr/en in the YAML files (data), read by engine.Label and i18n.label.
    assert translated_text_outside_the_catalogue() == []


def test_the_scan_sees_a_translation_table():
    for code in ('{"fr": "Oui", "en": "Yes"}', '{"a": ("Oui", "Yes"), "b": ("Non", "No")}'):
        assert _is_translation_table(ast.parse(code, mode="eval").body)
    assert not _is_translation_table(ast.parse('{"fr": "Français"}', mode="eval").body)


def _translated(message, catalogue) -> None:
    """Assert that a catalogue message (lazy string) has a French translation."""
    with force_locale("en"):
        msgid = str(message)  # no English catalogue: English is the msgid itself
    entry = catalogue.get(msgid) or next(
        (m for m in catalogue if m.id == msgid and m.context), None
    )
    assert entry is not None and entry.string and not entry.fuzzy, msgid
    with force_locale("fr"):
        assert str(message) == entry.string


@pytest.mark.parametrize("code", sorted(engine.REFUSAL_CODES))
def test_every_refusal_code_has_a_french_message(catalogue, code):
    _translated(messages.REFUSAL_MESSAGES[code], catalogue)
    if code in messages.DRAFTED_MESSAGES:
        _translated(messages.DRAFTED_MESSAGES[code], catalogue)


@pytest.mark.parametrize("code", sorted(engine.FIELD_ERROR_CODES))
def test_every_field_error_code_has_a_french_message(catalogue, code):
    _translated(messages.FIELD_ERROR_MESSAGES[code], catalogue)


@pytest.mark.parametrize("code", sorted(engine.PROBLEM_CODES))
def test_every_definition_problem_code_has_a_french_message(catalogue, code):
    _translated(messages.PROBLEM_MESSAGES[code], catalogue)
    for (variant_code, _variant), message in messages.PROBLEM_VARIANTS.items():
        if variant_code == code:
            _translated(message, catalogue)


def test_every_word_of_a_definition_problem_has_a_french_translation(catalogue):
    words = [*messages.WHAT_NAMES.values(), *messages.PATTERN_HINTS.values()]
    for word in words:
        _translated(word, catalogue)
    assert set(messages.PROBLEM_MESSAGES) == engine.PROBLEM_CODES
    assert {code for code, _ in messages.PROBLEM_VARIANTS} <= engine.PROBLEM_CODES


def test_every_role_has_a_french_name_and_no_message_is_left_over(catalogue):
    from accompagnement.engine.definition import ROLES

    assert set(messages.ROLE_NAMES) == set(ROLES)
    for name in messages.ROLE_NAMES.values():
        _translated(name, catalogue)
    assert set(messages.REFUSAL_MESSAGES) == engine.REFUSAL_CODES
    assert set(messages.DRAFTED_MESSAGES) <= engine.REFUSAL_CODES
    assert set(messages.FIELD_ERROR_MESSAGES) == engine.FIELD_ERROR_CODES


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),
        ({}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, "fr"),
    ],
)
def test_the_command_line_speaks_the_shell_language_when_french_or_english(
    monkeypatch, environment, language
):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert cli_language() == language
