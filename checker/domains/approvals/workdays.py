"""Chinese working-day arithmetic for the "一件事一次办" time limit.

Holidays and make-up workdays come only from the maintained `chinese_calendar`
package; this module never carries its own holiday table, so a new year's
schedule arrives by upgrading that package.  The package is imported inside
functions because loading it costs more than the rest of the CLI start-up.

Counting follows 民法典 第201条: the first day is not counted, so the elapsed
working days between `start` and `end` are the working days d with
start < d <= end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

__all__ = [
    "HOLIDAY",
    "MAKEUP_WORKDAY",
    "WEEKEND",
    "DayNote",
    "OutOfCalendar",
    "WorkdayCount",
    "calendar_range",
    "describe",
    "elapsed_working_days",
    "is_working_day",
    "working_days_until",
]

HOLIDAY = "holiday"  # 法定节假日 (including the weekend days the holiday covers)
WEEKEND = "weekend"  # 休息日
MAKEUP_WORKDAY = "makeup_workday"  # 调休上班日

# The library's Chinese names are short forms ("端午", "清明", "中秋"); the
# bureau's documents use the full names.  Display names only, not a calendar.
_FULL_NAMES = {"端午": "端午节", "清明": "清明节", "中秋": "中秋节"}

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DayNote:
    """A non-ordinary day in the counted span, so a reviewer sees why it was (not) counted."""

    day: date
    kind: str  # HOLIDAY, WEEKEND or MAKEUP_WORKDAY
    name: str | None  # Chinese holiday name when the library gives one


@dataclass(frozen=True)
class WorkdayCount:
    """Result of one count, with enough detail to explain it to the user."""

    start: date
    end: date
    days: int | None  # None when it cannot be decided
    counted: tuple[date, ...]  # the working days that were counted
    notes: tuple[DayNote, ...]  # holidays / make-up workdays / weekends in (start, end]
    decidable: bool
    reason: str | None  # Chinese text when not decidable


class OutOfCalendar(ValueError):
    """A date the installed holiday calendar does not cover: guessing would be wrong."""

    def __init__(self, day: date, first_year: int, last_year: int):
        self.day = day
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(_out_of_range_text([day], first_year, last_year))


def _out_of_range_text(days: list[date], first_year: int, last_year: int) -> str:
    listed = "、".join(d.isoformat() for d in days)
    return f"{listed} 超出节假日日历已知范围（{first_year}–{last_year}年）"


@lru_cache(maxsize=1)
def calendar_range() -> tuple[int, int]:
    """First and last year the installed chinese_calendar knows, read from its own data."""
    import chinese_calendar

    # Same derivation as the library's own range check (utils._validate_date).
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def _as_date(value: object, what: str) -> date:
    # datetime is a subclass of date; drop the time so comparisons stay date-only.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"{what} 应为日期，实际为 {type(value).__name__}")


def _in_range(d: date) -> bool:
    first, last = calendar_range()
    return first <= d.year <= last


def _chinese_name(raw: str | None) -> str | None:
    if raw is None:
        return None
    from chinese_calendar import Holiday

    try:
        name = Holiday(raw).chinese
    except ValueError:  # not in the library's own enum: show the raw name rather than fail
        return raw
    return _FULL_NAMES.get(name, name)


@cache
def _classify(d: date) -> tuple[bool, str | None, str | None]:
    """(is working day, note kind or None for an ordinary day, Chinese name).

    Cached: the library rescans its whole table on every call, and the same
    dates recur across thousands of records.  Only called for in-range dates.
    """
    from chinese_calendar import get_holiday_detail

    try:
        resting, raw = get_holiday_detail(d)
    except NotImplementedError:
        first, last = calendar_range()
        raise OutOfCalendar(d, first, last) from None
    name = _chinese_name(raw)
    if not resting:
        if d.weekday() >= 5:
            return True, MAKEUP_WORKDAY, name
        return True, None, None
    if raw is not None:
        return False, HOLIDAY, name
    return False, WEEKEND, None


def is_working_day(d: date) -> bool:
    """True for Mon–Fri that are not statutory holidays, and for announced make-up workdays."""
    d = _as_date(d, "日期")
    if not _in_range(d):
        first, last = calendar_range()
        raise OutOfCalendar(d, first, last)
    return _classify(d)[0]


def _count(start: object, end: object, end_label: str) -> WorkdayCount:
    start = _as_date(start, "受理日期")
    end = _as_date(end, end_label)
    if end < start:
        raise ValueError(f"{end_label} {end.isoformat()} 早于受理日期 {start.isoformat()}")

    # The calendar covers whole consecutive years, so every day of [start, end]
    # is covered exactly when both ends are.
    outside = [d for d in dict.fromkeys((start, end)) if not _in_range(d)]
    if outside:
        first, last = calendar_range()
        return WorkdayCount(
            start=start,
            end=end,
            days=None,
            counted=(),
            notes=(),
            decidable=False,
            reason=_out_of_range_text(outside, first, last),
        )

    counted: list[date] = []
    notes: list[DayNote] = []
    d = start + _ONE_DAY
    while d <= end:
        working, kind, name = _classify(d)
        if working:
            counted.append(d)
        if kind is not None:
            notes.append(DayNote(day=d, kind=kind, name=name))
        d += _ONE_DAY
    return WorkdayCount(
        start=start,
        end=end,
        days=len(counted),
        counted=tuple(counted),
        notes=tuple(notes),
        decidable=True,
        reason=None,
    )


def elapsed_working_days(start: date, end: date) -> WorkdayCount:
    """Working days from acceptance to completion; the acceptance day itself is not counted."""
    return _count(start, end, "办结日期")


def working_days_until(start: date, as_of: date) -> WorkdayCount:
    """Working days already used by an item still open on `as_of` (same counting rule)."""
    return _count(start, as_of, "截至日期")


# ---------------------------------------------------------------- describe

_MAX_COUNTED_SHOWN = 6
_MAX_GROUPS_SHOWN = 6


def _compact_dates(days: list[date], joiner: str = "、") -> str:
    """2024-06-08、06-09: the year is written only when it changes."""
    out: list[str] = []
    prev: date | None = None
    for d in days:
        out.append(d.strftime("%m-%d") if prev is not None and prev.year == d.year else d.isoformat())
        prev = d
    return joiner.join(out)


def _label(kind: str, name: str | None) -> str:
    if kind == HOLIDAY:
        return name or "法定节假日"
    if kind == MAKEUP_WORKDAY:
        return f"{name}调休上班" if name else "调休上班"
    return "休息日"


def _groups(notes: tuple[DayNote, ...]) -> list[tuple[str, list[date]]]:
    """Runs of consecutive days with the same kind and name, in date order."""
    groups: list[tuple[str, str | None, list[date]]] = []
    for note in notes:
        if groups:
            kind, name, days = groups[-1]
            if kind == note.kind and name == note.name and days[-1] + _ONE_DAY == note.day:
                days.append(note.day)
                continue
        groups.append((note.kind, note.name, [note.day]))
    return [(_label(kind, name), days) for kind, name, days in groups]


def _render_run(days: list[date]) -> str:
    if len(days) <= 2:
        return _compact_dates(days)
    return _compact_dates([days[0], days[-1]], joiner="至")


def describe(count: WorkdayCount) -> str:
    """One Chinese line a reviewer can check by hand against the official schedule."""
    if not count.decidable:
        return f"无法判定工作日数：{count.reason}"
    if count.start == count.end:
        return "受理当日，计 0 个工作日"

    parts: list[str] = []
    if count.counted:
        if len(count.counted) <= _MAX_COUNTED_SHOWN:
            parts.append(f"计入 {_compact_dates(list(count.counted))}")
        else:
            parts.append(f"计入 {count.counted[0].isoformat()} 至 {count.counted[-1].isoformat()} 间的工作日")

    groups = _groups(count.notes)
    if len(groups) > _MAX_GROUPS_SHOWN:
        # Long spans: name the special days, summarise ordinary weekends.
        weekend_days = sum(1 for n in count.notes if n.kind == WEEKEND)
        special = [g for g in groups if g[0] != "休息日"]
        shown = [f"{_render_run(days)} {label}" for label, days in special[:_MAX_GROUPS_SHOWN]]
        if len(special) > _MAX_GROUPS_SHOWN:
            shown[-1] += " 等"
        if weekend_days:
            shown.append(f"休息日 {weekend_days} 天")
    else:
        shown = [f"{_render_run(days)} {label}" for label, days in groups]
    if shown:
        parts.append("，".join(shown))

    detail = f"（{'；'.join(parts)}）" if parts else ""
    return f"受理次日起计 {count.days} 个工作日{detail}"
