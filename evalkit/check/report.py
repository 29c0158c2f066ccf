"""How ``evalkit check`` shows its verdict: a text table, JSON, JUnit XML, Markdown.

Each writer takes a :class:`~evalkit.check.gate.CheckResult`; the ``incomparable_*`` twins
take the message of an :class:`~evalkit.errors.IncomparableError`, so CI systems show
why a comparison could not be made in the same places they show regressions.

Everything that comes from a baseline or a run (ids, paths, system names, messages) is
untrusted: control sequences are removed from terminal text and XML, and Markdown and
HTML are escaped in the step summary. Each numeric column has one precision (the most
any of its metrics declares) and a ``better`` column says which way each metric is
better (TER: lower; length ratio: closer to 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit import __version__
from evalkit.check.junit import failure_message, incomparable_junit, junit_xml, write_junit
from evalkit.errors import DataError
from evalkit.io import append_text, dumps
from evalkit.report import fmt

if TYPE_CHECKING:
    from evalkit.check.gate import CheckResult, SliceResult

__all__ = [
    "append_step_summary",
    "failure_message",
    "format_json",
    "format_text",
    "incomparable_json",
    "incomparable_junit",
    "incomparable_markdown",
    "junit_xml",
    "markdown_summary",
    "verdict",
    "write_junit",
]

_HEAD = (
    "status",
    "week",
    "task",
    "pair",
    "field",
    "metric",
    "better",
    "n",
    "baseline",
    "candidate",
    "delta",
    "delta 95% CI",
    "p",
    "max drop",
    "note",
)
_NUMERIC = {"n", "baseline", "candidate", "delta", "delta 95% CI", "p", "max drop"}


def _row(s: SliceResult, d: int, clean: bool = True) -> list[str]:
    def num(v: float | None, signed: bool = False) -> str:
        return "" if v is None else format(v, f"{'+' if signed else ''}.{d}f")

    ci = f"[{num(s.ci95[0], True)}, {num(s.ci95[1], True)}]" if s.ci95 else ""
    p = "" if s.p_value is None else format(s.p_value, ".4f")
    status = s.status.upper() if s.status == "regression" else s.status
    text = [status, s.week, s.task, s.pair, s.field, s.metric, fmt.better_text(s.metric)]
    if clean:
        text = [fmt.terminal_text(t) for t in text]
    return [
        *text,
        str(s.n),
        num(s.baseline),
        num(s.candidate),
        num(s.delta, True),
        ci,
        p,
        num(s.max_drop),
        s.note,
    ]


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in [_HEAD, *rows]) for i in range(len(_HEAD))]
    lines = []
    for r in [_HEAD, *rows]:
        cells = [
            c.rjust(w) if h in _NUMERIC else c.ljust(w)
            for c, w, h in zip(r, widths, _HEAD, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _digits(result: CheckResult) -> int:
    return fmt.column_digits({s.metric for s in result.slices})


def verdict(result: CheckResult) -> str:
    """One line: PASS or FAIL and the counts."""
    word = "FAIL" if result.exit_code else "PASS"
    n_reg = result.count("regression")
    return (
        f"{word}: {n_reg} regression{'s' * (n_reg != 1)}, "
        f"{result.count('improvement')} improved, {result.count('ok')} unchanged, "
        f"{result.count('new')} new"
    )


def _describe(result: CheckResult) -> str:
    base, run = result.baseline, result.run
    test = result.test
    name = "paired bootstrap" if test.method == "bs" else "paired approximate randomization"
    unit = "resamples" if test.method == "bs" else "trials"
    return (
        f"baseline {base.path} (run {base.run_id}) vs run {run.path}; "
        f"{name}, {test.samples} {unit}, seed {result.seed}, alpha {result.alpha}"
    )


def format_text(result: CheckResult, *, verbose: bool = False) -> str:
    """The text for stdout: short by default, every slice in a table with ``verbose``.

    The short form has one line per regression saying why it failed, one per
    improvement, the notes, a count of the new and unchanged slices, and the verdict.
    """
    lines = [f"evalkit check: {fmt.terminal_text(_describe(result))}"]
    lines += [f"note: {fmt.terminal_text(n)}" for n in result.notes]
    if verbose:
        lines += ["", _table([_row(s, _digits(result)) for s in result.slices]), ""]
    for s in result.regressions:
        lines.append(f"regression: {fmt.terminal_text(failure_message(s, result.alpha))}")
    for s in result.slices:
        if s.status == "improvement":
            lines.append(f"improved: {fmt.terminal_text(improvement_message(s))}")
    if not verbose:
        rest = result.count("ok") + result.count("new")
        if rest:
            lines.append(
                f"{result.count('ok')} unchanged and {result.count('new')} new slice(s) "
                "not listed (--verbose lists every slice)"
            )
    lines.append(verdict(result))
    return "\n".join(lines) + "\n"


def improvement_message(s: SliceResult) -> str:
    """How a slice improved, in one line."""
    p = f"{s.p_value:.4f}" if s.p_value is not None else "?"
    return (
        f"{s.name} better by {abs(s.change or 0.0):.4g} ({s.baseline:.4g} -> "
        f"{s.candidate:.4g}, {fmt.better_text(s.metric)} is better), p={p}"
    )


def format_json(result: CheckResult) -> str:
    """The machine-readable result (``kind: "evalkit-check"``, ``schema_version``)."""
    return dumps(result.to_dict(), indent=2) + "\n"


def incomparable_json(message: str, status: str = "incomparable") -> str:
    """The JSON printed when the baseline and the run cannot be compared (exit 2)."""
    from evalkit.check import SCHEMA_VERSION

    return (
        dumps(
            {
                "schema_version": SCHEMA_VERSION,
                "kind": "evalkit-check",
                "evalkit_version": __version__,
                "status": status,
                "exit_code": 2,
                "error": message,
            },
            indent=2,
        )
        + "\n"
    )


def _md(text: str) -> str:
    return fmt.md_text(fmt.terminal_text(text))


def _md_table(rows: Sequence[Sequence[str]]) -> str:
    align = ["r" if h in _NUMERIC else "l" for h in _HEAD]
    body = [[_md(c) for c in r] for r in rows]
    return fmt.md_table([_md(h) for h in _HEAD], body, align=align)


def markdown_summary(result: CheckResult) -> str:
    """A GitHub step summary: the verdict, the slices that changed, all slices folded.

    Every text from the baseline or the run is escaped: raw HTML or Markdown in a run id
    shows as text, it cannot close the ``<details>`` block or add a heading.
    """
    d = _digits(result)
    changed = [s for s in result.slices if s.status != "ok"]
    lines = [f"## evalkit check: {verdict(result)}", "", _md(_describe(result)), ""]
    lines += [f"- {_md(n)}" for n in result.notes]
    if changed:
        lines += [
            "",
            "### Regressions, improvements and new slices",
            "",
            _md_table([_row(s, d) for s in changed]),
        ]
    lines += [
        "",
        f"<details><summary>All {len(result.slices)} slices</summary>",
        "",
        _md_table([_row(s, d) for s in result.slices]),
        "",
        "</details>",
        "",
    ]
    return "\n".join(lines) + "\n"


def incomparable_markdown(message: str, title: str = "cannot compare") -> str:
    return f"## evalkit check: {title}\n\n{_md(message)}\n\n"


def append_step_summary(path: str | Path, markdown: str) -> None:
    """Append ``markdown`` to the file named by ``GITHUB_STEP_SUMMARY``.

    Raises:
        DataError: naming the file when it cannot be written.
    """
    try:
        append_text(path, markdown)
    except OSError as exc:
        raise DataError(f"cannot append the step summary: {exc}", path=path) from exc
