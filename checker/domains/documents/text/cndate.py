"""Dates in Chinese official text: parsing one string, and finding every mention.

GB/T 9704-2012 7.3.5.4: 成文日期 in Arabic numerals, year in full, month and
day without leading zeros: "2024年11月25日".  Every other style is observed
with a `suggested` canonical form; nothing is guessed (a two-digit year keeps
`year=None`, an impossible date keeps `value=None`).

Not found: month-day without a year ("5月31日"), dates with spaces between
their parts, two-digit years in ISO/slash/dot form, and ISO year-month
("2023-12"), which is indistinguishable from a range of years.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from heapq import heappop, heappush
from itertools import islice

from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.domains.documents.text.positions import line_index

_D = "0-9０-９"
_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九]|元)"
_CN_DAY = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}

# One pattern, matched only where a date may start (`_starts`: 4 or 2 characters
# before an `_ANCHOR`).  The "not preceded by a digit" check is done in Python
# (`_preceded_by_digit`), as it was when the pattern was searched for.  Branch
# markers: group `A` (年 of an Arabic date), `sep` (ISO, slash, dot), `C` (年 of
# a Chinese-numeral date).
_DATE = lazy_compile(
    rf"[{_D}{_CN_DIGIT}](?:"
    rf"(?<=[{_D}])(?:[{_D}]{{3}}|[{_D}](?=年[{_D}]{{1,2}}月))(?P<A>年)"
    rf"(?:(?P<am>[{_D}]{{1,2}})月(?:(?P<ad>[{_D}]{{1,2}})日)?|(?P<aend>底|末))?"
    rf"|(?<=[{_D}])[{_D}]{{3}}(?P<sep>[-/.])(?P<im>[{_D}]{{1,2}})(?P=sep)(?P<id>[{_D}]{{1,2}})(?![{_D}]|[-/.][{_D}])"
    rf"|(?<=[{_CN_DIGIT}])[{_CN_DIGIT}]{{3}}(?P<C>年)(?:(?P<cm>{_CN_MONTH})月(?:(?P<cd>{_CN_DAY})日)?|(?P<cend>底|末))?"
    rf")"
)
_ARABIC_DIGITS = frozenset("0123456789０１２３４５６７８９")
_CN_BEFORE = frozenset(_CN_DIGIT + "十")
# every character a date can hold, and those it holds only last: right after one of these no date goes on
_DATE_CHARS = frozenset("0123456789０１２３４５６７８９" + _CN_DIGIT + "十元年月日底末-/.")
_LAST_ONLY = frozenset("日底末")
_LONGEST = 12  # characters of the longest date: 二〇二四年十二月三十一日
# a date's 年 (or first separator) with the digits before it that a date needs: every date has one 2 or 4
# characters after its start, so only those starts are tried (a million digits hold none).  The anchor's
# character comes first in the pattern, so that the engine skips to those characters in C.
_ANCHOR = lazy_compile(rf"[-/.年](?:(?<=[{_D}]{{2}}年)|(?<=[{_D}]{{4}}[-/.])|(?<=[{_CN_DIGIT}]{{4}}年))")


def _preceded_by_digit(text: str, m: re.Match) -> bool:
    """A match that starts inside a longer number (12024年, 三〇二四年) is not a date."""
    i = m.start()
    if i == 0:
        return False
    return text[i - 1] in (_CN_BEFORE if m.start("C") >= 0 else _ARABIC_DIGITS)


def _starts(text: str, pos: int, stop: int):
    """In increasing order, each offset in [pos, stop) where a date may start: 4 characters before an anchor,
    or 2 before its 年.  An anchor's starts are given once no later anchor can give an earlier one."""
    heap: list[int] = []
    for a in _ANCHOR.finditer(text, pos + 2, min(len(text), stop + 4)):
        at = a.start()
        if at - 4 >= pos:
            heappush(heap, at - 4)
        if text[at] == "年" and pos <= at - 2 < stop:
            heappush(heap, at - 2)
        while heap and heap[0] <= at - 4:
            yield heappop(heap)
    while heap:
        yield heappop(heap)


def _iter_dates(text: str, pos: int = 0, stop: int | None = None):
    """The `_DATE` matches starting in [pos, stop) as one scan of the whole text finds them: leftmost first, none
    overlapping, none inside a longer number.  `pos` is 0 or a point no date of that scan spans (`_sync`): from
    there on the scan from `pos` and the whole text's are the same."""
    stop = len(text) if stop is None else stop
    match = _DATE.match
    end = pos  # where the last date found ends: a start before it is inside that date
    last = -1
    for start in _starts(text, pos, stop):
        if start < end or start == last or start >= stop:
            continue
        last = start
        m = match(text, start)
        if m is None or _preceded_by_digit(text, m):
            continue
        yield m
        end = m.end()


def _sync(text: str, pos: int) -> int:
    """A point at or before `pos` that no date spans, so that a scan from there finds what the whole text's does:
    right after a character no date holds, or one a date holds only last (日, 底, 末), or a line's start."""
    low = max(0, pos - 64)
    q = pos
    while q > low:
        c = text[q - 1]
        if c not in _DATE_CHARS or c in _LAST_ONLY:
            return q
        q -= 1
    return 0 if q == 0 else text.rfind("\n", 0, pos) + 1


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class DateObs:
    line: int
    column: int
    end_column: int
    raw: str
    value: date | None  # set only for a valid full date with a four-digit year
    year: int | None  # None for a two-digit year (never guessed)
    month: int | None  # 12 for 年底/年末
    day: int | None
    style: str  # arabic_cn | iso | slash | dot | chinese_numeral
    has_leading_zero: bool  # month or day written 05
    two_digit_year: bool
    precision: str  # day | month | year
    suggested: str | None  # GB/T 9704 form: "2024年5月31日" (or "2024年5月" for a month)
    # how a 成文日期 read leniently (`loose_date`) is miswritten: space_inside, missing_day, lookalike_zero
    problems: tuple[str, ...] = ()

    @property
    def year_end(self) -> bool:
        """Written as 年底/年末 (month=12 by reading, not by digits)."""
        return self.raw.endswith(("底", "末"))


def cn_number(s: str) -> int:
    """Chinese numerals up to 99 (十二, 二十一: 月, 日, 序数) or a digit string (二〇二四: 年); 元 is 1 (元月)."""
    if "十" not in s:
        if s == "元":
            return 1
        n = 0
        for ch in s:
            n = n * 10 + _CN_VALUE[ch]
        return n
    tens, _, ones = s.partition("十")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)


def _int(s: str) -> int:
    return int(s)  # int() reads full-width digits (２０２４) as well


def _build(m: re.Match) -> tuple:
    """(style, year, month, day, year_text, month_text, day_text, year_end) of a `_DATE` match."""
    g = m.group
    if g("A") is not None:
        yt, mt, dt = m.string[m.start() : m.start("A")], g("am"), g("ad")
        year = _int(yt) if len(yt) == 4 else None
        month = _int(mt) if mt else (12 if g("aend") else None)
        day = _int(dt) if dt else None
        return "arabic_cn", year, month, day, yt, mt, dt
    if g("sep") is not None:
        style = {"-": "iso", "/": "slash", ".": "dot"}[g("sep")]
        yt, mt, dt = m.string[m.start() : m.start("sep")], g("im"), g("id")
        return style, _int(yt), _int(mt), _int(dt), yt, mt, dt
    yt, mt, dt = m.string[m.start() : m.start("C")], g("cm"), g("cd")
    month = cn_number(mt) if mt else (12 if g("cend") else None)
    return "chinese_numeral", cn_number(yt), month, cn_number(dt) if dt else None, yt, mt, dt


def _valid(year: int | None, month: int | None, day: int | None) -> date | None:
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_cn_date(s: str) -> date | None:
    """The date a whole string denotes (surrounding spaces allowed), or None.

    Accepts 2024年5月31日, 2024-05-31, 2024/5/31, 2024.5.31 and
    二〇二四年五月三十一日; impossible dates and partial dates give None.
    """
    s = s.strip()
    m = _DATE.fullmatch(s)
    if not m:
        return None
    _, year, month, day, *_ = _build(m)
    if m.group("aend") or m.group("cend"):
        return None
    return _valid(year, month, day)


def _date_obs(text: str, m: re.Match, idx) -> DateObs | None:
    """The date a `_DATE` match found by the scan is (None for a bare "1000年", more likely a count of years)."""
    style, year, month, day, yt, mt, dt = _build(m)
    year_end = bool(m.group("aend") or m.group("cend"))
    two_digit = style == "arabic_cn" and len(yt) == 2
    if style == "arabic_cn" and not two_digit and mt is None and _int(yt) // 100 not in (19, 20):
        return None
    if day is not None:
        precision = "day"
    elif month is not None:
        precision = "month"
    else:
        precision = "year"
    leading_zero = style != "chinese_numeral" and (
        (mt is not None and len(mt) == 2 and mt[0] in "0０") or (dt is not None and len(dt) == 2 and dt[0] in "0０")
    )
    value = _valid(year, month, day)
    suggested = None
    if value is not None:
        suggested = f"{value.year}年{value.month}月{value.day}日"
    elif precision == "month" and year is not None and 1 <= month <= 12 and not year_end:
        suggested = f"{year}年{month}月"
    start, end = m.span()
    line, col = idx.line_col(start)
    # positional, in field order (line, column, end_column, raw, value, year, month, day, style,
    # has_leading_zero, two_digit_year, precision, suggested): a document may hold 100,000 dates
    return DateObs(
        line, col, col + end - start, text[start:end], value, year, month, day, style, leading_zero,
        two_digit, precision, suggested,
    )  # fmt: skip


def iter_dates(text: str, pos: int = 0, stop: int | None = None, idx=None) -> Iterator[DateObs]:
    """The date mentions starting in [pos, stop), in text order (`pos`: 0, a line's start or a `_sync` point):
    full dates, year-month (2023年12月, 2023年底) and year only (2022年以来).  `idx`: the text's `LineIndex`,
    when the caller keeps it."""
    idx = idx or line_index(text)
    for m in _iter_dates(text, pos, stop):
        found = _date_obs(text, m, idx)
        if found is not None:
            yield found


def find_dates(text: str, limit: int | None = None) -> list[DateObs]:
    """Every date mention (`iter_dates`), or the first `limit` of them."""
    return list(islice(iter_dates(text), limit))


def date_ending_at(text: str, end: int, idx=None) -> DateObs | None:
    """The date `find_dates` finds ending at offset `end`, if any, read from a point shortly before it (`idx`:
    the text's `LineIndex`, when the caller keeps it)."""
    for m in _iter_dates(text, _sync(text, max(0, end - _LONGEST)), end):
        if m.end() >= end:
            return _date_obs(text, m, idx or line_index(text)) if m.end() == end else None
    return None


def date_starting_at(text: str, start: int, idx=None) -> DateObs | None:
    """The date `find_dates` finds starting at offset `start`, if any, read from a point shortly before it."""
    for m in _iter_dates(text, _sync(text, start), start + 1):
        if m.start() == start:
            return _date_obs(text, m, idx or line_index(text))
    return None


# the end of a full date (its 日, or an ISO/slash/dot date's day) that ends a line, before blanks and one closing
# bracket: the dates `document_meta` may take for the 成文日期 (it reads a line's end as `_tail_start` does).
# Found by the 日 (a literal the engine skips to) and by the separator.
_LINE_TAIL = r"(?=[^\S\n]*(?:[）)][^\S\n]*)?$)"
_DAY_ENDS_LINE = lazy_compile(rf"日{_LINE_TAIL}", re.MULTILINE)
_ISO_ENDS_LINE = lazy_compile(rf"[-/.][{_D}]{{1,2}}{_LINE_TAIL}", re.MULTILINE)


def dates_for_meta(
    text: str, lines: list[str], end_brackets: Callable[[str], tuple[int, str] | None], title_lines: int
) -> list[DateObs]:
    """The dates `document_meta.extract_meta` reads of `lines` (whose text `text` is), in text order, as
    `find_dates` gives them: it takes the 成文日期 only among full dates that end their line (`_date_line`) or
    stand in the brackets ending one of the first `title_lines` lines that are not blank (`_bracket_date`: a
    date whose text the inside of those brackets holds, `end_brackets` telling it); so those are found, and the
    rest of a text of 100,000 dates is never read."""
    idx = line_index(text)
    found: dict[int, DateObs] = {}
    for pattern in (_DAY_ENDS_LINE, _ISO_ENDS_LINE):
        for m in pattern.finditer(text):
            d = date_ending_at(text, m.end(), idx)
            if d is not None and d.precision == "day":
                found[idx.offset(d.line, d.column)] = d
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > title_lines:
            break
        bracketed = end_brackets(line.rstrip())
        if bracketed is None or not bracketed[1]:
            continue
        inner, start = bracketed[1], idx.starts[i]
        for m in _iter_dates(text, start, start + len(line)):
            if m.group() in inner and m.start() not in found:
                d = _date_obs(text, m, idx)
                if d is not None and d.precision == "day":
                    found[m.start()] = d
    return [found[k] for k in sorted(found)]


class Found(Sequence):
    """What a finder finds, read from it only as far as it is asked for, and kept: a kind that looks at the first
    thousand of 100,000 dates builds a thousand.  A sequence otherwise (its length reads it all)."""

    __slots__ = ("_items", "_rest")

    def __init__(self, items: Iterable):
        self._items: list = []
        self._rest: Iterator | None = iter(items)

    def _read(self, count: int) -> None:
        """At least `count` items read, or all there are."""
        rest = self._rest
        if rest is None:
            return
        items = self._items
        wanted = count - len(items)
        while wanted > 0:
            got = len(items)
            items.extend(islice(rest, max(wanted, 64)))
            if len(items) - got < max(wanted, 64):
                self._rest = None
                return
            wanted = count - len(items)

    def __iter__(self) -> Iterator:
        items = self._items
        i = 0
        while True:
            if i < len(items):
                yield items[i]
                i += 1
            elif self._rest is None:
                return
            else:
                self._read(i + 1)

    def __len__(self) -> int:
        self._read(sys.maxsize)
        return len(self._items)

    def __getitem__(self, i):
        if isinstance(i, slice) or i < 0:
            self._read(sys.maxsize)
        else:
            self._read(i + 1)
        return self._items[i]

    def __bool__(self) -> bool:
        self._read(1)
        return bool(self._items)

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, Found)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"Found({list(self)!r})"


# ---------------------------------------------------------------- a 成文日期 read leniently

SPACE_INSIDE = "space_inside"
MISSING_DAY = "missing_day"
LOOKALIKE_ZERO = "lookalike_zero"
NO_UNITS = "no_units"  # 2017 6 23, 2017919: the 年月日 lost (often in a web page's conversion)
_GAP = r"[ \u3000\t]*"
# 〇 is U+3007; these stand in for it in real documents: ○ (U+25CB), 零, Latin O/o, full-width Ｏ, digit 0
_ZERO_LOOKALIKES = "○零OoＯ0０"
_LOOSE_ARABIC = lazy_compile(
    rf"(?P<y>[{_D}]{{4}}){_GAP}年{_GAP}(?P<m>[{_D}]{{1,2}}){_GAP}月{_GAP}(?P<d>[{_D}]{{1,2}})(?:{_GAP}(?P<ri>日))?"
)
# digits only, as a line of their own: "2017 6 23" (parts apart) or "2017919" (run together)
_DIGITS_ONLY = lazy_compile(
    r"(?P<y>(?:19|20)[0-9]{2})(?:[ \u3000]+(?P<m>[0-9]{1,2})[ \u3000]+(?P<d>[0-9]{1,2})|(?P<run>[0-9]{2,4}))"
)
_LOOSE_CN = lazy_compile(
    rf"(?P<y>[〇一二三四五六七八九{_ZERO_LOOKALIKES}]{{4}}){_GAP}年{_GAP}(?P<m>{_CN_MONTH}){_GAP}月{_GAP}"
    rf"(?P<d>{_CN_DAY})(?:{_GAP}(?P<ri>日))?"
)


def loose_date(text: str, line: int, column: int) -> DateObs | None:
    """The date a 成文日期 line ends with, read leniently: spaces inside (2021年12月 31 日), no 日 (2025年1月23),
    a look-alike zero (二OO五年, 二○一○年).  `text` is what follows the signature on the line, from `column`;
    the date must end it.  None when it is no such date."""
    stripped = text.rstrip(" \u3000\t）)")
    bare = _DIGITS_ONLY.fullmatch(stripped)
    if bare is not None:
        return _digits_only(bare, line, column)
    for pattern, style in ((_LOOSE_ARABIC, "arabic_cn"), (_LOOSE_CN, "chinese_numeral")):
        m = pattern.search(stripped)
        if m is None or m.end() != len(stripped) or (m.start() and stripped[m.start() - 1] in _ARABIC_DIGITS):
            continue
        raw = m.group()
        problems = []
        if any(ch in raw for ch in " \u3000\t"):
            problems.append(SPACE_INSIDE)
        if m.group("ri") is None:
            problems.append(MISSING_DAY)
        year_text = m.group("y")
        if style == "arabic_cn":
            year, month, day = _int(year_text), _int(m.group("m")), _int(m.group("d"))
            leading_zero = (len(m.group("m")) == 2 and m.group("m")[0] in "0０") or (
                len(m.group("d")) == 2 and m.group("d")[0] in "0０"
            )
        else:
            if any(ch in _ZERO_LOOKALIKES for ch in year_text):
                problems.append(LOOKALIKE_ZERO)
            year = cn_number("".join("〇" if ch in _ZERO_LOOKALIKES else ch for ch in year_text))
            month, day = cn_number(m.group("m")), cn_number(m.group("d"))
            leading_zero = False
        if not problems:
            return None  # a well-formed date: the strict finder has it
        value = _valid(year, month, day)
        return DateObs(
            line=line,
            column=column + m.start(),
            end_column=column + m.end(),
            raw=raw,
            value=value,
            year=year,
            month=month,
            day=day,
            style=style,
            has_leading_zero=leading_zero,
            two_digit_year=False,
            precision="day",
            suggested=_written(style, value) if value is not None else None,
            problems=tuple(problems),
        )
    return None


def _digits_only(m: re.Match, line: int, column: int) -> DateObs | None:
    """A date whose 年月日 are lost, read only when one reading makes a real date (2017919 is 2017-9-19: 91 is no
    month); otherwise it is no date at all."""
    year = int(m.group("y"))
    if m.group("run") is None:
        readings = [(int(m.group("m")), int(m.group("d")))]
    else:
        run = m.group("run")
        readings = [(int(run[:k]), int(run[k:])) for k in (1, 2) if 0 < k < len(run) and len(run) - k <= 2]
    valid = [v for v in (_valid(year, mo, d) for mo, d in readings) if v is not None]
    if len(valid) != 1:
        return None
    value = valid[0]
    problems = (NO_UNITS, SPACE_INSIDE) if m.group("run") is None else (NO_UNITS,)
    return DateObs(
        line=line,
        column=column + m.start(),
        end_column=column + m.end(),
        raw=m.group(),
        value=value,
        year=year,
        month=value.month,
        day=value.day,
        style="arabic_cn",
        has_leading_zero=False,
        two_digit_year=False,
        precision="day",
        suggested=_written("arabic_cn", value),
        problems=problems,
    )


def _written(style: str, value: date) -> str:
    """The date as it should be written: Arabic (GB/T 9704-2012), or in Chinese numerals with 〇 (1999)."""
    if style != "chinese_numeral":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{chinese_numeral_year(value.year)}年{_cn_small(value.month)}月{_cn_small(value.day)}日"


def chinese_numeral_year(year: int) -> str:
    return "".join("〇一二三四五六七八九"[int(ch)] for ch in str(year))


def _cn_small(n: int) -> str:
    """1–31 in Chinese numerals: 五, 十, 十二, 二十, 三十一."""
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def chinese_numeral_date(value: date) -> str:
    """二〇〇九年八月十二日: the 成文日期 as GB/T 9704-1999 wrote it."""
    return _written("chinese_numeral", value)
