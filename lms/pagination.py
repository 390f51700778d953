"""Pages of a long list: which page a URL asks for, and which numbers a pagination bar shows."""

from __future__ import annotations

from collections.abc import Mapping


def integer_argument(value: str | None, default: int) -> int:
    """``value`` as a small whole number; ``default`` when missing or malformed."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 9:
        return default
    return int(value)


def page_argument(args: Mapping[str, str]) -> int:
    """The ``page`` of a URL's arguments; 1 when missing or malformed."""
    return max(1, integer_argument(args.get("page"), 1))


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill, at least one (an empty list still has its page)."""
    return max(1, -(-total // per_page))


def clamp_page(page: int, pages: int) -> int:
    """``page`` brought within 1 to ``pages``: a stale link shows the nearest page."""
    return min(max(1, page), pages)


def page_numbers(number: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pagination bar shows: first, last, and a few around ``number``;
    None where numbers are left out."""
    wanted = {1, pages, *range(number - around, number + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= pages)
    result: list[int | None] = []
    for number in shown:
        if result and result[-1] is not None and number - (result[-1] or 0) > 1:
            result.append(None)
        result.append(number)
    return result
