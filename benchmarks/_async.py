"""Async createRun: client CPU a request and throughput, at concurrency 1 and 50.

``httpx.AsyncClient``'s default transport (httpcore's connection pool) costs more
CPU a request the more requests are in flight: its pool is scanned and its lock
taken for every request and every response.  That is an upstream limit, not
oaii's, so this part separates the two: every oaii variant is paired with a bare
``httpx.AsyncClient`` on the same transport, and oaii's own overhead is the
difference.  A second transport, ``httpx_aiohttp.AiohttpTransport`` (aiohttp's
connection pool behind httpx's API; bench-only, not a runtime dependency), shows
what a pool that does not grow with concurrency gives, and raw aiohttp is the floor.

Workers (as many as the concurrency) pull thread ids from one shared iterator,
so no variant pays for creating tasks up front.  Client CPU is this process's
``time.process_time()``; the server runs in another process.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import oaii
from _common import ASSISTANT, BODY, FIELDS, HEADERS, KEY, Stat, ratios, rotated, table

Send = Callable[[str], Awaitable[object]]


async def variants(
    url: str, concurrency: int, stack: AsyncExitStack
) -> tuple[dict[str, Send], dict[str, str]]:
    found: dict[str, Send] = {}
    missing: dict[str, str] = {}
    target = f"{url}/threads/{{}}/runs"
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    transports: dict[str, Callable[[], httpx.AsyncClient]] = {
        "httpcore": lambda: httpx.AsyncClient(timeout=30, limits=limits)
    }
    try:
        from httpx_aiohttp import AiohttpTransport

        transports["aiohttp"] = lambda: httpx.AsyncClient(
            timeout=30, transport=AiohttpTransport(limits=limits)
        )
    except ImportError:
        missing["httpx + aiohttp transport"] = "httpx-aiohttp not installed: pip install -e '.[bench]'"

    try:  # optional, not in the bench extra: measured when installed
        from httpx_curl_cffi import AsyncCurlTransport

        transports["curl_cffi"] = lambda: httpx.AsyncClient(
            timeout=30, transport=AsyncCurlTransport(max_connections=concurrency)
        )
    except ImportError:
        pass

    for transport, make in transports.items():
        client = await stack.enter_async_context(make())

        def bare(thread: str, client: httpx.AsyncClient = client) -> Awaitable[object]:
            return _bare(client, target.format(thread))

        def with_oaii(thread: str, client: httpx.AsyncClient = client) -> Awaitable[object]:
            return oaii.runs_create_run_request_async(
                thread, ASSISTANT, **FIELDS, api_key=KEY, base_url=url, http_client=client
            )

        found[f"bare httpx.AsyncClient [{transport}]"] = bare
        found[f"oaii async, http_client= [{transport}]"] = with_oaii

    def default(thread: str) -> Awaitable[object]:
        return oaii.runs_create_run_request_async(thread, ASSISTANT, **FIELDS, api_key=KEY, base_url=url)

    found["oaii async, its default client"] = default

    client_class: Any = getattr(oaii, "AsyncClient", None)
    if client_class is None:
        missing["oaii.AsyncClient(...).create_run"] = "oaii.AsyncClient not in this version"
    else:
        try:  # its interface is young: a mismatch skips this row instead of the whole report
            oaii_client = client_class(api_key=KEY, base_url=url)
            stack.push_async_callback(oaii_client.aclose)

            def client_object(thread: str) -> Awaitable[object]:
                return oaii_client.create_run(thread, ASSISTANT, **FIELDS)  # type: ignore[no-any-return]

            await client_object(f"thread_probe_async{concurrency}")
            found["oaii.AsyncClient(...).create_run"] = client_object
        except Exception as exc:
            missing["oaii.AsyncClient(...).create_run"] = f"failed: {type(exc).__name__}: {str(exc)[:120]}"

    try:  # httpx2 (pydantic's fork, openai 3.x's HTTP client): another package, not a transport for httpx
        import httpx2

        limits2 = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        client2 = await stack.enter_async_context(httpx2.AsyncClient(timeout=30, limits=limits2))

        async def bare2(thread: str) -> object:
            response = await client2.post(target.format(thread), content=BODY, headers=HEADERS)
            return json.loads(response.content)

        found["bare httpx2.AsyncClient (reference)"] = bare2
    except ImportError:
        missing["bare httpx2.AsyncClient (reference)"] = "httpx2 not installed (comes with openai 3.x)"

    try:
        import aiohttp

        session = await stack.enter_async_context(
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency))
        )

        async def raw(thread: str) -> object:
            async with session.post(target.format(thread), data=BODY, headers=HEADERS) as response:
                return json.loads(await response.read())

        found["raw aiohttp (floor)"] = raw
    except ImportError:
        missing["raw aiohttp (floor)"] = "aiohttp not installed"
    return found, missing


async def _bare(client: httpx.AsyncClient, target: str) -> object:
    response = await client.post(target, content=BODY, headers=HEADERS)
    return json.loads(response.content)


async def batch(send: Send, total: int, concurrency: int, prefix: str) -> tuple[float, float]:
    """(wall seconds, client CPU seconds) for ``total`` requests, ``concurrency`` in flight."""
    threads = iter([f"thread_{prefix}{i}" for i in range(total)])

    async def worker() -> None:
        for thread in threads:
            await send(thread)

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - wall, time.process_time() - cpu


async def measure(
    url: str, concurrency: int, total: int, rounds: int
) -> tuple[dict[str, list[tuple[float, float]]], dict[str, str]]:
    async with AsyncExitStack() as stack:
        found, missing = await variants(url, concurrency, stack)
        for name, send in found.items():  # opens the connections, loads what loads lazily
            await batch(send, 2 * concurrency, concurrency, f"w{concurrency}_{abs(hash(name))}_")
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in found}
        for turn in range(rounds):
            for n, name in enumerate(rotated(list(found), turn)):
                samples[name].append(
                    await batch(found[name], total, concurrency, f"c{concurrency}_{turn}_{n}_")
                )
    return samples, missing


def run(url: str, levels: list[tuple[int, int]], rounds: int) -> tuple[str, dict[str, Any]]:
    """``levels``: (concurrency, requests a round) pairs."""
    rows: list[list[str]] = []
    figures: dict[str, Any] = {}
    for concurrency, total in levels:
        samples, missing = asyncio.run(measure(url, concurrency, total, rounds))
        cpu = {name: [c / total for _, c in values] for name, values in samples.items()}
        rate = {name: [total / w for w, _ in values] for name, values in samples.items()}
        for name in samples:
            pair = _pair(name, cpu)
            overhead = "-"
            if pair is not None:
                extra = Stat([a - b for a, b in zip(cpu[name], cpu[pair], strict=True)])
                overhead = f"{extra.median * 1e6:+.0f} µs, {ratios(cpu[name], cpu[pair]).x()}"
                if concurrency > 1 and "httpcore" in pair:
                    overhead += " (bare httpx pool-bound)"
            rows.append(
                [
                    str(concurrency),
                    f"`{name}`",
                    Stat(cpu[name]).us(),
                    f"{Stat(rate[name]).median:.0f}",
                    overhead,
                ]
            )
            figures[f"c{concurrency} {name}"] = {
                "cpu_us": Stat(cpu[name]).median * 1e6,
                "runs_per_s": Stat(rate[name]).median,
            }
        rows += [[str(concurrency), f"`{name}`", "skipped", note, ""] for name, note in missing.items()]
    text = table(
        [
            "in flight",
            "async variant",
            "client CPU µs/request",
            "requests/s",
            "oaii over bare, same transport",
        ],
        rows,
    )
    return text, figures


def _pair(name: str, cpu: dict[str, list[float]]) -> str | None:
    """The bare baseline an oaii variant is compared with: the same transport."""
    if not name.startswith("oaii"):
        return None
    transport = next((t for t in ("aiohttp", "curl_cffi") if f"[{t}]" in name), "httpcore")
    base = f"bare httpx.AsyncClient [{transport}]"
    return base if base in cpu else None
