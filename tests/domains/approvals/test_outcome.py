"""Approval outcomes: working days, the one-day rules, item types, stage and duration benchmarks."""

from datetime import date, timedelta

import pytest

from checker.domains.approvals.items import item_key
from checker.domains.approvals.workdays import calendar_range
from checker.run.facts import to_fact
from tests.conftest import EXAMPLES, build, write


@pytest.fixture(params=["durable", "python"])
def evaluator(request, durable, python_eval):
    return durable if request.param == "durable" else python_eval


def approval(accepted, completed=None, item="建筑工程施工许可证核发", **extra):
    return build("approval", source="t", id="A", item=item, accepted_on=accepted, completed_on=completed, **extra)


def one_day_hits(book, evaluator, record, as_of=date(2026, 11, 28)):
    pack = next(p for p in book.packs if p.id == "one-day-handling")
    return evaluator.fired(pack, to_fact(record, as_of), record.kind)


@pytest.mark.parametrize(
    "accepted, completed, days",
    [
        (date(2024, 6, 7), date(2024, 6, 11), 1),  # 06-10 端午节
        (date(2024, 9, 30), date(2024, 10, 8), 1),  # 国庆
        (date(2024, 9, 28), date(2024, 9, 29), 1),  # Saturday → Sunday make-up workday
        (date(2024, 2, 9), date(2024, 2, 18), 1),  # Sunday make-up workday after 春节
        (date(2024, 5, 6), date(2024, 5, 9), 3),
        (date(2024, 5, 6), date(2024, 5, 6), 0),  # same day
        (date(2024, 4, 3), date(2024, 4, 8), 2),  # 清明 + Sunday make-up workday 04-07
    ],
)
def test_pinned_working_day_cases(book, evaluator, accepted, completed, days):
    fact = to_fact(approval(accepted, completed))
    assert fact["elapsed_working_days"] == days and fact["calendar_known"] is True and fact["is_open"] is False
    assert ("ONE-DAY-LATE" in one_day_hits(book, evaluator, approval(accepted, completed))) == (days > 1)


def test_open_item_counts_to_as_of(book, evaluator):
    record = approval(date(2024, 5, 6))
    assert to_fact(record, date(2024, 5, 7))["open_working_days"] == 1
    assert one_day_hits(book, evaluator, record, date(2024, 5, 7)) == set()
    assert to_fact(record, date(2024, 5, 9))["open_working_days"] == 3
    assert one_day_hits(book, evaluator, record, date(2024, 5, 9)) == {"ONE-DAY-OPEN-OVERDUE"}


def test_dates_outside_the_calendar_cannot_be_decided(book, evaluator):
    last_year = calendar_range()[1]
    beyond = date(last_year + 1, 3, 2)
    record = approval(beyond, beyond + timedelta(days=1))
    fact = to_fact(record)
    assert fact["calendar_known"] is False and "elapsed_working_days" not in fact
    assert one_day_hits(book, evaluator, record, beyond + timedelta(days=30)) == {"ONE-DAY-UNDECIDABLE"}
    # and an open item whose reference date is beyond the calendar, with too few known days to decide
    assert date(2026, 12, 30).weekday() == 2 and last_year == 2026
    open_record = approval(date(2026, 12, 30))  # (12-30, 12-31]: one known working day
    assert one_day_hits(book, evaluator, open_record, date(2027, 1, 6)) == {"ONE-DAY-UNDECIDABLE"}


def test_an_open_item_is_overdue_once_the_known_days_exceed_the_limit(book, evaluator, cli, tmp_path):
    # accepted Mon 2026-12-28; 12-29, 12-30, 12-31 are working days: over the limit whatever 2027 brings
    record = approval(date(2026, 12, 28))
    fact = to_fact(record, date(2027, 1, 6))
    assert (fact["calendar_known"], fact["open_working_days"]) == (True, 3)
    assert one_day_hits(book, evaluator, record, date(2027, 1, 6)) == {"ONE-DAY-OPEN-OVERDUE"}
    export = write(tmp_path / "a.csv", "编号,事项名称,受理日期,办结日期\nX1,建筑工程施工许可证核发,2026-12-28,\n")
    doc = cli("approvals", export, "--as-of", "2027-01-06", "--format", "json", "--no-config").json()
    (item,) = doc["approvals"]
    assert (item["verdict"], item["working_days"], item["counted_through"]) == ("逾期未办结", 3, "2026-12-31")
    (late,) = [f for f in doc["findings"] if f["rule_id"] == "ONE-DAY-OPEN-OVERDUE"]
    assert late["evidence"].startswith(
        "受理 2026-12-28，截至 2027-01-06 未办结：受理次日起至 2026-12-31（日历已知的最后一日）计 3 个工作日，"
        "实际不少于此数（计入 2026-12-29、12-30、12-31；"
    )
    assert "2027-01-06 超出节假日日历已知范围（2004–2026年）" in late["evidence"]


def test_an_item_accepted_after_the_reference_date_is_a_warning_not_in_progress(cli, tmp_path):
    export = write(
        tmp_path / "a.csv",
        "编号,事项名称,受理日期,办结日期\nX1,建筑工程施工许可证核发,2026-06-10,\n"
        "X2,商品房预售许可,2026-06-03,2026-06-05\nX3,建筑工程施工许可证核发,2026-05-29,\n",
    )
    result = cli("approvals", export, "--as-of", "2026-06-01", "--format", "json", "--no-config")
    doc = result.json()
    verdicts = {a["record_id"]: (a["verdict"], a["working_days"], a["decidable"]) for a in doc["approvals"]}
    assert verdicts == {
        "X1": ("受理日期晚于基准日", None, False),
        "X2": ("不在一日办结范围", 2, True),
        "X3": ("办理中", 1, True),  # 05-29 (Fri) -> 06-01 (Mon)
    }
    x1 = next(a for a in doc["approvals"] if a["record_id"] == "X1")
    assert x1["reason"] == "受理日期 2026-06-10 晚于基准日"
    found = [(f["rule_id"], f["record_id"], f["severity"], f["message"]) for f in doc["findings"]]
    assert found == [
        ("ONE-DAY-AFTER-AS-OF", "X1", "warning", "“建筑工程施工许可证核发”的受理日期 2026-06-10 晚于基准日 9 天"),
        ("ONE-DAY-AFTER-AS-OF", "X2", "warning", "“商品房预售许可”的受理日期 2026-06-03 晚于基准日 2 天"),
    ]
    assert doc["summary"]["approvals"]["undecidable"] == 1 and result.code == 0


def test_a_promise_over_the_limit_points_at_its_longest_row_and_lists_the_others(cli, tmp_path):
    export = write(
        tmp_path / "a.csv",
        "编号,事项名称,受理日期,办结日期,承诺时限\n"
        "X1,建筑工程施工许可证核发（新办）,2024-05-06,2024-05-07,1\n"
        "X2,建筑工程施工许可证核发,2024-05-06,2024-05-07,3\n"
        "X3,建筑工程施工许可证核发（变更）,2024-05-06,2024-05-07,7\n"
        "X4,建筑工程施工许可证核发,2024-05-06,2024-05-07,7\n"
        "X5,商品房预售许可,2024-05-06,2024-05-07,10\n",
    )
    doc = cli("approvals", export, "--as-of", "2024-06-01", "--format", "json", "--no-config").json()
    (promised,) = [f for f in doc["findings"] if f["rule_id"] == "ONE-DAY-PROMISED"]
    # on the first row promising the longest time, named by the item's normalized name
    assert (promised["record_id"], promised["line"]) == ("建筑工程施工许可证核发", 4)
    assert promised["message"] == (
        "“建筑工程施工许可证核发”在系统中的承诺时限最长为 7 个工作日（办件 X3；该事项共 4 件），应为 1 个工作日"
    )
    assert promised["evidence"].startswith(
        "承诺时限超过 1 个工作日的办件 3 件：X2（第3行，3 个工作日）、X3（第4行，7 个工作日）、X4（第5行，7 个工作日）；"
    )


def test_item_scope_ignores_spaces_and_qualifiers(book, evaluator):
    assert item_key(" 建筑工程施工许可证核发（新办） ") == "建筑工程施工许可证核发"
    late = approval(date(2024, 5, 6), date(2024, 5, 9), item="建筑工程施工许可证核发（变更）")
    assert one_day_hits(book, evaluator, late) == {"ONE-DAY-LATE"}
    other = approval(date(2024, 5, 6), date(2024, 5, 20), item="商品房预售许可")
    assert one_day_hits(book, evaluator, other) == set()


def test_completed_before_accepted_is_an_input_error(tmp_path, cli):
    path = write(
        tmp_path / "a.csv",
        """
        编号,事项名称,受理日期,办结日期
        X1,建筑工程施工许可证核发,2024-05-09,2024-05-06
        X2,建筑工程施工许可证核发,2024-05-06,2024-05-07
        X3,建筑工程施工许可证核发,2024-05-06,2024年5月32日
        """,
    )
    result = cli("approvals", path, "--format", "json", "--as-of", "2024-06-01")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"checker: 输入错误 {path}:2 记录 X1 字段 completed_on: 办结日期 2024-05-06 早于受理日期 2024-05-09 [INPUT-DATE-ORDER]",
        f"checker: 输入错误 {path}:4 记录 X3 字段 completed_on: 办结日期：日期不存在“2024年5月32日” [INPUT-VALUE]",
    ]
    assert [a["record_id"] for a in result.json()["approvals"]] == ["X2"]


def test_approvals_example_report(cli):
    result = cli("approvals", EXAMPLES / "approvals.csv", "--as-of", "2026-11-28", "--format", "json")
    assert result.code == 1
    doc = result.json()
    by_id = {a["record_id"]: a for a in doc["approvals"]}
    assert len(by_id) == 30
    expected_days = {
        "A01": 1,
        "A02": 1,
        "A03": 1,
        "A04": 1,
        "A05": 3,
        "A06": 0,
        "A07": 2,
        "A08": 1,
        "A09": 1,
        "A10": 3,
        "A11": 1,
        "A12": 1,
        "A13": 5,
        "A14": 4,
        "A15": 3,
        "A16": 2,
        "A17": 4,
        "A21": 9,
    }
    assert {k: by_id[k]["working_days"] for k in expected_days} == expected_days
    late = sorted(f["record_id"] for f in doc["findings"] if f["rule_id"] == "ONE-DAY-LATE")
    assert late == ["A05", "A07", "A10", "A13", "A14", "A15", "A16"]
    assert [f["record_id"] for f in doc["findings"] if f["rule_id"] == "ONE-DAY-OPEN-OVERDUE"] == ["A17"]
    [promised] = [f for f in doc["findings"] if f["rule_id"] == "ONE-DAY-PROMISED"]
    assert promised["record_id"] == "建筑工程施工许可证核发" and promised["line"] == 14  # the row to change
    assert "最长为 7 个工作日（办件 A13；该事项共 22 件）" in promised["message"]
    assert promised["evidence"].startswith(
        "承诺时限超过 1 个工作日的办件 3 件：A13（第14行，7 个工作日）、A14（第15行，7 个工作日）、A15（第16行，3 个工作日）；"
    )
    assert by_id["A21"]["verdict"] == "不在一日办结范围" and by_id["A21"]["findings"] == []
    assert by_id["A03"]["special_days"] == [{"date": "2024-09-29", "kind": "makeup_workday", "name": "国庆节"}]
    summary = doc["summary"]["approvals"]
    assert (summary["items"], summary["in_scope"], summary["completed_and_decidable"], summary["within_one_day"]) == (
        30,
        22,
        21,
        14,
    )
    assert summary["share_within_one_day"] == round(14 / 21, 4)
    assert summary["worst_item_types"][0] == {
        "item": "建筑工程施工许可证核发",
        "items": 22,
        "over_one_day": 8,
        "max_working_days": 5,
        "in_scope": True,
    }
    a07 = next(f for f in doc["findings"] if f["record_id"] == "A07")
    assert "2024-04-04至04-06 清明节，2024-04-07 清明节调休上班" in a07["evidence"]


def test_csv_and_xlsx_exports_agree(cli):
    csv_doc = cli("approvals", EXAMPLES / "approvals.csv", "--as-of", "2026-11-28", "--format", "json").json()
    xlsx_doc = cli("approvals", EXAMPLES / "approvals.xlsx", "--as-of", "2026-11-28", "--format", "json").json()
    strip = lambda doc: [{k: v for k, v in a.items() if k != "source"} for a in doc["approvals"]]  # noqa: E731
    assert strip(csv_doc) == strip(xlsx_doc)


def test_approvals_text_report(cli):
    out = cli("approvals", EXAMPLES / "approvals.csv", "--as-of", "2026-11-28", "--no-color").out
    assert "error[ONE-DAY-LATE] “建筑工程施工许可证核发”受理后用时 3 个工作日办结，超过 1 个工作日" in out
    assert "已办结且可判定 21 件中一日内办结 14 件（66.7%）" in out
    assert "建筑工程施工许可证核发：8/22 件超过一个工作日，最长 5 个工作日" in out


def project(**values):
    return build("project", source="t", id="P", name="项目", **values)


@pytest.mark.parametrize(
    "values, expected",
    [
        (
            dict(approval_flow_type="general_residential", approval_flow_stages=["a", "b", "c", "d"]),
            {"APPROVAL-STAGES-RESIDENTIAL"},
        ),
        (dict(approval_flow_type="general_residential", approval_flow_stages=["a", "b", "c"]), set()),
        (
            dict(approval_flow_type="general_industrial", approval_flow_stages=["a", "b", "c"]),
            {"APPROVAL-STAGES-INDUSTRIAL"},
        ),
        (dict(approval_flow_type="general_industrial", approval_flow_stages=["a", "b"]), set()),
        (
            dict(approval_flow_type="general_residential", approval_flow_working_days=29),
            {"APPROVAL-DURATION-RESIDENTIAL"},
        ),
        (dict(approval_flow_type="general_residential", approval_flow_working_days=28), set()),
        (
            dict(approval_flow_type="general_industrial", approval_flow_working_days=27),
            {"APPROVAL-DURATION-INDUSTRIAL"},
        ),
        (dict(approval_flow_type="general_industrial", approval_flow_working_days=26), set()),
        (dict(approval_flow_type="other", approval_flow_stages=list("abcdef"), approval_flow_working_days=90), set()),
        (
            dict(
                approval_flow_type="general_residential",
                approval_flow_stages=list("abcd"),
                approval_flow_working_days=31,
            ),
            {"APPROVAL-STAGES-RESIDENTIAL", "APPROVAL-DURATION-RESIDENTIAL"},
        ),
    ],
)
def test_stage_and_duration_benchmarks(book, evaluator, values, expected):
    pack = next(p for p in book.packs if p.id == "approval-benchmark")
    assert evaluator.fired(pack, to_fact(project(**values))) == expected


def test_approval_flow_in_yaml_and_ledger(tmp_path, cli):
    path = write(
        tmp_path / "flows.yaml",
        """
        projects:
          - id: F1
            name: 住宅项目
            approval_flow:
              type: general_residential
              stages: [立项用地规划许可, 工程建设许可, 施工许可, 竣工验收]
              working_days: 31
        """,
    )
    doc = cli("approvals", path, "--format", "json").json()
    assert sorted((f["rule_id"], f["line"]) for f in doc["findings"]) == [
        ("APPROVAL-DURATION-RESIDENTIAL", 2),
        ("APPROVAL-STAGES-RESIDENTIAL", 2),
    ]
    ledger = cli("approvals", EXAMPLES / "ledger.csv", "--format", "json").json()
    got = sorted((f["rule_id"], f["record_id"]) for f in ledger["findings"] if f["category"] != "input")
    assert got == [
        ("APPROVAL-DURATION-RESIDENTIAL", "H1"),
        ("APPROVAL-DURATION-RESIDENTIAL", "H9"),
        ("APPROVAL-STAGES-INDUSTRIAL", "H6"),
        ("APPROVAL-STAGES-RESIDENTIAL", "H1"),
    ]
