"""One page of a list, as the API pages: ``limit``, ``order``, ``after``, ``before``, ``has_more``."""

from __future__ import annotations


def page_of(
    ids: list[str], limit: int, order: str, after: str | None, before: str | None
) -> tuple[list[str], bool]:
    """The ids of one page of ``ids`` (oldest first), and whether more follow it."""
    ordered = ids if order == "asc" else ids[::-1]
    start, end = 0, len(ordered)
    if after is not None:
        start = ordered.index(after) + 1 if after in ordered else end
    if before is not None and before in ordered:
        end = ordered.index(before)
        if after is None:  # the page just before ``before``; more if any precede it
            start = max(0, end - limit)
            return ordered[start:end], start > 0
    chosen = ordered[start:end]
    return chosen[:limit], len(chosen) > limit
