"""Misbehaving HTTP servers on loopback: drips, endless bodies, redirects, echoes.

Each :class:`RawServer` speaks HTTP over raw sockets so it can misbehave in ways a
well-behaved server library would not allow. ``behaviour(server, conn, request)``
answers one request; ``request`` is ``(request_line, headers, body)``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

Request = tuple[str, dict[str, str], bytes]


def read_request(conn: socket.socket) -> Request | None:
    """One HTTP request from ``conn`` (None when the client went away)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    line, *rest = head.decode("latin-1").split("\r\n")
    headers = {}
    for item in rest:
        name, _, value = item.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return line, headers, body


def completion(text: str) -> bytes:
    return json.dumps({"choices": [{"message": {"content": text}}]}).encode()


def answer(conn: socket.socket, status: int, body: bytes, **headers: str) -> None:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


class RawServer:
    """A loopback server running ``behaviour`` for each request, in a thread each.

    Attributes:
        requests: Every request received (line, headers, body).
        stop: Set when the server closes; behaviours that stall watch it.
    """

    def __init__(self, behaviour: Callable[[RawServer, socket.socket, Request], None]):
        self.behaviour = behaviour
        self.requests: list[Request] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with self.lock:
                self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            request = read_request(conn)
            if request is None:
                return
            with self.lock:
                self.requests.append(request)
            self.behaviour(self, conn, request)
        except OSError:
            pass
        finally:
            conn.close()

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        with self.lock:
            for conn in self.conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def never(server: RawServer, conn: socket.socket, request: Request) -> None:
    """Reads the request, never answers."""
    server.stop.wait()


def drip(server: RawServer, conn: socket.socket, request: Request) -> None:
    """Valid headers, then the body one byte every 0.5 s."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    while not server.stop.wait(0.5):
        conn.sendall(b" ")


def endless_chunked(server: RawServer, conn: socket.socket, request: Request) -> None:
    """A chunked body that never ends (a small chunk every 0.05 s)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    while not server.stop.wait(0.05):
        conn.sendall(b"1\r\n \r\n")


def slow_headers(server: RawServer, conn: socket.socket, request: Request) -> None:
    """The status line and headers one byte every 0.5 s."""
    for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"x" * 10000:
        if server.stop.wait(0.5):
            return
        conn.sendall(bytes([byte]))


def huge_body(
    size: int, chunked: bool = True
) -> Callable[[RawServer, socket.socket, Request], None]:
    """A 200 whose body is ``size`` bytes of zeros, sent as fast as the client reads."""

    def behaviour(server: RawServer, conn: socket.socket, request: Request) -> None:
        block = b"0" * (1024 * 1024)
        if chunked:
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            frame = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        else:
            conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
            frame = block
        sent = 0
        while sent < size and not server.stop.is_set():
            conn.sendall(frame)
            sent += len(block)
        if chunked:
            conn.sendall(b"0\r\n\r\n")

    return behaviour


def redirect(status: int, location: str) -> Callable[[RawServer, socket.socket, Request], None]:
    """Answers ``status`` with ``Location: location`` and a valid-looking body."""

    def behaviour(server: RawServer, conn: socket.socket, request: Request) -> None:
        answer(conn, status, completion("from the redirecting server"), Location=location)

    return behaviour


def echo_key_at(
    offset: int, status: int = 401
) -> Callable[[RawServer, socket.socket, Request], None]:
    """An error whose body quotes the bearer key so that it ends at byte ``offset``."""

    def behaviour(server: RawServer, conn: socket.socket, request: Request) -> None:
        key = request[1].get("authorization", "").removeprefix("Bearer ")
        start = max(0, offset - len(key))
        body = b"x" * start + key.encode() + b" is not a valid key" + b"." * 200
        answer(conn, status, body)

    return behaviour


def proxy_redirect(
    status: int, host: str, location: str
) -> Callable[[RawServer, socket.socket, Request], None]:
    """A forwarding proxy where ``host`` redirects to ``location``; any other origin
    reached through it answers a valid completion (as a hostile origin would)."""

    def behaviour(server: RawServer, conn: socket.socket, request: Request) -> None:
        if f"//{host}/" in request[0] or f"//{host}:" in request[0]:
            answer(conn, status, completion("from the redirecting server"), Location=location)
        else:
            answer(conn, 200, completion("from the other origin"))

    return behaviour


def capture(server: RawServer, conn: socket.socket, request: Request) -> None:
    """Answers any method with a valid completion (what a hostile origin would do)."""
    answer(conn, 200, completion("from the other origin"))


def as_proxy_answer(text: str) -> Callable[[RawServer, socket.socket, Request], Any]:
    """A proxy that answers itself with a valid completion."""

    def behaviour(server: RawServer, conn: socket.socket, request: Request) -> None:
        answer(conn, 200, completion(text))

    return behaviour


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Poll ``predicate`` until true or ``timeout`` seconds passed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
