from datetime import date

import pytest

from checker.domains.documents.text.cndate import find_dates, parse_cn_date


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
