"""An adversarial review of the local server's speed changes (lazy runs, the template,
the deque-ordered store and keys, raw-byte idempotency keys, hash() digests,
jsonschema-rs, header names lowered as read, counted ids).

Each change is held to what the code before it did: over loopback HTTP where a
client can see it, on ``Store`` / ``IdempotencyKeys`` directly for eviction and
expiry.  Tests marked xfail(strict) are defects found in the review; the rest pin
behaviour the changes could have broken.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import tomllib
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from oaii.server import Fault, LocalServer, _idempotency, _runs
from oaii.server._idempotency import IdempotencyKeys, Seen
from oaii.server._records import RecordedRequest
from oaii.server._schema import BodyCheck

from ..conftest import KEY, KNOWN_BODY_FIELDS, metadata_limits, skip_unless_spec, spec_body, spec_has
from ._scripted import Store, advance

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
_serial = iter(range(10**9))
ROOT = Path(__file__).resolve().parents[2]

# Every optional field a body may name (the run echoes the defaulted ones); FULL_BODY keeps
# those the vendored spec has.
EVERY_FIELD: dict[str, Any] = {
    "assistant_id": "asst_full",
    "model": "gpt-4o-mini",
    "instructions": 'Be brief. "quoted" \u2028 é',
    "additional_instructions": "And kind.",
    "additional_messages": [{"role": "user", "content": "hi"}],
    "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
    "metadata": {"k": "v", "ключ": "значение"},
    "temperature": 0.25,
    "top_p": 0.5,
    "max_prompt_tokens": 300,
    "max_completion_tokens": 400,
    "truncation_strategy": {"type": "last_messages", "last_messages": 3},
    "tool_choice": {"type": "function", "function": {"name": "f"}},
    "parallel_tool_calls": False,
    "response_format": {"type": "json_object"},
    "stream": False,
}
FULL_BODY = spec_body(EVERY_FIELD)
# What a status change moves; everything else stays as createRun answered it.
STATUS_DRIVEN = {
    "status",
    "required_action",
    "started_at",
    "cancelled_at",
    "failed_at",
    "completed_at",
    "usage",
    "last_error",
    "incomplete_details",
}


def fresh() -> str:
    return f"thread_sr{next(_serial)}"


@pytest.fixture(scope="module")
def live() -> Iterator[LocalServer]:
    with LocalServer(create_missing=True) as server:
        yield server


@pytest.fixture
def http(live: LocalServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=10) as client:
        yield client


def without(run: dict[str, Any], names: set[str]) -> dict[str, Any]:
    return {k: v for k, v in run.items() if k not in names}


def exchange(port: int, data: bytes, answers: int) -> list[tuple[bytes, dict[bytes, bytes], bytes]]:
    """Send raw bytes on one connection; read ``answers`` responses (status line, headers, body)."""
    out: list[tuple[bytes, dict[bytes, bytes], bytes]] = []
    buffer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        while len(out) < answers:
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                assert chunk, (out, buffer)
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            status, *lines = head.split(b"\r\n")
            headers = {n.lower(): v.strip() for n, _, v in (line.partition(b":") for line in lines)}
            length = int(headers[b"content-length"])
            while len(buffer) < length:
                chunk = sock.recv(65536)
                assert chunk
                buffer += chunk
            out.append((status, headers, buffer[:length]))
            buffer = buffer[length:]
    return out


def post_head(thread: str, body: bytes, *extra: bytes, query: bytes = b"") -> bytes:
    lines = [
        b"POST /v1/threads/%s/runs%s HTTP/1.1" % (thread.encode(), query),
        b"Host: x",
        b"Authorization: Bearer " + KEY.encode(),
        b"OpenAI-Beta: assistants=v2",
        b"Content-Type: application/json",
        b"Content-Length: %d" % len(body),
        *extra,
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


# ====================================================================== defects


def test_an_idempotency_key_holds_about_its_query_text_not_a_dict_of_it() -> None:
    query_string = "&".join(f"a{i}=" for i in range(3000))[:15000]
    keys = IdempotencyKeys(max_keys=1000)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for n in range(20):
            seen = Seen(
                "POST", "/v1/threads/thread_q/runs", parse_qs(query_string, keep_blank_values=True), b"{}"
            )
            keys.remember(b"q%d" % n, seen, "run_q")
        per_key = (tracemalloc.get_traced_memory()[0] - base) / 20
    finally:
        tracemalloc.stop()
    # The canonical JSON of this query is ~2.5 times its text; a dict of it ~25 times.
    assert per_key <= 4 * len(query_string), per_key


def test_importing_the_server_leaves_the_global_random_stream_alone() -> None:
    # Everything else loaded first (httpx itself draws from the global stream at import),
    # then _http alone imported afresh under a seeded stream.
    code = (
        "import importlib, random, sys\n"
        "import oaii.server\n"
        "del sys.modules['oaii.server._http']\n"
        "random.seed(7); expected = random.random()\n"
        "random.seed(7)\n"
        "importlib.import_module('oaii.server._http')\n"
        "print(random.random() == expected)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "True", done.stdout + done.stderr


def _declared_minimum(package: str) -> tuple[int, ...]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # The client's dependencies, and the server's own (the `server` extra).
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["server"]]:
        name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
        if name.lower().replace("_", "-") == package:
            found = re.search(r">=\s*([0-9.]+)", requirement)
            assert found, requirement
            return tuple(int(p) for p in found.group(1).split("."))
    raise AssertionError(f"{package} is not a dependency of the client or the server")


# jsonschema-rs 0.29-0.43 raised SystemError on a lone surrogate (0.44 ValueError, 0.50+
# UnicodeEncodeError): pyproject asks for a version that raises ValueError, which the check catches.
def test_every_allowed_jsonschema_rs_falls_back_to_jsonschema_on_what_it_cannot_read() -> None:
    check = BodyCheck("CreateRunRequest")

    def old_rust(_body: Any) -> bool:  # what jsonschema-rs 0.29-0.43 does with a lone surrogate
        raise SystemError("<method 'is_valid' ...> returned a result with an exception set")

    check.fast = old_rust
    body = {"assistant_id": "asst_1", "metadata": {"k\udfff": "v"}}
    try:
        tolerated = check.problem(body) is None
    except SystemError:
        tolerated = False
    assert tolerated or _declared_minimum("jsonschema-rs") >= (0, 44)


def test_two_readers_of_a_new_run_see_one_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store()
    run = store.create("thread_race", {"assistant_id": "asst_1"})
    real = _runs.queued_run
    other: dict[str, Any] = {}
    reading = threading.Event()

    def read() -> None:
        reading.set()
        other["data"] = run.data

    def interleaved(*args: Any) -> dict[str, Any]:
        # Another thread reads the run while this one is building it (what a thread switch
        # in the middle of queued_run does): it waits for the first read, or (unguarded)
        # makes a dict of its own.
        if "reader" not in other:
            other["reader"] = reader = threading.Thread(target=read)
            reader.start()
            assert reading.wait(5)
        return real(*args)

    monkeypatch.setattr(_runs, "queued_run", interleaved)
    mine = run.data
    other["reader"].join(5)
    assert other["data"] is mine and run.data is mine


def test_a_never_read_run_holds_about_a_runs_worth_not_its_messages() -> None:
    from oaii.server._json import loads

    messages = [{"role": "user", "content": "x"} for _ in range(500)]
    raw = json.dumps({"assistant_id": "asst_1", "additional_messages": messages}).encode()
    store = Store(max_runs=10**6, max_bytes=2**40)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for index in range(50):  # each body parsed here: what the store keeps of it is counted
            store.create(f"thread_m{index}", loads(raw), len(raw))
        per_run = (tracemalloc.get_traced_memory()[0] - base) / 50
    finally:
        tracemalloc.stop()
    assert per_run <= 10_000, per_run


def test_the_docs_show_run_ids_the_server_makes() -> None:
    shown = set()
    for name in ("README.md", "api.md"):  # the CLI's transcripts: in brief, and in full
        text = (ROOT / name).read_text(encoding="utf-8")
        transcript = text[text.index("## The command line") :]
        transcript = transcript[: transcript.index("```", transcript.index("```console") + 3)]
        shown |= set(re.findall(r"\brun_[0-9a-z]+", transcript))
    made = Store().new_id("run")
    assert re.fullmatch(r"run_[0-9a-f]{8}\d+", made)
    assert shown and all(re.fullmatch(r"run_[0-9a-f]{8}\d+", run_id) for run_id in shown), shown


# ======================================================= runs never read, then used


def test_a_never_read_run_is_listed_as_created_to_the_byte(http: httpx.Client) -> None:
    thread = fresh()
    created = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=HEADERS)
    assert created.status_code == 200, created.text
    assert created.content == json.dumps(created.json()).encode()
    page = http.get(f"/threads/{thread}/runs", headers=HEADERS)
    assert page.status_code == 200
    assert created.content in page.content  # the dict made from the recipe encodes as the template did
    run = created.json()
    assert run["status"] == "queued" and run["expires_at"] - run["created_at"] == 600
    for name in ("temperature", "top_p", "max_prompt_tokens", "max_completion_tokens", "parallel_tool_calls"):
        if name in FULL_BODY and spec_has(f"response:{name}"):
            assert run[name] == FULL_BODY[name]
    assert run["instructions"] == f"{FULL_BODY['instructions']} {FULL_BODY['additional_instructions']}"
    assert "additional_messages" not in run and "stream" not in run


def test_a_never_read_run_cancelled_keeps_every_field_but_its_status(http: httpx.Client) -> None:
    thread = fresh()
    created = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=HEADERS).json()
    cancelling = http.post(f"/threads/{thread}/runs/{created['id']}/cancel", headers=HEADERS)
    assert cancelling.status_code == 200 and cancelling.json()["status"] == "cancelling"
    assert without(cancelling.json(), STATUS_DRIVEN) == without(created, STATUS_DRIVEN)
    cancelled = http.get(f"/threads/{thread}/runs/{created['id']}", headers=HEADERS).json()
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"] >= created["created_at"]
    assert without(cancelled, STATUS_DRIVEN) == without(created, STATUS_DRIVEN)
    again = http.post(f"/threads/{thread}/runs/{created['id']}/cancel", headers=HEADERS)
    assert again.status_code == 400 and "cancelled" in again.json()["error"]["message"]


def test_a_never_read_run_refuses_tool_outputs_as_queued(http: httpx.Client) -> None:
    thread = fresh()
    run = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=HEADERS).json()
    refused = http.post(
        f"/threads/{thread}/runs/{run['id']}/submit_tool_outputs",
        json={"tool_outputs": [{"tool_call_id": "call_x", "output": "1"}]},
        headers=HEADERS,
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == 'Runs in status "queued" do not accept tool outputs.'


def test_a_never_read_run_moves_through_tool_calls_to_completed(http: httpx.Client) -> None:
    thread = fresh()
    run = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=HEADERS).json()
    url = f"/threads/{thread}/runs/{run['id']}"
    head = http.head(url, headers=HEADERS)  # a HEAD builds the dict but does not move the run
    assert head.status_code == 200 and head.headers["content-length"] == str(len(json.dumps(run)))
    assert http.get(url, headers=HEADERS).json()["status"] == "in_progress"
    waiting = http.get(url, headers=HEADERS).json()
    assert waiting["status"] == "requires_action"
    call = waiting["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    taken = http.post(
        f"{url}/submit_tool_outputs",
        json={"tool_outputs": [{"tool_call_id": call["id"], "output": "42"}]},
        headers=HEADERS,
    )
    assert taken.status_code == 200 and taken.json()["status"] == "in_progress"
    done = http.get(url, headers=HEADERS).json()
    assert done["status"] == "completed" and done["usage"]["total_tokens"] == 32
    assert without(done, STATUS_DRIVEN) == without(run, STATUS_DRIVEN)


def test_a_never_read_run_replayed_by_its_key_is_the_created_json(http: httpx.Client) -> None:
    thread = fresh()
    headers = {**HEADERS, "Idempotency-Key": f"replay-{thread}"}
    created = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=headers)
    replayed = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=headers)
    assert created.status_code == replayed.status_code == 200
    assert replayed.content == created.content  # the recipe's dict, encoded, is the template's text
    assert replayed.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in created.headers
    assert created.headers["x-request-id"] != replayed.headers["x-request-id"]


def test_a_streamed_run_replayed_is_one_event_with_the_run_as_it_is(http: httpx.Client) -> None:
    thread = fresh()
    body = {"assistant_id": "asst_1", "stream": True}
    headers = {**HEADERS, "Idempotency-Key": f"stream-{thread}"}
    first = http.post(f"/threads/{thread}/runs", json=body, headers=headers)
    assert first.status_code == 200 and "event: thread.run.completed" in first.text
    again = http.post(f"/threads/{thread}/runs", json=body, headers=headers)
    assert again.text.startswith("event: thread.run.completed\ndata: ")
    assert (
        again.text.endswith("event: done\ndata: [DONE]\n\n")
        and again.headers["idempotent-replayed"] == "true"
    )


def test_a_patch_fault_on_create_changes_the_answer_not_the_stored_run(
    live: LocalServer, http: httpx.Client
) -> None:
    thread = fresh()
    live.inject(Fault("patch", patch={"model": "patched-model"}, drop=("metadata",)))
    answer = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=HEADERS).json()
    assert answer["model"] == "patched-model" and "metadata" not in answer
    listed = http.get(f"/threads/{thread}/runs", headers=HEADERS).json()["data"][0]
    assert listed["model"] == FULL_BODY["model"] and listed["metadata"] == FULL_BODY["metadata"]
    live.inject(Fault("patch", patch={"status": "weird"}))
    got = http.get(f"/threads/{thread}/runs/{answer['id']}", headers=HEADERS).json()
    assert got["status"] == "weird"
    # The patch was the answer's: the stored run moved on unpatched (its tool calls next).
    after = http.get(f"/threads/{thread}/runs/{answer['id']}", headers=HEADERS).json()
    assert after["status"] == "requires_action" and after["model"] == FULL_BODY["model"]


def test_a_run_created_under_drop_response_is_there_unread(live: LocalServer, http: httpx.Client) -> None:
    thread = fresh()
    live.inject(Fault("drop_response"))
    with pytest.raises(httpx.HTTPError):
        http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
    page = http.get(f"/threads/{thread}/runs", headers=HEADERS).json()
    assert [r["status"] for r in page["data"]] == ["queued"]
    blocked = http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
    assert blocked.status_code == 400 and page["data"][0]["id"] in blocked.json()["error"]["message"]


def test_a_key_replays_a_run_whose_answer_was_dropped(live: LocalServer, http: httpx.Client) -> None:
    # The client's idempotent recovery: the run was made (never read), the answer lost.
    thread = fresh()
    headers = {**HEADERS, "Idempotency-Key": f"lost-{thread}"}
    live.inject(Fault("drop_response"))
    with pytest.raises(httpx.HTTPError):
        http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=headers)
    retry = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=headers)
    assert retry.status_code == 200 and retry.headers["idempotent-replayed"] == "true"
    page = http.get(f"/threads/{thread}/runs", headers=HEADERS)
    assert retry.content in page.content and len(page.json()["data"]) == 1


def test_a_percent_encoded_thread_id_is_the_same_text_in_the_template_and_the_list(
    http: httpx.Client,
) -> None:
    thread = f"{fresh()}_%C3%A9%22%5C"
    created = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=HEADERS)
    assert created.status_code == 200, created.text
    assert created.json()["thread_id"] == thread.replace("%C3%A9%22%5C", 'é"\\')
    page = http.get(f"/threads/{thread}/runs", headers=HEADERS)
    assert created.content in page.content


def test_never_read_runs_expire_everywhere_they_are_seen() -> None:
    with (
        LocalServer(create_missing=True, run_expiry=0.0) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        thread = fresh()
        created = http.post(f"/threads/{thread}/runs", json=FULL_BODY, headers=HEADERS)
        run = created.json()
        assert run["status"] == "queued" and run["expires_at"] == run["created_at"] + 1
        listed = http.get(f"/threads/{thread}/runs", headers=HEADERS).json()["data"]
        assert [r["status"] for r in listed] == ["expired"]
        assert without(listed[0], STATUS_DRIVEN) == without(run, STATUS_DRIVEN)
        refused = http.post(f"/threads/{thread}/runs/{run['id']}/cancel", headers=HEADERS)
        assert refused.status_code == 400 and "expired" in refused.json()["error"]["message"]
        # An expired latest run is not active: the thread takes a new one (never read either).
        second = http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
        assert second.status_code == 200
        third = http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
        assert third.status_code == 200  # the second expired unread, by active_run's look
        got = http.get(f"/threads/{thread}/runs/{second.json()['id']}", headers=HEADERS).json()
        assert got["status"] == "expired" and got["required_action"] is None


def test_a_thread_with_a_never_read_run_takes_no_other(http: httpx.Client) -> None:
    thread = fresh()
    first = http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS).json()
    refused = http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == f"Thread {thread} already has an active run {first['id']}."


# ============================================================ eviction, direct Store


def _finish(store: Store, run: _runs.Run) -> None:
    advance(run, store)
    advance(run, store)
    assert run.status == "completed"


def _consistent(store: Store) -> None:
    assert sorted(store.order) == sorted(store.runs)
    listed = [run_id for ids in store.threads.values() for run_id in ids]
    assert sorted(listed) == sorted(store.runs) and all(store.threads.values())
    for thread_id, ids in store.threads.items():
        assert all(store.runs[i].thread_id == thread_id for i in ids)


def test_finished_runs_go_before_never_read_ones() -> None:
    store = Store(max_runs=3)
    done = store.create("thread_e1", {"assistant_id": "asst_1"})
    _finish(store, done)
    unread = [store.create(f"thread_e{i}", {"assistant_id": "asst_1"}) for i in range(2, 5)]
    assert done.id not in store.runs and "thread_e1" not in store.threads
    assert all(run.id in store.runs and run.status == "queued" for run in unread)
    assert all(run._data is None for run in unread)  # eviction read no run's dict
    _consistent(store)


def test_an_active_oldest_run_is_put_back_once_per_call() -> None:
    store = Store(max_runs=3)
    oldest = store.create("thread_r1", {"assistant_id": "asst_1"})  # never read: queued
    two, three = (store.create(f"thread_r{i}", {"assistant_id": "asst_1"}) for i in (2, 3))
    _finish(store, two)
    _finish(store, three)
    store.create("thread_r4", {"assistant_id": "asst_1"})
    assert oldest.id in store.runs and two.id not in store.runs and three.id in store.runs
    assert list(store.order)[-1] == oldest.id
    store.create("thread_r5", {"assistant_id": "asst_1"})
    assert three.id not in store.runs and oldest.id in store.runs
    store.create("thread_r6", {"assistant_id": "asst_1"})  # all active now: kept, below the hard cap
    assert len(store.runs) == 4 and oldest.id in store.runs
    _consistent(store)


def test_an_expired_never_read_run_is_evicted_like_a_finished_one() -> None:
    store = Store(max_runs=2, expiry=0.0)
    first, second, third = (store.create(f"thread_x{i}", {"assistant_id": "asst_1"}) for i in range(3))
    assert first.id not in store.runs and [second.id, third.id] == list(store.order)
    assert store.get("thread_x1", second.id) is second and second.status == "expired"
    assert store.active_run("thread_x2") is None and third.status == "expired"
    _consistent(store)


def test_past_the_hard_cap_read_and_unread_runs_go_oldest_first() -> None:
    store = Store(max_runs=2)  # hard cap 12
    ids = []
    for index in range(40):
        run = store.create(f"thread_h{index % 7}_{index}", {"assistant_id": "asst_1"})
        if index % 3 == 0:
            advance(run, store)  # in_progress: read, still active
        ids.append(run.id)
        assert len(store.runs) <= store.hard_cap
    assert ids[-1] in store.runs and ids[0] not in store.runs
    _consistent(store)


def test_a_thread_whose_latest_run_was_evicted_takes_a_new_one() -> None:
    store = Store(max_runs=1)  # hard cap 11
    done = store.create("thread_L", {"assistant_id": "asst_1"})
    _finish(store, done)
    latest = store.create("thread_L", {"assistant_id": "asst_1"})
    assert store.active_run("thread_L") == latest.id
    for index in range(30):  # active runs elsewhere push past the hard cap
        store.create(f"thread_o{index}", {"assistant_id": "asst_1"})
    assert latest.id not in store.runs and store.active_run("thread_L") is None
    newer = store.create("thread_L", {"assistant_id": "asst_1"})
    page, more = store.list("thread_L", 20, "asc", None, None)
    assert [r["id"] for r in page] == [newer.id] and not more
    _consistent(store)


def test_ids_stay_unique_in_a_store_and_apart_between_stores() -> None:
    one, two = Store(max_runs=50), Store(max_runs=50)
    made = [one.create(f"thread_{i}", {"assistant_id": "asst_1"}).id for i in range(3000)]
    made += [one.new_id("step"), one.new_id("msg")]
    assert len(set(made)) == len(made)
    other = two.create("thread_0", {"assistant_id": "asst_1"}).id
    assert other not in made and re.fullmatch(r"run_[0-9a-f]{8}1", other)
    assert made[0][:12] != other[:12]  # each store its own letters
    assert all(re.fullmatch(r"run_[0-9a-f]{8}\d+", i) for i in made[:3000])
    assert len(one.runs) <= one.hard_cap and made[2999] in one.runs


def test_two_servers_in_one_process_never_share_an_id() -> None:
    with (
        LocalServer(create_missing=True) as a,
        LocalServer(create_missing=True) as b,
        httpx.Client(timeout=10) as http,
    ):
        runs, request_ids = set(), set()
        for index in range(20):
            for server in (a, b):
                answer = http.post(
                    f"{server.url}/threads/thread_two{index}/runs",
                    json={"assistant_id": "asst_1"},
                    headers=HEADERS,
                )
                assert answer.status_code == 200
                runs.add(answer.json()["id"])
                request_ids.add(answer.headers["x-request-id"])
                assert re.fullmatch(r"req_[0-9a-f]{8}\d+", answer.headers["x-request-id"])
        assert len(runs) == len(request_ids) == 40
        one = next(iter(runs))
        found = [
            http.get(f"{s.url}/threads/thread_two0/runs", headers=HEADERS).json()["data"] for s in (a, b)
        ]
        assert len(found[0]) == len(found[1]) == 1 and found[0][0]["id"] != found[1][0]["id"]
        assert one in runs


# ============================================================ idempotency over HTTP


def test_a_key_replays_json_equal_bodies_and_reordered_query_parameters(http: httpx.Client) -> None:
    thread = fresh()
    headers = {**HEADERS, "Idempotency-Key": f"q-{thread}", "Content-Type": "application/json"}
    url = f"/threads/{thread}/runs"
    first = http.post(
        f"{url}?x=1&y=2", content=b'{"assistant_id": "asst_1", "metadata": {"a": "1"}}', headers=headers
    )
    same = http.post(
        f"{url}?y=2&x=1", content=b'{"metadata":{"a":"1"},"assistant_id":"asst_1"}', headers=headers
    )
    assert first.status_code == same.status_code == 200
    assert same.json()["id"] == first.json()["id"] and same.headers["idempotent-replayed"] == "true"
    for query in ("?x=1", "?x=1&y=2&y=2", "?x=1&y=3", "", "?x=1&y=2&z"):
        other = http.post(
            f"{url}{query}", content=b'{"assistant_id": "asst_1", "metadata": {"a": "1"}}', headers=headers
        )
        assert other.status_code == 400 and other.json()["error"]["type"] == "idempotency_error", query


def test_a_key_with_repeated_parameters_in_another_order_is_another_request(http: httpx.Client) -> None:
    thread = fresh()
    headers = {**HEADERS, "Idempotency-Key": f"rep-{thread}"}
    url = f"/threads/{thread}/runs"
    assert http.post(f"{url}?a=1&a=2", json={"assistant_id": "asst_1"}, headers=headers).status_code == 200
    again = http.post(f"{url}?a=1&b=0&a=2", json={"assistant_id": "asst_1"}, headers=headers)
    swapped = http.post(f"{url}?a=2&a=1", json={"assistant_id": "asst_1"}, headers=headers)
    assert again.status_code == 400 and swapped.status_code == 400
    replay = http.post(f"{url}?a=1&a=2", json={"assistant_id": "asst_1"}, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true"


def test_a_key_on_another_thread_or_path_form_is_refused(http: httpx.Client) -> None:
    thread = fresh()
    headers = {**HEADERS, "Idempotency-Key": f"path-{thread}"}
    assert (
        http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1"}, headers=headers).status_code
        == 200
    )
    for url in (f"/threads/{fresh()}/runs", f"/threads/{thread}/runs/"):
        refused = http.post(url, json={"assistant_id": "asst_1"}, headers=headers)
        assert refused.status_code == 400 and refused.json()["error"]["type"] == "idempotency_error", url


def test_keys_are_their_bytes_latin_1_included(live: LocalServer) -> None:
    body = b'{"assistant_id": "asst_1"}'
    other = b'{"assistant_id": "asst_2"}'
    thread = fresh()
    key = b"Idempotency-Key: \xe9t\xe9-" + thread.encode()
    answers = exchange(
        live.port,
        post_head(thread, body, key) + post_head(thread, body, key) + post_head(thread, other, key),
        3,
    )
    (s1, h1, b1), (s2, h2, b2), (s3, _h3, b3) = answers
    assert s1.endswith(b"200 OK") and s2.endswith(b"200 OK") and b1 == b2
    assert h2[b"idempotent-replayed"] == b"true" and b"idempotent-replayed" not in h1
    error = json.loads(b3)["error"]
    assert s3.startswith(b"HTTP/1.1 400") and error["type"] == "idempotency_error"
    assert f"'été-{thread}'" in error["message"]  # the key as latin-1 reads its bytes
    # The same letter in UTF-8 is other bytes: another key, a new request (on another thread).
    thread2 = fresh()
    utf8 = b"Idempotency-Key: \xc3\xa9t\xc3\xa9-" + thread.encode()
    ((s4, h4, b4),) = exchange(live.port, post_head(thread2, body, utf8), 1)
    assert (
        s4.endswith(b"200 OK")
        and b"idempotent-replayed" not in h4
        and json.loads(b4)["id"] != json.loads(b1)["id"]
    )


def test_a_key_is_1_to_255_bytes_whatever_the_bytes(live: LocalServer) -> None:
    body = b'{"assistant_id": "asst_1"}'
    longest = b"Idempotency-Key: " + b"\xe9" * 255
    too_long = b"Idempotency-Key: " + b"\xe9" * 256
    (ok,), (refused,) = (exchange(live.port, post_head(fresh(), body, k), 1) for k in (longest, too_long))
    assert ok[0].endswith(b"200 OK")
    assert refused[0].startswith(b"HTTP/1.1 400")
    assert json.loads(refused[2])["error"]["message"] == "Idempotency-Key must be 1 to 255 characters long."


def test_keys_differ_by_case(http: httpx.Client) -> None:
    thread_a, thread_b = fresh(), fresh()
    upper = http.post(
        f"/threads/{thread_a}/runs",
        json={"assistant_id": "asst_1"},
        headers={**HEADERS, "Idempotency-Key": f"K-{thread_a}"},
    )
    lower = http.post(
        f"/threads/{thread_b}/runs",
        json={"assistant_id": "asst_1"},
        headers={**HEADERS, "Idempotency-Key": f"k-{thread_a}"},
    )
    assert upper.status_code == lower.status_code == 200 and upper.json()["id"] != lower.json()["id"]


def test_the_last_of_a_key_repeated_in_another_case_is_the_key(live: LocalServer) -> None:
    body = b'{"assistant_id": "asst_1"}'
    thread = fresh()
    both = (b"Idempotency-Key: first-" + thread.encode(), b"IDEMPOTENCY-KEY: last-" + thread.encode())
    (first,) = exchange(live.port, post_head(thread, body, *both), 1)
    (again,) = exchange(live.port, post_head(thread, body, b"idempotency-key: last-" + thread.encode()), 1)
    assert again[1][b"idempotent-replayed"] == b"true" and again[2] == first[2]
    (other,) = exchange(live.port, post_head(thread, body, b"Idempotency-Key: first-" + thread.encode()), 1)
    assert other[0].startswith(b"HTTP/1.1 400") and b"active run" in other[2]  # not a key it knows


# ============================================================== idempotency, direct


def test_keys_expire_oldest_first_by_the_monotonic_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    # Only this module's clock (the global time.monotonic is the running servers' loops' too).
    monkeypatch.setattr(_idempotency, "time", SimpleNamespace(monotonic=lambda: now[0]))
    keys = IdempotencyKeys(max_keys=10, ttl=10.0)

    def seen(body: bytes = b'{"a": 1}') -> Seen:
        return Seen("POST", "/v1/threads/thread_1/runs", {}, body)

    keys.remember(b"old", seen(), "run_old")
    now[0] = 105.0
    keys.remember(b"new", seen(), "run_new")
    now[0] = 109.999
    assert keys.lookup(b"old", seen()) == (True, "run_old")
    now[0] = 110.0  # a key lives ttl seconds, inclusive
    assert keys.lookup(b"old", seen()) == (True, "run_old")
    now[0] = 110.001
    assert keys.lookup(b"old", seen()) == (False, None) and keys.lookup(b"new", seen()) == (True, "run_new")
    assert len(keys) == 1 and keys._raw_bytes == len(b'{"a": 1}')
    now[0] = 115.001
    assert keys.lookup(b"new", seen()) == (False, None) and len(keys) == 0 and keys._raw_bytes == 0
    keys.remember(b"again", seen(), "run_again")  # an emptied table starts a new horizon
    now[0] = 125.001
    assert keys.lookup(b"again", seen(b'{"a":1}')) == (True, "run_again")
    now[0] = 125.002
    assert keys.lookup(b"again", seen()) == (False, None)


def test_the_oldest_key_is_dropped_and_a_key_remembered_again_is_the_newest() -> None:
    keys = IdempotencyKeys(max_keys=3)

    def seen() -> Seen:
        return Seen("POST", "/p", {"q": ["1"]}, b"{}")

    for name in (b"k1", b"k2", b"k3", b"k4"):
        keys.remember(name, seen(), name.decode())
    assert [keys.lookup(n, seen())[0] for n in (b"k1", b"k2", b"k3", b"k4")] == [False, True, True, True]
    keys.remember(b"k2", seen(), "k2-again")  # direct use: the key moves to the back
    keys.remember(b"k5", seen(), "k5")
    assert [keys.lookup(n, seen())[0] for n in (b"k2", b"k3", b"k4", b"k5")] == [True, False, True, True]
    assert keys.lookup(b"k2", seen()) == (True, "k2-again")
    assert len(keys) == 3 and keys._raw_bytes == 3 * len(b"{}")
    assert [k for k, _ in keys._order] == list(keys._keys)


def test_past_the_raw_bytes_cap_bodies_are_compared_as_canonical_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_idempotency, "MAX_RAW_BYTES", 40)
    keys = IdempotencyKeys(max_keys=2)
    small = b'{"assistant_id": "asst_1"}'  # 26 bytes: kept as sent
    large = b'{"assistant_id": "asst_1", "metadata": {"b": "2", "a": "1"}}'  # past the cap: a digest
    keys.remember(b"s", Seen("POST", "/p", {}, small), "run_s")
    keys.remember(b"l", Seen("POST", "/p", {}, large), "run_l")
    assert keys._raw_bytes == len(small) and keys._keys[b"l"].raw is None
    reordered = b'{"metadata":{"a":"1","b":"2"},"assistant_id":"asst_1"}'
    assert keys.lookup(b"l", Seen("POST", "/p", {}, reordered)) == (True, "run_l")
    assert keys.lookup(b"l", Seen("POST", "/p", {}, small)) == (True, None)
    assert keys.lookup(b"l", Seen("POST", "/q", {}, large)) == (True, None)
    assert keys.lookup(b"l", Seen("POST", "/p", {"x": [""]}, large)) == (True, None)
    assert keys.lookup(b"s", Seen("POST", "/p", {}, b'{"assistant_id":"asst_1"}')) == (True, "run_s")
    # The cap is weighed before the oldest is dropped: "t" is kept as a digest, then "s" goes.
    keys.remember(b"t", Seen("POST", "/p", {}, small), "run_t")
    assert b"s" not in keys._keys and keys._raw_bytes == 0 and keys._keys[b"t"].raw is None
    assert keys.lookup(b"t", Seen("POST", "/p", {}, b'{ "assistant_id" : "asst_1" }')) == (True, "run_t")


# ================================================================ Authorization


def _recorded_after(live: LocalServer, *auth: bytes) -> tuple[bytes, RecordedRequest]:
    head = b"GET /v1/threads/%s/runs HTTP/1.1\r\nHost: x\r\nOpenAI-Beta: assistants=v2\r\n" % fresh().encode()
    head += b"".join(b"%s\r\n" % line for line in auth) + b"\r\n"
    (answer,) = exchange(live.port, head, 1)
    return answer[0], live.requests[-1]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (b"Authorization: Bearer " + KEY.encode(), "Bearer [redacted]"),
        (b"authorization: bearer " + KEY.encode(), "bearer [redacted]"),
        (b"AUTHORIZATION: BEARER    " + KEY.encode() + b"   ", "BEARER [redacted]"),
        (b"Authorization: bEaReR \t" + KEY.encode(), "bEaReR [redacted]"),
    ],
)
def test_a_bearer_key_in_any_case_and_spacing_is_the_key(live: LocalServer, line: bytes, shown: str) -> None:
    status, recorded = _recorded_after(live, line)
    assert status.endswith(b"200 OK")
    assert recorded.authorized_with(KEY) and not recorded.authorized_with(KEY + "x")
    assert not recorded.authorized_with(KEY[:-1]) and not recorded.authorized_with(f" {KEY}")
    assert list(recorded.headers.values()).count(shown) == 1 and KEY not in repr(recorded)


@pytest.mark.parametrize(
    "lines",
    [
        (),
        (b"Authorization: Basic " + KEY.encode(),),
        (b"Authorization: " + KEY.encode(),),
        (b"Authorization: Bearer",),
        (b"Authorization: Bearer " + KEY.encode(), b"authorization: Basic xyz"),
    ],
    ids=["none", "basic", "no-scheme", "empty-bearer", "valid-then-basic"],
)
def test_what_the_api_refuses_is_not_authorized_with_the_key(
    live: LocalServer, lines: tuple[bytes, ...]
) -> None:
    status, recorded = _recorded_after(live, *lines)
    assert status.startswith(b"HTTP/1.1 401")
    assert not recorded.authorized_with(KEY) and not recorded.authorized_with("")
    assert KEY not in repr(recorded)


def test_of_two_authorization_headers_the_last_is_the_one_compared(live: LocalServer) -> None:
    status, recorded = _recorded_after(
        live, b"Authorization: Basic xyz", b"authorization: Bearer " + KEY.encode()
    )
    assert status.endswith(b"200 OK") and recorded.authorized_with(KEY)
    assert repr(recorded).count("[redacted]") == 2


def test_a_recorded_request_made_by_hand_compares_the_same_way() -> None:
    plain = RecordedRequest("GET", b"/x", [(b"Host", b"x")], b"")
    keyed = RecordedRequest("GET", b"/x", [(b"Authorization", b"Bearer sk-hand")], b"", key_at=0)
    unknown = RecordedRequest("GET", b"/x", [(b"X", b"y"), (b"authorization", b"bearer  sk-hand ")], b"")
    assert not plain.authorized_with("") and not plain.authorized_with("sk-hand")
    assert keyed.authorized_with("sk-hand") and unknown.authorized_with("sk-hand")
    assert not keyed.authorized_with("sk-hand2")


# ======================================================================= the body check


@pytest.mark.parametrize(
    ("raw", "status", "param"),
    [
        # Python's $ matches before a final newline: jsonschema accepts what Rust's regex refuses.
        (
            b'{"assistant_id": "asst_1", "tools": [{"type": "function", "function": {"name": "f\\n"}}]}',
            200,
            None,
        ),
        (
            b'{"assistant_id": "asst_1", "tools": [{"type": "function", "function": {"name": "f\\u0663"}}]}',
            400,
            "tools[0].function.name",
        ),
        (b'{"assistant_id": "asst_1", "max_prompt_tokens": 256.0}', 200, None),
        (b'{"assistant_id": "asst_1", "max_prompt_tokens": 255}', 400, "max_prompt_tokens"),
        (b'{"assistant_id": "asst_1", "max_prompt_tokens": 9223372036854775807}', 200, None),
        (b'{"assistant_id": "asst_1", "max_prompt_tokens": 9223372036854775808}', 400, None),
        (b'{"assistant_id": "asst_1", "temperature": 2.0000000000000004}', 400, "temperature"),
        (b'{"assistant_id": "asst_1", "temperature": true}', 400, "temperature"),
        (b'{"assistant_id": "asst_1", "tool_choice": "auto\\ud800"}', 400, "tool_choice"),
        (
            b'{"assistant_id": "asst_1", "tools": [{"type": "function", "function": {"name": "\\udc00"}}]}',
            400,
            "tools[0].function.name",
        ),
        (b'{"assistant_id": "asst_1", "\\ud800": 1}', 400, "\ud800"),
        # metadata at and past the limits the spec states (a callable of key and value lengths)
        pytest.param(
            lambda key, value: (
                b'{"assistant_id": "asst_1", "metadata": {"k": "' + b"\\ud83d\\ude00" * value + b'"}}'
            ),
            200,
            None,
            id="metadata-value-at-limit-astral",
        ),
        pytest.param(
            lambda key, value: (
                b'{"assistant_id": "asst_1", "metadata": {"k": "' + b"\\ud83d\\ude00" * (value + 1) + b'"}}'
            ),
            400,
            "metadata.k",
            id="metadata-value-past-limit-astral",
        ),
        pytest.param(
            lambda key, value: (
                b'{"assistant_id": "asst_1", "metadata": {"k": "' + b"\\ud800" * (value + 1) + b'"}}'
            ),
            400,
            "metadata.k",
            id="metadata-value-past-limit-lone-surrogate",
        ),
        pytest.param(
            lambda key, value: b'{"assistant_id": "asst_1", "metadata": {"' + b"\\udfff" * key + b'": "v"}}',
            200,
            None,
            id="metadata-key-at-limit-lone-surrogate",
        ),
    ],
)
def test_jsonschema_has_the_last_word_where_the_engines_differ(
    http: httpx.Client, raw: bytes | Callable[[int, int], bytes], status: int, param: str | None
) -> None:
    if callable(raw):
        _, key_length, value_length = metadata_limits()
        raw = raw(key_length, value_length)
    skip_unless_spec(*(name for name in json.loads(raw) if name in KNOWN_BODY_FIELDS))
    answer = http.post(
        f"/threads/{fresh()}/runs", content=raw, headers={**HEADERS, "Content-Type": "application/json"}
    )
    assert answer.status_code == status, answer.text
    if status == 400:
        assert answer.json()["error"]["param"] == param
    else:
        assert answer.json()["status"] == "queued"


def test_the_deepest_accepted_body_is_accepted_fast_or_slow(http: httpx.Client) -> None:
    inner = "1"
    for _ in range(95):
        inner = f"[{inner}]"
    parameters = '{"x": ' + inner + "}"
    raw = (
        '{"assistant_id": "asst_1", "tools": [{"type": "function", "function": '
        f'{{"name": "f", "parameters": {parameters}}}}}]}}'
    ).encode()
    answer = http.post(
        f"/threads/{fresh()}/runs", content=raw, headers={**HEADERS, "Content-Type": "application/json"}
    )
    assert answer.status_code == 200, answer.text
    assert (
        answer.json()["tools"][0]["function"]["parameters"]
        == json.loads(raw)["tools"][0]["function"]["parameters"]
    )


# ===================================================================== HTTP framing


def test_trailers_do_not_become_headers(live: LocalServer) -> None:
    thread = fresh()
    body = b'{"assistant_id": "asst_1"}'
    head = (
        b"POST /v1/threads/%s/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
        b"OpenAI-Beta: assistants=v2\r\nTransfer-Encoding: chunked\r\nTrailer: Idempotency-Key\r\n\r\n"
    ) % (thread.encode(), KEY.encode())
    chunked = head + b"%x\r\n%s\r\n0\r\n" % (len(body), body)
    trailers = b"Idempotency-Key: trailer-key\r\nAuthorization: Bearer sk-trailer\r\nOpenAI-Beta: no\r\n\r\n"
    keys_before = len(live.idempotency_keys)
    (answer,) = exchange(live.port, chunked + trailers, 1)
    assert answer[0].endswith(b"200 OK") and json.loads(answer[2])["thread_id"] == thread
    assert len(live.idempotency_keys) == keys_before  # the trailer's key was not the request's
    recorded = live.requests[-1]
    assert "Idempotency-Key" not in recorded.headers and recorded.authorized_with(KEY)
    assert not recorded.authorized_with("sk-trailer")


def test_pipelined_requests_do_not_inherit_each_others_headers(live: LocalServer) -> None:
    thread, other = fresh(), fresh()
    body = b'{"assistant_id": "asst_1"}'
    keyed = post_head(thread, body, b"Idempotency-Key: pipe-" + thread.encode(), b"X-Only-First: 1")
    bare = (
        b"POST /v1/threads/%s/runs HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
        % (other.encode(), len(body))
        + body
    )
    no_key = post_head(other, body)
    answers = exchange(live.port, keyed + bare + no_key + bare, 4)
    assert [a[0].split(b" ")[1] for a in answers] == [b"200", b"401", b"200", b"401"]
    assert b"idempotent-replayed" not in answers[2][1] and json.loads(answers[2][2])["thread_id"] == other
    assert len({a[1][b"x-request-id"] for a in answers}) == 4
    recorded = live.requests[-4:]
    assert "X-Only-First" in recorded[0].headers and all(
        "X-Only-First" not in r.headers for r in recorded[1:]
    )
    assert [r.authorized_with(KEY) for r in recorded] == [True, False, True, False]


def test_a_declined_upgrade_does_not_lend_its_headers_to_the_next_request(live: LocalServer) -> None:
    thread = fresh()
    upgrade = (
        b"GET /v1/threads/%s/runs HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Authorization: Bearer %s\r\nOpenAI-Beta: assistants=v2\r\n\r\n"
    ) % (thread.encode(), KEY.encode())
    after = b"GET /v1/threads/%s/runs HTTP/1.1\r\nHost: x\r\n\r\n" % thread.encode()
    first, second = exchange(live.port, upgrade + after, 2)
    assert first[0].endswith(b"200 OK") and json.loads(first[2])["object"] == "list"
    assert second[0].startswith(b"HTTP/1.1 401")
    assert not live.requests[-1].authorized_with(KEY) and "Upgrade" not in live.requests[-1].headers


def test_a_repeated_beta_header_in_another_case_is_read_as_its_last(live: LocalServer) -> None:
    base = b"GET /v1/threads/%s/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n" % (
        fresh().encode(),
        KEY.encode(),
    )
    good_last = base + b"OpenAI-Beta: assistants=v1\r\nopenai-beta: assistants=v2\r\n\r\n"
    bad_last = base + b"openai-beta: assistants=v2\r\nOPENAI-BETA: assistants=v1\r\n\r\n"
    ok, refused = exchange(live.port, good_last + bad_last, 2)
    assert ok[0].endswith(b"200 OK") and refused[0].startswith(b"HTTP/1.1 400")
    assert json.loads(refused[2])["error"]["code"] == "invalid_beta"
