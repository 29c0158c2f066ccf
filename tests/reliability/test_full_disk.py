"""A full disk or an unwritable results folder: one clear line, no corrupted earlier run.

In-process, ENOSPC is injected where evalkit makes data durable (``os.fsync``), at
every such point of a run in turn; in a subprocess, ``RLIMIT_FSIZE`` makes the kernel
refuse writes past a size (EFBIG), tearing a line mid-write. ``benchmarks/fault_runs.py
--only disk`` fills a real tmpfs (figures in RELIABILITY.md).
"""

from __future__ import annotations

import errno
import json
import os
import sys
import textwrap
from pathlib import Path

import fault_runs as fr
import pytest
from runkit import make_dataset

from evalkit.cli import main

TRANSLATOR = "def translate(requests):\n    return [r.text[::-1] for r in requests]\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    make_dataset(tmp_path)
    (tmp_path / "disk_mt.py").write_text(TRANSLATOR, encoding="utf-8")
    (tmp_path / "evalkit.toml").write_text(
        '[systems.mt]\nkind = "python"\ncallable = "disk_mt:translate"\nbatch_size = 4\n',
        encoding="utf-8",
    )
    return tmp_path


def evalkit(project: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return main(["run", "--system", "mt", "--dataset", "papers.jsonl", *args])
    finally:
        os.chdir(cwd)


FAST = ("--metrics", "chrf", "--resamples", "0", "--no-report")


class FullDisk:
    """``os.fsync`` fails with ENOSPC from its ``fail_at``-th call on (0: never)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.calls = 0
        self.fail_at = 0
        self.only: str | None = None
        real = os.fsync

        def fsync(fd: int) -> None:
            path = os.readlink(f"/proc/self/fd/{fd}") if sys.platform == "linux" else ""
            if self.only is None or self.only in path:
                self.calls += 1
                if self.fail_at and self.calls >= self.fail_at:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real(fd)

        monkeypatch.setattr(os, "fsync", fsync)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def scores(results: Path, run_id: str) -> list:
    return json.loads((results / "runs" / run_id / "run.json").read_text("utf-8"))["scores"]


def test_enospc_at_every_write_of_a_run(project, monkeypatch, capsys):
    import shutil

    disk = FullDisk(monkeypatch)
    assert evalkit(project, *FAST, "--results", "clean") == 0
    (clean_id,) = os.listdir(project / "clean" / "runs")
    # an earlier, complete run of another selection in the results folder under test
    assert evalkit(project, *FAST, "--weeks", "2023-W41", "--results", "earlier") == 0
    earlier = snapshot(project / "earlier")
    shutil.copytree(project / "earlier", project / "results-0")
    disk.calls = 0
    assert evalkit(project, *FAST, "--results", "results-0") == 0
    points = disk.calls
    assert points >= 6  # cached outputs, outputs and cache per batch, segments, run.json
    capsys.readouterr()
    for k in range(1, points + 1):
        results = project / f"results-{k}"
        shutil.copytree(project / "earlier", results)
        disk.calls, disk.fail_at = 0, k
        assert evalkit(project, *FAST, "--results", results.name) == 2, k
        err = capsys.readouterr().err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "No space left on device" in lines[0], (k, err)
        assert lines[0].startswith(f"evalkit run: error: {results.name}/")
        after = snapshot(results)
        for name, data in earlier.items():  # the earlier run as it was; the cache only grew
            assert (
                after[name] == data
                if name.startswith("runs/")
                else after[name][: len(data)] == data
            )
        assert fr.check_files(results, allow_torn_tail=False)[0] == []
        assert not list(results.rglob("*.tmp"))
        disk.fail_at = 0  # space again: the same command completes, as if never interrupted
        assert evalkit(project, *FAST, "--results", results.name) == 0
        assert scores(results, clean_id) == scores(project / "clean", clean_id)
        capsys.readouterr()


@pytest.mark.parametrize("target", ["report.html", "charts", "index.html"])
def test_enospc_while_writing_reports(project, monkeypatch, capsys, target):
    disk = FullDisk(monkeypatch)
    args = ("--metrics", "chrf", "--resamples", "0")
    assert evalkit(project, *args) == 0
    before = snapshot(project / "results")
    disk.only, disk.fail_at = target, 1
    assert evalkit(project, *args) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()[-1:]
    assert "No space left on device" in line and target in line and "Traceback" not in line
    after = snapshot(project / "results")
    assert after.keys() == before.keys()  # atomic writes: old files or new ones, no leftovers
    assert not list((project / "results").rglob("*.tmp"))
    assert fr.check_files(project / "results", allow_torn_tail=False)[0] == []
    data = [n for n in before if n.endswith(("outputs.jsonl", "segments.jsonl"))]
    assert len(data) == 2 and all(after[n] == before[n] for n in data)
    (run_id,) = os.listdir(project / "results" / "runs")
    old_run = json.loads(before[f"runs/{run_id}/run.json"])
    assert scores(project / "results", run_id) == old_run["scores"]


LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from evalkit.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("limit", [700, 9_000])
def test_kernel_refusing_writes_tears_a_line_and_the_rerun_repairs_it(project, limit):
    """EFBIG from the kernel in the middle of an append, in a real ``evalkit`` process."""
    import subprocess

    (project / "limited.py").write_text(textwrap.dedent(LIMITED), encoding="utf-8")
    argv = ["run", "--system", "mt", "--dataset", "papers.jsonl", *FAST]
    proc = subprocess.run(
        [sys.executable, "limited.py", str(limit), *argv],
        cwd=project,
        env=fr.evalkit_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "File too large" in line and line.startswith("evalkit run: error: results/runs/")
    problems, torn = fr.check_files(project / "results", allow_torn_tail=True)
    assert problems == []
    assert evalkit(project, *FAST) == 0
    assert fr.check_files(project / "results", allow_torn_tail=False) == ([], 0)
    assert evalkit(project, *FAST, "--results", "clean", "--no-cache") == 0
    (run_id,) = os.listdir(project / "clean" / "runs")
    assert scores(project / "results", run_id) == scores(project / "clean", run_id)


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda r: (r / "index.html").mkdir(parents=True), "results/index.html: Is a directory"),
        (lambda r: (r / "runs").mkdir(parents=True) or (r / "runs" / "x").write_text(""), None),
    ],
    ids=["index-is-a-folder", "control"],
)
def test_something_in_the_way_is_one_line(project, capsys, make, named):
    make(project / "results")
    capsys.readouterr()
    code = evalkit(project, "--metrics", "chrf", "--resamples", "0")
    err = capsys.readouterr().err
    if named is None:
        assert code == 0
        return
    assert code == 2 and err.strip().splitlines() == [f"evalkit run: error: {named}"]


def test_a_folder_where_run_json_goes_is_named_not_the_temporary_file(project, capsys):
    assert evalkit(project, *FAST) == 0
    (run_dir,) = (project / "results" / "runs").iterdir()
    (run_dir / "run.json").unlink()
    (run_dir / "run.json").mkdir()
    capsys.readouterr()
    assert evalkit(project, *FAST) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert f"{run_dir.name}/run.json: cannot write the run: Is a directory" in line
    assert ".tmp" not in line
    assert not list(run_dir.glob(".*.tmp"))


def test_report_command_with_a_file_in_place_of_charts(project, capsys):
    assert evalkit(project, "--metrics", "chrf", "--resamples", "0") == 0
    (run_dir,) = (project / "results" / "runs").iterdir()
    for png in (run_dir / "charts").iterdir():
        png.unlink()
    (run_dir / "charts").rmdir()
    (run_dir / "charts").write_text("not a folder")
    capsys.readouterr()
    assert main(["report", str(run_dir)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("evalkit report: error: ") and line.endswith("charts: File exists")
