"""Every list endpoint honours every query parameter the vendored spec gives it (``limit``,
``order``, ``after``, ``before``; ``run_id`` for messages, ``include[]`` for steps) and refuses
a malformed one with the API's 400 naming it: one table, over both stores."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from oaii.server import LocalServer
from oaii.server._schema import spec

from ..conftest import skip_unless_spec

HEADERS = {"Authorization": "Bearer sk-user", "OpenAI-Beta": "assistants=v2"}
FUNCTION = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}
INCLUDE = "step_details.tool_calls[*].file_search.results[*].content"
# list -> its path in the spec
LISTS = {
    "assistants": "/assistants",
    "messages": "/threads/{thread_id}/messages",
    "runs": "/threads/{thread_id}/runs",
    "steps": "/threads/{thread_id}/runs/{run_id}/steps",
}


class Made:
    """Two of everything a list holds, on one server: ``ids[list]`` oldest first."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        assistants = [http.post("/assistants", json={"model": "gpt-4o"}).json()["id"] for _ in range(2)]
        thread = http.post("/threads", json={"messages": [{"role": "user", "content": "hi"}]}).json()["id"]
        plain = self.finish(http.post(f"/threads/{thread}/runs", json={"assistant_id": assistants[0]}).json())
        tooled = http.post(
            f"/threads/{thread}/runs", json={"assistant_id": assistants[0], "tools": [FUNCTION]}
        )
        run = self.finish(tooled.json())
        call = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
        outputs = {"tool_outputs": [{"tool_call_id": call, "output": "x"}]}
        http.post(f"/threads/{thread}/runs/{run['id']}/submit_tool_outputs", json=outputs)
        self.finish(run)
        self.thread, self.plain, self.run = thread, plain["id"], run["id"]
        self.paths = {name: path.format(thread_id=thread, run_id=run["id"]) for name, path in LISTS.items()}
        self.ids = {name: self.listed(name, {"order": "asc", "limit": "100"}) for name in LISTS}
        self.of_run = [m for m in self.ids["messages"] if self.message(m)["run_id"] == run["id"]]
        assert all(len(ids) >= 2 for ids in self.ids.values()), self.ids
        assert len(self.of_run) == 1  # its reply, one of the thread's three messages

    def finish(self, run: dict[str, Any]) -> dict[str, Any]:
        """Read the run until it stops (the scripted executor moves it on each read)."""
        path = f"/threads/{run['thread_id']}/runs/{run['id']}"
        for _ in range(10):
            run = self.http.get(path).json()
            if run["status"] in ("completed", "requires_action"):
                return run
        raise AssertionError(run)

    def message(self, message_id: str) -> dict[str, Any]:
        return self.http.get(f"/threads/{self.thread}/messages/{message_id}").json()  # type: ignore[no-any-return]

    def listed(self, name: str, params: dict[str, str]) -> list[str]:
        answer = self.http.get(self.paths[name], params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        return [o["id"] for o in page["data"]]


@pytest.fixture(scope="module", params=["memory", "sqlite"])
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    db = tmp_path_factory.mktemp("lists") / "lists.sqlite" if request.param == "sqlite" else None
    with LocalServer(db=db) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        yield Made(http)


Expect = Callable[[Made, list[str]], list[str]]  # (made, that list's ids oldest first) -> the page


def newest_first(_made: Made, ids: list[str]) -> list[str]:
    return ids[::-1]


def first_id(made: Made, name: str) -> str:
    return made.ids[name][0]


# (list or "*" for every list, query, 200 and the page expected, or 400 and the param named)
ROWS: list[tuple[str, dict[str, str], Expect | str]] = [
    ("*", {}, newest_first),
    ("*", {"limit": "1"}, lambda _m, ids: ids[-1:]),
    ("*", {"limit": "100"}, newest_first),
    ("*", {"limit": "0"}, "limit"),
    ("*", {"limit": "101"}, "limit"),
    ("*", {"limit": "-1"}, "limit"),
    ("*", {"limit": "x"}, "limit"),
    ("*", {"limit": "1.5"}, "limit"),
    ("*", {"limit": ""}, "limit"),
    ("*", {"order": "asc"}, lambda _m, ids: ids),
    ("*", {"order": "desc"}, newest_first),
    ("*", {"order": "ASC"}, "order"),
    ("*", {"order": "up"}, "order"),
    ("*", {"after": "nothing_1"}, lambda _m, _ids: []),
    ("*", {"before": "nothing_1"}, newest_first),
    ("*", {"order": "asc", "limit": "1", "after": "FIRST"}, lambda _m, ids: ids[1:2]),
    ("*", {"order": "desc", "before": "FIRST"}, lambda _m, ids: ids[:0:-1]),
    ("messages", {"run_id": "RUN"}, lambda m, ids: [i for i in ids if i in m.of_run]),
    ("messages", {"run_id": "run_nope"}, lambda _m, _ids: []),
    ("messages", {"include[]": "bad"}, newest_first),  # not a parameter of listMessages
    ("steps", {"include[]": INCLUDE}, newest_first),
    ("steps", {"include[]": "bad"}, "include[]"),
    ("steps", {"include[]": ""}, "include[]"),
]
CASES = [
    pytest.param(name, query, expect, id=f"{name}-{'&'.join(f'{k}={v}' for k, v in query.items()) or 'none'}")
    for where, query, expect in ROWS
    for name in (LISTS if where == "*" else [where])
]


@pytest.mark.parametrize(("name", "query", "expect"), CASES)
def test_every_list_parameter(made: Made, name: str, query: dict[str, str], expect: Expect | str) -> None:
    sent = {
        key: {"FIRST": first_id(made, name), "RUN": made.run}.get(value, value)
        for key, value in query.items()
    }
    answer = made.http.get(made.paths[name], params=sent)
    if isinstance(expect, str):
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert (error["type"], error["param"]) == ("invalid_request_error", expect)
        return
    assert answer.status_code == 200, answer.text
    page = answer.json()
    expected = expect(made, made.ids[name])
    assert [o["id"] for o in page["data"]] == expected
    assert page["object"] == "list"
    if expected:
        assert (page["first_id"], page["last_id"]) == (expected[0], expected[-1])


def test_the_table_covers_every_parameter_the_spec_gives_a_list() -> None:
    paths = spec()["paths"]
    covered = {
        name: {key.split("=")[0] for where, query, _ in ROWS if where in ("*", name) for key in query}
        for name in LISTS
    }
    for name, path in LISTS.items():
        given = {p["name"] for p in paths[path]["get"].get("parameters", []) if p["in"] == "query"}
        assert given <= covered[name], f"{name}: the spec gives {sorted(given - covered[name])}, untested"


def test_a_message_filter_by_run_with_the_sdk(made: Made) -> None:
    skip_unless_spec("response:truncation_strategy")  # the SDK's models are Assistants v2's
    openai = pytest.importorskip("openai", reason="the dev extra installs openai")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with openai.OpenAI(
            api_key="sk-user",
            base_url=str(made.http.base_url).rstrip("/"),
            _strict_response_validation=True,
            max_retries=0,
        ) as client:
            beta = client.beta
            mine = [m.id for m in beta.threads.messages.list(thread_id=made.thread, run_id=made.run)]
            theirs = [m.id for m in beta.threads.messages.list(thread_id=made.thread, run_id=made.plain)]
            everything = [
                m.id for m in beta.threads.messages.list(thread_id=made.thread, order="asc", limit=1)
            ]
            steps = beta.threads.runs.steps.list(
                made.run, thread_id=made.thread, include=[INCLUDE], order="asc"
            )
    assert len(mine) == len(theirs) == 1 and mine != theirs
    assert everything == made.ids["messages"]  # auto-paged, one at a time
    assert [s.id for s in steps] == made.ids["steps"]
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
