"""The Assistants API routes: request in, reply out (no sockets here)."""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import parse_qs, unquote

from ._idempotency import MAX_KEY_LENGTH, IdempotencyKeys, Seen
from ._json import dumps, dumps_text, loads
from ._records import Fault
from ._runs import Run, Store, advance, cancel, stream_events, submit_tool_outputs
from ._schema import Verdicts, body_check

INCLUDE_VALUES = frozenset({"step_details.tool_calls[*].file_search.results[*].content"})
NO_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
)
NO_BETA = (
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by "
    "setting the header 'OpenAI-Beta: assistants=v2'."
)
# route shape -> allowed methods (HEAD goes with GET), and its Allow header
ALLOW = {
    name: (frozenset(methods.split(", ")), b"allow: %s\r\n" % methods.encode())
    for name, methods in {
        "runs": "GET, HEAD, POST",
        "run": "GET, HEAD",
        "cancel": "POST",
        "submit_tool_outputs": "POST",
    }.items()
}


JSON_HEADERS = b"content-type: application/json\r\n"
SSE_HEADERS = b"content-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"


class Reply:
    """A response: a body, and its header lines as they are sent (``name: value\\r\\n`` each;
    the connection adds its own framing, request id and server headers)."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, body: bytes = b"", headers: bytes = JSON_HEADERS) -> None:
        self.status = status
        self.body = body
        self.headers = headers


def error(
    status: int,
    message: str,
    type_: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> Reply:
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return Reply(status, dumps(body))


_ROUTE_BY_DEPTH = {3: "runs", 4: "run"}


def route(path: str) -> tuple[str, list[str]] | None:
    """(route name, [thread id, run id]) of an API path, or None."""
    if path[:12] == "/v1/threads/" and path[-5:] == "/runs":  # createRun's and listRuns' own form
        thread_id = path[12:-5]
        if thread_id and "/" not in thread_id and "%" not in thread_id:
            return "runs", [thread_id]
    parts = path.strip("/").split("/")
    if parts[0] == "v1":
        del parts[0]
    depth = len(parts)
    if depth < 3 or depth > 5 or parts[0] != "threads" or parts[2] != "runs":
        return None
    name = _ROUTE_BY_DEPTH.get(depth) or (parts[4] if parts[4] in ("cancel", "submit_tool_outputs") else None)
    if name is None:
        return None
    ids = [parts[1]] if depth == 3 else [parts[1], parts[3]]
    if "%" in path:
        try:  # an id that is not UTF-8 once decoded names nothing (U+FFFD would make two ids one)
            ids = [unquote(p, errors="strict") for p in ids]
        except UnicodeDecodeError:
            return None
    return name, ids


class Api:
    def __init__(
        self,
        *,
        api_key: str | None,
        poll_after_ms: int,
        store: Store,
        keys: IdempotencyKeys,
        idempotency: bool,
    ) -> None:
        self.api_key = api_key
        self.store = store
        self.keys = keys
        self.idempotency = idempotency
        self.create_check = body_check("CreateRunRequest")
        self.create_verdicts = Verdicts(self.create_check)
        self.submit_check = body_check("SubmitToolOutputsRunRequest")
        self.run_headers = JSON_HEADERS + b"openai-poll-after-ms: %d\r\n" % poll_after_ms

    def handle(
        self,
        method: str,
        path: str,
        query_string: str,
        headers: dict[bytes, bytes],
        body: bytes,
        fault: Fault | None,
    ) -> Reply:
        found = route(path)
        if found is None:
            return error(404, f"Invalid URL ({method} {path[:200]})")
        name, ids = found
        allowed, allow_header = ALLOW[name]
        if method not in allowed:
            reply = error(405, f"Method {method[:20]} is not allowed for {path[:200]}.")
            reply.headers += allow_header
            return reply
        refused = self._refuse_auth(headers)
        if refused is not None:
            return refused
        thread_id = ids[0]
        if not thread_id.startswith("thread_"):
            return error(404, f"No thread found with id '{thread_id[:200]}'.")
        query = parse_qs(query_string, keep_blank_values=True) if query_string else {}
        if name == "runs":
            if method == "POST":
                return self._create(thread_id, path, query, headers, body, fault)
            return self._list(thread_id, query)
        run = self.store.get(thread_id, ids[1])
        if run is None:
            return error(404, f"No run found with id '{ids[1][:200]}'.")
        if name == "run":
            if method == "GET":  # not HEAD: a look at the headers does not move the run
                advance(run, self.store)
            return self._run_reply(run.data, fault)
        if name == "cancel":
            problem = cancel(run)
            return error(400, problem) if problem else self._run_reply(run.data, fault)
        return self._submit(run, body, fault)

    # ------------------------------------------------------------------ checks

    def _refuse_auth(self, headers: dict[bytes, bytes]) -> Reply | None:
        auth = headers.get(b"authorization", b"")
        key = auth[7:].strip() if auth[:7].lower() == b"bearer " else b""  # RFC 9110 11.1
        if not key:
            return error(401, NO_KEY)
        if self.api_key is not None and not hmac.compare_digest(key, self.api_key.encode()):
            return error(401, "Incorrect API key provided.", code="invalid_api_key")
        if headers.get(b"openai-beta") != b"assistants=v2":
            return error(400, NO_BETA, code="invalid_beta")
        return None

    @staticmethod
    def _json_body(raw: bytes) -> tuple[Any, Reply | None]:
        try:
            body = loads(raw)
        except (ValueError, RecursionError):
            return None, error(400, "We could not parse the JSON body of your request.")
        if not isinstance(body, dict):
            return None, error(400, "The body of your request must be a JSON object.")
        return body, None

    # ------------------------------------------------------------------ routes

    def _create(
        self,
        thread_id: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[bytes, bytes],
        raw: bytes,
        fault: Fault | None,
    ) -> Reply:
        try:  # _json_body, inline on the hottest path
            body = loads(raw)
        except (ValueError, RecursionError):
            return error(400, "We could not parse the JSON body of your request.")
        if not isinstance(body, dict):
            return error(400, "The body of your request must be a JSON object.")
        problem = self.create_verdicts.problem(raw, body)
        if problem is not None:
            return error(400, problem[0], param=problem[1])
        for value in query.get("include[]", ()) if query else ():
            if value not in INCLUDE_VALUES:
                return error(400, f"Invalid value for 'include[]': '{value[:200]}'.", param="include[]")
        assistant_id = body["assistant_id"]
        if not assistant_id.startswith("asst_"):
            return error(404, f"No assistant found with id '{assistant_id[:200]}'.")
        # The key as sent (bytes: each byte one character, as latin-1 reads them) names its entry.
        key = headers.get(b"idempotency-key") if self.idempotency else None
        seen = None
        if key is not None:
            if not 0 < len(key) <= MAX_KEY_LENGTH:
                return error(400, f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters long.")
            seen = Seen("POST", path, query, raw)
            known, run_id = self.keys.lookup(key, seen)
            if known:
                return self._replay(key.decode("latin-1"), thread_id, run_id, bool(body.get("stream")), fault)
        active = self.store.active_run(thread_id)
        if active is not None:
            return error(400, f"Thread {thread_id} already has an active run {active}.")
        run, made = self.store.create_json(thread_id, body, len(raw))
        if key is not None and seen is not None:
            self.keys.remember(key, seen, run.id)
        if body.get("stream"):
            return self._stream(run, created=True)
        if made is not None and fault is None:
            return Reply(200, made.encode(), self.run_headers)
        return self._run_reply(run.data, fault)

    def _replay(
        self, key: str, thread_id: str, run_id: str | None, stream: bool, fault: Fault | None
    ) -> Reply:
        if run_id is None:
            return error(
                400,
                f"Keys for idempotent requests can only be used with the same parameters they were "
                f"first used with. Try using a key other than '{key[:64]}' if you meant to execute a "
                "different request.",
                type_="idempotency_error",
            )
        run = self.store.get(thread_id, run_id)
        if run is None:  # evicted: as old as the keys it outlived
            return error(404, f"No run found with id '{run_id}'.")
        if stream:
            # A replayed stream does not run again: one event with the run as it is now.
            data = run.data
            events = [_event(f"thread.run.{data['status']}", data), _event("done", "[DONE]")]
            reply = Reply(200, b"".join(events), SSE_HEADERS)
        else:
            reply = self._run_reply(run.data, fault)
        reply.headers += b"idempotent-replayed: true\r\n"
        return reply

    def _list(self, thread_id: str, query: dict[str, list[str]]) -> Reply:
        def one(name: str) -> str | None:
            values = query.get(name)
            return values[-1] if values else None

        try:
            limit = min(100, max(1, int(one("limit") or 20)))
        except ValueError:
            return error(400, "Invalid 'limit': must be an integer.", param="limit")
        order = one("order") or "desc"
        if order not in ("asc", "desc"):
            return error(400, f"Invalid 'order': '{order[:50]}'; expected 'asc' or 'desc'.", param="order")
        data, has_more = self.store.list(thread_id, limit, order, one("after"), one("before"))
        page = {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else "",
            "last_id": data[-1]["id"] if data else "",
            "has_more": has_more,
        }
        return Reply(200, dumps(page))

    def _submit(self, run: Run, raw: bytes, fault: Fault | None) -> Reply:
        body, bad = self._json_body(raw)
        if bad is not None:
            return bad
        problem = self.submit_check.problem(body)
        if problem is not None:
            return error(400, problem[0], param=problem[1])
        refused = submit_tool_outputs(run, body["tool_outputs"])
        if refused is not None:
            return error(400, refused)
        if body.get("stream"):
            return self._stream(run, created=False)
        return self._run_reply(run.data, fault)

    def _run_reply(self, run: dict[str, Any], fault: Fault | None) -> Reply:
        if fault is not None and fault.kind == "patch":  # a newer server's run
            run = {k: v for k, v in {**run, **fault.patch}.items() if k not in fault.drop}
        return Reply(200, dumps(run), self.run_headers)

    def _stream(self, run: Run, *, created: bool) -> Reply:
        events = [_event(name, data) for name, data in stream_events(run, self.store, created=created)]
        return Reply(200, b"".join(events), SSE_HEADERS)


def _event(name: str, data: Any) -> bytes:
    text = data if isinstance(data, str) else dumps_text(data)
    return f"event: {name}\ndata: {text}\n\n".encode()
