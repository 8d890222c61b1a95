"""What changed between two raw subsets (``subset.raw.yaml``), in a page instead of a diff.

``make spec`` prints it after cutting a new subset; ``python openapi/spec_report.py OLD NEW``
compares any two raw subsets.  It lists operations, query parameters and
request fields added or removed, request fields whose type or rules changed,
required-ness changes, enum values added or removed anywhere in the subset,
and schemas added or removed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

REQUEST_SCHEMA = "CreateRunRequest"
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
    lines += _added_removed(f"{REQUEST_SCHEMA} field", set(old_fields), set(new_fields))
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
    if not lines:
        return f"{head}: no change in operations, fields, enums or schemas"
    return f"{head}, {len(lines)} change(s):\n" + "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: spec_report.py OLD_subset.raw.yaml NEW_subset.raw.yaml", file=sys.stderr)
        return 2
    old, new = (yaml.safe_load(Path(p).read_text(encoding="utf-8")) for p in argv)
    print(report(old, new))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
