"""HTTP/1.1 for a client, without I/O: a request's head as bytes, and a response read
from whatever bytes arrive (``httptools``, i.e. llhttp, does the parsing).

Everything from the server is hostile: a head (interim 1xx heads included) is
at most ``MAX_HEAD_BYTES`` (httpcore's limit), the bytes between two pieces of
body (chunk sizes, extensions, trailers) are bounded the same way, and each
byte is looked at a bounded number of times.  The body itself is the caller's
to bound (``_transport._Body``).  Failures are httpx's exception classes, with
h11's words where oaii used to show h11's.
"""

from __future__ import annotations

import re

import httptools
import httpx

#: The most bytes of response head(s) read before the head is complete (h11's
#: ``max_incomplete_event_size`` as httpcore sets it).
MAX_HEAD_BYTES = 100 * 1024

# RFC 9110 token, and h11's field value (no NUL, CR, LF or other whitespace but inner SP/HTAB).
_TOKEN = rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+"
_FIELD = rb"(?:[^\x00\s]+(?:[ \t]+[^\x00\s]+)*)?"
_NAME = re.compile(_TOKEN)
_VALUE = re.compile(_FIELD)
# All names (or all values) at once, one per line: one regex call for the head, not two per header.
_NAMES = re.compile(_TOKEN + rb"(?:\n" + _TOKEN + rb")*")
_VALUES = re.compile(_FIELD + rb"(?:\n" + _FIELD + rb")*")
_TARGET = re.compile(rb"[\x21-\x7e]+")
# obs-fold: a header line continued on the next one (RFC 9112 5.2), not after the status line.
_FOLD = re.compile(rb"\r\n[ \t]+")


# The end of a head: its last line feed and the blank line after it ("\r\n" or a bare "\n").
_HEAD_END = re.compile(rb"\n\r?\n")
_BARE_LF = re.compile(rb"(?<!\r)\n")
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length[ \t]*:([^\r]*)", re.IGNORECASE)


def _lenient(head: bytes) -> bytes | None:
    """``head`` as RFC 9112 lets a recipient read it, and as h11 (httpx) reads it, or None
    if that changes nothing: bare LF line ends made CRLF (2.2), and Content-Length given
    twice with one value, or as a list of one value (``N, N``), given once (6.3).  Different
    values stay ambiguous, and are refused with h11's words.  Tried only once llhttp, which
    takes none of these, refused the head: the usual head costs nothing more."""
    fixed = _BARE_LF.sub(b"\r\n", head)
    lengths = _CONTENT_LENGTH.findall(fixed)
    values = {value.strip() for found in lengths for value in found.split(b",")}
    if len(values) > 1:
        raise _error("conflicting Content-Length headers")
    if len(lengths) > 1 or any(b"," in found for found in lengths):
        first = _CONTENT_LENGTH.search(fixed)
        assert first is not None
        rest = _CONTENT_LENGTH.sub(b"", fixed[first.end() :])
        fixed = fixed[: first.start()] + b"\r\nContent-Length: " + values.pop() + rest
    return None if fixed == head else fixed


def _unfolded(data: bytes) -> bytes:
    """``data`` with each obs-fold of its first head replaced by a space, as RFC 9112 5.2 asks
    of a user agent (h11 did so; llhttp refuses them).  Only the first head: past its blank
    line, bytes may be body.  A fold right after the status line stays, and is refused."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return data
    first_line = data.find(b"\r\n")
    head = data[first_line:end]
    if _FOLD.search(head, 1) is None:  # the usual head: nothing to unfold
        return data
    if head[2:3] in (b" ", b"\t"):
        return data
    return data[:first_line] + _FOLD.sub(b" ", head) + data[end:]


def encode_head(method: bytes, target: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    """The request line and header block, names and values as given, in order.

    A name or value that could split the head (CR, LF, NUL, a bad name) is refused
    as h11 refused it, with a ``LocalProtocolError`` that names the header but never
    shows the value (it may be a key).
    """
    if _NAME.fullmatch(method) is None or _TARGET.fullmatch(target) is None:
        raise httpx.LocalProtocolError("illegal request line")
    names = b"\n".join([name for name, _ in headers])
    values = b"\n".join([value for _, value in headers])
    lines_expected = len(headers) - 1  # more means a name or value holds a line feed
    if (
        _NAMES.fullmatch(names) is None
        or _VALUES.fullmatch(values) is None
        or names.count(b"\n") != lines_expected
        or values.count(b"\n") != lines_expected
    ):
        _refuse(headers)
    lines = [method + b" " + target + b" HTTP/1.1\r\n"]
    lines += [name + b": " + value + b"\r\n" for name, value in headers]
    lines.append(b"\r\n")
    return b"".join(lines)


def _refuse(headers: list[tuple[bytes, bytes]]) -> None:
    for name, value in headers:
        if _NAME.fullmatch(name) is None:
            raise httpx.LocalProtocolError(f"Illegal header name {name[:100]!r}")
        if _VALUE.fullmatch(value) is None:
            raise httpx.LocalProtocolError(f"Illegal header value (of the header {name.decode()!r})")
    if not headers:
        raise httpx.LocalProtocolError("Missing mandatory Host: header")


def _error(message: str) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(message)


class ResponseReader:
    """One response, fed with ``receive(data)`` as it arrives (``b""`` at EOF).

    Once ``head_done``: ``status``, ``reason``, ``http_version`` and ``headers``
    are the final response's (1xx ones are skipped).  ``body`` collects the
    body's pieces until the caller takes them; ``done`` says the message ended,
    and then ``reusable`` whether the connection may carry another request.

    The parser calls back into this object, and this object holds the parser:
    ``receive`` breaks that cycle once the response ended or failed, so a
    reader is freed by reference counting like everything around it.
    """

    __slots__ = (
        "_chunked",
        "_extra",
        "_head_bytes",
        "_held",
        "_interim",
        "_length",
        "_parser",
        "_quiet",
        "_reason",
        "_received",
        "_refusal",
        "_scanned",
        "body",
        "done",
        "head_done",
        "headers",
        "http_version",
        "keep_alive",
        "reason",
        "status",
    )

    def __init__(self) -> None:
        self._parser: httptools.HttpResponseParser | None = self._new_parser()
        self._held = bytearray()  # head bytes not yet given to the parser
        self._scanned = 0  # how many of them hold no end of head
        self._head_bytes = 0
        self._quiet = 0  # bytes since the last piece of body
        self._interim = False
        self._extra = False
        self._refusal: str | None = None  # a head llhttp took and h11 refused: why
        self._length: int | None = None
        self._chunked = False
        self._received = 0
        self._reason: list[bytes] = []
        self.status = 0
        self.reason = b""
        self.http_version = b"HTTP/1.1"
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.head_done = False
        self.done = False
        self.keep_alive = False

    @property
    def reusable(self) -> bool:
        """Whether the connection may carry the next request: the response ended where its
        framing said, nothing followed it, and neither side asked to close."""
        return self.done and self.keep_alive and not self._extra

    def forbid_reuse(self) -> None:
        """The request did not go out whole (a failed write): whatever the server answers,
        the connection carries nothing more."""
        self._extra = True

    def receive(self, data: bytes) -> None:
        try:
            if not data:
                self._eof()
            elif self.head_done:
                self._quiet += len(data)
                self._feed(data)
                if self._quiet > MAX_HEAD_BYTES and not self.done:
                    raise _error("Receive buffer too long")
            else:
                self._receive_head(data)
        except BaseException:
            self._parser = None
            raise
        if self.done:
            self._parser = None

    def _receive_head(self, data: bytes) -> None:
        # Each head is handed to the parser whole (once its end is seen): fed a byte at a
        # time, httptools would rebuild a growing header value at each byte (quadratic).
        # An interim (1xx) head goes alone, and the search goes on for the next one.
        held = self._held
        self._head_bytes += len(data)
        held += data
        while not self.head_done:
            end = _HEAD_END.search(held, max(self._scanned - 2, 0))
            if end is None:
                self._scanned = len(held)
                break
            head = bytes(held[: end.end()])
            del held[: end.end()]
            self._scanned = 0
            self._feed_head(head)
            if self.head_done and held:
                rest = bytes(held)
                held.clear()
                self._feed(rest)
        if not self.head_done and self._head_bytes > MAX_HEAD_BYTES:
            raise _error("Receive buffer too long")

    def _feed_head(self, head: bytes) -> None:
        try:
            self._feed(_unfolded(head))
        except httpx.RemoteProtocolError:
            lenient = None if self._refusal is not None else _lenient(head)
            if lenient is None:
                raise
            # The refused head again, as RFC 9112 lets it be read, on a new parser (the old
            # one stopped at the refusal, and had read no body).
            self._parser = self._new_parser()
            self._feed(_unfolded(lenient))

    def _new_parser(self) -> httptools.HttpResponseParser:
        parser = httptools.HttpResponseParser(self)
        # A 1xx head's "Connection: close" (or HTTP/1.0) must not end the parse before the final
        # response, as h11 ignored it there; the final response's keep-alive is still its own.
        # Spaces after a chunk's size: h11 took them (its chunk header ends in OWS), as servers use.
        parser.set_dangerous_leniencies(lenient_keep_alive=True, lenient_spaces_after_chunk_size=True)
        return parser

    def _feed(self, data: bytes) -> None:
        parser = self._parser
        assert parser is not None
        try:
            parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if not self.done:  # llhttp stops after a 101
                raise _error(self._refusal or "unexpected 101 Switching Protocols") from None
            self._extra = True
        except httptools.HttpParserError as exc:
            if not self.done:
                raise _error(self._refusal or self._describe(str(exc))) from None
            self._extra = True  # bytes after the response: the connection is not reused
        if self._refusal is not None:
            raise _error(self._refusal)

    def _describe(self, reason: str) -> str:
        # llhttp's reason is fixed text (no server bytes); h11's words lead, as before.
        words = reason.lower()
        if self.head_done:
            kind = "illegal chunk header" if "chunk" in words else "malformed response body"
        elif "header" in words or "content-length" in words or "transfer-encoding" in words:
            kind = "illegal header line"
        else:
            kind = "illegal status line"
        return f"{kind} ({reason})"

    def _eof(self) -> None:
        if self.done:
            return
        if not self.head_done:
            raise _error("Server disconnected without sending a response.")
        if self._length is not None:
            raise _error(
                "peer closed connection without sending complete message body "
                f"(received {self._received} bytes, expected {self._length})"
            )
        if self._chunked:
            raise _error(
                "peer closed connection without sending complete message body (incomplete chunked read)"
            )
        self.done = True  # the body ran until the close, as its framing said
        self.keep_alive = False

    # ------------------------------------------------------- httptools' callbacks

    def on_message_begin(self) -> None:
        if self.done:
            self._extra = True
            return
        self._reason = []
        self.headers = []

    def on_status(self, reason: bytes) -> None:
        if not self.head_done:
            self._reason.append(reason)

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self.head_done:  # afterwards: trailers, ignored
            self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        if self.done:
            return
        parser = self._parser
        assert parser is not None
        status = parser.get_status_code()
        if status < 100:
            self._refusal = f"illegal status line (status {status})"
            return
        if status < 200:
            self._interim = True
            if status == 101:
                self._refusal = "unexpected 101 Switching Protocols (oaii asks for no upgrade)"
            return
        self.status = status
        self.reason = b"".join(self._reason)
        self.http_version = b"HTTP/" + parser.get_http_version().encode("ascii")
        self.keep_alive = parser.should_keep_alive()
        self.head_done = True
        for name, value in self.headers:
            if len(name) == 14 and name.lower() == b"content-length":
                self._length = int(value)
            elif len(name) == 17 and name.lower() == b"transfer-encoding":
                # As h11: chunked alone (llhttp would read any other coding until the close).
                self._chunked = True
                if value.strip().lower() != b"chunked":
                    self._refusal = "Only Transfer-Encoding: chunked is supported"

    def on_body(self, body: bytes) -> None:
        if not self.done:
            self.body.append(body)
            self._received += len(body)
            self._quiet = 0

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
        elif self.head_done:
            self.done = True
