""".xlsx files written by hand to lie: a declared size of the whole grid, cells far apart, shared-string
references to no string.  Reading costs what the cells present cost, and a bad reference is named, never
read as another cell's text."""

from __future__ import annotations

import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from checker.core.errors import CheckerInputError
from checker.inputs.reader import read_records
from checker.records.normalize import normalize

from .builders import AS_OF, write_zip

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
QUOTE = {'"': "&quot;"}  # escape() entities for an attribute value


def text(ref: str, value: str) -> str:
    """An inline-string cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def number(ref: str, value: object, style: int | None = None) -> str:
    """A number cell, shown in cell style `style` (None: General)."""
    shown = "" if style is None else f' s="{style}"'
    return f'<c r="{ref}"{shown}><v>{value}</v></c>'


def shared(ref: str, index: int) -> str:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def row(line: int, *cells: str) -> str:
    return f'<row r="{line}">{"".join(cells)}</row>'


def xlsx_package(
    path: Path,
    rows: list[str],
    dimension: str | None = None,
    strings: list[str] | None = None,
    formats: tuple[int, ...] | list[int] = (),
    custom_formats: dict[int, str] | None = None,
) -> Path:
    """A minimal workbook of one sheet: `rows` as <row> XML, cell styles 1… showing numbers in `formats`."""
    sheet = (
        f'<worksheet xmlns="{MAIN}">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    numfmts = "".join(
        f'<numFmt numFmtId="{i}" formatCode="{escape(code, QUOTE)}"/>' for i, code in (custom_formats or {}).items()
    )
    xfs = '<xf numFmtId="0"/>' + "".join(f'<xf numFmtId="{f}" applyNumberFormat="1"/>' for f in formats)
    styles = (
        f'<styleSheet xmlns="{MAIN}">'
        + (f'<numFmts count="{len(custom_formats)}">{numfmts}</numFmts>' if custom_formats else "")
        + f'<cellXfs count="{len(formats) + 1}">{xfs}</cellXfs></styleSheet>'
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPES}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{TYPES}.styles+xml"/>'
            + (
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>'
                if strings
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Type="{RELS}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
            + (f'<Relationship Id="rId3" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>' if strings else "")
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/styles.xml": styles,
    }
    if strings:
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        parts["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
        )
    members = []
    for name, xml in parts.items():
        data = xml.encode("utf-8")
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)))
    return write_zip(path, members)


def read(path: Path) -> list[tuple[int | None, dict, list[str]]]:
    """(line, raw values, issue lines) of each record of `path`."""
    out = []
    for raw in read_records(path):
        _record, issues = normalize(raw)
        out.append((raw.line, raw.data, [i.one_line() for i in issues]))
    return out


HEADER = row(1, text("A1", "编号"), text("B1", "项目名称"))


def test_declared_grid_of_every_cell_is_not_read(tmp_path):
    """A1:XFD1048576 declared, five cells present; openpyxl's padded rows took hours (≈ 17 billion cells)."""
    path = xlsx_package(
        tmp_path / "dimension.xlsx",
        [HEADER, row(2, text("A2", "D1"), text("B2", "近处")), row(1048576, text("XFD1048576", "远处的批注"))],
        dimension="A1:XFD1048576",
    )
    assert path.stat().st_size < 5_000
    first, far = read(path)
    assert first == (2, {"id": "D1", "name": "近处"}, [])
    # a row whose only value lies outside the table is still a row: named, with the real row number
    assert far == (
        1048576,
        {},
        [
            f"{path}:1048576 记录 第1048576行 字段 id: 缺少必填字段（编号） [INPUT-MISSING]",
            f"{path}:1048576 记录 第1048576行 字段 name: 缺少必填字段（项目名称） [INPUT-MISSING]",
        ],
    )


@pytest.mark.parametrize("far", [1_000_000, 2_000_000_000])  # a row number no spreadsheet has: still no loop to it
def test_rows_far_apart_give_no_rows_between(tmp_path, far):
    path = xlsx_package(
        tmp_path / "far-rows.xlsx",
        [
            HEADER,
            row(2, text("A2", "N1"), text("B2", "第二行")),
            row(far, text(f"A{far}", "N2"), text(f"B{far}", "远行")),
        ],
    )
    records = [(line, data) for line, data, _ in read(path)]
    assert records == [(2, {"id": "N1", "name": "第二行"}), (far, {"id": "N2", "name": "远行"})]


def test_a_field_column_at_xfd_costs_no_more_than_one_at_b(tmp_path):
    """Every row has a cell in the last column: openpyxl laid out 16,384 cells a row (3,000 rows: ≈ 49 million)."""
    rows = [row(1, text("A1", "编号"), text("XFD1", "项目名称"))]
    rows += [row(i, text(f"A{i}", f"X{i}"), text(f"XFD{i}", f"项目{i}")) for i in range(2, 3002)]
    path = xlsx_package(tmp_path / "last-column.xlsx", rows)
    records = [(raw.line, raw.data) for raw in read_records(path)]
    assert len(records) == 3000
    assert records[0] == (2, {"id": "X2", "name": "项目2"})
    assert records[-1] == (3001, {"id": "X3001", "name": "项目3001"})


def test_unknown_and_blank_header_columns_far_right(tmp_path):
    """Columns of no field anywhere in the row: the notice names them, their cells are not values."""
    rows = [
        row(1, text("A1", "编号"), text("B1", "项目名称"), text("XFC1", "  "), text("XFD1", "经办人")),
        row(2, text("A2", "U1"), text("B2", "甲"), text("XFC2", "无表头"), text("XFD2", "张三")),
        row(3, text("XFD3", "只有经办人")),
    ]
    path = xlsx_package(tmp_path / "unknown-far.xlsx", rows)
    notices = []
    raws = list(read_records(path, notices))
    assert [(r.line, r.data) for r in raws] == [(2, {"id": "U1", "name": "甲"}), (3, {})]
    assert [(n.message, n.code) for n in notices] == [("已忽略未识别的列：经办人", "INPUT-UNKNOWN-COLUMN")]


def test_header_far_down_and_right(tmp_path):
    rows = [row(500_000, text("XFC500000", "编号"), text("XFD500000", "项目名称"))]
    rows.append(row(500_001, text("XFC500001", "R1"), text("XFD500001", "右下角")))
    path = xlsx_package(tmp_path / "corner.xlsx", rows, dimension="A1:XFD1048576")
    assert [(line, data) for line, data, _ in read(path)] == [(500_001, {"id": "R1", "name": "右下角"})]


STRINGS = ["编号", "项目名称", "S1", "甲项目", "S2", "乙项目"]


@pytest.mark.parametrize("index", [-1, -6, 6, 10**20])
def test_shared_string_reference_to_no_string_is_named(tmp_path, index):
    """-1 was read as the last string of the table (Python indexing), another cell's text."""
    rows = [
        row(1, shared("A1", 0), shared("B1", 1)),
        row(2, shared("A2", 2), shared("B2", 3)),
        row(3, shared("A3", 4), shared("B3", index)),
        row(4, shared("A4", 4), shared("B4", 5)),
    ]
    path = xlsx_package(tmp_path / "strings.xlsx", rows, strings=STRINGS)
    got = []
    with pytest.raises(CheckerInputError) as caught:
        for raw in read_records(path):
            got.append(raw.data)
    assert got == [{"id": "S1", "name": "甲项目"}]  # the rows before it are read
    assert caught.value.one_line() == (
        f"{path}:3: 单元格 B3 引用的共享字符串（第 {index} 项）不存在（共 6 项）：文件已损坏，此处及以后的内容未检查"
        " [INPUT-FORMAT]"
    )


def test_shared_string_reference_to_no_string_through_the_command_line(tmp_path, cli):
    rows = [row(1, shared("A1", 0), shared("B1", 1)), row(2, shared("A2", 2), shared("B2", -1))]
    path = xlsx_package(tmp_path / "strings.xlsx", rows, strings=STRINGS)
    result = cli("check", path, "--format", "json", "--as-of", AS_OF)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"checker: 输入错误 {path}:2: 单元格 B2 引用的共享字符串（第 -1 项）不存在（共 6 项）：文件已损坏，"
        "此处及以后的内容未检查 [INPUT-FORMAT]"
    ]
    assert "乙项目" not in result.out and "乙项目" not in result.err


def test_shared_strings_read_as_written(tmp_path):
    rows = [row(1, shared("A1", 0), shared("B1", 1)), row(2, shared("A2", 4), shared("B2", 5))]
    path = xlsx_package(tmp_path / "strings.xlsx", rows, strings=STRINGS)
    assert [(line, data) for line, data, _ in read(path)] == [(2, {"id": "S2", "name": "乙项目"})]


def test_long_date_cell_is_quoted_short(tmp_path):
    """A 200,000-character cell in a date column: the error line quotes 60 characters of it."""
    rows = [
        row(1, text("A1", "编号"), text("B1", "项目名称"), text("C1", "竣工验收日期")),
        row(2, text("A2", "L1"), text("B2", "长日期"), text("C2", "2" * 200_000)),
    ]
    path = xlsx_package(tmp_path / "long-date.xlsx", rows)
    [(line, _data, [issue])] = read(path)
    assert line == 2
    assert issue == (
        f"{path}:2 记录 L1 字段 completion_acceptance_date: 竣工验收日期：无法识别的日期“{'2' * 60}…”"
        "（可写 2024-05-31、2024/5/31、2024年5月31日） [INPUT-VALUE]"
    )
    assert len(issue) - len(str(path)) < 300


def test_rows_out_of_order_are_all_read(tmp_path):
    """openpyxl's rows silently dropped a row numbered below the one before it (row 3 after row 5)."""
    rows = [HEADER, row(5, text("A5", "O5"), text("B5", "五")), row(3, text("A3", "O3"), text("B3", "三"))]
    path = xlsx_package(tmp_path / "order.xlsx", rows)
    assert [(line, data) for line, data, _ in read(path)] == [
        (5, {"id": "O5", "name": "五"}),
        (3, {"id": "O3", "name": "三"}),
    ]


def test_a_huge_number_is_quoted_short_in_its_error(tmp_path, cli):
    """An area of 200,000 digits used to be echoed whole in `数值过大：…`."""
    path = tmp_path / "big.csv"
    path.write_text("id,name,floor_area_m2\nA,某项目,1000000000000000." + "0" * 200_000 + "\n", encoding="utf-8")
    result = cli("check", path)
    assert result.code == 2
    [line] = [line for line in result.err.splitlines() if "big.csv" in line]
    assert "数值过大：1000000000000000.000…" in line and len(line) < 300, line[:400]
