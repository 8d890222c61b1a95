"""The ``oaii`` command line.

    oaii runs create --thread-id T --assistant-id A [--model M] [--instructions TEXT]
                     [--tool code_interpreter] [--metadata k=v ...] [--stream | --poll] [--json]
    oaii runs get --thread-id T --run-id R [--json]
    oaii server [--port 8765]

The key and base URL come from the environment as in the library
(``OAII_API_KEY``/``OPENAI_API_KEY``, ``OAII_BASE_URL``/``OPENAI_BASE_URL``) or
from ``--api-key``/``--base-url``.  Errors print ``message_long`` and exit 1
(2 for bad arguments); the key is never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from oaii_openapi_client.models.run_object import RunObject

from ._errors import InputError, OaiiError
from ._version import __version__
from .runs import runs_create_run_and_poll, runs_create_run_request, runs_create_run_stream, runs_get_run


def _metadata(pairs: Sequence[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InputError("metadata", f"expected key=value, got {pair!r}")
        out[key] = value
    return out


def _json_fields(pairs: Sequence[str] | None) -> dict[str, Any]:
    out = {}
    for pair in pairs or []:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise InputError("set", f"expected FIELD=JSON, got {pair!r}")
        try:
            out[name] = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(name, f"--set value is not JSON ({exc.msg}): {text!r}") from None
    return out


def _tools(names: Sequence[str] | None, functions: Sequence[str] | None) -> list[dict[str, Any]] | None:
    tools: list[dict[str, Any]] = [{"type": name} for name in names or []]
    tools += [{"type": "function", "function": {"name": name}} for name in functions or []]
    return tools or None


def _show_run(run: RunObject, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(run.to_dict(), indent=2) + "\n")
        return
    out.write(
        f"run {run.id}\n  status:    {run.status}\n  thread:    {run.thread_id}\n"
        f"  assistant: {run.assistant_id}\n  model:     {run.model}\n"
    )
    if isinstance(run.instructions, str):
        out.write(f"  instructions: {run.instructions}\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oaii", description="OpenAI Assistants runs from the shell.")
    parser.add_argument("--version", action="version", version=f"oaii {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    runs = commands.add_parser("runs", help="create or get runs").add_subparsers(dest="action", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--thread-id", required=True)
        p.add_argument("--api-key", help="API key (default: $OAII_API_KEY, then $OPENAI_API_KEY)")
        p.add_argument("--base-url", help="server base URL (default: $OAII_BASE_URL, $OPENAI_BASE_URL)")
        p.add_argument("--json", action="store_true", help="print JSON instead of a summary")
        p.add_argument("--timeout", type=float, default=None, help="per-operation timeout in seconds")

    create = runs.add_parser("create", help="create a run")
    common(create)
    create.add_argument("--assistant-id", required=True)
    create.add_argument("--model")
    create.add_argument("--instructions")
    create.add_argument("--additional-instructions")
    create.add_argument(
        "--tool", action="append", metavar="TYPE", help="a tool by type, e.g. code_interpreter (repeatable)"
    )
    create.add_argument("--function", action="append", help="a function tool by name (repeatable)")
    create.add_argument("--metadata", nargs="+", metavar="KEY=VALUE")
    create.add_argument("--temperature", type=float)
    create.add_argument(
        "--set",
        action="append",
        metavar="FIELD=JSON",
        help="any other CreateRunRequest field, its value as JSON, e.g. --set top_p=0.5 "
        '--set \'truncation_strategy={"type": "auto"}\' (repeatable)',
    )
    mode = create.add_mutually_exclusive_group()
    mode.add_argument("--stream", action="store_true", help="stream events; print text as it arrives")
    mode.add_argument("--poll", action="store_true", help="poll until the run finishes, showing its status")
    create.add_argument("--poll-timeout", type=float, default=600.0)

    get = runs.add_parser("get", help="retrieve a run")
    common(get)
    get.add_argument("--run-id", required=True)

    server = commands.add_parser("server", help="run the local Assistants-compatible server")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8765)
    server.add_argument("--api-key", default=None)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    if args.command == "server":
        from .server import main as server_main

        server_argv = ["--host", args.host, "--port", str(args.port)]
        return server_main(server_argv + (["--api-key", args.api_key] if args.api_key else []))
    try:
        return _runs(args, out)
    except OaiiError as exc:
        sys.stderr.write(f"oaii: error: {exc.message_long}\n")
        return 2 if isinstance(exc, InputError) else 1


def _runs(args: argparse.Namespace, out: TextIO) -> int:
    options: dict[str, Any] = {"api_key": args.api_key, "base_url": args.base_url}
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.action == "get":
        _show_run(runs_get_run(args.thread_id, args.run_id, **options), args.json, out)
        return 0
    fields: dict[str, Any] = {
        "model": args.model,
        "instructions": args.instructions,
        "additional_instructions": args.additional_instructions,
        "tools": _tools(args.tool, args.function),
        "metadata": _metadata(args.metadata),
        "temperature": args.temperature,
        **_json_fields(args.set),
    }
    if args.stream:
        return _stream(args, fields, options, out)
    if args.poll:

        def progress(run: RunObject) -> None:
            if not args.json:
                out.write(f"status: {run.status}\n")
                out.flush()

        run = runs_create_run_and_poll(
            args.thread_id,
            args.assistant_id,
            **fields,
            **options,
            poll_timeout=args.poll_timeout,
            on_status=progress,
        )
    else:
        run = runs_create_run_request(args.thread_id, args.assistant_id, **fields, **options)
    _show_run(run, args.json, out)
    return 0


def _stream(args: argparse.Namespace, fields: dict[str, Any], options: dict[str, Any], out: TextIO) -> int:
    from ._streaming import MessageDeltaEvent, RunEvent

    in_text = False  # a line of streamed text is open
    with runs_create_run_stream(args.thread_id, args.assistant_id, **fields, **options) as stream:
        for event in stream:
            if args.json:
                out.write(json.dumps({"event": event.event, "data": event.data}) + "\n")
            elif isinstance(event, MessageDeltaEvent):
                out.write(event.text)
                in_text = True
            elif isinstance(event, RunEvent):
                out.write(("\n" if in_text else "") + f"[{event.event}] {event.run.id} {event.run.status}\n")
                in_text = False
            out.flush()
    if in_text:
        out.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
