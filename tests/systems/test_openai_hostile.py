"""The openai kind against misbehaving servers: deadlines, redirects, huge bodies, echoes.

Every test stops by itself: the client runs in a daemon thread joined with a bound,
so a client that would hang fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import hostile_servers as hs
import pytest
from helpers import REPO

from evalkit.errors import SystemError_
from evalkit.systems.base import Request
from evalkit.systems.openai_compat import OpenAISystem

KEY = "sk-hostile-SENTINEL-0123456789abcdef"
REQ = [Request("p0/title/en-ko", "translation", "hello", "en", "ko")]


def bounded(fn, limit: float = 60.0):
    """Run ``fn()`` in a thread; (result or exception, seconds); fails past ``limit``."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 (handed back to the test)
            box["value"] = exc

    start = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"still running after {limit:g}s"
    return box["value"], time.monotonic() - start


def make(url: str, monkeypatch, **config) -> OpenAISystem:
    monkeypatch.setenv("HOSTILE_TEST_ACCESS", KEY)
    return OpenAISystem(
        "llm",
        {"base_url": url, "model": "m", "api_key_env": "HOSTILE_TEST_ACCESS", **config},
    )


@pytest.mark.parametrize(
    "behaviour", [hs.drip, hs.endless_chunked, hs.slow_headers, hs.never], ids=lambda b: b.__name__
)
def test_timeout_is_a_deadline_for_the_whole_request(behaviour, monkeypatch):
    with hs.RawServer(behaviour) as server:
        system = make(server.base_url, monkeypatch, timeout=1.5, retries=1, backoff=0.1)
        try:
            error, seconds = bounded(lambda: system.translate_batch(REQ), limit=40)
        finally:
            bounded(system.close, limit=20)
    assert isinstance(error, SystemError_), error
    assert "within timeout=1.5s (after 2 attempts)" in str(error)
    assert len(server.requests) == 2
    assert seconds < 15  # two deadlines of 1.5 s and a backoff, with room for a busy machine


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_error_and_nothing_goes_to_the_other_origin(status, monkeypatch):
    with hs.RawServer(hs.capture) as other:
        location = f"http://127.0.0.1:{other.port}/steal?token=sk-in-location-0123456789"
        with hs.RawServer(hs.redirect(status, location)) as server:
            system = make(server.base_url, monkeypatch, retries=2)
            error, _ = bounded(lambda: system.translate_batch(REQ))
            bounded(system.close, limit=20)
    assert isinstance(error, SystemError_), error
    message = str(error)
    assert f"HTTP {status}" in message and "redirects to" in message
    assert f"127.0.0.1:{other.port}/steal?token=***" in message
    assert "sk-in-location" not in message and KEY not in message
    assert other.requests == [] and len(server.requests) == 1


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_behind_a_proxy_a_redirect_sends_no_key_and_is_never_scored(status, monkeypatch):
    location = "http://other.example.invalid:8080/v1/chat/completions"
    with hs.RawServer(hs.proxy_redirect(status, "llm.example.invalid", location)) as proxy:
        for name in ("http_proxy", "HTTP_PROXY"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.setenv(name, "")
        system = make("http://llm.example.invalid/v1", monkeypatch, retries=0)
        error, _ = bounded(lambda: system.translate_batch(REQ))
        bounded(system.close, limit=20)
    assert isinstance(error, SystemError_), f"the redirected answer was scored: {error!r}"
    assert f"HTTP {status}" in str(error) and "other.example.invalid:8080" in str(error)
    targets = [line for line, _, _ in proxy.requests]
    assert targets == ["POST http://llm.example.invalid/v1/chat/completions HTTP/1.1"]


def test_requests_go_through_the_configured_proxy(monkeypatch):
    with hs.RawServer(hs.as_proxy_answer("via the proxy")) as proxy:
        monkeypatch.setenv("http_proxy", f"http://user:proxypass@127.0.0.1:{proxy.port}")
        monkeypatch.setenv("no_proxy", "")
        system = make("http://llm.example.invalid:8080/v1?api-version=2", monkeypatch)
        answers, _ = bounded(lambda: system.translate_batch(REQ))
        bounded(system.close, limit=20)
    assert answers == ["via the proxy"]
    line, headers, _ = proxy.requests[0]
    assert line == "POST http://llm.example.invalid:8080/v1/chat/completions?api-version=2 HTTP/1.1"
    assert headers["authorization"] == f"Bearer {KEY}"
    assert headers["proxy-authorization"].startswith("Basic ")


@pytest.mark.parametrize("offset", [299, 300, 301, 302])
def test_an_error_body_is_scrubbed_before_it_is_cut(offset, monkeypatch):
    with hs.RawServer(hs.echo_key_at(offset)) as server:
        system = make(server.base_url, monkeypatch, retries=0)
        error, _ = bounded(lambda: system.translate_batch(REQ))
        bounded(system.close, limit=20)
    message = str(error)
    assert "HTTP 401" in message and "***" in message
    for n in range(8, len(KEY) + 1):
        assert KEY[:n] not in message, n


def test_a_base_url_with_credentials_never_reaches_a_message(monkeypatch):
    with hs.RawServer(hs.echo_key_at(50, status=500)) as server:
        url = f"http://alice:PASSWORD-SENTINEL@127.0.0.1:{server.port}/v1?api-key=sk-q-SENTINEL-77"
        system = make(url, monkeypatch, retries=0)
        error, _ = bounded(lambda: system.translate_batch(REQ))
        bounded(system.close, limit=20)
    message = str(error)
    assert "HTTP 500" in message and "/v1/chat/completions?api-key=***" in message
    assert "PASSWORD-SENTINEL" not in message and "sk-q-SENTINEL" not in message
    assert server.requests[0][0].startswith("POST /v1/chat/completions?api-key=sk-q-SENTINEL-77 ")


CLIENT = """
import json, sys
from evalkit.systems.base import Request
from evalkit.systems.openai_compat import OpenAISystem
system = OpenAISystem("llm", {"base_url": sys.argv[1], "model": "m", "retries": 0,
                               "timeout": 60})
try:
    system.translate_batch([Request("p0/title/en-ko", "translation", "hi", "en", "ko")])
    error = ""
except Exception as exc:
    error = str(exc)
system.close()
# VmHWM: this program's own peak (ru_maxrss keeps the forking parent's across exec)
peak = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
peak //= 1024
print(json.dumps({"error": error, "peak_mb": peak}))
"""


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_500_mb_body_is_refused_without_reading_it_all(chunked):
    with hs.RawServer(hs.huge_body(500 * 1024 * 1024, chunked=chunked)) as server:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.run(
            [sys.executable, "-c", CLIENT, server.base_url],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert "is over 1,848,576 bytes" in result["error"], result
    assert "max_output_chars=100,000" in result["error"]
    assert result["peak_mb"] < 200, result  # a 500 MB body read whole takes over 1 GB


def test_close_cuts_requests_in_flight(monkeypatch):
    with hs.RawServer(hs.never) as server:
        system = make(server.base_url, monkeypatch, timeout=120, max_concurrency=4)
        reqs = [Request(f"p{i}/title/en-ko", "translation", f"t{i}", "en", "ko") for i in range(4)]
        box: list[object] = []
        worker = threading.Thread(
            target=lambda: box.append(_catch(system.translate_batch, reqs)), daemon=True
        )
        worker.start()
        assert hs.wait_for(lambda: len(server.requests) == 4)
        _, seconds = bounded(system.close, limit=30)
        worker.join(10)
    assert seconds < 5 and not worker.is_alive()
    assert isinstance(box[0], SystemError_) and "cancelled" in str(box[0])


def _catch(fn, *args):
    try:
        return fn(*args)
    except BaseException as exc:  # noqa: BLE001
        return exc
