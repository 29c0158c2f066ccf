"""POST JSON to one URL from many threads, over kept-alive connections.

Each thread keeps its own ``http.client`` connection (no TCP or TLS handshake per
request, which matters at high concurrency). When the environment configures a proxy
for the URL, the connection goes to the proxy (absolute-form requests for ``http``, a
``CONNECT`` tunnel for ``https``).

Three rules hold for every request:

- **a deadline for the whole request**: ``timeout`` bounds connecting, sending, the
  headers and the body together. A watchdog shuts the socket down at the deadline, so
  a server that drips one byte at a time, sends headers byte by byte or an endless
  chunked body cannot hold a request past it (:class:`DeadlineExceeded`);
- **redirects are answers, never followed**: a 3xx comes back to the caller with its
  ``Location``; nothing, credentials least of all, is sent to another origin;
- **a bounded body**: reading stops past ``max_body_bytes`` (:class:`BodyTooLarge`).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import socket
import threading
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from evalkit.systems.deadline import WATCHDOG

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_CHUNK = 64 * 1024


class DeadlineExceeded(TimeoutError):
    """The request did not complete within its deadline."""


class BodyTooLarge(Exception):
    """The response body is longer than the limit (``limit`` bytes)."""

    def __init__(self, limit: int):
        super().__init__(f"response body over {limit:,} bytes")
        self.limit = limit


#: Errors of the connection itself (retryable), as opposed to HTTP error statuses.
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status, the headers evalkit reads, and the body."""

    status: int
    body: bytes
    retry_after: str | None = None
    location: str | None = None


class Transport:
    """A JSON POST client for one URL.

    Args:
        url: The full URL to post to.
        timeout: Seconds for a whole request (connect, send, headers, body).
        max_body_bytes: Longest response body read; longer ones raise
            :class:`BodyTooLarge`.
    """

    def __init__(self, url: str, timeout: float, max_body_bytes: int = 16 * 1024 * 1024):
        parts = urlsplit(url)
        self.url = url
        self.timeout = timeout
        self.max_body_bytes = max_body_bytes
        self.host = parts.hostname or ""
        self.port = parts.port
        self.https = parts.scheme == "https"
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._proxy_headers: dict[str, str] = {}
        self._proxy: tuple[str, int | None] | None = None
        proxy = urllib.request.getproxies().get(parts.scheme)
        if proxy and self.host not in LOOPBACK and not urllib.request.proxy_bypass(self.host):
            self._use_proxy(proxy)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[http.client.HTTPConnection] = []
        self._closed = False

    def _use_proxy(self, proxy: str) -> None:
        p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        self._proxy = (p.hostname or "", p.port)
        if p.username is not None:
            pair = f"{unquote(p.username)}:{unquote(p.password or '')}"
            token = base64.b64encode(pair.encode("utf-8")).decode("ascii")
            self._proxy_headers["Proxy-Authorization"] = f"Basic {token}"
        if not self.https:
            netloc = self.host if self.port is None else f"{self.host}:{self.port}"
            self.path = f"http://{netloc}{self.path}"

    def _connection(self, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn, True
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        if self._proxy is None:
            conn = cls(self.host, self.port, timeout=timeout)
        else:
            conn = cls(self._proxy[0], self._proxy[1], timeout=timeout)
            if self.https:
                conn.set_tunnel(self.host, self.port, headers=self._proxy_headers)
        self._local.conn = conn
        with self._lock:
            self._all.append(conn)
        return conn, False

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            with self._lock:
                if conn in self._all:
                    self._all.remove(conn)
        self._local.conn = None

    def post(self, data: bytes, headers: dict[str, str]) -> Reply:
        """Send ``data``; return the :class:`Reply` for any HTTP status, 3xx included.

        Raises:
            DeadlineExceeded: when the whole exchange took longer than ``timeout``.
            BodyTooLarge: when the body is longer than ``max_body_bytes``.
            OSError, http.client.HTTPException: when no HTTP answer came (refused,
                reset); :data:`TRANSPORT_ERRORS`.
        """
        if self._closed:
            raise ConnectionAbortedError("the client is closed")
        deadline = time.monotonic() + self.timeout
        headers = {**headers, **(self._proxy_headers if not self.https else {})}
        for attempt in range(2):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceeded(f"no answer within {self.timeout:g}s")
            conn, reused = self._connection(remaining)
            expired = threading.Event()

            def expire(conn: http.client.HTTPConnection = conn, flag: threading.Event = expired):
                flag.set()
                _shutdown(conn)

            ticket = WATCHDOG.arm(deadline, expire)
            try:
                if conn.sock is not None:
                    conn.sock.settimeout(remaining)
                conn.request("POST", self.path, body=data, headers=headers)
                resp = conn.getresponse()
                body = self._read(resp)
                if expired.is_set():  # the socket was cut: whatever came is partial
                    raise DeadlineExceeded(f"no answer within {self.timeout:g}s")
            except (BodyTooLarge, DeadlineExceeded):
                self._drop()
                raise
            except TRANSPORT_ERRORS as exc:
                self._drop()
                if expired.is_set() or isinstance(exc, TimeoutError):
                    raise DeadlineExceeded(f"no answer within {self.timeout:g}s") from None
                # a kept-alive connection the server has since closed: reconnect once
                stale = reused and attempt == 0
                if stale and isinstance(exc, (ConnectionError, http.client.BadStatusLine)):
                    continue
                raise
            except BaseException:
                self._drop()
                raise
            finally:
                WATCHDOG.disarm(ticket)
            if resp.will_close:
                self._drop()
            return Reply(
                resp.status, body, resp.getheader("Retry-After"), resp.getheader("Location")
            )
        raise AssertionError("unreachable")

    def _read(self, resp: http.client.HTTPResponse) -> bytes:
        header = resp.getheader("Content-Length") or ""
        length = int(header) if header.isdigit() else None
        if length is not None and length > self.max_body_bytes:
            raise BodyTooLarge(self.max_body_bytes)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = resp.read(_CHUNK)
            if not chunk:
                if length is not None and total < length:
                    raise http.client.IncompleteRead(b"".join(chunks), length - total)
                return b"".join(chunks)
            total += len(chunk)
            if total > self.max_body_bytes:
                raise BodyTooLarge(self.max_body_bytes)
            chunks.append(chunk)

    def abort(self) -> None:
        """Cut every open connection now: requests in flight fail at once."""
        self._closed = True
        with self._lock:
            conns = list(self._all)
        for conn in conns:
            _shutdown(conn)

    def close(self) -> None:
        """Close every connection opened so far."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


def _shutdown(conn: http.client.HTTPConnection) -> None:
    sock = conn.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
