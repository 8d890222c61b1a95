"""Faithful ids (404s in the API's wording, or ``create_missing``), paging bounds, idempotency keys
per bearer key and after eviction, and arguments ``Fault``/``inject`` refuse at once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from oaii.server import Fault, LocalServer

from ..conftest import KEY

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}


@pytest.fixture(scope="module")
def faithful() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture
def http(faithful: LocalServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=faithful.url, headers=HEADERS, timeout=10) as client:
        yield client


def made(http: httpx.Client) -> tuple[str, str]:
    """An assistant and a thread the server made: their ids."""
    assistant = http.post("/assistants", json={"model": "gpt-4o"}).json()["id"]
    thread = http.post("/threads", json={}).json()["id"]
    return assistant, thread


def not_found(response: httpx.Response) -> str:
    assert response.status_code == 404, response.text
    body = response.json()["error"]
    assert (body["type"], body["param"], body["code"]) == ("invalid_request_error", None, None)
    return str(body["message"])


def test_every_unknown_id_is_a_404_in_the_apis_words(http: httpx.Client) -> None:
    assistant, thread = made(http)
    run = http.post(f"/threads/{thread}/runs", json={"assistant_id": assistant}).json()["id"]
    cases = [
        ("GET", "/assistants/asst_x", None, "No assistant found with id 'asst_x'."),
        ("POST", "/assistants/asst_x", {}, "No assistant found with id 'asst_x'."),
        ("DELETE", "/assistants/asst_x", None, "No assistant found with id 'asst_x'."),
        ("GET", "/threads/thread_x", None, "No thread found with id 'thread_x'."),
        ("DELETE", "/threads/thread_x", None, "No thread found with id 'thread_x'."),
        ("GET", "/threads/thread_x/messages", None, "No thread found with id 'thread_x'."),
        ("GET", "/threads/thread_x/runs", None, "No thread found with id 'thread_x'."),
        (
            "POST",
            "/threads/thread_x/runs",
            {"assistant_id": assistant},
            "No thread found with id 'thread_x'.",
        ),
        (
            "POST",
            f"/threads/{thread}/runs",
            {"assistant_id": "asst_x"},
            "No assistant found with id 'asst_x'.",
        ),
        ("POST", "/threads/runs", {"assistant_id": "asst_x"}, "No assistant found with id 'asst_x'."),
        ("GET", f"/threads/{thread}/messages/msg_x", None, "No message found with id 'msg_x'."),
        ("GET", f"/threads/{thread}/runs/run_x", None, "No run found with id 'run_x'."),
        ("POST", f"/threads/{thread}/runs/run_x/cancel", None, "No run found with id 'run_x'."),
        ("GET", f"/threads/{thread}/runs/run_x/steps", None, "No run found with id 'run_x'."),
        ("GET", f"/threads/{thread}/runs/{run}/steps/step_x", None, "No run step found with id 'step_x'."),
    ]
    for method, path, body, wording in cases:
        assert not_found(http.request(method, path, json=body)) == wording, (method, path)


def test_a_message_or_run_of_another_thread_is_not_found(http: httpx.Client) -> None:
    assistant, thread = made(http)
    _, other = made(http)
    message = http.post(f"/threads/{thread}/messages", json={"role": "user", "content": "hi"}).json()["id"]
    run = http.post(f"/threads/{thread}/runs", json={"assistant_id": assistant}).json()["id"]
    assert (
        not_found(http.get(f"/threads/{other}/messages/{message}"))
        == f"No message found with id '{message}'."
    )
    assert not_found(http.get(f"/threads/{other}/runs/{run}")) == f"No run found with id '{run}'."


def test_create_missing_names_an_empty_thread_and_the_default_assistant() -> None:
    with (
        LocalServer(create_missing=True) as server,
        httpx.Client(base_url=server.url, headers=HEADERS) as http,
    ):
        run = http.post("/threads/thread_any/runs", json={"assistant_id": "asst_any"}).json()
        assert (run["thread_id"], run["assistant_id"], run["model"]) == ("thread_any", "asst_any", "gpt-4o")
        assistant = http.get("/assistants/asst_other").json()
        assert (assistant["id"], assistant["model"], assistant["instructions"]) == (
            "asst_other",
            "gpt-4o",
            "You are a helpful assistant.",
        )
        assert http.get("/threads/thread_new/messages").json()["data"] == []
        # The thread an id names is the same object each time, kept once changed, and deleting
        # it takes its runs and messages (the id still names an empty thread afterwards).
        first = http.get("/threads/thread_any").json()
        assert http.get("/threads/thread_any").json() == first
        changed = http.post("/threads/thread_any", json={"metadata": {"k": "v"}}).json()
        assert changed == {**first, "metadata": {"k": "v"}} == http.get("/threads/thread_any").json()
        assert http.get("/threads/thread_any/runs").json()["data"][0]["id"] == run["id"]
        assert http.delete("/threads/thread_any").json()["deleted"] is True
        assert http.get("/threads/thread_any/runs").json()["data"] == []
        assert http.get("/threads/thread_any").json()["metadata"] == {}
        # A malformed id is still nobody's.
        assert not_found(http.get("/threads/nope")) == "No thread found with id 'nope'."
        assert not_found(http.get("/assistants/nope")) == "No assistant found with id 'nope'."


OAII = str(Path(sys.executable).with_name("oaii"))  # the console script beside this Python


@pytest.mark.parametrize("argv", [[sys.executable, "-m", "oaii.server"], [OAII, "server"]])
def test_the_command_line_takes_create_missing(argv: list[str]) -> None:
    proc = subprocess.Popen(
        [*argv, "--port", "0", "--create-missing"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:"), line
        answer = httpx.post(
            f"{url}/threads/thread_cli/runs", json={"assistant_id": "asst_1"}, headers=HEADERS
        )
        assert answer.status_code == 200 and answer.json()["thread_id"] == "thread_cli"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize("path", ["/assistants", "/threads/{thread}/messages", "/threads/{thread}/runs"])
@pytest.mark.parametrize(
    ("limit", "status", "code"),
    [("0", 400, "integer_below_min_value"), ("101", 400, "integer_above_max_value"), ("x", 400, None)],
)
def test_limit_outside_1_to_100_is_a_400(
    http: httpx.Client, path: str, limit: str, status: int, code: str | None
) -> None:
    _, thread = made(http)
    answer = http.get(path.format(thread=thread), params={"limit": limit})
    assert answer.status_code == status
    error = answer.json()["error"]
    assert (error["param"], error["code"]) == ("limit", code)


@pytest.mark.parametrize("limit", ["1", "100"])
def test_limit_1_and_100_are_served(http: httpx.Client, limit: str) -> None:
    answer = http.get("/assistants", params={"limit": limit})
    assert answer.status_code == 200 and len(answer.json()["data"]) <= int(limit)


def test_messages_page_with_after_before_first_last_and_has_more(http: httpx.Client) -> None:
    _, thread = made(http)
    ids = [
        http.post(f"/threads/{thread}/messages", json={"role": "user", "content": str(i)}).json()["id"]
        for i in range(5)
    ]
    page = http.get(f"/threads/{thread}/messages", params={"limit": 2, "order": "asc"}).json()
    assert [m["id"] for m in page["data"]] == ids[:2]
    assert (page["first_id"], page["last_id"], page["has_more"]) == (ids[0], ids[1], True)
    page = http.get(
        f"/threads/{thread}/messages", params={"limit": 2, "order": "asc", "after": ids[1]}
    ).json()
    assert [m["id"] for m in page["data"]] == ids[2:4] and page["has_more"] is True
    page = http.get(
        f"/threads/{thread}/messages", params={"limit": 2, "order": "asc", "after": ids[3]}
    ).json()
    assert [m["id"] for m in page["data"]] == ids[4:] and page["has_more"] is False
    page = http.get(f"/threads/{thread}/messages", params={"before": ids[2]}).json()  # desc by default
    assert [m["id"] for m in page["data"]] == ids[4:2:-1]


def create(http: httpx.Client, thread: str, assistant: str, key: str, bearer: str = KEY) -> httpx.Response:
    return http.post(
        f"/threads/{thread}/runs",
        json={"assistant_id": assistant},
        headers={"Idempotency-Key": key, "Authorization": f"Bearer {bearer}"},
    )


def test_an_idempotency_key_is_its_bearer_keys_own(http: httpx.Client) -> None:
    assistant, thread = made(http)
    first = create(http, thread, assistant, "same-key")
    replay = create(http, thread, assistant, "same-key")
    assert replay.json()["id"] == first.json()["id"] and replay.headers["idempotent-replayed"] == "true"
    _, other_thread = made(http)
    # Another caller with the same key: its own request, not the first caller's run.
    other = create(http, other_thread, assistant, "same-key", bearer="sk-someone-else")
    assert other.status_code == 200 and "idempotent-replayed" not in other.headers
    assert other.json()["id"] != first.json()["id"] and other.json()["thread_id"] == other_thread


def test_a_replay_after_the_run_is_gone_answers_what_the_first_request_got() -> None:
    with LocalServer(max_runs=1) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        assistant, thread = made(http)
        first = create(http, thread, assistant, "k-evicted")
        for _ in range(2):  # the run finishes, then a newer one evicts it
            http.get(f"/threads/{thread}/runs/{first.json()['id']}")
        http.get(f"/threads/{thread}/runs/{first.json()['id']}")
        _, other = made(http)
        http.post(f"/threads/{other}/runs", json={"assistant_id": assistant})
        assert http.get(f"/threads/{thread}/runs/{first.json()['id']}").status_code == 404  # evicted
        replay = create(http, thread, assistant, "k-evicted")
        assert replay.status_code == 200 and replay.headers["idempotent-replayed"] == "true"
        assert replay.json() == first.json()  # the saved answer, as first sent
        # Its thread deleted: the same (a replay is looked up before the thread is).
        assert http.delete(f"/threads/{thread}").json()["deleted"] is True
        again = create(http, thread, assistant, "k-evicted")
        assert again.status_code == 200 and again.json() == first.json()
        assert not_found(create(http, thread, assistant, "k-new")) == f"No thread found with id '{thread}'."


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"kind": "nope"}, ValueError, "kind"),
        ({"status": 99}, ValueError, "status"),
        ({"body": "text"}, TypeError, "body"),
        ({"headers": {"X": 1}}, TypeError, "headers"),
        ({"headers": {"Bad Name": "v"}}, ValueError, "header"),
        ({"seconds": -1.0}, ValueError, "seconds"),
        ({"seconds": float("nan")}, ValueError, "seconds"),
        ({"patch": [("status", "failed")]}, TypeError, "patch"),
        ({"drop": ["status"]}, TypeError, "drop"),
    ],
)
def test_a_fault_with_a_bad_argument_is_refused_when_made(
    kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    with pytest.raises(error, match=names):
        Fault(**kwargs)


def test_inject_takes_only_faults(faithful: LocalServer) -> None:
    with pytest.raises(TypeError, match=r"faults\[1\] is a int"):
        faithful.inject(Fault(status=503), 503)  # type: ignore[arg-type]
    assert faithful.next_fault() is None  # nothing was queued


def test_max_objects_bounds_what_the_server_keeps() -> None:
    with LocalServer(max_objects=2) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        ids = [http.post("/assistants", json={"model": "gpt-4o"}).json()["id"] for _ in range(3)]
        assert [http.get(f"/assistants/{i}").status_code for i in ids] == [404, 200, 200]
