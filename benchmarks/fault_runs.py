"""Runs under faults: SIGKILL and resume, faulty systems, a full disk.

Three experiments on ``evalkit run`` (each a real ``python -m evalkit`` process):

``kill``
    A run of a deterministic ``command`` translator over the bundled digests (reports
    included) is SIGKILLed at a uniformly random moment of its uninterrupted duration,
    ``--trials`` times (every fourth trial is killed a second time while resuming).
    After each kill every JSON file on disk must parse and every JSON-lines file may
    lose at most its torn last line; running the same command again must exit 0 with
    ``run.json`` scores and ``segments.jsonl`` identical to an uninterrupted run, and
    every file must then parse.
``faults``
    Systems that raise on 10% of batches, hang past their timeout, answer the wrong
    count, non-text, 10 MB, invalid UTF-8 or die, under ``--max-failures`` and
    ``--retries`` settings: the exit code, the one-line error, ``status`` and the
    failures in ``run.json`` and the outputs kept are checked for each.
``disk``
    The results folder on a 2 MB tmpfs (needs root to mount; skipped otherwise) filled
    up to a few free bytes at a time: the run must fail with one line, leave an
    earlier run byte-identical and every file parsable, and finish with the same
    scores once space is freed. Unwritable results folders (a file or folder in the
    way) end in one line too.

::

    python benchmarks/fault_runs.py                       # all three, 20 kill trials
    python benchmarks/fault_runs.py --only kill --trials 5 --seed 3

Figures go to stdout and, as JSON (``schema_version`` 1), to ``--out`` (default
``benchmarks/results/fault_runs.json``). Exit 1 if any check failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

#: A deterministic translator: the words of the source in sorted order, after a pause.
TRANSLATOR = """\
import json, os, sys, time
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "calls.txt"), "a") as fh:
    fh.write("+1\\n")
for line in sys.stdin:
    req = json.loads(line)
    time.sleep(float(os.environ.get("SLOW", "0")))
    print(json.dumps({"id": req["id"], "output": " ".join(sorted(req["text"].split()))}))
    sys.stdout.flush()
"""


# --------------------------------------------------------------------------- helpers


def evalkit_env(**extra: str) -> dict[str, str]:
    """The environment of an ``evalkit`` subprocess importing this checkout."""
    env = dict(os.environ)
    # no empty entry: it would put the current folder on sys.path
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def evalkit(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m evalkit ARGS`` to completion."""
    return subprocess.run(
        [sys.executable, "-m", "evalkit", *args],
        cwd=cwd,
        env=env or evalkit_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_project(folder: Path, *, batch_size: int = 4) -> Path:
    """A folder with ``evalkit.toml`` declaring the ``mt`` command translator."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "translate.py").write_text(TRANSLATOR, encoding="utf-8")
    (folder / "evalkit.toml").write_text(
        "[systems.mt]\n"
        'kind = "command"\n'
        f"command = {json.dumps([sys.executable, 'translate.py'])}\n"
        f"batch_size = {batch_size}\n",
        encoding="utf-8",
    )
    return folder


def system_calls(project: Path) -> int:
    path = project / "calls.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def check_files(root: Path, *, allow_torn_tail: bool) -> tuple[list[str], int]:
    """Every JSON file under ``root`` parses (with ``schema_version``), every JSONL line too.

    Returns the problems found and the number of torn last lines seen (allowed only
    when ``allow_torn_tail``: what a kill in the middle of an append leaves behind).
    """
    problems: list[str] = []
    torn = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith(".tmp"):
            continue
        if path.suffix == ".json":
            try:
                obj = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(f"{path}: {exc}")
                continue
            if "schema_version" not in obj:
                problems.append(f"{path}: no schema_version")
        elif path.suffix == ".jsonl":
            data = path.read_bytes()
            lines = data.split(b"\n")
            for number, raw in enumerate(lines, 1):
                if not raw.strip():
                    continue
                try:
                    json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    if allow_torn_tail and number == len(lines):
                        torn += 1
                    else:
                        problems.append(f"{path}:{number}: {exc}")
    return problems, torn


def run_dir(results: Path) -> Path | None:
    runs = sorted(p for p in (results / "runs").glob("*") if p.is_dir())
    return runs[0] if len(runs) == 1 else None


def scores_of(results: Path) -> tuple[Any, bytes] | None:
    """``(run.json scores, segments.jsonl bytes)`` of the only run under ``results``."""
    folder = run_dir(results)
    if folder is None or not (folder / "run.json").is_file():
        return None
    meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    return meta["scores"], (folder / "segments.jsonl").read_bytes()


def phase(results: Path, total: int) -> str:
    """Where a killed run was, from what it left on disk."""
    folder = run_dir(results)
    if folder is None:
        return "starting"
    out = folder / "outputs.jsonl"
    done = len(out.read_bytes().splitlines()) if out.exists() else 0
    if not (folder / "run.json").exists():
        return "system" if done < total else "scoring"
    if not (results / "index.html").exists():
        return "reports"
    return "done"


# --------------------------------------------------------------------------- kill


def kill_trial(
    project: Path,
    argv: list[str],
    results: Path,
    reference: tuple[Any, bytes],
    *,
    kill_after: list[float],
    examples: int,
    env: dict[str, str],
) -> dict[str, Any]:
    """Start the run, SIGKILL it after each delay in turn, then run it to the end."""
    trial: dict[str, Any] = {"kills": []}
    for delay in kill_after:
        before = system_calls(project)
        proc = subprocess.Popen(
            [sys.executable, "-m", "evalkit", *argv, "--results", str(results)],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        problems, torn = check_files(results, allow_torn_tail=True) if results.exists() else ([], 0)
        trial["kills"].append(
            {
                "after_s": round(delay, 2),
                "phase": "finished" if finished else phase(results, examples),
                "system_calls": system_calls(project) - before,
                "torn_lines": torn,
                "unparsable": problems,
            }
        )
    before = system_calls(project)
    began = time.perf_counter()
    resumed = evalkit(*argv, "--results", str(results), cwd=project, env=env)
    trial["resume_s"] = round(time.perf_counter() - began, 2)
    trial["resume_exit"] = resumed.returncode
    trial["resume_system_calls"] = system_calls(project) - before
    got = scores_of(results)
    trial["scores_identical"] = got is not None and got[0] == reference[0]
    trial["segments_identical"] = got is not None and got[1] == reference[1]
    trial["unparsable_after"] = check_files(results, allow_torn_tail=False)[0]
    trial["ok"] = (
        resumed.returncode == 0
        and trial["scores_identical"]
        and trial["segments_identical"]
        and not trial["unparsable_after"]
        and not any(k["unparsable"] for k in trial["kills"])
    )
    if resumed.returncode != 0:
        trial["stderr"] = resumed.stderr[-500:]
    return trial


def kill_experiment(
    work: Path, *, trials: int, seed: int, argv: list[str] | None = None, slow: float = 0.25
) -> dict[str, Any]:
    """SIGKILL ``trials`` runs at random moments and resume each (see the module docstring)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    project = make_project(work / "project")
    argv = argv or ["run", "--system", "mt"]
    env = evalkit_env(SLOW=str(slow))
    began = time.perf_counter()
    proc = evalkit(*argv, "--results", "reference", cwd=project, env=env)
    duration = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"the uninterrupted run failed: {proc.stderr[-800:]}")
    reference = scores_of(project / "reference")
    assert reference is not None
    examples = len(reference[1].splitlines())
    results = []
    for k in range(trials):
        delays = [float(rng.uniform(0.05, 1.0)) * duration]
        if k % 4 == 3:  # a second kill, while resuming
            delays.append(float(rng.uniform(0.05, 1.0)) * duration)
        trial = kill_trial(
            project,
            argv,
            project / f"trial-{k:02d}",
            reference,
            kill_after=delays,
            examples=examples,
            env=env,
        )
        trial["trial"] = k
        results.append(trial)
        print(
            f"kill trial {k:2d}: "
            + ", ".join(f"{x['after_s']:5.2f}s ({x['phase']})" for x in trial["kills"])
            + f" -> resume exit {trial['resume_exit']}, {trial['resume_system_calls']} calls,"
            f" identical scores {trial['scores_identical']}",
            file=sys.stderr,
        )
    kills = [x for t in results for x in t["kills"]]
    phases: dict[str, int] = {}
    for x in kills:
        phases[x["phase"]] = phases.get(x["phase"], 0) + 1
    return {
        "argv": argv,
        "slow_s": slow,
        "examples": examples,
        "uninterrupted_s": round(duration, 2),
        "trials": trials,
        "kills": len(kills),
        "kills_by_phase": dict(sorted(phases.items())),
        "torn_lines_seen": sum(x["torn_lines"] for x in kills),
        "resumed_identical": sum(t["ok"] for t in results),
        "failed": [t for t in results if not t["ok"]],
        "details": results,
    }


# --------------------------------------------------------------------------- faults

#: A python-kind module of faulty systems; each fault is one function.
FAULTY_MODULE = """\
import os, time, zlib

_here = os.path.dirname(os.path.abspath(__file__))


def flaky(requests):
    # the first attempt of about 10% of the batches raises (by a hash of the first id);
    # a retry of the batch, or a later run, succeeds
    first = requests[0].id
    memory = os.path.join(_here, "flaky_failed")
    failed = open(memory).read().split() if os.path.exists(memory) else []
    if zlib.crc32(first.encode()) % 10 == 0 and first not in failed:
        with open(memory, "a") as fh:
            fh.write(first + "\\n")
        raise RuntimeError("transient failure")
    return [r.text.upper() for r in requests]


def _third(requests, bad):
    marker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "n_calls")
    n = int(open(marker).read()) + 1 if os.path.exists(marker) else 1
    open(marker, "w").write(str(n))
    if n == 3:
        return bad(requests)
    return [r.text.upper() for r in requests]


def hangs(requests):
    return _third(requests, lambda rs: time.sleep(3600))


def wrong_count(requests):
    return _third(requests, lambda rs: [r.text for r in rs][1:])


def non_text(requests):
    return _third(requests, lambda rs: [None] * len(rs))


def huge(requests):
    return _third(requests, lambda rs: ["x" * 10_000_000 for r in rs])
"""

#: Command-kind programs: answer the first two batches, fail the third.
COMMAND_PREAMBLE = """\
import json, os, signal, sys, time
marker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "n_calls")
n = int(open(marker).read()) + 1 if os.path.exists(marker) else 1
open(marker, "w").write(str(n))
reqs = [json.loads(line) for line in sys.stdin]
if n != 3:
    for r in reqs:
        print(json.dumps({"id": r["id"], "output": r["text"].upper()}))
    sys.exit(0)
"""
COMMAND_FAULTS = {
    "cmd_hangs": "time.sleep(3600)\n",
    "cmd_bad_utf8": 'sys.stdout.buffer.write(b\'{"output": "\\xff\\xfe"}\\n\' * len(reqs))\n',
    "cmd_dies": (
        "print(json.dumps({'id': reqs[0]['id'], 'output': 'half'}), flush=True)\n"
        "sys.stderr.write('fatal: model crashed\\n'); sys.stderr.flush()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    ),
    "cmd_exit_1": "sys.stderr.write('CUDA out of memory\\n')\nsys.exit(1)\n",
    "cmd_huge": (
        "for r in reqs:\n    print(json.dumps({'id': r['id'], 'output': 'y' * 10_000_000}))\n"
    ),
}

#: (system, the text the one-line error must hold)
FAULTS: dict[str, str] = {
    "flaky": "transient failure",
    "hangs": "timeout=2s",
    "wrong_count": "answered 1 outputs for 2 requests",
    "non_text": "NoneType, not text",
    "huge": "over max_output_chars=100,000",
    "cmd_hangs": "timeout=2s",
    "cmd_bad_utf8": "not valid UTF-8",
    "cmd_dies": "killed by signal 9",
    "cmd_exit_1": "CUDA out of memory",
    "cmd_huge": "over max_output_chars=100,000",
}
#: Outputs kept when the run stops: the two batches answered before the fault (4), and
#: for ``cmd_dies`` the answer it printed to its first request before it was killed.
#: ``flaky`` fails where its random draw says, so its count is not fixed.
KEPT_AT_STOP = {"cmd_dies": 5}
SELECTION = ["--weeks", "2023-W41", "--pairs", "en-ko", "--metrics", "bleu", "chrf", "--no-report"]


def faults_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "faulty.py").write_text(FAULTY_MODULE, encoding="utf-8")
    tables = []
    for name in FAULTS:
        if name.startswith("cmd_"):
            (folder / f"{name}.py").write_text(
                COMMAND_PREAMBLE + COMMAND_FAULTS[name], encoding="utf-8"
            )
            argv = json.dumps([sys.executable, f"{name}.py"])
            tables.append(f'[systems.{name}]\nkind = "command"\ncommand = {argv}\n')
        else:
            tables.append(f'[systems.{name}]\nkind = "python"\ncallable = "faulty:{name}"\n')
        tables[-1] += f"batch_size = {1 if name == 'flaky' else 2}\ntimeout = 2\n"
    (folder / "evalkit.toml").write_text("\n".join(tables), encoding="utf-8")
    return folder


def _one_fault(
    folder: Path, name: str, extra: list[str], results: str, *, fresh: bool = True
) -> dict[str, Any]:
    if fresh:  # the faulty systems forget which calls they made and failed
        (folder / "n_calls").unlink(missing_ok=True)
        (folder / "flaky_failed").unlink(missing_ok=True)
    began = time.perf_counter()
    proc = evalkit("run", "--system", name, *SELECTION, *extra, "--results", results, cwd=folder)
    row: dict[str, Any] = {
        "system": name,
        "options": " ".join(extra) or "(defaults)",
        "exit": proc.returncode,
        "seconds": round(time.perf_counter() - began, 1),
        "traceback": "Traceback" in proc.stderr,
        "errors": [line for line in proc.stderr.splitlines() if "error:" in line],
        "cause_shown": FAULTS[name] in proc.stderr,
    }
    folder_run = run_dir(folder / results)
    kept = 0
    if folder_run is not None and (folder_run / "outputs.jsonl").exists():
        kept = len((folder_run / "outputs.jsonl").read_bytes().splitlines())
    row["outputs_kept"] = kept
    meta_path = folder_run / "run.json" if folder_run is not None else None
    if meta_path is not None and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        row["status"] = meta["status"]
        row["failures"] = len(meta["failures"])
        row["failure_named"] = all(
            name in f["error"] and f["ids"] and f["ids"][0] in f["error"] for f in meta["failures"]
        )
    else:
        row["status"] = None
    row["unparsable"] = check_files(folder / results, allow_torn_tail=False)[0]
    return row


def faults_experiment(work: Path) -> dict[str, Any]:
    """Every faulty system under three settings, then a resume of the partial run."""
    folder = faults_project(work / "faults")
    rows: list[dict[str, Any]] = []
    for name in FAULTS:
        stop = _one_fault(folder, name, [], f"r-{name}-stop")
        tolerant = _one_fault(folder, name, ["--max-failures", "100"], f"r-{name}-tolerant")
        retried = _one_fault(folder, name, ["--retries", "3"], f"r-{name}-retried")
        # the same tolerant command again asks only for what failed (now answered)
        resumed = _one_fault(
            folder, name, ["--max-failures", "100"], f"r-{name}-tolerant", fresh=False
        )
        checks = {
            # default --max-failures 0: exit 2, one error line naming the cause, outputs kept
            "stops": stop["exit"] == 2
            and len(stop["errors"]) == 1
            and stop["cause_shown"]
            and not stop["traceback"]
            and stop["status"] is None
            and (name == "flaky" or stop["outputs_kept"] == KEPT_AT_STOP.get(name, 4)),
            # --max-failures: a partial run recording each failure by system and ids
            "tolerated": tolerant["exit"] == 0
            and tolerant["status"] in ("partial", "complete")
            and (tolerant["status"] == "complete") == (tolerant["failures"] == 0)
            and tolerant["failure_named"],
            # --retries 3: a fault of one call is retried away; a hang or crash on every
            # call of a batch is not (the third call fails, its retries succeed)
            "retried": retried["exit"] == 0 and retried["status"] == "complete",
            "resumed": resumed["exit"] == 0 and resumed["status"] == "complete",
            "files_parse": not any(r["unparsable"] for r in (stop, tolerant, retried, resumed)),
        }
        rows.append({"system": name, "checks": checks, "runs": [stop, tolerant, retried, resumed]})
        print(
            f"fault {name:13s}: "
            + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in checks.items()),
            file=sys.stderr,
        )
    return {
        "systems": len(rows),
        "runs": 4 * len(rows),
        "checks_failed": [
            f"{r['system']}:{k}" for r in rows for k, ok in r["checks"].items() if not ok
        ],
        "details": rows,
    }


# --------------------------------------------------------------------------- disk


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path | None]:
    """A fresh tmpfs of ``size`` (None when it cannot be mounted: not root)."""
    point = Path(tempfile.mkdtemp(prefix="evalkit-tmpfs-"))
    mounted = False
    try:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            proc = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                capture_output=True,
            )
            mounted = proc.returncode == 0
        yield point if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(point)], capture_output=True)
        shutil.rmtree(point, ignore_errors=True)


def _fill(folder: Path, leave: int) -> None:
    """Fill the filesystem of ``folder`` until ``leave`` bytes are free."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    with open(filler, "ab") as fh:
        chunk = b"\0" * 65536
        while free > leave:
            n = min(len(chunk), free - leave)
            try:
                fh.write(chunk[:n])
                fh.flush()
            except OSError:
                break
            free = shutil.disk_usage(folder).free


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def disk_experiment(work: Path) -> dict[str, Any]:
    """A full disk at several fill levels, and unwritable results folders."""
    project = make_project(work / "disk")
    argv = ["run", "--system", "mt", "--weeks", "2023-W41", "--pairs", "en-ko"]
    roomy = evalkit(*argv, "--results", "roomy", cwd=project)
    assert roomy.returncode == 0, roomy.stderr
    expected = scores_of(project / "roomy")
    rows: list[dict[str, Any]] = []
    result: dict[str, Any] = {"tmpfs": None, "full_disk": rows}
    with tmpfs("2m") as mount:
        if mount is None:
            result["tmpfs"] = "skipped: cannot mount a tmpfs (needs root)"
        else:
            result["tmpfs"] = "2m"
            for leave in (0, 2_000, 8_000, 32_000, 64_000, 128_000, 256_000, 512_000):
                results = mount / "results"
                shutil.rmtree(results, ignore_errors=True)
                (mount / "filler").unlink(missing_ok=True)
                # an earlier run of another selection, complete, in the same results folder
                earlier = evalkit(
                    *argv, "--metrics", "chrf", "--results", str(results), cwd=project
                )
                assert earlier.returncode == 0, earlier.stderr
                earlier_run = next((results / "runs").iterdir()).name
                before = _snapshot(results / "runs")
                _fill(mount, leave)
                full = evalkit(*argv, "--results", str(results), cwd=project)
                after = _snapshot(results / "runs")
                earlier_intact = all(after.get(k) == v for k, v in before.items())
                problems, torn = check_files(results, allow_torn_tail=True)
                (mount / "filler").unlink()
                again = evalkit(*argv, "--results", str(results), cwd=project)
                new = [r for r in (results / "runs").iterdir() if r.name != earlier_run]
                same = False
                if len(new) == 1 and (new[0] / "run.json").exists():
                    meta = json.loads((new[0] / "run.json").read_text(encoding="utf-8"))
                    same = meta["scores"] == expected[0] if expected else False
                errors = [x for x in full.stderr.splitlines() if "error:" in x]
                row: dict[str, Any] = {
                    "free_bytes": leave,
                    "exit": full.returncode,
                    "error": errors[0] if errors else "",
                    "traceback": "Traceback" in full.stderr,
                    "earlier_run_intact": earlier_intact,
                    "unparsable": problems,
                    "torn_lines": torn,
                    "after_freeing_exit": again.returncode,
                    "after_freeing_same_scores": same,
                }
                row["ok"] = (
                    not row["traceback"]
                    and (full.returncode == 0 or (full.returncode == 2 and len(errors) == 1))
                    and earlier_intact
                    and not problems
                    and again.returncode == 0
                    and same
                )
                rows.append(row)
                print(
                    f"disk full, {leave:7,d} bytes free: exit {full.returncode}"
                    f" {row['error'][:90]!r}; earlier run intact {earlier_intact};"
                    f" after freeing: exit {again.returncode}, same scores {same}",
                    file=sys.stderr,
                )
    # unwritable results folders: something in the way where evalkit must write
    blocked: list[dict[str, Any]] = []
    for what, make in (
        ("results is a file", lambda r: r.write_text("x")),
        ("runs/ is a file", lambda r: (r.mkdir(), (r / "runs").write_text("x"))),
        ("index.html is a folder", lambda r: (r / "index.html").mkdir(parents=True)),
    ):
        results = project / f"blocked-{len(blocked)}"
        make(results)
        proc = evalkit(*argv, "--results", str(results), cwd=project)
        errors = [x for x in proc.stderr.splitlines() if "error:" in x]
        blocked.append(
            {
                "case": what,
                "exit": proc.returncode,
                "error": errors[0] if errors else "",
                "ok": proc.returncode == 2 and len(errors) == 1 and "Traceback" not in proc.stderr,
            }
        )
    result["unwritable"] = blocked
    result["failed"] = [r for r in rows if not r["ok"]] + [b for b in blocked if not b["ok"]]
    return result


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=["kill", "faults", "disk"])
    parser.add_argument("--trials", type=int, default=20, help="kill trials (20)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--slow", type=float, default=0.25, help="kill: seconds the translator takes per request"
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results" / "fault_runs.json"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    from evalkit import __version__

    only = args.only or ["kill", "faults", "disk"]
    work = Path(tempfile.mkdtemp(prefix="evalkit-faults-"))
    summary: dict[str, Any] = {
        "schema_version": 1,
        "evalkit_version": __version__,
        "seed": args.seed,
    }
    failed = 0
    began = time.perf_counter()
    try:
        if "kill" in only:
            k = kill_experiment(work, trials=args.trials, seed=args.seed, slow=args.slow)
            summary["kill"] = k
            failed += len(k["failed"])
            print(
                f"kill: {k['trials']} trials, {k['kills']} SIGKILLs"
                f" (by phase: {k['kills_by_phase']}), uninterrupted run {k['uninterrupted_s']} s"
                f" over {k['examples']} examples; torn last lines cut: {k['torn_lines_seen']};"
                f" resumed to identical scores and segments: {k['resumed_identical']}"
                f"/{k['trials']}"
            )
        if "faults" in only:
            f = faults_experiment(work)
            summary["faults"] = f
            failed += len(f["checks_failed"])
            print(
                f"faults: {f['systems']} faulty systems x 4 runs = {f['runs']} runs;"
                f" checks failed: {f['checks_failed'] or 'none'}"
            )
        if "disk" in only:
            d = disk_experiment(work)
            summary["disk"] = d
            failed += len(d["failed"])
            print(
                f"disk: tmpfs {d['tmpfs']}; {len(d['full_disk'])} fill levels,"
                f" {len(d['unwritable'])} unwritable folders; failed: {len(d['failed'])}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    summary["wall_s"] = round(time.perf_counter() - began, 1)
    summary["failed"] = failed
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"fault_runs: {failed} failed check(s), {summary['wall_s']} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
