"""JSON in and out of the server: what ``json.loads``/``json.dumps`` do, without their set-up per call.

``json.dumps`` builds a new C encoder for every call, and ``json.loads`` of bytes
guesses the encoding in Python first; on a request path of tens of microseconds both
show.  The results are the same as theirs (checked at import; if this Python's json
module differs, the plain functions are used).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_decoder = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


def _unserialisable(obj: object) -> Any:
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _make_encoder() -> Callable[[Any], str]:
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:
        return json.dumps

    def encode(obj: Any) -> str:
        return "".join(c_encode(obj, 0))

    sample = {"a": [1, 2.5, None, True, "é\n"], "b": {"c": -1e300}}
    try:
        # An undocumented constructor, so any change in it falls back to json.dumps.  No
        # circular-reference markers: the server serialises only what it built or parsed.
        c_encode = make(
            None, _unserialisable, encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True
        )
        same = encode(sample) == json.dumps(sample)
    except Exception:  # noqa: BLE001 (any surprise means: do not use it)
        same = False
    return encode if same else json.dumps


dumps_text = _make_encoder()


def dumps(obj: Any) -> bytes:
    """``json.dumps(obj).encode()``."""
    return dumps_text(obj).encode()


def loads(raw: bytes) -> Any:
    """``json.loads(raw)``: a ValueError (or RecursionError) for anything that is not one JSON value."""
    if len(raw) < 2 or raw[0] not in b"{[" or not raw[1]:
        return json.loads(raw)  # whitespace first, another encoding, a scalar: the general path
    text = raw.decode("utf-8", "surrogatepass")
    value, end = _decoder.raw_decode(text)
    if end != len(text) and text[end:].strip(_WHITESPACE):
        raise ValueError(f"Extra data at {end}")
    return value
