"""Reading the State Council's holiday notice: the 2024–2026 notices give the package's calendar exactly."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from checker.domains.approvals.calendars import Calendar, load_calendar_file, package_day, shipped_files
from checker.domains.approvals.notice import NoticeError, import_notice, to_yaml

NOTICES = Path(__file__).resolve().parent / "notices"


def _notice(name: str) -> str:
    return (NOTICES / name).read_text(encoding="utf-8")


def _differences(calendar, year: int) -> list:
    """Days the calendar decides otherwise than the package: worked or not, and the holiday's name."""
    combined = Calendar()
    combined.add(calendar)
    out, day = [], date(year, 1, 1)
    while day.year == year:
        mine, theirs = combined.classify(day), package_day(day)
        named_apart = mine[1] in ("holiday", "makeup_workday") and theirs[2] and theirs[2] not in mine[2].split("、")
        if mine[0] != theirs[0] or named_apart or (mine[1] == "holiday") != bool(theirs[1] == "holiday" and theirs[2]):
            out.append((day, mine, theirs))
        day += timedelta(days=1)
    return out


@pytest.mark.parametrize(
    ("name", "year"), [("2024.txt", 2024), ("2025.txt", 2025), ("2026.txt", 2026), ("2026-web.txt", 2026)]
)
def test_an_imported_notice_is_the_packages_year_day_by_day(name, year):
    calendar = import_notice(_notice(name), name)
    assert calendar.year == year
    assert _differences(calendar, year) == []


def test_what_a_notice_says_is_read_exactly():
    c2026 = import_notice(_notice("2026.txt"), "2026.txt")
    assert [(h.name, h.start, h.end) for h in c2026.holidays][:2] == [
        ("元旦", date(2026, 1, 1), date(2026, 1, 3)),
        ("春节", date(2026, 2, 15), date(2026, 2, 23)),
    ]
    assert c2026.makeup[:3] == ((date(2026, 1, 4), "元旦"), (date(2026, 2, 14), "春节"), (date(2026, 2, 28), "春节"))
    assert (c2026.source.title, c2026.source.number, c2026.source.issued) == (
        "国务院办公厅关于2026年部分节假日安排的通知",
        None,
        date(2025, 11, 4),
    )
    c2025 = import_notice(_notice("2025.txt"), "2025.txt")
    assert c2025.source.number == "国办发明电〔2024〕12号"
    assert [(h.name, len(h.days())) for h in c2025.holidays if "中秋节" in h.names] == [("国庆节、中秋节", 8)]
    assert next((h.name, h.start) for h in c2025.holidays) == ("元旦", date(2025, 1, 1))  # 放假1天，不调休
    c2024 = import_notice(_notice("2024.txt"), "2024.txt")  # no weekdays for the ranges; 除夕（2月9日）休息 is advice
    assert [(h.name, h.start, h.end) for h in c2024.holidays][4] == ("端午节", date(2024, 6, 10), date(2024, 6, 10))
    assert date(2024, 2, 9) not in {d for h in c2024.holidays for d in h.days()}


def test_the_shipped_files_are_the_notices_imported():
    shipped = {path.stem: load_calendar_file(path, origin="shipped") for path in shipped_files()}
    assert sorted(shipped) == ["2024", "2025", "2026"]
    for year, calendar in shipped.items():
        imported = import_notice(_notice(f"{year}.txt"), f"{year}.txt")
        assert (calendar.holidays, calendar.makeup) == (imported.holidays, imported.makeup)
        assert calendar.source.title == imported.source.title


def test_the_calendar_file_text_loads_back_to_the_same_year(tmp_path):
    calendar = import_notice(_notice("2027-fixture.txt"), "2027-fixture.txt")
    path = tmp_path / "2027.yaml"
    path.write_text(to_yaml(calendar), encoding="utf-8")
    again = load_calendar_file(path)
    assert (again.year, again.holidays, again.makeup) == (2027, calendar.holidays, calendar.makeup)
    assert again.source.issued == date(2026, 11, 20)


def _broken(original: str, new: str) -> str:
    text = _notice("2026.txt")
    assert original in text
    return text.replace(original, new)


@pytest.mark.parametrize(
    ("original", "new", "line", "message"),
    [
        ("4月4日（周六）至6日（周一）", "4月4日（周日）至6日（周一）", 11, "4月4日写作周日，但 2026-04-04 是周六"),
        (
            "至7日（周三）放假调休，共7天",
            "至7日（周三）放假调休，共8天",
            19,
            "国庆节：写明共8天，但 2026-10-01 至 2026-10-07 是 7 天",
        ),
        ("5月9日（周六）上班", "5月8日（周五）上班", 13, "5月8日（周五）上班：调休上班日应为周末"),
        ("国务院办公厅关于2026年部分节假日安排的通知", "关于部分节假日安排的通知", None, "找不到通知标题"),
        (
            "五、端午节：6月19日（周五）至21日（周日）放假，共3天。",
            "五、端午节：另行通知。",
            15,
            "端午节：读不出放假日期",
        ),
        ("六、中秋节", "六、国庆节", 19, "国庆节出现了两次（第17行与第19行）"),
        ("5月1日（周五）至5日（周二）", "5月1日（周五）至5月32日（周二）", 13, "日期不存在"),
    ],
)
def test_a_notice_that_does_not_add_up_is_a_one_line_error_naming_the_line(original, new, line, message):
    with pytest.raises(NoticeError) as info:
        import_notice(_broken(original, new), "n.txt")
    assert info.value.location.line == line
    assert message in info.value.message
    assert info.value.one_line().startswith("n.txt" + (f":{line}" if line else ""))


def test_a_notice_that_misses_a_holiday_says_which():
    text = _notice("2026.txt").replace("五、端午节：6月19日（周五）至21日（周日）放假，共3天。", "")
    with pytest.raises(NoticeError, match="通知中没有端午节的安排"):
        import_notice(text, "n.txt")
