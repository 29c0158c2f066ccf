"""Whether two sides can be compared, and if not, exactly why: one set of rules.

``evalkit check`` (a baseline against a run) and ``evalkit report A B`` (the first run
against each other run) use these rules alike. Two sides are comparable when they
score the same examples, with the same source and reference text, in the same slices,
with the same metric signatures, on the same dataset, and the other side has
statistics for every example and metric of the first. The one tolerated difference is
new weeks: the other side may hold weeks the first lacks (reported, not compared), and
the dataset fingerprint may then differ, provided every example of the first side is
unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from evalkit.check.inputs import Side


def _first(ids: Sequence[str]) -> str:
    return f"first: {ids[0]}" if ids else ""


def _example_set(first: Side, other: Side, new_weeks: list[str], reasons: list[str]) -> None:
    cand = set(other.ids)
    base_set = set(first.ids)
    base_weeks = first.weeks
    week_of = dict(zip(other.ids, (k[0] for k in other.slices), strict=True))
    missing = [i for i in first.ids if i not in cand]
    extra = sorted(i for i in cand if i not in base_set)
    new_weeks += sorted({week_of[i] for i in extra} - base_weeks)
    extra_old = [i for i in extra if week_of[i] in base_weeks]
    if missing or extra_old:
        parts = []
        if missing:
            parts.append(
                f"{len(missing)} of the {first.role}'s {len(first.ids)} examples are missing "
                f"from the {other.role} ({_first(missing)})"
            )
        if extra_old:
            parts.append(
                f"{len(extra_old)} examples the {first.role} lacks are in weeks it covers "
                f"({_first(extra_old)})"
            )
        if other.status != "complete":
            parts.append(f"the {other.role} is {other.status!r}")
        reasons.append("example set differs: " + ", ".join(parts))


def _metrics(first: Side, other: Side, reasons: list[str], notes: list[str]) -> None:
    for metric in first.metrics:
        if metric not in other.signatures:
            reasons.append(f"metric {metric!r} is in the {first.role} but not in the {other.role}")
            continue
        for lang, sig in sorted(first.signatures[metric].items()):
            theirs = other.signatures[metric].get(lang)
            if theirs is not None and theirs != sig:
                reasons.append(
                    f"metric signature differs for {metric} ({lang}): "
                    f"{first.role} {sig!r}, {other.role} {theirs!r}"
                )
    extra = sorted(set(other.signatures) - set(first.signatures))
    if extra:
        notes.append(f"not in the {first.role}, not compared: {', '.join(extra)}")


def differences(first: Side, other: Side) -> tuple[list[str], list[str], list[str]]:
    """What keeps ``other`` from being compared with ``first``.

    Returns:
        ``(reasons, notes, new_weeks)``: reasons are the differences that make the two
        incomparable (empty when they can be compared).
    """
    reasons: list[str] = []
    notes: list[str] = []
    new_weeks: list[str] = []
    if not first.ids:
        return [f"the {first.role} has no scored example to compare"], notes, new_weeks
    _example_set(first, other, new_weeks, reasons)
    _metrics(first, other, reasons, notes)

    position = {ex_id: i for i, ex_id in enumerate(other.ids)}
    changed, moved, no_stats = [], [], []
    for i, ex_id in enumerate(first.ids):
        j = position.get(ex_id)
        if j is None:
            continue
        digest, theirs = first.texts[i], other.texts[j]
        if digest is not None and theirs is not None and digest != theirs:
            changed.append(ex_id)
        if first.slices[i] != other.slices[j]:
            moved.append(ex_id)
        for metric, rows in first.stats.items():
            row = rows[i]
            their = other.stats.get(metric)
            theirs_row = None if their is None else their[j]
            if row is not None and (theirs_row is None or len(theirs_row) != len(row)):
                no_stats.append(f"{metric} for {ex_id}")
    if no_stats:
        reasons.append(
            f"the {other.role} lacks comparable statistics for {len(no_stats)} "
            f"{first.role} segments (first: {no_stats[0]})"
        )
    if moved:
        reasons.append(f"{len(moved)} examples changed week, task, pair or field ({_first(moved)})")

    fp_a, fp_b = first.dataset_fingerprint, other.dataset_fingerprint
    if fp_a != fp_b:
        what = f"dataset fingerprint differs ({first.role} {fp_a}, {other.role} {fp_b})"
        if changed:
            reasons.append(
                f"{what}: {len(changed)} examples have a different source or "
                f"reference text ({_first(changed)})"
            )
        elif new_weeks and not reasons:
            notes.append(f"{what} by new weeks only; every {first.role} example is unchanged")
        elif not new_weeks:
            hint = (
                "save the baseline again"
                if first.role == "baseline"
                else "run both on the same dataset"
            )
            reasons.append(
                f"{what}; the scored examples are unchanged, so other dataset fields "
                f"changed: {hint}"
            )
        else:
            reasons.append(what)
    elif changed:
        reasons.append(
            f"{len(changed)} examples have a different source or reference text ({_first(changed)})"
        )
    if new_weeks:
        notes.append(
            f"new weeks not in the {first.role}, reported but not compared: {', '.join(new_weeks)}"
        )
    return reasons, notes, new_weeks
