"""Working-day calendars as data: one YAML file per year, from the State Council's notice, over the package's data.

A calendar file declares one year — its holidays (date ranges with the holiday's names), its make-up workdays
(调休上班日) and its source (the notice's title, 发文字号 if known, its date) — and is validated when it loads
(dates inside the year, make-up workdays on weekends, holidays not overlapping, each of the seven holidays once).
The combined `Calendar` decides each day from, in order of precedence: a user's file (`--calendar`, `calendars =
[...]` in the configuration), a file shipped with checker (data/calendars/), the `chinesecalendar` package.  A year
none of them knows is never guessed.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from checker.core.errors import CheckerInputError, Location
from checker.core.plain import field, plain

HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
SHIPPED = Path(__file__).resolve().parent / "data" / "calendars"
# The library's Chinese names are short forms ("端午", "清明", "中秋"); the notices use the full names.
_FULL_NAMES = {"端午": "端午节", "清明": "清明节", "中秋": "中秋节"}
_ONE_DAY = timedelta(days=1)


@plain(frozen=True)
class Source:
    title: str
    number: str | None = None  # 发文字号, e.g. 国办发明电〔2024〕12号
    issued: date | None = None  # the notice's date
    origin: str = "file"  # "user" | "shipped" | "package"
    path: str | None = None

    @property
    def label(self) -> str:
        """How a report names it: 国务院办公厅关于2027年部分节假日安排的通知（用户日历文件）."""
        if self.origin == "package":
            return self.title
        where = {"user": "用户日历文件", "shipped": "checker 内置日历文件"}.get(self.origin, "日历文件")
        return f"{self.title}（{where}）"


@plain(frozen=True)
class Holiday:
    names: tuple[str, ...]
    start: date
    end: date

    @property
    def name(self) -> str:
        return "、".join(self.names)

    def days(self) -> list[date]:
        out, d = [], self.start
        while d <= self.end:
            out.append(d)
            d += _ONE_DAY
        return out


@plain(frozen=True)
class YearCalendar:
    """One year as a notice announces it."""

    year: int
    source: Source
    holidays: tuple[Holiday, ...]
    makeup: tuple[tuple[date, str], ...]  # (make-up workday, the holiday it belongs to)
    _days: dict = field(default_factory=dict, compare=False, repr=False)

    def day_table(self) -> dict[date, tuple[bool, str, str | None]]:
        """Every special day: date -> (working, kind, name)."""
        if not self._days:
            for holiday in self.holidays:
                for d in holiday.days():
                    self._days[d] = (False, "holiday", holiday.name)
            for d, name in self.makeup:
                self._days[d] = (True, "makeup_workday", name)
        return self._days

    def holiday_dates(self) -> list[date]:
        return sorted(d for h in self.holidays for d in h.days())

    def makeup_dates(self) -> list[date]:
        return sorted(d for d, _ in self.makeup)


class CalendarFileError(CheckerInputError):
    """A calendar file that does not hold: one line naming the file, the line and the field."""

    def __init__(self, message: str, source: str, line: int | None = None, field_name: str | None = None):
        super().__init__(message, Location(source, line=line, field=field_name), code="INPUT-CALENDAR")


# ------------------------------------------------------------------ files


def load_calendar_file(path: Path | str, origin: str = "user") -> YearCalendar:
    """A calendar file, validated; CalendarFileError names the file, the line and the field.

    A user's file is read as input is (within the input limits, with lines for messages); a shipped file is
    checker's own data, read whatever limits a run sets.
    """
    from checker.inputs.yamlfile import load_yaml

    path = Path(path)
    source = str(path)
    if origin == "shipped":
        from checker.core.safeyaml import load

        data = load(path.read_text(encoding="utf-8"))

        def shipped_fail(message: str, key: str, item: Any = None) -> CalendarFileError:
            return CalendarFileError(message, source, None, key)

        return build_calendar(data, shipped_fail, origin, source)
    try:
        doc = load_yaml(path)
    except CheckerInputError as exc:
        raise CalendarFileError(exc.message, source, exc.location.line) from None
    data = doc.data
    if not isinstance(data, dict):
        raise CalendarFileError("日历文件应为映射（year、source、holidays、makeup_workdays）", source)
    _, key_lines = doc.lines_of(data)

    def fail(message: str, key: str, item: Any = None) -> CalendarFileError:
        line = doc.lines_of(item)[0] if isinstance(item, dict) else None
        return CalendarFileError(message, source, line or key_lines.get(key), key)

    return build_calendar(data, fail, origin, source)


def build_calendar(data: dict, fail, origin: str, path: str | None) -> YearCalendar:
    """Validate the mapping of a calendar file (or of an imported notice) and build the year."""
    unknown = sorted(set(data) - {"year", "source", "holidays", "makeup_workdays"})
    if unknown:
        raise fail(f"未知的键“{unknown[0]}”", unknown[0])
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
        raise fail("year 应为 1900–2100 之间的年份", "year")
    source = _source(data.get("source"), fail, origin, path)
    holidays = _holidays(data.get("holidays"), year, fail)
    makeup = _makeup(data.get("makeup_workdays"), year, holidays, fail)
    return YearCalendar(year, source, tuple(holidays), tuple(makeup))


def _in_year(day: date, year: int) -> bool:
    """In the year, or at its edges as a notice may put them (元旦 from 12月31日, a range into January)."""
    return day.year == year or (day.year == year - 1 and day.month == 12) or (day.year == year + 1 and day.month == 1)


def _date(value: Any, what: str, key: str, fail, item: Any = None) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise fail(f"{what}“{value}”不是 YYYY-MM-DD 日期", key, item) from None


def _source(raw: Any, fail, origin: str, path: str | None) -> Source:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str) or not raw["title"].strip():
        raise fail("source 应有 title（通知的标题），可有 number（发文字号）与 date", "source")
    unknown = sorted(set(raw) - {"title", "number", "date"})
    if unknown:
        raise fail(f"source 中未知的键“{unknown[0]}”", "source")
    issued = _date(raw["date"], "source.date", "source", fail) if raw.get("date") is not None else None
    number = str(raw["number"]) if raw.get("number") else None
    return Source(" ".join(raw["title"].split()), number, issued, origin, path)


def _holidays(raw: Any, year: int, fail) -> list[Holiday]:
    if not isinstance(raw, list) or not raw:
        raise fail("holidays 应为非空列表", "holidays")
    out: list[Holiday] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(raw, start=1):
        where = f"holidays 第{n}项"
        if not isinstance(item, dict):
            raise fail(f"{where}应为映射（name、from、to）", "holidays")
        unknown = sorted(set(item) - {"name", "from", "to", "days"})
        if unknown:
            raise fail(f"{where}中未知的键“{unknown[0]}”", "holidays", item)
        names = tuple(part for part in str(item.get("name") or "").replace("，", "、").split("、") if part)
        if not names or any(name not in HOLIDAY_NAMES for name in names):
            raise fail(f"{where}的 name 应为 {'、'.join(HOLIDAY_NAMES)} 之一（或用“、”连写两个）", "holidays", item)
        start = _date(item.get("from"), f"{where}的 from", "holidays", fail, item)
        end = _date(item.get("to", item.get("from")), f"{where}的 to", "holidays", fail, item)
        if not _in_year(start, year):
            raise fail(f"{where}（{names[0]}）从 {start} 开始，不在 {year} 年内（只可始于上年12月）", "holidays", item)
        if end < start or not _in_year(end, year):
            raise fail(
                f"{where}（{names[0]}）的 to {end} 早于 from 或超出 {year} 年（只可延至次年1月）", "holidays", item
            )
        holiday = Holiday(names, start, end)
        stated = item.get("days")
        if stated is not None and stated != len(holiday.days()):
            raise fail(
                f"{where}（{names[0]}）写明共 {stated} 天，但 {start} 至 {end} 是 {len(holiday.days())} 天",
                "holidays",
                item,
            )
        for other in out:
            if start <= other.end and other.start <= end:
                raise fail(f"{where}（{names[0]}）与 {other.name} 的日期重叠", "holidays", item)
        for name in names:
            if name in seen:
                raise fail(f"{name}出现了两次（第{seen[name]}项与第{n}项）", "holidays", item)
            seen[name] = n
        out.append(holiday)
    missing = [name for name in HOLIDAY_NAMES if name not in seen]
    if missing:
        raise fail(f"缺少{'、'.join(missing)}（一年的通知应安排全部七个节日）", "holidays")
    return out


def _makeup(raw: Any, year: int, holidays: list[Holiday], fail) -> list[tuple[date, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise fail("makeup_workdays 应为列表", "makeup_workdays")
    out: list[tuple[date, str]] = []
    for n, item in enumerate(raw, start=1):
        where = f"makeup_workdays 第{n}项"
        if isinstance(item, dict):
            unknown = sorted(set(item) - {"date", "holiday"})
            if unknown:
                raise fail(f"{where}中未知的键“{unknown[0]}”", "makeup_workdays", item)
            day = _date(item.get("date"), f"{where}的 date", "makeup_workdays", fail, item)
            name = str(item.get("holiday") or "")
        else:
            day, name = _date(item, where, "makeup_workdays", fail), ""
        if not _in_year(day, year):
            raise fail(f"{where} {day} 不在 {year} 年内", "makeup_workdays", item)
        if day.weekday() < 5:
            raise fail(
                f"{where} {day} 是周{'一二三四五'[day.weekday()]}，调休上班日应为周六或周日", "makeup_workdays", item
            )
        if any(h.start <= day <= h.end for h in holidays):
            raise fail(f"{where} {day} 在放假日期之内", "makeup_workdays", item)
        if name and name not in HOLIDAY_NAMES and not all(p in HOLIDAY_NAMES for p in name.split("、")):
            raise fail(f"{where}的 holiday“{name}”不是节日名称", "makeup_workdays", item)
        if any(day == d for d, _ in out):
            raise fail(f"{where} {day} 重复", "makeup_workdays", item)
        out.append((day, name))
    return out


# ------------------------------------------------------------------ the package


@lru_cache(maxsize=1)
def package_range() -> tuple[int, int]:
    """First and last year the installed chinese_calendar knows, read from its own data."""
    import chinese_calendar

    years = [d.year for d in chinese_calendar.holidays]  # as the library's own range check does
    return min(years), max(years)


@lru_cache(maxsize=1)
def package_source() -> Source:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - the package is a dependency
        release = "?"
    return Source(f"chinesecalendar {release}", origin="package")


def _package_detail(d: date) -> tuple[bool, str | None]:
    """What `chinese_calendar.get_holiday_detail` answers, read from the package's tables: the library's own call
    recomputes its range on every day (min/max over all its holidays), which made a calendar index of 20 years
    cost seconds.  The caller has checked the year is the package's."""
    from chinese_calendar import holidays, workdays

    if d in workdays:
        return False, workdays[d]
    if d in holidays:
        return True, holidays[d]
    return d.weekday() > 4, None


def _package_name(raw: str | None) -> str | None:
    if raw is None:
        return None
    from chinese_calendar import Holiday as LibraryHoliday

    try:
        name = LibraryHoliday(raw).chinese
    except ValueError:  # not in the library's own enum: show the raw name rather than fail
        return raw
    return _FULL_NAMES.get(name, name)


@cache
def package_day(d: date) -> tuple[bool, str | None, str | None]:
    """(working, kind or None for an ordinary day, name) from the package, for a year it knows."""
    resting, raw = _package_detail(d)
    name = _package_name(raw)
    if not resting:
        return (True, "makeup_workday", name) if d.weekday() >= 5 else (True, None, None)
    if raw is not None:
        return False, "holiday", name
    return False, "weekend", None


def package_year(year: int) -> YearCalendar | None:
    """The package's data for one year, in the form of a calendar file (for `calendar show` and comparisons)."""
    first, last = package_range()
    if not first <= year <= last:
        return None
    day, holidays, makeup = date(year, 1, 1), [], []
    while day.year == year:
        _working, kind, name = package_day(day)
        if kind == "holiday":
            holidays.append((day, name))
        elif kind == "makeup_workday":
            makeup.append((day, name or ""))
        day += _ONE_DAY
    runs: list[Holiday] = []
    for d, name in holidays:
        if runs and runs[-1].end + _ONE_DAY == d and runs[-1].name == name:
            runs[-1] = Holiday(runs[-1].names, runs[-1].start, d)
        else:
            runs.append(Holiday((name,) if name else ("法定节假日",), d, d))
    return YearCalendar(year, package_source(), tuple(runs), tuple(makeup))


# ------------------------------------------------------------------ the combined calendar


@plain
class Calendar:
    """Files by year (a user's over a shipped one) over the package; `classify` decides each day."""

    files: dict[int, YearCalendar] = field(default_factory=dict)
    _index: CalendarIndex | None = field(default=None, init=False, compare=False, repr=False)

    def add(self, calendar: YearCalendar) -> None:
        current = self.files.get(calendar.year)
        if current is None or current.source.origin != "user" or calendar.source.origin == "user":
            self.files[calendar.year] = calendar
            self._index = None  # its days may have changed

    def index(self) -> CalendarIndex:
        """The calendar's day index, built as spans ask for years (once per calendar)."""
        if self._index is None:
            self._index = CalendarIndex(self)
        return self._index

    def __getstate__(self) -> dict:
        # a worker process builds its own index (it holds a lock, and is quick to rebuild)
        return {**self.__dict__, "_index": None}

    def knows(self, year: int) -> bool:
        if year in self.files:
            return True
        first, last = package_range()
        return first <= year <= last

    def years(self) -> list[int]:
        first, last = package_range()
        return sorted(set(range(first, last + 1)) | set(self.files))

    def last_year(self) -> int:
        """The last year of the run of known years that reaches the package's last year (or a file's, after it)."""
        known = set(self.years())
        year = max(package_range()[1], min(known))
        while year + 1 in known:
            year += 1
        return year

    def source(self, year: int) -> Source | None:
        if year in self.files:
            return self.files[year].source
        return package_source() if self.knows(year) else None

    def classify(self, d: date) -> tuple[bool, str | None, str | None]:
        """(working, kind, name) of a day of a known year: holiday / makeup_workday / weekend / None (ordinary)."""
        for year in (d.year, d.year + 1, d.year - 1):  # a notice may reach into its neighbours' edge days
            year_file = self.files.get(year)
            if year_file is not None:
                special = year_file.day_table().get(d)
                if special is not None:
                    return special
        if d.year not in self.files:
            return package_day(d)
        return (False, "weekend", None) if d.weekday() >= 5 else (True, None, None)

    def differences(self, year: int) -> list[date]:
        """Days on which the year's file decides otherwise than the package (whether a day is worked)."""
        year_file = self.files.get(year)
        first, last = package_range()
        if year_file is None or not first <= year <= last:
            return []
        out, d = [], date(year, 1, 1)
        while d.year == year:
            if self.classify(d)[0] != package_day(d)[0]:
                out.append(d)
            d += _ONE_DAY
        return out


# ------------------------------------------------------------------ the day index

KINDS = (None, "holiday", "weekend", "makeup_workday")  # a day's kind, by its code's low bits
_WORKING = 4  # code bit: the day is worked


@plain(frozen=True, eq=False)
class DayBlock:
    """Every day of the years first..last: a code per day and per-day prefix sums, so that a span's working days
    and its days of each kind are two lookups, and its first and last working / special days a bisection.

    Days are ordinals (date.toordinal()); a span is (s, e]: s is the acceptance day, not counted.
    """

    first: int
    last: int
    origin: int  # ordinal of the first year's 1 January
    codes: bytes  # per day: index into KINDS | _WORKING
    names: dict  # ordinal -> name, for the notable days that have one
    work: array  # work[i]: working days among the block's first i days
    kinds: tuple  # for KINDS[1:], the same prefix sums of days of that kind
    special: array  # ordinals of holidays and make-up workdays, ascending
    memo: dict = field(default_factory=dict)  # what callers make of a day, kept with the days it was made from

    def covers(self, first_year: int, last_year: int) -> bool:
        return self.first <= first_year and last_year <= self.last

    def day(self, ordinal: int) -> tuple[bool, str | None, str | None]:
        code = self.codes[ordinal - self.origin]
        kind = KINDS[code & 3]
        return bool(code & _WORKING), kind, self.names.get(ordinal) if kind is not None else None

    def working_days(self, s: int, e: int) -> list[int]:
        """Every working day of (s, e], for short spans."""
        origin, codes = self.origin, self.codes
        return [origin + i for i in range(s - origin + 1, e - origin + 1) if codes[i] & _WORKING]

    def notable_days(self, s: int, e: int) -> list[int]:
        """Every holiday, weekend and make-up workday of (s, e], for short spans."""
        origin, codes = self.origin, self.codes
        return [origin + i for i in range(s - origin + 1, e - origin + 1) if codes[i] & 3]

    def working(self, s: int, e: int) -> int:
        return self.work[e - self.origin + 1] - self.work[s - self.origin + 1]

    def tally(self, s: int, e: int) -> tuple[int, int, int]:
        """Days of (s, e] that are holidays, weekends, make-up workdays."""
        i, j = s - self.origin + 1, e - self.origin + 1
        holiday, weekend, makeup = self.kinds
        return holiday[j] - holiday[i], weekend[j] - weekend[i], makeup[j] - makeup[i]

    def counted_edges(self, s: int, e: int, k: int) -> list[int]:
        """The first k and the last k working days of (s, e] (all of them when there are at most 2k)."""
        base, total = self.work[s - self.origin + 1], self.work[e - self.origin + 1]
        wanted = list(range(base + 1, min(base + k, total) + 1))
        wanted += range(max(base + k, total - k) + 1, total + 1)
        # the n-th working day is where the prefix sum first reaches n
        return [self.origin + bisect_left(self.work, n) - 1 for n in wanted]

    def special_edges(self, s: int, e: int, k: int) -> list[int]:
        """The first k and the last k holidays / make-up workdays of (s, e] (all of them when at most 2k)."""
        lo, hi = bisect_right(self.special, s), bisect_right(self.special, e)
        return list(self.special[lo : min(lo + k, hi)]) + list(self.special[max(lo + k, hi - k) : hi])


class CalendarIndex:
    """A calendar's DayBlock, built for the years spans ask about and rebuilt wider when one reaches further (so a
    run on 2024–2026 reads neither the package nor 20 other years).  A year the calendar does not know is filled
    as ordinary days: no count asks about it (counts refuse spans that leave the calendar)."""

    def __init__(self, calendar: Calendar):
        self._calendar = calendar
        self._years: dict[int, tuple[bytes, dict]] = {}
        self._block: DayBlock | None = None
        self._sources: dict[tuple[int, int], tuple[str, ...]] = {}
        self._known: dict[tuple[int, int], bool] = {}
        self._lock = threading.Lock()

    def knows(self, first_year: int, last_year: int) -> bool:
        """Whether the calendar knows every year first_year..last_year (asked once per pair of years)."""
        key = (first_year, last_year)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = all(self._calendar.knows(y) for y in range(first_year, last_year + 1))
        return found

    def block(self, first_year: int, last_year: int) -> DayBlock:
        """A block covering the years first_year..last_year (readers keep the block they got: it never changes)."""
        block = self._block
        if block is not None and block.covers(first_year, last_year):
            return block
        with self._lock:
            block = self._block
            if block is None or not block.covers(first_year, last_year):
                if block is not None:
                    first_year, last_year = min(first_year, block.first), max(last_year, block.last)
                block = self._block = self._build(first_year, last_year)
        return block

    def sources(self, first_year: int, last_year: int) -> tuple[str, ...]:
        """The labels of the calendars that decide the years first_year..last_year, one per calendar, in order."""
        key = (first_year, last_year)
        found = self._sources.get(key)
        if found is None:
            years = range(first_year, last_year + 1)
            found = self._sources[key] = tuple(dict.fromkeys(self._calendar.source(y).label for y in years))
        return found

    def _year(self, year: int) -> tuple[bytes, dict]:
        got = self._years.get(year)
        if got is None:
            known = self._calendar.knows(year)
            codes, names = bytearray(), {}
            d = date(year, 1, 1)
            while d.year == year:
                working, kind, name = self._calendar.classify(d) if known else (True, None, None)
                codes.append(KINDS.index(kind) | (_WORKING if working else 0))
                if kind is not None and name is not None:
                    names[d.toordinal()] = name
                d += _ONE_DAY
            got = self._years[year] = (bytes(codes), names)
        return got

    def _build(self, first: int, last: int) -> DayBlock:
        years = [self._year(y) for y in range(first, last + 1)]
        codes = b"".join(c for c, _ in years)
        names: dict[int, str] = {}
        for _, year_names in years:
            names.update(year_names)
        origin = date(first, 1, 1).toordinal()
        work = array("i", accumulate((c >> 2 for c in codes), initial=0))
        kinds = tuple(array("i", accumulate(((c & 3) == k for c in codes), initial=0)) for k in (1, 2, 3))
        special = array("i", (origin + i for i, c in enumerate(codes) if c & 3 in (1, 3)))
        return DayBlock(first, last, origin, codes, names, work, kinds, special)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml")) if SHIPPED.is_dir() else []


def build(user_files: list[Path | str] = ()) -> Calendar:
    """The calendar of a run: shipped files, then the user's (which win), over the package."""
    calendar = Calendar()
    for path in shipped_files():
        calendar.add(load_calendar_file(path, origin="shipped"))
    for path in user_files:
        calendar.add(load_calendar_file(path, origin="user"))
    return calendar
