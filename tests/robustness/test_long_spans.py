"""Approval rows spanning decades, end to end: counts exact, reports small.

An item open since 2004 used to list every one of its ~5,700 working days and ~750 special days in the JSON
report (over 120 KB a row) and in memory; the report now keeps counts per kind and the first and last days.
"""

from __future__ import annotations

from datetime import date, timedelta

from checker.domains.approvals.calendars import package_source
from checker.domains.approvals.workdays import HOLIDAY, MAKEUP_WORKDAY, WEEKEND, active_calendar, is_working_day
from tests.conftest import write

AS_OF = date(2026, 11, 30)
EXPORT = (
    "编号,事项名称,受理日期,办结日期\n"
    "L1,建筑工程施工许可证核发,2005-01-04,2024-12-30\n"
    "L2,建筑工程施工许可证核发,2004-01-02,\n"
    "L3,建筑工程施工许可证核发,2004-02-10,\n"
    "S1,建筑工程施工许可证核发,2024-06-07,2024-06-11\n"
)
# listing every day of L2 alone takes ~5,700 × 14 bytes of counted days; all four rows summarised need far less
MAX_REPORT_BYTES = 24_000


def days_of(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]


def reference(start: date, end: date) -> tuple[list[str], dict]:
    """Day by day: the counted days (start not counted) and the days of each kind."""
    days = days_of(start, end)
    kinds = [active_calendar().classify(d)[1] for d in days]
    counted = [d.isoformat() for d in days if is_working_day(d)]
    return counted, {
        "holiday": kinds.count(HOLIDAY),
        "weekend": kinds.count(WEEKEND),
        "makeup": kinds.count(MAKEUP_WORKDAY),
    }


def test_decades_long_rows_are_counted_exactly_and_reported_briefly(cli, tmp_path):
    export = write(tmp_path / "long.csv", EXPORT)
    result = cli("approvals", export, "--as-of", AS_OF.isoformat(), "--format", "json", "--no-config")
    assert result.code == 1 and result.err == ""
    assert len(result.out.encode("utf-8")) < MAX_REPORT_BYTES
    rows = {a["record_id"]: a for a in result.json()["approvals"]}

    for row_id, start, end in (
        ("L1", date(2005, 1, 4), date(2024, 12, 30)),
        ("L2", date(2004, 1, 2), AS_OF),
        ("L3", date(2004, 2, 10), AS_OF),
    ):
        counted, kinds = reference(start, end)
        row = rows[row_id]
        assert (row["working_days"], row["decidable"]) == (len(counted), True)
        assert row["counted_days"] == counted[:3] + counted[-3:]
        assert row["days_summary"] == {
            "holiday": kinds["holiday"],
            "weekend": kinds["weekend"],
            "makeup_workday": kinds["makeup"],
            "listed_each_end": 3,
        }
        assert len(row["special_days"]) == 6
    assert rows["L2"]["verdict"] == "逾期未办结" and rows["L1"]["verdict"] == "超过一个工作日"

    # an ordinary row is reported as before: every day, no summary
    short = rows["S1"]
    assert (short["working_days"], short["counted_days"]) == (1, ["2024-06-11"])
    assert short["special_days"] == [{"date": "2024-06-10", "kind": "holiday", "name": "端午节"}]
    assert "days_summary" not in short

    (overdue,) = [
        f for f in result.json()["findings"] if f["rule_id"] == "ONE-DAY-OPEN-OVERDUE" and f["record_id"] == "L2"
    ]
    shipped = "、".join(
        f"国务院办公厅关于{y}年部分节假日安排的通知（checker 内置日历文件）" for y in (2024, 2025, 2026)
    )
    assert overdue["evidence"] == (
        "受理 2004-01-02，截至 2026-11-30 未办结：受理次日起计 5720 个工作日（计入 2004-01-05 至 2026-11-30 间的工作日；"
        "法定节假日 620 天、休息日 2028 天、调休上班日 150 天："
        "2004-01-17、01-18 春节调休上班，2004-01-22 春节 … 2026-10-06、10-07 国庆节，2026-10-10 国庆节调休上班；"
        f"日历：{package_source().title}、{shipped}）；事项名称 = 建筑工程施工许可证核发；已用工作日 = 5,720 个工作日"
    )
    assert rows["L2"]["working_days"] == 5720


def test_the_text_report_of_decades_long_rows_stays_small(cli, tmp_path):
    export = write(tmp_path / "long.csv", EXPORT)
    result = cli("approvals", export, "--as-of", AS_OF.isoformat(), "--no-config", "--explain")
    assert result.code == 1
    assert len(result.out.encode("utf-8")) < MAX_REPORT_BYTES
    assert max(len(line) for line in result.out.splitlines()) < 600
    assert "法定节假日 620 天、休息日 2028 天、调休上班日 150 天" in result.out


def test_two_processes_report_the_same_long_rows(cli, tmp_path):
    first = write(tmp_path / "a.csv", EXPORT)
    second = write(tmp_path / "b.csv", EXPORT.replace("L", "M"))
    args = ("approvals", first, second, "--as-of", AS_OF.isoformat(), "--format", "json", "--no-config")
    alone, shared = cli(*args, "--jobs", "1"), cli(*args, "--jobs", "2")
    assert alone.out == shared.out and alone.code == shared.code == 1
    assert len(shared.out.encode("utf-8")) < 2 * MAX_REPORT_BYTES
