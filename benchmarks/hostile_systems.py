"""Misbehaving systems: how long past its timeout evalkit runs, and how much memory it takes.

Loopback only (the servers of ``tests/hostile_servers.py``) and real processes:

- an ``openai`` endpoint that drips its body, sends an endless chunked body, sends its
  headers one byte at a time or never answers, with ``timeout = 3, retries = 1,
  backoff = 1``: seconds taken, and seconds past 2 x 3 s + 1 s of backoff;
- a 500 MB response body (chunked, and with a Content-Length): peak RSS of the client;
- a ``command`` program writing 1.5 GB to stderr before answering: peak RSS;
- a ``command`` program that answers and exits leaving a child (15 s, and a
  ``setsid`` one) that holds stdout, with ``timeout = 5``: seconds, children left;
- ``evalkit run`` against a server that never answers, stopped by SIGINT, three
  SIGINTs and SIGTERM: seconds to exit, exit code.

::

    python benchmarks/hostile_systems.py

Figures go to stdout and, as JSON (``schema_version`` 1), to ``--out`` (default
``benchmarks/results/hostile_systems.json``).
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [
    str(REPO),
    str(REPO / "tests"),
    str(REPO / "tests" / "systems"),
    str(REPO / "tests" / "reliability"),
]

import hostile_servers as hs  # noqa: E402

from evalkit.errors import SystemError_  # noqa: E402
from evalkit.systems.base import Request  # noqa: E402
from evalkit.systems.command import CommandSystem  # noqa: E402
from evalkit.systems.openai_compat import OpenAISystem  # noqa: E402

REQ = [Request("p0/title/en-ko", "translation", "hello", "en", "ko")]


def deadlines() -> dict[str, Any]:
    out = {}
    for behaviour in (hs.drip, hs.endless_chunked, hs.slow_headers, hs.never):
        with hs.RawServer(behaviour) as server:
            system = OpenAISystem(
                "llm",
                {"base_url": server.base_url, "model": "m", "timeout": 3, "retries": 1},
            )
            start = time.monotonic()
            try:
                system.translate_batch(REQ)
                error = ""
            except SystemError_ as exc:
                error = str(exc)
            seconds = time.monotonic() - start
            system.close()
        out[behaviour.__name__] = {
            "seconds": round(seconds, 2),
            "past_deadlines": round(seconds - 7.0, 2),
            "error": error.split(": ", 1)[1],
        }
    return out


def _peak(script: str, *args: str, cwd: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    if proc.returncode:
        return {"error": proc.stderr[-500:]}
    return dict(json.loads(proc.stdout))


def memory(tmp: Path) -> dict[str, Any]:
    from test_command_processes import FLOOD  # type: ignore[import-not-found]
    from test_openai_hostile import CLIENT  # type: ignore[import-not-found]

    out = {}
    for chunked in (True, False):
        with hs.RawServer(hs.huge_body(500 * 1024 * 1024, chunked=chunked)) as server:
            result = _peak(CLIENT, server.base_url, cwd=tmp)
        out["body_500mb_" + ("chunked" if chunked else "content_length")] = result
    out["stderr_1_5gb"] = _peak(FLOOD, str(REPO), "1536", cwd=tmp)
    return out


def children(tmp: Path) -> dict[str, Any]:
    from test_command_processes import LEAVES_A_CHILD, running

    out = {}
    for label, setsid in (("child_15s", False), ("setsid_child", True)):
        folder = tmp / label
        folder.mkdir()
        body = f"SETSID, DAEMON, CHILD_SECONDS = {setsid}, False, 15\n" + LEAVES_A_CHILD
        (folder / "sys.py").write_text(body, encoding="utf-8")
        system = CommandSystem(
            "mt", {"command": [sys.executable, "sys.py"], "timeout": 5}, root=folder
        )
        start = time.monotonic()
        answers = system.translate_batch(REQ)
        seconds = time.monotonic() - start
        child = int((folder / "child.pid").read_text())
        out[label] = {
            "seconds": round(seconds, 2),
            "answered": answers == ["HELLO"],
            "children_left": int(running(child)),
        }
    return out


def interrupts(tmp: Path) -> dict[str, Any]:
    from test_interrupts import project_with, start  # type: ignore[import-not-found]

    out = {}
    for label, signals in (
        ("sigint", [signal.SIGINT]),
        ("sigint_x3", [signal.SIGINT] * 3),
        ("sigterm", [signal.SIGTERM]),
    ):
        folder = tmp / label
        folder.mkdir()
        with hs.RawServer(hs.never) as server:
            proc = start(project_with(folder, server.base_url), "llm")
            hs.wait_for(lambda s=server: len(s.requests) >= 4, timeout=60)
            sent = time.monotonic()
            for n, signum in enumerate(signals):
                if n:
                    time.sleep(0.05)
                proc.send_signal(signum)
            _, err = proc.communicate(timeout=120)
        out[label] = {
            "seconds": round(time.monotonic() - sent, 2),
            "exit": proc.returncode,
            "stderr_lines": len([line for line in err.splitlines() if line.strip()]),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(REPO / "benchmarks/results/hostile_systems.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        figures = {
            "schema_version": 1,
            "deadlines": deadlines(),
            "children": children(tmp),
            "interrupts": interrupts(tmp),
            "memory": memory(tmp),
        }
    text = json.dumps(figures, indent=2)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
