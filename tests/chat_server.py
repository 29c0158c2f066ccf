"""A real OpenAI-compatible chat-completions server on loopback, for tests and benchmarks."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ChatServer:
    """Answers ``POST /v1/chat/completions`` with the last line of the user message, reversed.

    Attributes:
        delay: Seconds to wait before answering.
        script: Per request text, statuses to answer first (e.g. ``[429, 503]``) before a 200.
        fail_all: Status to answer to everything (0: none).
        connections: TCP connections accepted.
        in_flight / max_in_flight: Concurrency observed.
        attempts: Counter of requests per text.
        auth: Authorization headers received.
    """

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.script: dict[str, list[int]] = {}
        self.fail_all = 0
        self.content: Any = None
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.attempts: Counter[str] = Counter()
        self.auth: list[str] = []
        self.bodies: list[dict[str, Any]] = []
        self.connections = 0
        #: Close each connection after one answer without saying so (a stale keep-alive).
        self.drop_idle = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like the servers met in practice

            def log_message(self, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                with server.lock:
                    server.connections += 1

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                text = body["messages"][-1]["content"].splitlines()[-1]
                with server.lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    server.attempts[text] += 1
                    server.auth.append(self.headers.get("Authorization", ""))
                    server.bodies.append(body)
                    statuses = server.script.get(text, [])
                    status = statuses.pop(0) if statuses else (server.fail_all or 200)
                try:
                    time.sleep(server.delay)
                    if self.path != "/v1/chat/completions":
                        status = 404
                    if status == 200:
                        content = text[::-1] if server.content is None else server.content
                        payload = {
                            "choices": [
                                {"index": 0, "message": {"role": "assistant", "content": content}}
                            ]
                        }
                    else:
                        payload = {"error": {"message": f"status {status}"}}
                    data = json.dumps(payload).encode()
                    self.send_response(status)
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    self.close_connection = self.close_connection or server.drop_idle
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server.lock:
                        server.in_flight -= 1

        class Server(ThreadingHTTPServer):
            request_queue_size = 128

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
