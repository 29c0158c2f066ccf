"""POST JSON to one URL from many threads, over kept-alive connections.

Each thread keeps its own ``http.client`` connection (no TCP or TLS handshake per
request, which matters at high concurrency); when the environment configures a proxy
for the URL, requests go through ``urllib`` instead, which honours it.
"""

from __future__ import annotations

import http.client
import threading
import urllib.error
import urllib.request
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

#: Errors of the connection itself (retryable), as opposed to HTTP error statuses.
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


class Transport:
    """A JSON POST client for one URL.

    Args:
        url: The full URL to post to.
        timeout: Seconds to wait on connecting and on each read.
    """

    def __init__(self, url: str, timeout: float):
        parts = urlsplit(url)
        self.url = url
        self.timeout = timeout
        self.host = parts.hostname or ""
        self.port = parts.port
        self.https = parts.scheme == "https"
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        proxied = parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(
            self.host
        )
        self._urllib = None
        if proxied and self.host not in LOOPBACK:
            self._urllib = urllib.request.build_opener()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[http.client.HTTPConnection] = []

    def _connection(self) -> tuple[http.client.HTTPConnection, bool]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn, True
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        conn = cls(self.host, self.port, timeout=self.timeout)
        self._local.conn = conn
        with self._lock:
            self._all.append(conn)
        return conn, False

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def post(self, data: bytes, headers: dict[str, str]) -> tuple[int, str | None, bytes]:
        """Send ``data``; return ``(status, Retry-After header, body)`` for any HTTP status.

        Raises:
            OSError, http.client.HTTPException: when no HTTP answer came (refused,
                reset, timed out); :data:`TRANSPORT_ERRORS`.
        """
        if self._urllib is not None:
            req = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
            try:
                with self._urllib.open(req, timeout=self.timeout) as resp:
                    return resp.status, resp.headers.get("Retry-After"), resp.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers.get("Retry-After") if exc.headers else None, exc.read()
        for attempt in range(2):
            conn, reused = self._connection()
            try:
                conn.request("POST", self.path, body=data, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
            except TRANSPORT_ERRORS as exc:
                self._drop()
                # a kept-alive connection the server has since closed: reconnect once
                stale = reused and attempt == 0 and not isinstance(exc, TimeoutError)
                if stale and isinstance(exc, (ConnectionError, http.client.BadStatusLine)):
                    continue
                raise
            except BaseException:
                self._drop()
                raise
            if resp.will_close:
                self._drop()
            return resp.status, resp.getheader("Retry-After"), body
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close every connection opened so far."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
