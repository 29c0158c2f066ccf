"""Build run folders with evalkit's run folder writer, scored by small test-only scorers.

Slice scores come from :func:`evalkit.slices.score_slices`, as the runner computes them,
so the numbers in run.json and segments.jsonl are consistent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np

from evalkit.records import DatasetInfo, RunRecord, Segment, Selection, WeekInfo
from evalkit.run_folder import write_run
from evalkit.scorers import SCORERS, Scorer

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


class CharF(Scorer):
    """Character-overlap F-score x100: statistics (matches, output chars, reference chars)."""

    name = "tcharf"
    display_digits = 2  # a 0-100 scale, declared as a scorer's facts are
    stat_names = ("match", "hyp", "ref")

    def stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        rows = []
        for h, r in zip(hyps, refs, strict=True):
            ch, cr = Counter(h.replace(" ", "")), Counter(r.replace(" ", ""))
            rows.append([sum((ch & cr).values()), sum(ch.values()), sum(cr.values())])
        return np.asarray(rows, dtype=np.float64).reshape(-1, 3)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(totals)
        denom = t[:, 1] + t[:, 2]
        return np.where(denom > 0, 100 * 2 * t[:, 0] / np.where(denom > 0, denom, 1), 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        return {"match": float(totals[0]), "hyp": float(totals[1]), "ref": float(totals[2])}

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def signature(self) -> str:
        return f"tcharf|lang:{self.lang}|version:test"


class LenErr(Scorer):
    """Relative length error x100 (lower is better): statistics (|hyp - ref|, ref)."""

    name = "tlenerr"
    display_digits = 2
    higher_is_better = False
    stat_names = ("diff", "ref")

    def stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        return np.asarray(
            [[abs(len(h) - len(r)), len(r)] for h, r in zip(hyps, refs, strict=True)],
            dtype=np.float64,
        ).reshape(-1, 2)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(totals)
        return np.where(t[:, 1] > 0, 100 * t[:, 0] / np.where(t[:, 1] > 0, t[:, 1], 1), 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        return {"diff": float(totals[0]), "ref": float(totals[1])}

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def signature(self) -> str:
        return f"tlenerr|lang:{self.lang}|version:test"


class RougeLike(Scorer):
    """A 0-1 scale metric (like ROUGE F): mean of per-segment char F in [0, 1]."""

    name = "trouge"
    stat_names = ("f", "count")

    def stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        f = (
            CharF(lang=self.lang).segment_scores(
                CharF(lang=self.lang).segment_stats(hyps=hyps, refs=refs)
            )
            / 100
        )
        return np.stack([f, np.ones_like(f)], axis=1) if len(f) else np.zeros((0, 2))

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(totals)
        return np.where(t[:, 1] > 0, t[:, 0] / np.where(t[:, 1] > 0, t[:, 1], 1), 0.0)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        return {"fmeasure": float(self.scores_from_totals(totals[None, :])[0])}

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return stats[:, 0].copy()

    def signature(self) -> str:
        return f"trouge|lang:{self.lang}|version:test"


def register() -> None:
    for cls in (CharF, LenErr, RougeLike):
        SCORERS.register(cls.name, f"{__name__}:{cls.__name__}")


METRICS = ("tcharf", "tlenerr", "trouge")

WEEKS = {
    "2023-W41": ("2023-10-09", "2023-10-15"),
    "2023-W42": ("2023-10-16", "2023-10-22"),
    "2023-W43": ("2023-10-23", "2023-10-29"),
}

REFS = {
    "ko": [
        "대규모 언어 모델의 추론 능력 향상",
        "효율적인 어텐션 메커니즘 연구",
        "강화 학습을 통한 정렬 방법",
        "멀티모달 모델 성능 평가",
        "긴 문맥 처리를 위한 새로운 방법",
    ],
    "ja": [
        "大規模言語モデルの推論能力の向上",
        "効率的なアテンション機構の研究",
        "強化学習によるアラインメント手法",
        "マルチモーダルモデルの性能評価",
        "長い文脈を処理する新しい手法",
    ],
}
SOURCES = [
    "Improving reasoning in large language models",
    "A study of efficient attention mechanisms",
    "Alignment through reinforcement learning",
    "Evaluating multimodal model performance",
    "A new method for long-context processing",
]


def examples() -> list[dict[str, Any]]:
    """Deterministic examples: 3 weeks x 4-5 papers x 2 fields x 2 pairs."""
    out = []
    for wi, week in enumerate(WEEKS):
        for p in range(4 + (wi % 2)):
            k = (wi * 5 + p) % len(SOURCES)
            pid = f"{week}-paper-{p}"
            for fld in ("title", "summary"):
                for tgt in ("ko", "ja"):
                    ref = (
                        REFS[tgt][k]
                        if fld == "title"
                        else REFS[tgt][k] + "。" + REFS[tgt][(k + 1) % 5]
                    )
                    src = SOURCES[k] if fld == "title" else SOURCES[k] + ". " + SOURCES[(k + 1) % 5]
                    out.append(
                        {
                            "id": f"{pid}/{fld}/en-{tgt}",
                            "paper_id": pid,
                            "week": week,
                            "task": "translation",
                            "field": fld,
                            "src_lang": "en",
                            "tgt_lang": tgt,
                            "pair": f"en-{tgt}",
                            "source": src,
                            "reference": ref,
                        }
                    )
    return out


def default_system(ex: dict[str, Any], i: int) -> str:
    """A deterministic imperfect translator: drops or swaps characters by position."""
    ref = ex["reference"]
    if i % 5 == 0:
        return ref
    if i % 5 == 1:
        return ref[: max(1, len(ref) * 2 // 3)]
    if i % 5 == 2:
        return ref[::-1][: len(ref) // 2] + ref[len(ref) // 2 :]
    if i % 5 == 3:
        return ref.replace(ref[0], "X", 1) + " 추가"
    return ex["source"]


def make_run(
    root: Path,
    run_id: str,
    system: Callable[[dict[str, Any], int], str] = default_system,
    *,
    system_spec: dict[str, Any] | None = None,
    metrics: Sequence[str] = METRICS,
    n_resamples: int = 200,
    fingerprint: str = "fp-test-0001",
    drop: int = 0,
) -> Path:
    """Write ``root/run_id/{run.json,segments.jsonl}``; ``drop`` leaves out the last examples."""
    from evalkit.scorers import get_scorer
    from evalkit.slices import score_slices

    register()
    exs = examples()
    if drop:
        exs = exs[:-drop]
    segments = []
    for i, ex in enumerate(exs):
        out = system(ex, i)
        scores: dict[str, float | None] = {}
        stats: dict[str, tuple[float, ...]] = {}
        for m in metrics:
            scorer = get_scorer(m, lang=ex["tgt_lang"])
            st = scorer.segment_stats(hyps=[out], refs=[ex["reference"]])
            stats[m] = tuple(float(v) for v in st[0])
            scores[m] = float(scorer.segment_scores(st)[0])
        fields = {k: v for k, v in ex.items() if k != "pair"}
        segments.append(Segment(**fields, output=out, scores=scores, stats=stats))
    record = RunRecord(
        run_id=run_id,
        evalkit_version="0.1.0",
        created="2024-01-01T00:00:00Z",
        git_revision=None,
        system=system_spec or {"name": "test-system", "kind": "python"},
        dataset=DatasetInfo(
            source="tests",
            fingerprint=fingerprint,
            papers=len({x["paper_id"] for x in exs}),
            weeks={
                w: WeekInfo(s, e, len({x["paper_id"] for x in exs if x["week"] == w}))
                for w, (s, e) in WEEKS.items()
            },
        ),
        selection=Selection(
            tasks=("translation",),
            pairs=("en-ko", "en-ja"),
            fields=("title", "summary"),
            weeks=None,
            metrics=tuple(metrics),
            metrics_by_task={"translation": tuple(metrics)},
        ),
        examples_count=len(exs),
        examples_fingerprint=f"ex-{len(exs)}",
        n_resamples=n_resamples,
        seed=12345,
        signatures={
            m: {t: get_scorer(m, lang=t).signature() for t in ("ja", "ko")} for m in metrics
        },
        scores=tuple(score_slices(segments, metrics, n_resamples=n_resamples, seed=12345)),
        status="complete",
    )
    return write_run(Path(root) / run_id, record, segments)


class ScoreCells(HTMLParser):
    """Collects score cells of report.html: ``(week, task, pair, field, td attrs, text)``."""

    def __init__(self) -> None:
        super().__init__()
        self.week: str | None = None
        self.row: list[tuple[dict[str, str | None], str]] | None = None
        self.cell: tuple[dict[str, str | None], list[str]] | None = None
        self.cells: list[tuple[str, str, str, str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and "scores-block" in (a.get("class") or ""):
            self.week = a.get("data-week")
        elif tag == "tr" and self.week:
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = (a, [])

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None and self.row is not None:
            self.row.append((self.cell[0], "".join(self.cell[1]).strip()))
            self.cell = None
        elif tag == "tr" and self.row:
            task, pair, fld = (t for _, t in self.row[:3])
            for attrs, text in self.row[3:]:
                self.cells.append((self.week or "", task, pair, fld, attrs, text))
            self.row = None


def html_score_cells(text: str) -> list[tuple[str, str, str, str, dict[str, str | None], str]]:
    parser = ScoreCells()
    parser.feed(text)
    return parser.cells


def md_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """Tables of report.md under each ``## `` heading, as rows of {column: cell}."""
    out: dict[str, list[dict[str, str]]] = {}
    heading = None
    header: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            heading, header = line[3:].strip(), None
            out.setdefault(heading, [])
        elif line.startswith("|") and heading is not None:
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if header is None:
                header = cells
            elif not set(line) <= set("|:- "):
                out[heading].append(dict(zip(header, cells, strict=False)))
        else:
            header = None
    return out
