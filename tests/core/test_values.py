from datetime import date

import pytest

from checker.core.values import (
    date_key,
    format_number,
    parse_area,
    parse_date,
    parse_number,
    parse_percent,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (12000, 12000.0),
        ("12000㎡", 12000.0),
        ("1.2万平方米", 12000.0),
        ("2万m²", 20000.0),
        ("2万m2", 20000.0),
        ("１２０００", 12000.0),
        ("1,200.5", 1200.5),
        ("25000 平方米", 25000.0),
        ("3.5万", 35000.0),
    ],
)
def test_area_forms(text, expected):
    assert parse_area(text) == expected


@pytest.mark.parametrize("bad", ["abc", "1.2万亩", "nan", "inf", "1..2", "", "12,00"])
def test_area_rejects(bad):
    with pytest.raises(ValueError):
        parse_area(bad)


def test_number_rejects_nan_inf_and_bool():
    for bad in (float("nan"), float("inf"), True):
        with pytest.raises(ValueError):
            parse_number(bad)


@pytest.mark.parametrize("text, expected", [("30%", 30.0), ("30", 30.0), (30, 30.0), ("３０％", 30.0), ("0.3", 0.3)])
def test_percent_forms(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-31",
        "2024/5/31",
        "2024年5月31日",
        "2024.5.31",
        "20240531",
        "二〇二四年五月三十一日",
        date(2024, 5, 31),
        20240531,  # a number is a date only written YYYYMMDD, never a spreadsheet serial day (45443)
        "2024-05-31 00:00:00",
    ],
)
def test_date_forms(text):
    assert parse_date(text) == date(2024, 5, 31)


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ("2023-02-30", "不存在"),
        ("24-5-31", "四位"),
        ("明天", "无法识别"),
        ("2024年13月1日", "不存在"),
        (45443, "八位日期"),
    ],
)
def test_date_rejects(bad, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_date(bad)


def test_date_key_orders_like_dates():
    assert date_key(date(2023, 12, 31)) == 20231231
    assert date_key(date(2023, 12, 31)) < date_key(date(2024, 1, 1))


def test_format_number():
    assert format_number(2000000.0) == "2,000,000"
    assert format_number(12345.5) == "12,345.5"


def test_fast_paths_give_what_the_general_path_gives():
    """Plain cells take shortcuts in the parsers; each must equal the general path's result or error."""
    import checker.core.values as values
    from checker.records.fields import SCHEMAS
    from checker.records.normalize import _convert, _convert_slow

    cells = [
        "12000",
        "0012000",
        "12000.5",
        "53",
        "53%",
        "53.25%",
        "%",
        "5%%",
        "100",
        "0",
        "0.3",
        "1e5",
        "１２０００",
        "2024-05-31",
        "2024-02-30",
        "1899-12-31",
        "2024-13-01",
        "商住",
        "商住建筑",
        "社会投资",
        " 商住",
        "SOCIAL",
        "social",
        "项目名称",
        " 名称 ",
        "a\x1bb",
        "é",
        "é",
        "测绘；施工许可",
        "是",
        "否",
        "true",
        "",
    ]
    checked = 0
    for schema in SCHEMAS.values():
        for spec in schema.fields:
            if spec.derived:
                continue
            for cell in cells:
                try:
                    fast = _convert(spec, cell)
                except ValueError as exc:
                    fast = ("error", str(exc))
                try:
                    slow = _convert_slow(spec, cell)
                except ValueError as exc:
                    slow = ("error", str(exc))
                assert fast == slow and type(fast[0]) is type(slow[0]), (spec.name, cell)
                checked += 1
    assert checked > 200
    # a leading space skips every shortcut (they match only plain text) and is stripped by the general path
    for parse in (values.parse_number, values.parse_area, values.parse_percent, values.parse_date):
        for cell in [c for c in cells if not c.startswith(" ")]:
            results = []
            for text in (cell, " " + cell):
                try:
                    results.append(parse(text))
                except ValueError as exc:
                    results.append(str(exc).replace("“ ", "“").replace("“  ", "“"))
            assert results[0] == results[1] and type(results[0]) is type(results[1]), (parse.__name__, cell)
    assert values.parse_area("12000") == 12000.0 and values.parse_percent("53%") == 53.0
