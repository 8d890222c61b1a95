"""What changed between two raw subsets (``subset.raw.yaml``), in a page instead of a diff.

``make spec`` prints it after cutting a new subset; ``python openapi/spec_report.py OLD NEW``
compares any two raw subsets.  It lists operations, query parameters and
request fields added or removed (with what that means for callers of
``runs_create_run_request``), request fields whose type or rules changed,
required-ness changes, response fields added or removed (removed ones break
code that reads them), enum values added or removed anywhere in the subset,
and schemas added or removed.

``seed_check`` says which of the R function's arguments the spec no longer has;
``make spec`` prints it loudly whatever the previous subset was.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

REQUEST_SCHEMA = "CreateRunRequest"
# The explicit parameters of runs_create_run_request that are body fields: assistant_id and the
# R function oaii::runs_create_run_request's own five.  They are the R package's interface, not
# the spec's, so they are named here; openapi/templates/request_options.py.jinja keeps them out
# of the generated CreateRunRequestOptions (keep the two lists in step).
SEED_FIELDS = ("assistant_id", "model", "instructions", "additional_instructions", "tools", "metadata")
_RULES = (
    "type",
    "nullable",
    "$ref",
    "format",
    "minimum",
    "maximum",
    "maxItems",
    "minItems",
    "maxLength",
    "pattern",
    "anyOf",
    "oneOf",
    "allOf",
    "items",
)


def _operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path} ({op.get('operationId')})": op
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if isinstance(op, dict)
    }


def _query(op: dict[str, Any]) -> set[str]:
    return {p["name"] for p in op.get("parameters", []) if isinstance(p, dict) and p.get("in") == "query"}


def _enums(node: Any, where: str, out: dict[str, set[Any]]) -> dict[str, set[Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            out.setdefault(where, set()).update(v for v in node["enum"] if v is not None)
        for key, value in node.items():
            if key not in ("example", "x-oaiMeta", "description"):
                _enums(value, f"{where}.{key}" if where else str(key), out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _enums(value, f"{where}[{index}]", out)
    return out


def _rules(prop: Any) -> dict[str, Any]:
    return {k: prop[k] for k in _RULES if isinstance(prop, dict) and k in prop}


def _values(values: set[Any], shown: int = 8) -> str:
    ordered = sorted(map(str, values))
    more = f" (and {len(ordered) - shown} more)" if len(ordered) > shown else ""
    return ", ".join(ordered[:shown]) + more


def _added_removed(label: str, old: set[str], new: set[str]) -> list[str]:
    lines = [f"  + {label} {name}" for name in sorted(new - old)]
    lines += [f"  - {label} {name}" for name in sorted(old - new)]
    return lines


def _response_schemas(doc: dict[str, Any]) -> set[str]:
    """Components that 2xx answers of the subset's operations are (what callers get back)."""
    names: set[str] = set()
    for op in _operations(doc).values():
        for status, response in op.get("responses", {}).items():
            if not str(status).startswith("2") or not isinstance(response, dict):
                continue
            for media in response.get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "") if isinstance(media, dict) else ""
                if ref.startswith("#/components/schemas/"):
                    names.add(ref.rsplit("/", 1)[1])
    return names


def _properties(doc: dict[str, Any], schema: str) -> dict[str, Any]:
    node = doc.get("components", {}).get("schemas", {}).get(schema, {})
    props = node.get("properties", {}) if isinstance(node, dict) else {}
    return props if isinstance(props, dict) else {}


def seed_check(doc: dict[str, Any]) -> list[str]:
    """One line per explicit argument of runs_create_run_request that ``doc``'s request lacks."""
    fields = _properties(doc, REQUEST_SCHEMA)
    return [
        f"seed argument {name!r} of runs_create_run_request is not a {REQUEST_SCHEMA} field in this spec: "
        f"the wrapper refuses {name}=... with InputError (the parameter stays, for the R signature)"
        for name in SEED_FIELDS
        if name not in fields
    ]


def _request_field_lines(old_fields: dict[str, Any], new_fields: dict[str, Any]) -> list[str]:
    added, removed = sorted(set(new_fields) - set(old_fields)), sorted(set(old_fields) - set(new_fields))
    lines = []
    if added:
        lines.append(
            "  # request fields added: callers may pass them by keyword "
            "(generated into CreateRunRequestOptions; no wrapper edit)"
        )
        lines += [f"  + {REQUEST_SCHEMA} field {name}" for name in added]
    if removed:
        lines.append(
            "  # request fields removed: callers passing them now get InputError, before anything is sent"
        )
        lines += [
            f"  - {REQUEST_SCHEMA} field {name}"
            + (
                f"  <- SEED ARGUMENT: runs_create_run_request({name}=...) is refused"
                if name in SEED_FIELDS
                else ""
            )
            for name in removed
        ]
    return lines


def _response_field_lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = []
    for schema in sorted(_response_schemas(old) | _response_schemas(new)):
        before, after = _properties(old, schema), _properties(new, schema)
        added, removed = sorted(set(after) - set(before)), sorted(set(before) - set(after))
        if added:
            lines.append(f"  # response fields added: new attributes of the generated {schema}")
            lines += [f"  + {schema} field {name} (response)" for name in added]
        if removed:
            lines.append(
                f"  # response fields removed: code reading {schema}.<field> breaks (AttributeError); "
                "a server that still sends one leaves it in .additional_properties"
            )
            lines += [f"  - {schema} field {name} (response)" for name in removed]
    return lines


def report(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    version = new.get("info", {}).get("version")
    if old is None:
        ops = ", ".join(_operations(new))
        return f"spec report: new subset (upstream info.version {version}); operations: {ops}"
    lines: list[str] = []
    old_version = old.get("info", {}).get("version")
    old_ops, new_ops = _operations(old), _operations(new)
    lines += _added_removed("operation", set(old_ops), set(new_ops))
    for name in sorted(set(old_ops) & set(new_ops)):
        lines += _added_removed(f"query parameter of {name}:", _query(old_ops[name]), _query(new_ops[name]))

    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    old_req, new_req = old_schemas.get(REQUEST_SCHEMA, {}), new_schemas.get(REQUEST_SCHEMA, {})
    old_fields, new_fields = old_req.get("properties", {}), new_req.get("properties", {})
    lines += _request_field_lines(old_fields, new_fields)
    for field in sorted(set(old_fields) & set(new_fields)):
        before, after = _rules(old_fields[field]), _rules(new_fields[field])
        if before != after:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            lines.append(f"  ~ {REQUEST_SCHEMA} field {field}: {', '.join(changed)} changed")
    old_required, new_required = set(old_req.get("required", [])), set(new_req.get("required", []))
    lines += [f"  ~ {REQUEST_SCHEMA} field {f} is now required" for f in sorted(new_required - old_required)]
    lines += [
        f"  ~ {REQUEST_SCHEMA} field {f} is no longer required" for f in sorted(old_required - new_required)
    ]
    lines += _response_field_lines(old, new)

    old_enums, new_enums = _enums(old, "", {}), _enums(new, "", {})
    for where in sorted(set(old_enums) | set(new_enums)):
        before, after = old_enums.get(where, set()), new_enums.get(where, set())
        short = where.replace("components.schemas.", "").replace(".properties.", ".")
        if after - before:
            lines.append(f"  + enum values at {short}: {_values(after - before)}")
        if before - after:
            lines.append(f"  - enum values at {short}: {_values(before - after)}")
    lines += _added_removed("schema", set(old_schemas), set(new_schemas))
    head = f"spec report: upstream info.version {old_version} -> {version}"
    changes = sum(1 for line in lines if not line.startswith("  #"))
    if not changes:
        return f"{head}: no change in operations, fields, enums or schemas"
    return f"{head}, {changes} change(s):\n" + "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: spec_report.py OLD_subset.raw.yaml NEW_subset.raw.yaml", file=sys.stderr)
        return 2
    old, new = (yaml.safe_load(Path(p).read_text(encoding="utf-8")) for p in argv)
    print(report(old, new))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
