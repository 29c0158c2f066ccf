"""The library API: load, save, iterate papers, task examples, fingerprint, bundled data."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import DIGESTS, REPO, SEEDS

from evalkit import dataset
from evalkit.dataset import Paper, build_examples, fingerprint, load, save
from evalkit.errors import ConfigError, DataError


@pytest.fixture(scope="module")
def papers():
    return load()


def test_load_defaults_to_the_bundled_digests(papers):
    assert dataset.bundled_digests() == DIGESTS
    assert len(papers) == 36
    assert all(isinstance(p, Paper) for p in papers)
    assert load(DIGESTS) == papers
    assert load([DIGESTS / "000_3c9e2df10df478ed.txt"]) == [
        p for p in papers if p.week == "2023-W31"
    ]


def test_save_and_load_round_trip(tmp_path, papers):
    path = save(papers, tmp_path)
    assert path == tmp_path / "papers.jsonl"
    assert load(path) == papers
    assert load(tmp_path) == papers
    assert save(reversed(papers), tmp_path / "other.jsonl").read_bytes() == path.read_bytes()


def test_load_reports_a_malformed_record_with_file_and_line(tmp_path, papers):
    path = save(papers[:2], tmp_path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "x"}) + "\n")
    with pytest.raises(DataError, match=r"papers\.jsonl:3: not a paper record"):
        load(path)
    with pytest.raises(DataError, match="no such file or folder"):
        load(tmp_path / "missing")


def test_translation_examples(papers):
    examples = build_examples(papers, tasks=["translation"])
    assert len(examples) == 20 + 20 + 19 + 10 + 10 + 9
    ids = [e.id for e in examples]
    assert len(set(ids)) == len(ids)
    ring = "2023-W41-ring-attention-with-blockwise-transformers-for-near-infinite-context"
    by_id = {e.id: e for e in examples}
    e = by_id[f"{ring}/title/en-ko"]
    assert (e.source, e.reference) == (
        "Ring Attention with Blockwise Transformers for Near-Infinite Context",
        "무한에 가까운 컨텍스트를 위한 블록형 트랜스포머로 링 어텐션 제공",
    )
    assert (e.task, e.field, e.pair, e.week, e.paper_id) == (
        "translation",
        "title",
        "en-ko",
        "2023-W41",
        ring,
    )
    assert by_id["2023-W36-q-transformer/title/en-ja"].reference == "Q-Transformer"
    ko_en = build_examples(papers, pairs=["ko-en"], fields=["abstract"], weeks=["2024-W42"])
    assert len(ko_en) == 9 and all(x.id.endswith("/abstract/ko-en") for x in ko_en)


def test_summarization_examples(papers):
    examples = build_examples(papers, tasks=["summarization"])
    counts = {}
    for e in examples:
        counts[e.pair] = counts.get(e.pair, 0) + 1
        assert e.id == f"{e.paper_id}/summarize/{e.pair}"
    assert counts == {"en-en": 28, "ko-ko": 19, "ja-ja": 9, "en-ko": 19, "en-ja": 9}
    with pytest.raises(ConfigError, match="unknown task"):
        build_examples(papers, tasks=["qa"])


def test_fingerprint_is_stable_and_content_sensitive(papers):
    fp = fingerprint(papers)
    assert len(fp) == 16 and fp == fingerprint(list(reversed(papers))) == fingerprint(load())
    changed = [Paper.from_dict({**papers[0].to_dict(), "title": {"en": "Other"}}), *papers[1:]]
    assert fingerprint(changed) != fp


def test_bundled_digests_are_byte_identical_to_the_seeds():
    if not SEEDS.is_dir():
        pytest.skip("the shared seed folder is not present on this machine")
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [p.name for p in seeds] == sorted(p.name for p in DIGESTS.glob("*.txt"))
    for seed in seeds:
        assert (DIGESTS / seed.name).read_bytes() == seed.read_bytes(), seed.name


@pytest.mark.slow
def test_built_wheel_bundles_the_digests_and_extracts_outside_the_repository(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(
        REPO,
        src,
        ignore=shutil.ignore_patterns(
            ".git",
            "data",
            "results",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
            "*.egg-info",
            "benchmarks",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            ".",
        ],
        cwd=src,
        check=True,
        capture_output=True,
        timeout=900,
    )
    (wheel,) = (tmp_path / "dist").glob("evalkit-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        bundled = sorted(n for n in zf.namelist() if n.startswith("evalkit/_bundled/digests/"))
        assert [Path(n).name for n in bundled if n.endswith(".txt")] == sorted(
            p.name for p in DIGESTS.glob("*.txt")
        )
        for name in bundled:
            if name.endswith(".txt"):
                assert zf.read(name) == (DIGESTS / Path(name).name).read_bytes()
        zf.extractall(tmp_path / "site")
    # Run the unpacked wheel from an unrelated folder: the bundled digests are found.
    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "evalkit", "extract"],
        cwd=work,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert str(tmp_path / "site" / "evalkit" / "_bundled" / "digests") in proc.stdout
    assert "total: 36 papers" in proc.stdout
    assert len((work / "data" / "papers.jsonl").read_text("utf-8").splitlines()) == 36
