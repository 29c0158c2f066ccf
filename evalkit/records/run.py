"""A run's metadata and slice scores: the content of ``run.json``.

``RunRecord.to_dict`` is the file layout (its field names are public);
``RunRecord.from_dict`` validates a file, naming the key of the first wrong value.
Version 1 is what evalkit 0.1.0 wrote and what this version writes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from evalkit.options import non_finite
from evalkit.records.check import Where
from evalkit.records.usage import ModelUsage, model_usage

RUN_SCHEMA_VERSION = 1
READABLE_RUN_VERSIONS = (1,)
STATUSES = ("complete", "partial")


@dataclass(frozen=True)
class SliceScore:
    """The score of one metric on one slice (week x task x pair x field)."""

    week: str
    task: str
    pair: str
    field: str
    metric: str
    score: float
    ci95: tuple[float, float] | None
    n: int
    components: dict[str, float] = dataclasses.field(default_factory=dict)
    signature: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.week, self.task, self.pair, self.field, self.metric)

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "task": self.task,
            "pair": self.pair,
            "field": self.field,
            "metric": self.metric,
            "score": self.score,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
            "n": self.n,
            "components": dict(self.components),
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: Any, where: Where) -> SliceScore:
        obj = where.obj(data)
        text: dict[str, Any] = {}
        for key in ("week", "task", "pair", "field", "metric"):
            value, at = where.field(obj, key)
            text[key] = at.str_(value)
        score, at = where.field(obj, "score")
        ci = obj.get("ci95")
        ci95 = None
        if ci is not None:
            values = where.at("ci95").num_list(ci)
            if len(values) != 2 or values[0] > values[1]:
                raise where.at("ci95").wrong("[low, high]", ci)
            ci95 = (values[0], values[1])
        n, n_at = where.field(obj, "n")
        comps = where.at("components").obj(obj.get("components") or {})
        return cls(
            **text,
            score=at.num(score),
            ci95=ci95,
            n=n_at.int_(n),
            components={str(k): where.at("components").at(str(k)).num(v) for k, v in comps.items()},
            signature=where.at("signature").str_(obj.get("signature", "")),
        )


@dataclass(frozen=True)
class Failure:
    """Examples the system did not answer, and why (one line)."""

    ids: tuple[str, ...]
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "error": self.error}

    @classmethod
    def from_dict(cls, data: Any, where: Where) -> Failure:
        obj = where.obj(data)
        ids, at = where.field(obj, "ids")
        error, e_at = where.field(obj, "error")
        return cls(at.str_list(ids), e_at.str_(error))


@dataclass(frozen=True)
class Selection:
    """What the run covers: tasks, pairs, fields, weeks (None: all) and metrics."""

    tasks: tuple[str, ...]
    pairs: tuple[str, ...] | None
    fields: tuple[str, ...] | None
    weeks: tuple[str, ...] | None
    metrics: tuple[str, ...]
    metrics_by_task: dict[str, tuple[str, ...]]
    #: ``[scorers.NAME]`` options; written only when set, so runs without keep their ids.
    scorer_options: dict[str, dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tasks": list(self.tasks),
            "pairs": list(self.pairs) if self.pairs is not None else None,
            "fields": list(self.fields) if self.fields is not None else None,
            "weeks": list(self.weeks) if self.weeks is not None else None,
            "metrics": list(self.metrics),
            "metrics_by_task": {t: list(ms) for t, ms in self.metrics_by_task.items()},
        }
        if self.scorer_options:
            out["scorer_options"] = {m: dict(o) for m, o in self.scorer_options.items()}
        return out

    def options(self, metric: str) -> dict[str, Any]:
        """The recorded scorer options of ``metric``."""
        return dict((self.scorer_options or {}).get(metric) or {})

    @classmethod
    def from_dict(cls, data: Any, where: Where) -> Selection:
        obj = where.obj(data)
        tasks, at = where.field(obj, "tasks")
        metrics, m_at = where.field(obj, "metrics")
        tasks_t, metrics_t = at.str_list(tasks), m_at.str_list(metrics)
        by_task_raw = obj.get("metrics_by_task")
        bt = where.at("metrics_by_task")
        by_task = (
            {str(t): bt.at(str(t)).str_list(v) for t, v in bt.obj(by_task_raw).items()}
            if by_task_raw is not None
            else {t: metrics_t for t in tasks_t}
        )
        raw_opts = obj.get("scorer_options")
        so = where.at("scorer_options")
        options = (
            {str(m): dict(so.at(str(m)).obj(v)) for m, v in so.obj(raw_opts).items()}
            if raw_opts is not None
            else None
        )
        return cls(
            tasks=tasks_t,
            pairs=where.at("pairs").opt_str_list(obj.get("pairs")),
            fields=where.at("fields").opt_str_list(obj.get("fields")),
            weeks=where.at("weeks").opt_str_list(obj.get("weeks")),
            metrics=metrics_t,
            metrics_by_task=by_task,
            scorer_options=options,
        )


@dataclass(frozen=True)
class WeekInfo:
    start: str | None
    end: str | None
    papers: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "papers": self.papers}


@dataclass(frozen=True)
class DatasetInfo:
    """The dataset a run read: where from, its fingerprint, papers per week."""

    source: str
    fingerprint: str
    papers: int
    weeks: dict[str, WeekInfo]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "fingerprint": self.fingerprint,
            "papers": self.papers,
            "weeks": {w: info.to_dict() for w, info in self.weeks.items()},
        }

    @classmethod
    def from_dict(cls, data: Any, where: Where) -> DatasetInfo:
        obj = where.obj(data)
        fp, fp_at = where.field(obj, "fingerprint")
        papers, p_at = where.field(obj, "papers")
        weeks: dict[str, WeekInfo] = {}
        w_at = where.at("weeks")
        for week, info in w_at.obj(obj.get("weeks") or {}).items():
            at = w_at.at(str(week))
            info = at.obj(info)
            weeks[str(week)] = WeekInfo(
                start=at.at("start").opt_str(info.get("start")),
                end=at.at("end").opt_str(info.get("end")),
                papers=at.at("papers").int_(info.get("papers", 0)),
            )
        return cls(
            source=where.at("source").str_(obj.get("source", "")),
            fingerprint=fp_at.str_(fp),
            papers=p_at.int_(papers),
            weeks=weeks,
        )


@dataclass(frozen=True)
class RunRecord:
    """Everything ``run.json`` holds about a run."""

    run_id: str
    evalkit_version: str
    created: str
    git_revision: str | None
    system: dict[str, Any]
    dataset: DatasetInfo
    selection: Selection
    examples_count: int
    examples_fingerprint: str
    n_resamples: int
    seed: int
    #: Metric -> target language -> signature.
    signatures: dict[str, dict[str, str]]
    scores: tuple[SliceScore, ...]
    status: str
    failures: tuple[Failure, ...] = ()
    #: Tokens and cost of model calls made for this run: ``{"system": {...},
    #: "judges": {metric: {...}}}`` with ``prompt_tokens``, ``completion_tokens`` and,
    #: where a price is known, ``cost`` (US dollars); empty when no model reported usage.
    usage: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def system_name(self) -> str:
        return str(self.system.get("name") or self.system.get("kind") or "?")

    @property
    def failed_ids(self) -> list[str]:
        return [i for f in self.failures for i in f.ids]

    @property
    def model_usage(self) -> list[ModelUsage]:
        """Each model in :attr:`usage`: the system's, then the judges' by metric."""
        return model_usage(self.usage)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": RUN_SCHEMA_VERSION,
            "run_id": self.run_id,
            "evalkit_version": self.evalkit_version,
            "created": self.created,
            "git_revision": self.git_revision,
            "system": dict(self.system),
            "dataset": self.dataset.to_dict(),
            "selection": self.selection.to_dict(),
            "examples": {"count": self.examples_count, "fingerprint": self.examples_fingerprint},
            "bootstrap": {"n_resamples": self.n_resamples, "seed": self.seed},
            "metrics": {m: dict(by_lang) for m, by_lang in self.signatures.items()},
            "scores": [s.to_dict() for s in self.scores],
            "status": self.status,
            "failures": [f.to_dict() for f in self.failures],
            **({"usage": dict(self.usage)} if self.usage else {}),
        }

    @classmethod
    def from_dict(cls, data: Any, where: Where | None = None) -> RunRecord:
        """Validate a run.json object.

        Raises:
            DataError: naming the file and key of the first wrong value.
        """
        where = where or Where()
        obj = where.obj(data)
        where.schema_version(obj, READABLE_RUN_VERSIONS)

        def get(key: str) -> tuple[Any, Where]:
            return where.field(obj, key)

        system, s_at = get("system")
        system = dict(s_at.obj(system))
        if non_finite(system):  # recorded configuration: no NaN or infinity anywhere in it
            raise s_at.wrong("finite values", system)
        s_at.at("name").str_(system.get("name"))
        examples, e_at = get("examples")
        examples = e_at.obj(examples)
        boot, b_at = get("bootstrap")
        boot = b_at.obj(boot)
        sigs, m_at = get("metrics")
        signatures = {
            str(m): m_at.at(str(m)).str_map(by_lang) for m, by_lang in m_at.obj(sigs).items()
        }
        scores, sc_at = get("scores")
        failures = obj.get("failures") or []
        f_at = where.at("failures")
        return cls(
            run_id=get("run_id")[1].str_(obj["run_id"]),
            evalkit_version=where.at("evalkit_version").str_(obj.get("evalkit_version", "?")),
            created=get("created")[1].str_(obj["created"]),
            git_revision=where.at("git_revision").opt_str(obj.get("git_revision")),
            system=system,
            dataset=DatasetInfo.from_dict(*get("dataset")),
            selection=Selection.from_dict(*get("selection")),
            examples_count=e_at.at("count").int_(examples.get("count")),
            examples_fingerprint=e_at.at("fingerprint").str_(examples.get("fingerprint")),
            n_resamples=b_at.at("n_resamples").int_(boot.get("n_resamples")),
            seed=b_at.at("seed").int_(boot.get("seed")),
            signatures=signatures,
            scores=tuple(
                SliceScore.from_dict(s, sc_at.at(i)) for i, s in enumerate(sc_at.list_(scores))
            ),
            status=where.at("status").one_of(obj.get("status"), STATUSES),
            failures=tuple(
                Failure.from_dict(f, f_at.at(i)) for i, f in enumerate(f_at.list_(failures))
            ),
            usage=_finite_table(obj.get("usage", {}), where.at("usage")),
        )


def _finite_table(value: Any, where: Where) -> dict[str, Any]:
    """An object holding no NaN or infinity (token counts and costs)."""
    table = dict(where.obj(value))
    if non_finite(table):
        raise where.wrong("finite values", table)
    return table
