"""Comparing runs of several systems on the same examples.

The comparison is :mod:`evalkit.check.engine`, the engine of ``evalkit check``: the
same comparability rules, the same per-slice paired test (sacrebleu's paired bootstrap
by default, or approximate randomization) over the segment statistics stored in
segments.jsonl, the same meaning of "significant" (``p < alpha`` and a change by the
metric's own direction). The first run is the baseline of every difference. No text is
tokenized or scored again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evalkit.errors import ConfigError, IncomparableError
from evalkit.report.comparison import (
    ComparedRun,
    Comparison,
    Difference,
    Differing,
    DifferingSegment,
    Row,
)
from evalkit.runfiles import ALL_WEEKS, LoadedRun, load_run

COMPARISON_MD = "comparison.md"
COMPARISON_HTML = "comparison.html"
COMPARISON_JSON = "comparison.json"
#: A difference is marked significant below this p-value.
ALPHA = 0.05
#: Segments listed per compared run.
TOP_SEGMENTS = 10


def check_comparable(runs: Sequence[LoadedRun]) -> None:
    """Raise if any run cannot be compared with the first (the rules of ``evalkit check``).

    Raises:
        IncomparableError: one line naming both runs and every difference.
    """
    from evalkit.check.comparable import differences
    from evalkit.check.inputs import side_of

    first = side_of(runs[0], "first run")
    for run in runs[1:]:
        reasons, _, _ = differences(first, side_of(run, "run"))
        if reasons:
            raise IncomparableError(
                f"runs {runs[0].run_id!r} and {run.run_id!r} are not comparable: "
                + "; ".join(reasons)
            )


def build(
    runs: Sequence[LoadedRun],
    *,
    n_resamples: int | None = None,
    seed: int | None = None,
    method: str = "bs",
) -> Comparison:
    """The comparison of ``runs`` (what comparison.json holds, see :meth:`Comparison.to_dict`)."""
    from evalkit.check.comparable import differences
    from evalkit.check.engine import TestSettings, compare_sides
    from evalkit.check.inputs import side_of
    from evalkit.report.model import slice_sort_key

    if seed is None:
        from evalkit.errors import DataError
        from evalkit.resample import check_seed
        from evalkit.runfiles import RUN_FILE

        try:
            seed = check_seed(runs[0].record.seed, what="bootstrap.seed")
        except ConfigError as exc:
            raise DataError(exc.message, path=runs[0].path / RUN_FILE) from exc
    settings = TestSettings(method, n_resamples, seed, ALPHA).validated()  # type: ignore[arg-type]
    first = side_of(runs[0], "first run")
    others = [side_of(r, "run") for r in runs[1:]]
    warnings: list[str] = []
    for side in others:
        warnings += [f"{side.run_id}: {n}" for n in differences(first, side)[1]]
    results = [compare_sides(first, side, settings) for side in others]
    metrics = first.metrics
    rows = []
    for k0, c0 in enumerate(results[0]):
        week, task, pair, fld = c0.key
        cs = [res[k0] for res in results]
        rows.append(
            Row(
                week=week,
                task=task,
                pair=pair,
                field=fld,
                metric=c0.metric,
                n=c0.n,
                scores=(c0.result.baseline, *(c.result.candidate for c in cs)),
                ci95=tuple(s.slice_ci.get((c0.key, c0.metric)) for s in [first, *others]),
                diffs=tuple(
                    Difference(c.result.delta, c.change, c.result.p_value, c.significant)
                    for c in cs
                ),
            )
        )
    rows.sort(
        key=lambda r: (
            r.week == ALL_WEEKS,
            r.week,
            slice_sort_key((r.task, r.pair, r.field)),
            metrics.index(r.metric),
        )
    )
    weeks = sorted({r.week for r in rows if r.week != ALL_WEEKS})
    base = runs[0].record
    return Comparison(
        runs=tuple(
            ComparedRun(r.run_id, str(r.path), dict(r.record.system), r.record.created)
            for r in runs
        ),
        dataset_fingerprint=base.dataset.fingerprint,
        dataset_weeks={w: base.dataset.weeks.get(w) for w in weeks},
        examples_count=len(runs[0].segments),
        test=settings,
        metrics=tuple(metrics),
        weeks=tuple(weeks),
        rows=tuple(rows),
        differing=_differing(runs, metrics),
        warnings=tuple(warnings),
    )


def _differing(runs: Sequence[LoadedRun], metrics: Sequence[str]) -> tuple[Differing, ...]:
    """Per run after the first, the :data:`TOP_SEGMENTS` segments whose score differs
    most from the first run's, by the metric that ranks single segments."""
    from evalkit.report.model import segment_metric

    base_segments = runs[0].segments
    seg_metric = segment_metric(base_segments, metrics)
    if seg_metric is None:
        return ()
    out = []
    for run in runs[1:]:
        by_id = {s.id: s for s in run.segments}
        found = []
        for seg in base_segments:
            other = by_id.get(seg.id)
            a = seg.scores.get(seg_metric)
            b = other.scores.get(seg_metric) if other is not None else None
            if other is not None and a is not None and b is not None and a != b:
                found.append(
                    DifferingSegment(
                        id=seg.id,
                        week=seg.week,
                        task=seg.task,
                        pair=seg.pair,
                        field=seg.field,
                        source=seg.source,
                        reference=seg.reference,
                        outputs=(seg.output, other.output),
                        scores=(a, b),
                    )
                )
        found.sort(key=lambda d: (-abs(d.delta), d.id))
        out.append(Differing(run.run_id, seg_metric, tuple(found[:TOP_SEGMENTS])))
    return tuple(out)


def write(
    run_dirs: Sequence[Path],
    out_dir: Path,
    *,
    n_resamples: int | None = None,
    seed: int | None = None,
    method: str = "bs",
) -> list[Path]:
    """Load, check and compare runs; write comparison.{json,md,html} into ``out_dir``."""
    return compare_and_write(run_dirs, out_dir, n_resamples=n_resamples, seed=seed, method=method)[
        1
    ]


def compare_and_write(
    run_dirs: Sequence[Path],
    out_dir: Path,
    *,
    n_resamples: int | None = None,
    seed: int | None = None,
    method: str = "bs",
) -> tuple[Comparison, list[Path]]:
    """:func:`write`, also returning the comparison (for the terminal summary)."""
    from evalkit.io import atomic_write_text, confine, make_dirs, write_json
    from evalkit.report import compare_render

    if len(run_dirs) < 2:
        raise ConfigError("a comparison needs at least two runs")
    runs = [load_run(d) for d in run_dirs]
    check_comparable(runs)
    comparison = build(runs, n_resamples=n_resamples, seed=seed, method=method)
    with confine(out_dir):
        make_dirs(out_dir)
        write_json(out_dir / COMPARISON_JSON, comparison.to_dict())
        atomic_write_text(out_dir / COMPARISON_MD, compare_render.markdown(comparison))
        atomic_write_text(out_dir / COMPARISON_HTML, compare_render.html(comparison))
    paths = [out_dir / COMPARISON_MD, out_dir / COMPARISON_HTML, out_dir / COMPARISON_JSON]
    return comparison, paths


def default_out_dir(run_dirs: Sequence[Path]) -> Path:
    """``results/comparisons/<A>_vs_<B>...`` beside ``results/runs``, else beside the first run."""
    first = Path(run_dirs[0]).resolve()
    base = first.parent.parent if first.parent.name == "runs" else first.parent
    name = "_vs_".join(Path(d).resolve().name for d in run_dirs)
    return base / "comparisons" / name[:200]
