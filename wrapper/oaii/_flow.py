"""What a call does, written once for sync and async: retries, deadlines, idempotent recovery, polling.

Each flow is a generator that does no I/O (like httpx's ``Auth.auth_flow``).
It yields what it needs done, ``Send`` or ``Sleep``, and is sent back what
happened: ``Received`` (a response) or ``Failed`` (no usable response) for a
``Send``, None for a ``Sleep``.  It returns the result or raises an
``OaiiError``.  ``_http.transport.drive`` and ``drive_async`` run a flow; they are
the only code that differs between the sync and async clients.

Errors are raised outside ``except`` blocks, so that no ``__context__`` chain
carries transport frames (whose locals hold the raw request headers).
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import httpx

from ._errors import (
    APIConnectionError,
    EarlierRunError,
    OaiiError,
    PollTimeoutError,
    ResponseParseError,
    connection_error,
)
from ._requests import Request, get_request
from ._results import error_for, run_from_answer
from ._settings import Settings

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

log = logging.getLogger("oaii")

#: Statuses after which a run will not change without the caller acting.
TERMINAL_STATUSES = frozenset(
    {"completed", "requires_action", "failed", "cancelled", "expired", "incomplete"}
)
#: An ``openai-poll-after-ms`` hint above this is treated as this: a server cannot park a poll for hours.
MAX_POLL_AFTER = 60.0
#: Same-origin 307/308 redirects followed in one exchange.
MAX_REDIRECTS = 5
MAX_LOCATION = 2048
#: A run id from the server longer than this is not a run id.
MAX_SERVER_ID = 256
# The real API's message when a thread is busy; the id is bounded so the match is linear.
_ACTIVE_RUN = re.compile(r"already has an active run (run_[A-Za-z0-9_-]{1,128})")


# ------------------------------------------------------------------ messages


class Deadline:
    """A point in time (monotonic) after which a call gives up; None for never."""

    __slots__ = ("end",)

    def __init__(self, seconds: float | None, *, end: float | None = None) -> None:
        """``seconds`` from now (None: no limit), but no later than ``end`` if given."""
        ends = [t for t in (end, None if seconds is None else time.monotonic() + seconds) if t is not None]
        self.end = min(ends) if ends else None

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def passed(self) -> bool:
        return self.end is not None and time.monotonic() >= self.end

    def timeouts(self, timeout: httpx.Timeout) -> dict[str, float | None]:
        """Per-operation timeouts, each cut to what is left."""
        values = timeout.as_dict()
        remaining = self.remaining()
        if remaining is None:
            return values
        remaining = max(remaining, 0.001)
        return {k: remaining if v is None else min(v, remaining) for k, v in values.items()}


@attrs.frozen
class Send:
    """Send ``request`` once.  With ``stream``, a 2xx body is left open for the caller."""

    request: Request
    settings: Settings
    deadline: Deadline
    stream: bool


@attrs.frozen
class Sleep:
    seconds: float


@attrs.frozen
class Received:
    """A response with its whole body (``body`` is None for a stream left open)."""

    response: httpx.Response
    body: bytes | None = attrs.field(repr=False)  # a server's bytes: they may quote the key


@attrs.frozen
class Failed:
    """No usable response.

    ``sent``: the request may have reached the server (an unknown outcome).
    ``response``: set when a response began but its body was unusable (too
    large, undecodable); that is not retried.
    """

    error: Exception
    sent: bool
    response: httpx.Response | None = None


Action: TypeAlias = Send | Sleep
Outcome: TypeAlias = Received | Failed | None
Flow: TypeAlias = Generator[Action, Outcome, Any]


@attrs.frozen
class Answer:
    """The final response of an exchange, and what it took to get it."""

    response: httpx.Response
    body: bytes | None = attrs.field(repr=False)  # a server's bytes: they may quote the key
    attempts: int
    uncertain: bool  # an earlier attempt may have reached the server
    first_sent: float  # wall-clock time of the first attempt


# ----------------------------------------------------------------- exchanges


def exchange(
    request: Request, settings: Settings, deadline: Deadline, *, stream: bool = False
) -> Generator[Action, Outcome, Answer]:
    """Send ``request`` until an answer is final: retried as the settings' policy says.

    A 307/308 to the same origin is followed with the same method and body (as
    the R package does); any other redirect is final, and its error says where.
    """
    attempt = 0
    redirects = 0
    uncertain = False
    first_sent = time.time()
    while True:
        attempt += 1
        log.debug("oaii: %s %s (attempt %d)", request.method, request.url, attempt)
        outcome = yield Send(request, settings, deadline, stream)
        if isinstance(outcome, Failed):
            if outcome.response is not None:
                raise _unusable_body(outcome, attempt)
            uncertain = uncertain or outcome.sent
            wait = _retry_wait(settings, attempt - redirects, deadline, None)
            if wait is None:
                raise connection_error(
                    outcome.error, url=request.url, secret=settings.key.value, attempts=attempt
                )
            what = "a connection failure"
        else:
            assert outcome is not None
            status = outcome.response.status_code
            target = (
                _same_origin_redirect(request.url, outcome.response) if redirects < MAX_REDIRECTS else None
            )
            if target is not None:
                log.info("oaii: following HTTP %d from %s to %s", status, request.url, target)
                redirects += 1
                request = attrs.evolve(request, url=target)
                continue
            wait = _retry_wait(settings, attempt - redirects, deadline, outcome.response)
            if wait is None:
                return Answer(outcome.response, outcome.body, attempt, uncertain, first_sent)
            uncertain = uncertain or status >= 500  # a server error may come after the work was done
            what = f"HTTP {status}"
        log.info("oaii: retrying %s %s after %s in %.3fs", request.method, request.url, what, wait)
        yield Sleep(wait)


def _same_origin_redirect(url: str, response: httpx.Response) -> str | None:
    """Where a 307/308 points, if it keeps the scheme, host and port (so the key goes nowhere new)."""
    if response.status_code not in (307, 308):
        return None
    location = response.headers.get("location", "")
    if not location or len(location) > MAX_LOCATION:
        return None
    try:
        origin = httpx.URL(url)
        target = origin.join(location)
    except (httpx.InvalidURL, ValueError):
        return None
    same = (target.scheme, target.host, target.port) == (origin.scheme, origin.host, origin.port)
    return str(target) if same and not target.userinfo else None


def _retry_wait(
    settings: Settings, attempt: int, deadline: Deadline, response: httpx.Response | None
) -> float | None:
    """Seconds to wait before another attempt, or None when this outcome is final."""
    policy = settings.retry
    if attempt > policy.max_retries:
        return None
    if response is not None and not policy.retries_status(response.status_code):
        return None
    wait = policy.delay(attempt, response.headers if response is not None else None)
    remaining = deadline.remaining()
    if remaining is not None and wait >= remaining:
        return None
    return wait


def _unusable_body(outcome: Failed, attempts: int) -> OaiiError:
    assert outcome.response is not None
    status = outcome.response.status_code
    return ResponseParseError(
        f"HTTP {status} but the body could not be read",
        status_code=status,
        message_long=f"HTTP {status} but the body could not be read: {outcome.error}",
        attempts=attempts,
    )


# --------------------------------------------------------------------- calls


def get_flow(settings: Settings, request: Request) -> Flow:
    answer = yield from exchange(request, settings, Deadline(settings.total_timeout))
    return run_from_answer(settings.key, request.url, answer)


def create_flow(
    settings: Settings, request: Request, thread_id: str, assistant_id: str, *, stream: bool = False
) -> Generator[Action, Outcome, tuple[RunObject | None, Answer]]:
    """Create a run; the run (None for a stream) and the answer that carried it.

    When a retry meets "already has an active run run_X" after an attempt whose
    outcome is unknown, and the server ignored the ``Idempotency-Key``, run_X
    may be this call's own run: it is fetched, and returned if it is.
    """
    deadline = Deadline(settings.total_timeout)
    answer = yield from exchange(request, settings, deadline, stream=stream)
    earlier = _earlier_run_id(answer)
    if earlier is not None:
        run = yield from _own_run(settings, request, thread_id, assistant_id, earlier, answer, deadline)
        if run is None or stream:
            error = error_for(settings.key, request.url, answer, EarlierRunError)
            raise _earlier_run_error(error, earlier, own=run is not None)
        return run, answer
    if stream:
        if not answer.response.is_success:
            raise error_for(settings.key, request.url, answer)
        return None, answer
    return run_from_answer(settings.key, request.url, answer), answer


def _earlier_run_id(answer: Answer) -> str | None:
    if not answer.uncertain or answer.response.status_code != 400 or not answer.body:
        return None
    try:
        error = json.loads(answer.body).get("error", {})
        message = error.get("message", "")
    except (ValueError, RecursionError, AttributeError):
        return None
    match = _ACTIVE_RUN.search(message) if isinstance(message, str) else None
    return match.group(1) if match else None


def _own_run(
    settings: Settings,
    create: Request,
    thread_id: str,
    assistant_id: str,
    run_id: str,
    answer: Answer,
    deadline: Deadline,
) -> Generator[Action, Outcome, RunObject | None]:
    """The run ``run_id`` if it is this call's own (same assistant, created since the first send)."""
    get = get_request(settings, thread_id, run_id, extra_headers=create.extra_headers, checked=True)
    try:
        found = yield from exchange(get, settings, deadline)
        run = run_from_answer(settings.key, get.url, found)
    except OaiiError:
        return None
    # created_at is the server's clock in whole seconds: a run from before this call began is not
    # its own (with the server's clock ahead of ours, an older run could still pass: README).
    if run.assistant_id == assistant_id and run.created_at >= int(answer.first_sent):
        log.info("oaii: %s was created by an earlier attempt of this call; returning it", run_id)
        return run
    return None


def _earlier_run_error(error: OaiiError, run_id: str, *, own: bool) -> OaiiError:
    if own:
        what = (
            f"an earlier attempt of this call created {run_id}, but its event stream was lost;"
            " follow the run with get_run"
        )
    else:
        what = f"an earlier attempt of this call, whose answer was lost, may have created {run_id}"
    assert isinstance(error, EarlierRunError)
    error.run_id = run_id
    error.message_long = f"{error.message_long}; {what}"
    error.args = (error.message_long,)
    return error


def poll_flow(
    settings: Settings,
    request: Request,
    thread_id: str,
    assistant_id: str,
    *,
    poll_interval: float,
    poll_timeout: float | None,
    on_status: Callable[[RunObject], None] | None,
) -> Flow:
    """Create a run, then get it until it reaches a terminal status or the poll deadline passes."""
    poll_end = Deadline(poll_timeout)
    run, answer = yield from create_flow(settings, request, thread_id, assistant_id)
    assert run is not None
    while True:
        if on_status is not None:
            on_status(run)
        if run.status in TERMINAL_STATUSES:
            return run
        run_id = _server_id(run.id, answer)
        remaining = poll_end.remaining()
        if remaining is not None and remaining <= 0:
            raise _poll_timeout(run, poll_timeout)
        wait = _poll_wait(answer.response, poll_interval)
        yield Sleep(wait if remaining is None else min(wait, remaining))
        get = get_request(settings, thread_id, run_id, extra_headers=request.extra_headers, checked=True)
        failure: OaiiError | None = None
        try:
            # poll_timeout bounds a getRun in flight too.
            answer = yield from exchange(get, settings, Deadline(settings.total_timeout, end=poll_end.end))
        except APIConnectionError as exc:
            failure = _poll_timeout(run, poll_timeout) if poll_end.passed() else exc
        if failure is not None:
            raise failure
        run = run_from_answer(settings.key, get.url, answer)


def _poll_wait(response: httpx.Response, poll_interval: float) -> float:
    hinted = response.headers.get("openai-poll-after-ms")
    if hinted is None:
        return poll_interval
    try:
        seconds = float(hinted) / 1000
    except ValueError:
        return poll_interval
    return min(max(seconds, 0.0), MAX_POLL_AFTER) if math.isfinite(seconds) else poll_interval


def _server_id(run_id: object, answer: Answer) -> str:
    # A server's id is percent-encoded into the path, whatever it holds; only its size is refused.
    # "." and ".." would be read as path steps, however they are quoted.
    if not isinstance(run_id, str) or not 0 < len(run_id) <= MAX_SERVER_ID or run_id in (".", ".."):
        raise ResponseParseError(
            "the server's run id is unusable",
            status_code=answer.response.status_code,
            message_long=(
                f"the server answered a run whose id is empty, '.', '..' or over {MAX_SERVER_ID} characters"
            ),
            attempts=answer.attempts,
        )
    return run_id


def _poll_timeout(run: RunObject, poll_timeout: float | None) -> PollTimeoutError:
    return PollTimeoutError(
        f"run {run.id[:MAX_SERVER_ID]!r} was still '{str(run.status)[:64]}'"
        f" when the poll timeout of {poll_timeout}s passed",
        run,
    )
