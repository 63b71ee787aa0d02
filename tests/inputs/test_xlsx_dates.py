"""What counts as a date: a spreadsheet serial day only in a cell formatted as a date; elsewhere a number is a
date only when written YYYYMMDD (19538 in JSON is not 1953-06-29)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from checker.core.values import parse_date
from checker.inputs.reader import read_records
from checker.records.normalize import normalize
from tests.conftest import write
from tests.robustness.builders import AS_OF
from tests.robustness.test_xlsx_hostile import number, row, text, xlsx_package

HINT = "数字只可写成 20240531 这样的八位日期；表格中的日期请设为日期格式"
FIELD = "completion_acceptance_date"


def read(path):
    out = []
    for raw in read_records(path):
        record, issues = normalize(raw)
        out.append((raw, record, [i.one_line() for i in issues]))
    return out


def ledger(path, cells: list[tuple[object, str | None]], epoch=None):
    """A workbook of one project per cell: its completion date is `value`, shown in `number_format`."""
    book = Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.append(["编号", "项目名称", "竣工验收日期"])
    for i, (value, number_format) in enumerate(cells, start=2):
        sheet.append([f"D{i}", f"项目{i}", value])
        if number_format:
            sheet.cell(i, 3).number_format = number_format
    book.save(path)
    return path


def test_serial_days_are_dates_only_in_date_formatted_cells(tmp_path):
    path = ledger(
        tmp_path / "dates.xlsx",
        [
            (45473, "yyyy-mm-dd"),  # a date-formatted cell: the serial day 2024-06-30
            (45473, 'yyyy"年"m"月"d"日"'),
            (datetime(2024, 5, 31, 9, 30), None),  # openpyxl writes a date format for a datetime
            (20240531, None),  # General, written YYYYMMDD: a date
            (45000, None),  # General: a number, not the day 2023-03-15
            (45000, "0.00"),
        ],
    )
    rows = read(path)
    assert [r.completion_acceptance_date if r else None for _, r, _ in rows] == [
        date(2024, 6, 30),
        date(2024, 6, 30),
        date(2024, 5, 31),
        date(2024, 5, 31),
        None,
        None,
    ]
    assert [issues for _, _, issues in rows[:4]] == [[], [], [], []]
    assert rows[4][2] == [f"{path}:6 记录 D6 字段 {FIELD}: 竣工验收日期：无法识别的日期“45000”（{HINT}） [INPUT-VALUE]"]
    assert rows[5][2] == [f"{path}:7 记录 D7 字段 {FIELD}: 竣工验收日期：无法识别的日期“45000”（{HINT}） [INPUT-VALUE]"]


def test_serial_60_is_the_day_that_never_was(tmp_path):
    """Excel shows serial 60 as 1900-02-29 (Lotus 1-2-3 took 1900 for a leap year): an error, never 02-28 or 03-01."""
    path = ledger(
        tmp_path / "lotus.xlsx", [(59, "yyyy-mm-dd"), (60, "yyyy-mm-dd"), (60.75, "yyyy-mm-dd"), (61, "yyyy-mm-dd")]
    )
    rows = read(path)
    assert [r.completion_acceptance_date if r else None for _, r, _ in rows] == [
        date(1900, 2, 28),
        None,
        None,
        date(1900, 3, 1),
    ]
    assert [issues for _, _, issues in rows] == [
        [],
        [f"{path}:3 记录 D3 字段 {FIELD}: 竣工验收日期：日期不存在“1900-02-29” [INPUT-VALUE]"],
        [f"{path}:4 记录 D4 字段 {FIELD}: 竣工验收日期：日期不存在“1900-02-29” [INPUT-VALUE]"],
        [],
    ]


def test_serial_60_of_the_1904_date_system_is_a_real_day(tmp_path):
    path = ledger(tmp_path / "mac.xlsx", [(60, "yyyy-mm-dd"), (43931, "yyyy-mm-dd")], epoch=CALENDAR_MAC_1904)
    assert [r.completion_acceptance_date for _, r, _ in read(path)] == [date(1904, 3, 1), date(2024, 4, 11)]


def test_date_formatted_serials_that_are_no_date(tmp_path):
    path = ledger(tmp_path / "odd.xlsx", [(3_000_000, "yyyy-mm-dd"), (-5, "yyyy-mm-dd"), (0.5, "yyyy-mm-dd")])
    assert [issues for _, _, issues in read(path)] == [
        [
            f"{path}:2 记录 D2 字段 {FIELD}: 竣工验收日期：无法识别的日期“日期序号 3000000（超出可表示的日期范围）”"
            "（可写 2024-05-31、2024/5/31、2024年5月31日） [INPUT-VALUE]"
        ],
        [
            f"{path}:3 记录 D3 字段 {FIELD}: 竣工验收日期：年份不合理“1899-12-25 00:00:00”（应在 1900–2100 年之间） [INPUT-VALUE]"
        ],
        [f"{path}:4 记录 D4 字段 {FIELD}: 竣工验收日期：无法识别的日期“12:00:00” [INPUT-VALUE]"],
    ]


@pytest.mark.parametrize(
    "format_id, expected",
    [
        (14, date(2024, 6, 30)),  # built-in mm-dd-yy: the short date of every locale
        (31, date(2024, 6, 30)),  # zh-CN built-in yyyy"年"m"月"d"日", written by id alone
        (57, date(2024, 6, 30)),  # zh-CN yyyy"年"m"月"
        (58, date(2024, 6, 30)),  # zh-CN m"月"d"日"
        (0, None),  # General
        (49, None),  # text (@)
    ],
)
def test_built_in_date_formats_without_a_code(tmp_path, format_id, expected):
    """Chinese Excel writes its date formats by id (31, 57, 58), with no format code for openpyxl to read."""
    rows = [
        row(1, text("A1", "编号"), text("B1", "项目名称"), text("C1", "竣工验收日期")),
        row(2, text("A2", "C1"), text("B2", "中文日期"), number("C2", 45473, style=1)),
    ]
    path = xlsx_package(tmp_path / "locale.xlsx", rows, formats=[format_id])
    [(_raw, record, issues)] = read(path)
    if expected:
        assert record.completion_acceptance_date == expected and issues == []
    else:
        assert issues == [f"{path}:2 记录 C1 字段 {FIELD}: 竣工验收日期：无法识别的日期“45473”（{HINT}） [INPUT-VALUE]"]


def test_percent_formats_by_code_and_by_id(tmp_path):
    rows = [
        row(1, text("A1", "编号"), text("B1", "项目名称"), text("C1", "装配率")),
        row(2, text("A2", "P1"), text("B2", "内置"), number("C2", 0.35, style=1)),
        row(3, text("A3", "P2"), text("B3", "自定义"), number("C3", 0.355, style=2)),
        row(4, text("A4", "P3"), text("B4", "常规"), number("C4", 35, style=3)),
        row(5, text("A5", "P4"), text("B5", "无此样式"), number("C5", 40, style=99)),
    ]
    path = xlsx_package(tmp_path / "percent.xlsx", rows, formats=[9, 164, 0], custom_formats={164: "0.0%"})
    assert [(r.prefab_rate_pct, issues) for _, r, issues in read(path)] == [(35, []), (35.5, []), (35, []), (40, [])]


@pytest.mark.parametrize(
    "value, message",
    [
        (19538, f"无法识别的日期“19538”（{HINT}）"),
        (45443, f"无法识别的日期“45443”（{HINT}）"),
        (1, f"无法识别的日期“1”（{HINT}）"),
        (20240531.5, f"无法识别的日期“20240531.5”（{HINT}）"),
        (-20240531, f"无法识别的日期“-20240531”（{HINT}）"),
        (float("inf"), f"无法识别的日期“inf”（{HINT}）"),
        (10**400, f"无法识别的日期“{'1' + '0' * 19}…”（{HINT}）"),
        (20240231, "日期不存在“20240231”"),
        (10000101, "年份不合理“10000101”（应在 1900–2100 年之间）"),
    ],
    ids=["19538", "45443", "1", "fraction", "negative", "inf", "huge", "20240231", "10000101"],
)
def test_numbers_are_dates_only_when_written_yyyymmdd(value, message):
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert str(caught.value) == message


@pytest.mark.parametrize("value", [20240531, 20240531.0, "20240531"])
def test_yyyymmdd_number(value):
    assert parse_date(value) == date(2024, 5, 31)


def test_json_ledger_number_date_is_an_error_for_that_record(tmp_path):
    path = tmp_path / "ledger.json"
    projects = [
        {"id": "J1", "name": "序号日期", "completion_acceptance_date": 19538},
        {"id": "J2", "name": "八位日期", "completion_acceptance_date": 20240531, "permit_date": 20230115},
    ]
    path.write_text(json.dumps({"projects": projects}, ensure_ascii=False, indent=1), encoding="utf-8")
    (raw1, r1, i1), (_raw2, r2, i2) = read(path)
    assert r1 is None
    assert i1 == [
        f"{path}:{raw1.line} 记录 J1 字段 {FIELD}: 竣工验收日期：无法识别的日期“19538”（{HINT}） [INPUT-VALUE]"
    ]
    assert (r2.completion_acceptance_date, r2.permit_date, i2) == (date(2024, 5, 31), date(2023, 1, 15), [])


def test_yaml_approvals_number_date_is_an_error_for_that_record(tmp_path):
    path = write(
        tmp_path / "approvals.yaml",
        """
        approvals:
          - id: A1
            item: 施工许可
            accepted_on: 19538
          - id: A2
            item: 施工许可
            accepted_on: 20240531
            completed_on: 20240612
        """,
    )
    (_, r1, i1), (_, r2, i2) = read(path)
    assert r1 is None
    assert i1 == [f"{path}:4 记录 A1 字段 accepted_on: 受理日期：无法识别的日期“19538”（{HINT}） [INPUT-VALUE]"]
    assert (r2.accepted_on, r2.completed_on, i2) == (date(2024, 5, 31), date(2024, 6, 12), [])


def test_number_date_through_the_command_line(tmp_path, cli):
    """The record with 19538 is reported and not checked (it was 1953-06-29, then found eligible)."""
    path = tmp_path / "ledger.json"
    project = {"category": "商住", "investment": "社会投资", "floor_area_m2": 30000, "prefab_rate_pct": 50}
    projects = [
        {"id": "J1", "name": "序号日期", **project, "completion_acceptance_date": 19538},
        {"id": "J2", "name": "八位日期", **project, "completion_acceptance_date": 20240531},
    ]
    path.write_text(json.dumps({"projects": projects}, ensure_ascii=False), encoding="utf-8")
    result = cli("check", path, "--format", "json", "--as-of", AS_OF)
    assert result.code == 2
    doc = result.json()
    assert doc["errors"] == [
        f"{path}:1 记录 J1 字段 {FIELD}: 竣工验收日期：无法识别的日期“19538”（{HINT}） [INPUT-VALUE]"
    ]
    assert [s["record_id"] for s in doc["subsidies"]] == ["J2"]
