"""Judge scorers against a loopback judge: retries, unparsed segments, cache, samples, usage."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from evalkit.intervals import score_with_ci
from evalkit.judges.scorers import GembaESAScorer, GembaMQMScorer, SummaryJudgeScorer
from tests.helpers import run_cli
from tests.judges.judge_server import JudgeServer, segment_of

SOURCES = ["The model is small.", "It uses attention.", "Results improve.", "We test it."]
HYPS = ["모델은 작다.", "BAD 주의를 쓴다.", "NEVER 결과가 좋아진다.", "THINK 시험한다."]
REFS = ["모델은 작습니다.", "어텐션을 사용합니다.", "결과가 향상됩니다.", "시험합니다."]


def mqm_reply(body: dict[str, Any], n: int) -> str:
    hyp = segment_of(body)
    if hyp.startswith("NEVER"):
        return "I would rather not say."
    if hyp.startswith("BAD") and n == 0:
        return "The translation looks fine to me."
    if hyp.startswith("THINK"):
        answer = "Critical:\nno-error\nMajor:\nno-error\nMinor:\nno-error\n"
        return '<think>Critical: maybe "x"?</think>' + answer
    word = hyp.split()[0]
    return f'Critical:\nno-error\nMajor:\naccuracy/mistranslation - "{word}"\nMinor:\nno-error\n'


def write_config(folder: Path, base_url: str) -> None:
    (folder / "evalkit.toml").write_text(
        f'[systems.judge]\nkind = "openai"\nbase_url = "{base_url}"\nmodel = "tiny-judge"\n',
        encoding="utf-8",
    )


@pytest.fixture
def judge_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with JudgeServer(mqm_reply) as server:
        write_config(tmp_path, server.base_url)
        monkeypatch.chdir(tmp_path)
        yield tmp_path, server


def test_gemba_mqm_scores_retries_and_never_scores_unparsed(judge_dir) -> None:
    folder, server = judge_dir
    scorer = GembaMQMScorer(lang="ko", judge="judge", cache_dir=str(folder / "cache"))
    stats = scorer.segment_stats(hyps=HYPS, refs=REFS, srcs=SOURCES)
    seg = scorer.segment_scores(stats)
    assert seg[0] == -5.0 and seg[1] == -5.0 and seg[3] == 0.0  # BAD parsed on its retry
    assert math.isnan(seg[2])  # NEVER: unparsed after 1 + 2 retries, not 0, not -25
    comps = scorer.components(stats.sum(axis=0))
    assert comps["unparsed"] == 1 and comps["judged"] == 3 and comps["major"] == 2
    assert scorer.score_from_totals(stats.sum(axis=0)) == pytest.approx(-10 / 3)
    never = [r for r in server.requests if "NEVER" in r["messages"][-1]["content"]]
    assert len(never) == 3
    spans = scorer.last_judgments[0].spans
    assert spans[0].text == "모델은" and (spans[0].start, spans[0].end) == (0, 3)
    assert scorer.usage.prompt_tokens == 100 * len(server.requests)
    # the published conversation, with the judge system's model
    assert server.requests[0]["model"] == "tiny-judge"
    assert [m["role"] for m in server.requests[0]["messages"]][:3] == [
        "system",
        "user",
        "assistant",
    ]
    # intervals and slices come from the statistics like any metric
    score = score_with_ci(scorer, stats, n_resamples=200, seed=1)
    assert score.ci95 is not None and score.ci95[0] <= score.score <= score.ci95[1]


def test_cached_answers_are_not_asked_again_and_bad_lines_are_reasked(judge_dir, capsys) -> None:
    folder, server = judge_dir
    first = GembaMQMScorer(lang="ko", judge="judge", cache_dir=str(folder / "cache"))
    stats1 = first.segment_stats(hyps=HYPS, refs=REFS, srcs=SOURCES)
    asked = len(server.requests)
    again = GembaMQMScorer(lang="ko", judge="judge", cache_dir=str(folder / "cache"))
    stats2 = again.segment_stats(hyps=HYPS, refs=REFS, srcs=SOURCES)
    assert len(server.requests) == asked
    assert np.array_equal(np.nan_to_num(stats1), np.nan_to_num(stats2))
    assert again.usage.prompt_tokens == 0
    (cache_file,) = (folder / "cache" / "judges").glob("*.jsonl")
    lines = cache_file.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0][:20] + "\x00garbled"
    cache_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    third = GembaMQMScorer(lang="ko", judge="judge", cache_dir=str(folder / "cache"))
    stats3 = third.segment_stats(hyps=HYPS, refs=REFS, srcs=SOURCES)
    assert "skipped 1 unreadable judge cache line" in capsys.readouterr().err
    assert len(server.requests) == asked + 1
    assert np.array_equal(np.nan_to_num(stats1), np.nan_to_num(stats3))


def test_a_changed_model_or_prompt_never_reuses_answers(judge_dir) -> None:
    folder, server = judge_dir
    GembaMQMScorer(lang="ko", judge="judge", cache_dir=str(folder / "c")).segment_stats(
        hyps=HYPS[:1], refs=REFS[:1], srcs=SOURCES[:1]
    )
    asked = len(server.requests)
    GembaMQMScorer(
        lang="ko", judge="judge", reference=True, cache_dir=str(folder / "c")
    ).segment_stats(hyps=HYPS[:1], refs=REFS[:1], srcs=SOURCES[:1])
    assert len(server.requests) == asked + 1
    assert (
        "reference translation:\n```모델은 작습니다.```"
        in server.requests[-1]["messages"][-1]["content"]
    )
    write_config(folder, server.base_url.replace("/v1", "/v1/"))
    text = (folder / "evalkit.toml").read_text().replace("tiny-judge", "other-judge")
    (folder / "evalkit.toml").write_text(text)
    GembaMQMScorer(lang="ko", judge="judge", cache_dir=str(folder / "c")).segment_stats(
        hyps=HYPS[:1], refs=REFS[:1], srcs=SOURCES[:1]
    )
    assert len(server.requests) == asked + 2


def test_samples_report_self_agreement(tmp_path: Path, monkeypatch) -> None:
    def reply(body: dict[str, Any], n: int) -> str:
        sev = "Major" if n % 2 == 0 else "Minor"  # the judge changes its mind every call
        return f'{sev}:\nstyle/awkward - "x"\n'

    with JudgeServer(reply) as server:
        write_config(tmp_path, server.base_url)
        monkeypatch.chdir(tmp_path)
        scorer = GembaMQMScorer(lang="ko", judge="judge", samples=3)
        stats = scorer.segment_stats(hyps=["x y"], refs=["r"], srcs=["s"])
        comps = scorer.components(stats.sum(axis=0))
    # samples: -5, -1, -5 -> pairs (-5,-1) (-5,-5) (-1,-5): one of three agree
    assert comps["self_agreement"] == pytest.approx(1 / 3)
    assert comps["self_mean_abs_diff"] == pytest.approx(8 / 3)
    assert scorer.segment_scores(stats)[0] == pytest.approx(-11 / 3)


def test_gemba_esa_two_steps(tmp_path: Path, monkeypatch) -> None:
    def reply(body: dict[str, Any], n: int) -> str:
        last = body["messages"][-1]["content"]
        if last.startswith("Given the translation"):
            return "Score: 70" if "BAD" not in last else "seventy"
        return f'Major:\naccuracy/omission - "{segment_of(body).split()[0]}"\nMinor:\nno-error\n'

    with JudgeServer(reply) as server:
        write_config(tmp_path, server.base_url)
        monkeypatch.chdir(tmp_path)
        scorer = GembaESAScorer(lang="ko", judge="judge", parse_retries=1)
        stats = scorer.segment_stats(hyps=HYPS[:2], refs=REFS[:2], srcs=SOURCES[:2])
    seg = scorer.segment_scores(stats)
    assert seg[0] == 70.0 and math.isnan(seg[1])
    assert scorer.last_judgments[0].spans[0].severity == "major"
    comps = scorer.components(stats.sum(axis=0))
    assert comps["unparsed"] == 1 and comps["major"] == 1


def test_summary_judge_finesure(tmp_path: Path, monkeypatch) -> None:
    def reply(body: dict[str, Any], n: int) -> str:
        last = body["messages"][-1]["content"]
        if "list its key facts" in last:
            return '["The method is fast", "It is accurate", "It is open"]'
        if "assess the factuality" in last:
            return json.dumps(
                [
                    {"sentence": "a", "reason": "", "category": "no error"},
                    {"sentence": "b", "reason": "", "category": "entity error"},
                ]
            )
        return json.dumps(
            [
                {"key fact": "k1", "response": "Yes", "line number": [1]},
                {"key fact": "k2", "response": "No", "line number": []},
                {"key fact": "k3", "response": "Yes", "line number": [2]},
            ]
        )

    with JudgeServer(reply) as server:
        write_config(tmp_path, server.base_url)
        monkeypatch.chdir(tmp_path)
        scorer = SummaryJudgeScorer(lang="en", judge="judge")
        stats = scorer.segment_stats(
            hyps=["It is fast. It is open."], refs=["r"], srcs=["A fast, accurate, open method."]
        )
    comps = scorer.components(stats.sum(axis=0))
    assert comps["faithfulness"] == 0.5 and comps["completeness"] == pytest.approx(2 / 3)
    assert scorer.segment_scores(stats)[0] == pytest.approx((0.5 + 2 / 3) / 2)
    assert "Summary with 2 sentences:" in server.requests[1]["messages"][-1]["content"]


def test_a_judge_must_be_named_and_be_openai(tmp_path: Path, monkeypatch) -> None:
    from evalkit.errors import ConfigError

    with pytest.raises(ConfigError, match="judge"):
        GembaMQMScorer(lang="ko")
    (tmp_path / "evalkit.toml").write_text('[systems.cmd]\nkind = "command"\ncommand = ["cat"]\n')
    monkeypatch.chdir(tmp_path)
    scorer = GembaMQMScorer(lang="ko", judge="cmd")
    with pytest.raises(ConfigError, match="must be an openai system"):
        scorer.segment_stats(hyps=["a"], refs=["b"], srcs=["c"])


def test_evalkit_score_with_a_judge(tmp_path: Path) -> None:
    with JudgeServer(mqm_reply) as server:
        write_config(tmp_path, server.base_url)
        for name, lines in (("src", SOURCES), ("ref", REFS), ("hyp", HYPS)):
            (tmp_path / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        res = run_cli(
            "score",
            "-r",
            "ref.txt",
            "-i",
            "hyp.txt",
            "-s",
            "src.txt",
            "-l",
            "ko",
            "-m",
            "gemba-mqm",
            "--scorer-option",
            "gemba-mqm.judge=judge",
            "--format",
            "json",
            cwd=tmp_path,
        )
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    text = json.dumps(out)
    assert "gemba-mqm" in text and "judge:judge/tiny-judge" in text
