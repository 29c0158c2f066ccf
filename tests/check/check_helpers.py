"""Run folders with known differences, written in the documented run format.

Three small scorers, registered under test-only names, keep these tests independent of
the real metrics: a unigram F1 (corpus score from summed integer counts, like BLEU), a
word error rate (lower is better, like TER), and a mean of segment F1s (float
statistics plus a count column, like ROUGE).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evalkit.records import DatasetInfo, RunRecord, Segment, Selection, WeekInfo
from evalkit.run_folder import write_run as write_run_folder
from evalkit.scorers import SCORERS, Scorer, get_scorer
from evalkit.slices import score_slices

WEEKS = ("2024-W01", "2024-W02", "2024-W03", "2024-W04")
PAIRS = ("en-ko", "en-ja")
FIELD_WORDS = {"title": 8, "summary": 24}
PAPERS_PER_WEEK = 20
METRICS = ("t_unigram", "t_wer", "t_meanf1")
#: Tolerances of the test metrics (their units: F1 x 100, WER x 100, mean F1 0-1).
MAX_DROP = {"t_unigram": 1.0, "t_wer": 2.0, "t_meanf1": 0.01}
VOCAB = [f"w{i}" for i in range(300)]


def _matches(hyp: list[str], ref: list[str]) -> int:
    return sum((Counter(hyp) & Counter(ref)).values())


class _Base(Scorer):
    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return np.asarray([self.scores_from_totals(row[None, :])[0] for row in stats])

    def components(self, totals: np.ndarray) -> dict[str, float]:
        return {name: float(v) for name, v in zip(self.stat_names, totals, strict=True)}

    def signature(self) -> str:
        return f"{self.name}|lang:{self.lang}|test"


class UnigramF1(_Base):
    name = "t_unigram"
    stat_names = ("match", "hyp", "ref")

    def stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        rows = [
            (_matches(h.split(), r.split()), len(h.split()), len(r.split()))
            for h, r in zip(hyps, refs, strict=True)
        ]
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), 3)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(totals)
        denom = t[:, 1] + t[:, 2]
        return np.where(denom > 0, 200.0 * t[:, 0] / np.where(denom > 0, denom, 1), 0.0)


class WordErrors(_Base):
    name = "t_wer"
    higher_is_better = False
    stat_names = ("errors", "ref")

    def stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        rows = []
        for h, r in zip(hyps, refs, strict=True):
            m = _matches(h.split(), r.split())
            rows.append((len(h.split()) - m + len(r.split()) - m, len(r.split())))
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), 2)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(totals)
        return 100.0 * t[:, 0] / np.maximum(t[:, 1], 1)


class MeanF1(_Base):
    name = "t_meanf1"
    stat_names = ("f1", "count")

    def stats(self, *, hyps: Sequence[str], refs: Sequence[str]) -> np.ndarray:
        rows = []
        for h, r in zip(hyps, refs, strict=True):
            m, n = _matches(h.split(), r.split()), len(h.split()) + len(r.split())
            rows.append((2 * m / n if n else 0.0, 1.0))
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), 2)

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        t = np.atleast_2d(totals)
        return t[:, 0] / np.maximum(t[:, 1], 1)


def register_scorers() -> None:
    for cls in (UnigramF1, WordErrors, MeanF1):
        SCORERS.register(cls.name, f"{__name__}:{cls.__name__}")


def make_examples(weeks: Sequence[str] = WEEKS, *, seed: int = 7) -> list[dict[str, Any]]:
    """Translation examples: 10 papers per week, title and summary, en-ko and en-ja."""
    rng = random.Random(seed)
    out = []
    for week in weeks:
        for p in range(PAPERS_PER_WEEK):
            paper = f"{week}-paper-{p}"
            for field, n_words in FIELD_WORDS.items():
                for pair in PAIRS:
                    src, tgt = pair.split("-")
                    words = [rng.choice(VOCAB) for _ in range(n_words)]
                    out.append(
                        {
                            "id": f"{paper}/{field}/{pair}",
                            "week": week,
                            "task": "translation",
                            "field": field,
                            "src_lang": src,
                            "tgt_lang": tgt,
                            "pair": pair,
                            "source": f"source of {paper} {field}",
                            "reference": " ".join(words),
                        }
                    )
    return out


System = Callable[[dict[str, Any]], str]


def noisy(rate: float = 0.2, salt: str = "") -> System:
    """The reference with a random extra word after each word with probability ``rate``.

    The extra words are drawn from a generator seeded by the example id and ``salt``:
    two salts give two systems of the same quality that differ word by word.
    """

    def system(ex: dict[str, Any]) -> str:
        rng = random.Random(f"{ex['id']}|{salt}")
        out = []
        for word in ex["reference"].split():
            out.append(word)
            if rng.random() < rate:
                out.append(rng.choice(VOCAB))
        return " ".join(out)

    return system


def drop_word_in(week: str, base: System) -> System:
    """``base``, with the first word of every output of ``week`` dropped.

    With :func:`noisy` as ``base`` the first word is always a reference word, so every
    output of the week gets worse.
    """

    def system(ex: dict[str, Any]) -> str:
        out = base(ex)
        return " ".join(out.split()[1:]) if ex["week"] == week else out

    return system


def fingerprint(examples: Sequence[dict[str, Any]]) -> str:
    h = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e["id"]):
        h.update(f"{ex['id']}\0{ex['source']}\0{ex['reference']}\n".encode())
    return h.hexdigest()[:16]


def write_run(
    path: Path,
    examples: Sequence[dict[str, Any]],
    system: System,
    *,
    metrics: Sequence[str] = METRICS,
    dataset_fingerprint: str | None = None,
    system_name: str = "test-system",
    status: str = "complete",
) -> Path:
    """Write the run of ``system`` over ``examples`` with evalkit's run folder writer."""
    register_scorers()
    segments = []
    for ex in examples:
        output = system(ex)
        stats = {
            m: get_scorer(m, lang=ex["tgt_lang"]).segment_stats(
                hyps=[output], refs=[ex["reference"]]
            )[0]
            for m in metrics
        }
        segments.append(
            Segment(
                id=ex["id"],
                paper_id=ex["id"].split("/")[0],
                week=ex["week"],
                task=ex["task"],
                field=ex["field"],
                src_lang=ex["src_lang"],
                tgt_lang=ex["tgt_lang"],
                source=ex["source"],
                reference=ex["reference"],
                output=output,
                scores={
                    m: float(get_scorer(m, lang=ex["tgt_lang"]).segment_scores(s[None, :])[0])
                    for m, s in stats.items()
                },
                stats={m: tuple(float(v) for v in s) for m, s in stats.items()},
            )
        )
    langs = sorted({ex["tgt_lang"] for ex in examples})
    weeks = sorted({ex["week"] for ex in examples})
    record = RunRecord(
        run_id=path.name,
        evalkit_version="0.1.0",
        created="2024-01-29T00:00:00Z",
        git_revision=None,
        system={"name": system_name, "kind": "python"},
        dataset=DatasetInfo(
            source="test",
            fingerprint=dataset_fingerprint or fingerprint(examples),
            papers=len({ex["id"].split("/")[0] for ex in examples}),
            weeks={w: WeekInfo(None, None, PAPERS_PER_WEEK) for w in weeks},
        ),
        selection=Selection(
            tasks=("translation",),
            pairs=PAIRS,
            fields=tuple(FIELD_WORDS),
            weeks=None,
            metrics=tuple(metrics),
            metrics_by_task={"translation": tuple(metrics)},
        ),
        examples_count=len(examples),
        examples_fingerprint=fingerprint(examples),
        n_resamples=0,
        seed=12345,
        signatures={
            m: {lang: get_scorer(m, lang=lang).signature() for lang in langs} for m in metrics
        },
        scores=tuple(score_slices(segments, metrics, n_resamples=0)),
        status=status,
    )
    return write_run_folder(path, record, segments)
