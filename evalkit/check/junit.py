"""JUnit XML of ``evalkit check``: one test case per slice, or one error.

Text from the baseline or the run is stripped of the control characters XML 1.0 cannot
hold (ANSI escapes from a run id would make the file unreadable); ElementTree escapes
the markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.io import atomic_write_text
from evalkit.report import fmt

if TYPE_CHECKING:
    from evalkit.check.gate import CheckResult, SliceResult


def failure_message(s: SliceResult, alpha: float) -> str:
    """Why a slice failed, in one line."""
    if s.target is not None:
        worse = f"moved away from {s.target:g}"
    else:
        worse = "rose" if not s.higher_is_better else "dropped"
    p = f"{s.p_value:.4f}" if s.p_value is not None else "?"
    return (
        f"{s.name} {worse} by {abs(s.change or 0.0):.4g} ({s.baseline:.4g} -> "
        f"{s.candidate:.4g}), more than the {s.max_drop:g} allowed, p={p} < {alpha}"
    )


def junit_xml(result: CheckResult) -> str:
    """JUnit XML with one test case per slice; regressions are failures, new slices skipped."""
    import xml.etree.ElementTree as ET

    x = fmt.xml_text
    cases = result.slices
    suite = ET.Element(
        "testsuite",
        name="evalkit check",
        tests=str(len(cases)),
        failures=str(result.count("regression")),
        errors="0",
        skipped=str(result.count("new")),
        time="0",
    )
    props = ET.SubElement(suite, "properties")
    for key, value in (
        ("baseline", result.baseline.path),
        ("run", result.run.path),
        ("alpha", str(result.alpha)),
        ("seed", str(result.seed)),
        ("n_resamples", str(result.n_resamples)),
        ("test", result.test.to_dict()["signature"]),
    ):
        ET.SubElement(props, "property", name=key, value=x(value))
    for s in cases:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=x(f"evalkit.check.{s.week}"),
            name=x(f"{s.task} {s.pair} {s.field} {s.metric}"),
            time="0",
        )
        if s.status == "regression":
            msg = x(failure_message(s, result.alpha))
            ET.SubElement(case, "failure", message=msg, type="regression").text = msg
        elif s.status == "new":
            ET.SubElement(case, "skipped", message="new week, not in the baseline")
        else:
            out = ET.SubElement(case, "system-out")
            out.text = x(
                f"{s.status}: baseline {s.baseline}, candidate {s.candidate}, "
                f"delta {s.delta}, p {s.p_value}" + (f" ({s.note})" if s.note else "")
            )
    return _xml(suite)


def incomparable_junit(message: str) -> str:
    """JUnit XML with one erroring test case saying why nothing could be compared."""
    import xml.etree.ElementTree as ET

    suite = ET.Element(
        "testsuite",
        name="evalkit check",
        tests="1",
        failures="0",
        errors="1",
        skipped="0",
        time="0",
    )
    case = ET.SubElement(suite, "testcase", classname="evalkit.check", name="comparable", time="0")
    text = fmt.xml_text(message)
    ET.SubElement(case, "error", message=text, type="incomparable").text = text
    return _xml(suite)


def _xml(suite: object) -> str:
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="evalkit check")
    root.append(suite)  # type: ignore[arg-type]
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: str | Path, xml_text: str) -> None:
    atomic_write_text(path, xml_text)
