"""The server's own copy of the spec, and validators compiled from it once.

The copy (``_spec/openapi.json``) is written by ``openapi/subset.py`` from the
vendored subset; the server shares nothing else with the client, so a wrong
client validator cannot hide behind the server's.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import jsonschema_rs


@cache
def spec() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("_spec/openapi.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


_EMPTY = {"array": [], "object": {}, "string": "", "integer": 0, "number": 0, "boolean": False}


@cache
def object_shape(component: str) -> tuple[frozenset[str], dict[str, Any]]:
    """A component's property names, and an empty value for each required one.

    The server builds objects of the current spec's shape; a spec of another
    version (``make spec UPSTREAM=...``) may name fewer fields, or require one the
    server does not fill (v1 runs required ``file_ids``).  Its own copy of that
    spec says which, so every object it answers is of that spec's shape.
    """
    schema = spec()["components"]["schemas"][component]
    properties = schema.get("properties", {})
    empty: dict[str, Any] = {}
    for name in schema.get("required", []):
        kind = properties.get(name, {}).get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        empty[name] = (
            None
            if "null" in kinds or properties.get(name, {}).get("nullable")
            else _EMPTY.get(next((k for k in kinds if k in _EMPTY), ""))
        )
    return frozenset(properties), empty


def conform(component: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with only the fields the spec's ``component`` has, and every required one."""
    names, empty = object_shape(component)
    shaped = {name: value for name, value in data.items() if name in names}
    for name, value in empty.items():
        shaped.setdefault(name, type(value)() if isinstance(value, list | dict) else value)
    return shaped


@cache
def fixups(component: str, keys: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """For objects with exactly ``keys``: the keys ``conform`` would drop, and those it would add.

    Both empty for the vendored spec's shapes, so hot paths skip ``conform`` after one
    cached look-up (``keys`` is the same tuple for every object built by the same code).
    """
    names, empty = object_shape(component)
    return frozenset(keys) - names, frozenset(empty) - frozenset(keys)


def spec_path() -> str:
    """A file path of the spec, for tools that take one (schemathesis)."""
    return str(resources.files(__package__).joinpath("_spec/openapi.json"))


def validator(component: str) -> jsonschema.protocols.Validator:
    """A draft 2020-12 validator of one component schema, its $refs resolved in the spec."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec()["components"]}
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema)


def error_path(error: jsonschema.ValidationError) -> str:
    """``tools[2].function.name`` for an error's place in the body."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class BodyCheck:
    """One request body schema: a fast yes, and jsonschema's judgement for everything else.

    jsonschema-rs (Rust) accepts the common valid body in ~0.4 us where jsonschema takes
    ~40; jsonschema alone decides what is refused and why, so the two never disagree in
    effect: a body jsonschema-rs refuses, or cannot read (a lone surrogate in a key),
    is judged by jsonschema.  Neither is the client's validator (fastjsonschema's code,
    generated from the client's copy of the spec): a wrong one cannot hide behind the other.
    """

    def __init__(self, component: str) -> None:
        self.judge = validator(component)
        schema = {"$ref": f"#/components/schemas/{component}", "components": spec()["components"]}
        self.fast = jsonschema_rs.Draft202012Validator(schema).is_valid
        self.fields = frozenset(spec()["components"]["schemas"][component].get("properties", {}))

    def problem(self, body: Any) -> tuple[str, str | None] | None:
        """(message, param) of the most relevant error, or None when the body is valid."""
        try:
            if self.fast(body):
                return None
        except ValueError:  # a str Rust cannot take (a lone surrogate): jsonschema judges it
            pass
        error = jsonschema.exceptions.best_match(self.judge.iter_errors(body), key=_relevance)
        if error is None:
            return None
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else None
            return f"Missing required parameter: '{missing}'. ({error.message})", missing
        if error.validator == "additionalProperties" and not error.absolute_path:
            extra = sorted(set(body) - self.fields)
            name = extra[0] if extra else None
            return f"Unrecognized request argument supplied: {name}", name
        path = error_path(error) or None
        message = error.message if len(error.message) <= 300 else error.message[:300] + "..."
        return f"Invalid '{path}': {message}.", path


class Verdicts:
    """The bodies a ``BodyCheck`` accepted lately, by their bytes as sent.

    A body is parsed from its bytes, and checked from what was parsed, so the same
    bytes always meet the same verdict: a client sending the body it sent before
    (a retry, a loop creating runs) is not checked again.  Only acceptances are
    kept (a refusal is rare, and jsonschema's message is made anew), at most
    ``MAX_VERDICTS`` bodies of at most ``MAX_VERDICT_BYTES`` each, oldest dropped.
    One per server: only its loop's thread touches it.
    """

    def __init__(self, check: BodyCheck) -> None:
        self.check = check
        self.accepted: dict[bytes, None] = {}

    def problem(self, raw: bytes, body: Any) -> tuple[str, str | None] | None:
        """``check.problem(body)`` for the body parsed from ``raw``."""
        accepted = self.accepted
        if raw in accepted:
            return None
        problem = self.check.problem(body)
        if problem is None and len(raw) <= MAX_VERDICT_BYTES:
            if len(accepted) >= MAX_VERDICTS:
                del accepted[next(iter(accepted))]
            accepted[raw] = None
        return problem


MAX_VERDICTS = 256
MAX_VERDICT_BYTES = 4096


@cache
def body_check(component: str) -> BodyCheck:
    """The check of one request body, compiled once per process (at the first server's start)
    and shared by every server after it: it holds no state."""
    return BodyCheck(component)


def _relevance(error: jsonschema.ValidationError) -> Any:
    return jsonschema.exceptions.relevance(error)
