"""Paging over HTTP, on either store: a cursor is a place in the order objects were made, so the
common clean-up loop (iterate a list with the SDK's auto-paging, deleting each object) reaches
every object; an id the server never made names no place; an empty page's ids are what the
served spec allows (see docs/server-api.md, "Lists")."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from oaii.server import LocalServer, _api
from oaii.server._api import _allows_null
from oaii.server._schema import spec

from ..conftest import skip_unless_spec

openai = pytest.importorskip("openai", reason="the dev extra installs openai")

HEADERS = {"Authorization": "Bearer sk-user", "OpenAI-Beta": "assistants=v2"}


@pytest.fixture(scope="module", params=["memory", "sqlite"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    db = tmp_path_factory.mktemp("paging") / "paging.sqlite" if request.param == "sqlite" else None
    with LocalServer(db=db) as made:
        yield made


@pytest.fixture(scope="module")
def http(server: LocalServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=HEADERS) as client:
        yield client


@pytest.fixture
def beta(server: LocalServer) -> Iterator[Any]:
    skip_unless_spec("response:truncation_strategy")  # the SDK's models are Assistants v2's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with openai.OpenAI(
            api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
        ) as client:
            yield client.beta


def thread_with(http: httpx.Client, count: int) -> tuple[str, list[str]]:
    """A new thread with ``count`` messages: its id, and theirs oldest first."""
    thread = http.post("/threads", json={}).json()["id"]
    ids = [
        http.post(f"/threads/{thread}/messages", json={"role": "user", "content": str(i)}).json()["id"]
        for i in range(count)
    ]
    return thread, ids


def listed(http: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    answer = http.get(path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def delete_all_assistants(beta: Any) -> None:
    for assistant in list(beta.assistants.list(limit=100)):
        beta.assistants.delete(assistant.id)


# ------------------------------------------------------- deleting what one pages through


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_deleting_assistants_while_auto_paging_reaches_every_one(beta: Any, order: str) -> None:
    delete_all_assistants(beta)
    made = [beta.assistants.create(model="gpt-4o", name=str(i)).id for i in range(5)]
    seen = []
    for assistant in beta.assistants.list(limit=2, order=order):
        beta.assistants.delete(assistant.id)
        seen.append(assistant.id)
    assert seen == (made if order == "asc" else made[::-1])  # each once, in order
    assert beta.assistants.list().data == []


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_deleting_messages_while_auto_paging_reaches_every_one(
    beta: Any, http: httpx.Client, order: str
) -> None:
    thread, made = thread_with(http, 7)
    seen = []
    for message in beta.threads.messages.list(thread_id=thread, limit=3, order=order):
        beta.threads.messages.delete(message.id, thread_id=thread)
        seen.append(message.id)
    assert seen == (made if order == "asc" else made[::-1])
    assert beta.threads.messages.list(thread_id=thread).data == []


@pytest.mark.parametrize(
    ("order", "cursor", "gone", "expected", "more"),
    [
        # messages 0..5 made in this order; ``gone`` deleted; a page of 2 from a place
        ("asc", 1, {1}, [2, 3], True),
        ("asc", 3, {2, 3, 4}, [5], False),
        ("desc", 4, {4}, [3, 2], True),
        ("desc", 2, {0, 2}, [1], False),
        ("asc", 5, {5}, [], False),
    ],
)
def test_after_a_deleted_message_goes_on_from_its_place(
    http: httpx.Client, order: str, cursor: int, gone: set[int], expected: list[int], more: bool
) -> None:
    thread, ids = thread_with(http, 6)
    for i in gone:
        assert http.delete(f"/threads/{thread}/messages/{ids[i]}").status_code == 200
    page = listed(http, f"/threads/{thread}/messages", limit=2, order=order, after=ids[cursor])
    assert [m["id"] for m in page["data"]] == [ids[i] for i in expected]
    assert page["has_more"] is more


@pytest.mark.parametrize(
    ("order", "cursor", "expected", "more"),
    [("asc", 4, [2, 3], True), ("desc", 1, [3, 2], True), ("asc", 1, [0], False)],
)
def test_before_a_deleted_message_is_the_page_just_before_its_place(
    http: httpx.Client, order: str, cursor: int, expected: list[int], more: bool
) -> None:
    thread, ids = thread_with(http, 6)
    assert http.delete(f"/threads/{thread}/messages/{ids[cursor]}").status_code == 200
    page = listed(http, f"/threads/{thread}/messages", limit=2, order=order, before=ids[cursor])
    assert [m["id"] for m in page["data"]] == [ids[i] for i in expected]
    assert page["has_more"] is more


def test_a_message_of_another_thread_names_its_place_in_this_one(http: httpx.Client) -> None:
    thread, ids = thread_with(http, 2)
    _, between = thread_with(http, 1)  # made after ids[1]
    http.post(f"/threads/{thread}/messages", json={"role": "user", "content": "late"})
    page = listed(http, f"/threads/{thread}/messages", order="asc", after=between[0])
    assert [m["content"][0]["text"]["value"] for m in page["data"]] == ["late"]
    page = listed(http, f"/threads/{thread}/messages", order="desc", after=between[0])
    assert [m["id"] for m in page["data"]] == ids[::-1]


# ------------------------------------------------------------ ids the server never made

NEVER_MADE = [
    "msg_nope",  # not of the server's form
    "msg_0123456799",  # another store's letters
    "asst_0000",  # another kind's prefix, nothing after it
    "msg_",
    "msg_x" + "9" * 300,  # long
    "",
]


@pytest.mark.parametrize("cursor", NEVER_MADE)
def test_after_an_id_never_made_is_an_empty_page_and_before_it_is_ignored(
    http: httpx.Client, cursor: str
) -> None:
    thread, ids = thread_with(http, 3)
    path = f"/threads/{thread}/messages"
    after = listed(http, path, after=cursor)
    assert (after["data"], after["has_more"]) == ([], False)
    before = listed(http, path, before=cursor, order="asc", limit=2)
    assert ([m["id"] for m in before["data"]], before["has_more"]) == (ids[:2], True)


def test_a_message_id_is_no_place_among_runs_or_assistants(http: httpx.Client) -> None:
    thread, ids = thread_with(http, 1)
    assistant = http.post("/assistants", json={"model": "gpt-4o"}).json()["id"]
    http.post(f"/threads/{thread}/runs", json={"assistant_id": assistant})
    assert listed(http, f"/threads/{thread}/runs", after=ids[0])["data"] == []
    assert listed(http, "/assistants", after=ids[0])["data"] == []


# ----------------------------------------------------------------- an empty page's ids


def test_an_empty_page_has_the_ids_the_served_spec_allows(beta: Any, http: httpx.Client) -> None:
    thread, _ = thread_with(http, 0)
    schemas = spec()["components"]["schemas"]
    for path, component in [
        (f"/threads/{thread}/messages", "ListMessagesResponse"),
        (f"/threads/{thread}/runs", "ListRunsResponse"),
    ]:
        page = listed(http, path)
        wanted = schemas[component]["properties"]["first_id"]
        # Strings in the vendored spec (the hosted API sent null: docs/server-api.md says why not).
        expected = None if "null" in str(wanted) else ""
        assert (page["first_id"], page["last_id"], page["data"]) == (expected, expected, [])
    # The SDK in strict mode reads it, and pages no further.
    assert list(beta.threads.messages.list(thread_id=thread)) == []


STRING = {"type": "string"}


@pytest.mark.parametrize(
    ("first", "last", "allowed"),
    [
        (STRING, STRING, False),  # the vendored spec's
        (
            {"anyOf": [STRING, {"type": "null"}]},
            {"anyOf": [STRING, {"type": "null"}]},
            True,
        ),  # upstream's later
        ({"type": ["string", "null"]}, {"oneOf": [{"type": "null"}, STRING]}, True),
        ({"type": "string", "nullable": True}, {"type": "string", "nullable": True}, True),  # OpenAPI 3.0
        ({"type": "string", "nullable": True}, STRING, False),  # both or neither
        ({"anyOf": [STRING]}, STRING, False),
        (None, None, False),
    ],
)
def test_null_ids_are_answered_only_where_the_spec_allows_both(first: Any, last: Any, allowed: bool) -> None:
    properties = {k: v for k, v in (("first_id", first), ("last_id", last)) if v is not None}
    assert _allows_null({"ListRunsResponse": {"properties": properties}}, "ListRunsResponse") is allowed


def test_a_spec_that_allows_null_gets_null(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hosted API's answer, once the served spec allows it (as upstream's later lists do)."""
    served = copy.deepcopy(spec())
    nullable = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    served["components"]["schemas"]["ListMessagesResponse"]["properties"].update(
        first_id=nullable, last_id=nullable
    )
    monkeypatch.setattr(_api, "spec", lambda: served)
    with LocalServer() as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        thread, _ = thread_with(http, 0)
        page = listed(http, f"/threads/{thread}/messages")
        assert (page["first_id"], page["last_id"]) == (None, None)
        runs = listed(http, f"/threads/{thread}/runs")  # its schema still says string
        assert (runs["first_id"], runs["last_id"]) == ("", "")


def test_sqlite_cursors_keep_their_place_across_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "restart.sqlite"
    with LocalServer(db=db) as first, httpx.Client(base_url=first.url, headers=HEADERS) as http:
        thread, old = thread_with(http, 3)
        http.delete(f"/threads/{thread}/messages/{old[2]}")
    with LocalServer(db=db) as second, httpx.Client(base_url=second.url, headers=HEADERS) as http:
        new = http.post(f"/threads/{thread}/messages", json={"role": "user", "content": "new"}).json()["id"]
        path = f"/threads/{thread}/messages"
        # The new opening's letters differ, its count starts again: still after every older id.
        assert [m["id"] for m in listed(http, path, order="asc")["data"]] == [old[0], old[1], new]
        assert [m["id"] for m in listed(http, path, order="asc", after=old[2])["data"]] == [new]
        assert [m["id"] for m in listed(http, path, order="desc", after=old[2])["data"]] == old[1::-1]


# ------------------------------------------------ an id made again under create_missing


def walk(http: httpx.Client, path: str, order: str) -> list[str]:
    """Every id of a list, a page of one at a time from the last page's ``last_id``."""
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 1, "order": order}
    for _ in range(10):
        page = listed(http, path, **params)
        seen += [item["id"] for item in page["data"]]
        if not page["has_more"]:
            return seen
        params["after"] = page["last_id"]
    raise AssertionError(f"still paging after 10 pages: {seen}")


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("where", ["memory", "sqlite", "sqlite, restarted"])
def test_an_assistant_made_again_under_create_missing_is_paged_once(
    tmp_path: Path, where: str, order: str
) -> None:
    """A test suite deletes an assistant the server made, and later runs with its id again:
    ``create_missing`` stores it anew, and paging still reaches every assistant once."""
    db = tmp_path / "again.sqlite" if where != "memory" else None
    with (
        LocalServer(db=db, create_missing=True) as server,
        httpx.Client(base_url=server.url, headers=HEADERS) as http,
    ):
        gone, kept = (http.post("/assistants", json={"model": "gpt-4o"}).json()["id"] for _ in range(2))
        assert http.delete(f"/assistants/{gone}").status_code == 200
        if where != "sqlite, restarted":
            assert http.post("/threads/thread_again/runs", json={"assistant_id": gone}).status_code == 200
            assert sorted(walk(http, "/assistants", order)) == sorted([gone, kept])
    if where == "sqlite, restarted":
        with (
            LocalServer(db=db, create_missing=True) as server,
            httpx.Client(base_url=server.url, headers=HEADERS) as http,
        ):
            assert http.post("/threads/thread_again/runs", json={"assistant_id": gone}).status_code == 200
            assert sorted(walk(http, "/assistants", order)) == sorted([gone, kept])
