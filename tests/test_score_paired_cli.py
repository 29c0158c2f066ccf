"""`evalkit score --paired-bs / --paired-ar` against the `sacrebleu` command line."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_cli

SACREBLEU = shutil.which("sacrebleu")
LABELS = {"bleu": "BLEU", "chrf": "chrF2", "ter": "TER"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("paired")
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(40)] + ["the", "of", "attention", "model"]
    refs = [" ".join(rng.choice(vocab) for _ in range(rng.randint(2, 18))) for _ in range(120)]
    (root / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    systems = []
    for name, rate in (("base", 0.3), ("close", 0.29), ("worse", 0.5)):
        r = random.Random(name)
        lines = [
            " ".join(w if r.random() > rate else r.choice(vocab) for w in ref.split())
            for ref in refs
        ]
        (root / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        systems.append(root / f"{name}.txt")
    return root / "ref.txt", systems


def _numbers(table: str) -> list[str]:
    grid = table.split("\n\n")[0]
    return re.findall(r"-?\d+\.\d+", grid)


@pytest.mark.skipif(SACREBLEU is None, reason="the sacrebleu command is not installed")
def test_paired_bs_table_equals_the_sacrebleu_command(files):
    """sacrebleu cannot write --paired-bs as JSON (float32 means): compare its table at 6
    decimals, every score, bootstrap mean, 95% half-interval and p-value."""
    ref, systems = files
    sb = subprocess.run(
        [
            SACREBLEU,
            str(ref),
            "-i",
            *map(str, systems),
            "-m",
            "bleu",
            "chrf",
            "ter",
            "--paired-bs",
            "-f",
            "text",
            "-nc",
            "-w",
            "6",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = run_cli(
        "score", "-r", str(ref), "-i", *map(str, systems), "-l", "en", "--paired-bs", "-w", "6"
    )
    assert ours.returncode == 0, ours.stderr
    expected = _numbers(sb.stdout)
    assert len(expected) == 3 * 3 * 3 + 2 * 3  # score, mean, ci per cell; p per system
    assert _numbers(ours.stdout) == expected


@pytest.mark.skipif(SACREBLEU is None, reason="the sacrebleu command is not installed")
@pytest.mark.parametrize("flag", ["--paired-ar"])
def test_paired_json_equals_the_sacrebleu_command(files, flag):
    ref, systems = files
    sb = subprocess.run(
        [
            SACREBLEU,
            str(ref),
            "-i",
            *map(str, systems),
            "-m",
            "bleu",
            "chrf",
            "ter",
            flag,
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(sb.stdout)
    ours = run_cli(
        "score", "-r", str(ref), "-i", *map(str, systems), "-l", "en", flag, "--format", "json"
    )
    assert ours.returncode == 0, ours.stderr
    report = json.loads(ours.stdout)
    assert report["schema_version"] == 1 and report["kind"] == "score-paired"
    assert report["baseline"] == str(systems[0])
    assert len(report["systems"]) == len(expected) == 3
    for got, want in zip(report["systems"], expected, strict=True):
        for metric, label in LABELS.items():
            g, w = got[metric], want[label]
            assert g["score"] == w["score"] and g["p_value"] == w["p_value"], (metric, g, w)
            if flag == "--paired-bs":
                assert g["mean"] == pytest.approx(w["mean"], rel=0, abs=0)
                assert g["ci"] == pytest.approx(w["ci"], rel=0, abs=0)
    sig = "paired-bs-1000" if flag == "--paired-bs" else "paired-ar-10000"
    assert all(s.endswith(f"|{sig}|seed:12345") for s in report["signatures"].values())


def test_paired_text_is_sacrebleus_table(files):
    ref, systems = files
    out = run_cli(
        "score",
        "-r",
        str(ref),
        "-i",
        *map(str, systems),
        "-l",
        "en",
        "--paired-bs",
        "-m",
        "bleu",
        "-w",
        "2",
    )
    assert out.returncode == 0, out.stderr
    assert "BLEU (μ ± 95% CI)" in out.stdout and f"Baseline: {systems[0]}" in out.stdout
    assert "(p = 0.0010)*" in out.stdout  # the worse system
    assert "Paired bootstrap resampling test with 1000 resampling trials" in out.stdout


def test_paired_needs_two_systems(files):
    ref, systems = files
    out = run_cli("score", "-r", str(ref), "-i", str(systems[0]), "-l", "en", "--paired-ar")
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "need a baseline and at least one system" in out.stderr
