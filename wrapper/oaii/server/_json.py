"""JSON in and out of the server: what ``json.loads``/``json.dumps`` do, without their set-up per call.

``json.dumps`` builds a new C encoder for every call, and ``json.loads`` of bytes
guesses the encoding in Python first; on a request path of tens of microseconds both
show.  The results are the same as theirs (checked at import; if this Python's json
module differs, the plain functions are used).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

#: Deeper request bodies are refused: whatever is accepted must serialise back inside a list
#: page or a stream event (a few levels more) well within the encoder's recursion limit.
MAX_DEPTH = 100
_INT64 = 2**63


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN/Infinity; the API does not


def _int64(text: str) -> int:
    value = int(text)
    if not -_INT64 <= value < _INT64:
        raise ValueError("an integer beyond 64 bits")  # what JavaScript and Go clients cannot read back
    return value


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("a number beyond the range of a double")  # 1e999 would be echoed as Infinity
    return value


_HOOKS: dict[str, Any] = {"parse_constant": _no_constant, "parse_int": _int64, "parse_float": _finite}
_decoder = json.JSONDecoder(**_HOOKS)
# The scanner JSONDecoder.raw_decode calls (an instance attribute the stubs do not declare).
_scan_once: Callable[[str, int], tuple[Any, int]] = vars(_decoder)["scan_once"]
_WHITESPACE = " \t\n\r"


def _unserialisable(obj: object) -> Any:
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _make_encoder(*, sort_keys: bool = False, compact: bool = False) -> Callable[[Any], str]:
    """``json.dumps`` with these options, its C encoder built once."""
    from json import encoder

    item_separator, key_separator = (",", ":") if compact else (", ", ": ")

    def plain(obj: Any) -> str:
        return json.dumps(obj, sort_keys=sort_keys, separators=(item_separator, key_separator))

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:
        return plain

    def encode(obj: Any) -> str:
        return "".join(c_encode(obj, 0))

    sample = {"b": [1, 2.5, None, True, "é\n"], "a": {"d": -1e300, "c": {}}}
    try:
        # An undocumented constructor, so any change in it falls back to json.dumps.  No
        # circular-reference markers: the server serialises only what it built or parsed.
        c_encode = make(
            None,
            _unserialisable,
            encoder.encode_basestring_ascii,
            None,
            key_separator,
            item_separator,
            sort_keys,
            False,
            True,
        )
        same = encode(sample) == plain(sample)
    except Exception:  # noqa: BLE001 (any surprise means: do not use it)
        same = False
    return encode if same else plain


dumps_text = _make_encoder()
# Sorted keys, no spaces: one text for every JSON-equal value (idempotency fingerprints).
canonical = _make_encoder(sort_keys=True, compact=True)


def dumps(obj: Any) -> bytes:
    """``json.dumps(obj).encode()``."""
    return dumps_text(obj).encode()


def loads(raw: bytes) -> Any:
    """``json.loads(raw)``, refusing (ValueError, or RecursionError) what is not one JSON value
    that any client can read back: NaN and Infinity, numbers beyond a double or integers
    beyond int64, nesting past ``MAX_DEPTH``."""
    if len(raw) < 2 or raw[0] not in b"{[" or not raw[1]:
        # whitespace first, another encoding, a scalar: the general path
        value = json.loads(raw, **_HOOKS)
    else:
        text = raw.decode("utf-8", "surrogatepass")
        try:  # JSONDecoder.raw_decode's own body, without its frame
            value, end = _scan_once(text, 0)
        except StopIteration as err:
            raise json.JSONDecodeError("Expecting value", text, err.value) from None
        if end != len(text) and text[end:].strip(_WHITESPACE):
            raise ValueError(f"Extra data at {end}")
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    return value


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest
