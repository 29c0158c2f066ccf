"""``evalkit score`` with neural metrics: sources, scorer options from the command line
and from ``evalkit.toml``, on tiny local models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from evalkit.cli import main
from evalkit.scorers.neural.bertscore import BERTScoreScorer

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = json.loads((DATA / "comet_reference.json").read_text(encoding="utf-8"))
SRCS, HYPS, REFS = REFERENCE["srcs"], REFERENCE["hyps"], REFERENCE["refs"]


def _files(folder: Path) -> dict[str, str]:
    out = {}
    for name, lines in (("src", SRCS), ("hyp", HYPS), ("ref", REFS)):
        path = folder / f"{name}.txt"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        out[name] = str(path)
    return out


def _score(capsys, *argv: str) -> tuple[int, dict | None, str]:
    capsys.readouterr()
    code = main(["score", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def test_comet_from_the_command_line_equals_unbabel_comet(tmp_path, tiny, capsys):
    f = _files(tmp_path)
    code, report, err = _score(
        capsys,
        "-r",
        f["ref"],
        "-i",
        f["hyp"],
        "-s",
        f["src"],
        "-l",
        "ko",
        "-m",
        "comet",
        "bleu",
        "--format",
        "json",
        "--n-resamples",
        "50",
        "--scorer-option",
        f"comet.model={tiny['comet']}",
        "--scorer-option",
        "comet.batch_size=2",
    )
    assert code == 0, err
    comet = report["systems"][f["hyp"]]["scores"]["comet"]
    assert comet["score"] == pytest.approx(REFERENCE["models"]["comet"]["system"], abs=2e-6)
    assert "|bs:2|" in comet["signature"]
    assert report["source"] == f["src"]
    assert report["scorer_options"] == {"comet": {"model": str(tiny["comet"]), "batch_size": 2}}
    assert "bleu" in report["systems"][f["hyp"]]["scores"]


def test_options_from_evalkit_toml_and_command_line_override(tmp_path, tiny, capsys, monkeypatch):
    f = _files(tmp_path)
    (tmp_path / "evalkit.toml").write_text(
        f'[scorers.bertscore]\nmodel = "{tiny["xlmr"]}"\nbatch_size = 3\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    args = [
        "-r",
        f["ref"],
        "-i",
        f["hyp"],
        "-l",
        "ko",
        "-m",
        "bertscore",
        "--format",
        "json",
        "--n-resamples",
        "0",
    ]
    code, report, err = _score(capsys, *args)
    assert code == 0, err
    direct = BERTScoreScorer(lang="ko", model=str(tiny["xlmr"])).score(
        hyps=HYPS, refs=REFS, n_resamples=0
    )
    got = report["systems"][f["hyp"]]["scores"]["bertscore"]
    assert got["score"] == pytest.approx(direct.score, abs=1e-6)
    assert report["scorer_options"] == {"bertscore": {"model": str(tiny["xlmr"]), "batch_size": 3}}
    code, report, err = _score(capsys, *args, "--scorer-option", "bertscore.batch_size=7")
    assert code == 0, err
    assert report["scorer_options"]["bertscore"]["batch_size"] == 7


def test_comet_without_sources_is_one_line_naming_the_flag(tmp_path, tiny, capsys):
    f = _files(tmp_path)
    code, _, err = _score(
        capsys,
        "-r",
        f["ref"],
        "-i",
        f["hyp"],
        "-l",
        "ko",
        "-m",
        "comet",
        "--scorer-option",
        f"comet.model={tiny['comet']}",
    )
    assert code == 2
    assert "comet reads the sources: give -s/--source SRC_FILE" in err
    assert len(err.strip().splitlines()) == 1


def test_chunks_keep_sources_aligned_and_models_stay_in_this_process(tiny, monkeypatch):
    import concurrent.futures

    import numpy as np

    from evalkit.scorers.batch import compute_stats
    from evalkit.scorers.neural.comet import CometScorer

    def no_pool(*args, **kwargs):
        raise AssertionError("a model-loading scorer was sent to a process pool")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    options = {"comet": {"model": str(tiny["comet"])}}
    got = compute_stats(
        ["comet", "chrf"],
        lang="ko",
        refs=REFS,
        systems=[HYPS, SRCS],
        srcs=SRCS,
        options=options,
        jobs=2,
        chunk_size=2,
    )
    direct = CometScorer(lang="ko", model=str(tiny["comet"]))
    for hyps, stats in zip([HYPS, SRCS], got["comet"], strict=True):
        np.testing.assert_allclose(
            stats, direct.segment_stats(hyps=hyps, refs=REFS, srcs=SRCS), atol=1e-6
        )
    with pytest.raises(ValueError, match="sources"):
        compute_stats(
            ["comet"], lang="ko", refs=REFS, systems=[HYPS], srcs=SRCS[:-1], options=options
        )
