"""A small forward proxy on loopback, for tests: what went through it, counted.

``TlsFront`` puts TLS in front of a plain server, and notes where each
connection came from.

Absolute-form requests (``GET http://host:port/path``) are forwarded to their
target, one upstream connection each (asked to close after its answer); a
``CONNECT host:port`` opens a tunnel and relays bytes both ways.  Each request
line it reads is recorded with its ``Proxy-Authorization`` header; with
``auth``, a request without the right credentials gets a 407.
"""

from __future__ import annotations

import base64
import contextlib
import select
import socket
import ssl
import threading
from types import TracebackType

IO_TIMEOUT = 10.0


class Seen:
    def __init__(self, method: str, target: str, authorization: str | None) -> None:
        self.method = method
        self.target = target
        self.authorization = authorization

    def __repr__(self) -> str:
        return f"Seen({self.method} {self.target})"


class ForwardProxy:
    def __init__(self, auth: tuple[str, str] | None = None) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.expected = (
            None if auth is None else "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        )
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.open: set[socket.socket] = set()
        self.upstreams: set[tuple[str, int]] = set()  # the local address of each connection it made
        self._start(self._accept)

    @property
    def address(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"{host}:{port}"

    def url(self, auth: tuple[str, str] | None = None, scheme: str = "http") -> str:
        credentials = "" if auth is None else f"{auth[0]}:{auth[1]}@"
        return f"{scheme}://{credentials}{self.address}"

    def count(self) -> int:
        with self.lock:
            return len(self.seen)

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self.threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._start(self._serve, client)

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(IO_TIMEOUT)
        with self.lock:
            self.open.add(client)
        with contextlib.ExitStack() as stack:
            stack.callback(self._closed, client)
            buffered = b""
            while True:
                while b"\r\n\r\n" not in buffered:
                    data = client.recv(65536)
                    if not data:
                        return
                    buffered += data
                head, _, buffered = buffered.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, version = lines[0].split(" ", 2)
                headers = [line.split(":", 1) for line in lines[1:]]
                found = {name.strip().lower(): value.strip() for name, value in headers}
                with self.lock:
                    self.seen.append(Seen(method, target, found.get("proxy-authorization")))
                if self.expected is not None and found.get("proxy-authorization") != self.expected:
                    client.sendall(
                        b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                        b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
                    )
                    continue
                if method == "CONNECT":
                    host, port = target.rsplit(":", 1)
                    upstream = self._connect(host, int(port))
                    stack.callback(upstream.close)
                    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    self._relay(client, upstream, buffered)
                    return
                # Absolute form: http://host:port/path, sent on as origin form.
                rest = target.split("://", 1)[1]
                authority, slash, path = rest.partition("/")
                host, _, port = authority.rpartition(":")
                length = int(found.get("content-length", "0"))
                while len(buffered) < length:
                    data = client.recv(65536)
                    if not data:
                        return
                    buffered += data
                body, buffered = buffered[:length], buffered[length:]
                kept = [
                    f"{name}:{value}"
                    for name, value in headers
                    if name.strip().lower() not in ("proxy-authorization", "proxy-connection", "connection")
                ]
                upstream_head = "\r\n".join([f"{method} {slash}{path} {version}", *kept, "Connection: close"])
                with self._connect(host, int(port)) as upstream:
                    upstream.sendall(upstream_head.encode("latin-1") + b"\r\n\r\n" + body)
                    while data := upstream.recv(65536):
                        client.sendall(data)
                return  # the answer ran until the target closed: so does this connection

    def _connect(self, host: str, port: int) -> socket.socket:
        upstream = socket.create_connection((host.strip("[]"), port), IO_TIMEOUT)
        with self.lock:
            self.upstreams.add(upstream.getsockname()[:2])
        return upstream

    def _relay(self, client: socket.socket, upstream: socket.socket, early: bytes) -> None:
        if early:
            upstream.sendall(early)
        sockets = [client, upstream]
        while not self.stopping.is_set():
            readable, _, _ = select.select(sockets, [], [], 0.2)
            for sock in readable:
                try:
                    data = sock.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                (upstream if sock is client else client).sendall(data)

    def _closed(self, client: socket.socket) -> None:
        with self.lock:
            self.open.discard(client)
        client.close()

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()
        with self.lock:
            for client in self.open:  # wake a thread waiting for a kept-alive client's next request
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_RDWR)
        for thread in self.threads:
            thread.join(IO_TIMEOUT)

    def __enter__(self) -> ForwardProxy:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class TlsFront:
    """TLS in front of a plain HTTP server: each connection's bytes relayed to ``target``.
    ``peers``: where each connection came from (a proxy's upstream, or a client direct)."""

    def __init__(self, target: tuple[str, int], context: ssl.SSLContext) -> None:
        self.target = target
        self.context = context
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.peers: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self._start(self._accept)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self.threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                client, peer = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.peers.append(peer[:2])
            self._start(self._serve, client)

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(IO_TIMEOUT)
        try:
            tls = self.context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()
            return
        with tls, socket.create_connection(self.target, IO_TIMEOUT) as plain:
            while not self.stopping.is_set():
                ready = [tls] if tls.pending() else select.select([tls, plain], [], [], 0.2)[0]
                for sock in ready:
                    try:
                        data = sock.recv(65536)
                    except (OSError, ssl.SSLError):
                        return
                    if not data:
                        return
                    (plain if sock is tls else tls).sendall(data)

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()
        for thread in self.threads:
            thread.join(IO_TIMEOUT)

    def __enter__(self) -> TlsFront:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
