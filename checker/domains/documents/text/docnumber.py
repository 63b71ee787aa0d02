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
from collections.abc import Collection, Iterator, Sequence
from itertools import islice

from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.domains.documents.text.cndate import Found
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


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
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
    return _prefix_of(m.group(), known, lengths) if m else ""


def _prefix_of(run: str, known: frozenset[str] | None, lengths: tuple[int, ...] = ()) -> str:
    """The agency prefix a run of CJK characters before a bracket ends with (`_prefix`)."""
    stop = _STOP.match(run)
    if stop:
        run = run[stop.end() :]
    if known:
        size = len(run)
        for n in lengths or range(min(size, 12), 0, -1):
            if n <= size and run[-n:] in known:
                return run[-n:]
    return run[-12:]


def find_doc_numbers(
    text: str, known_prefixes: Collection[str] | None = None, limit: int | None = None
) -> list[DocNumberObs]:
    """Every 发文字号 in `text` (or the first `limit`), in text order: the document's own and every cited one,
    also when miswritten (no 号, spaces, a bracket never closed).

    `known_prefixes` (e.g. `Places.prefix_forms()`): when the CJK run before a
    bracket ends with one of them, the longest such tail is the prefix, which
    fixes runs the stop words miss ("文中提及宛建行规" gives 宛建行规).
    """
    return list(islice(DocNumbers(text, known_prefixes), limit))


class DocNumbers(Sequence):
    """The 发文字号 of one text (`find_doc_numbers`), each read only when asked for: in text order (iterating
    it), near a point (`overlapping`), or among those the metadata may take for the document's own
    (`for_meta`).  The candidates of the two patterns are found only as far as asked (a candidate never spans a
    line, so a line is read on its own), each number read once: a line of 60,000 cited numbers costs what is
    read of it.  A sequence otherwise (its length, or iterating it to the end, reads them all, once)."""

    def __init__(self, text: str, known_prefixes: Collection[str] | None = None):
        self.text = text
        known = frozenset(known_prefixes) if known_prefixes else None
        self._known = known
        self._lengths = tuple(sorted({len(k) for k in known if 0 < len(k) <= 12}, reverse=True)) if known else ()
        self._idx = line_index(text)  # kept: `line_index` remembers one text only
        self._core = _Candidates(_CORE, text)
        self._unclosed = _Candidates(_UNCLOSED, text)
        self._built: dict[tuple[bool, int], DocNumberObs | None] = {}
        self._first_text: dict[int, int] = {}  # line -> offset of its first non-space character
        self._prefixes: dict[str, str] = {}  # run of CJK characters before a bracket -> its prefix
        self._all: Found | None = None

    def _number(self, unclosed: bool, start: int, m: re.Match | None = None) -> DocNumberObs | None:
        """The number the candidate at `start` (of the unclosed or the well-formed ones) is, or None (read once;
        `m`: the candidate's match, when the caller has it)."""
        key = (unclosed, start)
        built = self._built
        if key in built:
            return built[key]
        if unclosed:
            # inside a well-formed number taken, an unclosed candidate is part of it
            core = self._core_around(start)
            if core is not None and self._number(False, core) is not None:
                built[key] = None
                return None
        if m is None:  # what the scan found there: neither pattern looks at anything before its start
            m = (_UNCLOSED if unclosed else _CORE).match(self.text, start)
        found = built[key] = self._read(m, unclosed)
        return found

    def _read(self, m: re.Match, unclosed: bool) -> DocNumberObs | None:
        return _read_number(
            self.text, self._idx, m, unclosed, self._known, self._lengths, self._first_text, self._prefixes
        )

    def _core_around(self, pos: int) -> int | None:
        """The start of the well-formed candidate that holds offset `pos`, if one does.  Read from a point shortly
        before `pos` that no candidate spans (right after a character none holds), else from the candidates
        found in order."""
        text = self.text
        low = max(0, pos - 64)
        q = pos
        while q > low and text[q - 1] in _CORE_CHARS:
            q -= 1
        if q > low or q == 0:
            while (bracket := _OPEN_BRACKET.search(text, q, pos + 1)) is not None:
                m = _CORE.match(text, bracket.start())
                if m is None:
                    q = bracket.start() + 1
                elif m.end() > pos:
                    return m.start()
                else:
                    q = m.end()
            return None
        core = self._core
        core.read_past(pos)
        k = bisect_right(core.starts, pos) - 1
        return core.starts[k] if k >= 0 and core.ends[k] > pos else None

    def _iter(self) -> Iterator[DocNumberObs]:
        """The numbers in text order: the two patterns' candidates merged (a well-formed one first at the same
        start); an unclosed one inside the last well-formed number taken is part of it."""
        core, unclosed = self._core, self._unclosed
        built, read = self._built, self._read
        i = j = 0
        taken_end = -1  # where the last well-formed number taken ends
        while True:
            if i == len(core.starts) and core.rest is not None:
                core.more()
            if j == len(unclosed.starts) and unclosed.rest is not None:
                unclosed.more()
            c = core.starts[i] if i < len(core.starts) else None
            u = unclosed.starts[j] if j < len(unclosed.starts) else None
            if c is None and u is None:
                return
            if u is None or (c is not None and c <= u):
                key = (False, c)
                if key in built:
                    found = built[key]
                else:
                    found = built[key] = read(core.matches[i], False)
                if found is not None:
                    taken_end = core.ends[i]
                i += 1
            else:
                key = (True, u)
                if key in built:
                    found = built[key]
                else:
                    found = built[key] = None if u < taken_end else read(unclosed.matches[j], True)
                j += 1
            if found is not None:
                yield found

    # ------------------------------------------------------------------ as a sequence

    def _found(self) -> Found:
        if self._all is None:
            self._all = Found(self._iter())
        return self._all

    def __iter__(self) -> Iterator[DocNumberObs]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())

    def __getitem__(self, i):
        return self._found()[i]

    def __bool__(self) -> bool:
        return bool(self._found())

    def __eq__(self, other) -> bool:
        return self._found() == other

    __hash__ = None

    def __repr__(self) -> str:
        return f"DocNumbers({list(self)!r})"

    # ------------------------------------------------------------------ read where asked

    def unclosed(self) -> Iterator[DocNumberObs]:
        """The numbers whose bracket is never closed (`UNCLOSED`), in text order: those of `iter(self)` with that
        problem, without reading the well-formed ones but where one may hold a candidate."""
        candidates = self._unclosed
        k = 0
        while k < len(candidates.starts) or candidates.more():
            found = self._number(True, candidates.starts[k], candidates.matches[k])
            if found is not None:
                yield found
            k += 1

    def overlapping(self, start: int, end: int) -> bool:
        """Whether a number's span, from its prefix to its end, overlaps offsets [start, end) (asked in text
        order, the candidates are read once)."""
        idx = self._idx
        for unclosed, candidates in ((False, self._core), (True, self._unclosed)):
            candidates.read_past(end)
            starts, ends = candidates.starts, candidates.ends
            k = bisect_right(ends, start)  # the first candidate ending after `start` (those of one kind never overlap)
            while k < len(ends):
                found = self._number(unclosed, starts[k], candidates.matches[k])
                if found is not None and idx.offset(found.line, found.prefix_start_column) < end:
                    return True
                if ends[k] >= end:
                    break  # a later number's prefix starts after this candidate: after `end`
                k += 1
        return False

    def for_meta(self, lines: list[str], top_lines: int) -> list[DocNumberObs]:
        """The numbers `document_meta.extract_meta` may take for the document's own (its first qualifying one, each
        judged on its own), of `lines` (the text's first lines), in text order: every number of a line that may
        hold only it (what is left of the line without spaces and brackets is short) or of a top line (one of the
        first `top_lines` that are not blank) with a bracket (it may end a title, "关于……的通知（潮府办〔2008〕
        7号）"), and the first number of any other top line (it may start it or follow a 文号 label); the numbers
        of any other line cannot be the own one."""
        top: set[int] = set()
        for i, line in enumerate(lines):
            if len(top) == top_lines:
                break
            if line.strip():
                top.add(i + 1)
        text, idx = self.text, self._idx
        out: list[DocNumberObs] = []
        ahead: dict[re.Pattern, int] = {_CORE: -1, _UNCLOSED: -1}  # the next candidate found, while it is ahead
        pos = 0
        while True:
            for pattern, at in list(ahead.items()):
                if at < pos:
                    m = pattern.search(text, pos)
                    if m is None:
                        del ahead[pattern]  # none further on
                    else:
                        ahead[pattern] = m.start()
            if not ahead:
                break
            firsts = ahead.values()
            number = idx.line_col(min(firsts))[0]
            if number > len(lines):
                break
            line = lines[number - 1]
            line_start = idx.offset(number, 1)
            line_end = pos = line_start + len(line)
            s = line.strip()
            every = (number in top and ("（" in s or "(" in s)) or not _wide(s.strip("（）() \u3000"))
            if not every and number not in top:
                continue
            # a candidate never spans a line: the line's are read on their own, from the first of each pattern
            at = ahead.get(_CORE, line_end)
            core = _CORE.finditer(text, at, line_end) if at < line_end else iter(())
            at = ahead.get(_UNCLOSED, line_end)
            unclosed_ = _UNCLOSED.finditer(text, at, line_end) if at < line_end else iter(())
            c, u = next(core, None), next(unclosed_, None)
            while c is not None or u is not None:
                if u is None or (c is not None and c.start() <= u.start()):
                    found = self._number(False, c.start())
                    c = next(core, None)
                else:
                    found = self._number(True, u.start())
                    u = next(unclosed_, None)
                if found is not None:
                    out.append(found)
                    if not every:
                        break
        return out


class _Candidates:
    """The matches of one candidate pattern over a text, found in order only as far as asked, and kept."""

    __slots__ = ("ends", "matches", "rest", "starts")

    def __init__(self, pattern, text: str):
        self.rest = pattern.finditer(text)  # None once read to the end
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.matches: list[re.Match] = []

    def more(self, count: int = 64) -> bool:
        """Up to `count` more candidates found; False when there were none left."""
        if self.rest is None:
            return False
        got = list(islice(self.rest, count))
        if len(got) < count:
            self.rest = None
        self.matches.extend(got)
        self.starts.extend(m.start() for m in got)
        self.ends.extend(m.end() for m in got)
        return bool(got)

    def read_past(self, pos: int) -> None:
        """Candidates found up to the first one starting after `pos` (or all)."""
        starts = self.starts
        while (not starts or starts[-1] <= pos) and self.more():
            pass


# what a well-formed candidate may hold: right after any other character none goes on
_CORE_CHARS = frozenset(_OPEN + _CLOSE + "0123456789０１２３４５６７８９ \u3000第号")
_OPEN_BRACKET = lazy_compile(f"[{re.escape(_OPEN)}]")


# a number and a date, without spaces, are at most this wide: a wider line is no number "alone" on it
_ALONE_WIDTH = 40


def _wide(s: str) -> bool:
    """More than `_ALONE_WIDTH` characters of `s` are not spaces (its start tells, most often)."""
    if len(s) <= _ALONE_WIDTH:
        return False
    return len("".join(s[: 4 * _ALONE_WIDTH].split())) > _ALONE_WIDTH or len("".join(s.split())) > _ALONE_WIDTH


def _read_number(
    text: str,
    idx,
    m: re.Match,
    unclosed: bool,
    known: frozenset[str] | None,
    lengths: tuple[int, ...],
    first_text: dict[int, int],
    prefixes: dict[str, str] | None = None,
) -> DocNumberObs | None:
    """The 发文字号 a candidate is, or None (no prefix, a decree, a common bracket around no year ...).
    `prefixes`: the prefix of each run before a bracket, as read so far (60,000 numbers share a few)."""
    start = m.start()
    gap_start = start
    while gap_start > 0 and text[gap_start - 1] in " \u3000":
        gap_start -= 1
    run = _RUN_BEFORE.search(text, max(0, gap_start - 24), gap_start)
    if run is None:
        return None
    run = run.group()
    prefix = prefixes.get(run) if prefixes is not None else None
    if prefix is None:
        prefix = _prefix_of(run, known, lengths)
        if prefixes is not None:
            prefixes[run] = prefix
    if not prefix or prefix.endswith("令"):
        return None
    raw = m.group()
    if unclosed:
        open_b, year_text, seq_text, hao = m.group("open", "year", "seq", "hao")
        close_b = di = None
    else:
        open_b, year_text, close_b, di, seq_text, hao = m.group("open", "year", "close", "di", "seq", "hao")
    year_ascii = year_text if year_text.isascii() else year_text.translate(_FULLWIDTH_DIGITS)
    seq_ascii = seq_text if seq_text.isascii() else seq_text.translate(_FULLWIDTH_DIGITS)
    lookalike = open_b != RIGHT_OPEN or (close_b is not None and close_b != RIGHT_CLOSE)
    full_year = len(year_text) == 4
    # Common brackets around a number are everywhere; only a plausible year makes them a doc number.
    if (lookalike or unclosed) and full_year and not year_ascii.startswith(("19", "20")):
        return None
    if hao is None and not unclosed:
        following = text[m.end() : m.end() + 1]
        # without 号 only in square brackets and where the number visibly ends (咸安政发〔2019〕1)
        if open_b not in _SQUARE_OPEN or (following and following not in _AFTER_NO_HAO):
            return None
    problems = []
    if unclosed:
        problems.append(UNCLOSED)
        if open_b != RIGHT_OPEN:
            problems.append(LOOKALIKE_BRACKET)
    elif lookalike:
        problems.append(LOOKALIKE_BRACKET)
    if not full_year:
        problems.append(SHORT_YEAR)
    if len(seq_ascii) > 1 and seq_ascii[0] == "0":
        problems.append(LEADING_ZERO)
    if di:
        problems.append(ORDINAL_DI)
    if year_ascii is not year_text or seq_ascii is not seq_text:
        problems.append(FULLWIDTH_DIGIT)
    if " " in raw or "\u3000" in raw or gap_start < start:
        problems.append(SPACE_INSIDE)
    if hao is None:
        problems.append(NO_HAO)
    fixed = None
    if problems and full_year:
        fixed = f"{RIGHT_OPEN}{year_ascii}{RIGHT_CLOSE}{int(seq_ascii)}号"
    line, col = idx.line_col(start)
    gap = text[gap_start:start]
    prefix_start = gap_start - len(prefix)
    first = first_text.get(line)
    if first is None:
        first = first_text[line] = _first_text(text, start - (col - 1))
    column = col - len(gap)
    # positional, in field order (line, column, end_column, raw — from the spaces after the prefix, so that a
    # fix removes them too —, prefix, year, year_text, sequence, problems, fixed, prefix_start_column, cited —
    # other text precedes it on its line —, guessed)
    return DocNumberObs(
        line, column, col + (m.end() - start), gap + raw, prefix, int(year_ascii) if full_year else None, year_text,
        int(seq_ascii), tuple(problems), fixed, column - len(prefix), first < prefix_start, unclosed,
    )  # fmt: skip


def _first_text(text: str, line_start: int) -> int:
    """Offset of the first non-space character of the line starting at `line_start` (its end when it has none)."""
    m = _NOT_SPACE.search(text, line_start)
    end = text.find("\n", line_start)
    end = len(text) if end < 0 else end
    return m.start() if m is not None and m.start() < end else end
