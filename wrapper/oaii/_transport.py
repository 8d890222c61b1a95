"""Sending a ``Call``: connection reuse, retries with backoff, and the total deadline.

``send`` and ``send_async`` are the same loop over the same policy; only the
waiting and the I/O differ.  A retry re-sends the very same bytes.  On a
retryable answer the loop waits (``RetryPolicy.delay``) unless the wait would
pass the call's total deadline, in which case the last answer is final.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from typing import TYPE_CHECKING

import attrs
import httpx

from ._call import Call
from ._errors import OaiiError, connection_error

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger("oaii")

_default_client: httpx.Client | None = None
_default_client_lock = threading.Lock()
_async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


def default_client() -> httpx.Client:
    """One ``httpx.Client`` for the process, so sequential calls reuse connections."""
    global _default_client  # noqa: PLW0603 - a lazily made process-wide pool
    if _default_client is None:
        with _default_client_lock:
            if _default_client is None:
                _default_client = httpx.Client(timeout=None)  # noqa: S113 - each request carries its own
    return _default_client


def default_async_client() -> httpx.AsyncClient:
    """One ``httpx.AsyncClient`` per event loop (a client cannot cross loops)."""
    import asyncio

    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        limits = httpx.Limits(max_connections=200)
        # Each request carries its own timeouts (see _Deadline.timeouts).
        client = _async_clients[loop] = httpx.AsyncClient(timeout=None, limits=limits)  # noqa: S113
    return client


@attrs.define
class Answer:
    """A response and how many attempts it took.  ``body`` is None while a stream is still open."""

    response: httpx.Response
    body: bytes | None
    attempts: int


class _Deadline:
    def __init__(self, seconds: float | None) -> None:
        self.end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def check(self) -> None:
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            raise httpx.ReadTimeout("total timeout passed")

    def allows_wait(self, seconds: float) -> bool:
        remaining = self.remaining()
        return remaining is None or seconds < remaining

    def timeouts(self, timeout: httpx.Timeout) -> dict[str, float | None]:
        """Per-operation timeouts, each cut to what is left of the total."""
        remaining = self.remaining()
        values = timeout.as_dict()
        if remaining is None:
            return values
        remaining = max(remaining, 0.001)
        return {k: remaining if v is None else min(v, remaining) for k, v in values.items()}


def _build(client: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
    return client.build_request(
        call.method, call.url, params=call.params, headers=call.headers, content=call.content
    )


def _retry_wait(
    call: Call, attempt: int, deadline: _Deadline, response: httpx.Response | None
) -> float | None:
    """Seconds to wait before another attempt, or None when this outcome is final."""
    if attempt > call.retry.max_retries:
        return None
    if response is not None and not call.retry.retries_status(response.status_code):
        return None
    wait = call.retry.delay(attempt, response.headers if response is not None else None)
    if not deadline.allows_wait(wait):
        return None
    what = f"HTTP {response.status_code}" if response is not None else "a connection failure"
    log.info(
        "oaii: retrying %s %s after %s in %.3fs (attempt %d)", call.method, call.url, what, wait, attempt + 1
    )
    return wait


def _failure(call: Call, exc: Exception, attempts: int) -> OaiiError:
    return connection_error(exc, url=call.url, secret=call.key.value, attempts=attempts)


def send(call: Call, client: httpx.Client | None = None, *, stream: bool = False) -> Answer:
    """Send ``call``, retrying as its policy says.  With ``stream``, a 2xx body is left unread."""
    client = client or default_client()
    deadline = _Deadline(call.total_timeout)
    request = _build(client, call)
    attempt = 0
    while True:
        attempt += 1
        response = None
        try:
            request.extensions["timeout"] = deadline.timeouts(call.timeout)
            response = client.send(request, stream=True)
            if stream and response.is_success:
                return Answer(response, None, attempt)
            chunks = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                deadline.check()
            body = b"".join(chunks)
            response.close()
        except (httpx.TransportError, httpx.StreamError) as exc:
            if response is not None:
                response.close()
            wait = _retry_wait(call, attempt, deadline, None)
            if wait is None:
                raise _failure(call, exc, attempt) from None
            time.sleep(wait)
            continue
        wait = _retry_wait(call, attempt, deadline, response)
        if wait is None:
            return Answer(response, body, attempt)
        time.sleep(wait)


async def send_async(call: Call, client: httpx.AsyncClient | None = None, *, stream: bool = False) -> Answer:
    """``send`` for asyncio."""
    import asyncio

    client = client or default_async_client()
    deadline = _Deadline(call.total_timeout)
    request = _build(client, call)
    attempt = 0
    while True:
        attempt += 1
        response = None
        try:
            request.extensions["timeout"] = deadline.timeouts(call.timeout)
            response = await client.send(request, stream=True)
            if stream and response.is_success:
                return Answer(response, None, attempt)
            chunks = []
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                deadline.check()
            body = b"".join(chunks)
            await response.aclose()
        except (httpx.TransportError, httpx.StreamError) as exc:
            if response is not None:
                await response.aclose()
            wait = _retry_wait(call, attempt, deadline, None)
            if wait is None:
                raise _failure(call, exc, attempt) from None
            await asyncio.sleep(wait)
            continue
        wait = _retry_wait(call, attempt, deadline, response)
        if wait is None:
            return Answer(response, body, attempt)
        await asyncio.sleep(wait)
