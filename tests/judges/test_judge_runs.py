"""Judges inside evalkit run: segment judgments, flags, usage, cache, baselines and the gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import run_cli
from tests.judges.judge_server import JudgeServer, segment_of


def reply(body: dict[str, Any], n: int) -> str:
    hyp = segment_of(body)
    if len(hyp) % 3 == 0:  # some outputs are never judged: unparsed, not scored
        return "This translation is quite good overall."
    word = hyp.split()[0] if hyp.split() else "x"
    return f'Critical:\nno-error\nMajor:\naccuracy/mistranslation - "{word}"\nMinor:\nno-error\n'


def config(folder: Path, base_url: str) -> None:
    (folder / "evalkit.toml").write_text(
        "[systems.judge]\n"
        'kind = "openai"\n'
        f'base_url = "{base_url}"\n'
        'model = "loopback-judge"\n'
        "max_concurrency = 4\n"
        "[scorers.gemba-mqm]\n"
        'judge = "judge"\n'
        "parse_retries = 1\n",
        encoding="utf-8",
    )


def run(folder: Path, *extra: str):
    return run_cli(
        "run",
        "--system",
        "reference",
        "--weeks",
        "2023-W41",
        "--fields",
        "title",
        "--metrics",
        "gemba-mqm",
        "bleu",
        "--results",
        "results",
        "--no-report",
        *extra,
        cwd=folder,
    )


def test_a_run_with_a_judge(tmp_path: Path) -> None:
    with JudgeServer(reply) as server:
        config(tmp_path, server.base_url)
        first = run(tmp_path)
        assert first.returncode == 0, first.stderr
        assert "gemba-mqm: " in first.stderr and "unjudged" in first.stderr
        asked = len(server.requests)
        assert asked > 0
        (run_dir,) = (tmp_path / "results" / "runs").iterdir()
        record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        segments = [
            json.loads(line)
            for line in (run_dir / "segments.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        again = run(tmp_path)
        assert again.returncode == 0, again.stderr
        assert len(server.requests) == asked  # every answer came from the cache
    usage = record["usage"]["judges"]["gemba-mqm"]
    assert usage["prompt_tokens"] == 100 * asked and usage["completion_tokens"] == 10 * asked
    judged = [s for s in segments if s["judgments"]["gemba-mqm"]["samples"]]
    unjudged = [s for s in segments if not s["judgments"]["gemba-mqm"]["samples"]]
    assert judged and unjudged
    for s in judged:
        span = s["judgments"]["gemba-mqm"]["spans"][0]
        assert s["output"][span["start"] : span["end"]] == span["text"]
        assert s["scores"]["gemba-mqm"] == -5.0
    for s in unjudged:
        assert len(s["output"]) % 3 == 0 and "judge_unparsed:gemba-mqm" in s["flags"]
        assert s["scores"]["gemba-mqm"] is None
        assert s["judgments"]["gemba-mqm"]["unparsed"] == 1
    (score,) = [x for x in record["scores"] if x["metric"] == "gemba-mqm" and x["week"] == "all"]
    assert score["score"] == -5.0 and score["components"]["unparsed"] == len(unjudged)
    assert "judge:judge/loopback-judge" in record["metrics"]["gemba-mqm"]["ko"]


def test_judge_scores_go_through_baselines_and_the_gate(tmp_path: Path) -> None:
    with JudgeServer(reply) as server:
        config(tmp_path, server.base_url)
        assert run(tmp_path).returncode == 0
        (run_dir,) = (tmp_path / "results" / "runs").iterdir()
        saved = run_cli("baseline", "save", str(run_dir), "--to", "base.json", cwd=tmp_path)
        assert saved.returncode == 0, saved.stderr
        check = run_cli(
            "check",
            "--baseline",
            "base.json",
            "--run",
            str(run_dir),
            "--format",
            "json",
            cwd=tmp_path,
        )
    assert check.returncode == 0, check.stderr
    result = json.loads(check.stdout)
    assert "gemba-mqm" in json.dumps(result)


def test_reports_show_spans_counts_and_usage(tmp_path: Path) -> None:
    with JudgeServer(reply) as server:
        config(tmp_path, server.base_url)
        res = run_cli(
            "run",
            "--system",
            "reference",
            "--weeks",
            "2023-W41",
            "--fields",
            "title",
            "--metrics",
            "gemba-mqm",
            "--results",
            "results",
            cwd=tmp_path,
        )
        assert res.returncode == 0, res.stderr
    (run_dir,) = (tmp_path / "results" / "runs").iterdir()
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "### Judged errors" in md and "| major | accuracy |" in md
    assert "segment(s) the judge could not judge" in md
    assert "judged errors" in md and "accuracy/mistranslation" in md
    assert "judge gemba-mqm:" in md and "prompt +" in md
    assert '<mark class="err err-major" title="major: accuracy/mistranslation">' in page
    assert "Judged errors" in page


def test_max_cost_stops_the_judge_and_a_rerun_resumes(tmp_path: Path) -> None:
    def always(body: dict[str, Any], n: int) -> str:
        return 'Critical:\nno-error\nMajor:\nstyle/awkward - "x"\nMinor:\nno-error\n'

    with JudgeServer(always) as server:
        config(tmp_path, server.base_url)
        with (tmp_path / "evalkit.toml").open("a", encoding="utf-8") as f:
            f.write('[prices."loopback-judge"]\ninput = 1.0\noutput = 2.0\n')
        args = (
            "run",
            "--system",
            "reference",
            "--weeks",
            "2023-W41",
            "--metrics",
            "gemba-mqm",
            "--results",
            "results",
            "--no-report",
        )
        # 16 questions cost 0.00192 dollars; the next 14 would pass 0.003
        stopped = run_cli(*args, "--max-cost", "0.003", cwd=tmp_path)
        assert stopped.returncode == 2, stopped.stderr
        assert "--max-cost" in stopped.stderr
        assert len(server.requests) == 16
        (run_dir,) = (tmp_path / "results" / "runs").iterdir()
        flags = [
            json.loads(x)["flags"]
            for x in (run_dir / "segments.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        assert sum("judge_failed:gemba-mqm" in f for f in flags) == len(flags) - 16
        resumed = run_cli(*args, "--max-cost", "1", cwd=tmp_path)
        assert resumed.returncode == 0, resumed.stderr
        assert len(server.requests) == len(flags)  # the 16 answers were not asked again
