"""The Assistants API routes: request in, reply out (no sockets here)."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote

from . import _objects as objects
from ._executor import Executor
from ._idempotency import MAX_KEY_LENGTH, Seen
from ._json import dumps, dumps_text, loads
from ._live import LiveStream
from ._records import Fault
from ._runs import Run
from ._schema import Verdicts, body_check, spec
from ._store import Page, Store

INCLUDE_VALUES = frozenset({"step_details.tool_calls[*].file_search.results[*].content"})
NO_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
)
NO_BETA = (
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by "
    "setting the header 'OpenAI-Beta: assistants=v2'."
)
# route name -> allowed methods (HEAD goes with GET), and its Allow header
ALLOW = {
    name: (frozenset(methods.split(", ")), b"allow: %s\r\n" % methods.encode())
    for name, methods in {
        "assistants": "GET, HEAD, POST",
        "assistant": "DELETE, GET, HEAD, POST",
        "threads": "POST",
        "thread_and_run": "POST",
        "thread": "DELETE, GET, HEAD, POST",
        "messages": "GET, HEAD, POST",
        "message": "DELETE, GET, HEAD, POST",
        "runs": "GET, HEAD, POST",
        "run": "GET, HEAD, POST",
        "cancel": "POST",
        "submit_tool_outputs": "POST",
        "steps": "GET, HEAD",
        "step": "GET, HEAD",
    }.items()
}
#: The list answers, by the schema each is (its first_id/last_id of an empty page: see Api).
LIST_RESPONSES = (
    "ListAssistantsResponse",
    "ListMessagesResponse",
    "ListRunsResponse",
    "ListRunStepsResponse",
)
#: What each kind of id names, in the API's 404 ("No thread found with id 'thread_x'.").
NOUNS = {"assistant": "assistant", "thread": "thread", "message": "message", "run": "run", "step": "run step"}


JSON_HEADERS = b"content-type: application/json\r\n"
SSE_HEADERS = b"content-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"


class Reply:
    """A response: a body, and its header lines as they are sent (``name: value\\r\\n`` each;
    the connection adds its own framing, request id and server headers)."""

    __slots__ = ("body", "headers", "live", "status")

    def __init__(
        self, status: int, body: bytes = b"", headers: bytes = JSON_HEADERS, live: LiveStream | None = None
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers
        self.live = live  # a stream written as its run goes (the body is then empty)


def error(
    status: int,
    message: str,
    type_: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> Reply:
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return Reply(status, dumps(body))


_RUN_ACTIONS = frozenset({"cancel", "submit_tool_outputs", "steps"})


def route(path: str) -> tuple[str, list[str]] | None:
    """(route name, the ids in the path) of an API path, or None."""
    if path[:12] == "/v1/threads/" and path[-5:] == "/runs":  # createRun's and listRuns' own form
        thread_id = path[12:-5]
        if thread_id and "/" not in thread_id and "%" not in thread_id:
            return "runs", [thread_id]
    parts = path.strip("/").split("/")
    if parts[0] == "v1":
        del parts[0]
    depth = len(parts)
    name: str | None = None
    ids: list[str] = []
    if parts[0] == "assistants" and depth <= 2:
        name, ids = ("assistants", []) if depth == 1 else ("assistant", parts[1:2])
    elif parts[0] == "threads" and depth <= 6:
        ids = parts[1::2]
        if depth == 1:
            name = "threads"
        elif depth == 2:
            name = "thread_and_run" if parts[1] == "runs" else "thread"
        elif parts[2] == "messages" and depth <= 4:
            name = "messages" if depth == 3 else "message"
        elif parts[2] == "runs":
            if depth <= 4:
                name = "runs" if depth == 3 else "run"
            elif parts[4] in _RUN_ACTIONS and (depth == 5 or parts[4] == "steps"):
                name = parts[4] if depth == 5 else "step"
                ids = [parts[1], parts[3], *parts[5:]]
    if name is None or not all(ids):
        return None
    if "%" in path:
        try:  # an id that is not UTF-8 once decoded names nothing (U+FFFD would make two ids one)
            ids = [unquote(p, errors="strict") for p in ids]
        except UnicodeDecodeError:
            return None
    return name, ids


def not_found(kind: str, obj_id: str) -> Reply:
    return error(404, f"No {NOUNS[kind]} found with id '{obj_id[:200]}'.")


def deleted(obj_id: str, object_type: str) -> Reply:
    """The answer to a delete (``DeleteAssistantResponse`` and its twins)."""
    return Reply(200, dumps({"id": obj_id, "object": object_type, "deleted": True}))


class Api:
    def __init__(
        self,
        *,
        api_key: str | None,
        poll_after_ms: int,
        store: Store,
        executor: Executor,
        idempotency: bool,
        create_missing: bool = False,
    ) -> None:
        self.api_key = api_key
        self.store = store
        self.executor = executor
        self.idempotency = idempotency
        self.create_missing = create_missing
        self.create_check = body_check("CreateRunRequest")
        self.create_verdicts = Verdicts(self.create_check)
        schemas = spec()["components"]["schemas"]
        self.checks = {  # (an older spec may lack one: that body is then taken as a JSON object)
            name: body_check(name)
            for name in (
                "SubmitToolOutputsRunRequest",
                "CreateAssistantRequest",
                "ModifyAssistantRequest",
                "CreateThreadRequest",
                "ModifyThreadRequest",
                "CreateMessageRequest",
                "ModifyMessageRequest",
                "ModifyRunRequest",
                "CreateThreadAndRunRequest",
            )
            if name in schemas
        }
        # An empty page's first_id/last_id: null, as the hosted API sent, where the spec served
        # allows it; else "" (the vendored spec's List*Response say string: docs/server-api.md).
        self.empty_ids = {name: None if _allows_null(schemas, name) else "" for name in LIST_RESPONSES}
        self.run_headers = JSON_HEADERS + b"openai-poll-after-ms: %d\r\n" % poll_after_ms
        self._scopes: dict[bytes, bytes] = {}  # bearer key -> the prefix of its idempotency keys
        self.started_at = int(time.time())  # create_missing's threads were made then

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
        key = self._auth(headers)
        if isinstance(key, Reply):
            return key
        query = parse_qs(query_string, keep_blank_values=True) if query_string else {}
        if name == "runs" and method == "POST":
            return self._create(ids[0], path, query, headers, body, fault, key)
        if name[:9] == "assistant":
            return self._assistants(method, ids, query, body)
        if name in {"threads", "thread"}:
            return self._threads(method, ids, body)
        if name == "thread_and_run":
            return self._thread_and_run(body, fault)
        thread = self._thread(ids[0])
        if thread is None:
            return not_found("thread", ids[0])
        if name[:7] == "message":
            return self._messages(method, thread, ids, query, body)
        if name == "runs":
            return self._list(query, "ListRunsResponse", lambda *page: self.store.list_runs(ids[0], *page))
        run = self.store.run(ids[0], ids[1])
        if run is None:
            return not_found("run", ids[1])
        if name == "run":
            if method == "POST":
                return self._modify_run(run, body, fault)
            if method == "GET":  # not HEAD: a look at the headers does not move the run
                self.executor.observe(run)
            return self._run_reply(run.data, fault)
        if name == "cancel":
            problem = self.executor.cancel(run)
            return error(400, problem) if problem else self._run_reply(run.data, fault)
        if name == "submit_tool_outputs":
            return self._submit(run, body, fault)
        refused = _include_problem(query)
        if refused is not None:
            return refused
        if name == "steps":
            return self._list(
                query, "ListRunStepsResponse", lambda *page: self.store.page("step", run.id, *page)
            )
        step = self.store.get("step", ids[2], run.id)
        return Reply(200, dumps(step)) if step is not None else not_found("step", ids[2])

    # ------------------------------------------------------------------ checks

    def _auth(self, headers: dict[bytes, bytes]) -> bytes | Reply:
        """The bearer key, or the answer that refuses the request."""
        auth = headers.get(b"authorization", b"")
        key = auth[7:].strip() if auth[:7].lower() == b"bearer " else b""  # RFC 9110 11.1
        if not key:
            return error(401, NO_KEY)
        if self.api_key is not None and not hmac.compare_digest(key, self.api_key.encode()):
            return error(401, "Incorrect API key provided.", code="invalid_api_key")
        if headers.get(b"openai-beta") != b"assistants=v2":
            return error(400, NO_BETA, code="invalid_beta")
        return key

    def _scoped(self, bearer: bytes, key: bytes) -> bytes:
        """An Idempotency-Key as its bearer key's own: another caller's key names another entry.
        The prefix is a digest (the key itself is never kept), made once per bearer key."""
        scope = self._scopes.get(bearer)
        if scope is None:
            if len(self._scopes) >= 64:
                self._scopes.clear()
            scope = self._scopes[bearer] = hashlib.sha256(b"oaii-idempotency\0" + bearer).digest()[:16]
        return scope + key

    def _body(self, raw: bytes, component: str, *, empty_ok: bool = False) -> tuple[Any, Reply | None]:
        """The JSON object of a request body, checked against its schema."""
        if empty_ok and not raw.strip():
            raw = b"{}"
        body, bad = self._json_body(raw)
        if bad is not None:
            return None, bad
        check = self.checks.get(component)
        problem = check.problem(body) if check is not None else None
        if problem is not None:
            return None, error(400, problem[0], param=problem[1])
        return body, None

    @staticmethod
    def _json_body(raw: bytes) -> tuple[Any, Reply | None]:
        try:
            body = loads(raw)
        except (ValueError, RecursionError):
            return None, error(400, "We could not parse the JSON body of your request.")
        if not isinstance(body, dict):
            return None, error(400, "The body of your request must be a JSON object.")
        return body, None

    # ----------------------------------------------------------- ids and what they name

    def _thread(self, thread_id: str) -> dict[str, Any] | None:
        """The thread, or (``create_missing``) an empty one under any well-formed id.

        Such a thread is not stored until it is modified (``_threads``): it is there already,
        as every well-formed id is, made when the server started.  A createRun on a fresh
        id (a test's loop) then stores a run, not a thread and a run."""
        thread = self.store.get("thread", thread_id)
        if thread is None and self.create_missing and thread_id[:7] == "thread_":
            thread = objects.empty_thread(thread_id, self.started_at)
        return thread

    def _assistant(self, assistant_id: str) -> dict[str, Any] | None:
        """The assistant, or (``create_missing``) the default one under any well-formed id."""
        assistant = self.store.get("assistant", assistant_id)
        if assistant is None and self.create_missing and assistant_id.startswith("asst_"):
            assistant = objects.default_assistant(assistant_id)
            self.store.add("assistant", assistant)
        return assistant

    # ------------------------------------------------------------------ runs

    def _create(
        self,
        thread_id: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[bytes, bytes],
        raw: bytes,
        fault: Fault | None,
        bearer: bytes,
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
        if query:
            refused = _include_problem(query)
            if refused is not None:
                return refused
        # The key as sent (bytes: each byte one character, as latin-1 reads them) names its entry,
        # within its bearer key's own.  A replay is looked up first: it answers what the first
        # request got even once its thread is gone.
        key = headers.get(b"idempotency-key") if self.idempotency else None
        seen = None
        if key is not None:
            if not 0 < len(key) <= MAX_KEY_LENGTH:
                return error(400, f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters long.")
            scoped = self._scoped(bearer, key)
            seen = Seen("POST", path, query, raw)
            known, run_id = self.store.keys.lookup(scoped, seen)
            if known:
                return self._replay(
                    key.decode("latin-1"), scoped, thread_id, run_id, bool(body.get("stream")), fault
                )
        if self.store.get("thread", thread_id) is None and not (
            self.create_missing and thread_id[:7] == "thread_"
        ):
            return not_found("thread", thread_id)  # (_thread's test, without making the dict)
        assistant = self._assistant(body["assistant_id"])
        if assistant is None:
            return not_found("assistant", body["assistant_id"])
        refused = self._refuse_tools(body, assistant)
        if refused is not None:
            return refused
        active = self.store.active_run(thread_id)
        if active is not None:
            return error(400, f"Thread {thread_id} already has an active run {active}.")
        messages = body.get("additional_messages")
        if messages:
            for message in messages:
                self._add_message(thread_id, message, len(raw) // len(messages))
        run, made = self.store.create_run(thread_id, body, len(raw), assistant)
        if key is not None and seen is not None:
            self.store.keys.remember(scoped, seen, run.id, made if made is not None else dumps_text(run.data))
        self.executor.started(run, assistant)
        if body.get("stream"):
            return self._stream(run, created=True)
        if made is not None and fault is None:
            return Reply(200, made.encode(), self.run_headers)
        return self._run_reply(run.data, fault)

    def _replay(
        self, key: str, scoped: bytes, thread_id: str, run_id: str | None, stream: bool, fault: Fault | None
    ) -> Reply:
        if run_id is None:
            return error(
                400,
                f"Keys for idempotent requests can only be used with the same parameters they were "
                f"first used with. Try using a key other than '{key[:64]}' if you meant to execute a "
                "different request.",
                type_="idempotency_error",
            )
        run = self.store.run(thread_id, run_id)
        if run is not None:
            data = run.data
        else:
            # Gone (evicted, or its thread deleted) while its key is kept: the answer the first
            # request got, as an idempotent API replays a saved response (see docs/server-api.md).
            answer = self.store.keys.answer(scoped)
            if answer is None:
                return not_found("run", run_id)
            data = loads(answer.encode())
        if stream:
            # A replayed stream does not run again: one event with the run as it is now.
            events = [_event(f"thread.run.{data['status']}", data), _event("done", "[DONE]")]
            reply = Reply(200, b"".join(events), SSE_HEADERS)
        else:
            reply = self._run_reply(data, fault)
        reply.headers += b"idempotent-replayed: true\r\n"
        return reply

    def _thread_and_run(self, raw: bytes, fault: Fault | None) -> Reply:
        body, bad = self._body(raw, "CreateThreadAndRunRequest")
        if bad is not None:
            return bad
        assistant = self._assistant(body["assistant_id"])
        if assistant is None:
            return not_found("assistant", body["assistant_id"])
        refused = self._refuse_tools(body, assistant)
        if refused is not None:
            return refused
        thread = self._new_thread(body.get("thread") or {}, len(raw))
        run_body = {k: v for k, v in body.items() if k not in ("thread", "tool_resources")}
        run, _ = self.store.create_run(thread["id"], run_body, len(raw), assistant)
        self.executor.started(run, assistant)
        if body.get("stream"):
            return self._stream(run, created=True, first=[_event("thread.created", thread)])
        return self._run_reply(run.data, fault)

    def _modify_run(self, run: Run, raw: bytes, fault: Fault | None) -> Reply:
        body, bad = self._body(raw, "ModifyRunRequest", empty_ok=True)
        if bad is not None:
            return bad
        if "metadata" in body:
            run.data["metadata"] = body["metadata"] or {}
            self.store.save_run(run)
        return self._run_reply(run.data, fault)

    def _submit(self, run: Run, raw: bytes, fault: Fault | None) -> Reply:
        body, bad = self._body(raw, "SubmitToolOutputsRunRequest")
        if bad is not None:
            return bad
        refused = self.executor.submit_tool_outputs(run, body["tool_outputs"])
        if refused is not None:
            return error(400, refused)
        if body.get("stream"):
            return self._stream(run, created=False)
        return self._run_reply(run.data, fault)

    def _run_reply(self, run: dict[str, Any], fault: Fault | None) -> Reply:
        if fault is not None and fault.kind == "patch":  # a newer server's run
            run = {k: v for k, v in {**run, **fault.patch}.items() if k not in fault.drop}
        return Reply(200, dumps(run), self.run_headers)

    def _refuse_tools(self, body: dict[str, Any], assistant: dict[str, Any]) -> Reply | None:
        """A 400 for a run with tools its executor cannot run (the run's own, else its assistant's)."""
        tools = body.get("tools")
        problem = self.executor.refuse(assistant["tools"] if tools is None else tools)
        return None if problem is None else error(400, problem, param="tools")

    def _stream(self, run: Run, *, created: bool, first: list[bytes] | None = None) -> Reply:
        events = self.executor.stream(run, created=created)
        if isinstance(events, LiveStream):  # written as the run goes, after ``first``
            if first:
                events.pending[:0] = first
            return Reply(200, b"", SSE_HEADERS, live=events)
        made = first or []
        made += [_event(name, data) for name, data in events]
        return Reply(200, b"".join(made), SSE_HEADERS)

    # ------------------------------------------------------------- lists

    def _list(
        self,
        query: dict[str, list[str]],
        component: str,
        fetch: Callable[[int, str, str | None, str | None], Page],
    ) -> Reply:
        def one(name: str) -> str | None:
            values = query.get(name)
            return values[-1] if values else None

        text = one("limit")
        try:
            limit = int(text) if text is not None else 20
        except ValueError:
            return error(
                400,
                f"Invalid 'limit': expected an integer, but got '{str(text)[:50]}' instead.",
                param="limit",
            )
        if limit < 1:
            return error(
                400,
                "Invalid 'limit': integer below minimum value. "
                f"Expected a value >= 1, but got {limit} instead.",
                param="limit",
                code="integer_below_min_value",
            )
        if limit > 100:
            return error(
                400,
                "Invalid 'limit': integer above maximum value. "
                f"Expected a value <= 100, but got {limit} instead.",
                param="limit",
                code="integer_above_max_value",
            )
        order = one("order") or "desc"
        if order not in ("asc", "desc"):
            return error(400, f"Invalid 'order': '{order[:50]}'; expected 'asc' or 'desc'.", param="order")
        data, has_more = fetch(limit, order, one("after"), one("before"))
        empty = self.empty_ids.get(component, "")
        page = {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else empty,
            "last_id": data[-1]["id"] if data else empty,
            "has_more": has_more,
        }
        return Reply(200, dumps(page))

    # ------------------------------------------------------------- assistants

    def _assistants(self, method: str, ids: list[str], query: dict[str, list[str]], raw: bytes) -> Reply:
        store = self.store
        if not ids:
            if method == "POST":
                body, bad = self._body(raw, "CreateAssistantRequest")
                if bad is not None:
                    return bad
                made = objects.assistant(store.new_id("asst"), body)
                store.add("assistant", made, len(raw))
                return Reply(200, dumps(made))
            return self._list(
                query, "ListAssistantsResponse", lambda *page: store.page("assistant", None, *page)
            )
        assistant = self._assistant(ids[0])
        if assistant is None:
            return not_found("assistant", ids[0])
        if method == "DELETE":
            store.delete("assistant", ids[0])
            return deleted(ids[0], "assistant.deleted")
        if method == "POST":
            body, bad = self._body(raw, "ModifyAssistantRequest", empty_ok=True)
            if bad is not None:
                return bad
            changed = objects.modified_assistant(assistant, body)  # a new dict: runs hold the old
            store.save("assistant", changed)
            return Reply(200, dumps(changed))
        return Reply(200, dumps(assistant))

    # ------------------------------------------------------------- threads

    def _new_thread(self, body: dict[str, Any], size: int) -> dict[str, Any]:
        thread = objects.thread(self.store.new_id("thread"), body)
        self.store.add("thread", thread, size)
        messages = body.get("messages") or ()
        for message in messages:
            self._add_message(thread["id"], message, size // max(1, len(messages)))
        return thread

    def _threads(self, method: str, ids: list[str], raw: bytes) -> Reply:
        store = self.store
        if not ids:
            body, bad = self._body(raw, "CreateThreadRequest", empty_ok=True)
            if bad is not None:
                return bad
            return Reply(200, dumps(self._new_thread(body, len(raw))))
        thread = self._thread(ids[0])
        if thread is None:
            return not_found("thread", ids[0])
        if method == "DELETE":
            store.delete("thread", ids[0])  # (create_missing's unstored thread: its contents)
            # Its runs' backend calls end now (an executor written before this call existed
            # has no such work, and may not have it).
            thread_deleted = getattr(self.executor, "thread_deleted", None)
            if thread_deleted is not None:
                thread_deleted(ids[0])
            return deleted(ids[0], "thread.deleted")
        if method == "POST":
            body, bad = self._body(raw, "ModifyThreadRequest", empty_ok=True)
            if bad is not None:
                return bad
            if "metadata" in body:
                thread["metadata"] = body["metadata"] or {}
            if "tool_resources" in body:
                thread["tool_resources"] = objects.tool_resources(body["tool_resources"])
            if store.get("thread", ids[0]) is None:
                store.add("thread", thread, len(raw))  # create_missing's thread, stored once changed
            else:
                store.save("thread", thread)
        return Reply(200, dumps(thread))

    # ------------------------------------------------------------- messages

    def _add_message(self, thread_id: str, body: dict[str, Any], size: int) -> dict[str, Any]:
        message = objects.message(self.store.new_id("msg"), thread_id, body)
        self.store.add("message", message, size)
        return message

    def _messages(
        self, method: str, thread: dict[str, Any], ids: list[str], query: dict[str, list[str]], raw: bytes
    ) -> Reply:
        store = self.store
        thread_id = thread["id"]
        if len(ids) == 1:
            if method == "POST":
                body, bad = self._body(raw, "CreateMessageRequest")
                if bad is not None:
                    return bad
                active = store.active_run(thread_id)
                if active is not None:  # the API's rule: a run reads the thread as it found it
                    return error(400, f"Can't add messages to {thread_id} while a run {active} is active.")
                return Reply(200, dumps(self._add_message(thread_id, body, len(raw))))
            run_id = query.get("run_id", [None])[-1]
            return self._list(
                query,
                "ListMessagesResponse",
                lambda limit, order, after, before: store.page(
                    "message", thread_id, limit, order, after, before, run_id=run_id
                ),
            )
        message = store.get("message", ids[1], thread_id)
        if message is None:
            return not_found("message", ids[1])
        if method == "DELETE":
            store.delete("message", ids[1], thread_id)
            return deleted(ids[1], "thread.message.deleted")
        if method == "POST":
            body, bad = self._body(raw, "ModifyMessageRequest", empty_ok=True)
            if bad is not None:
                return bad
            if "metadata" in body:
                message["metadata"] = body["metadata"] or {}
                store.save("message", message)
        return Reply(200, dumps(message))


def _allows_null(schemas: dict[str, Any], component: str) -> bool:
    """Whether both ``first_id`` and ``last_id`` of a list schema may be null (OpenAPI 3.0's
    ``nullable``, 3.1's ``type: [.., "null"]`` or an ``anyOf``/``oneOf`` with a null branch)."""

    def nullable(schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        kind = schema.get("type")
        if schema.get("nullable") is True or kind == "null" or (isinstance(kind, list) and "null" in kind):
            return True
        return any(nullable(s) for key in ("anyOf", "oneOf") for s in schema.get(key) or ())

    properties = schemas.get(component, {}).get("properties", {})
    return all(nullable(properties.get(name)) for name in ("first_id", "last_id"))


def _include_problem(query: dict[str, list[str]]) -> Reply | None:
    for value in query.get("include[]", ()):
        if value not in INCLUDE_VALUES:
            return error(400, f"Invalid value for 'include[]': '{value[:200]}'.", param="include[]")
    return None


def _event(name: str, data: Any) -> bytes:
    text = data if isinstance(data, str) else dumps_text(data)
    return f"event: {name}\ndata: {text}\n\n".encode()
