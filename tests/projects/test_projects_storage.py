"""Storage helpers of uploaded documents: names, extensions, storage names."""

from __future__ import annotations

import pytest

from accompagnement.projects import documents


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\moi\\Étude.pdf", "Étude.pdf"),
        ("rapport\r\nX-Injected: 1.pdf", "rapportX-Injected: 1.pdf"),
        ("", "document"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),  # 255 characters
    ],
)
def test_only_a_clean_base_name_is_kept(given, kept):
    assert documents.clean_name(given) == kept


def test_extensions_are_compared_in_lower_case():
    assert documents.extension_of("PLAN.JPEG") == "jpeg"
    assert documents.extension_of("archive.tar.gz") == "gz"
    assert documents.extension_of("README") == ""


@pytest.mark.parametrize("name", ["../secret", "abc", "A" * 32, "0" * 31 + "/"])
def test_only_generated_names_reach_the_storage(name):
    with pytest.raises(ValueError):
        documents.checked_name(name)
    with pytest.raises(ValueError):
        documents.read(name)
