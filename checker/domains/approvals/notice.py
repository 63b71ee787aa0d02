"""Reading the State Council's notice (国务院办公厅关于XXXX年部分节假日安排的通知) into a calendar file.

The notice is a 公文 with one numbered line per holiday, e.g.

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

Older notices give no weekday for the range (2024: "2月10日至17日放假调休，共8天"), and web copies often have
half-width punctuation; both are read.  What is read is checked, never guessed: the weekday in brackets must be the
date's, 共N天 must be the range's length, 上班 days must be weekends, the year comes from the title, and all seven
holidays must be there; anything else is a one-line error naming the line.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.domains.approvals.calendars import HOLIDAY_NAMES, YearCalendar, build_calendar

_TITLE = lazy_compile(r"国务院办公厅关于(\d{4})年部分节假日安排的通知")
_NUMBER = lazy_compile(r"国办发(?:明电)?[〔\[［﹝(（](\d{4})[〕\]］﹞)）]\s*(\d+)\s*号")
_SIGNED = lazy_compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")
_ITEM = lazy_compile(r"^\s*[一二三四五六七八九十]+[、.．]\s*(?P<names>[^：:]{1,16})[：:]\s*(?P<rest>.+?)\s*$")
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日"
_BRACKET = r"(?:[（(](?P<{p}b>[^）)]*)[）)])?"
_HOLIDAY = lazy_compile(
    _DATE.format(p="s")
    + _BRACKET.format(p="s")
    + r"(?:\s*至\s*"
    + _DATE.format(p="e")
    + _BRACKET.format(p="e")
    + r")?\s*放假(?P<adjust>调休)?(?:(?P<single>\d+)天)?(?:[，,、]?\s*共\s*(?P<total>\d+)\s*天)?"
)
_ONE = lazy_compile(_DATE.format(p="") + _BRACKET.format(p=""))
_WORK_SENTENCE = lazy_compile(
    r"(?P<days>(?:" + r"(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:[（(][^）)]*[）)])?[、,，和及]?\s*)+)上班"
)
_WEEKDAY = lazy_compile(r"(?:周|星期)([一二三四五六日天])")
_WEEKDAYS = "一二三四五六日"


class NoticeError(CheckerInputError):
    def __init__(self, message: str, source: str, line: int | None = None):
        super().__init__(message, Location(source, line=line), code="INPUT-CALENDAR")


@plain
class _Item:
    line: int
    names: tuple[str, ...]
    start: date
    end: date
    stated: int | None
    makeup: list[date]


def _weekday_ok(day: date, bracket: str | None, source: str, line: int) -> None:
    if not bracket:
        return
    found = _WEEKDAY.search(bracket)
    if found is None:
        return
    said = "日" if found.group(1) == "天" else found.group(1)
    actual = _WEEKDAYS[day.weekday()]
    if said != actual:
        raise NoticeError(f"{day.month}月{day.day}日写作周{said}，但 {day.isoformat()} 是周{actual}", source, line)


def _date_of(
    match: re.Match, prefix: str, year: int, month: int | None, source: str, line: int, after: date | None = None
) -> date:
    y = match.group(f"{prefix}y")
    m = match.group(f"{prefix}m")
    d = int(match.group(f"{prefix}d"))
    month_value = int(m) if m else month
    if month_value is None:
        raise NoticeError("日期缺少月份", source, line)
    year_value = int(y) if y else year
    if not y and after is not None and month_value < after.month:
        year_value = after.year + 1  # 12月31日至1月2日: the end is in the next year
    try:
        return date(year_value, month_value, d)
    except ValueError:
        raise NoticeError(f"日期不存在：{year_value}年{month_value}月{d}日", source, line) from None


def parse_notice(text: str, source: str) -> dict[str, Any]:
    """The calendar-file mapping a notice's text announces; NoticeError (with the line) when it does not add up."""
    lines = text.split("\n")
    title = next(((n, m) for n, line in enumerate(lines, start=1) if (m := _TITLE.search(line))), None)
    if title is None:
        raise NoticeError("找不到通知标题“国务院办公厅关于XXXX年部分节假日安排的通知”，无法确定年份", source)
    year = int(title[1].group(1))
    number = next((m.group(0) for line in lines if (m := _NUMBER.search(line))), None)
    signed = None
    for line in lines:
        m = _SIGNED.match(line)
        if m:
            signed = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    items: list[_Item] = []
    for n, line in enumerate(lines, start=1):
        m = _ITEM.match(line)
        if m is None:
            continue
        names = tuple(part.strip() for part in re.split(r"[、，,]", m.group("names")) if part.strip())
        if not names or not all(name in HOLIDAY_NAMES for name in names):
            continue  # a numbered line that is not a holiday (there is none in the notices, but be careful)
        rest = m.group("rest")
        h = _HOLIDAY.search(rest)
        if h is None:
            raise NoticeError(f"{m.group('names')}：读不出放假日期（应为“X月X日至X日放假……”）", source, n)
        start = _date_of(h, "s", year, None, source, n)
        _weekday_ok(start, h.group("sb"), source, n)
        end = start
        if h.group("ed"):
            end = _date_of(h, "e", start.year, start.month, source, n, after=start)
            _weekday_ok(end, h.group("eb"), source, n)
        if end < start:
            raise NoticeError(f"{m.group('names')}：结束日期 {end} 早于开始日期 {start}", source, n)
        stated = int(h.group("total") or h.group("single")) if (h.group("total") or h.group("single")) else None
        length = (end - start).days + 1
        if stated is not None and stated != length:
            raise NoticeError(
                f"{m.group('names')}：写明共{stated}天，但 {start.isoformat()} 至 {end.isoformat()} 是 {length} 天",
                source,
                n,
            )
        makeup: list[date] = []
        tail = rest[h.end() :]
        work = _WORK_SENTENCE.search(tail)
        if work is not None:
            for one in _ONE.finditer(work.group("days")):
                day = _date_of(one, "", year, start.month if not one.group("m") else None, source, n)
                _weekday_ok(day, one.group("b"), source, n)
                if day.weekday() < 5:
                    raise NoticeError(
                        f"{day.month}月{day.day}日（周{_WEEKDAYS[day.weekday()]}）上班：调休上班日应为周末", source, n
                    )
                makeup.append(day)
        items.append(_Item(n, names, start, end, stated, makeup))
    if not items:
        raise NoticeError("找不到放假安排（应为“一、元旦：……放假……”这样的编号行）", source)
    seen: dict[str, int] = {}
    for item in items:
        for name in item.names:
            if name in seen:
                raise NoticeError(f"{name}出现了两次（第{seen[name]}行与第{item.line}行）", source, item.line)
            seen[name] = item.line
    missing = [name for name in HOLIDAY_NAMES if name not in seen]
    if missing:
        raise NoticeError(f"通知中没有{'、'.join(missing)}的安排（应有全部七个节日）", source)
    src: dict[str, Any] = {"title": f"国务院办公厅关于{year}年部分节假日安排的通知"}
    if number:
        src["number"] = number
    if signed:
        src["date"] = signed
    return {
        "year": year,
        "source": src,
        "holidays": [
            {"name": "、".join(i.names), "from": i.start, "to": i.end, "days": (i.end - i.start).days + 1}
            for i in items
        ],
        "makeup_workdays": [{"date": d, "holiday": "、".join(i.names)} for i in items for d in i.makeup],
        "_lines": {i.names: i.line for i in items},
    }


def import_notice(text: str, source: str) -> YearCalendar:
    """The notice as a validated calendar (the same checks as a calendar file, errors naming the notice's lines)."""
    data = parse_notice(text, source)
    lines = data.pop("_lines")

    def fail(message: str, key: str, item: Any = None) -> NoticeError:
        line = None
        if isinstance(item, dict) and item.get("name"):
            line = lines.get(tuple(item["name"].split("、")))
        return NoticeError(message, source, line)

    return build_calendar(data, fail, "user", None)


def to_yaml(calendar: YearCalendar) -> str:
    """The calendar file text for a year (what `checker calendar import` prints)."""
    src = calendar.source
    out = [
        "# 由 checker calendar import 从通知原文生成；请与通知核对，并用 checker calendar show 查看后使用。",
        f"year: {calendar.year}",
        "source:",
        f"  title: {src.title}",
    ]
    if src.number:
        out.append(f"  number: {src.number}")
    if src.issued:
        out.append(f"  date: {src.issued.isoformat()}")
    out.append("holidays:")
    for h in calendar.holidays:
        out.append(
            f"  - {{name: {h.name}, from: {h.start.isoformat()}, to: {h.end.isoformat()}, days: {len(h.days())}}}"
        )
    if calendar.makeup:
        out.append("makeup_workdays:")
        for day, name in calendar.makeup:
            out.append(f"  - {{date: {day.isoformat()}, holiday: {name}}}" if name else f"  - {day.isoformat()}")
    else:
        out.append("makeup_workdays: []")
    return "\n".join(out) + "\n"
