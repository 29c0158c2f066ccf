"""openai systems that think, cost and prompt: reasoning stripped, tokens and cost
recorded, --max-cost, prompt template files and few-shot examples from other weeks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import run_cli
from tests.judges.judge_server import JudgeServer


def reply(body: dict[str, Any], n: int) -> str:
    text = body["messages"][-1]["content"].split("TEXT: ", 1)[-1]
    return f"<think>The user wants {len(text)} characters.</think>{text}"


def write(folder: Path, base_url: str, extra: str = "") -> None:
    (folder / "prompt.toml").write_text(
        '[[messages]]\nrole = "system"\ncontent = "Translate {field}s into {tgt_name}."\n'
        '[[messages]]\nrole = "user"\ncontent = "TEXT: {text}"\n',
        encoding="utf-8",
    )
    (folder / "evalkit.toml").write_text(
        "[systems.llm]\n"
        'kind = "openai"\n'
        f'base_url = "{base_url}"\n'
        'model = "m1"\n'
        'prompt_file = "prompt.toml"\n'
        "few_shot = 2\n"
        "batch_size = 2\n"
        "max_concurrency = 1\n"
        f"{extra}"
        '[prices."m1"]\ninput = 1.0\noutput = 2.0\n',
        encoding="utf-8",
    )


def run(folder: Path, *extra: str):
    return run_cli(
        "run",
        "--system",
        "llm",
        "--weeks",
        "2023-W41",
        "--fields",
        "title",
        "--metrics",
        "bleu",
        "--results",
        "results",
        "--no-report",
        *extra,
        cwd=folder,
    )


def test_prompt_file_shots_reasoning_and_cost(tmp_path: Path) -> None:
    with JudgeServer(reply) as server:
        write(tmp_path, server.base_url)
        res = run(tmp_path)
        assert res.returncode == 0, res.stderr
        bodies = list(server.requests)
    (run_dir,) = (tmp_path / "results" / "runs").iterdir()
    segments = [json.loads(x) for x in (run_dir / "segments.jsonl").read_text().splitlines()]
    week_refs = {s["reference"] for s in segments}
    for body in bodies:
        roles = [m["role"] for m in body["messages"]]
        assert roles == ["system", "user", "assistant", "user", "assistant", "user"]
        assert body["messages"][0]["content"] == "Translate titles into Korean."
        shots = [m["content"] for m in body["messages"] if m["role"] == "assistant"]
        assert not set(shots) & week_refs  # never the week being evaluated
    raw = (run_dir / "outputs.jsonl").read_text(encoding="utf-8")
    assert "<think>" in raw  # the raw answer is kept
    for s in segments:
        assert "<think>" not in s["output"] and "reasoning_stripped" in s["flags"]
        assert s["output"] == s["source"]  # the server echoes the text back
    usage = json.loads((run_dir / "run.json").read_text())["usage"]["system"]
    n = len(bodies)
    assert usage == {
        "model": "m1",
        "prompt_tokens": 100 * n,
        "completion_tokens": 10 * n,
        "cost": round((100 * n * 1.0 + 10 * n * 2.0) / 1e6, 6),
    }


def test_max_cost_stops_cleanly_and_resumes(tmp_path: Path) -> None:
    with JudgeServer(reply) as server:
        write(tmp_path, server.base_url)
        # each request costs 120 micro-dollars: the limit lets two batches of two through
        stopped = run(tmp_path, "--max-cost", "0.0005")
        assert stopped.returncode == 2
        assert "stopped by --max-cost" in stopped.stderr and "resume" in stopped.stderr
        assert len(server.requests) == 4
        resumed = run(tmp_path, "--max-cost", "1")
        assert resumed.returncode == 0, resumed.stderr
        assert len(server.requests) == 10  # the four answers were not asked again


def test_max_cost_needs_a_price(tmp_path: Path) -> None:
    with JudgeServer(reply) as server:
        write(tmp_path, server.base_url)
        text = (tmp_path / "evalkit.toml").read_text().replace('[prices."m1"]', '[prices."m2"]')
        (tmp_path / "evalkit.toml").write_text(text)
        res = run(tmp_path, "--max-cost", "1")
    assert res.returncode == 2 and "needs the price of model 'm1'" in res.stderr


def test_strip_reasoning_can_be_turned_off(tmp_path: Path) -> None:
    with JudgeServer(reply) as server:
        write(tmp_path, server.base_url, extra="strip_reasoning = false\n")
        res = run(tmp_path)
        assert res.returncode == 0, res.stderr
    (run_dir,) = (tmp_path / "results" / "runs").iterdir()
    segments = [json.loads(x) for x in (run_dir / "segments.jsonl").read_text().splitlines()]
    assert all(s["output"].startswith("<think>") for s in segments)
