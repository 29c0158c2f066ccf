"""Mutation fuzzer for the digest extractor.

Each input is one of the sample digests (``fixtures/digests/*.txt``) put through one to
six random mutations: lines deleted, duplicated, swapped or truncated, pieces of digest
syntax or lines of another digest spliced in, control characters and random Unicode
injected, line ends mixed, bytes flipped, the file cut at a random byte or re-encoded.
Every input goes through the extractor's own stages (decode, detect, parse, align) with
no safety net, in a worker process with a time limit, and is classified:

- ``records``, ``records+problems``, ``problems``, ``nothing``: acceptable outcomes;
- ``exception`` (anything raised), ``hang`` (over the time limit), ``internal_error``,
  ``bad_problem`` (a problem without a valid file and line, or on several lines),
  ``bad_record`` (duplicate ids, neither an English title nor a link flagged
  ``title_missing``, not JSON-serializable, a source line out of range) and
  ``lost_heading`` (a paper heading of the original digest that ends up neither as a
  record nor as a problem): failures.

Inputs are a pure function of ``(seed, index)``, so ``--replay INDEX`` reproduces one::

    python benchmarks/fuzz_extract.py                      # 10,000 inputs, seed 0
    python benchmarks/fuzz_extract.py --inputs 500 --seed 7
    python benchmarks/fuzz_extract.py --replay 1234 --save input.txt

The summary goes to stdout and, as JSON (``schema_version`` 1), to ``--out``
(default ``benchmarks/results/fuzz_extract.json``). Exit 1 if any input failed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run from a checkout without installing it
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from evalkit.digests import parse_lines, pytorchkr, pytorchkr_ja, pytorchkr_ko  # noqa: E402
from evalkit.digests import text as tx  # noqa: E402
from evalkit.digests.align import align  # noqa: E402
from evalkit.digests.reader import decode  # noqa: E402
from evalkit.extract import extract  # noqa: E402
from evalkit.io import dumps  # noqa: E402

DIGESTS = REPO / "fixtures" / "digests"
NAMES = sorted(p.name for p in DIGESTS.glob("*.txt"))
TEXTS = {name: (DIGESTS / name).read_text(encoding="utf-8") for name in NAMES}
LABELS = {**pytorchkr_ko.DIALECT.labels, **pytorchkr_ja.DIALECT.labels}

OK_OUTCOMES = ("records", "records+problems", "problems", "nothing")
FAILURES = (
    "exception",
    "hang",
    "internal_error",
    "bad_problem",
    "bad_record",
    "lost_heading",
)

LINE_OPS = (
    "delete",
    "duplicate",
    "swap",
    "truncate_lines",
    "cut_line",
    "splice",
    "piece",
    "control",
    "unicode",
    "blowup",
)
BYTE_OPS = ("line_ends", "flip_bytes", "truncate_bytes", "encoding")
OPS = LINE_OPS + BYTE_OPS
#: Blown-up inputs stay below about this many lines (real digests have a few hundred).
MAX_LINES = 20_000
MAX_CHARS = 2_000_000

#: Digest syntax that steers the parsers: labels, week headers, separators, links.
PIECES = [
    "논문 소개",
    "논문 초록(Abstract)",
    "논문 링크",
    "더 읽어보기",
    "원문",
    "論文紹介",
    "論文要旨",
    "論文リンク",
    "さらに読む",
    "原文",
    "https://arxiv.org/abs/2308.16898",
    "https://arxiv.org/abs/2310.01889v2",
    "#llm #survey",
    "[2023/10/09 ~ 10/15] 이번 주의 주요 ML 논문",
    "[2023/02/30 ~ 03/05]",
    "[9999/12/27 ~ 01/02]",
    "[2024/12/30 ~ 01/05] 今週の主要ML論文",
    "2023년 8월 1주차",
    "2023년 13월 9주차",
    "English Title (Alice Kim, Bob Lee)",
    "한국어 제목 / English Title",
    "English Title / 日本語タイトル",
    " / ",
    "  • ",
    "> ",
    "- ",
    "(",
    "",
]
#: Characters the cleaner drops or turns into spaces, and some it keeps.
CONTROLS = [chr(c) for c in range(0x20) if c not in (0x0A, 0x0D)] + [
    "\x7f",
    "\x85",
    "\u00a0",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u202e",
    "\u2028",
    "\u2029",
    "\u2060",
    "\ufeff",
    "\ufffd",
]
#: Code point ranges random Unicode is drawn from (surrogates become invalid UTF-8).
UNICODE_RANGES = [
    (0x20, 0x7E),
    (0xA0, 0x2FF),
    (0x300, 0x36F),  # combining marks
    (0x1100, 0x11FF),  # Hangul jamo (NFC composes them)
    (0x3040, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xD800, 0xDFFF),  # lone surrogates
    (0xE000, 0xF8FF),  # private use
    (0xFF00, 0xFFEF),  # fullwidth forms
    (0xFFF0, 0xFFFF),  # specials, noncharacters
    (0x1F300, 0x1FAFF),  # emoji
    (0x10000, 0x10FFFF),
]


@dataclass
class Outcome:
    """What one input gave."""

    index: int
    name: str
    ops: list[str]
    outcome: str
    papers: int = 0
    problems: int = 0
    seconds: float = 0.0
    size: int = 0
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --------------------------------------------------------------------------- inputs


def _rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, index])


def _random_text(rng: np.random.Generator, n: int) -> str:
    out = []
    for _ in range(n):
        lo, hi = UNICODE_RANGES[int(rng.integers(len(UNICODE_RANGES)))]
        out.append(chr(int(rng.integers(lo, hi + 1))))
    return "".join(out)


def _insert_at(rng: np.random.Generator, line: str, piece: str) -> str:
    at = int(rng.integers(len(line) + 1))
    return line[:at] + piece + line[at:]


def _line_op(op: str, lines: list[str], rng: np.random.Generator) -> list[str]:
    n = len(lines)
    i = int(rng.integers(n))
    if op == "delete":
        k = int(rng.integers(1, 4))
        return lines[:i] + lines[i + k :]
    if op == "duplicate":
        k = int(rng.integers(1, 6))
        return lines[: i + k] + lines[i : i + k] + lines[i + k :]
    if op == "swap":
        j = int(rng.integers(n))
        lines = list(lines)
        lines[i], lines[j] = lines[j], lines[i]
        return lines
    if op == "truncate_lines":
        return lines[: max(1, i)]
    if op == "cut_line":
        line = lines[i]
        return [*lines[:i], line[: int(rng.integers(len(line) + 1))], *lines[i + 1 :]]
    if op == "splice":
        other = TEXTS[NAMES[int(rng.integers(len(NAMES)))]].split("\n")
        j = int(rng.integers(len(other)))
        k = int(rng.integers(1, 12))
        return lines[:i] + other[j : j + k] + lines[i:]
    if op == "piece":
        piece = PIECES[int(rng.integers(len(PIECES)))]
        if rng.random() < 0.5:
            return [*lines[:i], piece, *lines[i:]]
        return [*lines[:i], _insert_at(rng, lines[i], piece), *lines[i + 1 :]]
    if op == "control":
        lines = list(lines)
        for _ in range(int(rng.integers(1, 20))):
            j = int(rng.integers(n))
            lines[j] = _insert_at(rng, lines[j], CONTROLS[int(rng.integers(len(CONTROLS)))])
        return lines
    if op == "unicode":
        text = _random_text(rng, int(rng.integers(1, 40)))
        if rng.random() < 0.3:
            return [*lines[:i], text, *lines[i:]]
        return [*lines[:i], _insert_at(rng, lines[i], text), *lines[i + 1 :]]
    if op == "blowup":
        if rng.random() < 0.5:  # one block many times: a long file (at most ~MAX_LINES)
            k = int(rng.integers(1, 25))
            chars = sum(len(x) + 1 for x in lines[i : i + k])
            reps = min(int(rng.integers(20, 200)), max(1, (MAX_LINES - n) // k), MAX_CHARS // chars)
            return lines[:i] + lines[i : i + k] * reps + lines[i:]
        unit = (lines[i] or PIECES[int(rng.integers(len(PIECES)))] or "(")[:60]
        return [*lines[:i], (unit + " ") * int(rng.integers(100, 5000)), *lines[i + 1 :]]
    raise ValueError(op)


def _serialize(lines: list[str], ops: list[str], rng: np.random.Generator) -> bytes:
    if "line_ends" in ops:
        ends = np.array(["\n", "\r\n", "\r"])[rng.integers(0, 3, size=max(0, len(lines) - 1))]
        text = "".join(line + str(end) for line, end in zip(lines, ends, strict=False))
        text += lines[-1] if lines else ""
    else:
        text = "\n".join(lines)
    data = text.encode("utf-8", errors="surrogatepass")
    for op in ops:
        if op == "flip_bytes" and data:
            buf = bytearray(data)
            for _ in range(int(rng.integers(1, 30))):
                buf[int(rng.integers(len(buf)))] = int(rng.integers(256))
            data = bytes(buf)
        elif op == "truncate_bytes" and data:
            data = data[: int(rng.integers(len(data)))]
        elif op == "encoding":
            choice = int(rng.integers(5))
            decoded = data.decode("utf-8", errors="replace")
            if choice == 0:
                data = decoded.encode("utf-16")  # with its byte-order mark
            elif choice == 1:
                data = decoded.encode("cp949", errors="replace")
            elif choice == 2:
                data = decoded.encode("cp932", errors="replace")
            elif choice == 3:
                data = b"\xef\xbb\xbf" + data
            else:
                data = b"\xff\xfe" + data  # a UTF-16 mark on UTF-8 bytes
    return data


def generate(seed: int, index: int) -> tuple[str, list[str], bytes]:
    """The input number ``index`` of ``seed``: (original digest, mutations, bytes)."""
    rng = _rng(seed, index)
    name = NAMES[int(rng.integers(len(NAMES)))]
    n_ops = int(rng.integers(1, 7))
    ops = [OPS[int(k)] for k in rng.integers(0, len(OPS), size=n_ops)]
    lines = TEXTS[name].split("\n")
    for op in ops:
        if op in LINE_OPS and lines:
            lines = _line_op(op, lines, rng)
    return name, ops, _serialize(lines, ops, rng)


# --------------------------------------------------------------------------- oracle


def _headings(name: str) -> set[str]:
    lines = TEXTS[name].split("\n")
    papers = extract([DIGESTS / name]).papers
    return {
        tx.strip_markers(tx.clean_line(lines[s["line"] - 1])) for p in papers for s in p.sources
    }


HEADINGS = {name: _headings(name) for name in NAMES}
FORMATS = {name: extract([DIGESTS / name]).files[0].format for name in NAMES}


def lost_headings(name: str, fmt: str | None, lines: list[str], accounted: set[int]) -> list[int]:
    """Lines holding a paper heading of the original digest that no record or problem names.

    A heading must be accounted for when the input is still in the original's format
    and the line is a full heading: a notes title, a ``native / English`` heading, or
    any heading directly followed by its summary label.
    """
    if fmt is None or fmt != FORMATS[name]:
        return []
    clean = [tx.strip_markers(line) for line in lines]
    nonblank = [i for i, line in enumerate(clean) if line]
    lost = []
    for k, i in enumerate(nonblank):
        if clean[i] not in HEADINGS[name] or i + 1 in accounted:
            continue
        nxt = clean[nonblank[k + 1]] if k + 1 < len(nonblank) else ""
        label = pytorchkr.label_of(nxt, LABELS)
        if fmt == "paper-notes" or " / " in clean[i] or (label and label[0] == "summary"):
            lost.append(i + 1)
    return lost


def classify(name: str, data: bytes, file: str = "fuzz.txt") -> tuple[str, int, int, str]:
    """Run the extractor's stages on ``data``; ``(outcome, papers, problems, detail)``.

    Exceptions propagate (the caller classifies them): the stages are called directly,
    without the safety net :func:`evalkit.extract.extract` puts around a parser.
    """
    lines, problems = decode(data, file)
    fmt, result = parse_lines(lines, file=file, fmt=None)
    problems = [*problems, *result.problems]
    papers = align(result.entries)
    last = max(1, len(lines))
    for p in problems:
        text = str(p)
        if p.code == "internal_error":
            return "internal_error", len(papers), len(problems), text[:300]
        if (
            p.file != file
            or not 1 <= p.line <= last
            or "\n" in text
            or not text.startswith(f"{file}:{p.line}: ")
        ):
            return "bad_problem", len(papers), len(problems), text[:300]
    if len({p.id for p in papers}) != len(papers):
        return "bad_record", len(papers), len(problems), "duplicate paper ids"
    for paper in papers:
        record = paper.to_dict()
        json.loads(dumps(record))
        if not paper.title.get("en") and not (
            paper.links and any(f["code"] == "title_missing" for f in paper.flags)
        ):
            return "bad_record", len(papers), len(problems), f"{paper.id}: no English title"
        for s in paper.sources:
            if not 1 <= s["line"] <= last:
                return "bad_record", len(papers), len(problems), f"{paper.id}: source {s}"
    accounted = {s["line"] for p in papers for s in p.sources} | {p.line for p in problems}
    lost = lost_headings(name, fmt, lines, accounted)
    if lost:
        where = ", ".join(f"line {n}: {lines[n - 1][:50]!r}" for n in lost[:3])
        return "lost_heading", len(papers), len(problems), where
    if papers:
        outcome = "records+problems" if problems else "records"
    else:
        outcome = "problems" if problems else "nothing"
    return outcome, len(papers), len(problems), ""


def run_one(seed: int, index: int) -> Outcome:
    """Generate and classify input ``index`` (exceptions become the ``exception`` outcome)."""
    name, ops, data = generate(seed, index)
    start = time.perf_counter()
    try:
        outcome, n_papers, n_problems, detail = classify(name, data)
    except Exception as exc:  # noqa: BLE001 - any exception is the finding
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        outcome, n_papers, n_problems = "exception", 0, 0
        detail = f"{type(exc).__name__}: {exc} (at {where})"[:300]
    seconds = time.perf_counter() - start
    return Outcome(index, name, ops, outcome, n_papers, n_problems, seconds, len(data), detail)


# --------------------------------------------------------------------------- driver


def _work(job: tuple[int, int]) -> Outcome:
    return run_one(*job)


def fuzz(
    seed: int, inputs: int, *, timeout: float, jobs: int, start: int = 0
) -> tuple[list[Outcome], float]:
    """Run inputs ``start .. start+inputs-1`` in ``jobs`` worker processes.

    An input that takes longer than ``timeout`` seconds is recorded as a ``hang`` and
    its worker pool is replaced. Returns the outcomes (in input order) and wall time.
    """
    outcomes: list[Outcome] = []
    began = time.perf_counter()
    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    nxt = start
    end = start + inputs
    with _bar(inputs) as bar:
        while nxt < end:
            pool = ctx.Pool(jobs)
            try:
                results = pool.imap(_work, [(seed, i) for i in range(nxt, end)], chunksize=1)
                while nxt < end:
                    try:
                        outcomes.append(results.next(timeout=timeout))
                    except mp.TimeoutError:
                        name, ops, data = generate(seed, nxt)
                        outcomes.append(
                            Outcome(nxt, name, ops, "hang", 0, 0, timeout, len(data), "")
                        )
                        nxt += 1
                        bar.update(1)
                        break  # the stuck worker goes with its pool
                    nxt += 1
                    bar.update(1)
            finally:
                pool.terminate()
                pool.join()
    return outcomes, time.perf_counter() - began


def _bar(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="input", file=sys.stderr, disable=not sys.stderr.isatty())


def summarize(
    outcomes: list[Outcome], *, seed: int, timeout: float, wall: float, jobs: int
) -> dict[str, Any]:
    """The figures of a fuzzing session, as a JSON-able dict."""
    from evalkit import __version__

    counts = Counter(o.outcome for o in outcomes)
    ops = Counter(op for o in outcomes for op in o.ops)
    seconds = np.array([o.seconds for o in outcomes]) if outcomes else np.zeros(1)
    sizes = np.array([o.size for o in outcomes]) if outcomes else np.zeros(1)
    failures = [o.to_dict() for o in outcomes if o.outcome in FAILURES]
    return {
        "schema_version": 1,
        "evalkit_version": __version__,
        "seed": seed,
        "inputs": len(outcomes),
        "first_index": outcomes[0].index if outcomes else 0,
        "jobs": jobs,
        "timeout_s": timeout,
        "wall_s": round(wall, 1),
        "outcomes": {k: counts.get(k, 0) for k in (*OK_OUTCOMES, *FAILURES)},
        "failed": len(failures),
        "mutations": {op: ops.get(op, 0) for op in OPS},
        "by_digest": dict(sorted(Counter(o.name for o in outcomes).items())),
        "papers": int(sum(o.papers for o in outcomes)),
        "problems": int(sum(o.problems for o in outcomes)),
        "seconds_per_input": {
            "median": round(float(np.median(seconds)), 4),
            "p99": round(float(np.percentile(seconds, 99)), 4),
            "max": round(float(seconds.max()), 4),
        },
        "bytes_per_input": {"median": int(np.median(sizes)), "max": int(sizes.max())},
        "failures": failures[:100],
    }


def _print_summary(s: dict[str, Any]) -> None:
    print(
        f"fuzz_extract: {s['inputs']:,} inputs (seed {s['seed']}), {s['wall_s']} s wall"
        f" on {s['jobs']} process(es), time limit {s['timeout_s']:g} s per input"
    )
    print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in s["outcomes"].items()))
    print("mutations applied: " + ", ".join(f"{k} {v:,}" for k, v in s["mutations"].items()))
    t = s["seconds_per_input"]
    print(
        f"seconds per input: median {t['median']}, p99 {t['p99']}, max {t['max']};"
        f" input bytes: median {s['bytes_per_input']['median']:,},"
        f" max {s['bytes_per_input']['max']:,}"
    )
    print(f"failed inputs: {s['failed']}")
    for f in s["failures"][:20]:
        print(f"  #{f['index']} {f['name']} {f['ops']}: {f['outcome']} {f['detail']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs to run (10,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="first input index")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input (10)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results" / "fuzz_extract.json"
    )
    parser.add_argument("--replay", type=int, metavar="INDEX", help="run one input and show it")
    parser.add_argument("--save", type=Path, metavar="FILE", help="with --replay: write its bytes")
    args = parser.parse_args(argv)
    if args.replay is not None:
        name, ops, data = generate(args.seed, args.replay)
        if args.save:
            args.save.write_bytes(data)
        o = run_one(args.seed, args.replay)
        print(json.dumps({**o.to_dict(), "bytes": len(data)}, ensure_ascii=False))
        return 0 if o.outcome in OK_OUTCOMES else 1
    outcomes, wall = fuzz(
        args.seed, args.inputs, timeout=args.timeout, jobs=args.jobs, start=args.start
    )
    summary = summarize(outcomes, seed=args.seed, timeout=args.timeout, wall=wall, jobs=args.jobs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _print_summary(summary)
    return 1 if summary["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
