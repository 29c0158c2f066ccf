"""A loopback OpenAI-compatible server that answers like a judge, deterministically."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[dict[str, Any], int], str]


class JudgeServer:
    """Answers ``POST /v1/chat/completions`` with ``reply(body, n)``, ``n`` counting the
    requests whose last message was the same (0 for the first), and a ``usage`` field
    of 100 prompt and 10 completion tokens per answer."""

    def __init__(self, reply: Reply):
        self.reply = reply
        self.lock = threading.Lock()
        self.seen: dict[str, int] = {}
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                last = body["messages"][-1]["content"]
                with server.lock:
                    n = server.seen.get(last, 0)
                    server.seen[last] = n + 1
                    server.requests.append(body)
                content = server.reply(body, n)
                payload = {
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
                }
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> JudgeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def segment_of(body: dict[str, Any]) -> str:
    """The translation a GEMBA conversation asks about (between the last pair of backticks)."""
    text = body["messages"][-1]["content"]
    parts = text.split("```")
    return parts[-2] if len(parts) >= 3 else ""
