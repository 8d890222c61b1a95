"""oaii's HTTP layer: where a request goes, and the bytes on the wire.

``transport`` holds the pools and the two drivers the rest of oaii calls;
``connections``/``aconnections`` (sockets, pools) and ``h1`` (HTTP/1.1 bytes,
parsed by httptools) are oaii's own fast connections; httpx is the reference
and the fallback.  Nothing outside this package imports its other modules.
"""
