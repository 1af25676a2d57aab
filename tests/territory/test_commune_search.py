"""Finding a commune by what a person types, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from accompagnement.territory.search import search_key
from accompagnement.territory.services import resolve_typed, search_communes


def names(text: str, limit: int = 10) -> list[str]:
    return [c.name for c in search_communes(text, limit)]


def test_the_search_key_ignores_accents_case_punctuation_and_saint_abbreviations() -> None:
    assert search_key("Saint-Junien") == search_key("st junien") == "saint junien"
    assert search_key("L'Haÿ-les-Roses") == "l hay les roses"
    assert search_key("Œuilly") == "oeuilly"


@pytest.mark.parametrize("typed", ["gueret", "GUÉRET", "Guéret", " gueret "])
def test_a_name_is_found_without_accents_or_case(typed: str) -> None:
    assert names(typed)[0] == "Guéret"


@pytest.mark.parametrize("typed", ["st junien", "saint-junien", "Saint Junien"])
def test_saint_is_found_however_it_is_written(typed: str) -> None:
    assert names(typed)[0] == "Saint-Junien"


def test_names_containing_the_text_come_after_those_starting_with_it() -> None:
    found = names("gueret")
    assert found[0] == "Guéret" and "Saint-Jouan-des-Guérets" in found


def test_postal_and_insee_codes_are_found() -> None:
    assert "Limoges" in names("87100")
    assert names("87085") == ["Limoges"]
    assert names("2A004") == ["Ajaccio"]
    assert names("Guéret (23096)") == ["Guéret"]


def test_results_are_bounded() -> None:
    assert len(names("saint", 5)) == 5
    assert len(names("saint", 500)) == 20
    assert names("") == names("a") == []


def test_typed_text_resolves_to_one_commune_or_to_candidates() -> None:
    assert resolve_typed("gueret").commune.insee == "23096"  # type: ignore[union-attr]
    assert resolve_typed("23000").commune is None  # Guéret and neighbours share it
    assert resolve_typed("87085").commune.name == "Limoges"  # type: ignore[union-attr]
    ambiguous = resolve_typed("Saint-Priest")
    assert ambiguous.commune is None and len(ambiguous.candidates) == 3
    unknown = resolve_typed("zzzz")
    assert unknown.commune is None and not unknown.candidates


def test_the_json_search_is_public_reference_data(client) -> None:
    """Anyone may search the official geography (the public door's commune field does)."""
    found = client.get("/territory/communes?q=gueret&limit=2").get_json()
    assert len(found) == 2
    assert found[0]["insee"] == "23096" and found[0]["label"] == "Guéret (23096)"
    assert "23 Creuse" in found[0]["detail"] and found[0]["postal_codes"] == ["23000"]
    assert client.get("/territory/communes?q=%00&limit=x").status_code in (200, 400)
