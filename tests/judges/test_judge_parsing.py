"""Judge answers parsed as GEMBA and FineSurE parse them, minus their silent fallbacks."""

from __future__ import annotations

import pytest

from evalkit.judges import finesure
from evalkit.judges.mqm import ESA_SEVERITIES, mqm_score, parse_error_spans, parse_number
from evalkit.judges.prompts import few_shot_messages, fill, segment_values, template
from evalkit.judges.reasoning import strip_reasoning
from evalkit.judges.spans import ErrorSpan


def gemba_reference_score(answer: str) -> float:
    """GEMBA's parse_mqm_answer scoring for the plain-text format, restated line by line."""
    errors: dict[str, list[str]] = {"critical": [], "major": [], "minor": []}
    level = None
    for line in answer.lower().split("\n"):
        line = line.strip()
        if "no-error" in line or "no error" in line or line == "":
            continue
        if line in ("critical:", "major:", "minor:"):
            level = line[:-1]
            continue
        if level is None:
            continue
        errors["critical" if "non-translation" in line else level].append(line)
    score, counted = 0, 0
    for lvl in ("critical", "major", "minor"):
        for _ in errors[lvl]:
            if counted < 5:
                score += 25 if lvl == "critical" else 5 if lvl == "major" else 1
                counted += 1
    return -float(min(score, 25))


MQM_ANSWERS = [
    'Critical:\nno-error\nMajor:\naccuracy/mistranslation - "a"\nMinor:\nfluency/grammar - "b"\n',
    'Critical:\nnon-translation - "x"\nMajor:\nno-error\nMinor:\nno-error\n',
    "Critical:\nno-error\nMajor:\nno-error\nMinor:\n"
    + "".join(f'style/awkward - "w{i}"\n' for i in range(9)),
    'Critical:\naccuracy/omission - "q"\naccuracy/addition - "r"\nMajor:\nother - "z"\n',
    "Major:\n" + "".join(f'terminology/inconsistent use - "t{i}"\n' for i in range(7)),
    "Critical:\nno-error\nMajor:\nno-error\nMinor:\nno-error\n",
]


@pytest.mark.parametrize("answer", MQM_ANSWERS)
def test_mqm_score_equals_gemba(answer: str) -> None:
    spans = parse_error_spans(answer, "a b x z q r")
    assert spans is not None
    assert mqm_score(spans) == gemba_reference_score(answer)


def test_few_shot_answers_of_the_published_prompt() -> None:
    shots = template("gemba_mqm")["shots"]
    scores = [mqm_score(parse_error_spans(s["answer"], s["target_seg"]) or []) for s in shots]
    assert scores == [-12.0, -11.0, -25.0]
    spans = parse_error_spans(shots[0]["answer"], shots[0]["target_seg"])
    assert spans is not None
    first = spans[0]
    assert (first.severity, first.category, first.text) == (
        "major",
        "accuracy/mistranslation",
        "involvement",
    )
    assert shots[0]["target_seg"][first.start : first.end] == "involvement"
    omission = spans[1]
    assert omission.text == "the account holder" and omission.start is None  # quotes the source


def test_spans_in_korean_and_japanese_keep_character_offsets() -> None:
    hyp = "트랜스포머 모델은 긴 문맥을 처리한다. 長い文脈を扱う。"
    answer = 'Major:\naccuracy/mistranslation - "긴 문맥"\nMinor:\nfluency/grammar - "扱う"\n'
    spans = parse_error_spans(answer, hyp)
    assert spans is not None
    assert [hyp[s.start : s.end] for s in spans if s.start is not None] == ["긴 문맥", "扱う"]


@pytest.mark.parametrize(
    "answer",
    ["", "I cannot evaluate this translation.", "Score: 80", "minor issues only"],
)
def test_answers_without_the_format_are_unparseable_not_perfect(answer: str) -> None:
    assert parse_error_spans(answer, "x") is None


def test_no_error_answer_and_markdown_headers() -> None:
    assert parse_error_spans("No errors.", "x") == []
    spans = parse_error_spans('**Major:**\n- accuracy/omission - "y"\n', "x y")
    assert spans == [ErrorSpan("major", "accuracy/omission", "y", 2, 3)]


def test_esa_severities_ignore_critical_headers() -> None:
    spans = parse_error_spans('Major:\nstyle - "a"\n', "a", severities=ESA_SEVERITIES)
    assert spans is not None and spans[0].severity == "major"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("85", 85),
        ("Score: 85", 85),
        ("['70']", 70),
        ("90/100", 90),
        ("101", None),
        ("between 60 and 70", None),
        ("", None),
        ("about ninety", None),
    ],
)
def test_number_parser_is_gembas(answer: str, expected: int | None) -> None:
    assert parse_number(answer) == expected


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<think>long reasoning</think>\nCritical:\nno-error", "Critical:\nno-error"),
        ("reasoning the template opened</think>Major:\nx", "Major:\nx"),
        ("<think>ran out of tokens while thinking", ""),
        ("<THINK a='1'>x</THINK> 85", "85"),
        ("plain answer", "plain answer"),
    ],
)
def test_reasoning_is_stripped(raw: str, clean: str) -> None:
    assert strip_reasoning(raw) == clean


def test_prompt_is_the_published_conversation() -> None:
    values = segment_values("en", "Hello {world}", "ko", "안녕 {target_seg}")
    messages = few_shot_messages("gemba_mqm", values)
    assert [m["role"] for m in messages] == ["system"] + ["user", "assistant"] * 3 + ["user"]
    assert messages[0]["content"].startswith("You are an annotator for the quality")
    last = messages[-1]["content"]
    assert last.startswith("English source:\n```Hello {world}```\nKorean translation:\n")
    assert "```안녕 {target_seg}```" in last  # inserted text is never filled again
    assert "critical, major, and minor" in last


def test_fill_leaves_json_braces() -> None:
    text = fill('[{"a": 1}] {x} {y}', {"x": "{y}"})
    assert text == '[{"a": 1}] {y} {y}'


def test_finesure_parsers() -> None:
    facts = finesure.parse_keyfacts('```json\n["A uses B", "C improves D"]\n```')
    assert facts == ["A uses B", "C improves D"]
    check = finesure.parse_fact_checking(
        '[{"sentence": "s1", "reason": "r", "category": "no error"},'
        ' {"sentence": "s2", "reason": "r", "category": "entity error"},]'
    )
    assert check is not None and check.faithfulness == 0.5
    align = finesure.parse_alignment(
        '[{"key fact": "k1", "response": "Yes", "line number": [1]},'
        ' {"key fact": "k2", "response": "No", "line number": []}]'
    )
    assert align is not None and align.completeness == 0.5
    for bad in ("no json here", "[1, 2]", '[{"sentence": "s"}]', "[]"):
        assert finesure.parse_fact_checking(bad) is None
    assert finesure.parse_alignment("Yes") is None
    assert finesure.parse_keyfacts("[]") is None
