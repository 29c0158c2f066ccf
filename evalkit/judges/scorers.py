"""The judge scorers: ``gemba-mqm``, ``gemba-esa`` and ``summary-judge``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from evalkit.judges import finesure
from evalkit.judges.base import JudgeScorer, guess_lang
from evalkit.judges.judgment import Judgment
from evalkit.judges.mqm import (
    ESA_SEVERITIES,
    mqm_score,
    parse_error_spans,
    parse_number,
)
from evalkit.judges.prompts import few_shot_messages, fill, segment_values, template
from evalkit.judges.spans import ErrorSpan
from evalkit.options import Option


def _severity_counts(spans: Sequence[ErrorSpan]) -> dict[str, float]:
    counts = {"critical": 0.0, "major": 0.0, "minor": 0.0}
    for s in spans:
        counts[s.severity] = counts.get(s.severity, 0.0) + 1
    return counts


class GembaMQMScorer(JudgeScorer):
    """GEMBA-MQM (Kocmi and Federmann 2023): MQM error spans, scored 0 (best) to -25.

    Options: those of :class:`JudgeScorer`, and ``reference`` (also show the reference
    to the judge; an evalkit extension of the published prompt, marked ``ref:yes`` in the
    signature).
    """

    name: ClassVar[str] = "gemba-mqm"
    label: ClassVar[str] = "GEMBA-MQM"
    max_drop: ClassVar[float] = 1.0
    display_digits: ClassVar[int] = 2
    segment_rank: ClassVar[int | None] = 5
    prompt_name: ClassVar[str] = "gemba_mqm"
    judge_stats: ClassVar[tuple[str, ...]] = ("critical", "major", "minor")
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        *(JudgeScorer.declared_options or ()),
        Option("reference", bool, False, "show the reference to the judge too"),
    )

    def __init__(self, *, lang: str, reference: bool = False, **options: Any):
        super().__init__(lang=lang, **options)
        self.reference = bool(reference)

    def judgment_row(self, j: Judgment) -> list[float]:
        counts = _severity_counts(j.spans)
        return [counts["critical"], counts["major"], counts["minor"]]

    def judge_segments(
        self, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str]
    ) -> list[Judgment]:
        version = template(self.prompt_name)["version"] + ("+ref" if self.reference else "")
        convs = []
        for hyp, ref, src in zip(hyps, refs, srcs, strict=True):
            values = segment_values(guess_lang(src), src, self.lang, hyp)
            values["reference_seg"] = ref
            key = "user_with_reference" if self.reference else "user"
            convs.append(few_shot_messages(self.prompt_name, values, user_key=key))
        return self._collect(hyps, convs, version, lambda text, i: parse_error_spans(text, hyps[i]))

    def _collect(
        self, hyps: Sequence[str], convs: list[Any], version: str, parse: Any
    ) -> list[Judgment]:
        per_sample = [self.ask_parsed(convs, version, parse, s) for s in range(self.samples)]
        out = []
        for i in range(len(hyps)):
            scores, spans, unparsed, failed = [], None, 0, 0
            for sample in per_sample:
                parsed, _, fail = sample[i]
                if fail:
                    failed += 1
                elif parsed is None:
                    unparsed += 1
                else:
                    scores.append(mqm_score(parsed))
                    spans = parsed if spans is None else spans
            out.append(Judgment(tuple(scores), tuple(spans or ()), unparsed, failed))
        return out

    def signature(self) -> str:
        return super().signature() + f"|ref:{'yes' if self.reference else 'no'}"


class GembaESAScorer(JudgeScorer):
    """GEMBA-ESA (Kocmi et al. 2024): error spans (major, minor), then a 0-100 score."""

    name: ClassVar[str] = "gemba-esa"
    label: ClassVar[str] = "GEMBA-ESA"
    max_drop: ClassVar[float] = 2.0
    display_digits: ClassVar[int] = 2
    segment_rank: ClassVar[int | None] = 6
    prompt_name: ClassVar[str] = "gemba_esa"
    judge_stats: ClassVar[tuple[str, ...]] = ("major", "minor")

    def judgment_row(self, j: Judgment) -> list[float]:
        counts = _severity_counts(j.spans)
        return [counts["major"], counts["minor"]]

    def judge_segments(
        self, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str]
    ) -> list[Judgment]:
        t = template(self.prompt_name)
        values = [
            segment_values(guess_lang(s), s, self.lang, h) for h, s in zip(hyps, srcs, strict=True)
        ]
        step1 = [few_shot_messages(self.prompt_name, v) for v in values]
        out_scores: list[list[float]] = [[] for _ in hyps]
        out_spans: list[tuple[ErrorSpan, ...] | None] = [None] * len(hyps)
        unparsed = [0] * len(hyps)
        failed = [0] * len(hyps)
        for sample in range(self.samples):
            # Step 1 answers are free text for step 2, as in GEMBA: never re-asked.
            spans_answers = self.ask_parsed(step1, t["version"] + "/spans", lambda x, i: x, sample)
            step2, index = [], []
            for i, (text, _, fail) in enumerate(spans_answers):
                if fail or text is None:
                    failed[i] += 1
                    continue
                ranking = fill(t["ranking"], {**values[i], "error_spans": text})
                step2.append([{"role": "user", "content": ranking}])
                index.append((i, text))
            ranked = self.ask_parsed(
                step2, t["version"] + "/score", lambda x, _: parse_number(x), sample
            )
            for (i, span_text), (number, _, fail) in zip(index, ranked, strict=True):
                if fail:
                    failed[i] += 1
                elif number is None:
                    unparsed[i] += 1
                else:
                    out_scores[i].append(float(number))
                    if out_spans[i] is None:
                        spans = parse_error_spans(span_text, hyps[i], severities=ESA_SEVERITIES)
                        out_spans[i] = tuple(spans or ())
        return [
            Judgment(tuple(out_scores[i]), out_spans[i] or (), unparsed[i], failed[i])
            for i in range(len(hyps))
        ]


class SummaryJudgeScorer(JudgeScorer):
    """FineSurE (Song et al. 2024) faithfulness and completeness of a summary, 0-1.

    The segment score is the mean of the two; both are kept per segment and summed
    as statistics, so each has its own corpus value in the components.
    """

    name: ClassVar[str] = "summary-judge"
    label: ClassVar[str] = "summary judge"
    max_drop: ClassVar[float] = 0.02
    segment_rank: ClassVar[int | None] = 7
    prompt_name: ClassVar[str] = "finesure"
    judge_stats: ClassVar[tuple[str, ...]] = ("faithfulness", "completeness")

    def judge_segments(
        self, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str]
    ) -> list[Judgment]:
        from evalkit.systems.sentences import split_sentences

        version = template(self.prompt_name)["version"]
        sentences = [split_sentences(h) or [h] for h in hyps]

        def user(text: str) -> list[dict[str, str]]:
            return [{"role": "user", "content": text}]

        results: list[list[tuple[float, float]]] = [[] for _ in hyps]
        unparsed = [0] * len(hyps)
        failed = [0] * len(hyps)
        for sample in range(self.samples):
            facts = self.ask_parsed(
                [user(finesure.keyfacts_prompt(s)) for s in srcs],
                version + "/keyfacts",
                lambda x, _: finesure.parse_keyfacts(x),
                0,  # key facts belong to the abstract: one list for every sample
            )
            checks = self.ask_parsed(
                [user(finesure.fact_checking_prompt(s, sentences[i])) for i, s in enumerate(srcs)],
                version + "/facts",
                lambda x, _: finesure.parse_fact_checking(x),
                sample,
            )
            align_idx = [i for i, (kf, _, _) in enumerate(facts) if kf]
            aligns = self.ask_parsed(
                [user(finesure.alignment_prompt(facts[i][0], sentences[i])) for i in align_idx],
                version + "/align",
                lambda x, _: finesure.parse_alignment(x),
                sample,
            )
            aligned = dict(zip(align_idx, aligns, strict=True))
            for i in range(len(hyps)):
                parts = [facts[i], checks[i], aligned.get(i, (None, None, False))]
                if any(fail for _, _, fail in parts):
                    failed[i] += 1
                elif checks[i][0] is None or i not in aligned or aligned[i][0] is None:
                    unparsed[i] += 1
                else:
                    results[i].append((checks[i][0].faithfulness, aligned[i][0].completeness))
        out = []
        for i, res in enumerate(results):
            details = {}
            if res:
                details = {
                    "faithfulness": sum(f for f, _ in res) / len(res),
                    "completeness": sum(c for _, c in res) / len(res),
                }
            scores = tuple((f + c) / 2 for f, c in res)
            out.append(Judgment(scores, (), unparsed[i], failed[i], details))
        return out

    def judgment_row(self, j: Judgment) -> list[float]:
        if not j.judged:
            return [0.0, 0.0]
        return [j.details["faithfulness"], j.details["completeness"]]

    def components(self, totals: Any) -> dict[str, float]:
        out = super().components(totals)
        judged = out["judged"]
        for name in self.judge_stats:
            if judged:
                out[name] = out[name] / judged
            else:
                out.pop(name, None)
        return out
