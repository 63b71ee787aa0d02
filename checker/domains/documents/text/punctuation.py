"""Punctuation (GB/T 15834-2011 标点符号用法) that a proofreader marks in a 公文, with exact positions.

A line is a paragraph (plain text and docx paragraphs alike).  What is found:

- unpaired: an opening mark of （）《》〈〉“”‘’〔〕【】［］「」『』 never closed in its paragraph, or a closing one
  without its opening one (``））``, ``预案》现印发``).  （ and ( pair with each other, as do 〔 and ﹝, ［ and [:
  the wrong width is `halfwidth`'s business.  A line that stops mid-sentence may close its marks on the next
  non-empty line (a title over two lines, a web page's line break); a quotation over several paragraphs opens
  each with “; the last line of a text cut off mid-sentence (an excerpt) is not held to close anything; a
  closing bracket right after an item number (``1）``, ``a)``) is a numbering form, not a pairing error.
- halfwidth: ``, : ; ? ! ( )`` next to a Chinese character or a full-width mark (``巡查,及时``, ``如下:``,
  ``(一)``), never between digits or letters (``1,200.5``, ``4:3:3``, ``8:30``) nor in a URL, an e-mail address
  or a file name; a bracket is judged with its partner of either width (``（见附件1)``).  Also ASCII ``"`` next
  to Chinese (no fix: which quote each one is needs the sentence) and ``< >`` for 单书名号 inside 《》.
- repeated: two or more sentence marks in a row (``。。``, ``，,``, ``；。``); ``？！`` and ``！？`` are allowed.
  Only an exact double has a sure fix.
- range: a hyphen-minus (or half-width ~) between dates or numbers (``1-6月``, ``3-5年``, ``11月15日-次年3月15日``):
  time and sequence ranges take 一字线 —, numerical ranges 浪纹线 ～.  Telephone numbers, ISO dates, times,
  numbering (``附件1-2``, ``便函2019-422号``) and what follows Latin text or a space (``GB/T 15834-2011``) are
  left alone.
- dunhao: a 顿号 right between two items in book-title marks or quotation marks (``》、《``, ``”、“``).
- no_end: a line that reads as a sentence (a sentence mark inside, a Chinese character last) without one of
  。！？：；… at its end, when the next line plainly starts something new (indented, a heading, a `skip_lines`
  line such as the signature); numbered headings, table rows and 附件/抄送 lines are never body text here.

Patterns are single character classes or literals with bounded context, the stacks are amortised O(1), and
only lines holding a candidate mark are read further, so 20 KB of ``（`` or ``“`` costs what prose does.  With a
limit (the observation kind's room), each kind of problem stops at it: 300,000 unclosed ``《`` cost the first
thousand.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Iterator
from itertools import islice
from operator import attrgetter

from checker.core.edits import DISPLAY, SAFE, UNSAFE
from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.domains.documents.text.positions import in_spans, line_index

# opening mark -> (family, closing mark); a family pairs across widths
_OPENERS = {
    "（": ("paren", "）"),
    "(": ("paren", ")"),
    "《": ("title", "》"),
    "〈": ("angle", "〉"),
    "“": ("dquote", "”"),
    "‘": ("squote", "’"),
    "〔": ("hex", "〕"),
    "﹝": ("hex", "﹞"),
    "【": ("lenticular", "】"),
    "［": ("square", "］"),
    "[": ("square", "]"),
    "「": ("corner", "」"),
    "『": ("wcorner", "』"),
}
_CLOSERS = {close: (family, opener) for opener, (family, close) in _OPENERS.items()}
_CLOSING_MARKS = frozenset(_CLOSERS)
_FAMILY_OF_OPENER = {opener: family for opener, (family, _close) in _OPENERS.items()}
_CARRY_GAP = 2  # blank lines a pair may span when the line before stops mid-sentence
# a web page's tools (【字体：大 中 小】, 字号：【 … 】) often broken over lines: not the document's text
_PAGE_TOOLS = lazy_compile(r"字体[:：]|字号[:：]|视力保护色|打印本页|关闭窗口|分享到|浏览量|浏览次数")
_PAIR_MARK = lazy_compile(r"[（）()《》〈〉“”‘’〔〕﹝﹞【】［］\[\]「」『』]")
_OPENING = lazy_compile(r"[（(《〈“‘〔﹝【［\[「『]")
_OPENING_BUT_QUOTE = lazy_compile(r"[（(《〈‘〔﹝【［\[「『]")  # a quotation that goes on: its “ are not reported
_CLOSING = lazy_compile(r"[）)》〉”’〕﹞】］\]」』]")
_FAMILY_CHARS: dict[str, str] = {}
for _opener, (_family, _close) in _OPENERS.items():
    _FAMILY_CHARS[_family] = _FAMILY_CHARS.get(_family, "") + _opener
_APOSTROPHE_OPENER = lazy_compile(r"(?<=[A-Za-z])‘(?=[\x00-\x7f])")  # as `_apostrophe` tells it
_RUN = 8  # opening marks in a row after which the rest up to the next closing mark is one `_Stretch`
# a pair closed with no mark inside it, on its line (‘ ’ left in: either may be an apostrophe)
_NO_MARK = r"[^（）()《》〈〉“”‘’〔〕﹝﹞【】［］\[\]「」『』\n]*"
# one pattern a family (each starts with its marks, which the engine skips to), with the marks that tell it is
# in the text at all
_CLOSED_PAIRS = tuple(
    (lazy_compile(f"[{re.escape(opening)}]{_NO_MARK}[{re.escape(closing)}]"), opening, closing)
    for opening, closing in (
        ("（(", "）)"),
        ("《", "》"),
        ("〈", "〉"),
        ("“", "”"),
        ("〔﹝", "〕﹞"),
        ("【", "】"),
        ("［[", "］]"),
        ("「", "」"),
        ("『", "』"),
    )
)
_NOT_BLANK = lazy_compile(r"\S")

_IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# what counts as Chinese next to a half-width mark: ideographs, CJK symbols (、。《》〔〕【】…), full-width forms,
# curly quotes, the ellipsis and the dash
_CHINESE_CLASS = f"{_IDEOGRAPH}\u3000-\u303f\uff01-\uff5e\u201c\u201d\u2018\u2019\u2026\u2014"
_CHINESE = lazy_compile(f"[{_CHINESE_CLASS}]")
_HAN = lazy_compile(f"[{_IDEOGRAPH}]")
WIDE = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_WIDE_ADVICE = {half: f"应为全角“{wide}”" for half, wide in WIDE.items()}
_BRACKET = lazy_compile(r"[()（）]")
# the half-width marks `_halfwidth` reads: brackets (judged with their partner), the others next to Chinese
# (each starts with the marks themselves, which the engine skips to)
_HALF_NEAR_CHINESE = lazy_compile(f"[,:;?!()](?:(?<=[()])|(?<=[{_CHINESE_CLASS}][,:;?!])|(?=[{_CHINESE_CLASS}]))")
_ASCII_QUOTE_NEAR_CHINESE = lazy_compile(f'"(?:(?<=[{_CHINESE_CLASS}]")|(?=[{_CHINESE_CLASS}]))')
_HALF_CANDIDATE = lazy_compile(r'[,:;?!()"<]')
_TITLE_SPAN = lazy_compile(r"《[^《》\n]*》")
_INNER_ANGLE = lazy_compile(r"[<>]")
_ANGLE = {"<": "〈", ">": "〉"}
_QUOTE_ADVICE = "应改用全角引号“”（引号内再用引号时用‘’）"
_URL = lazy_compile(r"(?:https?://|ftp://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+=%]+")
_ENTITY = lazy_compile(r"&#?[A-Za-z0-9]{2,8};")  # &nbsp; left by a web page
_EMAIL_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_EMAIL_REACH = 64
# a file name (便函422号(附件2).docx) is written as it is named
_FILE_EXT = lazy_compile(r"\.(?:docx?|xlsx?|pdf|wps|et|ofd|zip|rar|jpe?g|png|txt)(?![A-Za-z])", re.IGNORECASE)
_NOT_IN_FILE_NAME = frozenset(" \u3000\t|[]<>“”《》：:，,；;")
_FILE_REACH = 80

# sentence marks (点号) that must not follow one another; half-width ,; count as their full-width forms
_POINT_RUN = lazy_compile(r"[。，、；：？！,;]{2,}")
_NARROW = {",": "，", ";": "；"}
_ALLOWED_RUNS = frozenset({"？！", "！？"})

_DUNHAO = lazy_compile(r"》、《|”、“|’、‘")

_HYPHEN = lazy_compile(r"[-－~]")  # hyphen-minus, its full-width form, the half-width tilde
_RANGE_CHARS = frozenset("0123456789年月日号时点份")
# a date or number before the connector: 2020年, 11月15日, 2011年1月6, 1 (the parts in order, each optional)
_RANGE_LEFT = lazy_compile(r"(?:[0-9]{1,4}年)?(?:[0-9]{1,2}月份?)?(?:[0-9]{1,2}[日号])?(?:[0-9]{1,2}[时点])?[0-9]{0,4}")
_RANGE_RIGHT = lazy_compile(
    r"(?P<next>次年|翌年|同年|当年|本年|下年)?"
    r"(?P<body>[0-9]{1,4}(?:年|月份?|日|号|时|点)?(?:[0-9]{1,2}(?:月份?|日|号|时|点))?(?:[0-9]{1,2}[日号时点])?)"
)
_RANGE_REACH = 16
# before a number that is an item's own number, not a range's start (附件1-2, 表3-1, 图2-1)
_NUMBERING_BEFORE = ("附件", "附表", "附图", "表", "图", "编号", "序号", "代码", "号码", "电话", "传真", "手机", "邮编")
_LATIN_OR_DIGIT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

_END_MARKS = frozenset("。！？：；…!?:;")
_TRAILING_CLOSERS = "”’）)》】」』〕 \u3000\t"
_INNER_SENTENCE = lazy_compile(r"[，。；,;]")
# a line's last Chinese character, with the closing marks and spaces after it: the only lines `_no_end` may report
# end so (and hold a sentence mark)
_HAN_AT_END = lazy_compile(rf"[{_IDEOGRAPH}][{re.escape(_TRAILING_CLOSERS)}]*$", re.MULTILINE)
_HEADING = lazy_compile(
    r"^[ \u3000\t]*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|[0-9０-９]{1,3}[.．、]"
    r"|[（(][0-9０-９]{1,3}[）)]|[0-9０-９]{1,3}[）)]|[①-⑳]|第[一二三四五六七八九十百0-9]+[章节条部分篇款])"
)
_NOT_BODY_START = (
    "附件",
    "附：",
    "抄送",
    "抄报",
    "主送",
    "联系人",
    "联系电话",
    "联系方式",
    "主题词",
    "签发人",
    "（此件",
    "(此件",
    "（此页",
    "(此页",
    "索引号",
    "发布",
    "来源",
)
_TABLE_MARK = lazy_compile(r"[\t|]")
_GAP = lazy_compile(r"[ \u3000]{2,}")
_ITEM_NUMBER = lazy_compile(r"(?:^|(?<=[ \u3000\t，。；：、,;:]))[0-9０-９a-zA-Z一二三四五六七八九十]{1,2}$")


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class PunctObs:
    line: int
    column: int
    end_column: int  # exclusive
    raw: str  # the text covered
    problem: str  # unpaired | halfwidth | repeated | range | dunhao | no_end
    partner: str  # unpaired: the missing mark; halfwidth: the full-width form; range: the connector; else what to write
    replacement: str | None  # proposed text for the span (None: nothing to propose)
    grade: str  # how safely the replacement may be applied: safe | unsafe | display (checker.core.edits)
    range_kind: str | None = None  # range: "span" (time, place, sequence: —) or "number" (～)
    length: int = 0  # no_end: characters in the paragraph
    advice: str = ""  # halfwidth: what to write instead, in words


def find_punctuation(
    text: str,
    skip_lines: Collection[int] = (),
    unclosed_at: Collection[tuple[int, int]] = (),
    body_lines: int | None = None,
    *,
    limit: int | None = None,
    lines: list[str] | None = None,
) -> list[PunctObs]:
    """Every punctuation problem in `text`, in order of position; with a `limit`, the first `limit` of them.

    `skip_lines` (1-based) are lines that are not body paragraphs (title, signature, date, addressee): only
    `no_end` reads it.  `unclosed_at` are (line, column) of 发文字号 brackets already reported as unclosed by
    the 发文字号 check, so they are not reported twice.  `body_lines`: how many of the lines are the body's (a
    .docx's headers and footers follow it); a paragraph's end is judged in the body only.

    Each kind of problem is found in order of position and stops at `limit` of its own (the pairing, which
    decides a line's marks only at its end, keeps the first `limit` it has seen): the first `limit` of all of
    them are then the first of these, and a text with 300,000 unclosed 《 costs what a thousand do.  `lines`: the
    text split at "\n", when the caller has it."""
    lines = text.split("\n") if lines is None else lines
    cap = sys.maxsize if limit is None else limit
    out = _unpaired(text, lines, set(unclosed_at), cap)
    taken: dict[int, set[int]] = {}
    for r in islice(_all_repeated(text, lines), cap):
        out.append(r)
        taken.setdefault(r.line, set()).update(range(r.column, r.end_column))
    # (past the limit-th repeated mark `taken` is incomplete: a half-width mark it would hide comes after that
    # one, so never among the first `limit`)
    found = 0
    for n in _marked_lines(text, _HALF_CANDIDATE) if cap else ():
        info = _Line(lines[n - 1])
        got = [*islice(_halfwidth(n, info, taken.get(n, ())), cap), *islice(_ascii_quotes(n, info), cap)]
        got.extend(_inner_titles(n, info, cap))
        got.sort(key=_POSITION)
        out.extend(got[:cap])
        found += len(got)
        if found >= cap:
            break
    out.extend(islice(_all_ranges(text, lines), cap))
    out.extend(islice(_dunhao(text), cap))
    out.extend(islice(_no_ends(text, lines, set(skip_lines), body_lines), cap))
    out.sort(key=_POSITION)
    return out if limit is None else out[:limit]


_POSITION = attrgetter("line", "column", "end_column")


def _marked_lines(text: str, pattern) -> Iterator[int]:
    """The lines (1-based, in order) holding a match of `pattern` (which never spans a line): only those lines are
    read further.  One search per such line, however many matches it holds."""
    search = pattern.search
    find = text.find
    count = text.count
    pos = 0
    n = 1
    while (m := search(text, pos)) is not None:
        n += count("\n", pos, m.start())
        yield n
        pos = find("\n", m.end())
        if pos < 0:
            return
        pos += 1
        n += 1


def _all_repeated(text: str, lines: list[str]) -> Iterator[PunctObs]:
    for n in _marked_lines(text, _POINT_RUN):
        yield from _repeated(n, lines[n - 1])


def _all_ranges(text: str, lines: list[str]) -> Iterator[PunctObs]:
    for n in _marked_lines(text, _HYPHEN):
        yield from _ranges(n, lines[n - 1])


def _dunhao(text: str) -> Iterator[PunctObs]:
    index = line_index(text)
    for m in _DUNHAO.finditer(text):
        n, col = index.line_col(m.start())
        raw = m.group()
        yield PunctObs(n, col, col + 3, raw, "dunhao", raw[0] + raw[2], raw[0] + raw[2], UNSAFE)


def _no_ends(text: str, lines: list[str], skip: set[int], body_lines: int | None) -> Iterator[PunctObs]:
    """Paragraphs without a sentence mark at their end (`_no_end`), in order.  Only the lines that end with a
    Chinese character and hold a sentence mark are read (no other is ever reported), found by leaping from a
    line of one kind to the next line of the other: 40,000 heading lines with no sentence mark are one scan."""
    last = len(lines) if body_lines is None else min(body_lines, len(lines))
    count, rfind = text.count, text.rfind
    han_at_end, sentence_mark = _HAN_AT_END.search, _INNER_SENTENCE.search
    k = 0  # index of the line at offset `counted`
    counted = 0
    pos = 0
    while (m := han_at_end(text, pos)) is not None:
        start = rfind("\n", 0, m.start()) + 1
        if sentence_mark(text, start, m.start()) is None:
            mark = sentence_mark(text, m.end())
            if mark is None:
                return
            pos = rfind("\n", 0, mark.start()) + 1  # the next line holding a sentence mark
            continue
        pos = m.end() + 1
        k += count("\n", counted, start)
        counted = start
        if k >= last:
            return
        j = k + 1  # the next non-empty line: the last one of a text cut off mid-sentence is an excerpt's end
        while j < last and not lines[j].strip():
            j += 1
        if j >= last:
            return
        end = lines[k].rstrip(_TRAILING_CLOSERS)
        if not end or end[-1] in _END_MARKS or _HAN.match(end, len(end) - 1) is None:
            continue
        if k + 1 in skip or not _new_unit(lines, j, skip):
            continue
        found = _no_end(k + 1, lines[k])
        if found is not None:
            yield found


# ------------------------------------------------------------------ pairing


class _Kept:
    """The unpaired marks found so far, at most about `limit` of them: past twice that, only the first `limit`
    by position are kept, and a mark after the last of them is not even made (it could never be among the
    first); `after` says the pairing may stop."""

    __slots__ = ("bound", "items", "limit")

    def __init__(self, limit: int):
        self.items: list[PunctObs] = []
        self.limit = limit
        self.bound: tuple[int, int] | None = None  # (line, column) of the limit-th mark, once there were more

    def add(self, n: int, col: int, mark: str, partner: str) -> None:
        if self.bound is not None and (n, col) > self.bound:
            return
        items = self.items
        items.append(PunctObs(n, col, col + 1, mark, "unpaired", partner, None, DISPLAY))
        if len(items) >= 2 * self.limit:
            items.sort(key=_POSITION)
            del items[self.limit :]
            last = items[-1]
            self.bound = (last.line, last.column)

    def after(self, n: int, col: int) -> bool:
        """Every mark still to come, at (n, col) or later, comes after the first `limit` kept."""
        return self.bound is not None and (n, col) > self.bound


class _Stretch:
    """Opening marks on one line with no closing mark among them, held as the stretch [start, end) of the line
    instead of one entry each: 300,000 《 in a row are one entry, counted in C.  A closing mark takes the last
    opening mark of its family (found backwards, each stretch of the line looked through once) and reports
    those above it; what is still open at the end is reported in order (`_report_open`)."""

    __slots__ = ("chars", "end", "families", "last", "line", "n", "start")

    def __init__(self, line: str, n: int, start: int, end: int):
        self.line = line
        self.n = n
        self.start = start
        self.end = end
        self.chars = _opener_counts(line, start, end)
        self.families: dict[str, int] = {}
        for ch, k in self.chars.items():
            family = _FAMILY_OF_OPENER[ch]
            self.families[family] = self.families.get(family, 0) + k
        self.last: dict[str, int] = {}  # opening mark -> its last offset before `end`, once looked for

    def last_of(self, family: str) -> int:
        """Offset of the last opening mark of `family` in the stretch (one there is)."""
        best = -1
        for ch in _FAMILY_CHARS[family]:
            if not self.chars.get(ch):
                continue
            at = self.last.get(ch, -1)
            if not self.start <= at < self.end:
                at = self.line.rfind(ch, self.start, self.end)
                while ch == "‘" and _apostrophe(self.line, at):
                    at = self.line.rfind(ch, self.start, at)
                self.last[ch] = at
            best = max(best, at)
        return best

    def cut(self, at: int, counts: dict[str, int]) -> None:
        """The stretch ends at `at`: what stood from there on is no longer open (`counts` follows)."""
        gone = _opener_counts(self.line, at, self.end)
        for ch, k in gone.items():
            family = _FAMILY_OF_OPENER[ch]
            self.chars[ch] -= k
            self.families[family] -= k
            counts[family] -= k
        self.end = at

    def entries(self, start: int, quotes: bool = True) -> Iterator[tuple[str, str, int, int]]:
        """(family, mark, line, column) of the opening marks from `start` on, in order (without “ unless
        `quotes`)."""
        line, n = self.line, self.n
        for m in (_OPENING if quotes else _OPENING_BUT_QUOTE).finditer(line, start, self.end):
            ch = m.group()
            i = m.start()
            if ch == "‘" and _apostrophe(line, i):
                continue
            yield _FAMILY_OF_OPENER[ch], ch, n, i + 1

    @property
    def empty(self) -> bool:
        return not any(self.families.values())


def _opener_counts(line: str, start: int, end: int) -> dict[str, int]:
    """How many of each opening mark line[start:end] holds (not counting ‘ as an apostrophe)."""
    counts: dict[str, int] = {}
    for ch in _FAMILY_OF_OPENER:
        k = line.count(ch, start, end)
        if k and ch == "‘":
            k -= len(_APOSTROPHE_OPENER.findall(line, start, min(end + 1, len(line))))
        if k:
            counts[ch] = k
    return counts


def _unpaired(text: str, lines: list[str], unclosed_at: set[tuple[int, int]], limit: int) -> list[PunctObs]:
    """Openers never closed and closers never opened, paragraph by paragraph: the first `limit` of them by
    position (and possibly some more).  What is still open at the end of a line that stops mid-sentence may
    close on the next non-empty line (within `_CARRY_GAP` blank lines: a title over two lines, a web page's line
    break); at the end of a text cut off mid-sentence nothing is reported (an excerpt).

    Only the lines whose marks do not all pair up by themselves (`_settled`) are read, one step per mark, a run
    of opening marks with no closing mark among them is one step (`_Stretch`), and the reading stops once no
    mark still to be decided can come before the first `limit` (`_Kept`)."""
    if not limit:
        return []
    kept = _Kept(limit)
    carried: list = []  # entries still open from the line before: (family, mark, line, column) or a stretch's
    prev = -1  # index of the line they are from
    goes_on: dict[int, bool] = {}
    find_closer = _CLOSING.search
    for n in _marked_lines(_settled(text), _PAIR_MARK):
        k = n - 1
        if carried:
            if kept.after(carried[0][2], carried[0][3]) and kept.after(n, 0):
                return _first(kept)
            # an unmarked non-empty line between, a gap too long or a line that ended its sentence: reported
            if k - prev - 1 > _CARRY_GAP or any(lines[j].strip() for j in range(prev + 1, k)):
                ends = True
            else:
                ends = not _continues(lines[prev])
            if ends:
                _report_open(carried, lines, unclosed_at, goes_on, kept)
                carried = []
        elif kept.after(n, 0):
            return _first(kept)
        line = lines[k]
        if _PAGE_TOOLS.search(line):
            _report_open(carried, lines, unclosed_at, goes_on, kept)
            carried = []
            continue
        stack = list(carried)
        counts: dict[str, int] = {}
        for entry in stack:
            if entry[0] is None:
                for family, c in entry[1].families.items():
                    counts[family] = counts.get(family, 0) + c
            else:
                counts[entry[0]] = counts.get(entry[0], 0) + 1
        push = stack.append
        pos = 0
        run = 0  # opening marks in a row
        while pos is not None:
            at, pos = pos, None
            for m in _PAIR_MARK.finditer(line, at):
                ch = m.group()
                i = m.start()
                family = _FAMILY_OF_OPENER.get(ch)
                if family is not None:
                    if ch == "‘" and _apostrophe(line, i):
                        continue
                    push((family, ch, n, i + 1))
                    counts[family] = counts.get(family, 0) + 1
                    run += 1
                    if run >= _RUN:  # the opening marks up to the next closing mark: one stretch
                        close = find_closer(line, i + 1)
                        pos = close.start() if close else len(line)
                        stretch = _Stretch(line, n, i + 1, pos)
                        if not stretch.empty:
                            push((None, stretch, n, i + 2))
                            for fam, c in stretch.families.items():
                                counts[fam] = counts.get(fam, 0) + c
                        run = 0
                        break
                    continue
                run = 0
                family, opener = _CLOSERS[ch]
                if ch == "’" and _apostrophe(line, i):
                    continue
                if counts.get(family):
                    _close(stack, family, counts, lines, unclosed_at, goes_on, kept)
                    continue
                if ch in "）)" and _ITEM_NUMBER.search(line, max(0, i - 2), i):
                    continue  # 1）、a) : an item number
                if kept.after(n, i + 1) and (not stack or kept.after(stack[0][2], stack[0][3])):
                    return _first(kept)
                kept.add(n, i + 1, ch, opener)
        if stack and stack[0][2] < n:  # the stack holds the carried entries first, then this line's
            _report_open([e for e in stack if e[2] < n], lines, unclosed_at, goes_on, kept)
            carried = [e for e in stack if e[2] == n]
        else:
            carried = stack
        prev = k
    if carried:
        rest = _NOT_BLANK.search(text, line_index(text).starts[prev + 1]) if prev + 1 < len(lines) else None
        if rest is not None or not (_continues(lines[prev]) and _INNER_SENTENCE.search(lines[prev])):
            _report_open(carried, lines, unclosed_at, goes_on, kept)
    return _first(kept)


def _settled(text: str) -> str:
    """The text without the pairs that close on their line with nothing to pair inside them, taken out again and
    again (up to four levels): a line left with no mark pairs up wholly by itself, so the pairing, which could
    only find nothing there, reads just the other lines.  Every line break stays, and with it each line's
    number."""
    present = [
        pattern
        for pattern, opening, closing in _CLOSED_PAIRS
        if any(ch in text for ch in opening) and any(ch in text for ch in closing)
    ]
    for _ in range(4):
        found = 0
        for pattern in present:
            text, n = pattern.subn("", text)
            found += n
        if not found:
            break
    return text


def _first(kept: _Kept) -> list[PunctObs]:
    items = kept.items
    items.sort(key=_POSITION)
    del items[kept.limit :]
    return items


def _close(stack: list, family: str, counts: dict[str, int], lines, unclosed_at, goes_on, kept: _Kept) -> None:
    """A closing mark of `family` (one is open): it closes the last one open, and those above it are reported."""
    while True:
        top = stack[-1]
        if top[0] is None:
            stretch = top[1]
            if stretch.families.get(family):
                at = stretch.last_of(family)
                if at + 1 < stretch.end:
                    _report_open([(None, stretch, stretch.n, at + 2)], lines, unclosed_at, goes_on, kept, at + 1)
                    stretch.cut(at + 1, counts)
                stretch.cut(at, counts)
                if stretch.empty:
                    stack.pop()
                return
            stack.pop()
            for fam, c in stretch.families.items():
                counts[fam] -= c
            _report_open([top], lines, unclosed_at, goes_on, kept)
            continue
        stack.pop()
        counts[top[0]] -= 1
        if top[0] == family:
            return
        _report_open([top], lines, unclosed_at, goes_on, kept)


def _continues(line: str) -> bool:
    """The line stops mid-sentence: it ends with a character that is not a sentence mark or closing mark."""
    s = line.rstrip(" \u3000\t")
    return bool(s) and s[-1] not in _END_MARKS and s[-1] not in _CLOSING_MARKS


def _report_open(
    entries,
    lines: list[str],
    unclosed_at: set[tuple[int, int]],
    goes_on: dict[int, bool],
    kept: _Kept,
    start: int | None = None,
) -> None:
    """The entries still open, in order (a stretch's marks from `start`, or from its own start): at most the
    first `limit` reported, none after the kept ones.  The “ of a quotation that goes on to the next paragraph
    are not (`_quotation_goes_on`)."""
    reported = 0
    for entry in entries:
        if entry[0] is None:
            stretch = entry[1]
            n = stretch.n
            if stretch.chars.get("“") and n not in goes_on:
                goes_on[n] = _quotation_goes_on(lines, n)
            marks = stretch.entries(stretch.start if start is None else start, not goes_on.get(n))
        else:
            marks = (entry,)
        for _family, mark, n, col in marks:
            if unclosed_at and (n, col) in unclosed_at:
                continue
            if mark == "“":
                if n not in goes_on:
                    goes_on[n] = _quotation_goes_on(lines, n)
                if goes_on[n]:
                    continue
            if kept.after(n, col) or reported >= kept.limit:
                return
            kept.add(n, col, mark, _OPENERS[mark][1])
            reported += 1


def _quotation_goes_on(lines: list[str], n: int) -> bool:
    """A quotation of several paragraphs opens each one with “ and closes only the last (GB/T 15834 引号)."""
    for k in range(n, len(lines)):
        nxt = lines[k].strip(" \u3000\t")
        if nxt:
            return nxt.startswith("“") and lines[n - 1].strip(" \u3000\t").startswith("“")
    return False


def _apostrophe(line: str, i: int) -> bool:
    """’ between two Latin letters is an apostrophe (China’s), not a quotation mark."""
    return 0 < i < len(line) - 1 and line[i - 1].isascii() and line[i - 1].isalpha() and line[i + 1].isascii()


# ------------------------------------------------------------------ half-width marks


class _Line:
    """One line and what the half-width checks ask of it, computed once and only when asked: where its URLs,
    e-mail addresses and file names are, and whether a stretch holds a Chinese character (a prefix count,
    so nested brackets cost O(1) each)."""

    __slots__ = ("_han", "_skipped", "text")

    def __init__(self, text: str):
        self.text = text
        self._skipped: list[tuple[int, int]] | None = None
        self._han: list[int] | None = None

    def skipped(self, i: int) -> bool:
        """Offset `i` is inside a URL, an e-mail address or a file name: its marks are theirs."""
        if self._skipped is None:
            self._skipped = _merged(_skipped_spans(self.text))
        return bool(self._skipped) and in_spans(i, self._skipped)

    def has_han(self, start: int, end: int) -> bool:
        """A Chinese character in text[start:end]."""
        if self._han is None:
            counts = [0]
            total = 0
            for ch in self.text:
                total += "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
                counts.append(total)
            self._han = counts
        return end > start and self._han[end] > self._han[start]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _skipped_spans(line: str) -> list[tuple[int, int]]:
    """URLs, HTML entities, e-mail addresses and file names."""
    spans = [(m.start(), m.end()) for m in _URL.finditer(line)]
    spans.extend((m.start(), m.end()) for m in _ENTITY.finditer(line))
    at = line.find("@")
    while at >= 0:
        start = at
        while start > 0 and at - start < _EMAIL_REACH and line[start - 1] in _EMAIL_CHAR:
            start -= 1
        end = at + 1
        while end < len(line) and end - at < _EMAIL_REACH and line[end] in _EMAIL_CHAR:
            end += 1
        if start < at and end > at + 1:
            spans.append((start, end))
        at = line.find("@", end)
    for m in _FILE_EXT.finditer(line):
        start = m.start()
        while start > 0 and m.start() - start < _FILE_REACH and line[start - 1] not in _NOT_IN_FILE_NAME:
            start -= 1
        spans.append((start, m.end()))
    return spans


def _halfwidth(n: int, info: _Line, taken: Collection[int]) -> Iterator[PunctObs]:
    """, : ; ? ! ( ) next to Chinese; a bracket is judged with its partner (of either width).  In order, the marks
    read as they are reached (a caller may stop early): only the brackets before the line's last closing one are
    paired up first."""
    line = info.text
    chinese_at = _CHINESE.match  # one character's class, read in place (no slice, no call per side)
    partner = _partners(line)  # offset of a bracket (either width) -> offset of its partner
    for m in _HALF_NEAR_CHINESE.finditer(line):
        i, ch = m.start(), m.group()
        if i + 1 in taken:
            continue  # reported as a repeated mark
        if ch in "()":
            if i in partner:
                start, end = (i, partner[i]) if ch == "(" else (partner[i], i)
                wanted = (
                    line[partner[i]] in "（）"  # （见附件1): the other half is full-width
                    or (start > 0 and chinese_at(line, start - 1) is not None)
                    or chinese_at(line, end + 1) is not None
                    or info.has_han(start + 1, end)
                )
            else:
                wanted = (i > 0 and chinese_at(line, i - 1) is not None) or chinese_at(line, i + 1) is not None
        else:
            wanted = True  # next to Chinese: the pattern says so
        if wanted and not info.skipped(i):
            # 王?明: a lost character as often as a question mark
            lost = ch in "?!" and i > 0 and _HAN.match(line, i - 1) and _HAN.match(line, i + 1)
            grade = UNSAFE if lost else SAFE
            wide = WIDE[ch]
            yield PunctObs(n, i + 1, i + 2, ch, "halfwidth", wide, wide, grade, advice=_WIDE_ADVICE[ch])


def _partners(line: str) -> dict[int, int]:
    """Each bracket (either width) that pairs up -> its partner.  Brackets after the last closing one never do,
    so they are not read: a line of 80,000 unclosed ( pairs none."""
    last = max(line.rfind(")"), line.rfind("）"))
    partner: dict[int, int] = {}
    opened: list[int] = []
    for m in _BRACKET.finditer(line, 0, last + 1):
        i = m.start()
        if m.group() in "(（":
            opened.append(i)
        elif opened:
            j = opened.pop()
            partner[i], partner[j] = j, i
    return partner


def _ascii_quotes(n: int, info: _Line) -> Iterator[PunctObs]:
    """ASCII " next to Chinese.  Which of “ and ” (or ‘ ’ when nested: "自治区城市"天山杯"竞赛优秀城市") each
    one is cannot be told from the marks alone, so nothing is proposed."""
    for m in _ASCII_QUOTE_NEAR_CHINESE.finditer(info.text):
        i = m.start()
        if not info.skipped(i):
            yield PunctObs(n, i + 1, i + 2, '"', "halfwidth", "“”", None, DISPLAY, advice=_QUOTE_ADVICE)


def _inner_titles(n: int, info: _Line, limit: int = sys.maxsize) -> list[PunctObs]:
    """< > standing for 单书名号 inside 《》 (《关于批准<某某规划>的请示》): GB/T 15834 uses 〈〉 there.  Not in
    order inside a title (a pair is found at its >); once `limit` are found and no < is open, every later one
    comes after them, and the reading stops."""
    line = info.text
    out: list[PunctObs] = []
    for t in _TITLE_SPAN.finditer(line):
        opened: list[int] = []
        for m in _INNER_ANGLE.finditer(line, t.start() + 1, t.end() - 1):
            if m.group() == "<":
                opened.append(m.start())
            elif opened:
                start, end = opened.pop(), m.start()
                if not info.has_han(start + 1, end):
                    continue
                for i in (start, end):
                    ch = line[i]
                    wide = _ANGLE[ch]
                    out.append(
                        PunctObs(n, i + 1, i + 2, ch, "halfwidth", wide, wide, SAFE, advice=f"应为单书名号“{wide}”")
                    )
                if len(out) >= limit and not opened:
                    return out
        if len(out) >= limit:
            return out
    return out


# ------------------------------------------------------------------ repeated marks


def _repeated(n: int, line: str) -> Iterator[PunctObs]:
    for m in _POINT_RUN.finditer(line):
        run = m.group()
        wide = "".join(_NARROW.get(c, c) for c in run)
        if wide in _ALLOWED_RUNS or all(c in _NARROW for c in run):
            continue
        col = m.start() + 1
        double = len(run) == 2 and wide[0] == wide[1]
        replacement = wide[0] if double else None
        yield PunctObs(n, col, col + len(run), run, "repeated", wide[0], replacement, SAFE if double else DISPLAY)


# ------------------------------------------------------------------ ranges


def _ranges(n: int, line: str) -> Iterator[PunctObs]:
    for m in _HYPHEN.finditer(line):
        i = start = m.start()
        while start > 0 and i - start <= _RANGE_REACH and line[start - 1] in _RANGE_CHARS:
            start -= 1
        if i - start > _RANGE_REACH:
            continue  # longer than any date: a code
        while start < i and not line[start].isdigit():
            start += 1  # 上半年1-6月: the 年 before the number belongs to the words
        if start == i or _RANGE_LEFT.fullmatch(line, start, i) is None:
            continue
        left = line[start:i]
        right = _RANGE_RIGHT.match(line, i + 1, min(len(line), i + 1 + _RANGE_REACH))
        if right is None:
            continue
        before = line[start - 1] if start > 0 else ""
        end = right.end()
        after = line[end] if end < len(line) else ""
        if before and (before in _LATIN_OR_DIGIT or before in "-－—/.．·_~～" or before.isspace()):
            continue  # GB/T 15834-2011, 0377-6123456, a code or an address
        if before == ":" and start > 1 and line[start - 2] in _LATIN_OR_DIGIT:
            continue  # 8:00-12:00: times are not read here
        if after and (after in _LATIN_OR_DIGIT or after in "-－~/.．_"):
            continue  # 2025-03-05, 3-2-101, a model number
        if line.endswith(_NUMBERING_BEFORE, 0, start):
            continue
        kind = _range_kind(left, right.group("body"), bool(right.group("next")), before == "第")
        if kind is None:
            continue
        connector = "—" if kind == "span" else "～"
        raw = line[start:end]
        fixed = raw[: i - start] + connector + raw[i - start + 1 :]
        yield PunctObs(n, start + 1, end + 1, raw, "range", connector, fixed, DISPLAY, kind)


_DIGITS = lazy_compile(r"[0-9]+")


def _range_kind(left: str, right: str, next_year: bool, ordinal: bool) -> str | None:
    """ "span" for years, months, days, hours and numbered items (第1-3条, 1-5号楼): 一字线; "number" for
    quantities (3-5年, 10-20万元): 浪纹线; None when the two sides do not read as a range."""
    lnums = [int(x) for x in _DIGITS.findall(left)]
    rnums = [int(x) for x in _DIGITS.findall(right)]
    if not lnums or not rnums:
        return None
    lunits = left.strip("0123456789")
    runits = right.strip("0123456789")
    if any(len(x) > 4 for x in _DIGITS.findall(left + "," + right)):
        return None  # a telephone number or a code, not a range
    if next_year or ordinal or any(u in left + right for u in "日时点"):
        return "span"
    if "月" in runits or "月" in lunits:
        if "个" in right:
            return "number"
        return "span" if all(1 <= x <= 12 for x in lnums[-1:] + rnums[:1]) or "年" in left else None
    year_like = lnums[0] >= 1900 and rnums[0] >= 1900 and len(str(lnums[0])) == 4 and len(str(rnums[0])) == 4
    if year_like:
        return "span" if lnums[0] <= rnums[0] else None
    if lnums[-1] > rnums[0]:
        return None  # 3-1, 2019-422号: numbering, not a range
    if "号" in runits:
        return "span"
    if "年" in runits and not year_like:
        return "number"  # 3-5年: a length of time, a quantity
    if not runits:
        return "number"  # the unit follows the right number: 10-20万元, 30-50%
    return None


# ------------------------------------------------------------------ paragraphs without an end mark


def _new_unit(lines: list[str], k: int, skip: set[int]) -> bool:
    """Line index `k` starts something new (so the paragraph before it has ended): an indented paragraph, a
    heading, a line of the document's metadata (signature, date), an 附件/抄送 line.  Otherwise the line
    before may go on here, broken by a web page."""
    line = lines[k]
    s = line.lstrip(" \u3000\t")
    return k + 1 in skip or s != line or _HEADING.match(s) is not None or s.startswith(_NOT_BODY_START)


def _table_row(s: str) -> bool:
    """Cells separated by tabs, bars or two gaps of spaces."""
    if _TABLE_MARK.search(s):
        return True
    gaps = _GAP.finditer(s)
    return next(gaps, None) is not None and next(gaps, None) is not None


def _no_end(n: int, line: str) -> PunctObs | None:
    s = line.strip(" \u3000\t")
    if not s or s.startswith(_NOT_BODY_START) or _HEADING.match(s) or _table_row(s):
        return None
    body = s.rstrip(_TRAILING_CLOSERS)
    if not body or body[-1] in _END_MARKS or body.endswith(("——", "……")):
        return None
    if _INNER_SENTENCE.search(body) is None or _HAN.search(body[-1]) is None:
        return None
    end = line.rstrip(" \u3000\t")
    tail_start = len(end)
    while tail_start > 0 and len(end) - tail_start < 10 and end[tail_start - 1] not in "，。；：、,;: \u3000\t":
        tail_start -= 1
    return PunctObs(n, tail_start + 1, len(end) + 1, end[tail_start:], "no_end", "。", None, DISPLAY, length=len(s))
