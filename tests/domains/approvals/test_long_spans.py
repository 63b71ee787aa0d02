"""Working days over long spans: counted with the calendar index, summarised in the evidence.

Every count is checked against a day-by-day loop over `is_working_day` written here (民法典 第201条: the
acceptance day is not counted), which shares nothing with the index but the calendar's view of each day.
"""

from __future__ import annotations

import pickle
from datetime import date, timedelta

import pytest

from checker.domains.approvals.calendars import build, load_calendar_file, package_day, package_source
from checker.domains.approvals.notice import import_notice, to_yaml
from checker.domains.approvals.workdays import (
    EDGE_DAYS,
    HOLIDAY,
    MAKEUP_WORKDAY,
    SUMMARY_SPAN_DAYS,
    WEEKEND,
    DayNote,
    DaySummary,
    OutOfCalendar,
    active_calendar,
    calendar_range,
    describe,
    elapsed_working_days,
    is_working_day,
    use_calendar,
    working_days_known,
    working_days_until,
)
from tests.conftest import write
from tests.domains.approvals.test_calendars import NOTICES

D = date
ONE = timedelta(days=1)
FIRST_YEAR, LAST_YEAR = calendar_range()
PACKAGE = package_source().title  # "chinesecalendar 1.x": the installed release names itself
SHIPPED = "国务院办公厅关于{}年部分节假日安排的通知（checker 内置日历文件）"
ALL_SOURCES = f"日历：{PACKAGE}、" + "、".join(SHIPPED.format(y) for y in (2024, 2025, 2026))


def span(start: date, end: date) -> list[date]:
    """The days a count looks at: start < d <= end."""
    return [start + ONE * i for i in range(1, (end - start).days + 1)]


def reference_days(start: date, end: date) -> int:
    return sum(1 for d in span(start, end) if is_working_day(d))


def reference_working(start: date, end: date) -> list[date]:
    return [d for d in span(start, end) if is_working_day(d)]


def reference_kinds(start: date, end: date) -> DaySummary:
    kinds = [active_calendar().classify(d)[1] for d in span(start, end)]
    return DaySummary(kinds.count(HOLIDAY), kinds.count(WEEKEND), kinds.count(MAKEUP_WORKDAY))


def reference_special(start: date, end: date) -> list[DayNote]:
    out = []
    for d in span(start, end):
        _working, kind, name = active_calendar().classify(d)
        if kind in (HOLIDAY, MAKEUP_WORKDAY):
            out.append(DayNote(d, kind, name))
    return out


def kind_of(d: date) -> str | None:
    return active_calendar().classify(d)[1]


def test_the_premises_of_the_cases_below():
    assert (FIRST_YEAR, LAST_YEAR) == (2004, 2026)
    assert kind_of(D(2008, 10, 1)) == HOLIDAY and kind_of(D(2019, 2, 5)) == HOLIDAY  # 国庆, 春节
    assert kind_of(D(2004, 1, 17)) == MAKEUP_WORKDAY and kind_of(D(2020, 1, 19)) == MAKEUP_WORKDAY
    assert kind_of(D(2005, 1, 4)) is None and kind_of(D(2024, 12, 30)) is None  # Tuesday, Monday


LONG_SPANS = [
    (D(2005, 1, 4), D(2024, 12, 30)),  # twenty years, package and shipped files
    (D(FIRST_YEAR, 1, 1), D(LAST_YEAR, 12, 31)),  # the whole coverage, from its first day to its last
    (D(2008, 10, 1), D(2019, 2, 5)),  # from a holiday to a holiday
    (D(2004, 1, 17), D(2020, 1, 19)),  # from a make-up workday (not counted: first day) to one (counted)
    (D(2023, 12, 31), D(2024, 3, 1)),  # across the package / shipped file boundary, just over the threshold
    (D(FIRST_YEAR, 1, 1), D(FIRST_YEAR, 3, 15)),  # at the start of coverage
    (D(LAST_YEAR, 10, 1), D(LAST_YEAR, 12, 31)),  # ending on the last known day
    (D(2019, 12, 31), D(2021, 1, 1)),  # 2020: the extended 春节, both ends on year edges
]


@pytest.mark.parametrize(("start", "end"), LONG_SPANS)
def test_long_span_counts_match_a_day_by_day_count(start, end):
    c = elapsed_working_days(start, end)
    working = reference_working(start, end)
    special = reference_special(start, end)
    assert (c.decidable, c.reason, c.days) == (True, None, len(working))
    assert c.summary == reference_kinds(start, end)
    # only the first and last days are kept, however long the span
    assert c.counted == tuple(working[:EDGE_DAYS] + working[-EDGE_DAYS:])
    assert c.notes == tuple(special[:EDGE_DAYS] + special[-EDGE_DAYS:])
    assert working_days_until(start, end) == c


@pytest.mark.parametrize(("start", "end"), LONG_SPANS)
def test_the_first_day_is_not_counted(start, end):
    # 民法典 第201条: moving acceptance one day earlier adds that day when it is a working day
    if start.year == FIRST_YEAR and start.month == 1 and start.day == 1:
        start += ONE  # keep the earlier day inside the calendar
    earlier = elapsed_working_days(start - ONE, end)
    assert earlier.days == elapsed_working_days(start, end).days + is_working_day(start)
    assert earlier.days == reference_days(start - ONE, end)


def test_the_kinds_add_up_to_the_span():
    start, end = D(FIRST_YEAR, 1, 1), D(LAST_YEAR, 12, 31)
    c = elapsed_working_days(start, end)
    s = c.summary
    assert c.days + s.holidays + s.weekends == (end - start).days  # every day is worked or rested
    assert (c.days, s) == (5744, DaySummary(holidays=620, weekends=2036, makeup_workdays=150))


@pytest.mark.parametrize(
    ("start", "end"),
    [(D(FIRST_YEAR - 1, 12, 31), D(2010, 6, 1)), (D(2010, 6, 1), D(LAST_YEAR + 1, 1, 1))],
)
def test_a_long_span_leaving_the_calendar_is_undecidable(start, end):
    outside = start if start.year < FIRST_YEAR else end
    c = elapsed_working_days(start, end)
    assert (c.decidable, c.days, c.counted, c.notes, c.summary) == (False, None, (), (), None)
    assert c.reason == f"{outside.isoformat()} 超出节假日日历已知范围（{FIRST_YEAR}–{LAST_YEAR}年）"
    with pytest.raises(OutOfCalendar) as info:
        is_working_day(outside)
    assert info.value.day == outside


# ------------------------------------------------------------ the summarised evidence


def test_twenty_years_are_summarised():
    c = elapsed_working_days(D(2005, 1, 4), D(2024, 12, 30))
    assert describe(c) == (
        "受理次日起计 4994 个工作日（计入 2005-01-05 至 2024-12-30 间的工作日；"
        "法定节假日 535 天、休息日 1771 天、调休上班日 133 天："
        "2005-02-05、02-06 春节调休上班，2005-02-09 春节 … 2024-10-06、10-07 国庆节，2024-10-12 国庆节调休上班；"
        f"日历：{PACKAGE}、{SHIPPED.format(2024)}）"
    )
    assert c.days == reference_days(D(2005, 1, 4), D(2024, 12, 30))


def test_from_a_holiday_to_a_holiday_is_summarised():
    c = elapsed_working_days(D(2008, 10, 1), D(2019, 2, 5))
    assert describe(c) == (
        "受理次日起计 2585 个工作日（计入 2008-10-06 至 2019-02-03 间的工作日；"
        "法定节假日 267 天、休息日 927 天、调休上班日 68 天："
        "2008-10-02、10-03、10-04 国庆节 … 2019-02-03 春节调休上班，2019-02-04、02-05 春节；"
        f"日历：{PACKAGE}）"
    )


def test_an_item_open_since_2004_beyond_the_calendar_is_summarised_too():
    c = working_days_known(D(2004, 3, 1), D(LAST_YEAR + 1, 3, 1))
    assert c.through == D(LAST_YEAR, 12, 31)
    assert c.days == reference_days(D(2004, 3, 1), D(LAST_YEAR, 12, 31)) == 5705
    assert (len(c.counted), len(c.notes)) == (2 * EDGE_DAYS, 2 * EDGE_DAYS)
    assert describe(c) == (
        "受理次日起至 2026-12-31（日历已知的最后一日）计 5705 个工作日，实际不少于此数"
        "（计入 2004-03-02 至 2026-12-31 间的工作日；法定节假日 613 天、休息日 2022 天、调休上班日 148 天："
        "2004-05-01、05-02、05-03 劳动节 … 2026-10-06、10-07 国庆节，2026-10-10 国庆节调休上班；"
        f"{ALL_SOURCES}）；2027-03-01 超出节假日日历已知范围（2004–2026年）"
    )


def test_at_the_threshold_the_text_reads_as_before():
    # 60 days: every day kept, the current wording (runs of special days named, weekends counted)
    at = elapsed_working_days(D(2024, 9, 1), D(2024, 9, 1) + ONE * SUMMARY_SPAN_DAYS)
    assert at.summary is None and at.days == len(at.counted) == reference_days(at.start, at.end) == 40
    assert describe(at) == (
        "受理次日起计 40 个工作日（计入 2024-09-02 至 2024-10-31 间的工作日；2024-09-14 中秋节调休上班，"
        "2024-09-15至09-17 中秋节，2024-09-29 国庆节调休上班，2024-10-01至10-07 国庆节，2024-10-12 国庆节调休上班，"
        f"休息日 10 天；日历：{SHIPPED.format(2024)}）"
    )
    # one day more: summarised
    over = elapsed_working_days(D(2024, 9, 1), D(2024, 11, 1))
    assert over.summary == DaySummary(holidays=10, weekends=10, makeup_workdays=3)
    assert describe(over) == (
        "受理次日起计 41 个工作日（计入 2024-09-02 至 2024-11-01 间的工作日；"
        "法定节假日 10 天、休息日 10 天、调休上班日 3 天："
        "2024-09-14 中秋节调休上班，2024-09-15、09-16 中秋节 … 2024-10-06、10-07 国庆节，2024-10-12 国庆节调休上班；"
        f"日历：{SHIPPED.format(2024)}）"
    )


def test_a_long_span_with_few_special_days_lists_them_all():
    few = elapsed_working_days(D(2024, 6, 1), D(2024, 8, 5))
    assert few.notes == (DayNote(D(2024, 6, 10), HOLIDAY, "端午节"),)
    assert describe(few) == (
        "受理次日起计 45 个工作日（计入 2024-06-03 至 2024-08-05 间的工作日；法定节假日 1 天、休息日 19 天："
        f"2024-06-10 端午节；日历：{SHIPPED.format(2024)}）"
    )
    none = elapsed_working_days(D(2024, 7, 1), D(2024, 9, 2))
    assert describe(none) == (
        "受理次日起计 45 个工作日（计入 2024-07-02 至 2024-09-02 间的工作日；休息日 18 天；"
        f"日历：{SHIPPED.format(2024)}）"
    )


# ------------------------------------------------------------ the index


def test_many_long_spans_are_counted_without_walking_their_days():
    # 3,000 different spans of about twenty years: day by day that is 22 million days (minutes); indexed, a moment
    base_start, base_end = D(2004, 1, 2), D(2026, 12, 30)
    sampled = []
    for i in range(3000):
        start, end = base_start + ONE * (i % 1000), base_end - ONE * (i // 3)  # 17 to 23 years
        c = elapsed_working_days(start, end)
        assert c.days > 4000 and len(c.counted) == len(c.notes) == 2 * EDGE_DAYS
        if i % 600 == 0:
            sampled.append((start, end, c.days))
    assert [days for *_, days in sampled] == [reference_days(start, end) for start, end, _ in sampled]


def test_the_index_follows_a_calendar_file_added_later(tmp_path):
    # a user's 2026 without the make-up Saturday 05-09: a span over it counts one day less
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("5月9日（周六）上班。", "")
    mine = load_calendar_file(write(tmp_path / "2026.yaml", to_yaml(import_notice(text, "n.txt"))))
    calendar = build()
    use_calendar(calendar)
    try:
        start, end = D(2010, 3, 1), D(2026, 6, 30)
        shipped = elapsed_working_days(start, end).days
        assert shipped == reference_days(start, end)
        calendar.add(mine)
        use_calendar(calendar)  # as a run does once its files are read (the day cache is cleared)
        changed = elapsed_working_days(start, end)
        assert changed.days == shipped - 1 == reference_days(start, end)
        assert changed.sources[-1] == f"{mine.source.title}（用户日历文件）"
    finally:
        use_calendar(None)


def test_a_calendar_travels_to_a_worker_without_its_index():
    calendar = build()
    before = calendar.index().block(2005, 2024)
    copy = pickle.loads(pickle.dumps(calendar))
    assert copy == calendar and copy._index is None
    assert copy.index().block(2005, 2024).work == before.work


@pytest.mark.parametrize("year", [FIRST_YEAR, 2008, 2015, 2020, 2023])
def test_the_package_is_read_as_the_library_reads_it(year):
    from chinese_calendar import get_holiday_detail

    for d in span(D(year - 1, 12, 31), D(year, 12, 31)):
        resting, raw = get_holiday_detail(d)
        working, kind, _name = package_day(d)
        assert working is not resting, d
        assert (kind in (HOLIDAY, MAKEUP_WORKDAY)) == (raw is not None), d
