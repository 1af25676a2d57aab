"""URL converters: ids in URLs stay within the database's integer range."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER: a larger id is a 404, not a database error


class IdConverter(IntegerConverter):
    """An `int` converter that refuses numbers no row can have."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
