"""When to try a request again, and how long to wait first.

Retried: connection failures and timeouts, and the statuses in ``RETRY_STATUSES``
(408, 409, 429, 5xx).  Never another 4xx: the same request would fail the same
way.  The wait is exponential with jitter, unless the server says how long
(``retry-after-ms``, ``Retry-After`` in seconds or as an HTTP date), which wins,
capped at ``max_retry_after``.
"""

from __future__ import annotations

import email.utils
import functools
import math
import random
import time
from collections.abc import Mapping
from typing import Any

import attrs

from ._errors import InputError

RETRY_STATUSES = frozenset({408, 409, 429})


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    whole = attribute.name == "max_retries"
    kinds = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value) or value < 0:
        raise InputError(
            "max_retries" if whole else f"retry.{attribute.name}",
            f"must be {'a whole number' if whole else 'a finite number'} >= 0, got {value!r}",
        )


@attrs.frozen
class RetryPolicy:
    """How many times to retry, and the backoff.  ``RetryPolicy(max_retries=0)`` never retries."""

    max_retries: int = attrs.field(default=2, validator=_non_negative)
    backoff_base: float = attrs.field(default=0.5, validator=_non_negative)
    backoff_max: float = attrs.field(default=8.0, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)

    def retries_status(self, status: int) -> bool:
        return status in RETRY_STATUSES or status >= 500

    def delay(self, retry: int, headers: Mapping[str, str] | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        hinted = retry_after(headers) if headers is not None else None
        if hinted is not None:
            return min(hinted, self.max_retry_after)
        backoff = min(self.backoff_max, self.backoff_base * 2 ** (retry - 1))
        # Jitter keeps many clients that failed together from retrying together.
        jittered: float = backoff * (0.75 + random.random() / 4)  # noqa: S311 - not cryptography
        return jittered


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The server's requested wait in seconds, if it gave a usable one."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        seconds = _finite(millis, 1000)
        if seconds is not None:
            return seconds
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _finite(value, 1)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):  # a hostile date
        return None


def _finite(text: str, per_second: float) -> float | None:
    try:
        seconds = float(text) / per_second
    except ValueError:
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def as_policy(max_retries: int | RetryPolicy) -> RetryPolicy:
    if isinstance(max_retries, RetryPolicy):
        return max_retries
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise InputError("max_retries", f"must be an int >= 0 or a RetryPolicy, got {max_retries!r}")
    return _policy(max_retries)


@functools.lru_cache(maxsize=16)
def _policy(max_retries: int) -> RetryPolicy:
    return RetryPolicy(max_retries=max_retries)
