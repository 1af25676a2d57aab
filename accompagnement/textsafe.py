"""Text that comes from a file (an upload's name, a CSV cell) shown as it will be read.

Unicode control and format characters (categories Cc and Cf: the bidirectional overrides such as
U+202E, zero-width characters, the BOM) and the line and paragraph separators (Zl, Zp) change how
a name displays without being seen: `évil\\u202egnp.txt` displays as "éviltxt.png". They are
removed from every stored name that comes from a file.
"""

from __future__ import annotations

import unicodedata

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def strip_invisible(text: str) -> str:
    """Remove control, format and line/paragraph separator characters from a text."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in INVISIBLE_CATEGORIES)
