"""Streamed CSV/JSONL reading and record ranges (`split_points`, `read_records(start=, stop=)`).

The reference for CSV is the whole-text path (`read_text` + `_lines`), which is what every CSV went
through before reading was streamed; the reference for ranges is one full read.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.core.errors import CheckerInputError
from checker.core.limits import limits_overridden
from checker.inputs import decode
from checker.inputs.base import RecordBudget, ResumePoint
from checker.inputs.csvfile import csv_rows, sniff_delimiter
from checker.inputs.decode import read_text_file, scan_text_file
from checker.inputs.ranges import split_points
from checker.inputs.reader import read_records
from checker.inputs.tables import table_records
from checker.inputs.textlines import TextLines, iter_lines, read_text

HEADER = "编号,项目名称,建筑类别,投资类型,建筑面积,装配率,施工许可日期,备注,未知列"


def row(i: int, note: str = "") -> str:
    return f"P{i:04d},项目{i}号,住宅,社会投资,{1000 + i},30%,2023-05-{1 + i % 28:02d},{note},x"


def outcome(records_iter, notices=None):
    """(records as comparable tuples, the error that ended the read or None)."""
    out = []
    try:
        for raw in records_iter:
            out.append(
                (
                    raw.source,
                    raw.kind,
                    raw.index,
                    raw.line,
                    raw.data,
                    raw.field_lines,
                    raw.unknown_fields,
                    raw.row_based,
                    raw.problems,
                )
            )
    except CheckerInputError as exc:
        return out, exc.one_line()
    return out, None


def reference_csv(path):
    """What reading a CSV gave before streaming: the whole text, decoded and checked at once."""
    source = str(path)

    def records():
        text = read_text(path)
        end = text.find("\n")
        delimiter = sniff_delimiter(text if end < 0 else text[:end])
        rows = csv_rows(source, iter_lines(text), delimiter)
        yield from table_records(source, rows, notices, RecordBudget(source), csv_width=True)

    notices = []
    return outcome(records()), [(n.code, n.message) for n in notices]


def full(path):
    notices = []
    return outcome(read_records(path, notices)), [(n.code, n.message) for n in notices]


def ranged(path, points):
    """The ranges' records one after the other; reading stops at the first range that raises."""
    bounds = [None, *points, None]
    records, notices = [], []
    for start, stop in zip(bounds, bounds[1:]):
        got, error = outcome(read_records(path, notices, start, stop))
        records.extend(got)
        if error is not None:
            return (records, error), [(n.code, n.message) for n in notices]
    return (records, None), [(n.code, n.message) for n in notices]


def assert_ranges_agree(path, max_parts=12):
    whole = full(path)
    for parts in range(2, max_parts + 1):
        points = split_points(path, parts)
        assert len(points) <= parts - 1
        assert [p.index for p in points] == sorted({p.index for p in points})
        assert all(p.index >= 2 for p in points)
        assert ranged(path, points) == whole, f"{parts} parts: {points}"
    return whole


@pytest.fixture(params=[7, 64 * 1024], ids=["tiny-blocks", "normal-blocks"])
def block(request, monkeypatch):
    """Small read blocks put line breaks, "\\r\\n" pairs and multi-byte characters across block edges."""
    monkeypatch.setattr(TextLines, "_CHUNK", request.param)
    monkeypatch.setattr(decode, "_SCAN_CHUNK", max(request.param, 16))
    return request.param


CSV_BODIES = {
    "plain": "\n".join([HEADER] + [row(i) for i in range(1, 41)]) + "\n",
    "no-final-break": "\n".join([HEADER] + [row(i) for i in range(1, 41)]),
    "crlf": "\r\n".join([HEADER] + [row(i) for i in range(1, 41)]) + "\r\n",
    "mixed-breaks": "".join(
        line + ("\n", "\r\n", "\r")[i % 3] for i, line in enumerate([HEADER] + [row(i) for i in range(1, 41)])
    ),
    "blank-lines": "\n\n"
    + HEADER
    + "\n\n"
    + "\n".join(row(i) if i % 4 else " ,\u3000, ,,," for i in range(1, 41))
    + "\n\n\n",
    "quoted-multiline": HEADER
    + "\n"
    + "\n".join(
        row(i, f'"第{i}行\n续行,带逗号\r\n又一行""引号"""' if i % 5 == 0 else f'"a,b{i}"') for i in range(1, 41)
    )
    + "\n",
    "extra-cells": HEADER + "\n" + "\n".join(row(i) + (",多,余" if i % 7 == 0 else "") for i in range(1, 41)) + "\n",
    "semicolons": (HEADER + "\n" + "\n".join(row(i) for i in range(1, 31))).replace(",", ";") + "\n",
    "unclosed-quote": HEADER + "\n" + "\n".join(row(i) for i in range(1, 31)) + '\nP9,"没有结束引号,x\n' + row(40),
    "text-after-quote": HEADER + "\n" + "\n".join(row(i) for i in range(1, 31)) + '\nP9,"a"b,x\n' + row(40) + "\n",
    "header-only": HEADER + "\n\n",
    "no-header": "\n\n  \n",
    "empty": "",
    "missing-column": "项目名称,备注\n甲,乙\n",
    "long-cell-row": HEADER + "\n" + "\n".join(row(i) for i in range(1, 31)) + "\n" + row(31, "长" * 300) + "\n",
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("name", sorted(CSV_BODIES))
def test_streamed_csv_equals_whole_text_reading_and_ranges_equal_full_read(tmp_path, block, name, encoding):
    body = CSV_BODIES[name]
    if encoding == "gb18030":
        body = body.replace("项目", "项目𠀀")  # a 4-byte character
    path = tmp_path / "ledger.csv"
    path.write_bytes(body.encode(encoding))
    with limits_overridden(max_line_chars=200):
        whole = full(path)
        assert whole == reference_csv(path)
        assert_ranges_agree(path)


def test_ranges_of_a_clean_csv_carry_exact_positions(tmp_path):
    path = tmp_path / "ledger.csv"
    lines = ["", HEADER] + [row(i) if i % 3 else "" for i in range(1, 61)]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    points = split_points(path, 4)
    assert len(points) == 3
    data = path.read_bytes()
    for point in points:
        assert point.encoding == "utf-8" and point.text_start == 3
        assert data[: point.offset].count(b"\r\n") + 1 == point.line  # the record's own line
        assert data[point.offset :].startswith(f"P{point.line - 2:04d},".encode())
        assert point.index == (point.line - 2) - (point.line - 2) // 3  # every third row is blank
    first = list(read_records(path, None, None, points[0]))
    second = list(read_records(path, None, points[0], points[1]))
    assert first[-1].index + 1 == second[0].index == points[0].index
    assert second[0].line == points[0].line and second[0].data["id"] == f"P{points[0].line - 2:04d}"


def test_only_the_first_range_reports_file_notices(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join([HEADER] + [row(i) for i in range(1, 30)]) + "\n", encoding="utf-8")
    [point] = split_points(path, 2)
    head, tail = [], []
    list(read_records(path, head, None, point))
    list(read_records(path, tail, point, None))
    assert [n.code for n in head] == ["INPUT-UNKNOWN-COLUMN"] and tail == []


def test_record_limit_is_counted_from_the_files_start_in_every_range(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join([HEADER] + [row(i) for i in range(1, 41)]) + "\n", encoding="utf-8")
    with limits_overridden(max_records=25):
        whole = full(path)
        assert whole[0][1] is not None and "第 26 条" in whole[0][1] and len(whole[0][0]) == 25
        assert_ranges_agree(path)
        assert all(p.index <= 25 for p in split_points(path, 12))


def test_files_read_whole_or_refused_are_not_split(tmp_path):
    body = "\n".join([HEADER] + [row(i) for i in range(1, 41)]) + "\n"
    cases = {
        "utf16.csv": b"\xff\xfe" + body.encode("utf-16-le"),
        "binary.csv": body.encode() + b"\x00\x01\x02" * 50,
        "damaged.csv": body.encode()[:500] + b"\xff\xfe" + body.encode()[500:],
        "no-header.csv": b"\n\n",
        "notes.yaml": b"projects: []\n",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert split_points(path, 4) == [], name
    assert split_points(tmp_path / "missing.csv", 4) == []
    assert split_points(tmp_path / "utf16.csv", 1) == []


def test_a_long_line_refuses_the_file_before_any_record_as_before(tmp_path, block):
    path = tmp_path / "ledger.csv"
    path.write_text(
        "\n".join([HEADER] + [row(i) for i in range(1, 30)] + ["P99," + "长" * 500]) + "\n", encoding="utf-8"
    )
    with limits_overridden(max_line_chars=300):
        records, error = full(path)[0]
        assert records == [] and error.endswith("行过长（504 个字符，上限 300），未读取此文件 [INPUT-LIMIT]")
        assert error.startswith(f"{path}:31:")


JSONL = (
    "\n".join(
        [
            '{"id": "L1", "name": "好", "floor_area_m2": 100}',
            "",
            '{"id": "L2", "name": "坏"',
            "[1, 2]",
            "   \t",
            '{"kind": "no-such-kind"}',
            '{"id": "L5", "id": "L5b"}',
        ]
        + [f'{{"id": "M{i}", "name": "项目{i}"}}' for i in range(40)]
    )
    + "\n"
)


@pytest.mark.parametrize("variant", ["plain", "bom", "crlf", "cr", "bad-byte", "long-line", "blank"])
def test_jsonl_ranges_equal_full_read(tmp_path, block, variant):
    data = JSONL.encode("utf-8")
    if variant == "bom":
        data = b"\xef\xbb\xbf" + data
    elif variant == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif variant == "cr":
        data = data.replace(b"\n", b"\r")
    elif variant == "bad-byte":
        data = data.replace(b'"M30"', b'"M\xff30"')
    elif variant == "long-line":
        data = data.replace(b'"M25"', b'"' + b"M" * 400 + b'"')
    elif variant == "blank":
        data = b"\n \n\t\n"
    path = tmp_path / "records.jsonl"
    path.write_bytes(data)
    with limits_overridden(max_line_chars=300):
        (records, error), _ = assert_ranges_agree(path)
    if variant == "bad-byte":
        assert error == f"{path}:38: JSONL 文件应为 UTF-8 编码 [INPUT-FILE]"  # the line of the bad byte itself
    elif variant == "long-line":
        assert error.startswith(f"{path}:33: 行过长（超过 300 个字符") and len(records) == 30
    elif variant == "blank":
        assert error.endswith("文件为空（没有任何记录） [INPUT-FORMAT]")
    else:
        assert error is None
        assert [(r[2], r[3]) for r in records][:6] == [(1, 1), (2, 3), (3, 4), (4, 6), (5, 7), (6, 8)]
        assert len(records) == 45


def test_scan_agrees_with_whole_file_decoding(tmp_path, block):
    notice = "新野县人民政府办公室\r\n关于做好2024年度工作的通知\n各乡镇：\r" * 30
    samples = {
        "utf8": notice.encode("utf-8"),
        "utf8-bom": b"\xef\xbb\xbf" + notice.encode("utf-8"),
        "gbk": notice.encode("gbk"),
        "gb18030": ("𠀀" + notice).encode("gb18030"),
        "damaged": notice.encode("utf-8")[:301] + b"\xff" + notice.encode("utf-8")[301:],
        "truncated": notice.encode("utf-8") + "县".encode()[:2],
        "binary": bytes(range(256)) * 4,
        "nul": notice.encode("utf-8") + b"\x00",
        "utf16": b"\xff\xfe" + notice.encode("utf-16-le"),
        "empty": b"",
        "lone-bom": b"\xef\xbb\xbf",
        "half-bom": b"\xef\xbb",
    }
    expected = {
        "utf8": ("utf-8", 0),
        "utf8-bom": ("utf-8", 3),
        "gbk": ("gb18030", 0),
        "gb18030": ("gb18030", 0),
        "empty": ("utf-8", 0),
        "lone-bom": ("utf-8", 3),
    }
    for name, data in samples.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        scan = scan_text_file(path, str(path))
        assert ((scan.encoding, scan.start) if scan else None) == expected.get(name), name
        if scan is not None:
            with path.open("rb") as handle:
                text = "".join(TextLines(handle, str(path), scan.encoding, scan.start))
            assert text == read_text_file(path).text, name


def test_scan_leaves_long_lines_to_the_whole_file_check(tmp_path, block):
    path = tmp_path / "a.csv"
    for text, ok in (
        ("a" * 100 + "\r\n" + "b" * 100, True),
        ("a" * 100 + "\r" + "b" * 101, False),
        ("\n" * 50 + "c" * 101, False),
        ("a" * 101, False),
        ("a" * 100, True),
    ):
        path.write_text(text, encoding="utf-8", newline="")
        with limits_overridden(max_line_chars=100):
            assert (scan_text_file(path, str(path)) is not None) == ok, text[:5]


def test_reading_limit_of_bytes_is_not_allocated_up_front(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert decode.read_limited_bytes(path, str(path)) == b"abc"


# ---------------------------------------------------------------- generated files

_CELL = st.text(alphabet=st.sampled_from(list('ab项目 ,;"\n\r\u3000')), max_size=6)


@st.composite
def csv_files(draw):
    rows = []
    for i in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["row", "row", "row", "blank", "raw"]))
        if kind == "blank":
            rows.append(draw(st.sampled_from(["", " ", ",,", "\u3000,"])))
        elif kind == "raw":
            rows.append(f"P{i}," + draw(_CELL))
        else:
            cells = [f"P{i}", draw(_CELL), draw(_CELL)]
            rows.append(
                ",".join(
                    '"' + c.replace('"', '""') + '"'
                    if draw(st.booleans())
                    else c.replace('"', "").replace(",", "").replace("\n", "").replace("\r", "")
                    for c in cells
                )
            )
    breaks = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(rows) + 1, max_size=len(rows) + 1))
    text = "编号,项目名称,备注" + "".join(b + r for b, r in zip(breaks, rows)) + draw(st.sampled_from(["", "\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
    return text.encode(encoding)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_files(), seed=st.integers(0, 1000))
def test_generated_csv_streams_and_splits_like_one_whole_read(tmp_path_factory, data, seed):
    path = tmp_path_factory.mktemp("gen") / "g.csv"
    path.write_bytes(data)
    chunk = random.Random(seed).choice([3, 5, 64 * 1024])
    old = TextLines._CHUNK
    TextLines._CHUNK = chunk
    try:
        whole = full(path)
        assert whole == reference_csv(path)
        assert_ranges_agree(path, 6)
    finally:
        TextLines._CHUNK = old


def test_resume_point_is_plain_data():
    import pickle

    point = ResumePoint(10, 3, 2, "utf-8", 3)
    assert pickle.loads(pickle.dumps(point)) == point
