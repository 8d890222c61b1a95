"""Proxies, as httpx honours them: every public variant, through a real forward proxy on loopback.

The proxy variables start unset (tests/conftest.py's ``clean_env``).

Each row sets the proxy variables (or ``proxy=``) one way; httpx itself is the
reference, asked the same thing in the same test, and the row also states what
should happen.  What went through the proxy is what the proxy saw.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import oaii
import pytest
from oaii import AsyncClient, Client, InputError
from oaii.server import LocalServer

from .._proxy import ForwardProxy, TlsFront
from ..client.test_variants import VARIANTS, Variant, _ids
from ..conftest import ENV_VARS, KEY
from .test_h1 import certificate  # noqa: F401 (a fixture)

AUTH = ("proxyuser", "pr0xy:secret")
CLOSED_PORT_PROXY = "http://127.0.0.1:9"  # nothing listens there: a call sent to it fails


@attrs.frozen
class Row:
    name: str
    env: Callable[[ForwardProxy, ForwardProxy], dict[str, str]]
    settings: Callable[[ForwardProxy, ForwardProxy], dict[str, Any]]
    through: str | None  # "open", "auth" (which proxy should see the calls), or None: direct


ROWS = [
    Row("HTTP_PROXY", lambda p, a: {"HTTP_PROXY": p.url()}, lambda p, a: {}, "open"),
    # httpx reads HTTPS_PROXY for https targets only: an http target goes direct.
    Row("HTTPS_PROXY-http-target", lambda p, a: {"HTTPS_PROXY": p.url()}, lambda p, a: {}, None),
    Row("ALL_PROXY", lambda p, a: {"ALL_PROXY": p.url()}, lambda p, a: {}, "open"),
    Row("http_proxy-lower-case", lambda p, a: {"http_proxy": p.url()}, lambda p, a: {}, "open"),
    Row("credentials", lambda p, a: {"HTTP_PROXY": a.url(AUTH)}, lambda p, a: {}, "auth"),
    Row(
        "NO_PROXY-excludes-the-target",
        lambda p, a: {"HTTP_PROXY": p.url(), "NO_PROXY": "example.com, 127.0.0.1"},
        lambda p, a: {},
        None,
    ),
    # As in httpx, proxy= replaces the environment, NO_PROXY included.
    Row(
        "proxy-setting",
        lambda p, a: {"HTTP_PROXY": CLOSED_PORT_PROXY, "NO_PROXY": "127.0.0.1"},
        lambda p, a: {"proxy": p.url()},
        "open",
    ),
]


@pytest.fixture(scope="module")
def proxies() -> Iterator[tuple[ForwardProxy, ForwardProxy]]:
    with ForwardProxy() as open_proxy, ForwardProxy(auth=AUTH) as auth_proxy:
        yield open_proxy, auth_proxy


def _httpx_reference(server: LocalServer, settings: dict[str, Any]) -> None:
    """The same kind of call with httpx, configured as a user would (the environment, trust_env)."""
    with httpx.Client(proxy=settings.get("proxy")) as client:
        response = client.get(
            f"{server.url}/threads/thread_ref/runs/run_x",
            headers={"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"},
        )
    assert response.status_code == 404  # the local server's answer, whichever way it came


_REFERENCE: dict[str, str | None] = {}


def _seen(proxies: tuple[ForwardProxy, ForwardProxy]) -> tuple[int, int]:
    return proxies[0].count(), proxies[1].count()


def _went(before: tuple[int, int], after: tuple[int, int]) -> str | None:
    if after[0] > before[0]:
        return "open"
    if after[1] > before[1]:
        return "auth"
    return None


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_proxies_are_honoured_as_httpx_honours_them(
    row: Row,
    variant: Variant,
    reused_server: LocalServer,
    proxies: tuple[ForwardProxy, ForwardProxy],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = reused_server
    thread = f"thread_{row.name}_{_ids(variant)}".replace("-", "_")  # one run at a time per thread
    run_id = variant.prepare(server, thread)  # before the proxy variables are set
    for name, value in row.env(*proxies).items():
        monkeypatch.setenv(name, value)
    settings = row.settings(*proxies)

    if row.name not in _REFERENCE:  # httpx's own way, once per row (a client costs a TLS context)
        before = _seen(proxies)
        _httpx_reference(server, settings)
        _REFERENCE[row.name] = _went(before, _seen(proxies))
    httpx_went = _REFERENCE[row.name]

    server.recorder.clear()
    before = _seen(proxies)
    variant.call(server, thread, dict(settings), {}, run_id=run_id)
    oaii_went = _went(before, _seen(proxies))
    forwarded = max(after - earlier for after, earlier in zip(_seen(proxies), before, strict=True))

    assert httpx_went == row.through, f"httpx itself: {httpx_went}"
    assert oaii_went == row.through
    assert server.requests, "the call reached the server"
    if row.through is not None:  # every request the server saw came through the proxy
        assert forwarded == len(server.requests)
    if row.through == "auth":
        auth_proxy = proxies[1]
        assert {seen.authorization for seen in auth_proxy.seen[-forwarded:]} == {auth_proxy.expected}


# ----------------------------------------------------------------- the http setting


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
@pytest.mark.parametrize("http", [None, "oaii", "httpx"])
def test_http_httpx_sends_everything_through_httpx(
    http: str | None, variant: Variant, reused_server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    server = reused_server
    thread = f"thread_http_{http}_{_ids(variant)}".replace("-", "_")
    run_id = variant.prepare(server, thread)
    server.recorder.clear()
    settings = {} if http is None else {"http": http}
    with caplog.at_level(logging.INFO, logger="httpx"):  # httpx logs each request it sends
        variant.call(server, thread, settings, {}, run_id=run_id)
    through_httpx = [r for r in caplog.records if r.name == "httpx" and "HTTP Request" in r.getMessage()]
    assert server.requests
    assert len(through_httpx) == (len(server.requests) if http == "httpx" else 0)


@pytest.mark.parametrize("value", ["curl", "HTTPX", "", 1, True])
def test_http_setting_is_checked(value: object) -> None:
    with pytest.raises(InputError) as caught:
        Client(api_key=KEY, http=value)  # type: ignore[arg-type]
    assert caught.value.argument == "http"
    assert "'oaii'" in str(caught.value) and "'httpx'" in str(caught.value)


@pytest.mark.parametrize(
    "proxy", ["ftp://user:hunter2@127.0.0.1:21", "http://", "hunter2", "unix:///tmp/hunter2", 8080]
)
def test_proxy_setting_is_checked_and_never_quoted(proxy: object, reused_server: LocalServer) -> None:
    for call in (
        lambda: Client(api_key=KEY, proxy=proxy),
        lambda: oaii.runs_get_run("thread_1", "run_1", api_key=KEY, base_url=reused_server.url, proxy=proxy),
        lambda: asyncio.run(
            oaii.runs_get_run_async("thread_1", "run_1", api_key=KEY, base_url=reused_server.url, proxy=proxy)
        ),
    ):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.argument == "proxy"
        assert "hunter2" not in str(caught.value)
    assert reused_server.requests == []  # nothing sent


def test_a_bad_proxy_variable_is_named(monkeypatch: pytest.MonkeyPatch, reused_server: LocalServer) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "ftp://user:hunter2@127.0.0.1:21")
    with pytest.raises(InputError) as caught:
        oaii.runs_get_run("thread_1", "run_1", api_key=KEY, base_url=reused_server.url)
    assert caught.value.argument == "$HTTPS_PROXY" and "hunter2" not in str(caught.value)
    with pytest.raises(ValueError, match="scheme for proxy"):  # httpx refuses it too
        httpx.Client()
    assert reused_server.requests == []


@pytest.mark.parametrize("proxy", ["ftp://user:hunter2@127.0.0.1:21", "http://user:hunter2@[::1"])
@pytest.mark.parametrize("where", ["setting", "HTTPS_PROXY"])
def test_a_bad_proxy_formats_with_its_locals(
    proxy: str, where: str, monkeypatch: pytest.MonkeyPatch, reused_server: LocalServer
) -> None:
    # An error tracker or `pytest -l` formats every frame's locals, down the context chain too:
    # a half-made httpx.Proxy left there (its repr raises) must not crash it.
    setting = {"proxy": proxy} if where == "setting" else {}
    if where != "setting":
        monkeypatch.setenv(where, proxy)
    with pytest.raises(InputError) as caught:
        oaii.runs_get_run("thread_1", "run_1", api_key=KEY, base_url=reused_server.url, **setting)
    error = caught.value
    shown = traceback.TracebackException(type(error), error, error.__traceback__, capture_locals=True)
    formatted = "".join(shown.format())
    assert formatted.endswith(f"oaii.InputError: {error}\n") and "is not a valid proxy URL" in str(error)
    assert "hunter2" not in str(error)
    assert reused_server.requests == []


@pytest.mark.skipif(
    __import__("importlib").util.find_spec("socksio") is not None, reason="socksio is installed"
)
@pytest.mark.parametrize("where", ["setting", "ALL_PROXY"])
def test_socks_without_socksio_is_a_clear_error(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    socks = "socks5://127.0.0.1:1080"
    if where == "ALL_PROXY":
        monkeypatch.setenv("ALL_PROXY", socks)
    with pytest.raises(InputError) as caught:
        Client(api_key=KEY, **({"proxy": socks} if where == "setting" else {}))
    assert caught.value.argument == ("proxy" if where == "setting" else "$ALL_PROXY")
    assert "oaii[socks]" in str(caught.value)
    with pytest.raises(ImportError, match="socksio"):  # httpx needs it too
        httpx.Client(proxy=socks)


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize("setting", [{"proxy": "http://127.0.0.1:3128"}, {"http": "httpx"}])
def test_http_and_proxy_do_not_mix_with_http_client(setting: dict[str, str], is_async: bool) -> None:
    name = next(iter(setting))
    with pytest.raises(InputError) as caught:
        if is_async:
            AsyncClient(api_key=KEY, http_client=httpx.AsyncClient(), **setting)  # type: ignore[arg-type]
        else:
            Client(api_key=KEY, http_client=httpx.Client(), **setting)  # type: ignore[arg-type]
    assert caught.value.argument == name
    with pytest.raises(InputError) as caught:
        Client(api_key=KEY, http_client=httpx.Client()).with_options(**setting)  # type: ignore[arg-type]
    assert caught.value.argument == name


def test_a_proxy_password_is_in_no_repr(proxies: tuple[ForwardProxy, ForwardProxy]) -> None:
    client = Client(api_key=KEY, proxy=proxies[1].url(AUTH))
    assert AUTH[1] not in repr(client.settings) and AUTH[1] not in repr(client)
    assert proxies[1].address in repr(client.settings)


# ------------------------------------------------------------ HTTPS_PROXY, a TLS target

# In a child process: the CA bundle is read once per process (SSL_CERT_FILE, as httpx reads it).
CHILD = """
import json, sys, types
import httpx
from tests.client.test_variants import VARIANTS
from tests.conftest import KEY

base = sys.argv[1]
server = types.SimpleNamespace(url=base, recorder=types.SimpleNamespace(clear=lambda: None))
headers = {"Authorization": "Bearer " + KEY, "OpenAI-Beta": "assistants=v2"}
results = {"httpx": httpx.get(base + "/threads/thread_ref/runs/run_x", headers=headers).status_code}
for variant in VARIANTS:
    try:
        variant.call(server, sys.argv[2] + variant.name.replace(" ", "_"), {}, {})
        results[variant.name] = "ok"
    except Exception as exc:
        results[variant.name] = repr(exc)[:300]
print(json.dumps(results))
"""


def _child(base_url: str, threads: str, env: dict[str, str]) -> dict[str, Any]:
    environ = {k: v for k, v in os.environ.items() if k.lower() not in {n.lower() for n in ENV_VARS}}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, base_url, threads],
        env={**environ, **env},
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def test_https_proxy_tunnels_a_tls_target_as_httpx_does(
    certificate: tuple[Path, Path],  # noqa: F811 (the fixture)
    proxies: tuple[ForwardProxy, ForwardProxy],
) -> None:
    """Every public variant (and httpx itself) through HTTPS_PROXY to a TLS target, by CONNECT:
    each connection the target took came from the proxy.  With NO_PROXY naming the target,
    none did."""
    cert, key = certificate
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)
    proxy = proxies[0]
    with LocalServer(create_missing=True) as server, TlsFront(("127.0.0.1", server.port), served) as front:
        base = f"https://localhost:{front.port}/v1"
        trust = {"SSL_CERT_FILE": str(cert)}

        results = _child(base, "thread_tunnelled_", {**trust, "HTTPS_PROXY": proxy.url()})
        assert results.pop("httpx") == 404
        assert results == {variant.name: "ok" for variant in VARIANTS}
        tunnelled = list(front.peers)
        assert tunnelled and set(tunnelled) <= proxy.upstreams
        assert {seen.target for seen in proxy.seen if seen.method == "CONNECT"} == {f"localhost:{front.port}"}

        # The first phase's proxy connections are closed, and their local ports may come back
        # as the direct connections' ports: only what the proxy does from here on counts.
        upstreams_before, seen_before = set(proxy.upstreams), len(proxy.seen)
        results = _child(
            base, "thread_direct_", {**trust, "HTTPS_PROXY": proxy.url(), "NO_PROXY": "localhost"}
        )
        assert results.pop("httpx") == 404
        assert results == {variant.name: "ok" for variant in VARIANTS}
        direct = front.peers[len(tunnelled) :]
        assert direct and proxy.seen[seen_before:] == []
        assert not set(direct) & (proxy.upstreams - upstreams_before)
