"""Cut the Assistants subset (assistants, threads, messages, runs, steps) from an upstream ``openapi.yaml``.

Usage::

    python openapi/subset.py [UPSTREAM] [--out openapi/]

Writes, deterministically (same input, same bytes):

``subset.raw.yaml``
    The ``OPERATIONS`` and every component they reference, unmodified (their
    ``x-oaiMeta`` examples included: the tests parse them).  This is what a
    reviewer compares across spec bumps (see ``spec_report.py``).
``subset.yaml``
    ``subset.raw.yaml`` after the normalisations below; the generator's input.
``wrapper/oaii/_spec/create_run_request.schema.json``
    A draft 2020-12 JSON Schema for the createRun body, for client-side
    validation: the raw schema with OpenAPI's ``nullable`` turned into JSON
    Schema types and the prose-only rules of ``PROSE_RULES`` made explicit.
``wrapper/oaii/_spec/create_run_request_validator.py``
    That JSON Schema compiled to Python by fastjsonschema (``compile_validator``),
    next to it: the client's fast check, so that no call compiles it at run time.
``chat_completions.schema.json``
    The Chat Completions schemas of ``CHAT_SCHEMAS``, as one JSON Schema document:
    what the tests' fake model backend holds the server's executor to (see
    ``chat_json_schema``).
``provenance.json``
    Which upstream file (sha256, info.version, date) and which operations.

Normalisations for openapi-python-client (each one is a known generator trap,
see ../shared/openai-openapi/README.md) are applied to ``subset.yaml`` only, never
to the raw subset.  They are listed, once, in ``NORMALISATIONS`` below: the code
applies them in that order, ``provenance.json`` names them, and
``python openapi/subset.py --normalisations`` prints them for docs/regeneration.md.

The normalised document says ``openapi: 3.1.0``, since N2 writes 3.1 forms.

``wrapper/oaii/server/_spec/openapi.json`` is the local server's own copy (it
validates request bodies and is the conformance test's spec; it never shares the
client's schema).  It is the raw subset with N2's null forms, without
``x-oaiMeta`` and prose, with ``PROSE_RULES`` made explicit as for the client's
schema, and with what the server deliberately answers beyond
upstream's declarations:

S1 streams       createRun and submitToolOuputsToRun answer ``text/event-stream``
                 when the body says ``stream: true`` (upstream declares JSON only).
S2 errors        The statuses in ``SERVER_ERROR_STATUSES`` (400, 401, 404, 413, 503),
                 each with the ``ErrorResponse`` body, on every operation.
                 Statuses of the HTTP layer that no operation can cause (405 with
                 ``Allow``, 408 on a read timeout, 431 for oversized headers) are
                 answered too, and not declared.
S3 media types   Every response's media types are the server's own:
                 ``application/json`` (and S1's ``text/event-stream``).  A media
                 range upstream declares (``*/*``, ``application/*``) becomes
                 ``application/json``: a server answers one concrete type, and the
                 official SDK refuses a wildcard ``Content-Type``.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import hashlib
import itertools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_UPSTREAM = HERE.parent.parent / "shared" / "openai-openapi" / "2026-08-21" / "openapi.yaml"
DEFAULT_SCHEMA_OUT = HERE.parent / "wrapper" / "oaii" / "_spec" / "create_run_request.schema.json"

# (path, method, operationId) kept from upstream.
OPERATIONS = [
    ("/assistants", "post", "createAssistant"),
    ("/assistants", "get", "listAssistants"),
    ("/assistants/{assistant_id}", "get", "getAssistant"),
    ("/assistants/{assistant_id}", "post", "modifyAssistant"),
    ("/assistants/{assistant_id}", "delete", "deleteAssistant"),
    ("/threads", "post", "createThread"),
    ("/threads/runs", "post", "createThreadAndRun"),
    ("/threads/{thread_id}", "get", "getThread"),
    ("/threads/{thread_id}", "post", "modifyThread"),
    ("/threads/{thread_id}", "delete", "deleteThread"),
    ("/threads/{thread_id}/messages", "post", "createMessage"),
    ("/threads/{thread_id}/messages", "get", "listMessages"),
    ("/threads/{thread_id}/messages/{message_id}", "get", "getMessage"),
    ("/threads/{thread_id}/messages/{message_id}", "post", "modifyMessage"),
    ("/threads/{thread_id}/messages/{message_id}", "delete", "deleteMessage"),
    ("/threads/{thread_id}/runs", "post", "createRun"),
    ("/threads/{thread_id}/runs/{run_id}", "get", "getRun"),
    ("/threads/{thread_id}/runs", "get", "listRuns"),
    ("/threads/{thread_id}/runs/{run_id}/cancel", "post", "cancelRun"),
    # upstream's spelling ("Ouputs")
    ("/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", "post", "submitToolOuputsToRun"),
    ("/threads/{thread_id}/runs/{run_id}", "post", "modifyRun"),
    ("/threads/{thread_id}/runs/{run_id}/steps", "get", "listRunSteps"),
    ("/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "get", "getRunStep"),
]

# Without these there is no client; a spec lacking another of OPERATIONS (an older one:
# deleteMessage came with Assistants v2) is cut without it, and says so (absent_operations).
CORE_OPERATIONS = frozenset({"createRun", "getRun"})


def absent_operations(raw: dict[str, Any]) -> list[str]:
    """The OPERATIONS that the spec ``raw`` was cut from does not have."""
    return [
        f"{method.upper()} {path} ({op_id})"
        for path, method, op_id in OPERATIONS
        if method not in raw["paths"].get(path, {})
    ]


# Components no kept operation refers to, cut for the local server: what a stream
# carries (the operations declare JSON only) and the error body.  Left out of the
# generator input (N8).
SERVER_SCHEMAS = [
    "ThreadStreamEvent",
    "RunStreamEvent",
    "RunStepStreamEvent",
    "MessageStreamEvent",
    "ErrorEvent",
    "DoneEvent",
    "ErrorResponse",
]

# Statuses the local server answers beyond the spec's 200/429, declared in its copy
# of the spec (S2) with the ErrorResponse body, so a conformance test can hold it to them.
SERVER_ERROR_STATUSES = {
    "400": "Invalid JSON or body, a second active run, an Idempotency-Key reused with another body",
    "401": "No or wrong API key",
    "404": "No such thread, assistant or run",
    "413": "Body too large",
    "503": "Too many connections",
}

# Rules the spec states only in prose (descriptions), made machine-checkable for
# client-side validation.  Keyed by component name; merged into that schema (or
# into its object member where the component is ``anyOf: [object, null]``).
PROSE_RULES: dict[str, dict[str, Any]] = {
    # "Set of 16 key-value pairs ... Keys are strings with a maximum length of
    # 64 characters. Values are strings with a maximum length of 512 characters."
    "Metadata": {
        "maxProperties": 16,
        "propertyNames": {"maxLength": 64},
        "additionalProperties": {"type": "string", "maxLength": 512},
    },
    # "Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum
    # length of 64."
    "FunctionObject": {"properties": {"name": {"pattern": "^[a-zA-Z0-9_-]{1,64}$"}}},
    # The same sentence, for the name of a json_schema response format.
    "ResponseFormatJsonSchema": {
        "properties": {"json_schema": {"properties": {"name": {"pattern": "^[a-zA-Z0-9_-]{1,64}$"}}}}
    },
}

UNKNOWN_OBJECT = {
    "type": "object",
    "description": "A member of a union that this client's spec does not know yet "
    "(added by normalisation N5); its fields are kept in additional_properties.",
    "additionalProperties": True,
}

SCHEMA_REF = "#/components/schemas/"


# --------------------------------------------------------------------------- cut


def _refs_to_defs(node: Any) -> Any:
    """``node`` with each ``#/components/schemas/X`` reference made ``#/$defs/X`` (a JSON
    Schema document's own)."""
    if isinstance(node, dict):
        return {
            k: (
                "#/$defs/" + v.removeprefix(SCHEMA_REF)
                if k == "$ref" and isinstance(v, str)
                else _refs_to_defs(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_refs_to_defs(v) for v in node]
    return node


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                found.add(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def cut(spec: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for path, method, op_id in OPERATIONS:
        operation = spec["paths"].get(path, {}).get(method)
        if operation is None:
            if op_id in CORE_OPERATIONS:
                raise SystemExit(f"upstream has no {method.upper()} {path} ({op_id}): nothing to generate")
            continue  # not in this version (see absent_operations)
        if operation.get("operationId") != op_id:
            raise SystemExit(
                f"upstream {method.upper()} {path} is {operation.get('operationId')!r}, not {op_id}"
            )
        operation = copy.deepcopy(operation)
        paths.setdefault(path, {})[method] = operation

    components: dict[str, dict[str, Any]] = {}
    todo = sorted(_refs(paths) | {SCHEMA_REF + name for name in [*SERVER_SCHEMAS, *CHAT_SCHEMAS]})
    seen: set[str] = set()
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        node = copy.deepcopy(_resolve(spec, ref))
        components.setdefault(kind, {})[name] = node
        todo.extend(sorted(_refs(node) - seen))

    subset: dict[str, Any] = {
        "openapi": spec["openapi"],
        "info": {
            "title": "OpenAI Assistants API: create a run (subset)",
            "version": spec["info"]["version"],
            "description": "Cut by openapi/subset.py from OpenAI's openapi.yaml (MIT).",
        },
        "servers": spec.get("servers", []),
        "security": spec.get("security", []),
        "paths": paths,
        "components": {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())},
    }
    if "securitySchemes" in spec.get("components", {}):
        subset["components"]["securitySchemes"] = spec["components"]["securitySchemes"]
    return subset


# ------------------------------------------------------------------ normalise

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "propertyNames", "contains", "if", "then", "else")


def _walk_schema(schema: Any, fn: Any) -> Any:
    """Apply ``fn`` bottom-up to every schema object below and at ``schema``."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for key in _SCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {k: _walk_schema(v, fn) for k, v in out[key].items()}
    for key in _SCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [_walk_schema(v, fn) for v in out[key]]
    for key in _SCHEMA_ONE:
        if isinstance(out.get(key), dict):
            out[key] = _walk_schema(out[key], fn)
    return fn(out)


def _null_type_form(schema: dict[str, Any]) -> dict[str, Any]:
    """N2 (and the JSON Schema form): ``nullable: true`` -> 3.1 null types."""
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and any(part == {"nullable": True} for part in all_of):
        rest = [part for part in all_of if part != {"nullable": True}]
        inner = rest[0] if len(rest) == 1 else {"allOf": rest}
        out = {k: v for k, v in schema.items() if k != "allOf"}
        return {**out, "anyOf": [inner, {"type": "null"}]}
    if schema == {"nullable": True}:
        return schema  # an allOf member: its parent rewrites the allOf
    if schema.get("nullable") is not True:
        schema.pop("nullable", None)
        return schema
    schema = {k: v for k, v in schema.items() if k != "nullable"}
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    if isinstance(kind, list):
        if "null" not in kind:
            schema["type"] = [*kind, "null"]
        return schema
    annotations = {k: schema.pop(k) for k in ("description", "example", "x-oaiTypeLabel") if k in schema}
    if set(schema) <= {"anyOf", "oneOf"} and len(schema) == 1:
        key, members = next(iter(schema.items()))
        if not any(m == {"type": "null"} for m in members):
            members = [*members, {"type": "null"}]
        return {**annotations, key: members}
    return {**annotations, "anyOf": [schema, {"type": "null"}]}


def _drop_oai_meta(doc: dict[str, Any]) -> None:
    """N9: drop ``x-oaiMeta`` (examples, SDK snippets): kept in the raw subset for tests, not generated."""
    for item in doc["paths"].values():
        for operation in item.values():
            operation.pop("x-oaiMeta", None)
    for schema in doc["components"].get("schemas", {}).values():
        if isinstance(schema, dict):
            schema.pop("x-oaiMeta", None)


def _drop_title(schema: dict[str, Any]) -> dict[str, Any]:
    """N1."""
    schema.pop("title", None)
    return schema


def _const_to_enum(schema: dict[str, Any]) -> dict[str, Any]:
    """N10."""
    if "const" in schema and "enum" not in schema:
        schema["enum"] = [schema.pop("const")]
    return schema


def _drop_default(schema: dict[str, Any]) -> dict[str, Any]:
    """N3."""
    schema.pop("default", None)
    return schema


def _open_enum(schema: dict[str, Any]) -> dict[str, Any]:
    """N4."""
    values = schema.get("enum")
    if isinstance(values, list) and len([v for v in values if v is not None]) > 1:
        schema = {k: v for k, v in schema.items() if k != "enum"}
        schema["x-enum-values"] = values
    return schema


def _is_object_member(member: Any, schemas: dict[str, Any]) -> bool:
    if not isinstance(member, dict):
        return False
    if "$ref" in member:
        target = schemas.get(member["$ref"].removeprefix(SCHEMA_REF), {})
        return isinstance(target, dict) and (target.get("type") == "object" or "properties" in target)
    return member.get("type") == "object" or "properties" in member


def _open_union(schemas: dict[str, Any]) -> Any:
    """N5."""
    unknown = {"$ref": SCHEMA_REF + "UnknownObject"}

    def fn(schema: dict[str, Any]) -> dict[str, Any]:
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if not isinstance(members, list) or unknown in members:
                continue
            typed = [m for m in members if m != {"type": "null"}]
            if len(typed) >= 2 and any(_is_object_member(m, schemas) for m in typed):
                nulls = [m for m in members if m == {"type": "null"}]
                schema[key] = [*typed, unknown, *nulls]
        return schema

    return fn


def _drop_stray_required(schema: dict[str, Any]) -> dict[str, Any]:
    """N7."""
    required = schema.get("required")
    props = schema.get("properties")
    if isinstance(required, list) and isinstance(props, dict):
        kept = [name for name in required if name in props]
        if kept:
            schema["required"] = kept
        else:
            schema.pop("required")
    return schema


def _optional_nullable_required(schemas: dict[str, Any]) -> Any:
    """N6 (a property is nullable itself, or through the component it refers to)."""

    def nullable(prop: Any) -> bool:
        if not isinstance(prop, dict):
            return False
        if "$ref" in prop:
            return nullable(schemas.get(prop["$ref"].removeprefix(SCHEMA_REF)))
        kind = prop.get("type")
        if kind == "null" or (isinstance(kind, list) and "null" in kind):
            return True
        return any(m == {"type": "null"} for m in prop.get("anyOf", []) + prop.get("oneOf", []))

    def fn(schema: dict[str, Any]) -> dict[str, Any]:
        required = schema.get("required")
        props = schema.get("properties")
        if not isinstance(required, list) or not isinstance(props, dict):
            return schema
        kept = [name for name in required if not nullable(props.get(name))]
        if kept:
            schema["required"] = kept
        else:
            schema.pop("required")
        return schema

    return fn


def _map_schemas(doc: dict[str, Any], fn: Any) -> None:
    schemas = doc["components"].get("schemas", {})
    for name in schemas:
        schemas[name] = _walk_schema(schemas[name], fn)
    for path_item in doc["paths"].values():
        for operation in path_item.values():
            for param in operation.get("parameters", []):
                if "schema" in param:
                    param["schema"] = _walk_schema(param["schema"], fn)
            for holder in [operation.get("requestBody", {}), *operation.get("responses", {}).values()]:
                for media in holder.get("content", {}).values():
                    if "schema" in media:
                        media["schema"] = _walk_schema(media["schema"], fn)
    for response in doc["components"].get("responses", {}).values():
        for header in response.get("headers", {}).values():
            if "schema" in header:
                header["schema"] = _walk_schema(header["schema"], fn)
        for media in response.get("content", {}).values():
            if "schema" in media:
                media["schema"] = _walk_schema(media["schema"], fn)


def _prune_server_schemas(doc: dict[str, Any]) -> None:
    """N8."""
    schemas = doc["components"].get("schemas", {})
    needed: set[str] = set()
    todo = [
        ref.removeprefix(SCHEMA_REF)
        for ref in _refs(doc["paths"]) | _refs(doc["components"].get("responses", {}))
    ]
    while todo:
        name = todo.pop()
        if name in needed or name not in schemas:
            continue
        needed.add(name)
        todo.extend(ref.removeprefix(SCHEMA_REF) for ref in _refs(schemas[name]))
    doc["components"]["schemas"] = {k: v for k, v in schemas.items() if k in needed}


def _add_unknown_object(doc: dict[str, Any]) -> None:
    """N5."""
    schemas = doc["components"]["schemas"]
    schemas["UnknownObject"] = dict(UNKNOWN_OBJECT)
    _map_schemas(doc, _open_union(schemas))


def _on_schemas(fn: Any) -> Any:
    return lambda doc: _map_schemas(doc, fn)


def _with_schemas(make: Any) -> Any:
    return lambda doc: _map_schemas(doc, make(doc["components"]["schemas"]))


@dataclasses.dataclass(frozen=True)
class Normalisation:
    code: str
    name: str
    apply: Callable[[dict[str, Any]], None]
    why: str


#: The one list of normalisations (generator input only), applied in this order (N3 and N10
#: before N2, whose rewrite of a nullable union expects no ``default`` beside it and whose
#: nullable enums take null);
#: provenance.json names them and docs/regeneration.md shows them
#: (``python openapi/subset.py --normalisations``).
NORMALISATIONS: tuple[Normalisation, ...] = (
    Normalisation(
        "N1",
        "titles",
        _on_schemas(_drop_title),
        "Schema `title`s are dropped. The generator names classes after titles; several schemas "
        'share one ("FileSearch tool", "Text"), so it dropped models and then silently skipped '
        "createRun. Without titles, classes are named after component and property names.",
    ),
    Normalisation(
        "N3",
        "defaults",
        _on_schemas(_drop_default),
        "`default` is dropped. Defaults are the server's business: a generated model would "
        "otherwise send `temperature: 1.0` the caller never set, overriding the assistant's own "
        "settings, and would invent values for fields a response left out.",
    ),
    Normalisation(
        "N10",
        "const",
        _on_schemas(_const_to_enum),
        "`const: X` becomes `enum: [X]`, the same rule in OpenAPI 3.0's words. The generator "
        "parses a `const` member of a union without catching its mismatch, so a response_format "
        "object failed on the `const: auto` string member instead of trying the next one.",
    ),
    Normalisation(
        "N2",
        "nullable",
        _on_schemas(_null_type_form),
        '`nullable: true` becomes OpenAPI 3.1 form: `type: [T, "null"]` where a type is given, '
        'else `anyOf: [<schema>, {type: "null"}]`. `allOf: [$ref, {nullable: true}]` and `$ref` '
        'with a sibling `nullable` become `anyOf: [$ref, {type: "null"}]`; the generator lost or '
        "failed on both original forms.",
    ),
    Normalisation(
        "N4",
        "open enums",
        _on_schemas(_open_enum),
        "Enums of more than one value become plain strings (their values kept in "
        "`x-enum-values`). A server that adds a run status or a tool type must not break an "
        "older client; requests are still checked against the enums by the JSON Schema "
        "validator. Single-value enums stay: they tell union members apart.",
    ),
    Normalisation(
        "N5",
        "open unions",
        _add_unknown_object,
        "Every `oneOf`/`anyOf` of objects gets a last member `UnknownObject` (any object, kept "
        "whole in `additional_properties`), so a new tool or response_format type parses "
        "instead of raising.",
    ),
    Normalisation(
        "N6",
        "nullable required",
        _with_schemas(_optional_nullable_required),
        "A property that is both required and nullable becomes optional: the spec's own example "
        "runs omit `required_action`.",
    ),
    Normalisation(
        "N7",
        "stray required",
        _on_schemas(_drop_stray_required),
        "A `required` name with no property is dropped (also from the JSON Schema): the "
        "2024-03-29 spec requires `thread_id` in the createRun body, where no such field exists "
        "(it is the path parameter), which would make every body invalid.",
    ),
    Normalisation(
        "N8",
        "server-only schemas",
        _prune_server_schemas,
        "The components cut only for the local server (`SERVER_SCHEMAS`: stream events, the "
        "error body) are left out of the generator input.",
    ),
    Normalisation(
        "N11",
        "media types",
        lambda doc: _each_response(doc, _own_media_types),
        "A response's media range (`*/*`, `application/*`) or other non-JSON type becomes "
        "`application/json`, what the API answers: the generator fails on `*/*`, and the local "
        "server (S3) answers JSON there too.",
    ),
    Normalisation(
        "N9",
        "examples",
        _drop_oai_meta,
        "`x-oaiMeta` (examples, SDK snippets) is dropped; the raw subset keeps it for the tests.",
    ),
)


def normalise(raw: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(raw)
    doc["openapi"] = "3.1.0"  # N2 writes 3.1 forms
    for normalisation in NORMALISATIONS:
        normalisation.apply(doc)
    doc["components"]["schemas"] = dict(sorted(doc["components"]["schemas"].items()))
    return doc


def normalisations_table() -> str:
    """``NORMALISATIONS`` as a Markdown table (docs/regeneration.md carries it verbatim)."""
    rows = ["| | normalisation | why |", "|---|---|---|"]
    rows += [f"| {n.code} | {n.name} | {n.why} |" for n in NORMALISATIONS]
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------- JSON Schema


def _apply_prose_rules(schemas: dict[str, Any]) -> None:
    for name, rule in PROSE_RULES.items():
        if name not in schemas:
            continue
        target = schemas[name]
        for member in target.get("anyOf", []):
            if isinstance(member, dict) and member.get("type") == "object":
                target = member
        _merge_rule(target, rule)


def _merge_rule(target: dict[str, Any], rule: dict[str, Any]) -> None:
    """Merge ``rule`` into ``target``; ``properties`` nest (a rule on a property of a property)."""
    for key, value in rule.items():
        if key == "properties" and isinstance(target.get(key), dict):
            for prop, extra in value.items():
                if isinstance(target["properties"].get(prop), dict):
                    target["properties"][prop] = dict(target["properties"][prop])
                    _merge_rule(target["properties"][prop], extra)
        else:
            target[key] = value


def _strip_annotations(schema: dict[str, Any]) -> dict[str, Any]:
    # Keep the validator's schema small: it is loaded on first validation.  Defaults
    # go too: they are the server's, and some validators write them into the body.
    annotations = ("description", "example", "examples", "title", "default")
    for key in [k for k in schema if k in annotations or k.startswith("x-")]:
        del schema[key]
    return schema


def _drop_format(schema: dict[str, Any]) -> dict[str, Any]:
    # One validator, one truth: in draft 2020-12 ``format`` only annotates (jsonschema
    # ignores it), but fastjsonschema, a draft-7 validator, asserts it with its own
    # regexes (its ``uri`` refuses a URL with a space that the server takes).  The
    # fast check and the explanation would then disagree; the server judges formats.
    schema.pop("format", None)
    return schema


def request_json_schema(raw: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(raw)
    schemas = doc["components"]["schemas"]
    _apply_prose_rules(schemas)
    _map_schemas(doc, _null_type_form)
    _map_schemas(doc, _strip_annotations)
    _map_schemas(doc, _drop_format)
    _map_schemas(doc, _drop_stray_required)
    needed: dict[str, Any] = {}
    todo = ["CreateRunRequest"]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed[name] = schemas[name]
        todo.extend(ref.removeprefix(SCHEMA_REF) for ref in _refs(schemas[name]))

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by openapi/subset.py from subset.raw.yaml; do not edit.",
        **_refs_to_defs(needed["CreateRunRequest"]),
        "$defs": _refs_to_defs(dict(sorted((k, v) for k, v in needed.items() if k != "CreateRunRequest"))),
    }


# ---------------------------------------------------------- the server's copy


def _strip_prose(schema: dict[str, Any]) -> dict[str, Any]:
    for key in [
        k for k in schema if k in ("description", "example", "examples", "title") or k.startswith("x-")
    ]:
        del schema[key]
    return schema


SERVER_MEDIA_TYPES = ("application/json", "text/event-stream")


def _each_response(doc: dict[str, Any], fn: Callable[[dict[str, Any]], None]) -> None:
    for path_item in doc["paths"].values():
        for operation in path_item.values():
            for response in operation.get("responses", {}).values():
                fn(response)


def _own_media_types(response: dict[str, Any]) -> None:
    """S3 and N11: a media range or another type upstream declares becomes ``application/json``."""
    content = response.get("content")
    if not isinstance(content, dict):
        return
    own: dict[str, Any] = {}
    for media_type, media in content.items():
        name = media_type if media_type in SERVER_MEDIA_TYPES else "application/json"
        if media_type == name or name not in content:
            own.setdefault(name, media)
    response["content"] = own


def server_spec(raw: dict[str, Any]) -> dict[str, Any]:
    """The local server's copy of the spec (S1, S2, S3 in the docstring)."""
    doc = copy.deepcopy(raw)
    doc["openapi"] = "3.1.0"
    _drop_chat_schemas(doc)
    _drop_oai_meta(doc)
    _apply_prose_rules(doc["components"]["schemas"])
    _map_schemas(doc, _null_type_form)
    _map_schemas(doc, _strip_prose)
    _map_schemas(doc, _drop_stray_required)
    # One server-sent event (schemathesis checks each one as such): its event name and its data.
    event = {
        "type": "object",
        "required": ["data"],
        "properties": {"event": {"type": "string"}, "data": {"type": "string"}, "id": {"type": "string"}},
    }
    stream = {"text/event-stream": {"schema": event}}
    error = {"application/json": {"schema": {"$ref": SCHEMA_REF + "ErrorResponse"}}}
    for path_item in doc["paths"].values():
        for method, operation in path_item.items():
            operation.pop("description", None)
            for param in operation.get("parameters", []):
                param.pop("description", None)
            responses = operation["responses"]
            if method == "post" and "requestBody" in operation:
                body_ref = operation["requestBody"]["content"]["application/json"]["schema"].get("$ref", "")
                target = doc["components"]["schemas"].get(body_ref.removeprefix(SCHEMA_REF), {})
                if "stream" in target.get("properties", {}):
                    responses["200"]["content"].update(stream)  # S1
            for status, text in SERVER_ERROR_STATUSES.items():  # S2
                responses.setdefault(status, {"description": text, "content": error})
    _each_response(doc, _own_media_types)  # S3
    return doc


# ---------------------------------------------------------------------- main


def dump_yaml(doc: Any) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def load_yaml(path: Path) -> Any:
    return parse_yaml(path.read_bytes())


class _RedefiningLoader(yaml.SafeLoader):
    """YAML 1.2 lets an anchor be defined again (an alias means the latest one); libyaml and
    PyYAML refuse it, and upstream's 2024-04-30 file does it (``run_temperature_description``)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if not isinstance(event, yaml.AliasEvent) and getattr(event, "anchor", None) is not None:
            self.anchors.pop(event.anchor, None)
        return super().compose_node(parent, index)


def parse_yaml(data: bytes) -> Any:
    """libyaml's fast loader; the slower redefining one only for a file that needs it."""
    try:
        return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.composer.ComposerError as error:
        if "duplicate anchor" not in str(error):
            raise
        return yaml.load(data, Loader=_RedefiningLoader)


VALIDATOR_FILE = "create_run_request_validator.py"


def compile_validator(schema: dict[str, Any], schema_text: str) -> str:
    """The JSON Schema as a Python module (fastjsonschema's ``compile_to_code``).

    fastjsonschema knows drafts 4-7; the schema uses nothing newer than draft 7
    but ``$defs``, which it resolves as a plain JSON pointer.  ``use_default=False``:
    it would otherwise write the spec's defaults into the body it checks.  Plain
    exceptions and no ``format`` checks: jsonschema explains a failure, and
    ``format`` is dropped from the schema anyway (``_drop_format``).  The module
    also carries the body's field names, so a call need not load the JSON.
    Exclusive ``oneOf``s are compiled as ``anyOf`` (``_exclusive_unions_as_any_of``).
    """
    import fastjsonschema

    draft7 = _exclusive_unions_as_any_of(
        _const_as_enum({**copy.deepcopy(schema), "$schema": "http://json-schema.org/draft-07/schema#"})
    )
    code = fastjsonschema.compile_to_code(
        draft7, use_default=False, use_formats=False, detailed_exceptions=False
    )
    digest = hashlib.sha256(schema_text.encode("utf-8")).hexdigest()
    header = (
        "# Generated by openapi/subset.py from create_run_request.schema.json; do not edit.\n"
        "# ruff: noqa\n# mypy: ignore-errors\n# fmt: off\n"
        f"SCHEMA_SHA256 = {digest!r}\n"
        f"FIELDS = {tuple(schema['properties'])!r}\n"
    )
    return header + code.rstrip() + "\n"


def _const_as_enum(node: Any) -> Any:
    """``const: X`` becomes ``enum: [X]`` (the same rule), in place: fastjsonschema's code for
    ``const`` without detailed exceptions fails to compile (KeyError 'definition_rule'), and
    OpenAPI 3.1 specs may tag union members with ``const``."""
    if isinstance(node, dict):
        if "const" in node and "enum" not in node:
            node["enum"] = [node.pop("const")]
        for value in node.values():
            _const_as_enum(value)
    elif isinstance(node, list):
        for value in node:
            _const_as_enum(value)
    return node


def _exclusive_unions_as_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """Each ``oneOf`` that no value can match twice becomes ``anyOf``, in place.

    The verdict is the same (at most one member can match, so "exactly one" is "at
    least one"), but fastjsonschema stops an ``anyOf`` at the first member that
    matches, where it tries every member of a ``oneOf``, each failing one costing
    an exception: ~20 us a call for one tool.  Members are told apart by their JSON
    types, or, for objects, by a required property whose enums do not overlap (the
    tool ``type``).  Only the compiled fast check changes; jsonschema, which
    explains refusals, keeps the schema as written.
    """
    defs = schema.get("$defs", {})

    def resolved(member: Any) -> Any:
        seen = 0
        while isinstance(member, dict) and "$ref" in member and seen < 10:
            member = defs.get(member["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        return member

    def types(member: dict[str, Any]) -> set[str] | None:
        kind = member.get("type")
        if kind is None:
            return None
        return {kind} if isinstance(kind, str) else set(kind)

    def tags(member: dict[str, Any]) -> dict[str, set[Any]]:
        # required properties pinned to an enum or a const
        props = member.get("properties", {})
        found = {}
        for name in member.get("required", []):
            prop = props.get(name, {})
            if "const" in prop:
                found[name] = {json.dumps(prop["const"])}
            elif isinstance(prop.get("enum"), list):
                found[name] = {json.dumps(v) for v in prop["enum"]}
        return found

    def disjoint(a: Any, b: Any) -> bool:
        if not (isinstance(a, dict) and isinstance(b, dict)):
            return False
        ta, tb = types(a), types(b)
        if ta is not None and tb is not None and not ta & tb:
            return True
        if ta != {"object"} or tb != {"object"}:
            return False
        ga, gb = tags(a), tags(b)
        return any(not ga[name] & gb[name] for name in ga.keys() & gb.keys())

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            members = node.get("oneOf")
            if isinstance(members, list):
                flat = [resolved(m) for m in members]
                pairs = itertools.combinations(flat, 2)
                exclusive = all(disjoint(a, b) for a, b in pairs)
                if exclusive and "anyOf" not in node:
                    node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def derive(raw: dict[str, Any], out: Path, schema_out: Path, server_spec_out: Path) -> None:
    """Write what is derived from the raw subset: the generator input, the JSON Schema, its
    validator, and the local server's own copy of the spec."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "subset.yaml").write_text(dump_yaml(normalise(raw)), encoding="utf-8")
    schema_out.parent.mkdir(parents=True, exist_ok=True)
    schema = request_json_schema(raw)
    schema_text = json.dumps(schema, indent=1) + "\n"
    schema_out.write_text(schema_text, encoding="utf-8")
    validator = compile_validator(schema, schema_text)
    (schema_out.parent / VALIDATOR_FILE).write_text(validator, encoding="utf-8")
    server_spec_out.parent.mkdir(parents=True, exist_ok=True)
    server_spec_out.write_text(json.dumps(server_spec(raw), indent=1) + "\n", encoding="utf-8")
    (out / CHAT_SCHEMA_FILE).write_text(json.dumps(chat_json_schema(raw), indent=1) + "\n", encoding="utf-8")


def cut_upstream(upstream: Path, out: Path, upstream_date: str | None = None) -> dict[str, Any]:
    data = upstream.read_bytes()
    spec = parse_yaml(data)
    raw = cut(spec)
    out.mkdir(parents=True, exist_ok=True)
    sha256 = hashlib.sha256(data).hexdigest()
    date = upstream_date or spec_date(spec) or _kept_date(out / "provenance.json", sha256)
    if date is None:
        print(
            "subset.py: the spec carries no date; upstream_date is null in provenance.json "
            "(pass --upstream-date, or make spec UPSTREAM_DATE=YYYY-MM-DD)",
            file=sys.stderr,
        )
    (out / "subset.raw.yaml").write_text(dump_yaml(raw), encoding="utf-8")
    provenance = {
        "upstream": "openai/openai-openapi openapi.yaml",
        "upstream_sha256": sha256,
        "upstream_openapi": spec["openapi"],
        "upstream_info_version": spec["info"]["version"],
        "upstream_date": date,
        "operations": [
            f"{method.upper()} {path} ({op_id})"
            for path, method, op_id in OPERATIONS
            if method in raw["paths"].get(path, {})
        ],
        "normalisations": [f"{n.code} {n.name}" for n in NORMALISATIONS],
        "schemas": len(raw["components"].get("schemas", {})),
    }
    if absent := absent_operations(raw):
        provenance["absent_operations"] = absent
        print(f"subset.py: this spec lacks operations, cut without them: {absent}", file=sys.stderr)
    (out / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return raw


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Where a spec may state its own date (none of OpenAI's have, up to 2026-08).
DATE_KEYS = ("x-date", "x-release-date", "x-upstream-date")


def spec_date(spec: dict[str, Any]) -> str | None:
    """The date the spec states of itself (``info.x-date`` and the like), if any."""
    info = spec.get("info", {})
    for key in DATE_KEYS:
        value = str(info.get(key, ""))[:10]
        if _DATE.match(value):
            return value
    return None


def _kept_date(provenance: Path, sha256: str) -> str | None:
    """The recorded date when the same upstream file is cut again (a re-run of ``make spec``)."""
    try:
        old = json.loads(provenance.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kept = old.get("upstream_date") if old.get("upstream_sha256") == sha256 else None
    return kept if isinstance(kept, str) else None


def warn_missing_seed(raw: dict[str, Any]) -> list[str]:
    """Print, loudly on stderr, each explicit argument of runs_create_run_request the spec lacks."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from spec_report import seed_check

    problems = seed_check(raw)
    if problems:
        rule = "!" * 78
        lines = [rule, "subset.py: THIS SPEC LACKS ARGUMENTS OF runs_create_run_request:"]
        lines += [f"  {problem}" for problem in problems]
        lines += ["Callers that pass them get InputError; tell them (README, changelog).", rule]
        print("\n".join(lines), file=sys.stderr)
    return problems


# ------------------------------------------------- the model backend's schemas (issue 20)
# The Chat Completions schemas the server's model-backed executor speaks.  They are cut
# into the raw subset with the rest (a spec bump shows in its diff), but they are the
# executor's backend's, not the Assistants API's: left out of the generator input (N8) and
# of the server's spec (``_drop_chat_schemas``), and written as one JSON Schema document,
# ``CHAT_SCHEMA_FILE`` beside the subset, that the tests' fake backend validates against.

CHAT_SCHEMAS = [
    "CreateChatCompletionRequest",
    "CreateChatCompletionResponse",
    "CreateChatCompletionStreamResponse",
]
CHAT_SCHEMA_FILE = "chat_completions.schema.json"


def _closure(schemas: dict[str, Any], roots: list[str]) -> set[str]:
    found: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in found or name not in schemas:
            continue
        found.add(name)
        todo.extend(ref.removeprefix(SCHEMA_REF) for ref in _refs(schemas[name]))
    return found


def _drop_chat_schemas(doc: dict[str, Any]) -> None:
    """The components only ``CHAT_SCHEMAS`` need go: what the operations or ``SERVER_SCHEMAS``
    refer to stays."""
    schemas = doc["components"].get("schemas", {})
    used = _refs(doc["paths"]) | _refs(doc["components"].get("responses", {}))
    keep = _closure(schemas, [*(ref.removeprefix(SCHEMA_REF) for ref in used), *SERVER_SCHEMAS])
    doc["components"]["schemas"] = {k: v for k, v in schemas.items() if k in keep}


def chat_json_schema(raw: dict[str, Any]) -> dict[str, Any]:
    """``CHAT_SCHEMAS`` and what they refer to, as draft 2020-12 ``$defs`` (validate one with
    ``{"$ref": "#/$defs/NAME"}`` against this document): nulls in JSON Schema form, prose
    and ``format`` dropped, ``PROSE_RULES`` applied, as for the createRun body's schema."""
    schemas = copy.deepcopy(raw["components"]["schemas"])
    doc = {"paths": {}, "components": {"schemas": {k: schemas[k] for k in _closure(schemas, CHAT_SCHEMAS)}}}
    _apply_prose_rules(doc["components"]["schemas"])
    _map_schemas(doc, _null_type_form)
    _map_schemas(doc, _strip_annotations)
    _map_schemas(doc, _drop_format)
    _map_schemas(doc, _drop_stray_required)

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by openapi/subset.py from subset.raw.yaml; do not edit. "
        f"Roots: {', '.join(CHAT_SCHEMAS)}.",
        "$defs": _refs_to_defs(dict(sorted(doc["components"]["schemas"].items()))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("upstream", nargs="?", type=Path, default=DEFAULT_UPSTREAM)
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the subset (default: openapi/)")
    parser.add_argument(
        "--schema-out",
        type=Path,
        default=DEFAULT_SCHEMA_OUT,
        help="where the runtime JSON Schema goes (default: the oaii package); its compiled "
        f"validator goes next to it, as {VALIDATOR_FILE}",
    )
    parser.add_argument(
        "--server-spec-out",
        type=Path,
        default=None,
        help="where the local server's copy of the spec goes (default: server/_spec/openapi.json "
        "beside the folder of --schema-out, i.e. in the same oaii package)",
    )
    parser.add_argument(
        "--from-raw",
        action="store_true",
        help="re-derive from openapi/subset.raw.yaml instead of cutting an upstream file",
    )
    parser.add_argument("--no-report", action="store_true", help="do not print the change report")
    parser.add_argument(
        "--upstream-date",
        metavar="YYYY-MM-DD",
        help="the upstream file's date for provenance.json (default: the date the spec states "
        "of itself, else the recorded one if the same file is cut again, else null)",
    )
    parser.add_argument(
        "--normalisations", action="store_true", help="print NORMALISATIONS as a Markdown table and stop"
    )
    args = parser.parse_args(argv)
    if args.normalisations:
        print(normalisations_table(), end="")
        return 0
    if args.upstream_date is not None and not _DATE.match(args.upstream_date):
        parser.error(f"--upstream-date must be YYYY-MM-DD, not {args.upstream_date!r}")
    if args.server_spec_out is None:
        args.server_spec_out = args.schema_out.parent.parent / "server" / "_spec" / "openapi.json"
    if args.from_raw:
        derive(load_yaml(HERE / "subset.raw.yaml"), args.out, args.schema_out, args.server_spec_out)
        return 0
    if not args.upstream.is_file():
        print(
            f"subset.py: no upstream file at {args.upstream}; pass one (make spec UPSTREAM=...)",
            file=sys.stderr,
        )
        return 2
    old_path = args.out / "subset.raw.yaml"
    old = load_yaml(old_path) if old_path.is_file() else None
    raw = cut_upstream(args.upstream, args.out, args.upstream_date)
    derive(raw, args.out, args.schema_out, args.server_spec_out)
    warn_missing_seed(raw)
    if not args.no_report:
        sys.path.insert(0, str(HERE))
        from spec_report import report

        print(report(old, raw))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
