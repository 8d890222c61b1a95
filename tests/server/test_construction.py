"""A LocalServer that cannot be made (a bad model setting, port or db): its error can be shown
as error trackers show it (every frame's locals formatted), and neither the model key nor the
key the server accepts is in any frame."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from oaii.server import LocalServer, StoreError

MODEL_KEY = "sk-model-construction-secret"
BAD: list[tuple[str, dict[str, Any], type[Exception]]] = [
    ("scheme", {"model_base_url": "ftp://127.0.0.1/v1"}, ValueError),
    ("timeout", {"model_timeout": -1.0}, ValueError),
    ("port", {"port": 65536}, OverflowError),
    ("db", {"db": "/nonexistent-oaii-dir/x.sqlite"}, StoreError),
]


def _frames_holding(error: BaseException, secret: str) -> list[str]:
    found: list[str] = []
    seen: BaseException | None = error
    while seen is not None:
        tb = seen.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename != __file__:
                found += [
                    f"{code.co_name}:{k}" for k, v in list(tb.tb_frame.f_locals.items()) if secret in repr(v)
                ]
            tb = tb.tb_next
        seen = seen.__context__
    return found


@pytest.mark.parametrize("source", ["model_api_key", "OAII_MODEL_API_KEY", "api_key"])
@pytest.mark.parametrize(("bad", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_failed_construction_formats_and_holds_no_key(
    bad: dict[str, Any], expected: type[Exception], source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings: dict[str, Any] = {"model_base_url": "http://127.0.0.1:9/v1", **bad}
    if source.islower():
        settings[source] = MODEL_KEY
    else:
        monkeypatch.setenv(source, MODEL_KEY)
    with pytest.raises(expected) as caught:
        LocalServer(**settings)
    error = caught.value
    shown = traceback.TracebackException(type(error), error, error.__traceback__, capture_locals=True)
    todo: list[traceback.TracebackException | None] = [shown]
    while todo:  # as a tracker shows it, but for this test's own frames (which name the key)
        if (current := todo.pop()) is not None:
            current.stack[:] = [f for f in current.stack if f.filename != __file__]
            todo += [current.__cause__, current.__context__]
    formatted = "".join(shown.format())  # a half-made server's repr must not raise
    assert formatted.rstrip().endswith(str(error).splitlines()[-1])
    assert MODEL_KEY not in formatted
    assert _frames_holding(error, MODEL_KEY) == []


def test_a_running_server_shows_no_key_it_holds() -> None:
    with LocalServer(api_key=MODEL_KEY) as server:
        shown = repr(server) + repr(vars(server)) + repr(vars(server.api))
    assert MODEL_KEY not in shown
