"""Chinese working-day arithmetic for the "一件事一次办" time limit.

Holidays and make-up workdays come from the run's calendar (calendars.Calendar: a
user's calendar file, a shipped one, or the maintained `chinese_calendar` package,
in that order); this module carries no holiday table of its own.  The package is
imported only when a day it decides is asked about: loading it costs more than the
rest of the CLI start-up.

Counting follows 民法典 第201条: the first day is not counted, so the elapsed
working days between `start` and `end` are the working days d with
start < d <= end.

Counts come from the calendar's day index (calendars.CalendarIndex: per-day prefix sums, built once per
calendar), so a span of twenty years costs what a span of two days does.  A span of more than
SUMMARY_SPAN_DAYS keeps only counts per kind and its first and last few days: listing every day of
an item open since 2004 made reports of gigabytes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from checker.core.plain import plain

__all__ = [
    "HOLIDAY",
    "MAKEUP_WORKDAY",
    "WEEKEND",
    "DayNote",
    "DaySummary",
    "OutOfCalendar",
    "WorkdayCount",
    "calendar_range",
    "describe",
    "elapsed_working_days",
    "is_working_day",
    "working_days_known",
    "working_days_until",
]

HOLIDAY = "holiday"  # 法定节假日 (including the weekend days the holiday covers)
WEEKEND = "weekend"  # 休息日
MAKEUP_WORKDAY = "makeup_workday"  # 调休上班日

_ONE_DAY = timedelta(days=1)
SUMMARY_SPAN_DAYS = 60  # longer spans are summarised: counts per kind, EDGE_DAYS days at each end
EDGE_DAYS = 3
_active = None  # the run's calendars.Calendar (None: shipped files over the package)


def use_calendar(calendar) -> None:
    """Count with `calendar` from now on (a run's --calendar files); None: the default calendar, built when needed."""
    global _active
    if calendar is None and _active is not None and not any(f.source.origin == "user" for f in _active.files.values()):
        return  # already the default: keep it (and what it has read)
    _active = calendar
    _classify.cache_clear()


def active_calendar():
    global _active
    if _active is None:
        from checker.domains.approvals.calendars import build

        _active = build()
    return _active


@plain(frozen=True)
class DayNote:
    """A non-ordinary day in the counted span, so a reviewer sees why it was (not) counted."""

    day: date
    kind: str  # HOLIDAY, WEEKEND or MAKEUP_WORKDAY
    name: str | None  # Chinese holiday name when the calendar gives one


@plain(frozen=True)
class DaySummary:
    """How many days of each kind a long span holds (its lists then keep only their first and last days)."""

    holidays: int
    weekends: int
    makeup_workdays: int


@plain(frozen=True)
class WorkdayCount:
    """Result of one count, with enough detail to explain it to the user.

    A span of at most SUMMARY_SPAN_DAYS lists every counted and every notable day (`summary` is None); a longer
    one keeps the first and last EDGE_DAYS counted days and holidays / make-up workdays, and `summary` counts
    each kind, so that one row never holds thousands of days.
    """

    start: date
    end: date
    days: int | None  # None when it cannot be decided
    counted: tuple[date, ...]  # the working days that were counted (long spans: the first and last few)
    notes: tuple[DayNote, ...]  # holidays / make-up workdays / weekends in (start, end] (long spans: see above)
    decidable: bool
    reason: str | None  # Chinese text when not decidable
    sources: tuple[str, ...] = ()  # the calendars that decided the days, one label per year counted
    # set when the count stops at the known calendar's last day before `end`: `days` is then a lower bound
    through: date | None = None
    summary: DaySummary | None = None  # set for long spans, whose lists are abridged


class OutOfCalendar(ValueError):
    """A date no calendar covers: guessing would be wrong."""

    def __init__(self, day: date, first_year: int, last_year: int):
        self.day = day
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(_out_of_range_text([day], first_year, last_year))


def _out_of_range_text(days: list[date], first_year: int, last_year: int) -> str:
    listed = "、".join(d.isoformat() for d in days)
    return f"{listed} 超出节假日日历已知范围（{first_year}–{last_year}年）"


def calendar_range() -> tuple[int, int]:
    """First and last year of the run of years the calendar knows (package years, extended by files)."""
    from checker.domains.approvals.calendars import package_range

    calendar = active_calendar()
    first = min([package_range()[0], *calendar.files])
    return first, calendar.last_year()


def _as_date(value: object, what: str) -> date:
    # datetime is a subclass of date; drop the time so comparisons stay date-only.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"{what} 应为日期，实际为 {type(value).__name__}")


def _in_range(d: date) -> bool:
    return active_calendar().knows(d.year)


@cache
def _classify(d: date) -> tuple[bool, str | None, str | None]:
    """(is working day, note kind or None for an ordinary day, Chinese name), for days of known years.

    Cached: the same dates recur across thousands of records (cleared when the calendar changes).
    """
    if not _in_range(d):
        first, last = calendar_range()
        raise OutOfCalendar(d, first, last)
    return active_calendar().classify(d)


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

    # A calendar covers whole years: every day of [start, end] is covered when every year of the span is.
    index = active_calendar().index()
    if not index.knows(start.year, end.year):
        outside = [d for d in dict.fromkeys((start, end)) if not _in_range(d)]
        gaps = [y for y in range(start.year + 1, end.year) if not active_calendar().knows(y)]
        if gaps and not outside:
            outside = [date(gaps[0], 1, 1)]
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

    block = index.block(start.year, end.year)
    s, e = start.toordinal(), end.toordinal()
    summary = None
    if e - s <= SUMMARY_SPAN_DAYS:
        counted = [date.fromordinal(o) for o in block.working_days(s, e)]
        notes = [_note(block, o) for o in block.notable_days(s, e)]
    else:
        counted = [date.fromordinal(o) for o in block.counted_edges(s, e, EDGE_DAYS)]
        notes = [_note(block, o) for o in block.special_edges(s, e, EDGE_DAYS)]
        summary = DaySummary(*block.tally(s, e))
    first_year = (start + _ONE_DAY).year if start < end else start.year
    return WorkdayCount(
        start=start,
        end=end,
        days=block.working(s, e),
        counted=tuple(counted),
        notes=tuple(notes),
        decidable=True,
        reason=None,
        sources=index.sources(first_year, end.year),
        summary=summary,
    )


def _note(block, ordinal: int) -> DayNote:
    """The DayNote of a notable day, made once per calendar index and shared by every count that holds it."""
    note = block.memo.get(ordinal)
    if note is None:
        _working, kind, name = block.day(ordinal)
        note = block.memo[ordinal] = DayNote(day=date.fromordinal(ordinal), kind=kind, name=name)
    return note


def elapsed_working_days(start: date, end: date) -> WorkdayCount:
    """Working days from acceptance to completion; the acceptance day itself is not counted."""
    return _count(start, end, "办结日期")


def working_days_until(start: date, as_of: date) -> WorkdayCount:
    """Working days already used by an item still open on `as_of` (same counting rule)."""
    return _count(start, as_of, "截至日期")


def working_days_known(start: date, as_of: date) -> WorkdayCount | None:
    """Working days of (start, as_of] as far as the calendar knows them: a lower bound when `as_of` lies beyond it.

    None when `start` itself is outside the calendar.  The count never guesses a day: it stops at the last day of
    the run of known years that holds `start` (`through`), and says so.
    """
    start, as_of = _as_date(start, "受理日期"), _as_date(as_of, "截至日期")
    calendar = active_calendar()
    if not calendar.knows(start.year):
        return None
    last = start.year
    while last + 1 <= as_of.year and calendar.knows(last + 1):
        last += 1
    through = min(as_of, date(last, 12, 31))
    count = _count(start, through, "截至日期")
    if through == as_of:
        return count
    return WorkdayCount(
        start=count.start,
        end=as_of,
        days=count.days,
        counted=count.counted,
        notes=count.notes,
        decidable=True,
        reason=None,
        sources=count.sources,
        through=through,
        summary=count.summary,
    )


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


def _listed(notes: tuple[DayNote, ...]) -> str:
    """2004-10-01、10-02 国庆节，2004-10-09 国庆节调休上班: the days as listed, grouped by label (no ranges: the
    run may go on beyond the days shown)."""
    groups: list[tuple[str, list[date]]] = []
    for note in notes:
        label = _label(note.kind, note.name)
        if groups and groups[-1][0] == label:
            groups[-1][1].append(note.day)
        else:
            groups.append((label, [note.day]))
    return "，".join(f"{_compact_dates(days)} {label}" for label, days in groups)


def _summary_text(count: WorkdayCount) -> str:
    """法定节假日 N 天、休息日 N 天、调休上班日 N 天：the first and last special days, with … between them."""
    summary = count.summary
    kinds = (
        ("法定节假日", summary.holidays),
        ("休息日", summary.weekends),
        ("调休上班日", summary.makeup_workdays),
    )
    text = "、".join(f"{label} {n} 天" for label, n in kinds if n)
    notes = count.notes
    if not notes:
        return text
    if summary.holidays + summary.makeup_workdays > len(notes):  # abridged: EDGE_DAYS at each end
        return f"{text}：{_listed(notes[:EDGE_DAYS])} … {_listed(notes[EDGE_DAYS:])}"
    return f"{text}：{_listed(notes)}"


def describe(count: WorkdayCount) -> str:
    """One Chinese line a reviewer can check by hand against the official schedule."""
    if not count.decidable:
        return f"无法判定工作日数：{count.reason}"
    if count.start == count.end:
        return "受理当日，计 0 个工作日"

    parts: list[str] = []
    if count.counted:
        if count.days <= _MAX_COUNTED_SHOWN:  # (a long span's list holds only its first and last days)
            parts.append(f"计入 {_compact_dates(list(count.counted))}")
        else:
            parts.append(f"计入 {count.counted[0].isoformat()} 至 {count.counted[-1].isoformat()} 间的工作日")

    groups = _groups(count.notes)
    if count.summary is not None:
        shown = [text] if (text := _summary_text(count)) else []
    elif len(groups) > _MAX_GROUPS_SHOWN:
        # Many runs: name the special days, summarise ordinary weekends.
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

    if count.sources:
        parts.append(f"日历：{'、'.join(count.sources)}")
    detail = f"（{'；'.join(parts)}）" if parts else ""
    if count.through is not None:
        first, last = calendar_range()
        return (
            f"受理次日起至 {count.through.isoformat()}（日历已知的最后一日）计 {count.days} 个工作日，"
            f"实际不少于此数{detail}；{count.end.isoformat()} 超出节假日日历已知范围（{first}–{last}年）"
        )
    return f"受理次日起计 {count.days} 个工作日{detail}"
