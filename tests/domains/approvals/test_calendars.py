"""Calendar files: validated on load, used in order (a user's, a shipped one, the package), and named in findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.domains.approvals.calendars import CalendarFileError, load_calendar_file
from checker.domains.approvals.notice import import_notice, to_yaml
from tests.conftest import write

NOTICES = Path(__file__).resolve().parent / "notices"
GOOD = """
year: 2027
source: {title: 国务院办公厅关于2027年部分节假日安排的通知, date: 2026-11-20}
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03, days: 3}
  - {name: 春节, from: 2027-02-05, to: 2027-02-12, days: 8}
  - {name: 清明节, from: 2027-04-03, to: 2027-04-05}
  - {name: 劳动节, from: 2027-05-01, to: 2027-05-05}
  - {name: 端午节, from: 2027-06-09}
  - {name: 中秋节, from: 2027-09-15}
  - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}
makeup_workdays:
  - {date: 2027-01-31, holiday: 春节}
  - 2027-02-20
"""


def _calendar_2027(tmp_path) -> Path:
    calendar = import_notice((NOTICES / "2027-fixture.txt").read_text(encoding="utf-8"), "2027-fixture.txt")
    return write(tmp_path / "2027.yaml", to_yaml(calendar))


def test_a_good_file_loads(tmp_path):
    calendar = load_calendar_file(write(tmp_path / "c.yaml", GOOD))
    assert calendar.year == 2027 and len(calendar.holidays) == 7
    assert [d.isoformat() for d in calendar.makeup_dates()] == ["2027-01-31", "2027-02-20"]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("to: 2027-01-03, days: 3", "to: 2027-01-03, days: 4"), 4, "写明共 4 天，但 2027-01-01 至 2027-01-03 是 3 天"),
        (("  - 2027-02-20", "  - 2027-02-22"), 11, "2027-02-22 是周一，调休上班日应为周六或周日"),
        (
            ("{name: 中秋节, from: 2027-09-15}", "{name: 中秋节, from: 2027-10-02}"),
            10,
            "第7项（国庆节）与 中秋节 的日期重叠",
        ),
        (
            ("{name: 端午节, from: 2027-06-09}", "{name: 端午节, from: 2028-06-09}"),
            8,
            "从 2028-06-09 开始，不在 2027 年内",
        ),
        (("  - {name: 中秋节, from: 2027-09-15}\n", ""), 3, "缺少中秋节"),
        (("{name: 端午节, from: 2027-06-09}", "{name: 元旦, from: 2027-06-09}"), 8, "元旦出现了两次（第1项与第5项）"),
        (("{name: 端午节, from: 2027-06-09}", "{name: 端午, from: 2027-06-09}"), 8, "的 name 应为"),
        (("year: 2027", "year: 2027\nnotes: x"), 2, "未知的键“notes”"),
        (("  - 2027-02-20", "  - 2027-02-06"), 11, "在放假日期之内"),
    ],
)
def test_a_file_that_does_not_hold_is_one_line_naming_file_line_and_field(tmp_path, change, line, message):
    path = write(tmp_path / "bad.yaml", GOOD.replace(*change))
    with pytest.raises(CalendarFileError) as info:
        load_calendar_file(path)
    assert message in info.value.message
    assert info.value.location.line == line, info.value.one_line()
    assert info.value.one_line().startswith(f"{path}:{line} ")


def test_a_bad_calendar_file_stops_the_run_with_exit_2(cli, tmp_path):
    path = write(tmp_path / "bad.yaml", GOOD.replace("days: 3", "days: 4"))
    approvals = write(
        tmp_path / "a.csv", "编号,事项名称,受理日期,办结日期\nX1,建筑工程施工许可证核发,2027-01-04,2027-01-05\n"
    )
    result = cli("approvals", approvals, "--calendar", path, "--as-of", "2027-03-01", "--no-config")
    assert result.code == 2 and result.err.count("\n") == 1
    assert result.err.startswith(f"checker: 输入错误 {path}:4 字段 holidays: ") or (
        result.err.startswith(f"checker: {path}:4 字段 holidays: ") and "[INPUT-CALENDAR]" in result.err
    )


EXPORT_2027 = """编号,事项名称,受理日期,办结日期
X1,建筑工程施工许可证核发,2027-02-04,2027-02-15
X2,建筑工程施工许可证核发,2027-01-29,2027-02-01
X3,建筑工程施工许可证核发,2027-09-30,2027-10-09
"""


def _verdicts(cli, *args) -> dict:
    doc = cli(*args, "--format", "json", "--no-config").json()
    return {a["record_id"]: (a["verdict"], a["working_days"]) for a in doc["approvals"]}, doc


def test_a_2027_export_is_decided_with_an_imported_notice_and_undecidable_without(cli, tmp_path):
    export = write(tmp_path / "a.csv", EXPORT_2027)
    without, _ = _verdicts(cli, "approvals", export, "--as-of", "2027-12-01")
    assert set(without.values()) == {("无法判定", None)}
    calendar = _calendar_2027(tmp_path)
    with_it, doc = _verdicts(cli, "approvals", export, "--as-of", "2027-12-01", "--calendar", calendar)
    # 02-04 (Thu) -> 02-15 (Mon): 02-05..12 春节, 13/14 weekend: 1 day; 01-29 (Fri) -> 02-01 (Mon): 1 day
    # (01-31 is a make-up Sunday: 2 days); 09-30 (Thu) -> 10-09 (Sat, make-up): 09-30..10-07 off, 10-08 Fri, 10-09
    assert with_it == {"X1": ("一日内办结", 1), "X2": ("超过一个工作日", 2), "X3": ("超过一个工作日", 2)}
    x2 = next(a for a in doc["approvals"] if a["record_id"] == "X2")
    assert x2["calendar_sources"] == ["国务院办公厅关于2027年部分节假日安排的通知（用户日历文件）"]
    late = next(f for f in doc["findings"] if f["rule_id"] == "ONE-DAY-LATE" and f["record_id"] == "X2")
    assert "2027-01-31 春节调休上班" in late["evidence"]
    assert "日历：国务院办公厅关于2027年部分节假日安排的通知（用户日历文件）" in late["evidence"]


def test_calendars_in_the_configuration_are_relative_to_it(cli, tmp_path, monkeypatch):
    calendar = _calendar_2027(tmp_path / "cal")
    write(tmp_path / "checker.toml", 'calendars = ["cal/2027.yaml"]\n')
    export = write(tmp_path / "a.csv", EXPORT_2027)
    monkeypatch.chdir(tmp_path / "cal")  # found by walking up; the path is the file's, not the working directory's
    result = cli("approvals", export, "--as-of", "2027-12-01", "--format", "json")
    assert calendar.is_file() and result.code in (0, 1)
    assert {a["verdict"] for a in result.json()["approvals"]} == {"一日内办结", "超过一个工作日"}


def test_a_user_file_that_differs_from_the_package_wins_and_says_so_once(cli, tmp_path):
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("5月9日（周六）上班。", "")
    calendar = write(tmp_path / "2026.yaml", to_yaml(import_notice(text, "n.txt")))
    export = write(
        tmp_path / "a.csv",
        "编号,事项名称,受理日期,办结日期\nX1,建筑工程施工许可证核发,2026-05-08,2026-05-11\n"
        "X2,建筑工程施工许可证核发,2026-05-07,2026-05-11\n",
    )
    shipped, _ = _verdicts(cli, "approvals", export, "--as-of", "2026-06-01")
    assert shipped == {"X1": ("超过一个工作日", 2), "X2": ("超过一个工作日", 3)}  # 05-09 (Sat) is worked
    mine, doc = _verdicts(cli, "approvals", export, "--as-of", "2026-06-01", "--calendar", calendar)
    assert mine == {"X1": ("一日内办结", 1), "X2": ("超过一个工作日", 2)}
    notes = [f for f in doc["findings"] if f["rule_id"] == "CALENDAR-DIFFERS"]
    assert [(n["source"], n["severity"], n["category"]) for n in notes] == [(str(calendar), "info", "calendar")]
    assert "有 1 天不同（2026-05-09）" in notes[0]["message"]


def test_the_end_of_the_calendar_is_announced_within_60_days(cli, tmp_path):
    export = write(
        tmp_path / "a.csv", "编号,事项名称,受理日期,办结日期\nX1,建筑工程施工许可证核发,2026-05-08,2026-05-11\n"
    )

    def ending(*extra):
        doc = cli("approvals", export, "--format", "json", "--no-config", *extra).json()
        return [f["message"] for f in doc["findings"] if f["rule_id"] == "CALENDAR-ENDING"]

    assert ending("--as-of", "2026-12-01") == [
        "工作日日历只到 2026-12-31（距基准日 2026-12-01 还有 30 天）；此后的日期无法判定工作日"
    ]
    assert ending("--as-of", "2026-10-31") == []  # 61 days before
    assert ending("--as-of", "2026-12-01", "--calendar", _calendar_2027(tmp_path)) == []
    lint = cli("lint", write(tmp_path / "n.txt", "各股室：\n认真落实。\n"), "--as-of", "2026-12-01", "--format", "json")
    assert not [f for f in lint.json()["findings"] if f["category"] == "calendar"]  # no working days counted


def test_explain_counts_with_the_calendar_files_too(cli, tmp_path):
    export = write(tmp_path / "a.csv", EXPORT_2027)
    args = ("explain", "ONE-DAY-LATE", export, "--as-of", "2027-12-01", "--format", "json", "--no-config")
    fired = lambda result: [s["record_id"] for s in result.json()["subjects"] if s["fired"]]  # noqa: E731
    assert fired(cli(*args)) == []
    assert fired(cli(*args, "--calendar", _calendar_2027(tmp_path))) == ["X2", "X3"]


def test_calendar_show_prints_the_documented_json(cli, tmp_path):
    result = cli("calendar", "show", "2026", "--format", "json", "--no-config")
    assert result.code == 0
    data = result.json()
    assert list(data) == ["year", "source", "holidays", "makeup_workdays"]
    assert data["source"] == "国务院办公厅关于2026年部分节假日安排的通知（checker 内置日历文件）"
    assert data["holidays"][:4] == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15"]
    assert len(data["holidays"]) == 33 and data["makeup_workdays"] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
    package = cli("calendar", "show", "2023", "--format", "json", "--no-config").json()
    assert package["source"].startswith("chinesecalendar ") and "2023-01-28" in package["makeup_workdays"]
    unknown = cli("calendar", "show", "2027", "--no-config")
    assert unknown.code == 2 and "日历中没有 2027 年" in unknown.err
    mine = cli("calendar", "show", "2027", "--calendar", _calendar_2027(tmp_path), "--no-color", "--no-config")
    assert (
        mine.code == 0
        and "2027 年工作日日历 · 依据 国务院办公厅关于2027年部分节假日安排的通知（用户日历文件）" in mine.out
    )
    assert "5休" in mine.out and "31班" in mine.out and "春节：2027-02-05 至 2027-02-12" in mine.out


def test_calendar_import_prints_or_writes_the_file(cli, tmp_path):
    notice = NOTICES / "2027-fixture.txt"
    printed = cli("calendar", "import", notice)
    assert printed.code == 0 and printed.out.splitlines()[1:3] == ["year: 2027", "source:"]
    target = tmp_path / "2027.yaml"
    written = cli("calendar", "import", notice, "--output", target)
    assert written.code == 0 and target.read_text(encoding="utf-8") == printed.out
    assert "已写入" in written.err
    bad = write(
        tmp_path / "bad.txt",
        (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("（周六）至6日", "（周日）至6日"),
    )
    failed = cli("calendar", "import", bad)
    assert failed.code == 2 and failed.err.startswith(f"checker: {bad}:11: 4月4日写作周日") and not failed.out


def test_calendar_import_reads_a_docx_and_standard_input(cli, tmp_path, monkeypatch):
    import io

    import docx

    text = (NOTICES / "2027-fixture.txt").read_text(encoding="utf-8")
    expected = cli("calendar", "import", NOTICES / "2027-fixture.txt").out
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "notice.docx")
    assert cli("calendar", "import", tmp_path / "notice.docx").out == expected
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    from_stdin = cli("calendar", "import", "-")
    assert from_stdin.code == 0 and from_stdin.out == expected


def test_each_count_names_the_calendar_that_decided_it(cli, tmp_path):
    import chinese_calendar

    export = write(
        tmp_path / "a.csv",
        "编号,事项名称,受理日期,办结日期\nX1,建筑工程施工许可证核发,2023-01-27,2023-01-30\n"
        "X2,建筑工程施工许可证核发,2026-05-08,2026-05-11\n",
    )
    doc = cli("approvals", export, "--as-of", "2026-06-01", "--format", "json", "--no-config").json()
    sources = {a["record_id"]: a["calendar_sources"] for a in doc["approvals"]}
    assert sources == {
        "X1": [f"chinesecalendar {chinese_calendar.__version__}"],
        "X2": ["国务院办公厅关于2026年部分节假日安排的通知（checker 内置日历文件）"],
    }
    # 2023-01-28 (Sat) and 01-29 (Sun) were make-up workdays for 春节, so 01-27 -> 01-30 is three days.
    assert {a["record_id"]: a["working_days"] for a in doc["approvals"]} == {"X1": 3, "X2": 2}


def test_a_user_file_comes_before_the_shipped_file_for_its_year(cli, tmp_path):
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    calendar = write(tmp_path / "2026.yaml", to_yaml(import_notice(text, "2026.txt")))
    export = write(
        tmp_path / "a.csv", "编号,事项名称,受理日期,办结日期\nX1,建筑工程施工许可证核发,2026-05-08,2026-05-11\n"
    )
    doc = cli("approvals", export, "--as-of", "2026-06-01", "--calendar", calendar, "--format", "json").json()
    assert doc["approvals"][0]["calendar_sources"] == ["国务院办公厅关于2026年部分节假日安排的通知（用户日历文件）"]
    assert not [f for f in doc["findings"] if f["rule_id"] == "CALENDAR-DIFFERS"]  # same days: nothing to say


def test_calendar_import_reads_a_notice_published_as_a_pdf(cli, tmp_path):
    """Government sites publish the notice as a web page and often as a PDF: the PDF gives the same calendar."""
    from tests.inputs.test_pdftext import cid_pdf

    notice = NOTICES / "2025.txt"
    lines = [line for line in notice.read_text(encoding="utf-8").split("\n") if line.strip()]
    pages, per_page = [], 20
    for first in range(0, len(lines), per_page):
        # one printed line per paragraph, small enough to fit the page's width
        pages.append([(10, 20 + 12 * i, text, 7) for i, text in enumerate(lines[first : first + per_page])])
    pdf = cid_pdf(tmp_path / "2025.pdf", pages)
    from_pdf = cli("calendar", "import", pdf)
    from_text = cli("calendar", "import", notice)
    assert from_pdf.code == 0, from_pdf.err
    strip = lambda out: [line for line in out.splitlines() if "2025.pdf" not in line and "2025.txt" not in line]  # noqa: E731
    assert strip(from_pdf.out) == strip(from_text.out) and "year: 2025" in from_pdf.out


def test_a_lint_starts_no_calendar_it_never_counts_with(cli, tmp_path, monkeypatch):
    """The configured calendar is the approvals' business: `check` reads it and says how it differs, a lint of a
    notice (documents only) neither reads it nor speaks of it; a calendar file that is broken fails the one, not
    the other."""
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("5月9日（周六）上班。", "")
    write(tmp_path / "cal" / "2026.yaml", to_yaml(import_notice(text, "n.txt")))
    write(tmp_path / "checker.toml", 'calendars = ["cal/2026.yaml"]\n')
    notice = write(tmp_path / "n.txt", "关于开展检查的通知\n\n各乡镇人民政府：\n现将有关事项通知如下。\n")
    monkeypatch.chdir(tmp_path)

    def calendar_findings(*args):
        doc = cli(*args, notice, "--format", "json", "--as-of", "2026-06-01").json()
        return [f["rule_id"] for f in doc["findings"] if f["category"] == "calendar"]

    assert calendar_findings("check") == ["CALENDAR-DIFFERS"]
    assert calendar_findings("lint") == []
    write(tmp_path / "cal" / "2026.yaml", "year: 2026\nholidays: [\n")
    assert cli("check", notice, "--format", "json", "--as-of", "2026-06-01").code == 2
    linted = cli("lint", notice, "--format", "json", "--as-of", "2026-06-01")
    assert linted.code == 0 and [f["category"] for f in linted.json()["findings"]].count("calendar") == 0
