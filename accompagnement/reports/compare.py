"""What differs between a frozen report's figures and the live ones: every figure, by its path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class _Missing:
    """A figure one side does not have at all (a key added or removed since the freeze)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Difference:
    """One figure whose frozen and live values differ; MISSING when a side lacks it."""

    path: str
    frozen: Any
    live: Any


def flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (path, value) for every leaf of JSON-ready data: `a.b`, `a[0]`."""
    if isinstance(data, Mapping):
        if not data and prefix:
            yield prefix, {}
        for key, value in data.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        if not data and prefix:
            yield prefix, []
        for index, value in enumerate(data):
            yield from flatten(value, f"{prefix}[{index}]")
    else:
        yield prefix, data


def differences(frozen: Mapping[str, Any], live: Mapping[str, Any]) -> list[Difference]:
    """List every figure that differs, in the frozen report's order, then the new ones."""
    before, after = dict(flatten(frozen)), dict(flatten(live))
    found = [
        Difference(path, value, after.get(path, MISSING))
        for path, value in before.items()
        if not _same(value, after.get(path, MISSING))
    ]
    found += [Difference(path, MISSING, value)
              for path, value in after.items() if path not in before]  # fmt: skip
    return found


def _same(a: Any, b: Any) -> bool:
    """Compare two JSON values; 3 and 3.0 are the same figure, True and 1 are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)
