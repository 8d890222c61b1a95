"""What the local server's state keeps doing: its records, idempotency keys and runs.

Written from a mutation run over ``server/_records``, ``server/_idempotency`` and
``server/_runs``: every test here fails under at least one small change (a flipped
comparison, a dropped statement, a constant off by one) that the rest of the suite
let through.  They pin behaviour, not speed: the bounds, the expiry times, the order
of eviction, the exact JSON of a run.  Time-based expiry runs on a fake clock,
patched into the one module that reads it; no test sleeps.
"""

from __future__ import annotations

import json
import re
import time
import types
from typing import Any

import httpx
import pytest
from oaii.server import LocalServer, _idempotency, _runs, new_run
from oaii.server._idempotency import IdempotencyKeys, Seen
from oaii.server._records import Fault, FaultQueue, RecordedRequest, Recorder
from oaii.server._runs import Run

from ..conftest import KEY, spec_has
from ._scripted import Store, advance, cancel, stream_events, submit_tool_outputs

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
PATH = "/v1/threads/thread_1/runs"
_serial = iter(range(10**9))


class Clock:
    """A ``time.monotonic`` that moves only when a test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def use_clock(monkeypatch: pytest.MonkeyPatch, module: types.ModuleType, clock: Clock) -> None:
    """``module``'s monotonic clock is ``clock`` (whether it reads ``time.monotonic`` or its own name)."""
    patched = False
    if getattr(module, "monotonic", None) is time.monotonic:
        monkeypatch.setattr(module, "monotonic", clock)
        patched = True
    if getattr(module, "time", None) is time:
        fake = types.SimpleNamespace(**{n: getattr(time, n) for n in dir(time) if not n.startswith("__")})
        fake.monotonic = clock
        monkeypatch.setattr(module, "time", fake)
        patched = True
    assert patched, f"{module.__name__} reads its clock some other way: teach use_clock"


@pytest.fixture
def idem_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    use_clock(monkeypatch, _idempotency, clock)
    return clock


def seen(body: bytes | dict[str, Any], path: str = PATH, query: dict[str, list[str]] | None = None) -> Seen:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Seen("POST", path, query or {}, raw)


def body_of(size: int, tag: str = "a") -> bytes:
    """A JSON body of exactly ``size`` bytes."""
    start = b'{"assistant_id": "asst_' + tag.encode() + b'", "instructions": "'
    raw = start + b"x" * (size - len(start) - 2) + b'"}'
    assert len(raw) == size
    return raw


# ------------------------------------------------------------------ idempotency keys


def test_a_key_lives_exactly_ttl_seconds_and_keys_expire_oldest_first(idem_clock: Clock) -> None:
    keys = IdempotencyKeys(ttl=10.0)
    keys.remember("a", seen({"assistant_id": "asst_a"}), "run_a")
    idem_clock.now = 1005.0
    keys.remember("b", seen({"assistant_id": "asst_b"}), "run_b")
    idem_clock.now = 1010.0  # a's ttl, to the second: still known
    assert keys.lookup("a", seen({"assistant_id": "asst_a"})) == (True, "run_a")
    assert len(keys) == 2
    idem_clock.now = 1010.5  # past a's ttl, within b's
    assert keys.lookup("a", seen({"assistant_id": "asst_a"})) == (False, None)
    assert keys.lookup("b", seen({"assistant_id": "asst_b"})) == (True, "run_b")
    assert keys.lookup("b", seen({"assistant_id": "asst_x"})) == (True, None)
    assert len(keys) == 1
    idem_clock.now = 1015.0
    assert keys.lookup("b", seen({"assistant_id": "asst_b"})) == (True, "run_b")
    idem_clock.now = 1015.5
    assert keys.lookup("b", seen({"assistant_id": "asst_b"})) == (False, None)
    assert len(keys) == 0
    # an empty set of keys starts afresh: a new key has its own full ttl
    idem_clock.now = 2000.0
    keys.remember("c", seen({"assistant_id": "asst_c"}), "run_c")
    idem_clock.now = 2009.0
    assert keys.lookup("c", seen({"assistant_id": "asst_c"})) == (True, "run_c")
    idem_clock.now = 2010.5
    assert keys.lookup("c", seen({"assistant_id": "asst_c"})) == (False, None)


def test_a_key_expires_on_lookup_even_when_it_is_not_the_one_looked_up(idem_clock: Clock) -> None:
    keys = IdempotencyKeys(ttl=1.0)
    for index in range(3):
        keys.remember(f"k{index}", seen({"assistant_id": f"asst_{index}"}), f"run_{index}")
    idem_clock.now = 1002.0
    assert keys.lookup("other", seen({"assistant_id": "asst_0"})) == (False, None)
    assert len(keys) == 0


def test_a_key_remembered_again_is_the_newest(idem_clock: Clock) -> None:
    keys = IdempotencyKeys(max_keys=2, ttl=10.0)
    keys.remember("a", seen({"assistant_id": "asst_a"}), "run_a1")
    keys.remember("b", seen({"assistant_id": "asst_b"}), "run_b")
    idem_clock.now = 1008.0
    keys.remember("a", seen({"assistant_id": "asst_a2"}), "run_a2")  # a again: now the newest
    keys.remember("c", seen({"assistant_id": "asst_c"}), "run_c")  # past max_keys: b, the oldest, goes
    assert len(keys) == 2
    assert keys.lookup("b", seen({"assistant_id": "asst_b"})) == (False, None)
    assert keys.lookup("a", seen({"assistant_id": "asst_a2"})) == (True, "run_a2")
    assert keys.lookup("a", seen({"assistant_id": "asst_a"})) == (True, None)
    assert keys.lookup("c", seen({"assistant_id": "asst_c"})) == (True, "run_c")
    idem_clock.now = 1012.0  # a's first time is past its ttl; its second is not
    assert keys.lookup("a", seen({"assistant_id": "asst_a2"})) == (True, "run_a2")


def test_past_max_keys_the_oldest_key_goes() -> None:
    keys = IdempotencyKeys(max_keys=2)
    for name in "abc":
        keys.remember(name, seen({"assistant_id": f"asst_{name}"}), f"run_{name}")
    assert len(keys) == 2
    assert keys.lookup("a", seen({"assistant_id": "asst_a"})) == (False, None)
    assert keys.lookup("b", seen({"assistant_id": "asst_b"})) == (True, "run_b")
    assert keys.lookup("c", seen({"assistant_id": "asst_c"})) == (True, "run_c")


def test_bodies_are_kept_as_sent_up_to_max_raw_bytes_then_as_digests(
    monkeypatch: pytest.MonkeyPatch, idem_clock: Clock
) -> None:
    size = 100
    monkeypatch.setattr(_idempotency, "MAX_RAW_BYTES", 2 * size)
    keys = IdempotencyKeys(ttl=10.0)
    a, b, c = seen(body_of(size, "a")), seen(body_of(size, "b")), seen(body_of(size, "c"))
    keys.remember("a", a, "run_a")
    keys.remember("b", b, "run_b")  # exactly at the bound: still kept as sent
    assert a.raw == body_of(size, "a") and b.raw == body_of(size, "b")
    keys.remember("c", c, "run_c")  # past it: kept as its digest only
    assert c.raw is None
    # a digest-only body still matches a JSON-equal retry, and only that
    spaced = json.dumps(json.loads(body_of(size, "c")), indent=1).encode()
    assert keys.lookup("c", seen(spaced)) == (True, "run_c")
    assert keys.lookup("c", seen(body_of(size, "d"))) == (True, None)
    # a key remembered again gives back what its first body held
    a2 = seen(body_of(size, "a"))
    keys.remember("a", a2, "run_a2")
    assert a2.raw is not None
    # keys that expire give back what their bodies held, and nothing more
    idem_clock.now = 1011.0
    assert keys.lookup("zzz", seen(body_of(size))) == (False, None)
    assert len(keys) == 0
    whole = seen(body_of(2 * size))
    keys.remember("w", whole, "run_w")
    assert whole.raw is not None
    over = seen(body_of(size))
    keys.remember("o", over, "run_o")
    assert over.raw is None


def test_sixteen_mebibytes_of_bodies_are_kept_as_sent() -> None:
    keys = IdempotencyKeys()
    whole = seen(body_of(16 * 2**20))
    keys.remember("whole", whole, "run_w")
    assert whole.raw is not None
    more = seen(b"{}")
    keys.remember("more", more, "run_m")
    assert more.raw is None and keys.lookup("more", seen(b"{ }")) == (True, "run_m")


def test_keys_dropped_past_max_keys_give_back_their_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    size = 100
    monkeypatch.setattr(_idempotency, "MAX_RAW_BYTES", 2 * size)
    keys = IdempotencyKeys(max_keys=1)
    for tag in "abcd":  # one key kept at a time: a body never waits on more than one other
        request = seen(body_of(size, tag))
        keys.remember(tag, request, f"run_{tag}")
        assert request.raw is not None, tag
    assert len(keys) == 1


def test_the_request_head_is_method_path_and_query() -> None:
    keys = IdempotencyKeys()
    body = {"assistant_id": "asst_1"}
    keys.remember("k", seen(body, query={"include[]": ["x"]}), "run_1")
    assert keys.lookup("k", seen(body, query={"include[]": ["x"]})) == (True, "run_1")
    assert keys.lookup("k", seen(body)) == (True, None)
    assert keys.lookup("k", seen(body, query={"include[]": ["y"]})) == (True, None)
    assert keys.lookup("k", seen(body, path="/v1/threads/thread_2/runs", query={"include[]": ["x"]})) == (
        True,
        None,
    )
    raw = json.dumps(body).encode()
    assert keys.lookup("k", Seen("PUT", PATH, {"include[]": ["x"]}, raw)) == (True, None)


def test_the_default_bounds_are_ten_thousand_keys_for_a_day(idem_clock: Clock) -> None:
    keys = IdempotencyKeys()
    raw = b'{"assistant_id": "asst_1"}'
    for index in range(10_001):
        keys.remember(f"k{index}", Seen("POST", PATH, {}, raw), f"run_{index}")
    assert len(keys) == 10_000
    assert keys.lookup("k0", Seen("POST", PATH, {}, raw)) == (False, None)
    assert keys.lookup("k1", Seen("POST", PATH, {}, raw)) == (True, "run_1")
    idem_clock.now = 1000.0 + 24 * 3600
    assert keys.lookup("k1", Seen("POST", PATH, {}, raw)) == (True, "run_1")
    idem_clock.now = 1000.5 + 24 * 3600
    assert keys.lookup("k1", Seen("POST", PATH, {}, raw)) == (False, None)
    server = LocalServer(create_missing=True)
    try:  # the server's own defaults are the same
        assert (server.idempotency_keys.max_keys, server.idempotency_keys.ttl) == (10_000, 24 * 3600.0)
    finally:
        server.stop()


# ------------------------------------------------------------------ recorded requests


def recorded(
    headers: list[tuple[bytes, bytes]], *, key_at: int | None = -1, target: bytes = PATH.encode()
) -> RecordedRequest:
    return RecordedRequest("POST", target, list(headers), b'{"k": [1, "\\u00e9"]}', size=7, key_at=key_at)


def test_a_recorded_request_shows_its_path_query_headers_and_body() -> None:
    request = RecordedRequest(
        "POST",
        b"/v1/threads/caf\xe9/runs?a=1&b=&a=2&c=x%20y",
        [(b"Host", b"x"), (b"X-Rep", b"1"), (b"X-Colon", b"a: b:c"), (b"x-rep", b"3"), (b"X-Rep", b"2")],
        b'{"k": [1, "\\u00e9"]}',
        size=42,
    )
    assert request.method == "POST" and request.size == 42
    assert request.path == "/v1/threads/caf\u00e9/runs"
    assert request.query == {"a": ["1", "2"], "b": [""], "c": ["x y"]}
    assert request.query is request.query  # parsed once
    assert request.headers == {"Host": "x", "X-Rep": "2", "X-Colon": "a: b:c", "x-rep": "3"}
    assert list(request.headers) == ["Host", "X-Rep", "X-Colon", "x-rep"]
    assert request.json() == {"k": [1, "\u00e9"]}
    assert repr(request) == (
        "RecordedRequest(method='POST', path='/v1/threads/caf\u00e9/runs', "
        "query={'a': ['1', '2'], 'b': [''], 'c': ['x y']}, "
        "headers={'Host': 'x', 'X-Rep': '2', 'X-Colon': 'a: b:c', 'x-rep': '3'}, "
        'body=b\'{"k": [1, "\\\\u00e9"]}\')'
    )


@pytest.mark.parametrize(
    ("target", "path", "query"),
    [
        (b"/v1/x", "/v1/x", {}),
        (b"/v1/x?", "/v1/x", {}),
        (b"/v1/x??a=1", "/v1/x", {"?a": ["1"]}),
        (b"/v1/x?flag", "/v1/x", {"flag": [""]}),
    ],
)
def test_a_recorded_target_splits_at_its_first_question_mark(
    target: bytes, path: str, query: dict[str, list[str]]
) -> None:
    request = RecordedRequest("GET", target, [], b"")
    assert (request.path, request.query, request.headers, request.size) == (path, query, {}, 0)
    assert not request.authorized_with("")


def test_a_header_value_with_a_newline_is_kept_whole() -> None:
    # llhttp refuses such a value; built by hand, the views must still be right
    request = recorded([(b"X-A", b"one\ntwo"), (b"X-B", b"3")])
    assert request.headers == {"X-A": "one\ntwo", "X-B": "3"}
    single = recorded([(b"X-Only", b"")])
    assert single.headers == {"X-Only": ""}


@pytest.mark.parametrize(
    ("value", "shown", "key"),
    [
        (b"Bearer sk-1", "Bearer [redacted]", "sk-1"),
        (b"bearer   sk-1 \t", "bearer [redacted]", "sk-1"),
        (b"BEARER sk-1", "BEARER [redacted]", "sk-1"),
        (b"Basic dXNlcjpwYXNz", "Basic [redacted]", None),
        (b"Token a b", "Token [redacted]", None),
        (b"sk-bare", "[redacted]", None),
        (b"Bearer", "[redacted]", None),
        (b"Bearer\tsk-1", "[redacted]", None),
    ],
)
@pytest.mark.parametrize("key_at", [-1, 1])
def test_the_key_is_redacted_and_only_its_digest_kept(
    value: bytes, shown: str, key: str | None, key_at: int
) -> None:
    request = recorded([(b"Host", b"x"), (b"Authorization", value), (b"X-After", b"y")], key_at=key_at)
    assert request.headers == {"Host": "x", "Authorization": shown, "X-After": "y"}
    assert value.decode() not in repr(request)
    if key is not None:
        assert request.authorized_with(key)
        assert not request.authorized_with(key + "x") and not request.authorized_with(key[:-1])
    else:
        assert not request.authorized_with("sk-bare") and not request.authorized_with("dXNlcjpwYXNz")
        assert not request.authorized_with(value.decode().partition(" ")[2])


def test_every_authorization_header_is_redacted_and_the_last_one_counts() -> None:
    request = recorded(
        [(b"AUTHORIZATION", b"Bearer sk-first"), (b"Host", b"x"), (b"authorization", b"Bearer sk-last")]
    )
    assert request.headers == {
        "AUTHORIZATION": "Bearer [redacted]",
        "Host": "x",
        "authorization": "Bearer [redacted]",
    }
    assert request.authorized_with("sk-last") and not request.authorized_with("sk-first")
    # a header whose name only starts or ends like it is not the key
    other = recorded(
        [(b"Authorizations", b"Bearer a"), (b"X-Authorization", b"Bearer b"), (b"Cache-Control", b"Bearer c")]
    )
    assert other.headers == {
        "Authorizations": "Bearer a",
        "X-Authorization": "Bearer b",
        "Cache-Control": "Bearer c",  # as long as "Authorization", and not it
    }
    assert not any(other.authorized_with(key) for key in "abc")


def test_key_at_says_where_the_key_is() -> None:
    at_two = recorded(
        [(b"Authorization", b"Bearer sk-0"), (b"Host", b"x"), (b"Authorization", b"Bearer sk-2")], key_at=2
    )
    assert at_two.headers["Host"] == "x"
    assert at_two.authorized_with("sk-2") and not at_two.authorized_with("sk-0")
    nowhere = recorded([(b"Host", b"x")], key_at=None)
    assert nowhere.headers == {"Host": "x"} and not nowhere.authorized_with("")


def test_the_server_records_the_key_redacted_and_knows_it(server: LocalServer) -> None:
    with httpx.Client(base_url=server.url) as http:
        answers = [
            http.post("/threads/thread_rec/runs", json={"assistant_id": "asst_1"}, headers=HEADERS),
            http.get("/threads/thread_rec/runs", headers={"OpenAI-Beta": "assistants=v2"}),
            http.get(
                "/threads/thread_rec/runs?limit=1&order=asc",
                headers={**HEADERS, "Authorization": f"bearer {KEY}"},
            ),
        ]
    assert [r.status_code for r in answers] == [200, 401, 200]
    made, bare, lowered = server.requests
    assert made.method == "POST" and made.path == "/v1/threads/thread_rec/runs" and made.query == {}
    assert made.json() == {"assistant_id": "asst_1"} and made.headers["Authorization"] == "Bearer [redacted]"
    assert made.authorized_with(KEY) and not made.authorized_with(KEY[:-1])
    assert "Authorization" not in bare.headers and not bare.authorized_with(KEY)
    assert lowered.query == {"limit": ["1"], "order": ["asc"]} and lowered.authorized_with(KEY)
    assert lowered.headers["Authorization"] == "bearer [redacted]"
    assert all(KEY not in repr(r) for r in server.requests)
    assert made.size > len(made.body) > 0 and bare.size > 0 and bare.body == b""


def sized(size: int, tag: str = "") -> RecordedRequest:
    return RecordedRequest("GET", f"/{tag}".encode(), [], b"", size=size)


def test_the_recorder_keeps_the_newest_within_its_count_and_bytes() -> None:
    recorder = Recorder(max_count=3, max_bytes=100)
    for index in range(5):
        recorder.add(sized(10, str(index)))
    assert [r.path for r in recorder.snapshot()] == ["/2", "/3", "/4"] and recorder.size_bytes == 30
    recorder.add(sized(70, "big"))  # four past the count, and 100 bytes: the oldest goes, for the count
    assert [r.path for r in recorder.snapshot()] == ["/3", "/4", "/big"] and recorder.size_bytes == 90
    recorder.add(sized(11, "over"))  # 101 bytes: the oldest go until they fit
    assert [r.path for r in recorder.snapshot()] == ["/4", "/big", "/over"] and recorder.size_bytes == 91
    recorder.add(sized(100, "all"))  # exactly the bound: kept, alone
    assert [r.path for r in recorder.snapshot()] == ["/all"] and recorder.size_bytes == 100
    recorder.add(sized(0, "free"))
    assert [r.path for r in recorder.snapshot()] == ["/all", "/free"] and recorder.size_bytes == 100


def test_a_request_larger_than_the_recorders_bytes_is_not_kept() -> None:
    recorder = Recorder(max_count=10, max_bytes=100)
    recorder.add(sized(101, "huge"))
    assert recorder.snapshot() == [] and recorder.size_bytes == 0


def test_a_request_too_large_to_record_drops_no_other() -> None:
    recorder = Recorder(max_count=10, max_bytes=100)
    recorder.add(sized(60, "kept"))
    recorder.add(sized(101, "huge"))
    assert [r.path for r in recorder.snapshot()] == ["/kept"] and recorder.size_bytes == 60


def test_the_recorder_snapshot_is_a_copy_and_clear_empties_it() -> None:
    recorder = Recorder(max_count=10, max_bytes=1000)
    recorder.add(sized(5, "a"))
    snapshot = recorder.snapshot()
    recorder.add(sized(5, "b"))
    assert [r.path for r in snapshot] == ["/a"] and len(recorder.snapshot()) == 2
    recorder.clear()
    assert recorder.snapshot() == [] and recorder.size_bytes == 0
    recorder.add(sized(1000, "c"))  # the bytes counted before clear() are forgotten
    assert [r.path for r in recorder.snapshot()] == ["/c"] and recorder.size_bytes == 1000


def test_the_server_counts_each_request_by_its_head_and_body() -> None:
    with (
        LocalServer(create_missing=True, max_recorded=2) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        for index in range(3):
            http.post(f"/threads/thread_c{index}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
        kept = server.requests
        assert [r.path for r in kept] == ["/v1/threads/thread_c1/runs", "/v1/threads/thread_c2/runs"]
        assert server.recorder.size_bytes == sum(r.size for r in kept)
        assert all(len(r.body) < r.size < len(r.body) + 1000 for r in kept)


def test_faults_come_out_in_the_order_they_went_in() -> None:
    queue = FaultQueue()
    assert queue.pop() is None
    first, second, third = Fault(status=500), Fault(status=502), Fault("hang", seconds=1.0)
    queue.extend((first, second))
    queue.extend((third,))
    assert [queue.pop(), queue.pop(), queue.pop(), queue.pop()] == [first, second, third, None]


def test_a_fault_defaults_to_a_500_status() -> None:
    fault = Fault()
    assert (fault.kind, fault.status, fault.body, fault.headers, fault.seconds) == (
        "status",
        500,
        b"",
        {},
        0.0,
    )
    assert (fault.patch, fault.drop) == ({}, ())


@pytest.mark.parametrize("status", [200, 201, 299, 418, 429, 503, 599])
def test_a_fault_status_from_200_to_599_is_taken(status: int) -> None:
    assert Fault(status=status).status == status


@pytest.mark.parametrize("status", [100, 199, 204, 304, 600, True, 500.0, "500"])
def test_a_fault_status_that_cannot_frame_a_body_is_refused(status: Any) -> None:
    with pytest.raises(ValueError) as refused:
        Fault(status=status)
    assert (
        str(refused.value)
        == f"fault status must be an int from 200 to 599 other than 204 and 304, got {status!r}"
    )


@pytest.mark.parametrize("kind", ["status", "reset", "truncate", "drip", "hang", "patch", "drop_response"])
def test_every_fault_kind_is_known(kind: str) -> None:
    assert Fault(kind).kind == kind


@pytest.mark.parametrize("kind", ["", "Status", "drop", "timeout"])
def test_an_unknown_fault_kind_is_refused(kind: str) -> None:
    kinds = ["drip", "drop_response", "hang", "patch", "reset", "status", "truncate"]
    with pytest.raises(ValueError) as refused:
        Fault(kind)
    assert str(refused.value) == f"unknown fault kind {kind!r}; one of {kinds}"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Ok": "v\t1 \xe9 !~"},
        {"x!#$%&'*+-.^_`|~09Az": ""},
        {"Content-Type": "text/html", "Retry-After": "1"},
    ],
)
def test_fault_headers_that_http_can_carry_are_taken(headers: dict[str, str]) -> None:
    assert Fault(headers=headers).headers == headers


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"Bad Name": "v"}, "is not a valid HTTP header"),
        ({"": "v"}, "is not a valid HTTP header"),
        ({"X:Y": "v"}, "is not a valid HTTP header"),
        ({"X-A": "a\nb"}, "is not a valid HTTP header"),
        ({"X-A": "a\rb"}, "is not a valid HTTP header"),
        ({"X-A": "a\x00"}, "is not a valid HTTP header"),
        ({"X-A": "\x08"}, "is not a valid HTTP header"),
        ({"X-A": "\x1f"}, "is not a valid HTTP header"),
        ({"X-A": "\x7f"}, "is not a valid HTTP header"),
        ({"X-A": "\u20ac"}, "is not a valid HTTP header"),
        ({"Content-Length": "1"}, "is set by the server itself"),
        ({"transfer-ENCODING": "chunked"}, "is set by the server itself"),
    ],
)
def test_fault_headers_that_would_break_the_framing_are_refused(headers: dict[str, str], words: str) -> None:
    (name,) = headers
    with pytest.raises(ValueError) as refused:
        Fault(headers=headers)
    assert str(refused.value) == f"fault header {name!r} {words}"


# ------------------------------------------------------------------------------ runs

DEFAULT_TRUNCATION = {"type": "auto", "last_messages": None}


def queued_run(run: dict[str, Any], **given: Any) -> dict[str, Any]:
    """The queued run the API would send for ``run``'s ids and times, with ``given`` set: every
    field, in the API's order."""
    expected = {
        "id": run["id"],
        "object": "thread.run",
        "created_at": run["created_at"],
        "assistant_id": "asst_1",
        "thread_id": run["thread_id"],
        "status": "queued",
        "required_action": None,
        "last_error": None,
        "expires_at": run["expires_at"],
        "started_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "incomplete_details": None,
        "model": "gpt-4o",
        "instructions": "You are a helpful assistant.",
        "tools": [],
        "metadata": {},
        "usage": None,
        "temperature": 1.0,
        "top_p": 1.0,
        "max_prompt_tokens": None,
        "max_completion_tokens": None,
        "truncation_strategy": DEFAULT_TRUNCATION,
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        "response_format": "auto",
    }
    for name, value in given.items():
        assert name in expected, name
        expected[name] = value
    return expected


def skip_unless_run_shape() -> None:
    from oaii.server._schema import object_shape

    names, _ = object_shape("RunObject")
    if set(names) != set(queued_run({"id": "", "created_at": 0, "thread_id": "", "expires_at": 0})):
        pytest.skip("the vendored spec's RunObject has other fields (regenerated from another version)")


FULL_BODY: dict[str, Any] = {
    "assistant_id": "asst_1",
    "model": "gpt-4o-mini",
    "instructions": "Be brief.",
    "additional_instructions": "And kind \u00e9\u2028.",
    "tools": [{"type": "function", "function": {"name": "f"}}, {"type": "code_interpreter"}],
    "metadata": {"k": "v", "\u043a": "\u0437"},
    "temperature": 0.5,
    "top_p": 0.25,
    "max_prompt_tokens": 256,
    "max_completion_tokens": 512,
    "truncation_strategy": {"type": "last_messages", "last_messages": 3},
    "tool_choice": "required",
    "parallel_tool_calls": False,
    "response_format": {"type": "json_object"},
}
GIVEN_BY_BODY: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"assistant_id": "asst_1"}, {}),
    (
        {
            "assistant_id": "asst_1",
            "instructions": "",
            "model": "",
            "additional_instructions": "",
            "tools": [],
        },
        {},
    ),
    (
        {"assistant_id": "asst_1", "additional_instructions": "More."},
        {"instructions": "You are a helpful assistant. More."},
    ),
    (
        {
            "assistant_id": "asst_1",
            "temperature": None,
            "top_p": None,
            "truncation_strategy": None,
            "tool_choice": None,
        },
        {},
    ),
    ({"assistant_id": "asst_1", "top_p": 0.5}, {"top_p": 0.5}),
    ({"assistant_id": "asst_1", "max_completion_tokens": 300}, {"max_completion_tokens": 300}),
    (
        {"assistant_id": "asst_1", "response_format": "auto", "parallel_tool_calls": False},
        {"parallel_tool_calls": False},
    ),
    (
        FULL_BODY,
        {
            "model": "gpt-4o-mini",
            "instructions": "Be brief. And kind \u00e9\u2028.",
            "tools": FULL_BODY["tools"],
            "metadata": FULL_BODY["metadata"],
            **{
                k: FULL_BODY[k]
                for k in ("temperature", "top_p", "max_prompt_tokens", "max_completion_tokens")
            },
            **{k: FULL_BODY[k] for k in ("truncation_strategy", "tool_choice", "parallel_tool_calls")},
            "response_format": FULL_BODY["response_format"],
        },
    ),
]


@pytest.mark.parametrize(("body", "given"), GIVEN_BY_BODY)
def test_a_new_run_is_the_apis_queued_run_to_the_byte(
    reused_server: LocalServer, body: dict[str, Any], given: dict[str, Any]
) -> None:
    skip_unless_run_shape()
    thread = f"thread_shape{next(_serial)}"
    with httpx.Client(base_url=reused_server.url) as http:
        made = http.post(f"/threads/{thread}/runs", json=body, headers=HEADERS)
        listed = http.get(f"/threads/{thread}/runs", headers=HEADERS)
    assert made.status_code == 200, made.text
    run = made.json()
    expected = queued_run(run, **given)
    assert run["thread_id"] == thread and run["expires_at"] - run["created_at"] == 600
    assert made.content == json.dumps(expected).encode()
    assert listed.json()["data"] == [expected]
    assert list(listed.json()["data"][0]) == list(expected)


@pytest.mark.parametrize(("body", "given"), GIVEN_BY_BODY)
def test_new_run_makes_the_same_run(body: dict[str, Any], given: dict[str, Any]) -> None:
    skip_unless_run_shape()
    run = new_run("run_x", "thread_x", body)
    assert list(run.items()) == list(queued_run(run, **given).items())
    assert run["id"] == "run_x" and run["thread_id"] == "thread_x"
    assert abs(run["created_at"] - time.time()) < 5 and run["expires_at"] == run["created_at"] + 600


def test_each_new_run_has_its_own_defaults() -> None:
    run = new_run("run_x", "thread_x", {"assistant_id": "asst_1"})
    run["metadata"]["new"] = "1"
    run["tools"].append({"type": "code_interpreter"})
    truncation = spec_has("response:truncation_strategy")  # not on Assistants v1's runs
    if truncation:
        run["truncation_strategy"]["last_messages"] = 9
    again = new_run("run_y", "thread_x", {"assistant_id": "asst_1"})
    assert (again["metadata"], again["tools"]) == ({}, [])
    if truncation:
        assert again["truncation_strategy"] == DEFAULT_TRUNCATION


def test_the_first_run_learns_the_shape_and_trusts_the_template(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_unless_run_shape()
    monkeypatch.setattr(_runs, "_RUN_SHAPE", None)  # as in a new process
    monkeypatch.setattr(_runs, "_TEMPLATE", False)
    text = _runs.run_json("run_x", "thread_x", FULL_BODY, 1000, 1600)
    assert _runs._RUN_SHAPE is False and _runs._TEMPLATE is True
    run = _runs.queued_run("run_x", "thread_x", FULL_BODY, 1000, 1600)
    assert text == json.dumps(run) and run == new_run("run_x", "thread_x", FULL_BODY) | {
        "created_at": 1000,
        "expires_at": 1600,
    }
    plain_text = _runs.run_json("run_y", "thread_y", BODY, 1000, 1600)
    plain = _runs.queued_run("run_y", "thread_y", BODY, 1000, 1600)
    assert plain_text == json.dumps(plain) and list(plain.items()) == list(queued_run(plain).items())


def test_a_template_that_differs_from_the_encoder_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_unless_run_shape()
    from json.encoder import py_encode_basestring

    monkeypatch.setattr(_runs, "_RUN_SHAPE", None)
    monkeypatch.setattr(_runs, "_TEMPLATE", False)
    monkeypatch.setattr(_runs, "_string", py_encode_basestring)  # a template that keeps 'é' unescaped
    body = {"assistant_id": "asst_1", "instructions": "caf\u00e9"}
    text = _runs.run_json("run_x", "thread_x", body, 1000, 1600)
    run = _runs.queued_run("run_x", "thread_x", body, 1000, 1600)
    assert _runs._TEMPLATE is False and text is None
    assert run["instructions"] == "caf\u00e9" and list(run) == list(queued_run(run))


@pytest.mark.parametrize(
    ("expiry", "seconds"),
    [(0.0, 1), (0.001, 1), (0.5, 1), (1.0, 1), (1.0005, 1), (1.2, 2), (2.0, 2), (599.01, 600), (600.0, 600)],
)
def test_a_run_expires_at_its_expiry_rounded_up_to_a_second(expiry: float, seconds: int) -> None:
    run = new_run("run_x", "thread_x", {"assistant_id": "asst_1"}, expiry)
    assert run["expires_at"] - run["created_at"] == seconds


def test_the_server_gives_its_run_expiry_to_each_run() -> None:
    with (
        LocalServer(create_missing=True, run_expiry=2.5) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        run = http.post("/threads/thread_ex/runs", json={"assistant_id": "asst_1"}, headers=HEADERS).json()
    assert run["expires_at"] - run["created_at"] == 3


@pytest.fixture
def runs_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    use_clock(monkeypatch, _runs, clock)
    return clock


BODY = {"assistant_id": "asst_1"}


def finish(store: Store, run: Run) -> Run:
    while run.data["status"] in ("queued", "in_progress"):
        advance(run, store)
    assert run.data["status"] == "completed"
    return run


def test_ids_name_their_kind_and_count_up() -> None:
    store = Store()
    first, second, step = store.new_id("run"), store.new_id("run"), store.new_id("step")
    letters = first[4:12]
    assert re.fullmatch(r"[0-9a-f]{8}", letters)
    assert (first, second, step) == (f"run_{letters}1", f"run_{letters}2", f"step_{letters}3")
    other = Store()
    assert re.fullmatch(r"msg_[0-9a-f]{8}1", other.new_id("msg")) and other.letters != letters


def test_a_run_is_found_only_on_its_own_thread(runs_clock: Clock) -> None:
    store = Store(expiry=10.0)
    run = store.create("thread_a", BODY, 50)
    run_id = run.data["id"]
    assert re.fullmatch(r"run_[0-9a-f]{8}1", run_id)
    assert store.get("thread_a", run_id) is run and store.get("thread_b", run_id) is None
    assert store.get("thread_a", "run_nope") is None
    assert store.active_run("thread_a") == run_id and store.active_run("thread_b") is None
    # a run costs the bytes of the body it came from and 1 KiB of its own
    assert store.threads == {"thread_a": [run_id]} and store.bytes == run.size == 50 + 1024
    assert run.deadline == 1010.0


def test_an_active_run_expires_at_its_deadline_and_not_before(runs_clock: Clock) -> None:
    store = Store(expiry=10.0)
    run = store.create("thread_a", BODY)
    advance(run, store)  # in_progress
    runs_clock.now = 1009.5
    assert store.get("thread_a", run.data["id"]).data["status"] == "in_progress"  # type: ignore[union-attr]
    assert store.active_run("thread_a") == run.data["id"]
    runs_clock.now = 1010.0
    assert store.active_run("thread_a") is None
    assert run.data["status"] == "expired" and run.data["required_action"] is None
    # a finished run does not expire
    done = finish(store, store.create("thread_b", BODY))
    runs_clock.now = 5000.0
    assert store.get("thread_b", done.data["id"]) is done and done.data["status"] == "completed"


@pytest.mark.parametrize("via", ["get", "list", "active_run"])
def test_every_look_at_a_run_expires_it(runs_clock: Clock, via: str) -> None:
    store = Store(expiry=1.0)
    run = store.create(
        "thread_a", {"assistant_id": "asst_1", "tools": [{"type": "function", "function": {"name": "f"}}]}
    )
    advance(run, store)
    advance(run, store)
    assert run.data["status"] == "requires_action" and run.data["required_action"] is not None
    runs_clock.now = 1001.0
    if via == "get":
        store.get("thread_a", run.data["id"])
    elif via == "list":
        assert store.list("thread_a", 20, "desc", None, None)[0][0]["status"] == "expired"
    else:
        store.active_run("thread_a")
    assert run.data["status"] == "expired" and run.data["required_action"] is None


def test_the_oldest_finished_run_is_evicted_first(runs_clock: Clock) -> None:
    store = Store(max_runs=3)
    active = store.create("thread_0", BODY)  # stays queued
    done = [finish(store, store.create(f"thread_{i}", BODY)) for i in (1, 2)]
    newest = store.create("thread_3", BODY)  # four runs: the oldest finished one goes, not the active one
    assert list(store.order) == [done[1].data["id"], newest.data["id"], active.data["id"]]
    assert store.get("thread_1", done[0].data["id"]) is None
    assert "thread_1" not in store.threads and store.active_run("thread_1") is None
    assert store.active_run("thread_0") == active.data["id"]
    assert store.bytes == 3 * _runs.RUN_OVERHEAD


def test_an_evicted_run_leaves_its_threads_newer_runs(runs_clock: Clock) -> None:
    store = Store(max_runs=2)
    old = finish(store, store.create("thread_t", BODY))
    mid = finish(store, store.create("thread_t", BODY))
    new = store.create("thread_t", BODY)
    assert store.threads["thread_t"] == [mid.data["id"], new.data["id"]]
    assert store.active_run("thread_t") == new.id
    assert store.get("thread_t", old.data["id"]) is None
    listed, more = store.list("thread_t", 20, "asc", None, None)
    assert [r["id"] for r in listed] == [mid.data["id"], new.data["id"]] and not more


def test_a_run_evicted_behind_its_threads_older_active_run_leaves_that_one(runs_clock: Clock) -> None:
    store = Store(max_runs=2)
    active = store.create("thread_t", BODY)  # the oldest, and active: moved to the back
    done = finish(store, store.create("thread_t", BODY))
    store.create("thread_u", BODY)
    assert store.get("thread_t", done.data["id"]) is None
    assert store.threads["thread_t"] == [active.data["id"]]
    # (Only direct use makes a second run beside an active one: the API refuses it.)  The
    # thread's one run left is queued, so it is the thread's active run.
    assert store.active_run("thread_t") == active.id


def test_a_latest_run_evicted_frees_its_thread(runs_clock: Clock) -> None:
    store = Store(max_runs=1)
    first = finish(store, store.create("thread_a", BODY))
    store.create("thread_b", BODY)
    assert store.get("thread_a", first.data["id"]) is None
    assert store.threads.keys() == {"thread_b"}


def test_an_expired_run_is_evicted_as_a_finished_one(runs_clock: Clock) -> None:
    store = Store(max_runs=2, expiry=10.0)
    old = store.create("thread_0", BODY)
    keep = store.create("thread_1", BODY)
    runs_clock.now = 1010.0  # old and keep are past their deadline
    newest = store.create("thread_2", BODY)
    assert old.id not in store.runs and store.get("thread_0", old.id) is None
    assert list(store.order) == [keep.data["id"], newest.data["id"]]
    assert keep.data["status"] == "queued"  # not looked at yet


@pytest.mark.parametrize(("max_runs", "hard_cap"), [(1, 11), (5, 15), (100, 110), (200, 220), (250, 275)])
def test_active_runs_alone_are_kept_up_to_the_hard_cap(
    runs_clock: Clock, max_runs: int, hard_cap: int
) -> None:
    store = Store(max_runs=max_runs, max_bytes=2**40)
    made = [store.create(f"thread_{i}", BODY).data["id"] for i in range(hard_cap + 30)]
    assert len(store.runs) == hard_cap
    # the newest max_runs stay, in the order they came (which older ones stay with them
    # depends on the runs moved to the back on the way)
    assert [r for r in store.runs if r in made[-max_runs:]] == made[-max_runs:]
    assert len(store.threads) == len(store.order) == hard_cap
    assert store.bytes == hard_cap * _runs.RUN_OVERHEAD


def test_active_runs_are_kept_up_to_the_hard_byte_cap(runs_clock: Clock) -> None:
    size = 1000
    store = Store(max_runs=10**6, max_bytes=10 * (size + _runs.RUN_OVERHEAD))  # hard: 11 runs
    for index in range(30):
        store.create(f"thread_{index}", BODY, size)
        assert store.bytes <= store.max_bytes + store.max_bytes // 10
    assert len(store.runs) == 11 and store.bytes == 11 * (size + _runs.RUN_OVERHEAD)
    finished = Store(max_runs=10**6, max_bytes=10 * (size + _runs.RUN_OVERHEAD))
    for index in range(30):
        finish(finished, finished.create(f"thread_{index}", BODY, size))
    assert len(finished.runs) == 10 and finished.bytes == 10 * (size + _runs.RUN_OVERHEAD)


def test_a_run_past_the_byte_cap_alone_is_evicted(runs_clock: Clock) -> None:
    store = Store(max_runs=100, max_bytes=5000)
    small = finish(store, store.create("thread_s", BODY, 100))
    big = store.create("thread_b", BODY, 10_000)  # past the hard byte cap by itself: nothing else fits
    assert store.get("thread_s", small.data["id"]) is None
    assert store.get("thread_b", big.data["id"]) is None and store.bytes == 0 and not store.runs
    assert store.threads == {} and not store.order


def test_a_finished_run_at_exactly_the_caps_stays(runs_clock: Clock) -> None:
    store = Store(max_runs=2, max_bytes=2 * (10 + _runs.RUN_OVERHEAD))
    first = finish(store, store.create("thread_a", BODY, 10))
    second = finish(store, store.create("thread_b", BODY, 10))
    assert list(store.order) == [first.data["id"], second.data["id"]]
    third = store.create("thread_c", BODY, 10)
    assert list(store.order) == [second.data["id"], third.data["id"]]


def test_one_active_run_is_moved_back_per_new_run(runs_clock: Clock) -> None:
    store = Store(max_runs=2)
    a, b = store.create("thread_a", BODY), store.create("thread_b", BODY)  # both active
    c = store.create("thread_c", BODY)
    # one move per call keeps createRun O(1): a went to the back, b is next
    assert list(store.order) == [b.data["id"], c.data["id"], a.data["id"]]
    finish(store, b)
    d = store.create("thread_d", BODY)
    # b (finished) goes, c (active) goes to the back, and a (active) waits for the next call
    assert list(store.order) == [a.data["id"], d.data["id"], c.data["id"]]
    assert b.data["id"] not in store.runs


@pytest.fixture
def five() -> tuple[Store, list[str]]:
    store = Store()
    ids = [finish(store, store.create("thread_l", BODY)).data["id"] for _ in range(5)]
    store.create("thread_other", BODY)
    return store, ids


@pytest.mark.parametrize(
    ("limit", "order", "after", "before", "page", "more"),
    [
        (20, "desc", None, None, [4, 3, 2, 1, 0], False),
        (20, "asc", None, None, [0, 1, 2, 3, 4], False),
        (5, "asc", None, None, [0, 1, 2, 3, 4], False),
        (4, "asc", None, None, [0, 1, 2, 3], True),
        (1, "desc", None, None, [4], True),
        (2, "asc", 1, None, [2, 3], True),
        (3, "asc", 1, None, [2, 3, 4], False),
        (2, "desc", 3, None, [2, 1], True),
        (2, "asc", 4, None, [], False),
        (2, "asc", "run_unknown", None, [], False),
        (2, "asc", None, 3, [1, 2], True),  # a page before a cursor: more when older ones precede it
        (5, "asc", None, 3, [0, 1, 2], False),
        (2, "desc", None, 1, [3, 2], True),
        (2, "asc", None, 0, [], False),
        (2, "asc", None, "run_unknown", [0, 1], True),
        (1, "asc", 0, 4, [1], True),
        (5, "asc", 0, 4, [1, 2, 3], False),
        (2, "asc", 3, 1, [], False),
    ],
)
def test_listing_pages_by_order_and_cursors(
    five: tuple[Store, list[str]],
    limit: int,
    order: str,
    after: int | str | None,
    before: int | str | None,
    page: list[int],
    more: bool,
) -> None:
    store, ids = five

    def cursor(at: int | str | None) -> str | None:
        return ids[at] if isinstance(at, int) else at

    listed, has_more = store.list("thread_l", limit, order, cursor(after), cursor(before))
    assert [r["id"] for r in listed] == [ids[i] for i in page]
    assert has_more is more
    assert store.list("thread_none", limit, order, None, None) == ([], False)


# ------------------------------------------------------------------ how a run moves

FUNCTION_TOOLS = [
    {"type": "code_interpreter"},
    {"type": "function", "function": {"name": "first"}},
    {"type": "function", "function": {"name": "second"}},
]


def test_a_run_moves_queued_in_progress_completed(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store()
    run = store.create("thread_m", {"assistant_id": "asst_1", "tools": [{"type": "code_interpreter"}]})
    before = dict(run.data)
    advance(run, store)
    started = run.data["started_at"]
    assert run.data["status"] == "in_progress" and abs(started - time.time()) < 5
    assert {k: v for k, v in run.data.items() if k not in ("status", "started_at")} == {
        k: v for k, v in before.items() if k not in ("status", "started_at")
    }
    advance(run, store)
    assert run.data["status"] == "completed"
    assert run.data["usage"] == {"prompt_tokens": 20, "completion_tokens": 12, "total_tokens": 32}
    assert run.data["usage"] is not _runs.USAGE and abs(run.data["completed_at"] - time.time()) < 5
    assert run.data["started_at"] == started and run.tool_step is None
    advance(run, store)  # a finished run stays as it is
    assert run.data["status"] == "completed"
    assert run.data["cancelled_at"] is None and run.data["failed_at"] is None


def test_a_started_run_keeps_its_start_time() -> None:
    store = Store()
    run = store.create("thread_m", BODY)
    run.data["started_at"] = 123
    advance(run, store)
    assert run.data["started_at"] == 123 and run.data["status"] == "in_progress"


def test_a_run_with_function_tools_asks_for_the_first_ones_output() -> None:
    store = Store()
    run = store.create("thread_f", {"assistant_id": "asst_1", "tools": FUNCTION_TOOLS})
    advance(run, store)
    advance(run, store)
    data = run.data
    assert data["status"] == "requires_action" and data["completed_at"] is None and data["usage"] is None
    action = data["required_action"]
    assert action["type"] == "submit_tool_outputs" and list(action) == ["type", "submit_tool_outputs"]
    (call,) = action["submit_tool_outputs"]["tool_calls"]
    assert re.fullmatch(r"call_[0-9a-f]{16}", call["id"])
    assert call == {"id": call["id"], "type": "function", "function": {"name": "first", "arguments": "{}"}}
    step = run.tool_step
    assert step is not None
    assert re.fullmatch(r"step_[0-9a-f]{8}\d+", step["id"])
    assert {k: v for k, v in step.items() if k not in ("id", "created_at")} == {
        "object": "thread.run.step",
        "assistant_id": "asst_1",
        "thread_id": "thread_f",
        "run_id": data["id"],
        "type": "tool_calls",
        "status": "in_progress",
        "step_details": {
            "type": "tool_calls",
            "tool_calls": [{**call, "function": {**call["function"], "output": None}}],
        },
        "last_error": None,
        "expired_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "metadata": {},
        "usage": None,
    }
    advance(run, store)  # waiting for outputs: nothing moves
    assert data["status"] == "requires_action"

    assert submit_tool_outputs(run, [{"tool_call_id": call["id"], "output": "42"}]) is None
    assert data["status"] == "in_progress" and data["required_action"] is None
    assert step["status"] == "completed" and step["usage"] == _runs.USAGE and step["completed_at"] is not None
    assert step["step_details"]["tool_calls"][0]["function"]["output"] == "42"
    assert call["function"] == {"name": "first", "arguments": "{}"}  # the call as asked stays as asked
    advance(run, store)  # outputs taken: the run completes, no new call
    assert data["status"] == "completed" and data["usage"] == _runs.USAGE


def test_tool_outputs_are_taken_only_for_the_calls_asked() -> None:
    store = Store()
    run = store.create("thread_f", {"assistant_id": "asst_1", "tools": FUNCTION_TOOLS})
    assert submit_tool_outputs(run, []) == 'Runs in status "queued" do not accept tool outputs.'
    advance(run, store)
    advance(run, store)
    call_id = run.data["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    assert submit_tool_outputs(run, [{"tool_call_id": "call_x", "output": "1"}]) == (
        f"Expected tool outputs for call_ids ['{call_id}'], got ['call_x']."
    )
    assert submit_tool_outputs(run, [{"output": "1"}]) == (
        f"Expected tool outputs for call_ids ['{call_id}'], got ['None']."
    )
    assert submit_tool_outputs(run, [{"tool_call_id": call_id}, {"tool_call_id": "call_y"}]) == (
        f"Expected tool outputs for call_ids ['{call_id}'], got {sorted([call_id, 'call_y'])}."
    )
    assert run.data["status"] == "requires_action" and run.tool_step["status"] == "in_progress"  # type: ignore[index]
    assert submit_tool_outputs(run, [{"tool_call_id": call_id}]) is None  # no output: an empty one
    assert run.tool_step["step_details"]["tool_calls"][0]["function"]["output"] == ""  # type: ignore[index]
    assert submit_tool_outputs(run, [{"tool_call_id": call_id}]) == (
        'Runs in status "in_progress" do not accept tool outputs.'
    )


def test_a_requires_action_run_without_its_step_takes_no_outputs() -> None:
    store = Store()
    run = store.create("thread_f", BODY)
    run.data.update(status="requires_action")
    assert submit_tool_outputs(run, []) == 'Runs in status "requires_action" do not accept tool outputs.'


@pytest.mark.parametrize("status", ["queued", "in_progress", "requires_action"])
def test_an_active_run_cancels_through_cancelling(status: str) -> None:
    store = Store()
    run = store.create("thread_c", {"assistant_id": "asst_1", "tools": FUNCTION_TOOLS})
    while run.data["status"] != status:
        advance(run, store)
    assert cancel(run) is None
    assert run.data["status"] == "cancelling" and run.data["required_action"] is None
    assert cancel(run) == "Cannot cancel run with status 'cancelling'."
    advance(run, store)
    assert run.data["status"] == "cancelled" and abs(run.data["cancelled_at"] - time.time()) < 5
    assert run.data["completed_at"] is None
    assert cancel(run) == "Cannot cancel run with status 'cancelled'."
    advance(run, store)
    assert run.data["status"] == "cancelled"


@pytest.mark.parametrize("status", ["completed", "expired", "failed", "incomplete"])
def test_a_finished_run_cannot_be_cancelled(status: str) -> None:
    run = Store().create("thread_c", BODY)
    run.data["status"] = status
    assert cancel(run) == f"Cannot cancel run with status '{status}'."
    assert run.data["status"] == status


def test_an_idempotency_key_is_1_to_255_characters(reused_server: LocalServer) -> None:
    with httpx.Client(base_url=reused_server.url) as http:
        for length, status in ((255, 200), (256, 400), (1, 200), (0, 400)):
            thread = f"thread_kl{next(_serial)}"
            key = chr(ord("a") + next(_serial) % 26) * length
            made = http.post(
                f"/threads/{thread}/runs", json=BODY, headers={**HEADERS, "Idempotency-Key": key}
            )
            assert made.status_code == status, (length, made.text)
            if status == 400:
                assert made.json()["error"]["message"] == "Idempotency-Key must be 1 to 255 characters long."


# ---------------------------------------------------------------------- streamed runs

WORDS = _runs.REPLY_TEXT.split(" ")


def message_events(events: list[tuple[str, Any]], run: dict[str, Any]) -> None:
    """The events of the reply, as the API streams them (``events`` starts at the step)."""
    names = [name for name, _ in events]
    assert names == [
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.message.created",
        "thread.message.in_progress",
        *["thread.message.delta"] * len(WORDS),
        "thread.message.completed",
        "thread.run.step.completed",
    ]
    step = events[0][1]
    message = events[2][1]
    assert events[1][1] == step and events[3][1] == message
    assert re.fullmatch(r"msg_[0-9a-f]{8}\d+", message["id"])
    assert re.fullmatch(r"step_[0-9a-f]{8}\d+", step["id"])
    now = message["created_at"]
    assert abs(now - time.time()) < 5
    assert step == {
        "id": step["id"],
        "object": "thread.run.step",
        "created_at": now,
        "assistant_id": "asst_1",
        "thread_id": run["thread_id"],
        "run_id": run["id"],
        "type": "message_creation",
        "status": "in_progress",
        "step_details": {"type": "message_creation", "message_creation": {"message_id": message["id"]}},
        "last_error": None,
        "expired_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "metadata": {},
        "usage": None,
    }
    assert message == {
        "id": message["id"],
        "object": "thread.message",
        "created_at": now,
        "thread_id": run["thread_id"],
        "status": "in_progress",
        "incomplete_details": None,
        "completed_at": None,
        "incomplete_at": None,
        "role": "assistant",
        "content": [],
        "assistant_id": "asst_1",
        "run_id": run["id"],
        "attachments": [],
        "metadata": {},
    }
    pieces = []
    for index, (_, delta) in enumerate(events[4 : 4 + len(WORDS)]):
        piece = WORDS[index] if index == 0 else " " + WORDS[index]
        assert delta == {
            "id": message["id"],
            "object": "thread.message.delta",
            "delta": {"content": [{"index": 0, "type": "text", "text": {"value": piece, "annotations": []}}]},
        }
        pieces.append(piece)
    assert "".join(pieces) == _runs.REPLY_TEXT
    completed = events[-2][1]
    assert completed == {
        **message,
        "status": "completed",
        "completed_at": now,
        "content": [{"type": "text", "text": {"value": _runs.REPLY_TEXT, "annotations": []}}],
    }
    assert events[-1][1] == {**step, "status": "completed", "completed_at": now, "usage": _runs.USAGE}


def test_a_streamed_run_says_each_step_and_completes() -> None:
    store = Store()
    run = store.create("thread_s", BODY)
    events = list(stream_events(run, store, created=True))
    first = [name for name, _ in events[:3]]
    assert first == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert events[0][1]["status"] == events[1][1]["status"] == "queued"
    assert events[0][1] is not run.data and events[0][1]["id"] == run.data["id"]
    assert events[2][1]["status"] == "in_progress" and events[2][1]["started_at"] is not None
    message_events(events[3:-2], run.data)
    assert events[-2][0] == "thread.run.completed" and events[-2][1] == run.data
    assert run.data["status"] == "completed" and run.data["usage"] == _runs.USAGE
    assert events[-1] == ("done", "[DONE]")


def test_a_streamed_run_with_function_tools_stops_at_requires_action() -> None:
    store = Store()
    run = store.create("thread_s", {"assistant_id": "asst_1", "tools": FUNCTION_TOOLS})
    events = list(stream_events(run, store, created=True))
    assert [name for name, _ in events] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.requires_action",
        "done",
    ]
    assert run.data["status"] == "requires_action" and run.tool_step is not None
    assert events[3][1] == events[4][1] == run.tool_step and events[3][1] is not run.tool_step
    assert events[3][1]["type"] == "tool_calls" and events[3][1]["status"] == "in_progress"
    assert events[5][1] == run.data and events[5][1]["required_action"]["type"] == "submit_tool_outputs"
    assert events[-1] == ("done", "[DONE]")
    call_id = run.data["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    assert submit_tool_outputs(run, [{"tool_call_id": call_id, "output": "ok"}]) is None
    after = list(stream_events(run, store, created=False))
    assert after[0] == ("thread.run.step.completed", run.tool_step)
    assert after[0][1]["status"] == "completed"
    assert [name for name, _ in after[1:3]] == ["thread.run.queued", "thread.run.in_progress"]
    assert after[1][1]["status"] == "queued" and after[2][1]["status"] == "in_progress"
    message_events(after[3:-2], run.data)
    assert after[-2] == ("thread.run.completed", run.data) and run.data["status"] == "completed"
    assert after[-1] == ("done", "[DONE]")


def test_past_the_hard_cap_one_run_goes_per_new_run(runs_clock: Clock) -> None:
    store = Store(max_runs=1)  # hard cap: 11
    for index in range(11):
        store.create(f"thread_{index}", BODY)
    queue = list(store.order)
    assert len(queue) == 11
    finish(store, store.runs[queue[1]])  # the next in line is finished
    newest = store.create("thread_new", BODY)
    # 12 runs: the oldest goes (active, but past the hard cap), and that is this call's work
    assert list(store.order) == [*queue[1:], newest.data["id"]]


def test_past_the_hard_byte_cap_one_run_goes_per_new_run(runs_clock: Clock) -> None:
    store = Store(max_runs=10**6, max_bytes=10_000)  # hard: 11_000 bytes, ten runs of 1_100
    for index in range(10):
        store.create(f"thread_{index}", BODY, 76)
    queue = list(store.order)
    assert store.bytes == 11_000 and len(queue) == 10
    finish(store, store.runs[queue[1]])
    newest = store.create("thread_new", BODY, 76)
    assert list(store.order) == [*queue[1:], newest.data["id"]] and store.bytes == 11_000


def test_a_store_keeps_ten_thousand_runs_for_ten_minutes_by_default(runs_clock: Clock) -> None:
    store = Store()
    assert (store.max_runs, store.hard_cap, store.max_bytes, store.expiry) == (
        10_000,
        11_000,
        16 * 2**20,
        600.0,
    )
    run = store.create("thread_d", BODY)
    assert run.deadline == 1600.0 and run.size == store.bytes == 1024
    assert run.data["expires_at"] - run.data["created_at"] == 600
    made, text = store.create_json("thread_j", BODY)
    assert made.size == 1024 and store.bytes == 2048
    assert text == json.dumps(made.data) or _runs._RUN_SHAPE  # no text when the spec's runs differ


def test_a_cancelling_run_is_still_active(runs_clock: Clock) -> None:
    store = Store(max_runs=1, expiry=10.0)
    run = store.create("thread_c", BODY)
    assert cancel(run) is None and run.data["status"] == "cancelling"
    assert store.active_run("thread_c") == run.data["id"]  # the thread takes no new run yet
    store.create("thread_other", BODY)  # past max_runs: a cancelling run is kept, as an active one
    assert store.get("thread_c", run.data["id"]) is run
    runs_clock.now = 1010.0
    assert store.active_run("thread_c") is None and run.data["status"] == "expired"


def test_a_call_id_is_sixteen_hex_digits() -> None:
    store = Store()
    for index in range(24):  # a 65th random bit would show in half of them
        run = store.create(f"thread_{index}", {"assistant_id": "asst_1", "tools": FUNCTION_TOOLS})
        advance(run, store)
        advance(run, store)
        (call,) = run.data["required_action"]["submit_tool_outputs"]["tool_calls"]
        assert re.fullmatch(r"call_[0-9a-f]{16}", call["id"]), call["id"]
