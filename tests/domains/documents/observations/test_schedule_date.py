"""进度日期 (schedule_date): the dates a document sets as its schedule are found among those that may be one (a
schedule section's lines, a date before "…前" or after "截止时间："), as reading every date would find them."""

from __future__ import annotations

from datetime import date
from itertools import islice

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.domains.documents.observations import schedule_date
from checker.domains.documents.observations.schedule_date import _schedule_dates, _schedule_sections
from checker.domains.documents.observe import read
from checker.domains.documents.text.positions import in_spans
from checker.inputs.documents import read_document
from checker.records.normalize import normalize


def reading_of(tmp_path, body: str):
    path = tmp_path / "doc.txt"
    path.write_text("关于某事的通知\n各单位：\n" + body + "\n新野县人民政府\n2025年3月5日\n", encoding="utf-8")
    record, _ = normalize(read_document(str(path)))
    reading, _, _ = read(record, date(2026, 1, 1))
    return reading


def _schedule_dates_as_before(reading, own_date):
    """The reading before: every date of the text, each judged."""
    s = schedule_date
    text, sections = reading.text, _schedule_sections(reading.lines)
    for d in reading.dates:
        if own_date is not None and d.line == own_date.line and d.column == own_date.column:
            continue
        start = reading.index.offset(d.line, d.column)
        end = start + len(d.raw)
        if in_spans(start, reading.quotes) or in_spans(start, reading.titles):
            continue
        after = text[end : end + 40]
        if s._SINCE_AFTER.match(after):
            continue
        before = text[max(0, start - 8) : start]
        sentence = s._SENTENCE_END.split(after, 1)[0]
        starts_range, last_day = s._range_end(text, end, d)
        if starts_range:
            continue
        if d.line in sections:
            yield d, True, last_day
        elif (s._DEADLINE_AFTER.match(after) and s._DEADLINE_VERB.search(sentence)) or s._DEADLINE_BEFORE.search(
            before
        ):
            yield d, False, last_day


PIECES = [
    "2024年3月5日",
    "2024年6月",
    "2024年",
    "前完成",
    "之前报送",
    "以前",
    "底前",
    "中旬前上报",
    "截止时间：",
    "完成时间节点：",
]
PIECES += [
    "时间节点为",
    "二、进度安排",
    "（一）",
    "一、总体要求",
    "\n",
    "\n\n",
    "“",
    "”",
    "《",
    "》",
    "以来",
    "～31日",
    "。",
]
PIECES += ["至2025年1月5日", "24年", "2024-5-6", "，", "三、时间安排\n", "检查时间：2017年12月25～31日", "前", "正文"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_schedule_dates_are_those_reading_every_date_finds(tmp_path, body):
    reading = reading_of(tmp_path, body)
    own = reading.own_date
    assert list(_schedule_dates(reading, own)) == list(_schedule_dates_as_before(reading, own))


def test_a_line_of_100000_dates_is_not_read_for_a_schedule(tmp_path):
    reading = reading_of(tmp_path, "2024年1月2日" * 100_000 + "，2024年6月底前完成。")
    found = list(_schedule_dates(reading, reading.own_date))
    assert [(d.line, d.column, d.raw, in_section) for d, in_section, _ in found] == [(3, 900_002, "2024年6月", False)]


def test_the_first_of_20000_deadlines_are_those_of_the_whole_reading(tmp_path):
    reading = reading_of(tmp_path, "于2024年3月5日前完成；" * 20_000)
    first = list(islice(_schedule_dates(reading, reading.own_date), 1_001))
    assert first == list(islice(_schedule_dates_as_before(reading, reading.own_date), 1_001))
    assert len(first) == 1_001 and (first[-1][0].column, first[-1][0].raw) == (14_002, "2024年3月5日")
