from datetime import date

import pytest

from evalkit.digests.weeks import Week, WeekError, parse_month_week, parse_range


@pytest.mark.parametrize(
    ("header", "label", "start", "end"),
    [
        ("[2023/10/09 ~ 10/15] 이번 주의 주요 ML 논문", "2023-W41", "2023-10-09", "2023-10-15"),
        ("[2024/10/14 ~ 10/20]", "2024-W42", "2024-10-14", "2024-10-20"),
        ("[2023/09/04 ~ 09/10] 今週の主要ML論文", "2023-W36", "2023-09-04", "2023-09-10"),
        ("[2024/12/30 ~ 01/05] 이번 주의 주요 ML 논문", "2025-W01", "2024-12-30", "2025-01-05"),
        ("[2020/12/28 ~ 2021/01/03]", "2020-W53", "2020-12-28", "2021-01-03"),
        ("[ 2023/10/09 ～ 10/15 ]", "2023-W41", "2023-10-09", "2023-10-15"),
    ],
)
def test_parse_range(header, label, start, end):
    week, note = parse_range(header)
    assert (week.label, week.start.isoformat(), week.end.isoformat()) == (label, start, end)
    assert note is None


def test_parse_range_notes_a_header_that_is_not_a_monday_to_sunday_week():
    week, note = parse_range("[2023/10/10 ~ 10/16]")
    assert week.label == "2023-W41" and week.start == date(2023, 10, 9)
    assert note is not None and "2023-W41" in note


def test_parse_range_rejects_impossible_dates_and_ignores_other_lines():
    with pytest.raises(WeekError, match="impossible"):
        parse_range("[2023/13/09 ~ 10/15]")
    with pytest.raises(WeekError, match="impossible"):
        parse_range("[2023/02/27 ~ 02/30]")
    assert parse_range("2023/10/09 ~ 10/15 without brackets") is None
    assert parse_range("[링크]") is None


@pytest.mark.parametrize(
    ("header", "label", "start", "end"),
    [
        ("2023년 8월 1주차", "2023-W31", "2023-07-31", "2023-08-06"),
        ("2023년 8월 5주차", "2023-W35", "2023-08-28", "2023-09-03"),
        ("2023년 10월 1주차", "2023-W40", "2023-10-02", "2023-10-08"),
        ("2025년 1월 1주차", "2025-W01", "2024-12-30", "2025-01-05"),
        ("2024년 12월 4주차", "2024-W52", "2024-12-23", "2024-12-29"),
    ],
)
def test_parse_month_week(header, label, start, end):
    week = parse_month_week(header)
    assert (week.label, week.start.isoformat(), week.end.isoformat()) == (label, start, end)


def test_parse_month_week_rejects_weeks_that_do_not_exist():
    with pytest.raises(WeekError, match="no week 5"):
        parse_month_week("2024년 12월 5주차")
    with pytest.raises(WeekError):
        parse_month_week("2024년 13월 1주차")
    assert parse_month_week("8월 1주차") is None


def test_week_of_any_day():
    assert Week.of(date(2023, 10, 15)) == Week("2023-W41", date(2023, 10, 9), date(2023, 10, 15))
