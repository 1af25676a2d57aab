"""A French reader is told which columns are missing or expected by their French headers."""

from __future__ import annotations

from flask_babel import force_locale

from accompagnement.importing import ImportErrorList
from accompagnement.members.importer import import_members


def _refusal(data: bytes, language: str) -> str:
    with force_locale(language):
        try:
            import_members(data, user_id=None)
        except ImportErrorList as refused:
            return " ".join(row.message for row in refused.rows)
    raise AssertionError("the file was accepted")


def test_missing_columns_are_named_by_their_french_headers_in_french(app):
    with app.test_request_context():
        message = _refusal(b"nom;code INSEE\nSans ville;87085\n", "fr")
    assert "Colonnes manquantes" in message
    assert "adhésion" in message and "joined" not in message


def test_they_keep_their_english_keys_in_english(app):
    with app.test_request_context():
        message = _refusal(b"name;insee\nNo town;87085\n", "en")
    assert "Missing columns" in message and "joined" in message


def test_unknown_columns_list_the_expected_french_headers(app):
    with app.test_request_context():
        message = _refusal(b"nom;couleur\nSans ville;bleu\n", "fr")
    assert "couleur" in message and "fonctions" in message and "functions" not in message
