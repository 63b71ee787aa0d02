"""发文字号 (document numbers) such as 新政办〔2022〕34号, with their defects.

GB/T 9704-2012 7.2.5: 机关代字 + 〔年份〕 + 顺序号 + 号; the year in full, in
U+3014/U+3015 brackets; no 第, no leading zeros.  Everything is checked on the
raw text: NFKC would turn ﹝﹞ into 〔〕 and hide the defect.

Prefix heuristic and its limits: the prefix is the run of CJK characters
(at most 12) right before the opening bracket, cut after the last citing word
in it (根据, 按照, 依据, 印发, 转发, 关于 ...) and after a few one-character
joiners (和, 及, 与, 由 ...).  It cannot tell an agency code from an ordinary
word glued to it without punctuation ("市里新政办〔2022〕34号" gives
"市里新政办") unless `known_prefixes` (the codes from rules/places) is given,
in which case a run ending with a known code is cut to that code.  Agency
codes containing one of the one-character joiners would be cut wrongly.  A
prefix ending with 令 is a decree (住建部令第42号 style), not a 发文字号.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass

from checker.core.lazyre import lazy_compile
from checker.domains.documents.text.positions import line_index

RIGHT_OPEN, RIGHT_CLOSE = "〔", "〕"
# Look-alikes seen in real documents (domain.md §3; „‟ U+201E/U+201F in web copies).  Mixed pairs are matched too.
_OPEN = "〔﹝【〖［[（(〘„"
_CLOSE = "〕﹞】〗］]）)〙‟"
_SQUARE_OPEN = "〔﹝【〖［[〘„"  # brackets that, unlike （）, are not ordinary text around a year
_DIGIT = "0-9０-９"
_GAP = r"[ \u3000]*"

_CORE = lazy_compile(
    rf"(?P<open>[{re.escape(_OPEN)}]){_GAP}(?P<year>[{_DIGIT}]{{4}}|[{_DIGIT}]{{2}}){_GAP}"
    rf"(?P<close>[{re.escape(_CLOSE)}])"
    rf"{_GAP}(?P<di>第)?{_GAP}(?P<seq>[{_DIGIT}]{{1,6}})(?:(?P<gap>{_GAP})(?P<hao>号))?"
    r"(?!令|楼|院|线|码|房|室|栋|地块|[0-9０-９])"  # 第42号令, 3号楼, 5号线, 2号地块 ...
)
# 〔 opened and never closed: 新府办〔200980, 粤府办〔200945号 (the year's four digits run into the number)
_UNCLOSED = lazy_compile(
    rf"(?P<open>[{re.escape(_SQUARE_OPEN)}])(?P<year>(?:19|20)[0-9]{{2}})(?P<seq>[0-9]{{1,4}})(?P<hao>号)?(?![0-9〕﹞】〗］\]〙‟])"
)
# what may follow a number written without 号 (so that it is not the start of something else)
_AFTER_NO_HAO = frozenset(" \u3000\t\n）)》」』，。；、,;:：")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_BEFORE = lazy_compile(rf"[{_CJK}]{{1,24}}$")
# Words that end a preceding phrase: the prefix starts after the last of them.
_STOP = lazy_compile(
    r".*(?:根据|按照|依据|依照|参照|遵照|对照|贯彻|落实|执行|印发|转发|详见|参见|关于|通过|结合|"
    r"引用|出现|提到|涉及|使用|沿用|文件|[和及与由据按依见即是为的在将对把向号了])"
)
_NOT_SPACE = lazy_compile(r"\S")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

LOOKALIKE_BRACKET = "lookalike_bracket"
SHORT_YEAR = "short_year"
LEADING_ZERO = "leading_zero"
ORDINAL_DI = "ordinal_di"
FULLWIDTH_DIGIT = "fullwidth_digit"
SPACE_INSIDE = "space_inside"
NO_HAO = "no_hao"
UNCLOSED = "unclosed"


# not frozen (hashable all the same): a frozen dataclass pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@dataclass(slots=True, unsafe_hash=True)
class DocNumberObs:
    """One 发文字号.  `raw` spans the bracket..号 part (certain); the prefix precedes it."""

    line: int
    column: int  # column of the opening bracket
    end_column: int  # just after 号
    raw: str  # e.g. "〔2022〕034号"
    prefix: str  # e.g. "新政办" (heuristic, see module doc)
    year: int | None  # None when the year is not written in full
    year_text: str  # digits as written, e.g. "23"
    sequence: int
    # lookalike_bracket, short_year, leading_zero, ordinal_di, fullwidth_digit, space_inside, no_hao, unclosed
    problems: tuple[str, ...]
    fixed: str | None  # corrected `raw`; None if none needed or not known
    prefix_start_column: int
    cited: bool  # other text precedes it on its line (running text), unlike a number that starts its line
    guessed: bool = False  # `fixed` reads where the year ends (an unclosed bracket): shown, not applied

    @property
    def full_raw(self) -> str:
        """Prefix and number as written, e.g. "新政办〔2022〕034号"."""
        return self.prefix + self.raw

    @property
    def canonical(self) -> str | None:
        """The whole number in GB/T 9704 form, or None when the year is unknown."""
        if self.year is None:
            return None
        return f"{self.prefix}〔{self.year}〕{self.sequence}号"


def _prefix(text: str, start: int, known: frozenset[str] | None, lengths: tuple[int, ...] = ()) -> str:
    """The agency prefix before the bracket at `start` ("" when there is none); spaces before `start` are the
    caller's to skip.  `lengths`: those of the `known` prefixes, longest first (only tails that long can be one)."""
    m = _RUN_BEFORE.search(text, max(0, start - 24), start)
    if not m:
        return ""
    run = m.group()
    stop = _STOP.match(run)
    if stop:
        run = run[stop.end() :]
    if known:
        size = len(run)
        for n in lengths or range(min(size, 12), 0, -1):
            if n <= size and run[-n:] in known:
                return run[-n:]
    return run[-12:]


def find_doc_numbers(text: str, known_prefixes: Collection[str] | None = None) -> list[DocNumberObs]:
    """Every 发文字号 in `text`: the document's own and every cited one, also when miswritten (no 号, spaces,
    a bracket never closed).

    `known_prefixes` (e.g. `Places.prefix_forms()`): when the CJK run before a
    bracket ends with one of them, the longest such tail is the prefix, which
    fixes runs the stop words miss ("文中提及宛建行规" gives 宛建行规).
    """
    known = frozenset(known_prefixes) if known_prefixes else None
    lengths = tuple(sorted({len(k) for k in known if 0 < len(k) <= 12}, reverse=True)) if known else ()
    out: list[DocNumberObs] = []
    idx = None
    # spans of the well-formed numbers taken, in text order: an unclosed candidate inside one is part of it
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    first_text: dict[int, int] = {}  # line -> offset of its first non-space character
    for m, unclosed in _matches(text):
        start = m.start()
        if unclosed:
            i = bisect_right(taken_starts, start) - 1
            if i >= 0 and start < taken_ends[i]:
                continue
        gap_start = start
        while gap_start > 0 and text[gap_start - 1] in " \u3000":
            gap_start -= 1
        prefix = _prefix(text, gap_start, known, lengths)
        if not prefix or prefix.endswith("令"):
            continue
        open_b = m.group("open")
        close_b = None if unclosed else m.group("close")
        year_text, seq_text = m.group("year"), m.group("seq")
        year_ascii = year_text.translate(_FULLWIDTH_DIGITS)
        seq_ascii = seq_text.translate(_FULLWIDTH_DIGITS)
        lookalike = open_b != RIGHT_OPEN or (close_b is not None and close_b != RIGHT_CLOSE)
        full_year = len(year_text) == 4
        # Common brackets around a number are everywhere; only a plausible year makes them a doc number.
        if (lookalike or unclosed) and full_year and not year_ascii.startswith(("19", "20")):
            continue
        has_hao = m.group("hao") is not None
        if not has_hao and not unclosed:
            following = text[m.end() : m.end() + 1]
            # without 号 only in square brackets and where the number visibly ends (咸安政发〔2019〕1)
            if open_b not in _SQUARE_OPEN or (following and following not in _AFTER_NO_HAO):
                continue
        problems = []
        if unclosed:
            problems.append(UNCLOSED)
            if open_b != RIGHT_OPEN:
                problems.append(LOOKALIKE_BRACKET)
        elif lookalike:
            problems.append(LOOKALIKE_BRACKET)
        if not full_year:
            problems.append(SHORT_YEAR)
        if len(seq_ascii) > 1 and seq_ascii.startswith("0"):
            problems.append(LEADING_ZERO)
        if not unclosed and m.group("di"):
            problems.append(ORDINAL_DI)
        if year_ascii != year_text or seq_ascii != seq_text:
            problems.append(FULLWIDTH_DIGIT)
        if " " in m.group() or "\u3000" in m.group() or gap_start < start:
            problems.append(SPACE_INSIDE)
        if not has_hao:
            problems.append(NO_HAO)
        year = int(year_ascii) if full_year else None
        sequence = int(seq_ascii)
        fixed = None
        if problems and full_year:
            fixed = f"{RIGHT_OPEN}{year_ascii}{RIGHT_CLOSE}{sequence}号"
        if idx is None:
            idx = line_index(text)
        line, col = idx.line_col(start)
        gap = text[gap_start:start]
        prefix_start = gap_start - len(prefix)
        first = first_text.get(line)
        if first is None:
            first = first_text[line] = _first_text(text, start - (col - 1))
        cited = first < prefix_start
        if not unclosed:
            taken_starts.append(start)
            taken_ends.append(m.end())
        out.append(
            DocNumberObs(
                line=line,
                column=col - len(gap),
                end_column=col + (m.end() - start),
                raw=gap + m.group(),  # from the spaces after the prefix, so that a fix removes them too
                prefix=prefix,
                year=year,
                year_text=year_text,
                sequence=sequence,
                problems=tuple(problems),
                fixed=fixed,
                prefix_start_column=col - len(gap) - len(prefix),
                cited=cited,
                guessed=unclosed,
            )
        )
    out.sort(key=lambda o: (o.line, o.column))
    return out


def _first_text(text: str, line_start: int) -> int:
    """Offset of the first non-space character of the line starting at `line_start` (its end when it has none)."""
    m = _NOT_SPACE.search(text, line_start)
    end = text.find("\n", line_start)
    end = len(text) if end < 0 else end
    return m.start() if m is not None and m.start() < end else end


def _matches(text: str):
    """(match, unclosed) of every candidate, well-formed ones first."""
    for m in _CORE.finditer(text):
        yield m, False
    for m in _UNCLOSED.finditer(text):
        yield m, True
