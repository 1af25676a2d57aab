"""Pages of a long list: which slice to show, read from `?page=` (never trusted)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PER_PAGE = 50
MAX_PAGE_DIGITS = 7


@dataclass(frozen=True)
class Page:
    """One page of a list of `total` items, `per_page` at a time (numbers start at 1)."""

    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """Return how many pages there are (at least one, even for an empty list)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        """Return how many items come before this page."""
        return (self.number - 1) * self.per_page

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def first_item(self) -> int:
        """Return the position (from 1) of the first item shown, 0 when there is none."""
        return min(self.offset + 1, self.total)

    @property
    def last_item(self) -> int:
        return min(self.offset + self.per_page, self.total)


def page_number(args: Mapping[str, str], name: str = "page") -> int:
    """Read ?page= (or ?<name>=): a whole number from 1, anything else means the first page."""
    raw = args.get(name, "")
    if raw.isascii() and raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS:
        return max(1, int(raw))
    return 1


def clamp(number: int, total: int, per_page: int = PER_PAGE) -> Page:
    """Return the page `number` of `total` items, the last one when beyond it."""
    page = Page(number, total, per_page)
    return Page(min(number, page.pages), total, per_page)
