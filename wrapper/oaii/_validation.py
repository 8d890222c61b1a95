"""Client-side checks of a createRun request, derived from the vendored spec.

The body is checked against ``_spec/create_run_request.schema.json``, which
``openapi/subset.py`` derives from the vendored ``CreateRunRequest``; no rule
here is written by hand except the ones about URL paths and headers, which the
spec cannot express.

The fast check is ``_spec/create_run_request_validator.py``: the same schema,
compiled to Python by fastjsonschema at ``make spec`` and committed (``make
check-generated`` regenerates and compares it), so no call pays for compiling it
and threads cannot race to compile it.  jsonschema explains a failure, and has
the last word: a body is refused only when jsonschema finds the error it reports,
so the check and its explanation cannot disagree (``tests/spec/test_validator_agreement.py``
also checks, on generated bodies, that they agree).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from ._errors import InputError

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

# Assistants v1 names that v2 renamed: the R package's examples still use them.
V1_TOOL_RENAMES = {"retrieval": "file_search"}
_UNSAFE_ID = re.compile(r"[/?#%\\\s\x00-\x1f\x7f]")
#: The spec gives ids no length; OpenAI's are under 40 characters.  256 (the
#: spec's limit for names) leaves room for other servers and keeps a URL short.
MAX_ID_CHARS = 256
# RFC 9110 token characters: what a header name may hold.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


@functools.cache
def request_schema() -> dict[str, Any]:
    """The JSON Schema of the createRun body (draft 2020-12)."""
    text = resources.files("oaii").joinpath("_spec/create_run_request.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _fast_check() -> Callable[[Any], Any]:
    """The precompiled validator (see the module docstring)."""
    from ._spec import create_run_request_validator as compiled

    check: Callable[[Any], Any] = compiled.validate
    return check


@functools.cache
def _validator() -> Validator:
    from jsonschema import Draft202012Validator, validators

    # ``pattern`` as ECMA-262 reads it, as fastjsonschema does: '$' ends the
    # string.  Python's '$' also matches before a final newline, so jsonschema
    # alone would take the function name "f\n" that the fast check refuses.
    checker = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})  # type: ignore[no-untyped-call]
    validator: Validator = checker(request_schema())
    return validator


_DOLLAR = re.compile(r"(?<!\\)\$")


@functools.lru_cache(maxsize=64)
def _compiled_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterable[ValidationError]:
    from jsonschema import ValidationError as _VE

    if isinstance(instance, str) and not _compiled_pattern(pattern).search(instance):
        yield _VE(f"{instance!r} does not match {pattern!r}")


@functools.cache
def body_fields() -> tuple[str, ...]:
    """The top-level fields of ``CreateRunRequest``, in spec order (from the compiled module)."""
    from ._spec import create_run_request_validator as compiled

    fields: tuple[str, ...] = compiled.FIELDS
    return fields


def check_path_id(argument: str, value: object) -> str:
    """``value`` if it is a non-empty string that can stand as one URL path segment."""
    if not isinstance(value, str):
        raise InputError(argument, f"must be a string, got {type(value).__name__}")
    if not value:
        raise InputError(argument, "must not be empty")
    if len(value) > MAX_ID_CHARS:
        raise InputError(argument, f"has {len(value)} characters; at most {MAX_ID_CHARS} allowed")
    if _UNSAFE_ID.search(value) or value in (".", "..") or ".." in value:
        raise InputError(
            argument,
            f"must be one URL path segment: no '/', '?', '#', '%', '..' or whitespace; got {value!r}",
        )
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                argument, f"holds a lone surrogate: not valid Unicode text; got {value!r}"
            ) from None
    return value


def check_header(argument: str, name: object, value: object) -> str:
    """``value`` if ``name: value`` can be sent as an HTTP header as given.

    Refused here rather than by httpx or h11 mid-send, where it would look like a
    network fault: a name that is not an RFC 9110 token, a value that is not a
    string of printable ASCII (CR/LF would split the header; httpx cannot encode
    non-ASCII), or one with whitespace at either end (h11 refuses it).
    """
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        raise InputError(argument, f"{_short(name)} is not a valid header name")
    if not isinstance(value, str):
        raise InputError(argument, f"header {name!r} must be a string, got {type(value).__name__}")
    if not all(32 <= ord(ch) <= 126 or ch == "\t" for ch in value):
        raise InputError(
            argument,
            f"header {name!r} must be printable ASCII: no newlines, control or non-ASCII characters",
        )
    if value != value.strip(" \t"):
        raise InputError(argument, f"header {name!r} must not start or end with whitespace")
    return value


def check_body(body: Mapping[str, Any]) -> None:
    """Raise ``InputError`` naming the argument, the rule and the path, if ``body`` breaks the schema."""
    try:
        _fast_check()(body)
    except ValueError:  # fastjsonschema.JsonSchemaValueException
        pass
    else:
        return
    # Only for a body the schema refuses: under a v1 spec, 'retrieval' is fine.
    _check_one_tool(body.get("tools"))
    _check_v1_tools(body.get("tools"))
    # jsonschema explains failures better (paths into unions, best match): it only
    # runs for bodies already known to be bad, and it decides.
    error = _first_error(_validator().iter_errors(body))
    if error is None:
        return
    path = list(error.absolute_path)
    argument = str(path[0]) if path else _argument_of(error)
    raise InputError(argument, _rule(error), path=_format_path(path) if path else argument)


def _check_one_tool(tools: object) -> None:
    # The R package's own example passes one tool, `tools = list(type = ...)`; translated
    # literally that is a dict, where the API wants a list of tools.
    if isinstance(tools, dict) and "type" in tools:
        raise InputError(
            "tools",
            "tools is a list of tools: wrap it in a list, tools=[{'type': ...}] (one tool is a list of one)",
        )


def _check_v1_tools(tools: object) -> None:
    if not isinstance(tools, list):
        return
    for index, tool in enumerate(tools):
        kind = tool.get("type") if isinstance(tool, dict) else None
        if isinstance(kind, str) and kind in V1_TOOL_RENAMES:
            raise InputError(
                "tools",
                f"tool type {kind!r} is from Assistants v1; in v2 it became {V1_TOOL_RENAMES[kind]!r}",
                path=f"tools[{index}].type",
            )


def _first_error(errors: Iterable[ValidationError]) -> ValidationError | None:
    from jsonschema.exceptions import best_match

    error: ValidationError | None = best_match(errors)
    # For a union (a tool, a response_format, a nullable object), report against
    # the member the value was meant for: "function.name does not match", not
    # "is not valid under any of the given schemas".
    while error is not None and error.context:
        deeper = _member_error(error)
        if deeper is None:
            break
        error = deeper
    return error


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _member_error(error: ValidationError) -> ValidationError | None:
    from jsonschema.exceptions import best_match

    schema = error.schema if isinstance(error.schema, dict) else {}
    members = schema.get("oneOf") or schema.get("anyOf") or []
    by_member: dict[Any, list[ValidationError]] = {}
    for sub in error.context or []:
        by_member.setdefault(sub.relative_schema_path[0], []).append(sub)
    instance = error.instance
    kind = instance.get("type") if isinstance(instance, dict) else None
    tagged = {tag: i for i, m in enumerate(members) if (tag := _member_tag(m)) is not None}
    if tagged and isinstance(kind, str):
        index = tagged.get(kind)
        if index is None:
            return _unknown_tag(error, kind, sorted(tagged))
        found: ValidationError | None = best_match(by_member.get(index, []))
        return found
    fitting = [i for i, m in enumerate(members) if _fits_type(_resolve(m), instance)]
    if len(fitting) == 1 and fitting[0] in by_member:
        only: ValidationError | None = best_match(by_member[fitting[0]])
        return only
    return None


def _unknown_tag(error: ValidationError, kind: str, known: list[str]) -> ValidationError:
    from jsonschema import ValidationError as _VE

    return _VE(
        f"type {kind!r} is not one of {known!r}",
        validator="enum",
        path=[*error.absolute_path, "type"],
        instance=kind,
        validator_value=known,
    )


def _resolve(member: Any) -> Any:
    if isinstance(member, dict) and "$ref" in member:
        return request_schema()["$defs"].get(member["$ref"].rsplit("/", 1)[-1], {})
    return member


def _fits_type(member: Any, instance: object) -> bool:
    kinds = member.get("type") if isinstance(member, dict) else None
    if kinds is None:
        return False
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        python = _JSON_TYPES.get(kind, ())
        if isinstance(instance, python) and not (isinstance(instance, bool) and bool not in python):
            return True
    return False


def _member_tag(member: Any) -> str | None:
    """The single ``type`` value that tells this union member apart, if it has one."""
    member = _resolve(member)
    kind = member.get("properties", {}).get("type", {}) if isinstance(member, dict) else {}
    if not isinstance(kind, dict):
        return None
    if isinstance(kind.get("const"), str):  # OpenAPI 3.1's form of the tag
        tag: str = kind["const"]
        return tag
    values = kind.get("enum")
    return values[0] if isinstance(values, list) and len(values) == 1 else None


def _argument_of(error: ValidationError) -> str:
    if error.validator == "required":
        match = re.match(r"'([^']+)'", error.message)
        return match.group(1) if match else "body"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        unknown = sorted(set(error.instance) - allowed)
        return unknown[0] if unknown else "body"
    return "body"


def _rule(error: ValidationError) -> str:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
        return f"{error.message}; known fields: {', '.join(allowed)}"
    rule = error.validator_value
    instance = error.instance
    if "propertyNames" in error.schema_path:
        return f"key {_short(instance)}: {_rule_text(error, rule, instance)}"
    return _rule_text(error, rule, instance)


def _rule_text(error: ValidationError, rule: Any, instance: Any) -> str:
    if error.validator == "enum":
        return f"{_short(instance)} is not one of {rule!r}"
    if error.validator in ("maxProperties", "maxItems", "maxLength", "minItems", "minLength"):
        unit = {"maxProperties": "entries", "maxLength": "characters", "minLength": "characters"}.get(
            str(error.validator), "items"
        )
        bound = "at most" if str(error.validator).startswith("max") else "at least"
        return f"has {len(instance)} {unit}; {bound} {rule} allowed"
    if error.validator == "type":
        return f"{_short(instance)} is not of type {rule!r}"
    if error.validator in ("anyOf", "oneOf"):
        forms = sorted({_form(_resolve(m)) for m in rule})
        return f"{_short(instance)} is none of the allowed forms ({', '.join(forms)})"
    return error.message


def _form(member: Any) -> str:
    tag = _member_tag(member)
    if tag is not None:
        return f"an object of type {tag!r}"
    if isinstance(member, dict) and "enum" in member:
        values = member["enum"]
        return (
            " or ".join(repr(v) for v in values)
            if len(values) <= 4
            else f"one of {len(values)} known strings"
        )
    kinds = member.get("type", "any") if isinstance(member, dict) else "any"
    return "/".join(kinds) if isinstance(kinds, list) else str(kinds)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _format_path(path: list[str | int]) -> str:
    out = str(path[0])
    for part in path[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
