"""The ``oaii`` command line.

    oaii runs create --thread-id T --assistant-id A [--model M] [--instructions TEXT]
                     [--tool code_interpreter] [--metadata k=v ...] [--stream | --poll] [--json]
    oaii runs get --thread-id T --run-id R [--json]
    oaii server [--port 8765] [--create-missing] [--db PATH]

The key and base URL come from the environment as in the library
(``OAII_API_KEY``/``OPENAI_API_KEY``, ``OAII_BASE_URL``/``OPENAI_BASE_URL``) or
from ``--api-key``/``--base-url``.  Errors print ``oaii: error: <message_long>``
and exit 1, or 2 for a bad argument, environment value or busy port (nothing
sent); never a traceback, never the key.  Text that came from a server is
printed with its control characters escaped: a run's fields or a streamed
message cannot drive the terminal (colours, cursor moves, a fake prompt).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from oaii_openapi_client.models.run_object import RunObject

from ._errors import InputError, OaiiError, clip, redact
from ._keys import api_get_key
from ._version import __version__
from .runs import runs_create_run_and_poll, runs_create_run_request, runs_create_run_stream, runs_get_run

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a
# terminal shows.  Newlines and tabs are kept where a text may span lines.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object, *, multiline: bool = False) -> str:
    """``text`` fit for a terminal: control characters shown as ``\\x1b``-style escapes."""
    pattern = _CONTROL if multiline else _CONTROL_OR_NEWLINE
    return pattern.sub(_escape_char, str(text))


class _Parser(argparse.ArgumentParser):
    """argparse that reports as ``oaii: error: ...`` from every subcommand, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"oaii: error: {safe(message)}\n")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected seconds > 0, got {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return value


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
    if as_json:  # json.dumps escapes control characters itself
        out.write(json.dumps(run.to_dict(), indent=2) + "\n")
        return
    out.write(
        f"run {safe(run.id)}\n  status:    {safe(run.status)}\n  thread:    {safe(run.thread_id)}\n"
        f"  assistant: {safe(run.assistant_id)}\n  model:     {safe(run.model)}\n"
    )
    if isinstance(run.instructions, str):
        out.write(f"  instructions: {safe(run.instructions)}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oaii", description="OpenAI Assistants runs from the shell.")
    parser.add_argument("--version", action="version", version=f"oaii {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    runs = commands.add_parser("runs", help="create or get runs").add_subparsers(dest="action", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--thread-id", required=True)
        p.add_argument("--api-key", help="API key (default: $OAII_API_KEY, then $OPENAI_API_KEY)")
        p.add_argument("--base-url", help="server base URL (default: $OAII_BASE_URL, $OPENAI_BASE_URL)")
        p.add_argument("--json", action="store_true", help="print JSON instead of a summary")
        p.add_argument("--timeout", type=_seconds, default=None, help="per-operation timeout in seconds")

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
    create.add_argument("--poll-timeout", type=_seconds, default=600.0)

    get = runs.add_parser("get", help="retrieve a run")
    common(get)
    get.add_argument("--run-id", required=True)

    # `oaii server ARGS` is `python -m oaii.server ARGS`: one parser (the server's), so the two
    # never differ; main() hands the arguments over before this parser reads them.
    commands.add_parser("server", help="run the local Assistants-compatible server", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A server's text may hold characters the terminal's encoding lacks.
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure):
            reconfigure(errors="backslashreplace")
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["server"]:
        return _server(argv[1:])
    args = _parser().parse_args(argv)
    try:
        return _runs(args, out)
    except OaiiError as exc:
        return _fail(exc.message_long, 2 if isinstance(exc, InputError) else 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `oaii ... | head`: the reader left; nothing to report
        # Python would report the pipe again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001  (the CLI's last line: a message, never a traceback)
        key = getattr(args, "api_key", None) or api_get_key()
        return _fail(f"unexpected {type(exc).__name__}: {clip(redact(str(exc), key))}", 1)


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"oaii: error: {safe(message)}\n")
    return code


def _server(argv: list[str]) -> int:
    try:
        from .server import main as server_main
    except ImportError as exc:  # the `server` extra is not installed: its message says what to install
        return _fail(str(exc), 2)
    return server_main(argv)


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
            if args.json:  # json.dumps escapes control characters itself
                out.write(json.dumps({"event": event.event, "data": event.data}) + "\n")
            elif isinstance(event, MessageDeltaEvent):
                out.write(safe(event.text, multiline=True))
                in_text = True
            elif isinstance(event, RunEvent):
                line = f"[{safe(event.event)}] {safe(event.run.id)} {safe(event.run.status)}\n"
                out.write(("\n" if in_text else "") + line)
                in_text = False
            out.flush()
    if in_text:
        out.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
