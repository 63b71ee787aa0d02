"""Working-day counting for "一件事一次办" (first day not counted, 民法典 第201条)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core import plain
from checker.domains.approvals.workdays import (
    HOLIDAY,
    MAKEUP_WORKDAY,
    SUMMARY_SPAN_DAYS,
    WEEKEND,
    DayNote,
    OutOfCalendar,
    WorkdayCount,
    calendar_range,
    describe,
    elapsed_working_days,
    is_working_day,
    working_days_until,
)

D = date
FIRST_YEAR, LAST_YEAR = calendar_range()
# The cases below are from 2024: the shipped calendar file, imported from the notice, decides them.
SOURCE_2024 = "国务院办公厅关于2024年部分节假日安排的通知（checker 内置日历文件）"
ON_2024 = f"日历：{SOURCE_2024}"


# ------------------------------------------------------------ calendar range


def test_calendar_range_matches_library():
    import chinese_calendar

    assert (FIRST_YEAR, LAST_YEAR) == (
        min(d.year for d in chinese_calendar.holidays),
        max(d.year for d in chinese_calendar.holidays),
    )
    # The library itself accepts both ends and rejects one year beyond.
    chinese_calendar.is_workday(D(FIRST_YEAR, 1, 1))
    chinese_calendar.is_workday(D(LAST_YEAR, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(LAST_YEAR + 1, 1, 1))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(FIRST_YEAR - 1, 12, 31))
    # The cases below are from 2024.
    assert FIRST_YEAR <= 2024 <= LAST_YEAR


def test_module_import_does_not_load_chinese_calendar():
    root = Path(__file__).resolve().parents[3]
    code = "import sys, checker.domains.approvals.workdays; print('chinese_calendar' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------ is_working_day


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2024, 6, 7), True),  # Friday
        (D(2024, 6, 8), False),  # Saturday
        (D(2024, 6, 10), False),  # 端午节, Monday
        (D(2024, 9, 29), True),  # Sunday, make-up workday for 国庆
        (D(2024, 10, 7), False),  # 国庆, Monday
        (D(2024, 10, 8), True),
        (D(2024, 2, 18), True),  # Sunday, make-up workday after 春节
        (D(2024, 2, 9), True),  # 除夕 2024 was a working Friday
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_is_working_day_accepts_datetime():
    assert is_working_day(datetime(2024, 9, 29, 15, 30)) is True


@pytest.mark.parametrize("day", [D(LAST_YEAR + 1, 1, 5), D(FIRST_YEAR - 1, 12, 31)])
def test_is_working_day_outside_range_raises(day):
    with pytest.raises(OutOfCalendar) as info:
        is_working_day(day)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.day == day
    assert str(err) == f"{day.isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）"


# ------------------------------------------------------------ pinned cases


def test_dragon_boat_friday_to_tuesday():
    c = elapsed_working_days(D(2024, 6, 7), D(2024, 6, 11))
    assert c == WorkdayCount(
        start=D(2024, 6, 7),
        end=D(2024, 6, 11),
        days=1,
        counted=(D(2024, 6, 11),),
        notes=(
            DayNote(D(2024, 6, 8), WEEKEND, None),
            DayNote(D(2024, 6, 9), WEEKEND, None),
            DayNote(D(2024, 6, 10), HOLIDAY, "端午节"),
        ),
        decidable=True,
        reason=None,
        sources=(SOURCE_2024,),
    )
    assert describe(c) == (
        "受理次日起计 1 个工作日（计入 2024-06-11；2024-06-08、06-09 休息日，2024-06-10 端午节；" + ON_2024 + "）"
    )


def test_national_day_2024():
    c = elapsed_working_days(D(2024, 9, 30), D(2024, 10, 8))
    assert c.days == 1
    assert c.counted == (D(2024, 10, 8),)
    # Every day 10-01..10-07 is a statutory holiday (the weekend inside included).
    assert c.notes == tuple(DayNote(D(2024, 10, i), HOLIDAY, "国庆节") for i in range(1, 8))
    assert c.decidable is True and c.reason is None
    assert describe(c) == "受理次日起计 1 个工作日（计入 2024-10-08；2024-10-01至10-07 国庆节；" + ON_2024 + "）"


def test_rest_day_to_makeup_sunday():
    c = elapsed_working_days(D(2024, 9, 28), D(2024, 9, 29))
    assert c.days == 1
    assert c.counted == (D(2024, 9, 29),)
    assert c.notes == (DayNote(D(2024, 9, 29), MAKEUP_WORKDAY, "国庆节"),)
    assert describe(c) == "受理次日起计 1 个工作日（计入 2024-09-29；2024-09-29 国庆节调休上班；" + ON_2024 + "）"


def test_spring_festival_to_makeup_sunday():
    c = elapsed_working_days(D(2024, 2, 9), D(2024, 2, 18))
    assert c.days == 1
    assert c.counted == (D(2024, 2, 18),)
    assert c.notes == (
        *(DayNote(D(2024, 2, i), HOLIDAY, "春节") for i in range(10, 18)),
        DayNote(D(2024, 2, 18), MAKEUP_WORKDAY, "春节"),
    )
    assert describe(c) == (
        "受理次日起计 1 个工作日（计入 2024-02-18；2024-02-10至02-17 春节，2024-02-18 春节调休上班；" + ON_2024 + "）"
    )


def test_ordinary_week_three_days():
    c = elapsed_working_days(D(2024, 5, 6), D(2024, 5, 9))
    assert c.days == 3
    assert c.counted == (D(2024, 5, 7), D(2024, 5, 8), D(2024, 5, 9))
    assert c.notes == ()
    assert describe(c) == "受理次日起计 3 个工作日（计入 2024-05-07、05-08、05-09；" + ON_2024 + "）"


def test_same_day_is_zero():
    c = elapsed_working_days(D(2024, 5, 6), D(2024, 5, 6))
    assert (c.days, c.counted, c.notes, c.decidable, c.reason) == (0, (), (), True, None)
    assert describe(c) == "受理当日，计 0 个工作日"


def test_friday_to_monday_is_one():
    c = elapsed_working_days(D(2024, 5, 17), D(2024, 5, 20))
    assert c.days == 1
    assert c.counted == (D(2024, 5, 20),)
    assert c.notes == (DayNote(D(2024, 5, 18), WEEKEND, None), DayNote(D(2024, 5, 19), WEEKEND, None))
    assert describe(c) == "受理次日起计 1 个工作日（计入 2024-05-20；2024-05-18、05-19 休息日；" + ON_2024 + "）"


def test_friday_to_monday_over_labour_day_makeup_saturday():
    # 2024-05-11 (Saturday) was a make-up workday for 劳动节: easy to miss by hand.
    c = elapsed_working_days(D(2024, 5, 10), D(2024, 5, 13))
    assert c.days == 2
    assert c.counted == (D(2024, 5, 11), D(2024, 5, 13))
    assert c.notes == (DayNote(D(2024, 5, 11), MAKEUP_WORKDAY, "劳动节"), DayNote(D(2024, 5, 12), WEEKEND, None))
    assert describe(c) == (
        "受理次日起计 2 个工作日（计入 2024-05-11、05-13；2024-05-11 劳动节调休上班，2024-05-12 休息日；"
        + ON_2024
        + "）"
    )


def test_friday_to_sunday_is_zero():
    c = elapsed_working_days(D(2024, 6, 7), D(2024, 6, 9))
    assert c.days == 0
    assert c.counted == ()
    assert describe(c) == "受理次日起计 0 个工作日（2024-06-08、06-09 休息日；" + ON_2024 + "）"


def test_datetime_inputs_count_as_dates():
    c = elapsed_working_days(datetime(2024, 6, 7, 17, 59), datetime(2024, 6, 11, 8, 0))
    assert (c.start, c.end, c.days) == (D(2024, 6, 7), D(2024, 6, 11), 1)


def test_result_is_frozen():
    c = elapsed_working_days(D(2024, 5, 6), D(2024, 5, 9))
    with pytest.raises(plain.FrozenError):
        c.days = 0  # type: ignore[misc]
    with pytest.raises(plain.FrozenError):
        DayNote(D(2024, 6, 8), WEEKEND, None).kind = HOLIDAY  # type: ignore[misc]
    assert isinstance(c.counted, tuple) and isinstance(c.notes, tuple)


# ------------------------------------------------------------ outside range


def test_end_beyond_last_known_year_is_undecidable():
    start, end = D(LAST_YEAR, 12, 30), D(LAST_YEAR + 1, 1, 5)
    c = elapsed_working_days(start, end)
    assert c == WorkdayCount(
        start=start,
        end=end,
        days=None,
        counted=(),
        notes=(),
        decidable=False,
        reason=f"{end.isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）",
    )
    assert describe(c) == f"无法判定工作日数：{end.isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）"


def test_start_before_first_known_year_is_undecidable():
    start, end = D(FIRST_YEAR - 1, 12, 31), D(FIRST_YEAR, 1, 5)
    c = elapsed_working_days(start, end)
    assert (c.days, c.decidable, c.counted, c.notes) == (None, False, (), ())
    assert c.reason == f"{start.isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）"


def test_both_ends_outside_are_both_named():
    start, end = D(FIRST_YEAR - 1, 6, 1), D(LAST_YEAR + 1, 6, 1)
    c = elapsed_working_days(start, end)
    assert c.decidable is False and c.days is None
    assert c.reason == (f"{start.isoformat()}、{end.isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）")


def test_same_day_outside_range_is_undecidable():
    day = D(LAST_YEAR + 1, 3, 2)
    c = elapsed_working_days(day, day)
    assert c.decidable is False and c.days is None
    assert c.reason == f"{day.isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）"


# ------------------------------------------------------------ bad input


def test_end_before_start_raises():
    with pytest.raises(ValueError, match="早于受理日期"):
        elapsed_working_days(D(2024, 6, 11), D(2024, 6, 7))
    with pytest.raises(ValueError, match="早于受理日期"):
        working_days_until(D(2024, 6, 11), D(2024, 6, 10))


def test_non_date_raises_type_error():
    with pytest.raises(TypeError):
        elapsed_working_days("2024-06-07", D(2024, 6, 11))  # type: ignore[arg-type]


# ------------------------------------------------------------ open items


def test_working_days_until_open_item():
    # Accepted Friday before 端午, still open on Wednesday: two working days used.
    c = working_days_until(D(2024, 6, 7), D(2024, 6, 12))
    assert c.days == 2
    assert c.counted == (D(2024, 6, 11), D(2024, 6, 12))
    assert c.notes == (
        DayNote(D(2024, 6, 8), WEEKEND, None),
        DayNote(D(2024, 6, 9), WEEKEND, None),
        DayNote(D(2024, 6, 10), HOLIDAY, "端午节"),
    )
    assert c == elapsed_working_days(D(2024, 6, 7), D(2024, 6, 12))


def test_working_days_until_same_day_and_holiday():
    assert working_days_until(D(2024, 9, 30), D(2024, 9, 30)).days == 0
    # Open through the whole 国庆 break: still inside the time limit.
    assert working_days_until(D(2024, 9, 30), D(2024, 10, 7)).days == 0


def test_working_days_until_beyond_calendar():
    c = working_days_until(D(LAST_YEAR, 12, 31), D(LAST_YEAR + 1, 1, 4))
    assert c.decidable is False and c.days is None
    assert c.reason == f"{D(LAST_YEAR + 1, 1, 4).isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）"


# ------------------------------------------------------------ describe on long spans


def test_describe_long_span_stays_one_line():
    c = elapsed_working_days(D(2024, 1, 1), D(2024, 12, 31))
    assert c.days == 251
    assert describe(c) == (
        "受理次日起计 251 个工作日（计入 2024-01-02 至 2024-12-31 间的工作日；"
        "法定节假日 27 天、休息日 87 天、调休上班日 8 天："
        "2024-02-04 春节调休上班，2024-02-10、02-11 春节 … 2024-10-06、10-07 国庆节，2024-10-12 国庆节调休上班；"
        + ON_2024
        + "）"
    )


# ------------------------------------------------------------ properties

MIN_DAY = D(FIRST_YEAR, 1, 1)
MAX_DAY = D(LAST_YEAR, 12, 31)
known_days = st.dates(min_value=MIN_DAY, max_value=MAX_DAY)
gaps = st.integers(min_value=0, max_value=120)


def _shift(d: date, n: int) -> date:
    return min(d + timedelta(days=n), MAX_DAY)


@settings(max_examples=200, deadline=None, database=None)
@given(known_days, gaps)
def test_count_matches_its_own_detail_and_the_library(a, gap):
    import chinese_calendar

    b = _shift(a, gap)
    c = elapsed_working_days(a, b)
    assert c.decidable is True and c.reason is None
    expected = chinese_calendar.get_workdays(a + timedelta(days=1), b) if a < b else []
    assert c.days == len(expected)
    if c.summary is not None:  # a long span keeps its first and last days (tests/domains/approvals/test_long_spans.py)
        assert (b - a).days > SUMMARY_SPAN_DAYS
        assert list(c.counted) == expected[:3] + expected[-3:]
        return
    assert c.days == len(c.counted)
    assert list(c.counted) == sorted(set(c.counted))
    assert all(a < d <= b for d in c.counted)
    assert all(a < n.day <= b for n in c.notes)
    assert [n.day for n in c.notes] == sorted({n.day for n in c.notes})
    # Every counted day is a working day, every other day in the span a rest day.
    span = [a + timedelta(days=i) for i in range(1, (b - a).days + 1)]
    assert list(c.counted) == [d for d in span if is_working_day(d)]
    # Independent oracle: the library's own range query.
    assert list(c.counted) == expected
    # Notes: weekends/holidays are not counted, make-up workdays are and fall on weekends.
    for n in c.notes:
        if n.kind == MAKEUP_WORKDAY:
            assert n.day in c.counted and n.day.weekday() >= 5
        else:
            assert n.kind in (HOLIDAY, WEEKEND) and n.day not in c.counted
        if n.kind == WEEKEND:
            assert n.day.weekday() >= 5 and n.name is None
    assert isinstance(describe(c), str)


@settings(max_examples=200, deadline=None, database=None)
@given(known_days, gaps, gaps)
def test_count_is_additive(a, g1, g2):
    b = _shift(a, g1)
    c = _shift(b, g2)
    ab, bc, ac = elapsed_working_days(a, b), elapsed_working_days(b, c), elapsed_working_days(a, c)
    assert ac.days == ab.days + bc.days
    assert [x + y for x, y in zip(_tally(ab), _tally(bc))] == list(_tally(ac))
    if ac.summary is None:  # (then neither part is long either)
        assert ac.counted == ab.counted + bc.counted
        assert ac.notes == ab.notes + bc.notes
    assert working_days_until(a, c) == ac


def _tally(count) -> tuple[int, int, int]:
    """Holidays, weekends, make-up workdays of a count: its summary, or counted from its full list."""
    if count.summary is not None:
        return count.summary.holidays, count.summary.weekends, count.summary.makeup_workdays
    return tuple(sum(1 for n in count.notes if n.kind == kind) for kind in (HOLIDAY, WEEKEND, MAKEUP_WORKDAY))
