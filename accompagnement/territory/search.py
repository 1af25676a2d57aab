"""The search key of a commune name: no accents, no case, no punctuation, "st" read "saint"."""

from __future__ import annotations

import re
import unicodedata

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """Return "saint junien" for "Saint-Junien", "St Junien" or "saint junien"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = NOT_ALNUM.sub(" ", plain).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)
