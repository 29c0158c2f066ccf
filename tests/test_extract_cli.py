"""``evalkit extract`` on the command line."""

import json
from pathlib import Path

from helpers import DIGESTS, run_cli

EXPECTED_SUMMARY = """\
000_3c9e2df10df478ed.txt: paper-notes, 6 papers (2023-W31), 0 problems
001_d1cdc3da727fa672.txt: pytorchkr-ko, 10 papers (2023-W41), 0 problems
002_2d275b1d774cf9ef.txt: pytorchkr-ko, 10 papers (2024-W42), 0 problems
003_b91e32f9ad96d161.txt: pytorchkr-ja, 10 papers (2023-W36), 0 problems
total: 36 papers from 36 entries in 4 files, 0 problems
aligned pairs: en-ko title 20, summary 20, abstract 19; en-ja title 10, summary 10, abstract 9
"""


def test_default_reads_the_bundled_digests_into_data(tmp_path):
    proc = run_cli("extract", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.replace(str(DIGESTS) + "/", "") == EXPECTED_SUMMARY
    out = tmp_path / "data" / "papers.jsonl"
    assert proc.stderr.strip() == "wrote data/papers.jsonl"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 36
    assert [r["week"] for r in records] == sorted(r["week"] for r in records)


def test_same_input_same_bytes(tmp_path):
    a = run_cli("extract", str(DIGESTS), "--out", str(tmp_path / "a"))
    b = run_cli("extract", *sorted(map(str, DIGESTS.glob("*.txt"))), "--out", str(tmp_path / "b"))
    assert a.returncode == b.returncode == 0
    assert (tmp_path / "a" / "papers.jsonl").read_bytes() == (
        tmp_path / "b" / "papers.jsonl"
    ).read_bytes()


def test_format_override(tmp_path):
    path = DIGESTS / "003_b91e32f9ad96d161.txt"
    proc = run_cli("extract", str(path), "--format", "pytorchkr-ja", "--out", str(tmp_path))
    assert proc.returncode == 0
    assert f"{path}: pytorchkr-ja, 10 papers (2023-W36), 0 problems" in proc.stdout
    # Read as the Korean edition, the Japanese labels are unknown: every heading is reported.
    proc = run_cli(
        "extract", str(path), "--format", "pytorchkr-ko", "--strict", "--out", str(tmp_path)
    )
    assert proc.returncode == 1
    assert f"{path}: pytorchkr-ko, " in proc.stdout
    assert f"{path}:5: " in proc.stderr


def test_out_may_name_the_jsonl_file(tmp_path):
    proc = run_cli(
        "extract", str(DIGESTS / "000_3c9e2df10df478ed.txt"), "--out", str(tmp_path / "notes.jsonl")
    )
    assert proc.returncode == 0
    assert len((tmp_path / "notes.jsonl").read_text(encoding="utf-8").splitlines()) == 6
    assert not Path(tmp_path / "notes.jsonl").is_dir()
