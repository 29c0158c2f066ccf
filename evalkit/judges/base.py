"""The judge scorer contract: ask, parse (retrying what cannot be parsed), then statistics.

A judge scorer is a :class:`~evalkit.scorers.base.Scorer` like any other: its segment
statistics are summed per slice, resampled for intervals and paired tests, saved in
baselines and gated by ``evalkit check``. A segment whose answer could not be parsed
after the retries is *unjudged*: it adds nothing to the score's numerator or
denominator, is counted in the ``unparsed`` column, and flagged on the segment.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from evalkit.errors import ConfigError
from evalkit.judges.client import Judge, JudgeBackend, JudgeError, Query, Usage
from evalkit.judges.judgment import Judgment
from evalkit.judges.reasoning import strip_reasoning
from evalkit.option_checks import at_least
from evalkit.options import Option
from evalkit.scorers.base import Scorer

#: Columns every judge scorer ends with.
COMMON_STATS = ("judged", "unparsed", "failed", "abs_diff", "agree", "pairs", "count")


def guess_lang(text: str) -> str:
    """``ko``, ``ja`` or ``en`` from the script of ``text`` (the judges' source language)."""
    hangul = kana = 0
    for ch in text:
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            hangul += 1
        elif 0x3040 <= o <= 0x30FF:
            kana += 1
    if hangul or kana:
        return "ko" if hangul >= kana else "ja"
    return "en"


class JudgeScorer(Scorer):
    """Shared machinery of the LLM judges.

    Args:
        lang: Target language.
        judge: Name of an ``openai`` system in ``evalkit.toml`` that answers as the judge.
        backend: A :class:`~evalkit.judges.client.JudgeBackend` object instead of ``judge``
            (Python API and tests).
        samples: Ask each question this many times and report agreement (default 1).
        parse_retries: Ask again this many times when an answer cannot be parsed.
        strip_reasoning: Remove ``<think>`` blocks from answers before parsing.
        cache_dir: Folder of the answer cache (a run passes ``<results>/cache``).
    """

    needs_sources: ClassVar[bool] = True
    parallel: ClassVar[bool] = False
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("judge", str, None, "an openai system of evalkit.toml that judges"),
        Option("samples", int, 1, "ask each question this many times", check=at_least(1)),
        Option("parse_retries", int, 2, "re-ask unparseable answers", check=at_least(0)),
        Option("strip_reasoning", bool, True, "remove <think> blocks first"),
    )
    judge_stats: ClassVar[tuple[str, ...]] = ()
    prompt_name: ClassVar[str] = ""

    def __init__(
        self,
        *,
        lang: str,
        judge: str | None = None,
        backend: JudgeBackend | None = None,
        samples: int = 1,
        parse_retries: int = 2,
        strip_reasoning: bool = True,
        cache_dir: str | None = None,
        **options: Any,
    ):
        super().__init__(lang=lang, **options)
        for key, value, low in (("samples", samples, 1), ("parse_retries", parse_retries, 0)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ConfigError(f"scorer {self.name!r}: {key} must be an integer >= {low}")
        if (judge is None) == (backend is None):
            raise ConfigError(
                f'scorer {self.name!r}: set the option judge = "NAME" (an openai system'
                f' in evalkit.toml), e.g. [scorers.{self.name}] judge = "gpt4o"'
            )
        self.judge_name = judge
        self.samples = samples
        self.parse_retries = parse_retries
        self.strip = strip_reasoning
        self._backend = backend
        self._cache_dir = cache_dir
        self._judge: Judge | None = None
        self._cwd: str | None = None
        self.last_judgments: list[Judgment] = []
        self._by_text: dict[tuple[str, str, str], Judgment] = {}

    def attach(
        self, *, cache_dir: str | Path | None, cwd: str | None = None, budget: Any = None
    ) -> None:
        """Where answers are cached, where ``evalkit.toml`` (naming the judge) is, and the
        run's :class:`~evalkit.costs.Budget` (``--max-cost``), if any.

        A run calls this with ``<results>/cache`` before scoring; without it answers are
        kept in memory only.
        """
        if self._judge is None:
            self._cache_dir = str(cache_dir) if cache_dir is not None else None
            self._cwd = cwd
        self._budget = budget
        if self._judge is not None:
            self._judge.budget = self._budget_check()

    def _budget_check(self) -> Any:
        """The judge's side of the run's budget: priced by the judge's model."""
        budget = getattr(self, "_budget", None)
        if budget is None or self._judge is None:
            return None
        model = str(self._judge.identity.get("model") or "?")
        budget.require_price(model, "judge model")

        def check(n: int, spent: Usage, asked: int) -> str | None:
            return budget.step(  # type: ignore[no-any-return]
                model,
                spent.prompt_tokens,
                spent.completion_tokens,
                asked=asked,
                next_n=n,
                what="judge question(s)",
            )

        return check

    def judgment_for(self, hyp: str, ref: str, src: str) -> Judgment | None:
        """The judgment this scorer made of one segment, if it judged it."""
        return self._by_text.get((hyp, ref, src))

    @property
    def stat_names(self) -> tuple[str, ...]:
        return ("score", *self.judge_stats, *COMMON_STATS)

    def judge_client(self) -> Judge:
        """The cached judge, built on first use (resolving the ``judge`` system)."""
        if self._judge is None:
            backend = self._backend
            if backend is None:
                from evalkit.judges.openai_backend import backend_for_system

                backend = backend_for_system(str(self.judge_name), cwd=self._cwd)
            cache = None
            if self._cache_dir is not None:
                from evalkit.runner import short_hash

                ident = short_hash({"judge": backend.identity(), "scorer": self.name}, 16)
                cache = Path(self._cache_dir) / "judges" / f"{self.name}-{ident}.jsonl"
            self._judge = Judge(backend, cache)
            self._judge.budget = self._budget_check()
        return self._judge

    @property
    def usage(self) -> Usage:
        """Tokens the judge used in this process (cached answers excluded)."""
        return self._judge.usage if self._judge is not None else Usage()

    def answer_text(self, text: str) -> str:
        return strip_reasoning(text) if self.strip else text

    def ask_parsed(
        self, conversations: Sequence[list[dict[str, str]]], version: str, parse: Any, sample: int
    ) -> list[tuple[Any, str | None, bool]]:
        """Ask each conversation, parse, re-ask what cannot be parsed.

        Returns per conversation ``(parsed or None, answer text or None, failed)``.
        """
        judge = self.judge_client()
        result: list[tuple[Any, str | None, bool]] = [(None, None, False)] * len(conversations)
        pending = list(range(len(conversations)))
        for attempt in range(self.parse_retries + 1):
            if not pending:
                break
            answers = judge.ask(
                [Query(conversations[i], version, sample, attempt) for i in pending]
            )
            still = []
            for i, answer in zip(pending, answers, strict=True):
                if isinstance(answer, JudgeError):
                    result[i] = (None, None, True)
                    continue
                text = self.answer_text(answer.text)
                parsed = parse(text, i)
                result[i] = (parsed, text, False)
                if parsed is None:
                    still.append(i)
            pending = still
        return result

    @abstractmethod
    def judge_segments(
        self, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str]
    ) -> list[Judgment]:
        """One judgment per segment."""

    def judgment_row(self, j: Judgment) -> list[float]:
        """The judge-specific columns of one judgment (after ``score``)."""
        return [float(j.details.get(name, 0.0)) for name in self.judge_stats]

    def segment_stats(  # type: ignore[override]
        self, *, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str] | None = None
    ) -> np.ndarray:
        if srcs is None:
            raise ConfigError(f"scorer {self.name!r} needs the source segments")
        refs = list(refs.texts) if hasattr(refs, "texts") else list(refs)
        judgments = self.judge_segments(list(hyps), refs, list(srcs))
        self.last_judgments = judgments
        for key, j in zip(zip(hyps, refs, srcs, strict=True), judgments, strict=True):
            self._by_text[key] = j
        rows = []
        for j in judgments:
            pairs = list(combinations(j.scores, 2))
            rows.append(
                [
                    j.score if j.judged else 0.0,
                    *self.judgment_row(j),
                    1.0 if j.judged else 0.0,
                    float(j.unparsed),
                    float(j.failed),
                    float(sum(abs(a - b) for a, b in pairs)),
                    float(sum(1 for a, b in pairs if a == b)),
                    float(len(pairs)),
                    1.0,
                ]
            )
        return np.asarray(rows, dtype=np.float64).reshape(len(judgments), len(self.stat_names))

    def _col(self, totals: np.ndarray, name: str) -> np.ndarray:
        return totals[..., self.stat_names.index(name)]

    def scores_from_totals(self, totals: np.ndarray) -> np.ndarray:
        totals = np.atleast_2d(totals)
        judged = self._col(totals, "judged")
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(judged > 0, self._col(totals, "score") / judged, np.nan)

    def segment_scores(self, stats: np.ndarray) -> np.ndarray:
        return self.scores_from_totals(stats)

    def components(self, totals: np.ndarray) -> dict[str, float]:
        t = np.asarray(totals, dtype=np.float64)
        judged = float(self._col(t, "judged"))
        pairs = float(self._col(t, "pairs"))
        out = {
            "score": float(self._col(t, "score")) / judged if judged else math.nan,
            "judged": judged,
            "unparsed": float(self._col(t, "unparsed")),
            "failed": float(self._col(t, "failed")),
            "segments": float(self._col(t, "count")),
            "self_agreement": float(self._col(t, "agree")) / pairs if pairs else math.nan,
            "self_mean_abs_diff": float(self._col(t, "abs_diff")) / pairs if pairs else math.nan,
        }
        for name in self.judge_stats:
            out[name] = float(self._col(t, name))
        # Undefined values (no pairs of samples, nothing judged) are left out, not NaN.
        return {k: v for k, v in out.items() if math.isfinite(v)}

    def signature(self) -> str:
        from evalkit import __version__
        from evalkit.judges.prompts import template

        model = self.judge_client().identity.get("model") or "?"
        who = f"{self.judge_name}/{model}" if self.judge_name else str(model)
        return (
            f"judge:{who}|prompt:{template(self.prompt_name)['version']}|samples:{self.samples}"
            f"|parse_retries:{self.parse_retries}|think:{'strip' if self.strip else 'keep'}"
            f"|version:{__version__}"
        )
