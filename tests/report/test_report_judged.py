"""What judges found and what models cost, in the run reports, from typed records."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import report_helpers as h

from evalkit.judges.judgment import Judgment
from evalkit.judges.spans import ErrorSpan
from evalkit.records import Failure, ModelUsage
from evalkit.report import write_run_reports
from evalkit.run_folder import load_run, write_run

USAGE = {
    "system": {"model": "m1", "prompt_tokens": 1200, "completion_tokens": 80, "cost": 0.0014},
    "judges": {
        "mqm": {"prompt_tokens": 5, "completion_tokens": 7},
        "esa": {"prompt_tokens": 9, "completion_tokens": 1, "cost": 1.5},
    },
}


@pytest.fixture(scope="module")
def judged_run(tmp_path_factory) -> Path:
    """A partial run whose W41 en-ko titles were judged: the first ones with two error
    spans (one located in the output, one quoting text the output lacks), the last one
    unparsed."""
    root = tmp_path_factory.mktemp("judged")
    run = load_run(h.make_run(root, "plain"))
    titles = [s for s in run.segments if s.week == "2023-W41" and s.id.endswith("/title/en-ko")]
    segments = []
    for seg in run.segments:
        if seg in titles[:-1]:
            spans = (
                ErrorSpan("major", "accuracy/mistranslation", seg.output[:2], 0, 2),
                ErrorSpan("minor", "fluency/grammar", "not in the output"),
            )
            seg = dataclasses.replace(seg, judgments={"mqm": Judgment((70.0,), spans)})
        elif seg == titles[-1]:
            seg = dataclasses.replace(
                seg,
                judgments={"mqm": Judgment(unparsed=1)},
                flags=(*seg.flags, "judge_unparsed:mqm"),
            )
        segments.append(seg)
    record = dataclasses.replace(
        run.record,
        run_id="judged",
        status="partial",
        failures=(Failure(("a", "b"), "timeout"), Failure(("c",), "refused")),
        usage=USAGE,
    )
    folder = write_run(root / "judged", record, segments)
    write_run_reports(folder)
    return folder


def _judged(folder: Path) -> tuple[list, list]:
    """The segments with a parsed judgment, and those the judge could not parse."""
    segments = load_run(folder).segments
    parsed = [s for s in segments if "mqm" in s.judgments and s.judgments["mqm"].judged]
    unparsed = [s for s in segments if "mqm" in s.judgments and not s.judgments["mqm"].judged]
    return parsed, unparsed


def test_model_usage_reads_the_usage_table(judged_run: Path) -> None:
    assert load_run(judged_run).record.model_usage == [
        ModelUsage("system", "m1", 1200, 80, 0.0014),
        ModelUsage("judge", "esa", 9, 1, 1.5),
        ModelUsage("judge", "mqm", 5, 7, None),
    ]


def test_markdown_has_the_partial_warning_usage_and_judged_errors(judged_run: Path) -> None:
    parsed, unparsed = _judged(judged_run)
    assert len(parsed) >= 3 and len(unparsed) == 1
    md = (judged_run / "report.md").read_text(encoding="utf-8")
    assert "> **Partial run**: 3 examples failed; scores cover the rest." in md
    assert "- system m1: 1,200 prompt + 80 completion tokens, \\$0.0014" in md  # $ escaped
    assert "- judge esa: 9 prompt + 1 completion tokens, \\$1.5000" in md
    assert "- judge mqm: 5 prompt + 7 completion tokens\n" in md
    week = md[md.index("## Week 2023-W41") :]
    assert week.count("### Judged errors") == 1  # W41 only: the other weeks were not judged
    judged = week[week.index("### Judged errors") :]
    assert f"| major | accuracy | {len(parsed)} |" in judged
    assert f"| minor | fluency | {len(parsed)} |" in judged
    assert "1 segment(s) the judge could not judge (flagged; not scored)." in judged
    assert md.count("### Judged errors") == 1


def test_one_segment_spans_in_html_and_markdown(judged_run: Path) -> None:
    from evalkit.report import judged

    parsed, unparsed = _judged(judged_run)
    seg = parsed[0]
    html = str(judged.html_spans(seg))
    assert "mqm: 2 error(s)" in html
    assert '<mark class="err err-major" title="major: accuracy/mistranslation">' in html
    assert "err-minor" not in html  # its quote is not in the output: listed, not marked
    line = judged.markdown_spans(seg)
    assert line.startswith("mqm: major accuracy/mistranslation: ")
    assert 'minor fluency/grammar: "not in the output" (not found in the output)' in line
    assert "mqm: not judged" in str(judged.html_spans(unparsed[0]))
    assert judged.markdown_spans(unparsed[0]) == "mqm: no errors"
    assert judged.html_spans(load_run(judged_run).segments[-1]) is None
