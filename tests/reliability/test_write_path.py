"""Links planted in results/ (or a publish --out), special files as targets, temporary files.

The sweep runs `run`, `report` (a run, a comparison, the index), `baseline save`,
`check --junit` and `publish --dry-run` once to learn every path they write, then for
each path, in a fresh copy of the project as it was before the command, plants a link
there (to a file outside, to a folder outside, to nothing outside) and runs the command
again: nothing outside may change. RELIABILITY.md quotes the figures this prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from helpers import run_cli
from runkit import make_dataset

from evalkit.cli import main

RUN = ["run", "--system", "mt", "--dataset", "papers.jsonl", "--metrics", "chrf"]
RUN += ["--resamples", "0"]
#: Roots the user names (followed as named); links are planted below them.
ROOTS = {"results", "hub", "baselines"}


def cli(project: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: kind, and content hash for files."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def states(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {
        str(p.relative_to(folder)): (p.lstat().st_ino, p.lstat().st_mtime_ns, p.lstat().st_size)
        for p in folder.rglob("*")
    }


def outside(tmp: Path) -> Path:
    place = tmp / "elsewhere"
    (place / "folder").mkdir(parents=True)
    (place / "victim.txt").write_text('{"id": "victim"}\nkept\n', encoding="utf-8")
    (place / "folder" / "inside.png").write_bytes(b"not a chart")
    return place


def commands(run_id: str) -> list[list[str]]:
    run_dir = f"results/runs/{run_id}"
    return [
        RUN,
        ["report", run_dir],
        ["report", run_dir, run_dir, "--resamples", "10"],
        ["report", "--index"],
        ["baseline", "save", run_dir, "--to", "baselines/ref.json"],
        ["check", "--baseline", "baselines/ref.json", "--run", run_dir, "--junit", "junit.xml"],
        ["publish", "--repo-id", "org/name", "--dataset", "papers.jsonl", "--dry-run"]
        + ["--out", "hub"],
    ]


def make_project(folder: Path) -> Path:
    """The small dataset and a python system whose outputs are cached in results/cache/."""
    folder.mkdir()
    make_dataset(folder)
    (folder / "write_mt.py").write_text(
        "def translate(requests):\n    return [r.text[::-1] for r in requests]\n",
        encoding="utf-8",
    )
    (folder / "evalkit.toml").write_text(
        '[systems.mt]\nkind = "python"\ncallable = "write_mt:translate"\nbatch_size = 4\n',
        encoding="utf-8",
    )
    return folder


def learn(tmp: Path) -> tuple[list[tuple[list[str], Path, list[str]]], str]:
    """Each command, the project before it (a copy), and the paths it wrote."""
    project = make_project(tmp / "learn")
    (project / "baselines").mkdir()
    assert cli(project, *RUN) == 0
    (run_dir,) = (project / "results" / "runs").iterdir()
    shutil.rmtree(project / "results")
    steps = []
    for i, args in enumerate(commands(run_dir.name)):
        before = tmp / f"before-{i}"
        shutil.copytree(project, before, symlinks=True)
        old = states(project)
        assert cli(project, *args) in (0, 1), args  # check may find a regression: 1
        new = states(project)
        written = sorted(p for p, s in new.items() if old.get(p) != s)
        plants = set()
        for rel in written:
            parts = Path(rel).parts
            for depth in range(1, len(parts) + 1):
                plants.add(str(Path(*parts[:depth])))
        steps.append(
            (args, before, sorted(p for p in plants - ROOTS if "/" in p or p in ("junit.xml",)))
        )
    return steps, run_dir.name


def test_no_link_planted_where_evalkit_writes_lets_it_write_outside(tmp_path, capsys):
    steps, _ = learn(tmp_path)
    every = {rel for _, _, plants in steps for rel in plants}
    assert any(rel.startswith("results/cache/") for rel in every)
    assert any(rel.endswith("/charts") for rel in every)
    assert any(rel.startswith("results/comparisons/") for rel in every)
    assert {"baselines/ref.json", "junit.xml", "hub/data", "results/index.md"} <= every
    elsewhere = outside(tmp_path)
    pristine = snapshot(elsewhere)
    planted = refused = commands_run = 0
    written_outside: list[str] = []
    for args, before, plants in steps:
        assert plants, args
        for rel in plants:
            was_dir = (before / rel).is_dir() or any(r.startswith(rel + "/") for r in plants)
            targets = [elsewhere / f"missing-{planted}"]  # a link to nothing: never created
            targets.append(elsewhere / "folder" if was_dir else elsewhere / "victim.txt")
            for target in targets:
                shutil.rmtree(elsewhere)
                outside(tmp_path)  # the same outside files for every plant
                project = tmp_path / "attack"
                if project.exists():
                    shutil.rmtree(project)
                shutil.copytree(before, project, symlinks=True)
                link = project / rel
                if link.is_dir() and not link.is_symlink():
                    shutil.rmtree(link)
                elif link.exists() or link.is_symlink():
                    link.unlink()
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(target, target_is_directory=was_dir)
                planted += 1
                code = cli(project, *args)
                commands_run += 1
                err = capsys.readouterr().err
                assert "Traceback" not in err
                if code == 2:
                    refused += 1
                    lines = err.strip().splitlines()  # progress lines, then one error line
                    assert lines[-1].startswith(f"evalkit {args[0]}: error: "), err
                    assert sum(": error: " in line for line in lines) == 1, err
                    assert ".tmp" not in err
                now = snapshot(elsewhere)
                changed = [k for k in set(now) | set(pristine) if now.get(k) != pristine.get(k)]
                written_outside += [f"{' '.join(args[:2])} via {rel}: {c}" for c in changed]
    print(
        f"\nlinks planted: {planted}, commands run: {commands_run}, refused: {refused},"
        f" files written outside results/: {len(written_outside)}",
        file=sys.__stderr__,
    )
    assert written_outside == []
    assert planted >= 40 and refused > 0


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_outputs_link_to_an_outside_file_is_neither_cut_nor_appended(project, tmp_path, capsys):
    assert cli(project, *RUN) == 0
    (run_dir,) = (project / "results" / "runs").iterdir()
    victim = tmp_path / "victim.jsonl"
    victim.write_text('{"keep": 1}\n{"torn', encoding="utf-8")
    shutil.rmtree(run_dir)
    run_dir.mkdir()
    (run_dir / "outputs.jsonl").symlink_to(victim)
    (run_dir / "run.json").symlink_to(tmp_path / "created.json")
    capsys.readouterr()
    assert cli(project, *RUN) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "outputs.jsonl" in line and "symbolic link" in line
    assert victim.read_text(encoding="utf-8") == '{"keep": 1}\n{"torn'
    assert not (tmp_path / "created.json").exists()


def test_a_linked_charts_folder_receives_no_png(project, tmp_path, capsys):
    assert cli(project, *RUN) == 0
    (run_dir,) = (project / "results" / "runs").iterdir()
    shutil.rmtree(run_dir / "charts")
    elsewhere = tmp_path / "pictures"
    elsewhere.mkdir()
    (elsewhere / "holiday.png").write_bytes(b"mine")
    (run_dir / "charts").symlink_to(elsewhere, target_is_directory=True)
    capsys.readouterr()
    assert cli(project, "report", str(run_dir)) == 2
    assert "charts is a symbolic link" in capsys.readouterr().err
    assert [p.name for p in elsewhere.iterdir()] == ["holiday.png"]  # nothing added, none removed


def test_baseline_to_a_character_device_is_streamed_not_replaced(project, tmp_path):
    assert cli(project, *RUN) == 0
    (run_dir,) = (project / "results" / "runs").iterdir()
    null = project / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        null.symlink_to("/dev/null")
    assert cli(project, "baseline", "save", str(run_dir), "--to", "null") == 0
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert null.is_symlink() or stat.S_ISCHR(os.lstat(null).st_mode)


def test_junit_to_a_link_to_stdout_writes_the_stream_and_keeps_the_link(project):
    assert cli(project, *RUN) == 0
    (run_dir,) = (project / "results" / "runs").iterdir()
    assert cli(project, "baseline", "save", str(run_dir), "--to", "ref.json") == 0
    (project / "stdout").symlink_to("/proc/self/fd/1")
    proc = run_cli(
        "check",
        "--baseline",
        "ref.json",
        "--run",
        str(run_dir),
        "--junit",
        "stdout",
        cwd=project,
    )
    assert proc.returncode == 0, proc.stderr
    assert "<testsuite" in proc.stdout
    assert os.readlink(project / "stdout") == "/proc/self/fd/1"


def test_a_refused_temporary_file_is_reported_under_the_target_name(project, monkeypatch, capsys):
    assert cli(project, *RUN) == 0
    real_open = os.open

    def no_tmp(path, flags, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_tmp)
    capsys.readouterr()
    assert cli(project, "report", "--index") == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.endswith("index.md: Permission denied") or "index.md" in line, line
    assert ".tmp" not in line


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_an_interrupted_publish_leaves_no_temporary_file(project, monkeypatch, interrupt):
    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise interrupt()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    args = ["publish", "--repo-id", "org/name", "--dataset", "papers.jsonl", "--dry-run"]
    code = None
    with contextlib.suppress(interrupt):  # the CLI turns Ctrl-C into exit 130
        code = cli(project, *args, "--out", "hub")
    assert code in (None, 130) and len(calls) == 3
    assert not [p for p in (project / "hub").rglob("*") if p.name.endswith(".tmp")]
