"""``make demo``: create a run on the API examples' thread and assistant, and follow one.

With no ``OAII_BASE_URL``/``OPENAI_BASE_URL`` set, it starts the embedded local
server on loopback and uses a throwaway key, so it works from a fresh clone
with no account; that server runs with ``create_missing=True``, so the API
examples' ids name an empty thread and a default assistant.  With a base URL
set, it talks to that server with your key.
"""

from __future__ import annotations

import os
import sys

from ._errors import OaiiError
from .cli import safe
from .runs import runs_create_run_and_poll, runs_create_run_request
from .server import LocalServer


def main() -> int:
    configured = any(os.environ.get(v) for v in ("OAII_BASE_URL", "OPENAI_BASE_URL"))
    server = None if configured else LocalServer(create_missing=True).start()
    base_url = None if server is None else server.url
    api_key = None if server is None else "sk-local-demo"
    thread_id = os.environ.get("OAII_DEMO_THREAD_ID", "thread_abc123")
    assistant_id = os.environ.get("OAII_DEMO_ASSISTANT_ID", "asst_abc123")
    where = (
        f"the embedded local server at {server.url}"
        if server
        else "the server at $OAII_BASE_URL/$OPENAI_BASE_URL"
    )
    print(f"Creating a run on {thread_id} with {assistant_id} against {where}")
    try:
        run = runs_create_run_request(
            thread_id,
            assistant_id,
            instructions="Please address the user as Jane Doe.",
            tools=[{"type": "code_interpreter"}],
            metadata={"source": "oaii demo"},
            api_key=api_key,
            base_url=base_url,
        )
        print(f"created {safe(run.id)}: status={safe(run.status)} model={safe(run.model)}")
        print("polling a second run until it finishes:")
        final = runs_create_run_and_poll(
            "thread_demo_poll",
            assistant_id,
            poll_interval=0.05,
            on_status=lambda r: print(f"  {safe(r.id)} {safe(r.status)}"),
            api_key=api_key,
            base_url=base_url,
        )
        print(f"done: {safe(final.id)} is {safe(final.status)}")
    except OaiiError as exc:
        print(f"error: {safe(exc.message_long)}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
