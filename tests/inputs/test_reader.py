"""Record files: formats, aliases, positions, and every bad-input case a reader must name."""

from datetime import date

import pytest
from openpyxl import Workbook

from checker.inputs.reader import read_records
from checker.records.normalize import normalize
from tests.conftest import EXAMPLES, write


def records(path):
    out = []
    for raw in read_records(path):
        record, issues = normalize(raw)
        out.append((raw, record, issues))
    return out


def test_yaml_projects_list_with_aliases_and_lines(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        """
        projects:
          - id: A1
            项目名称: 甲项目
            建筑类别: 商住
            investment: 社会投资
            建筑面积: 1.2万平方米
            装配率: 30%
            施工许可日期: 2024年5月31日
          - id: A2
            name: 乙项目
            category: public
            floor_area_m2: 12000
            completion_acceptance_date: 2023/6/30
        """,
    )
    (raw1, p1, i1), (raw2, p2, i2) = records(path)
    assert (raw1.line, raw2.line) == (2, 9)
    assert p1.name == "甲项目" and p1.category == "commercial_residential" and p1.investment == "social"
    assert p1.floor_area_m2 == 12000 and p1.prefab_rate_pct == 30 and p1.permit_date == date(2024, 5, 31)
    assert p2.completion_acceptance_date == date(2023, 6, 30) and p2.investment is None
    assert i1 == [] and i2 == []


def test_single_record_with_kind(tmp_path):
    path = write(
        tmp_path / "one.yml",
        """
        kind: project
        id: S1
        name: 单条
        """,
    )
    [(raw, record, _issues)] = records(path)
    assert record.id == "S1" and raw.line == 1


def test_json_records_get_lines(tmp_path):
    path = write(
        tmp_path / "p.json",
        """
        {"projects": [
          {"id": "J1", "name": "一"},
          {"id": "J2",
           "name": "二", "floor_area_m2": "2万m²"}
        ]}
        """,
    )
    rows = records(path)
    assert [r.line for r, _, _ in rows] == [2, 3]
    assert rows[1][1].floor_area_m2 == 20000


def test_csv_and_xlsx_examples_agree():
    csv_rows = records(EXAMPLES / "ledger.csv")
    xlsx_rows = records(EXAMPLES / "ledger.xlsx")
    assert len(csv_rows) == len(xlsx_rows) == 16
    for (_, a, _), (_, b, _) in zip(csv_rows, xlsx_rows):
        assert {k: v for k, v in a.values().items() if k != "source"} == {
            k: v for k, v in b.values().items() if k != "source"
        }
    assert [r.line for r, _, _ in csv_rows][:3] == [2, 3, 4]


def test_xlsx_percent_cell_is_read_as_percent(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "项目名称", "装配率", "竣工验收日期"])
    sheet.append(["X1", "百分比格式", 0.35, 45473])
    sheet["C2"].number_format = "0%"
    sheet["D2"].number_format = "yyyy-mm-dd"  # a serial day is a date only in a cell formatted as one
    book.save(tmp_path / "t.xlsx")
    [(raw, record, issues)] = records(tmp_path / "t.xlsx")
    assert record.prefab_rate_pct == 35 and issues == []
    assert record.completion_acceptance_date == date(2024, 6, 30)  # spreadsheet serial date
    assert raw.line == 2


def test_csv_gbk_and_semicolon(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("编号;项目名称;建筑面积\nG1;国标编码项目;1,200.5\n".encode("gbk"))
    [(_raw, record, _issues)] = records(path)
    assert record.name == "国标编码项目" and record.floor_area_m2 == 1200.5


def test_rate_fraction_is_accepted_with_warning(tmp_path):
    path = write(tmp_path / "f.csv", "编号,项目名称,装配率\nF1,小数装配率,0.3\n")
    [(_raw, record, issues)] = records(path)
    assert record.prefab_rate_pct == 0.3
    [issue] = issues
    assert (issue.severity, issue.code, issue.location.line, issue.location.field) == (
        "warning",
        "INPUT-RATE-FRACTION",
        2,
        "prefab_rate_pct",
    )
    assert "30%" in issue.message


@pytest.mark.parametrize(
    "row, field, fragment",
    [
        ("B1,,商住,100", "name", "缺少必填字段"),
        ("B1,名称,别墅,100", "category", "未知的建筑类别“别墅”"),
        ("B1,名称,商住,-100", "floor_area_m2", "应大于 0"),
        ("B1,名称,商住,abc", "floor_area_m2", "无法识别的面积"),
    ],
)
def test_bad_values_name_file_row_and_field(tmp_path, row, field, fragment):
    path = write(tmp_path / "bad.csv", f"编号,项目名称,建筑类别,建筑面积\n{row}\n")
    [(_raw, record, issues)] = records(path)
    assert record is None
    [issue] = issues
    assert issue.severity == "error" and issue.location.field == field and issue.location.line == 2
    assert fragment in issue.message
    assert issue.one_line().startswith(f"{path}:2 记录 B1 字段 {field}:")


def test_rate_over_100_and_bad_date(tmp_path):
    path = write(
        tmp_path / "bad.yaml",
        """
        projects:
          - id: R1
            name: 超百
            prefab_rate_pct: 130
            permit_date: 2023-02-30x
        """,
    )
    [(_raw, record, issues)] = records(path)
    assert record is None
    assert [(i.location.field, i.location.line) for i in issues] == [("prefab_rate_pct", 4), ("permit_date", 5)]
    assert "不能大于 100%" in issues[0].message and "无法识别的日期" in issues[1].message


def test_cli_bad_records_exit_2_and_good_records_still_checked(tmp_path, cli):
    path = write(
        tmp_path / "mixed.csv",
        """
        编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期
        G1,好项目,商住,社会投资,25000,35%,2023-06-30
        B1,坏面积,商住,社会投资,-5,35%,2023-06-30
        G2,好项目二,公共建筑,社会投资,10000,30%,2023-12-31
        B2,坏日期,商住,社会投资,25000,35%,2023-13-01
        """,
    )
    result = cli("subsidy", path, "--format", "json")
    assert result.code == 2
    err_lines = result.err.strip().splitlines()
    assert err_lines == [
        f"checker: 输入错误 {path}:3 记录 B1 字段 floor_area_m2: 建筑面积：建筑面积应大于 0，实际为 -5m² [INPUT-VALUE]",
        f"checker: 输入错误 {path}:5 记录 B2 字段 completion_acceptance_date: 竣工验收日期：日期不存在“2023-13-01” [INPUT-VALUE]",
    ]
    doc = result.json()
    assert [(s["record_id"], s["amount_yuan"]) for s in doc["subsidies"]] == [("G1", 500000), ("G2", 200000)]
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("broken.yaml", "projects:\n  - id: [unclosed\n", "YAML 格式错误"),
        ("broken.json", '{"projects": [{"id": "x",}]}', "JSON 格式错误"),
        ("empty.yaml", "", "文件为空"),
        ("nolist.yaml", "things: []\n", "找不到记录列表"),
        ("noheader.csv", "\n\n", "找不到表头"),
        ("nocols.csv", "甲,乙\n1,2\n", "没有可识别的列名"),
        ("missingcol.csv", "编号,建筑面积\n1,2\n", "缺少必填列：项目名称"),
        ("dupcol.csv", "编号,项目名称,面积,建筑面积\n1,x,2,3\n", "重复"),
        ("alias.yaml", "a: &x [1]\nprojects: *x\n", "别名"),
    ],
)
def test_malformed_files_one_line_exit_2(tmp_path, cli, name, content, fragment):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = cli("check", path)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"checker: 输入错误 {path}") and fragment in line
    assert "Traceback" not in result.err


def test_not_a_zip_xlsx(tmp_path, cli):
    path = tmp_path / "fake.xlsx"
    path.write_text("编号,项目名称\n", encoding="utf-8")
    result = cli("check", path)
    assert result.code == 2 and "不是有效的 .xlsx 文件" in result.err


def test_missing_file_is_an_input_error(tmp_path, cli):
    result = cli("check", tmp_path / "nope.csv")
    assert result.code == 2 and "文件不存在" in result.err


def test_duplicate_ids_in_one_file(tmp_path, cli):
    path = write(tmp_path / "dup.csv", "编号,项目名称\nD1,一\nD1,二\n")
    result = cli("check", path, "--format", "json")
    assert result.code == 2
    assert "编号重复（与 第2行 相同）" in result.err and f"{path}:3" in result.err


def test_normalized_records_hold_their_fields_kinds_and_pickle_by_kind():
    """Records are plain classes: normalize converts each value to its field's kind, and nothing else does;
    worker processes send them back by pickle, which must give an equal record of the same class."""
    import pickle
    from datetime import date

    from checker.inputs.reader import read_records
    from checker.inputs.walk import iter_input_files
    from checker.records.normalize import normalize
    from tests.conftest import EXAMPLES

    python_type = {"text": str, "number": float, "date": date, "enum": str, "bool": bool, "list": list}
    count = 0
    for path in iter_input_files([str(EXAMPLES)], {".csv", ".xlsx", ".yaml", ".json", ".jsonl"}):
        for raw in read_records(path):
            record, _ = normalize(raw)
            if record is None:
                continue
            for spec in record.schema.fields:
                value = getattr(record, spec.name, None) if not spec.derived else None
                assert value is None or isinstance(value, python_type[spec.kind]), (record.id, spec.name, value)
            copy = pickle.loads(pickle.dumps(record))
            assert type(copy) is type(record) and copy == record
            count += 1
    assert count >= 40


def test_duplicates_are_decided_per_kind():
    from checker.run.process import FileState, duplicate_issue

    state = FileState()
    assert duplicate_issue(state, "project", "P1", 2, None) is None
    assert duplicate_issue(state, "approval", "P1", 3, None) is None  # another kind: not a duplicate
    assert duplicate_issue(state, "project", "P01", 4, None) is None
    issue = duplicate_issue(state, "project", "P1", 5, lambda: "loc")
    assert issue.code == "INPUT-DUPLICATE-ID" and "第2行" in issue.message and issue.location == "loc"
    assert duplicate_issue(state, "project", "一个很长的项目编号", -7, None) is None  # not packable: the dict
    assert "第7条" in duplicate_issue(state, "project", "一个很长的项目编号", 9, None).message
