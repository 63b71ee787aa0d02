"""How numbers are written in running text (GB/T 15835-2011《出版物上数字用法》), with exact positions.

Six problems, each found only where its reading is clear; nothing is guessed:

- short_year: an Arabic year written with two digits ("24年底", "自22年以来", "2023—25年").  "24年" alone may be a
  length of time (用24年时间, 成立30年以来), so it is taken for a year only before a month ("24年5月"), before a
  word that follows only a year (底, 末, 度, 上半年 …, `short_year_suffixes`), before 以来/起/开始 when the number
  starts its clause or follows 自/从 (`short_year_clause_suffixes`, `short_year_leads`), or as the abbreviated end
  of a range after a four-digit year.  The century is never supplied.
- zero_in_year: a Chinese-numeral year (一九xx/二〇xx) with 零, ○ (U+25CB), O/o/Ｏ or 0 standing for 〇 (U+3007).
- mixed_date: one date whose year, month and day are not all Arabic or all Chinese numerals ("二〇二四年8月8日").
  A Chinese month followed by a day without 日 (2024年八月十五) reads as a 农历 day and is left alone.
- fullwidth: full-width digits (２０２４); the fix is the half-width digits (and "." for a full-width point between
  digits).  A heading ordinal with a wrong mark at a line start (１、 ２．) is left to the heading check, whose fix
  writes mark and digits together (1.).
- bare_decimal: a pure decimal without its leading 0 (".46"), only between a Chinese word and a unit, % or a
  punctuation mark (never a heading number, a file name or a version).
- range_unit: a range whose first value drops the multiplier or % the second has ("15～30%", "9～16亿"), only when
  the first value is the smaller (500～1万元 reads as 500元 to 1万元, not a dropped 万).

Chinese numerals the standard keeps (农历 dates, adjacent-numeral 约数 such as 三四个月, fixed words such as 一律,
星期五, “十四五”) are never flagged: no finder here reports a Chinese numeral for being one.

`skip_dates` / `skip_all` are character spans the caller's other checks already judge (the 成文日期 and the
发文字号): the year problems are not reported inside `skip_dates`, nothing inside `skip_all`.  The finders run
over the text with full-width digits read as half-width (same length, so positions hold).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from heapq import merge
from itertools import islice

from checker.core.lazyre import compile_pattern, lazy_compile
from checker.core.plain import plain
from checker.domains.documents.text.cndate import Found, cn_number
from checker.domains.documents.text.positions import line_index

SHORT_YEAR = "short_year"
ZERO_IN_YEAR = "zero_in_year"
MIXED_DATE = "mixed_date"
FULLWIDTH = "fullwidth"
BARE_DECIMAL = "bare_decimal"
RANGE_UNIT = "range_unit"

_TO_HALF = str.maketrans("０１２３４５６７８９", "0123456789")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CN_DIGITS = "〇一二三四五六七八九"
_LOOKALIKE_ZEROS = "零○OoＯ0"  # stand-ins for 〇 seen in real documents (full-width ０ is read as 0 here)
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"

_CJK_CHAR = lazy_compile(f"[{_CJK}]")
_FULLWIDTH_RUN = lazy_compile(r"[０-９]+(?:[．.][０-９]+)*")
# what follows the number of a heading ordinal written with the wrong mark (１、 ２． ３，): not another number
# (１、２月份); text/headings.py reads it the same way
_HEADING_ORDINAL = lazy_compile(r"[ \u3000]?[．、，,](?![0-9０-９])")
# what may stand before a Chinese numeral inside a longer number (not at its start)
_IN_CN_NUMBER = frozenset(_CN_DIGITS + _LOOKALIKE_ZEROS + "十百千万")
_IN_CN_DATE = frozenset(_CN_DIGITS + _LOOKALIKE_ZEROS + "十")
_ZERO_YEAR = lazy_compile(rf"[一二][{_CN_DIGITS}{_LOOKALIKE_ZEROS}]{{3}}年")
# a date of year, month and (perhaps) day, each part Arabic or Chinese: fixed-length parts, no backtracking
_DATE = lazy_compile(
    rf"(?P<y>[0-9]{{4}}|[{_CN_DIGITS}{_LOOKALIKE_ZEROS}]{{4}})年"
    rf"(?P<m>[0-9]{{1,2}}|{_CN_MONTH})月(?:(?P<d>[0-9]{{1,2}}|{_CN_DAY})日)?"
)
_TWO_DIGIT_YEAR = lazy_compile(r"[0-9]{2}年")
# the 年 of a date whose parts are not all written alike, 4 characters after its start: where `_DATE` reads a
# mixed date, and nowhere else (a date written alike, 100,000 times on a line, is passed over in C, and the
# engine skips to each 年 as to a literal)
_Y = f"[{_CN_DIGITS}{_LOOKALIKE_ZEROS}]"
_MIXED = lazy_compile(
    rf"年(?:(?<=[0-9]{{4}}年)(?:{_CN_MONTH}月|[0-9]{{1,2}}月{_CN_DAY}日)"
    rf"|(?<={_Y}{{4}}年)(?:[0-9]{{1,2}}月|{_CN_MONTH}月[0-9]{{1,2}}日))"
)
# the 年 of a `_TWO_DIGIT_YEAR` that follows no ASCII digit (one that does is no two-digit year)
_TWO_DIGIT_YEAR_END = lazy_compile(r"年(?<=(?<![0-9])[0-9]{2}年)")
_MONTH_AFTER = lazy_compile(r"(?P<m>[0-9]{1,2})(?:[-—～~至到](?P<m2>[0-9]{1,2}))?月")
_NUMBER = lazy_compile(r"[0-9]+(?:\.[0-9]+)?")
_BARE_DECIMAL = lazy_compile(r"[.．][0-9]{1,4}")
_CLAUSE_START = frozenset("\n，,。；;：:！!？?（(、“‘「『 \u3000\t")
_NOT_BEFORE_NUMBER = frozenset("0123456789.．/／:：-－_#＃第")
_LUNAR_DAY_START = frozenset("初十廿二三")  # 2024年八月十五: a 农历 day follows a Chinese month without 日
_DAY_COUNT_AFTER = ("内", "之内", "以内", "后", "之后", "以后")  # 5月三日内: a count of days, not a day


@plain(frozen=True)
class DigitWords:
    """The language data the finders read (the pack's settings, see packs/document-number-usage/pack.yaml)."""

    short_year_suffixes: tuple[str, ...]
    short_year_clause_suffixes: tuple[str, ...]
    short_year_leads: tuple[str, ...]
    short_year_breakers: tuple[str, ...]
    range_connectors: tuple[str, ...]
    range_multipliers: tuple[str, ...]


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class DigitObs:
    line: int
    column: int
    end_column: int
    raw: str
    problem: str
    suggestion: str | None  # the span written right; None when it cannot be known (a two-digit year)
    lookalike: str | None = None  # zero_in_year: what stands for 〇
    omitted: str | None = None  # range_unit: the multiplier or sign the first value lacks
    start: int = 0  # character offsets of the span
    end: int = 0


class _Spans:
    """Character spans, merged and sorted, asked in O(log n) whether they overlap [start, end)."""

    def __init__(self, spans):
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1  # the last span starting at or before `start`
        if i >= 0 and self.ends[i] > start:
            return True
        return i + 1 < len(self.starts) and self.starts[i + 1] < end


def _after_digit(words: tuple[str, ...]) -> re.Pattern:
    """One of the words right after an ASCII digit, found by the word (the engine skips to the characters that
    may open one, not to every digit): one alternative per length, each with its fixed-width lookbehind."""
    lengths = sorted({len(w) for w in words if w}, reverse=True)
    parts = [rf"(?:{_alternation(tuple(w for w in words if len(w) == n))})(?<=[0-9]{'.' * n})" for n in lengths]
    return compile_pattern("|".join(parts) or r"(?!)")


def _alternation(words: tuple[str, ...]) -> str:
    """The words as one regex alternation, longest first (never matching when there are none)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)"


@plain(frozen=True)
class _Patterns:
    connectors: re.Pattern
    multipliers: re.Pattern
    suffixes: re.Pattern
    clause_suffixes: re.Pattern
    range_head: re.Pattern  # 2023— before a two-digit year: 2023—25年
    range_line: re.Pattern  # a connector after a digit: a line without one holds no range
    # a number followed by a connector, a number and a multiplier: the only numbers `_ranges` may read (None
    # when a connector could start inside a number, and every number is read).  Tried only where a run of
    # digits starts, each number read as `_NUMBER` reads it (atomic): a million digits are one try.
    range_candidate: re.Pattern | None


@lru_cache(maxsize=4)
def _patterns(words: DigitWords) -> _Patterns:
    connectors = _alternation(words.range_connectors)
    multipliers = _alternation(words.range_multipliers)
    plain = all(c and not (c[0].isdigit() or c[0] == ".") for c in words.range_connectors)
    return _Patterns(
        compile_pattern(connectors),
        compile_pattern(multipliers),
        compile_pattern(_alternation(words.short_year_suffixes)),
        compile_pattern(_alternation(words.short_year_clause_suffixes)),
        compile_pattern(rf"(?<![0-9])(?:19|20)[0-9]{{2}}年?(?:{connectors})$"),
        _after_digit(words.range_connectors),
        compile_pattern(
            rf"[0-9](?<![0-9]{{2}})(?>[0-9]*(?:\.[0-9]+)?)(?=(?:{connectors})(?>{_NUMBER.pattern})(?:{multipliers}))"
        )
        if plain
        else None,
    )


_AS_ZERO = str.maketrans(dict.fromkeys(_LOOKALIKE_ZEROS, "〇"))


def _cn_value(s: str) -> int:
    """A Chinese month or day (十二, 二十一) or a year read digit by digit (二〇二四), look-alike zeros read as 〇."""
    return cn_number(s.translate(_AS_ZERO))


def halfwidth(s: str) -> str:
    """`s` with its full-width digits half-width."""
    return s.translate(_TO_HALF)


def _as_fixed(text: str) -> str:
    """The text as the full-width fix leaves it (２０２４ → 2024, ３６．５ → 36.5), character for character, so that
    what the other finders see does not change when that fix is applied (and --fix needs one pass)."""
    if not any(digit in text for digit in "０１２３４５６７８９"):  # (ten searches in C beat one of the class)
        return text  # nothing to change: a translate() of a megabyte costs a tenth of a second
    half = text.translate(_TO_HALF)
    if "．" not in text:
        return half
    return _FULLWIDTH_RUN.sub(lambda m: m.group().translate(_TO_HALF).replace("．", "."), text).translate(_TO_HALF)


def _is_arabic(part: str) -> bool:
    return part.isascii() and part.isdigit()


def find_digit_usage(
    text: str,
    words: DigitWords,
    skip_dates: list[tuple[int, int]] = (),
    skip_all: list[tuple[int, int]] = (),
    limit: int | None = None,
    skip: Callable[[int, int], bool] | None = None,
) -> list[DigitObs]:
    """Every number-usage problem in `text` (or the first `limit`), ordered by position (`iter_digit_usage`)."""
    return list(islice(iter_digit_usage(text, words, skip_dates, skip_all, skip), limit))


def iter_digit_usage(
    text: str,
    words: DigitWords,
    skip_dates: list[tuple[int, int]] = (),
    skip_all: list[tuple[int, int]] = (),
    skip: Callable[[int, int], bool] | None = None,
) -> Iterator[DigitObs]:
    """Each number-usage problem in `text`, ordered by position (then end and problem): each finder reads the
    text only as far as the problems taken need, so the first thousand of 100,000 cost a thousand.  `skip`:
    whether a span [start, end) is to be left out like those in `skip_all` (asked of each problem found)."""
    half = _as_fixed(text)
    ranges = Found(_ranges(half, words))
    dates = _Spans(skip_dates)
    # (the text as the fix leaves it is the text itself when it holds no full-width digit: no run to read)
    fullwidth = _fullwidth(text, half, ranges) if half is not text else iter(())
    decimals = _bare_decimals(half) if "." in half or "．" in half else iter(())

    def years(found):
        for hit in found:
            if not dates.overlaps(hit[0], hit[1]):
                yield hit

    found = merge(
        iter(ranges),
        fullwidth,
        decimals,
        years(_zero_years(text, half)),
        years(_mixed_dates(half)),
        years(_short_years(half, words)),
        key=lambda h: (h[0], h[1], h[2]),
    )
    idx = line_index(text)
    skipped = _Spans(skip_all)
    for start, end, problem, suggestion, lookalike, omitted in found:
        if skipped.overlaps(start, end) or (skip is not None and skip(start, end)):
            continue
        line, column = idx.line_col(start)
        yield DigitObs(
            line, column, column + (end - start), text[start:end], problem, suggestion, lookalike, omitted, start, end
        )


# ------------------------------------------------------------------------------------------------ the finders


def _ranges(half: str, words: DigitWords, patterns: _Patterns | None = None):
    """15～30% → 15%～30%, 9～16亿 → 9亿～16亿: the first value lacks the second's multiplier or sign.  Only the
    numbers a range may start with are read (`range_candidate`): any other starts none, and a candidate found
    inside a longer number follows a digit or a point, as the number read there would."""
    patterns = patterns or _patterns(words)
    connectors, multipliers = patterns.connectors, patterns.multipliers
    chained = frozenset(c[-1] for c in words.range_connectors)
    # what a connector can open with: a number followed by none of them starts no range (most numbers)
    opening = None if any(not c for c in words.range_connectors) else frozenset(c[0] for c in words.range_connectors)
    numbers = _NUMBER.finditer(half) if patterns.range_candidate is None else _range_candidates(half, patterns)
    for m in numbers:
        start, end = m.span()
        if opening is not None and half[end : end + 1] not in opening:
            continue
        before = half[start - 1] if start else ""
        chain = before in chained and start >= 2 and half[start - 2].isdigit()
        if before and (before in _NOT_BEFORE_NUMBER or chain or (before.isascii() and before.isalpha())):
            continue  # inside a longer number, a code, or a chain (1～2～3%)
        c = connectors.match(half, end)
        if c is None or half.startswith(c.group() * 2, end):  # —— is a dash, not a range
            continue
        second = _NUMBER.match(half, c.end())
        if second is None:
            continue
        mult = multipliers.match(half, second.end())
        if mult is None:
            continue
        if float(m.group()) >= float(second.group()):
            continue  # 500～1万元: the first is not the second's multiplier dropped
        stop = mult.end()
        fixed = m.group() + mult.group() + c.group() + second.group() + mult.group()
        yield start, stop, RANGE_UNIT, fixed, None, mult.group()


def _range_candidates(half: str, patterns: _Patterns):
    """The `range_candidate` numbers of the lines where a digit meets a connector (a range never spans a line)."""
    pos = 0
    while (hit := patterns.range_line.search(half, pos)) is not None:
        start = half.rfind("\n", 0, hit.start()) + 1
        pos = half.find("\n", hit.end())
        pos = len(half) if pos < 0 else pos
        yield from patterns.range_candidate.finditer(half, start, pos)


def _fullwidth(text: str, half: str, ranges: Found):
    """Full-width digit runs; one inside a range finding shares that finding's span and fix, so that one edit
    fixes both and --fix needs a single pass.  `ranges` (disjoint, in text order) are read as far as the runs go."""
    shared: set[tuple[int, int]] = set()
    outer_at = -1  # the last range starting at or before the run
    for m in _FULLWIDTH_RUN.finditer(text):
        start, end = m.span()
        while _item(ranges, outer_at + 1) is not None and ranges[outer_at + 1][0] <= start:
            outer_at += 1
        outer = ranges[outer_at] if outer_at >= 0 and end <= ranges[outer_at][1] else None
        if outer is not None:
            if (outer[0], outer[1]) not in shared:
                shared.add((outer[0], outer[1]))
                yield outer[0], outer[1], FULLWIDTH, outer[3], None, None
            continue
        if end - start <= 3 and _HEADING_ORDINAL.match(text, end) and _starts_line(text, start):
            continue  # １、２．: a heading ordinal, corrected with its mark (digits included) by the heading check
        yield start, end, FULLWIDTH, m.group().translate(_TO_HALF).replace("．", "."), None, None


def _item(found: Found, i: int):
    """`found[i]`, or None when it holds fewer."""
    try:
        return found[i]
    except IndexError:
        return None


def _starts_line(text: str, pos: int) -> bool:
    """Only indentation stands between the line start and `pos` (the spaces walked are never walked again)."""
    while pos and text[pos - 1] in " \u3000\t":
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def _bare_decimals(half: str):
    """.46 for 0.46, between a Chinese word (or a space or opening bracket) and a unit, % or punctuation."""
    for m in _BARE_DECIMAL.finditer(half):
        start, end = m.span()
        before = half[start - 1] if start else ""
        after = half[end] if end < len(half) else ""
        if not before or not (_CJK_CHAR.match(before) or before in " \u3000（(") or before == "第":
            continue
        if after.isdigit() or after in ".．、" or (after.isascii() and after.isalpha()) or after in "年月日号时分秒":
            continue
        if not after or after == "\n":
            continue
        yield start, end, BARE_DECIMAL, "0." + m.group()[1:], None, None


def _zero_years(text: str, half: str):
    """二零二五年 → 二〇二五年: a 19xx/20xx year in Chinese numerals with a look-alike for 〇."""
    read: dict[tuple[str, str], tuple[str, str] | None] = {}  # (digits, as written) -> (fix, look-alikes shown)
    for m in _ZERO_YEAR.finditer(half):
        start = m.start()
        if start and half[start - 1] in _IN_CN_NUMBER:
            continue
        digits = m.group()[:-1]
        written = text[start : start + len(digits)]
        key = (digits, written)
        if key not in read:  # a year written again (a hostile text's 200,000 二零二五年) is read once
            lookalikes = [written[i] for i, ch in enumerate(digits) if ch in _LOOKALIKE_ZEROS]
            if not lookalikes or _cn_value(digits) // 100 not in (19, 20):
                read[key] = None
            else:
                fixed = "".join("〇" if ch in _LOOKALIKE_ZEROS else ch for ch in digits) + "年"
                read[key] = (fixed, "、".join(dict.fromkeys(lookalikes)))
        found = read[key]
        if found is not None:
            yield start, m.end(), ZERO_IN_YEAR, found[0], found[1], None


def _mixed_dates(half: str, every: bool = False):
    """二〇二四年8月8日, 2024年八月八日: one date with Arabic and Chinese parts.  Only where `_MIXED` finds one is the
    date read (`every`: each date is, as before): a date written alike is passed over, and none of its
    characters starts a date."""
    pos = 0
    while True:
        if every:
            m = _DATE.search(half, pos)
        else:
            found = _MIXED.search(half, pos + 4)
            m = _DATE.match(half, found.start() - 4) if found is not None else None
            if found is not None and m is None:
                pos = found.start() - 3
                continue
        if m is None:
            return
        pos = m.start() + 1
        start, end = m.span()
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        if start and (half[start - 1].isdigit() or half[start - 1] in _IN_CN_DATE):
            continue
        forms = {_is_arabic(y), _is_arabic(mo)} | ({_is_arabic(d)} if d else set())
        if len(forms) == 1:
            pos = end
            continue
        if d is None and not _is_arabic(mo) and end < len(half) and half[end] in _LUNAR_DAY_START:
            continue  # 2024年八月十五: a 农历 day
        if d is not None and not _is_arabic(d) and half.startswith(_DAY_COUNT_AFTER, end):
            continue  # 2024年5月三日内: three days
        if not _is_arabic(y) and y[0] not in "一二":
            continue
        year = int(y) if _is_arabic(y) else _cn_value(y)
        month = int(mo) if _is_arabic(mo) else _cn_value(mo)
        if year // 100 not in (19, 20) or not 1 <= month <= 12:
            continue
        suggestion = f"{year}年{month}月"
        if d is not None:
            day = int(d) if _is_arabic(d) else _cn_value(d)
            if not 1 <= day <= 31:
                continue
            suggestion += f"{day}日"
        yield start, end, MIXED_DATE, suggestion, None, None
        pos = end


def _short_years(half: str, words: DigitWords, every: bool = False):
    """24年5月, 24年底, 自22年以来, 2023—25年: a year written with its last two digits, in a reading that is one."""
    patterns = _patterns(words)
    suffixes, clause_suffixes, range_head = patterns.suffixes, patterns.clause_suffixes, patterns.range_head
    breakers = tuple(words.short_year_breakers)
    leads = tuple(words.short_year_leads)
    # each two-digit year (`every`), or only those that follow no ASCII digit, found by their 年
    found = (
        (m.span() for m in _TWO_DIGIT_YEAR.finditer(half))
        if every
        else ((m.start() - 2, m.end()) for m in _TWO_DIGIT_YEAR_END.finditer(half))
    )
    for start, end in found:  # end is after 年
        before = half[start - 1] if start else "\n"
        if before.isdigit():
            continue
        head = range_head.search(half, max(0, start - 7), start)
        if head is not None:
            yield start, end, SHORT_YEAR, None, None, None
            continue
        if before in _NOT_BEFORE_NUMBER or (before.isascii() and before.isalpha()):
            continue
        if half.startswith(breakers, end):
            continue
        month = _MONTH_AFTER.match(half, end)
        if month is not None and 1 <= int(month.group("m")) <= 12:
            yield start, end, SHORT_YEAR, None, None, None
            continue
        if suffixes.match(half, end):
            yield start, end, SHORT_YEAR, None, None, None
            continue
        led = before in _CLAUSE_START or any(half.endswith(lead, 0, start) for lead in leads)
        if led and clause_suffixes.match(half, end):
            yield start, end, SHORT_YEAR, None, None, None
