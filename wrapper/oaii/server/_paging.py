"""One page of a list, as the API pages: ``limit``, ``order``, ``after``, ``before``, ``has_more``.

Cursors are places, not objects.  Every id the server makes is ``prefix_`` and the store's
letters, then a count that only grows (``Store.new_id``), and each list is in the order its
objects were made, so the count of an id is its place in any list it could be in, whether
the object is still there or not.  A client that deletes what it has seen while it pages
(the SDK's ``for x in client.beta....list()``) sends ``after=<a deleted id>``: that id still
names the place to go on from, with nothing kept for it (no tombstones).  An id that is not
of this store's making names no place: ``after`` it the page is empty, ``before`` it is ignored.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

#: An id's place in the order objects were made (None: an id that names no place).
Position = Callable[[str], "int | None"]
#: Counts are below ``1 << COUNT_BITS`` (a durable store's place is its opening's ordinal
#: shifted by as much, then the count: ``_sqlite``).
COUNT_BITS = 40


def count_of(obj_id: str, head: str) -> int | None:
    """The count after ``head`` (``prefix_`` and letters) in ``obj_id``, if that is the whole
    rest of it: ASCII digits, no leading zero, below ``1 << COUNT_BITS``; else None.  Linear
    in the id."""
    if not obj_id.startswith(head):
        return None
    digits = obj_id[len(head) :]
    if not (0 < len(digits) <= 13 and digits.isascii() and digits.isdigit()) or digits[0] == "0":
        return None
    count = int(digits)
    return count if count < 1 << COUNT_BITS else None


def page_of(
    ids: Sequence[str],
    limit: int,
    order: str,
    after: str | None,
    before: str | None,
    position: Callable[[str], int | None],
) -> tuple[list[str], bool]:
    """The ids of one page of ``ids`` (oldest first, so in ``position`` order; ``position`` of
    each of them is an int), and whether more follow it.  O(limit + log n), the list is not copied."""
    lo, hi = 0, len(ids)  # the ids the cursors leave, ids[lo:hi]
    ascending = order == "asc"
    key: Callable[[str], int] = position  # type: ignore[assignment]  # (an int for every id listed)
    if after is not None:
        at = position(after)
        if at is None:
            return [], False
        if ascending:
            lo = bisect_right(ids, at, key=key)
        else:
            hi = bisect_left(ids, at, key=key)
    only_before = False
    if before is not None:
        at = position(before)
        if at is not None:
            if ascending:
                hi = min(hi, bisect_left(ids, at, key=key))
            else:
                lo = max(lo, bisect_right(ids, at, key=key))
            only_before = after is None
    if lo >= hi:
        return [], False
    # A page starts at its cursor's side: ``after`` (or none) the first in order, ``before``
    # alone the page just before it (its nearest ids, more when any precede them).
    if ascending != only_before:  # from the oldest end of ids[lo:hi]
        end = min(hi, lo + limit)
        chosen, more = list(ids[lo:end]), end < hi
    else:
        start = max(lo, hi - limit)
        chosen, more = list(ids[start:hi]), start > lo
    if not ascending:
        chosen.reverse()
    return chosen, more
