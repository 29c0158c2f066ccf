"""Neural metrics through ``evalkit run``, comparisons and ``evalkit check``.

Runs name their models in ``[scorers.NAME]`` tables of ``evalkit.toml``; the options
are recorded in run.json and baselines so every later reader builds the same scorer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from runkit import make_dataset  # noqa: E402

from evalkit import baseline  # noqa: E402
from evalkit.cli import main  # noqa: E402
from evalkit.errors import ConfigError  # noqa: E402
from evalkit.runfiles import load_run  # noqa: E402


def _configure(folder: Path, tiny: dict[str, Path], extra: str = "") -> None:
    (folder / "evalkit.toml").write_text(
        f'[scorers.comet]\nmodel = "{tiny["comet"]}"\nencoder = "{tiny["xlmr"]}"\n'
        f'[scorers.bertscore]\nmodel = "{tiny["xlmr"]}"\n{extra}',
        encoding="utf-8",
    )


def _run(folder: Path, system: str, monkeypatch):
    from evalkit.run import RunOptions, execute

    monkeypatch.chdir(folder)
    return execute(
        RunOptions(
            system=system,
            dataset="papers.jsonl",
            results=str(folder / "results"),
            metrics=["bleu", "comet", "bertscore"],
            n_resamples=100,
            reports=False,
            cwd=str(folder),
        )
    )


def test_run_scores_comet_with_sources_and_records_options(tmp_path, tiny, monkeypatch):
    make_dataset(tmp_path)
    _configure(tmp_path, tiny)
    run = _run(tmp_path, "reference", monkeypatch)
    loaded = load_run(run.run_dir)
    record, segs = loaded.record, loaded.segments
    assert record.selection.options("comet")["model"] == str(tiny["comet"])
    assert "comet" in record.signatures and "bertscore" in record.signatures
    assert all(len(s.stats["comet"]) == 2 for s in segs)
    # identical hypothesis and reference: BERTScore F is 1
    assert all(s.scores["bertscore"] == pytest.approx(1.0, abs=1e-5) for s in segs)
    # COMET reads the source: the same output scored against another source differs
    from evalkit.scorers import get_scorer

    scorer = get_scorer("comet", lang="ko", **record.selection.options("comet"))
    s0 = segs[0]
    other = scorer.segment_stats(hyps=[s0.output], refs=[s0.reference], srcs=["unrelated text"])
    assert other[0][0] != pytest.approx(s0.stats["comet"][0], abs=1e-9)


def test_compare_and_check_rebuild_the_recorded_scorers(tmp_path, tiny, monkeypatch, capsys):
    make_dataset(tmp_path)
    _configure(tmp_path, tiny)
    a = _run(tmp_path, "reference", monkeypatch)
    b = _run(tmp_path, "copy-source", monkeypatch)
    base = tmp_path / "base.json"
    baseline.save(a.run_dir, base)
    assert json.loads(base.read_text())["selection"]["scorer_options"]["comet"]
    out = tmp_path / "cmp"
    assert main(["report", str(a.run_dir), str(b.run_dir), "--out", str(out)]) == 0
    rows = json.loads((out / "comparison.json").read_text())
    assert any(r["metric"] == "comet" and r["week"] == "all" for r in rows["rows"])
    capsys.readouterr()
    code = main(["check", "--baseline", str(base), "--run", str(b.run_dir), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # copying the source is a regression on every metric
    assert any(s["metric"] == "comet" for s in report["slices"])


def test_trust_checkpoint_cannot_come_from_a_config_file(tmp_path, tiny, monkeypatch):
    make_dataset(tmp_path)
    _configure(tmp_path, tiny, extra="")
    text = (tmp_path / "evalkit.toml").read_text()
    (tmp_path / "evalkit.toml").write_text(
        text.replace("[scorers.bertscore]", "trust_checkpoint = true\n[scorers.bertscore]")
    )
    with pytest.raises(ConfigError, match="trust_checkpoint"):
        _run(tmp_path, "reference", monkeypatch)
