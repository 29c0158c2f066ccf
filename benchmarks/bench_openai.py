"""The ``openai`` system kind against a loopback server that answers in 50 ms:
throughput with ``max_concurrency`` 16 against 1.

Requests go through :func:`evalkit.runner.run_system` (batches, the outputs file), as in
``evalkit run``, to the chat-completions server the tests use (``tests/chat_server.py``),
which answers each request with its text reversed after ``DELAY`` seconds.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO, Context, check, measure

DELAY = 0.05


def _chat_server() -> Any:
    spec = importlib.util.spec_from_file_location(
        "evalkit_bench_chat_server", REPO / "tests" / "chat_server.py"
    )
    if spec is None or spec.loader is None:
        raise FileNotFoundError(REPO / "tests" / "chat_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ChatServer


def run(ctx: Context) -> dict[str, Any]:
    from evalkit.runner import run_system
    from evalkit.systems.base import Request
    from evalkit.systems.openai_compat import OpenAISystem

    counts = {1: ctx.size(40, 8), 16: ctx.size(480, 64)}
    results: dict[int, dict[str, str]] = {}
    expected: dict[int, dict[str, str]] = {}
    with _chat_server()(delay=DELAY) as server, tempfile.TemporaryDirectory() as tmp:

        def job(concurrency: int) -> None:
            n = counts[concurrency]
            requests = [
                Request(f"p{i}/title/en-ko", "translation", f"segment {i} of {n}", "en", "ko")
                for i in range(n)
            ]
            expected[concurrency] = {r.id: r.text[::-1] for r in requests}
            system = OpenAISystem(
                "bench",
                {"base_url": server.base_url, "model": "m", "max_concurrency": concurrency},
            )
            out = Path(tmp) / f"outputs-{concurrency}.jsonl"
            out.unlink(missing_ok=True)
            try:
                res = run_system(system, requests, outputs_path=out, progress=False)
            finally:
                system.close()
            results[concurrency] = res.outputs

        t = measure({"c1": lambda: job(1), "c16": lambda: job(16)}, repeat=ctx.repeat)
        max_in_flight = server.max_in_flight
    tput = {c: counts[c] / t[f"c{c}"].median for c in counts}
    ratio = tput[16] / tput[1]
    wrong = sum(results[c] != expected[c] for c in counts)
    return {
        "title": "openai kind: throughput at concurrency 16 against 1 (server answers in 50 ms)",
        "size": {"requests_c1": counts[1], "requests_c16": counts[16], "server_delay_s": DELAY},
        "timings": {name: tm.to_dict() for name, tm in t.items()},
        "figures": {
            "requests_per_s_c1": round(tput[1], 2),
            "requests_per_s_c16": round(tput[16], 2),
            "ratio": round(ratio, 2),
            "ideal_ratio": 16,
            "max_in_flight_seen_by_server": max_in_flight,
        },
        "checks": [
            check("throughput ratio, concurrency 16 / 1", ratio, ">=", 10),
            check("runs whose outputs differ from the server's answers", wrong, "<=", 0, ""),
        ],
        "notes": ["Throughput = requests / wall time of run_system (batches of 4 x concurrency)."],
    }
