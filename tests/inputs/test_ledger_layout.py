"""Ledgers as offices keep them: title rows above the header, 合计/小计 rows, notes and signatures below.

None of these rows is a record or an input error; a totals row that does not match the rows it sums is a
warning naming the row, the column and both amounts.
"""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from checker.core.errors import CheckerInputError
from checker.inputs.ranges import split_points
from checker.inputs.reader import read_records
from checker.inputs.tables import HEADER_SEARCH_ROWS, is_notes_row, totals_word
from checker.records.normalize import normalize
from tests.conftest import write

HEADER = "编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期"


def project(i: int, area: object = None) -> str:
    return f"H{i},项目{i},商住,社会投资,{20000 + i if area is None else area},35%,2023-06-30"


def read(path):
    """(records as (line, index, id), issue lines, notices as (code, severity, message))."""
    notices, rows, issues = [], [], []
    for raw in read_records(path, notices):
        rows.append((raw.line, raw.index, raw.data.get("id")))
        issues += [issue.one_line() for issue in normalize(raw)[1]]
    return rows, issues, [(n.code, n.severity, n.message) for n in notices]


def csv_file(tmp_path, lines: list[str], name: str = "ledger.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xlsx_file(tmp_path, rows: list[list], merged: tuple[str, ...] = (), name: str = "ledger.xlsx"):
    """A worksheet of `rows`, with the `merged` cell ranges merged (after all rows are written)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    path = tmp_path / name
    book.save(path)
    return path


# ---------------------------------------------------------------- title rows


def test_xlsx_merged_title_row_above_the_header(tmp_path):
    rows = [
        ["2024年装配式建筑项目台账"],
        ["填报单位：新野县住房和城乡建设局", None, None, None, None, None, "单位：平方米"],
        ["序号", *HEADER.split(","), "备注"],
        [1, "X1", "甲项目", "商住", "社会投资", 25000, "35%", "2023-06-30"],
        [2, "X2", "乙项目", "公共建筑", "社会投资", "1.2万㎡", "40%", "2023-07-01"],
    ]
    path = xlsx_file(tmp_path, rows, merged=("A1:I1",))
    rows, issues, notices = read(path)
    assert rows == [(4, 1, "X1"), (5, 2, "X2")]
    assert issues == []
    assert notices == [
        ("INPUT-HEADER-ROW", "info", "表头取自第3行（其上 2 行为标题，未作为记录）"),
        ("INPUT-UNKNOWN-COLUMN", "info", "已忽略未识别的列：序号、备注"),
    ]


@pytest.mark.parametrize(
    "title", ["2024年装配式建筑项目台账", "2024年台账,,,,,,", '"2024年台账（截至12月31日）",,,', "  ", "台账;;;"]
)
def test_csv_title_line_above_the_header(tmp_path, title):
    path = csv_file(tmp_path, [title, HEADER, project(1), project(2)])
    rows, issues, notices = read(path)
    assert rows == [(3, 1, "H1"), (4, 2, "H2")] and issues == []
    expected = (
        [] if not title.strip() else [("INPUT-HEADER-ROW", "info", "表头取自第2行（其上 1 行为标题，未作为记录）")]
    )
    assert notices == expected


def test_csv_delimiter_is_sniffed_from_the_header_line_not_the_title(tmp_path):
    """A title exported as "2024年台账,,,,,," above a header written with semicolons."""
    lines = [
        "2024年台账,,,,,,",
        "",
        HEADER.replace(",", ";"),
        project(1).replace(",", ";"),
        "H2;乙;商住;社会投资;1,200;35%;",
    ]
    path = csv_file(tmp_path, lines)
    rows, issues, notices = read(path)
    assert rows == [(4, 1, "H1"), (5, 2, "H2")] and issues == []
    assert notices == [("INPUT-HEADER-ROW", "info", "表头取自第3行（其上 1 行为标题，未作为记录）")]
    [_, second] = list(read_records(path))
    assert second.data["floor_area_m2"] == "1,200"  # the comma is inside a cell, not a delimiter


def test_first_row_header_reads_as_before_and_gives_no_notice(tmp_path):
    path = csv_file(tmp_path, [HEADER, project(1)])
    assert read(path) == ([(2, 1, "H1")], [], [])


def test_no_header_in_the_first_rows_is_refused_as_before(tmp_path):
    titles = [f"第{i}行说明文字" for i in range(HEADER_SEARCH_ROWS)]
    path = csv_file(tmp_path, [*titles, HEADER, project(1)])
    with pytest.raises(CheckerInputError) as caught:
        list(read_records(path))
    assert caught.value.one_line() == f"{path}:1: 表头中没有可识别的列名（如 编号、项目名称） [INPUT-NO-HEADER]"
    # one title row fewer: the header is the 20th non-blank row, and is found
    path = csv_file(tmp_path, [*titles[1:], "", HEADER, project(1)])
    rows, _, notices = read(path)
    assert rows == [(22, 1, "H1")]
    assert notices == [("INPUT-HEADER-ROW", "info", "表头取自第21行（其上 19 行为标题，未作为记录）")]


def test_a_partial_first_row_is_refused_with_the_message_it_always_had(tmp_path):
    path = csv_file(tmp_path, ["项目名称,备注", "甲,乙"])
    with pytest.raises(CheckerInputError) as caught:
        list(read_records(path))
    assert caught.value.one_line() == f"{path}:1: 缺少必填列：编号 [INPUT-MISSING-COLUMN]"


def test_a_title_row_naming_a_column_does_not_win(tmp_path):
    """One merged cell that happens to say 项目名称 is not a header (it names one column, the kind needs two)."""
    path = csv_file(tmp_path, ["项目名称", HEADER, project(1)])
    rows, _, notices = read(path)
    assert rows == [(3, 1, "H1")]
    assert notices == [("INPUT-HEADER-ROW", "info", "表头取自第2行（其上 1 行为标题，未作为记录）")]


# ---------------------------------------------------------------- totals rows


def test_matching_totals_row_says_nothing_and_is_no_project(tmp_path):
    lines = [HEADER, project(1, 25000), project(2, "1.5万平方米"), project(3, 12000.5), ",合 计：,,,52000.5,,"]
    rows, issues, notices = read(csv_file(tmp_path, lines))
    assert rows == [(2, 1, "H1"), (3, 2, "H2"), (4, 3, "H3")]
    assert issues == [] and notices == []


def test_totals_rounded_to_the_unit_it_is_written_in(tmp_path):
    lines = [HEADER, project(1, 25000), project(2, 22600), "合计,,,,4.8万㎡,,", "总计,,,,47600.004,,"]
    assert read(csv_file(tmp_path, lines))[2] == []
    lines[-1] = "总计,,,,47600.02,,"  # written to 0.01: 0.02 off is a difference
    assert read(csv_file(tmp_path, lines))[2] == [
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第5行“总计”的建筑面积为 47,600.02 m²，上方 2 个项目之和为 47,600 m²（相差 0.02 m²）",
        )
    ]


def test_totals_row_that_does_not_match(tmp_path):
    lines = [HEADER] + [project(i, 4750) for i in range(1, 11)] + ['合计,,,,"48,000",,']
    rows, issues, notices = read(csv_file(tmp_path, lines))
    assert len(rows) == 10 and issues == []
    assert notices == [
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第12行“合计”的建筑面积为 48,000 m²，上方 10 个项目之和为 47,500 m²（相差 500 m²）",
        )
    ]


def test_subtotals_and_total(tmp_path):
    lines = [
        HEADER,
        project(1, 10000),
        project(2, 20000),
        "小计,,,,30000,,",  # right
        project(3, 5000),
        project(4, 6000),
        "小 计,,,,11500,,",  # 11,000
        project(5, 7000),
        "小计：,,,,7000,,",  # one row, right
        "合计,,,,48000,,",  # 48,000: the 小计 rows are not counted again
    ]
    rows, issues, notices = read(csv_file(tmp_path, lines))
    assert [r[0] for r in rows] == [2, 3, 5, 6, 8] and [r[1] for r in rows] == [1, 2, 3, 4, 5] and issues == []
    assert notices == [
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第7行“小计”的建筑面积为 11,500 m²，上方第5行至第6行 2 个项目之和为 11,000 m²（相差 500 m²）",
        )
    ]
    lines[-1] = "合计,,,,59500,,"
    assert read(csv_file(tmp_path, lines))[2][1:] == [
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第10行“合计”的建筑面积为 59,500 m²，上方 5 个项目之和为 48,000 m²（相差 11,500 m²）",
        )
    ]


def test_totals_row_with_blank_id_and_name_saying_it(tmp_path):
    """The id blank, 项目名称 says 合计; and in a worksheet, 合计 in a 序号 column left of the table's fields."""
    lines = [HEADER, project(1, 1000), project(2, 2000), ",合计,,,3100,,"]
    rows, issues, notices = read(csv_file(tmp_path, lines))
    assert rows == [(2, 1, "H1"), (3, 2, "H2")] and issues == []
    assert notices == [
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第4行“合计”的建筑面积为 3,100 m²，上方 2 个项目之和为 3,000 m²（相差 100 m²）",
        )
    ]
    rows = [
        ["序号", *HEADER.split(",")],
        [1, "X1", "甲", "商住", "社会投资", 1000, "35%", "2023-06-30"],
        [2, "X2", "乙", "商住", "社会投资", 2000, "35%", "2023-06-30"],
        ["合计", None, None, None, None, 3000],
        ["合 计", "X9", None, None, None, 1],  # an id: this row is a project (with errors), not a total
    ]
    path = xlsx_file(tmp_path, rows, merged=("A4:C4",))
    rows, issues, notices = read(path)
    assert rows == [(2, 1, "X1"), (3, 2, "X2"), (5, 3, "X9")]
    assert issues == [f"{path}:5 记录 X9 字段 name: 缺少必填字段（项目名称） [INPUT-MISSING]"]
    assert notices == [("INPUT-UNKNOWN-COLUMN", "info", "已忽略未识别的列：序号")]


def test_totals_unreadable_or_blank_values_are_not_checked(tmp_path):
    base = [HEADER, project(1, 1000), project(2, "约两千"), "合计,,,,9999,,"]
    rows, issues, notices = read(csv_file(tmp_path, base))
    assert len(rows) == 2 and notices == []
    assert issues == [
        f"{tmp_path / 'ledger.csv'}:3 记录 H2 字段 floor_area_m2: 建筑面积：无法识别的面积“约两千”"
        "（可写 12000、12000㎡、1.2万平方米） [INPUT-VALUE]"
    ]
    for lines in (
        [HEADER, project(1, 1000), "H2,乙,商住,社会投资,,35%,2023-06-30", "合计,,,,9999,,"],
        [HEADER, project(1, 1000), "合计,,,,,,"],  # a 合计 row giving only a count elsewhere
        [HEADER, project(1, 1000), "合计,,,,一千多,,"],
        [HEADER, project(1, 1000), "合计,,,,1000,,,多一格"],  # cells shifted: not checked, and no error
    ):
        assert read(csv_file(tmp_path, lines))[2] == [], lines


def test_totals_row_above_the_projects_is_checked_against_the_rows_below(tmp_path):
    lines = [HEADER, "合计,,,,3500,,", project(1, 1000), project(2, 2000)]
    rows, issues, notices = read(csv_file(tmp_path, lines))
    assert rows == [(3, 1, "H1"), (4, 2, "H2")] and issues == []
    assert notices == [
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第2行“合计”的建筑面积为 3,500 m²，下方 2 个项目之和为 3,000 m²（相差 500 m²）",
        )
    ]
    lines[1] = "合计,,,,3000,,"
    assert read(csv_file(tmp_path, lines))[2] == []


def test_totals_words():
    assert [
        totals_word(t) for t in ("合计", " 合 计 ", "合计：", "小计:", "总\u3000计", "总计（万㎡）", "合计金额", 7)
    ] == [
        "合计",
        "合计",
        "合计",
        "小计",
        "总计",
        None,
        None,
        None,
    ]


# ---------------------------------------------------------------- notes below the table


def test_notes_and_signature_rows_below_the_table(tmp_path):
    lines = [
        "2024年装配式建筑项目台账",
        HEADER,
        project(1),
        project(2),
        "",
        "填表说明：1. 建筑面积以施工许可证为准；",
        "2. 装配率按评价标准计算。,,,,,,",
        "H3,这一行在说明之后,商住,社会投资,abc,35%,2023-06-30",
        "制表人：张三,,审核人：李四,,日期：2025年1月5日,,",
    ]
    rows, issues, notices = read(csv_file(tmp_path, lines))
    assert rows == [(3, 1, "H1"), (4, 2, "H2")] and issues == []
    assert notices == [
        ("INPUT-HEADER-ROW", "info", "表头取自第2行（其上 1 行为标题，未作为记录）"),
        (
            "INPUT-NOTES-ROWS",
            "info",
            "第6行起为表格下方的说明或签署（“填表说明：1. 建筑面积以施工许可证为准…”），此行及以下各行未作为记录",
        ),
    ]
    rows = [
        ["序号", *HEADER.split(",")],
        [1, "X1", "甲", "商住", "社会投资", 1000, "35%", "2023-06-30"],
        ["合计", None, None, None, None, 1000],
        ["注：本表由各乡镇填报"],
        ["X2", "在注之后"],
    ]
    path = xlsx_file(tmp_path, rows, merged=("A4:H4",))
    assert read(path) == (
        [(2, 1, "X1")],
        [],
        [
            ("INPUT-UNKNOWN-COLUMN", "info", "已忽略未识别的列：序号"),
            (
                "INPUT-NOTES-ROWS",
                "info",
                "第4行起为表格下方的说明或签署（“注：本表由各乡镇填报”），此行及以下各行未作为记录",
            ),
        ],
    )


def test_notes_words_open_a_notes_row_only_as_labels():
    notes = [
        "填表说明",
        "填表说明1.",
        "注：",
        "注1：本表",
        "备注: 无",
        "制表人 张三",
        "审核人",
        "日期：2025年",
        "以下空白",
    ]
    projects = ["注册中心大楼", "说明书印刷厂", "日期", "制表厂宿舍", "备注栏", "H1", None, 12]
    assert [is_notes_row(t) for t in notes] == [True] * len(notes)
    assert [is_notes_row(t) for t in projects] == [False, False, True, False, False, False, False, False]


def test_a_notes_word_before_any_record_is_not_the_end_of_the_table(tmp_path):
    """说明 right under the header: nothing has been recorded yet, so it is a row (with its own errors)."""
    path = csv_file(tmp_path, [HEADER, "说明：以下为2024年项目,,,,,,", project(1)])
    rows, issues, _ = read(path)
    assert rows == [(2, 1, "说明：以下为2024年项目"), (3, 2, "H1")]
    assert issues == [f"{path}:2 记录 说明：以下为2024年项目 字段 name: 缺少必填字段（项目名称） [INPUT-MISSING]"]


# ---------------------------------------------------------------- ranges (--jobs)


def test_a_csv_with_a_totals_row_is_not_split_but_titles_and_notes_are(tmp_path):
    body = ["2024年台账,,,,,,", HEADER] + [project(i) for i in range(1, 41)]
    plain = csv_file(tmp_path, [*body, "制表人：张三", project(99)], "plain.csv")
    points = split_points(plain, 4)
    assert len(points) == 3 and all(2 <= p.index <= 40 for p in points)
    notices: list = []
    ranged = []
    for start, stop in zip([None, *points], [*points, None]):
        ranged += [(r.line, r.index, r.data) for r in read_records(plain, notices, start, stop)]
    assert ranged == [(r.line, r.index, r.data) for r in read_records(plain)] and len(ranged) == 40
    assert [n.code for n in notices] == ["INPUT-HEADER-ROW", "INPUT-NOTES-ROWS"]  # the last range's own
    totals = csv_file(tmp_path, [*body, "合计,,,,1,,"], "totals.csv")
    assert split_points(totals, 4) == []
    subtotal_first = csv_file(tmp_path, [HEADER, project(1), "小计,,,,20001,,"] + body[2:], "subtotal.csv")
    assert split_points(subtotal_first, 4) == []


# ---------------------------------------------------------------- the command line


def _ledger(tmp_path, rows: int = 6):
    lines = ["2024年装配式建筑项目台账,,,,,,", HEADER]
    lines += [project(i, 20000 + 1000 * i) for i in range(1, rows + 1)]
    lines += [f"合计,,,,{sum(20000 + 1000 * i for i in range(1, rows + 1)) + 7},,", "填表说明：面积以施工许可证为准"]
    return write(tmp_path / "ledger.csv", "\n".join(lines) + "\n")


def test_subsidy_command_counts_projects_without_the_totals_row(cli, tmp_path):
    path = _ledger(tmp_path)
    result = cli("subsidy", path, "--format", "json", "--as-of", "2025-11-25", "--no-config")
    doc = result.json()
    assert result.code == 0 and doc["errors"] == []
    assert [s["record_id"] for s in doc["subsidies"]] == [f"H{i}" for i in range(1, 7)]
    assert doc["summary"]["subsidy"]["projects"] == 6 and doc["summary"]["records_checked"] == 6
    assert [(f["rule_id"], f["severity"], f["message"]) for f in doc["findings"]] == [
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第9行“合计”的建筑面积为 141,007 m²，上方 6 个项目之和为 141,000 m²（相差 7 m²）",
        ),
        ("INPUT-HEADER-ROW", "info", "表头取自第2行（其上 1 行为标题，未作为记录）"),
        (
            "INPUT-NOTES-ROWS",
            "info",
            "第10行起为表格下方的说明或签署（“填表说明：面积以施工许可证为准”），此行及以下各行未作为记录",
        ),
    ]


def test_jobs_give_the_same_json_on_a_ledger_with_a_totals_row(cli, tmp_path, monkeypatch):
    import checker.run.tasks as tasks_module

    monkeypatch.setattr(tasks_module, "CHUNK_MIN_BYTES", 1)
    path = _ledger(tmp_path, 120)
    assert len(tasks_module.plan_tasks([str(path)], 2)) == 1  # read whole by one process
    args = ["subsidy", path, "--format", "json", "--as-of", "2025-11-25", "--no-config"]
    one, two = cli(*args, "--jobs", "1"), cli(*args, "--jobs", "2")
    assert (one.code, one.out, one.err) == (two.code, two.out, two.err)
    doc = json.loads(one.out)
    assert doc["summary"]["subsidy"]["projects"] == 120
    assert [f["rule_id"] for f in doc["findings"]] == ["INPUT-TOTAL-MISMATCH", "INPUT-HEADER-ROW", "INPUT-NOTES-ROWS"]


def test_totals_mismatches_beyond_twenty_are_counted_in_one_notice(tmp_path):
    lines = [HEADER]
    for i in range(1, 26):
        lines += [project(i, 1000), "小计,,,,1001.5,,"]
    lines += ["合计,,,,25000,,", "注：以上为全部项目"]
    notices = read(csv_file(tmp_path, lines))[2]
    assert len(notices) == 22
    assert notices[20] == (
        "INPUT-NOTES-ROWS",
        "info",
        "第53行起为表格下方的说明或签署（“注：以上为全部项目”），此行及以下各行未作为记录",
    )
    assert notices[0] == (
        "INPUT-TOTAL-MISMATCH",
        "warning",
        "第3行“小计”的建筑面积为 1,001.5 m²，上方第2行 1 个项目之和为 1,000 m²（相差 1.5 m²）",
    )
    assert notices[-1] == ("INPUT-TOTAL-MISMATCH", "warning", "另有 5 处合计/小计与其所计各行之和不符，未逐一列出")


def test_a_leading_total_is_checked_when_notes_end_the_table(tmp_path):
    lines = [HEADER, "总计,,,,2500,,", project(1, 1000), project(2, 1000), "制表人：张三", project(3, 500)]
    assert read(csv_file(tmp_path, lines))[2] == [
        ("INPUT-NOTES-ROWS", "info", "第5行起为表格下方的说明或签署（“制表人：张三”），此行及以下各行未作为记录"),
        (
            "INPUT-TOTAL-MISMATCH",
            "warning",
            "第2行“总计”的建筑面积为 2,500 m²，下方 2 个项目之和为 2,000 m²（相差 500 m²）",
        ),
    ]


def test_long_title_rows_are_looked_at_in_linear_time(tmp_path):
    """Each title row is matched against the column names: the bracket pattern tried at each "(" scanned to
    the line's end (a 50,000-character title row took about a minute; these take milliseconds)."""
    lines = ["(" * 50_000, "【" * 50_000 + "】" + "(" * 50_000, "（单位" * 20_000, HEADER, project(1)]
    rows, issues, notices = read(csv_file(tmp_path, lines))
    assert rows == [(5, 1, "H1")] and issues == []
    assert notices == [("INPUT-HEADER-ROW", "info", "表头取自第4行（其上 3 行为标题，未作为记录）")]


def test_header_key_without_noise_is_the_pattern_in_linear_time():
    import random

    from checker.records.fields import _HEADER_NOISE, _without_noise, header_key

    rng = random.Random(7)
    alphabet = list("（(【[）)]】 \n\t\u3000a面积")
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice([10, 300, 900])))
        assert _without_noise(text) == _HEADER_NOISE.sub("", text), repr(text)
    assert header_key("建筑面积（单位：平方米" + "，" * 300 + "）") == "建筑面积"
    assert header_key("(" * 200_000 + "\n" + " 面积 (㎡)") == "(" * 200_000 + "面积"
