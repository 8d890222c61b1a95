"""Which way a request goes: oaii's own connections, or an httpx client.

oaii's own connections (``connections``, ``aconnections``) speak plain HTTP/1.1
to the target, directly.  Whenever a proxy applies to the target, or the
``http="httpx"`` setting asks for it, the request goes through an httpx client
made from the same settings (TLS context, limits, the call's timeouts); httpx
is the reference, and the fallback for what oaii's connections do not do.

Whether a proxy applies is decided by httpx's own rules and helpers, not a
copy of them: the proxy variables as httpx reads them (``HTTP_PROXY``,
``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``, either case, through
``urllib.request.getproxies``), or a ``proxy=`` setting, which, as in httpx,
replaces them all.  The httpx client is mounted with that same map, so the
decision and the client never disagree.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import ssl
from collections.abc import Mapping

import httpx
from httpx._utils import URLPattern, get_environment_proxies

from .._errors import InputError
from .._keys import hidden

#: The values of the ``http`` setting: oaii's own connections unless a proxy applies, or httpx always.
HTTP_CHOICES = ("oaii", "httpx")
#: What httpx's environment proxies depend on (urllib ignores HTTP_PROXY under CGI, REQUEST_METHOD).
PROXY_VARIABLES = (
    *(name.upper() for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")),
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "REQUEST_METHOD",
)
_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")

ProxyMap = tuple[tuple[str, httpx.Proxy | None], ...]


def _proxy_text(proxy: httpx.Proxy | None) -> str:
    # Never the credentials: scheme, host and port only.
    if proxy is None:
        return "direct"
    url = proxy.url
    return f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")


def _proxy_key(proxy: httpx.Proxy | None) -> object:
    # A proxy by value (httpx.Proxy compares by identity): equal settings share one httpx client.
    if proxy is None:
        return None
    return (str(proxy.url), proxy.auth, tuple(proxy.headers.raw), id(proxy.ssl_context))


class Routes:
    """A client's way out: ``http`` ("oaii" or "httpx") and its proxy map (pattern -> proxy, or
    None for "direct"), as httpx makes it.  Equal by value; the repr never shows a credential."""

    __slots__ = ("_hash", "_key", "http", "proxies")

    def __init__(self, http: str = "oaii", proxies: ProxyMap = ()) -> None:
        self.http = http
        self.proxies = proxies
        self._key = (http, tuple((key, _proxy_key(proxy)) for key, proxy in proxies))
        self._hash = hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Routes) and self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    def via_httpx(self, origin: str) -> bool:
        """Whether a request to ``origin`` (``scheme://host[:port]``) goes through httpx."""
        if self.http == "httpx":
            return True
        return bool(self.proxies) and _proxied(self, origin)

    def __repr__(self) -> str:
        mounts = {key: _proxy_text(proxy) for key, proxy in self.proxies}
        return f"Routes(http={self.http!r}, proxies={mounts!r})"


@functools.lru_cache(maxsize=256)
def _proxied(routes: Routes, origin: str) -> bool:
    """Whether httpx would send to ``origin`` through a proxy: the first of its mount patterns
    (sorted, as httpx sorts them) that matches decides (``httpx.Client._transport_for_url``)."""
    url = httpx.URL(origin)
    for pattern, proxy in sorted(((URLPattern(key), proxy) for key, proxy in routes.proxies), key=_first):
        if pattern.matches(url):
            return proxy is not None
    return False


def _first(mount: tuple[URLPattern, httpx.Proxy | None]) -> URLPattern:
    return mount[0]


def resolve_routes(http: object, proxy: object, environ: Mapping[str, str] | None = None) -> Routes:
    """The ``http`` and ``proxy`` settings checked, and the proxy map as httpx makes it
    (``proxy`` given: it alone, for every target; else the environment's)."""
    if http is None:
        http = "oaii"
    if not isinstance(http, str) or http not in HTTP_CHOICES:
        raise InputError("http", f"must be one of {', '.join(map(repr, HTTP_CHOICES))}, got {http!r}")
    if proxy is not None:
        return Routes(http, (("all://", _checked_proxy("proxy", proxy)),))
    proxies: list[tuple[str, httpx.Proxy | None]] = []
    if not _proxy_variables_set():  # the usual environment: nothing for httpx's helper to find
        return Routes(http)
    # Hidden at once: a proxy URL may hold a password, and no frame's locals may show it.
    found = {key: hidden(url) for key, url in get_environment_proxies().items()}
    for key, url in found.items():
        try:
            URLPattern(key)
        except (ValueError, httpx.InvalidURL):
            raise InputError("$NO_PROXY", f"has an entry httpx cannot read: {key[6:][:100]!r}") from None
        proxies.append((key, None if url is None else _checked_proxy(_variable_of(url, environ), url)))
    return Routes(http, tuple(proxies))


_SUFFIXES = (b"_proxy", "_proxy")


def _proxy_variables_set() -> bool:
    """Whether any variable urllib reads as a proxy setting is set (``*_proxy`` in any letter
    case, as it reads them).  Looking at the names alone costs a tenth of urllib's own pass,
    which decodes every variable, and a client is made with nothing more to read most often."""
    data = getattr(os.environ, "_data", None)
    names = data.keys() if isinstance(data, dict) else os.environ.keys()
    return any(name[-6:].lower() in _SUFFIXES for name in names)


def _variable_of(url: str, environ: Mapping[str, str] | None) -> str:
    environ = os.environ if environ is None else environ
    for name in PROXY_VARIABLES:
        value = environ.get(name)
        if value and (value == url or url.endswith("://" + value)):
            return f"${name}"
    return "the proxy variables"


def _checked_proxy(argument: str, proxy: object) -> httpx.Proxy:
    # Never quote a proxy URL back: it may hold a password.
    if isinstance(proxy, httpx.Proxy):
        checked = proxy
    elif isinstance(proxy, str | httpx.URL):
        made: httpx.Proxy | None = None
        with contextlib.suppress(ValueError, httpx.InvalidURL):
            made = httpx.Proxy(url=proxy)
        # Raised outside the except: its context would keep httpx's frame, whose half-made
        # Proxy has a repr that raises (a traceback formatted with its locals crashed).
        if made is None:
            raise InputError(argument, "is not a valid proxy URL")
        checked = made
    else:
        raise InputError(argument, f"must be a proxy URL or an httpx.Proxy, got {type(proxy).__name__}")
    scheme = checked.url.scheme
    if scheme not in _PROXY_SCHEMES or not checked.url.host:
        raise InputError(argument, "must be an http://, https://, socks5:// or socks5h:// URL with a host")
    if scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise InputError(
            argument,
            "is a SOCKS proxy, which httpx reaches with the socksio package: "
            "pip install 'oaii[socks]' (or 'httpx[socks]')",
        )
    return checked


def httpx_client(
    routes: Routes, tls: ssl.SSLContext, limits: httpx.Limits, *, is_async: bool
) -> httpx.Client | httpx.AsyncClient:
    """An httpx client for ``routes``: mounted with its proxy map (and nothing read from the
    environment again), oaii's TLS context and limits.  Requests carry their own timeouts."""
    if is_async:
        amounts: dict[str, httpx.AsyncBaseTransport | None] = {
            key: None if proxy is None else httpx.AsyncHTTPTransport(verify=tls, limits=limits, proxy=proxy)
            for key, proxy in routes.proxies
        }
        return httpx.AsyncClient(verify=tls, limits=limits, trust_env=False, mounts=amounts)
    mounts: dict[str, httpx.BaseTransport | None] = {
        key: None if proxy is None else httpx.HTTPTransport(verify=tls, limits=limits, proxy=proxy)
        for key, proxy in routes.proxies
    }
    return httpx.Client(verify=tls, limits=limits, trust_env=False, mounts=mounts)
