"""One scored example of a run: a line of ``segments.jsonl``.

A segment is its :class:`~evalkit.paper.Example` (whose ``pair`` comes from
:func:`~evalkit.paper.pair_of`, the one place a pair label is made) with the output and
what was scored; its slices are derived here and nowhere else
(:attr:`Segment.slice_key`, :attr:`Segment.slice_keys`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from evalkit.judges.judgment import Judgment
from evalkit.paper import Example
from evalkit.records.check import Where

#: The version of a segment line this evalkit writes; it reads every version listed.
SEGMENT_SCHEMA_VERSION = 1
READABLE_SEGMENT_VERSIONS = (1,)

#: The week label of the all-weeks slice.
ALL_WEEKS = "all"

SliceKey = tuple[str, str, str, str]  # (week, task, pair, field)
#: The fields a segment has from its example, in order.
EXAMPLE_FIELDS = tuple(f.name for f in dataclasses.fields(Example))


@dataclass(frozen=True)
class Segment(Example):
    """One example with its output, segment scores and sufficient statistics.

    The example's fields come first, as :class:`~evalkit.paper.Example` declares them.

    Attributes:
        stats: Metric -> the segment's sufficient statistics (what slice scores sum).
        scores: Metric -> the segment's own score (None where it is not finite).
        flags: What is visibly wrong with the output (``empty_output``...).
    """

    output: str
    scores: dict[str, float | None] = dataclasses.field(default_factory=dict)
    stats: dict[str, tuple[float, ...]] = dataclasses.field(default_factory=dict)
    flags: tuple[str, ...] = ()
    #: Judge metric -> what the judge said (scores of the samples, error spans); empty
    #: without judge metrics.
    judgments: dict[str, Judgment] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, example: Example, output: str, **scored: Any) -> Segment:
        """The segment of ``example`` answered by ``output`` (``scored``: scores, stats,
        flags, judgments)."""
        return cls(
            **{name: getattr(example, name) for name in EXAMPLE_FIELDS}, output=output, **scored
        )

    @property
    def slice_key(self) -> SliceKey:
        """(week, task, pair, field)."""
        return (self.week, self.task, self.pair, self.field)

    @property
    def slice_keys(self) -> tuple[SliceKey, SliceKey]:
        """The week slice and the all-weeks slice this segment counts in."""
        return self.slice_key, (ALL_WEEKS, self.task, self.pair, self.field)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SEGMENT_SCHEMA_VERSION,
            "id": self.id,
            "paper_id": self.paper_id,
            "week": self.week,
            "task": self.task,
            "field": self.field,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "pair": self.pair,
            "source": self.source,
            "reference": self.reference,
            "output": self.output,
            "scores": dict(self.scores),
            "stats": {m: list(row) for m, row in self.stats.items()},
            "flags": list(self.flags),
            # written only when there are some: segments of runs without judges keep
            # the bytes of evalkit 0.1.0
            **(
                {"judgments": {m: j.to_dict() for m, j in self.judgments.items()}}
                if self.judgments
                else {}
            ),
        }

    @classmethod
    def from_dict(cls, data: Any, where: Where | None = None) -> Segment:
        """Validate one segment line.

        Raises:
            DataError: naming the file, line and key of the first wrong value.
        """
        where = where or Where()
        obj = where.obj(data)
        where.schema_version(obj, READABLE_SEGMENT_VERSIONS)
        text: dict[str, Any] = {}
        for key in (*EXAMPLE_FIELDS, "output"):
            value, at = where.field(obj, key)
            text[key] = at.lang(value) if key.endswith("_lang") else at.str_(value)
        seg = cls(**text)  # the pair of the texts, checked against a stored one
        if "pair" in obj and obj["pair"] != seg.pair:
            raise where.at("pair").wrong(f"{seg.pair!r} (src_lang-tgt_lang)", obj["pair"])
        raw_scores, at = where.field(obj, "scores")
        scores = {str(m): at.at(str(m)).opt_num(v) for m, v in at.obj(raw_scores).items()}
        raw_stats, at = where.field(obj, "stats")
        stats = {str(m): at.at(str(m)).num_list(v) for m, v in at.obj(raw_stats).items()}
        flags = where.at("flags").str_list(obj.get("flags", []))
        judgments = _judgments(obj.get("judgments", {}), where.at("judgments"))
        return cls(**text, scores=scores, stats=stats, flags=flags, judgments=judgments)


def _judgments(raw: Any, where: Where) -> dict[str, Judgment]:
    """A segment's judgments, each checked by reading it as a Judgment."""
    out = {}
    for metric, value in where.obj(raw).items():
        at = where.at(str(metric))
        try:
            out[str(metric)] = Judgment.from_dict(dict(at.obj(value)))
        except (TypeError, ValueError, KeyError, AttributeError):
            raise at.wrong("a judgment (samples, spans, unparsed, failed)", value) from None
    return out


def finite_or_none(value: float) -> float | None:
    """``value`` as a float, None when it is NaN or infinite (a segment score)."""
    value = float(value)
    return value if math.isfinite(value) else None
