from datetime import date
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.domains.documents.text import cndate
from checker.domains.documents.text.cndate import (
    DateObs,
    Found,
    date_ending_at,
    date_starting_at,
    dates_for_meta,
    find_dates,
    iter_dates,
    parse_cn_date,
)
from checker.domains.documents.text.document_meta import _end_brackets
from checker.domains.documents.text.positions import line_index


@pytest.mark.parametrize(
    "s, expected",
    [
        ("2024年5月31日", date(2024, 5, 31)),
        ("2024年05月31日", date(2024, 5, 31)),
        ("2024-05-31", date(2024, 5, 31)),
        ("2024-5-31", date(2024, 5, 31)),
        ("2024/5/31", date(2024, 5, 31)),
        ("2024.5.31", date(2024, 5, 31)),
        ("二〇二四年五月三十一日", date(2024, 5, 31)),
        ("二〇二四年十二月二十日", date(2024, 12, 20)),
        ("二〇二四年十月一日", date(2024, 10, 1)),
        ("  2024年11月25日 ", date(2024, 11, 25)),
        ("2023-02-30", None),
        ("2023年2月29日", None),
        ("2024年13月1日", None),
        ("2024年5月", None),
        ("24年5月31日", None),
        ("2024年5月31日前", None),
        ("", None),
    ],
)
def test_parse_cn_date(s, expected):
    assert parse_cn_date(s) == expected


def test_find_full_dates_with_styles():
    text = "施工许可2024年05月31日，成文二〇二四年五月三十一日；另见2024-5-31和2023-02-30。"
    found = find_dates(text)
    assert [(d.column, d.raw, d.style, d.precision, d.value, d.has_leading_zero, d.suggested) for d in found] == [
        (5, "2024年05月31日", "arabic_cn", "day", date(2024, 5, 31), True, "2024年5月31日"),
        (19, "二〇二四年五月三十一日", "chinese_numeral", "day", date(2024, 5, 31), False, "2024年5月31日"),
        (33, "2024-5-31", "iso", "day", date(2024, 5, 31), False, "2024年5月31日"),
        (43, "2023-02-30", "iso", "day", None, True, None),
    ]
    invalid = found[-1]
    assert (invalid.year, invalid.month, invalid.day) == (2023, 2, 30)


def test_slash_and_dot_styles():
    found = find_dates("2024/5/31 与 2024.10.15")
    assert [(d.raw, d.style, d.value) for d in found] == [
        ("2024/5/31", "slash", date(2024, 5, 31)),
        ("2024.10.15", "dot", date(2024, 10, 15)),
    ]


def test_year_month_and_year_mentions():
    text = "2023年底前完成；2022年以来；2023年12月；2023年至2025年底"
    found = find_dates(text)
    assert [(d.raw, d.precision, d.year, d.month, d.suggested) for d in found] == [
        ("2023年底", "month", 2023, 12, None),
        ("2022年", "year", 2022, None, None),
        ("2023年12月", "month", 2023, 12, "2023年12月"),
        ("2023年", "year", 2023, None, None),
        ("2025年底", "month", 2025, 12, None),
    ]
    assert found[0].year_end and not found[2].year_end


def test_two_digit_year_is_not_guessed():
    (d,) = find_dates("于24年5月31日开工")
    assert (d.raw, d.two_digit_year, d.year, d.value, d.suggested, d.month, d.day) == (
        "24年5月31日",
        True,
        None,
        None,
        None,
        5,
        31,
    )


def test_positions_across_lines():
    (d,) = find_dates("第一行\n  成文日期：2024年11月25日")
    assert (d.line, d.column, d.end_column) == (2, 8, 19)


@pytest.mark.parametrize(
    "text",
    [
        "工作10年以上",
        "投资1000年",
        "12024年",
        "版本1.2.3",
        "192.168.1.1",
        "GB/T 9704-2012",
        "2023-2025年度",
        "1-6月",
        "5月31日",
    ],
)
def test_no_false_dates(text):
    assert [d.raw for d in find_dates(text) if d.precision != "year"] == []
    assert all(d.raw in ("2025年",) for d in find_dates(text))


# ------------------------------------------------------------------ bounded and lazy reading (issue 19)


def _dates_as_before(text: str) -> list:
    """The scan before: the pattern searched from every point, a date inside a longer number tried again one
    character on."""
    out, pos, idx = [], 0, line_index(text)
    while (m := cndate._DATE.search(text, pos)) is not None:
        if cndate._preceded_by_digit(text, m):
            pos = m.start() + 1
            continue
        found = cndate._date_obs(text, m, idx)
        if found is not None:
            out.append(found)
        pos = m.end()
    return out


DATE_PIECES = [
    "2024",
    "24",
    "1999",
    "年",
    "月",
    "日",
    "1",
    "12",
    "31",
    "０",
    "-",
    "/",
    ".",
    "二〇二四",
    "〇",
    "十",
    "二十",
]
DATE_PIECES += ["三十一", "五", "元", "底", "末", "\n", " ", "甲", "前", "）"]
date_texts = st.lists(st.sampled_from(DATE_PIECES), max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(date_texts)
def test_dates_are_the_scan_from_every_point(text):
    # only the starts 4 (or 2) characters before a 年 or a separator are tried now
    assert find_dates(text) == _dates_as_before(text)


@settings(max_examples=300, deadline=None)
@given(date_texts)
def test_the_date_ending_or_starting_at_each_offset_is_the_whole_scan_s(text):
    found = find_dates(text)
    idx = line_index(text)
    ends = {idx.offset(d.line, d.end_column): d for d in found}
    starts = {idx.offset(d.line, d.column): d for d in found}
    for at in range(len(text) + 1):
        assert date_ending_at(text, at) == ends.get(at)
        assert date_starting_at(text, at) == starts.get(at)


def test_the_first_dates_of_a_line_of_50000_are_those_of_the_whole_reading():
    text = "2024年1月2日" * 5_000 + "二〇二四年五月" * 5_000
    assert find_dates(text, 1_000) == find_dates(text)[:1_000]
    found = list(islice(iter_dates("2024年1月2日" * 200_000), 1_000))  # 1.8 million characters, read 9,000 far
    assert len(found) == 1_000
    assert [(d.column, d.raw) for d in (found[0], found[-1])] == [(1, "2024年1月2日"), (8_992, "2024年1月2日")]


def test_a_million_digits_hold_no_date():
    # every digit was a start the pattern was tried at (half a second); none is 4 characters before a 年 now
    assert find_dates("1" * 1_000_000 + "于2024年3月5日") == [
        DateObs(1, 1_000_002, 1_000_011, "2024年3月5日", date(2024, 3, 5), 2024, 3, 5, "arabic_cn", False, False, "day",
                "2024年3月5日")
    ]  # fmt: skip


def test_a_date_is_read_from_the_last_point_no_date_spans():
    # 2024-12-20年1月2日: the ISO date holds the 20 that would start 20年1月2日 — no date ends at the line's end
    text = "2024-12-20年1月2日"
    assert [d.raw for d in find_dates(text)] == ["2024-12-20"]
    assert date_ending_at(text, len(text)) is None
    # far from any such point, the line is read from its start
    text = "甲\n" + "2024-" * 40 + "2024年1月2日"
    assert date_ending_at(text, len(text)) == find_dates(text)[-1]


def test_the_dates_the_metadata_reads_are_those_ending_a_line_or_in_a_title_s_brackets():
    lines = [
        "关于某事的通知（赣府字〔2010〕37号 2010年3月22日）",
        "各单位：",
        "2024年1月2日" * 10_000,  # ends its line, but it is a line of running text: read, not built 10,000 times
        "2023年5月6日起施行。",
        "新野县人民政府",
        "2025年1月3日 ）",
    ]
    text = "\n".join(lines)
    found = dates_for_meta(text, lines, _end_brackets, 14)
    assert [(d.line, d.column, d.raw) for d in found] == [
        (1, 22, "2010年3月22日"),
        (3, 89_992, "2024年1月2日"),
        (6, 1, "2025年1月3日"),
    ]
    whole = find_dates(text)
    assert all(d in whole for d in found)


def test_found_is_read_only_as_far_as_asked():
    read = []

    def items():
        for i in range(1_000):
            read.append(i)
            yield i

    found = Found(items())
    assert found[3] == 3 and len(read) < 100  # read in steps of 64, not to the end
    assert list(islice(found, 5)) == [0, 1, 2, 3, 4]
    assert bool(found) and found == list(range(1_000)) and len(found) == 1_000 and found[-1] == 999
    assert read == list(range(1_000))  # each read once
    assert not Found(iter(())) and Found([1, 2]) == [1, 2] and Found([1]) != [2]
