"""结构层次序数 (GB/T 9704-2012 7.3.3): the numbers that open headings, their forms and their sequences.

The levels are 一、 → （一） → 1. → （1）.  A heading is a number at the start of a line (after indentation):
a number inside running text ("……。2、……") is a web copy's run-together paragraph or a list in a sentence,
never a heading start here.  What is found:

- form: a number written in the wrong form for its level (1、 1， 1． 一. 一， （一）、), or without its
  opening bracket (1） 一）).  Half-width or mixed brackets ((一) (1）) are the punctuation check's
  (DOC-PUNCT-HALFWIDTH); a suggestion writes them full-width, unless the document's own punctuation is
  half-width throughout, as web pages print it (`web_copy`).
- sequence: a number missing (一、二、四), repeated, or out of order within one level under one parent.
- level: a number directly under a heading two levels up (（1） under 一、 or （一）; 1. under 一、 where the
  same part uses （一） elsewhere), and a level restarting at 1 with no new parent heading between.

A new sequence starts at a part boundary: the 成文日期 line (attachments and 起草说明 follow it), an 附件 line,
a title-like line (ends with a document kind or 说明/名单, no sentence punctuation), and a new 一、 after
other 一、 headings.  A 第X条/章/节 line, a 1.1-style heading (another scheme, as in an 应急预案) and a
label line ending with a colon are parents of what follows; after a boundary or a 第X章 line a sequence may
also go on where it stopped.  The 附件说明 list (附件：1.…) is no heading: it is recognised to keep it out of
the sequence and left to the 附件说明 check (document_elements).  A gap or jump that a number inside running
text explains (the missing 二、 run into the line above) is not reported.  Lines of a table (holding |) are
skipped, and so is a number that continues a hard-wrapped line (a PDF's text: 统\n一，规范……).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Iterator
from functools import lru_cache
from heapq import merge
from itertools import islice

from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.domains.documents.text.cndate import cn_number
from checker.domains.documents.text.document_meta import KINDS

_CN = "一二三四五六七八九十"
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# one number at a position, with its brackets and the mark after it ("四 、": a stray space is tolerated)
_TOKEN = lazy_compile(
    rf"(?P<open>[（(])?(?P<num>[{_CN}]{{1,3}}|[0-9０-９]{{1,3}})(?![0-9０-９{_CN}])(?P<close>[）)])?"
    r"(?:[ \u3000]?(?P<mark>[、.．，,：:]))?"
)
_CN_NUMBER = lazy_compile(r"(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])")
_INDENT_CHARS = " \u3000\t"
# 一、二级 / 七、八月份 / 二、三季度: two consecutive numbers joined, not a heading (一、五年来工作回顾 is one)
_JOINED_AFTER = set(_CN) | set("、，,和与及至到或两级类等档批期季星月年号个次")
# another scheme of section numbers: 1.1 编制目的, 2.3.1; with it, "1 总则" opens a chapter
_DECIMAL = lazy_compile(r"[0-9]{1,2}(?:[.．][0-9]{1,2})+(?![.．]?[0-9])(?=[ \u3000\u4e00-\u9fff])")
# a line opening with such a number, anywhere in the text
_DECIMAL_LINE = lazy_compile(r"(?m)^[ \u3000\t]*" + _DECIMAL.pattern)
_CHAPTER = lazy_compile(r"[0-9]{1,2}[ \u3000]+(?=[\u4e00-\u9fff])")
_ARTICLE = lazy_compile(rf"第[{_CN}百零〇0-9]{{1,5}}[条章节篇部款]")
# 附件说明: "附件：" (the list follows) or "附件：1.……"
_ATTACH_LABEL = lazy_compile(r"附(?:件)?[ \u3000]*[:：][ \u3000]*")
# an attachment's own first line: 附件 / 附件1 / 附件 2：
_ATTACH_MARK = lazy_compile(rf"附件[ \u3000]*[0-9０-９{_CN}]{{0,3}}[ \u3000]*[:：]?")
_TITLE_WORDS = (*KINDS, "说明", "名单", "清单", "一览表", "预案")
_TITLE_END = lazy_compile("(?:" + "|".join(sorted(_TITLE_WORDS, key=len)[::-1]) + ")$")
_SENTENCE = lazy_compile(r"[，。；：,;:！？!?]")
_PARAGRAPH_END = tuple("。！？；：;:!?”）)")
_MIN_WRAP = 15  # the narrowest wrap width taken for one
# a number inside running text (after a sentence's end, a colon or a space) or at any line start: where a
# heading might be that the line-start reading did not take (1.2023年工作回顾, a table's row)
_SOFT = lazy_compile(rf"(?m)(?:^|[。；;！？!?：:][ \u3000]{{0,4}}|[ \u3000]{{1,4}})(?=[（({_CN}0-9０-９])")
# half-width sentence marks next to Chinese text (as a web page prints them) against full-width ones
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_HALF = lazy_compile(rf"[,;:?!](?:(?<=[{_CJK}].)|(?=[{_CJK}]))")  # the mark first: scanned for in C
_FULL = lazy_compile(r"[，；：？！]")

# The lines that may be more than the `previous` line of a wrapped text (a superset, found by scans in C rather than
# a loop over every line): one opening, after its indentation, with a number, 附 or 第; one holding a table's |;
# one ending, but for spaces, with a colon or the last character of a title's end (通知, 说明 …)
_LINE_OPENING = lazy_compile(rf"\n[ \u3000\t]*+[（({_CN}0-9０-９附第]")
# what str.rstrip() strips but the newline, as a class's ranges (a trailing space makes a line a candidate)
_SPACES = "\t\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_LINE_ENDING = lazy_compile(rf"\n(?<=[{''.join(sorted({word[-1] for word in _TITLE_WORDS}))}:：{_SPACES}]\n)")
_PART = ("part", None)

_SAFE_MARKS = {1: set(".．，,"), 3: set("、．，,"), 2: set("、.．，,"), 4: set("、.．，,")}
_RIGHT_MARK = {1: "、", 3: "."}


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class Heading:
    """One heading number at a line start, as written."""

    line: int
    column: int
    end_column: int  # exclusive
    raw: str
    offset: int
    level: int  # 1 一、 | 2 （一） | 3 1. | 4 （1）
    number: int
    canonical: str  # the standard form of this number at this level
    wrong_mark: bool  # the mark after the number is wrong for the level (or there should be none)
    missing_open: bool  # 1） 一）: the opening bracket is missing
    suggestion: str  # the form to write instead (brackets kept as written in a web copy)
    safe: bool  # replacing by `suggestion` cannot change the meaning


# not frozen either
@plain(slots=True, unsafe_hash=True)
class HeadingProblem:
    """What is wrong with one heading number, at its span."""

    line: int
    column: int
    end_column: int
    raw: str
    problem: str  # form | missing | repeated | order | jump | restart
    level: int
    suggestion: str | None  # form: the right form
    safe_fix: bool
    expected: str  # sequence: the number due here; jump: the level left out (its first number)
    parent: str  # jump: the heading it stands directly under
    previous: str  # restart: the last number of the level before it restarted


def cn_numeral(n: int) -> str:
    """一 … 九十九."""
    digits = "一二三四五六七八九"
    if n < 10:
        return digits[n - 1]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else digits[tens - 1]) + "十" + (digits[units - 1] if units else "")


@lru_cache(maxsize=1024)
def canonical(level: int, number: int) -> str:
    """The standard form of `number` at `level`: 一、 （一） 1. （1）."""
    if level == 1:
        return cn_numeral(number) + "、"
    if level == 2:
        return "（" + cn_numeral(number) + "）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"


@lru_cache(maxsize=1024)
def _cn_value(s: str) -> int | None:
    """The value of a heading's Chinese number (一 … 九十九), None for anything else."""
    return cn_number(s) if _CN_NUMBER.fullmatch(s) else None


def web_copy(text: str) -> bool:
    """The text's sentence marks are half-width throughout, as a web page prints them: its brackets' width
    then tells nothing about the document."""
    # the marks counted (in C) first bound what the regex could find: most texts need no regex scan at all
    most = sum(map(text.count, ",;:?!"))
    if most < 3:
        return False
    full = sum(map(text.count, "，；：？！"))
    if most <= full:
        return False
    half = len(_HALF.findall(text))
    return half >= 3 and half > full


def _token(line: str, pos: int, line_no: int, offset: int, web: bool, soft: bool = False):
    """The heading number at `pos` of `line`, or None when what stands there is not one; `soft` (a number inside
    running text, read more leniently): only its (level, number)."""
    m = _TOKEN.match(line, pos)
    if m is None:
        return None
    opened, closed, mark, num = m.group("open", "close", "mark", "num")
    end = m.end()
    after = line[end : end + 2]
    chinese = num[0] in _CN
    if chinese:
        number = _cn_value(num)
    else:
        digits = num.translate(_FULL_DIGITS)
        number = int(digits) if not digits.startswith("0") else None
    if number is None or (opened and not closed):
        return None
    bracketed = bool(closed)
    if not bracketed and not mark:
        return None
    if not soft:
        if not chinese and after[:1].translate(_FULL_DIGITS).isdigit():
            return None  # 1.5亿元, 1、2月份, 2021.12.31, 8:30
        joined = after[:1] and after[:1] in _CN and _cn_value(after[:1]) == number + 1
        if chinese and not bracketed and joined and after[1:2] in _JOINED_AFTER:
            return None  # 一、二级, 七、八月份
        if not bracketed and not chinese and mark in ".．" and after[:1] in ".．":
            return None
    level = (2 if chinese else 4) if bracketed else (1 if chinese else 3)
    if soft:
        return level, number
    raw = line[pos:end]
    right = canonical(level, number)
    # (full-width digits alone are the number-usage check's: the suggestion writes them half-width anyway)
    if bracketed:
        wrong_mark = bool(mark)
        missing_open = not opened
        width = bool(opened) and (opened != "（" or closed != "）")
    else:
        wrong_mark = mark != _RIGHT_MARK[level]
        missing_open = width = False
    safe = not missing_open and (not mark or mark in _SAFE_MARKS[level] or mark == _RIGHT_MARK.get(level))
    if bracketed and width and web:
        suggestion = opened + (cn_numeral(number) if chinese else str(number)) + closed  # the web's brackets kept
    else:
        suggestion = right
    return Heading(
        line_no, pos + 1, end + 1, raw, offset + pos, level, number, right, wrong_mark, missing_open,
        suggestion, safe,
    )  # fmt: skip


def _candidates(text: str) -> Iterator[tuple[int, int]]:
    """(0-based index, offset) of each line that may hold a heading number, a part's boundary or a label, in
    order: a superset (`_LINE_OPENING`, `_LINE_ENDING`, a |; the first and last lines), found by scans in C, so
    the lines of running text are never looked at one by one.  Lazy: a reader that stops early scans no further."""

    def openings() -> Iterator[int]:
        yield 0  # the first line: no newline before it
        for m in _LINE_OPENING.finditer(text):
            yield m.start() + 1

    def endings() -> Iterator[int]:
        for m in _LINE_ENDING.finditer(text):
            yield text.rfind("\n", 0, m.start()) + 1
        yield text.rfind("\n") + 1  # the last line: no newline after it

    def tables() -> Iterator[int]:
        at = text.find("|")
        while at >= 0:  # one look a line, however many | it holds
            yield text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            at = text.find("|", end) if end >= 0 else -1

    line, last, seen = 0, 0, -1
    for start in merge(openings(), endings(), tables()):
        if start != seen:
            seen = start
            line += text.count("\n", last, start)
            last = start
            yield line, start


def _classify(text: str, lines: list[str], date_line: int | None, web: bool) -> Iterator[tuple]:
    """The document's events, in line order: `_PART` where a part begins, ("h", Heading), ("reset", offset of a
    第X条 / 1.1 line) and ("label", offset of a line ending with a colon).  Generated as the sequence check reads
    them, so that it reads no further than the problems it is asked for."""
    width: list = []  # the wrap width (`_wrap_width`), once a heading asks
    decimal: list = []  # whether a line opens with a 1.1 number, once a line asks
    listing = None  # in the 附件说明 list: how many items so far
    done = 0  # the lines before this one are read
    date_at = date_line - 1 if date_line is not None else -1
    for i, start in _candidates(text):
        if done < i:  # lines of running text only: they end a 附件说明 list, and the date line among them a part
            if listing is not None and any(lines[j].strip() for j in range(done, i)):
                if not listing:
                    yield _PART  # "附件：" alone, then no list: the attachment itself begins
                listing = None
            if done <= date_at < i and lines[date_at].strip():
                yield _PART
        done = i + 1
        line = lines[i]
        pos = len(line) - len(line.lstrip(_INDENT_CHARS))  # the indentation, without a regex call
        body = line[pos:].rstrip()
        if not body:
            continue
        if "|" in line:
            listing = None
            continue
        attach = line.startswith("附", pos)  # both 附件 patterns open with it: no match tried without it
        label = _ATTACH_LABEL.match(line, pos) if attach else None
        if label is not None:
            rest = line[label.end() :].strip()
            item = _token(line, label.end(), i + 1, start, web) if rest else None
            listing = 1 if item is not None and item.level in (3, 4) else (0 if not rest else None)
            continue
        head = _token(line, pos, i + 1, start, web)
        if head is not None:
            previous = _previous(lines, i)
            # (the wrap width, counted over every line, only once a line above a heading could be a wrapped one)
            if len(previous) >= _MIN_WRAP - 1 and not previous.endswith(_PARAGRAPH_END):
                if not width:
                    width.append(_wrap_width(lines))
                if width[0] and len(previous) >= width[0] - 1:
                    head = None  # a hard-wrapped line's continuation (统\n一，规范……), not a heading start
        if listing is not None:
            if head is not None and head.level in (3, 4):
                listing += 1
                continue
            if not listing:
                yield _PART  # "附件：" alone, then no list: the attachment itself begins
            listing = None
        mark = _ATTACH_MARK.match(line, pos) if attach else None
        if mark is not None and (mark.end() >= len(line.rstrip()) or line[mark.end() - 1] in ":："):
            yield _PART
            continue
        if head is not None:
            yield "h", head
        elif (
            _ARTICLE.match(line, pos)
            or _DECIMAL.match(line, pos)
            or (_CHAPTER.match(line, pos) and _found(decimal, _DECIMAL_LINE, text))
        ):
            yield "reset", start + pos
        elif not _SENTENCE.search(body) and 4 <= len(body) <= 60 and _TITLE_END.search(body):
            yield _PART
        elif body.endswith(("：", ":")):
            yield "label", start + pos
        if i == date_at:
            yield _PART


def _found(memo: list, pattern, text: str) -> bool:
    """Whether `pattern` occurs in `text`: one search, the first time it is asked (`memo` keeps the answer)."""
    if not memo:
        memo.append(pattern.search(text) is not None)
    return memo[0]


def _previous(lines: list[str], i: int) -> str:
    """The last line with text before line `i` (0-based), outside a table, stripped: what line `i` may continue."""
    for j in range(i - 1, -1, -1):
        line = lines[j]
        body = line.lstrip(_INDENT_CHARS).rstrip()
        if body and "|" not in line:
            return body
    return ""


class _Events:
    """The events of `_classify` read one by one, with a look ahead for what the sequence check asks of the part
    being read as a whole: whether it has a heading of some level (its headings after the current one too)."""

    def __init__(self, events: Iterator[tuple]):
        self.source = events
        self.ahead: deque = deque()
        self.seen: set[int] = set()  # the levels of the part's headings read so far
        self.known: dict[int, bool] = {}  # what the look ahead found, for this part

    def __iter__(self):
        return self

    def __next__(self) -> tuple:
        event = self.ahead.popleft() if self.ahead else next(self.source)
        if event is _PART:
            self.seen = set()
            self.known = {}
        elif event[0] == "h":
            self.seen.add(event[1].level)
        return event

    def part_has(self, level: int) -> bool:
        """Whether the part being read has a heading of `level`: read on to the part's end at most, once."""
        if level in self.seen:
            return True
        found = self.known.get(level)
        if found is None:
            found = self._ahead_has(level)
            self.known[level] = found
        return found

    def _ahead_has(self, level: int) -> bool:
        for event in self.ahead:
            if event is _PART:
                return False
            if event[0] == "h" and event[1].level == level:
                return True
        for event in self.source:
            self.ahead.append(event)
            if event is _PART:
                return False
            if event[0] == "h" and event[1].level == level:
                return True
        return False


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text (copied from a PDF) breaks its lines at, or None for one paragraph a line."""
    counts = Counter(map(len, map(str.strip, lines)))  # counted in C
    counts.pop(0, None)
    total = sum(counts.values())
    if total < 8:
        return None
    mode = max(counts, key=lambda n: (counts[n], n))
    near = counts.get(mode - 1, 0) + counts[mode] + counts.get(mode + 1, 0)
    return mode if mode >= _MIN_WRAP and near * 5 >= total * 2 else None


class _Soft:
    """The numbers inside running text (where a heading might be that the line-start reading did not take), read
    only as far as a gap or jump asks (most documents never ask): (level, number) -> sorted offsets, and level ->
    sorted offsets, of every one before `upto`."""

    def __init__(self, text: str):
        self.text = text
        self.matches = _SOFT.finditer(text)
        self.upto = 0
        self.found: dict[tuple[int, int], list[int]] = {}
        self.levels: dict[int, list[int]] = {}

    def reach(self, end: int) -> None:
        """Read on until every number before offset `end` is in."""
        if end <= self.upto:
            return
        text = self.text
        for m in self.matches:  # (their ends never decrease)
            at = m.end()
            h = _token(text, at, 0, 0, False, soft=True)
            if h is not None:
                self.found.setdefault(h, []).append(at)
                self.levels.setdefault(h[0], []).append(at)
            if at >= end:
                self.upto = at
                return
        self.upto = len(text) + 1

    def explains(self, level: int, number: int, start: int, end: int) -> bool:
        """Whether `number` of `level` stands inside running text in [start, end)."""
        self.reach(end)
        return _between(self.found.get((level, number)), start, end)

    def any_level(self, levels: range, start: int, end: int) -> bool:
        """Whether a number of one of `levels` stands inside running text in [start, end)."""
        self.reach(end)
        for lv in levels:  # (a loop, not any() over a generator: called once per jump, 50,000 times)
            if _between(self.levels.get(lv), start, end):
                return True
        return False


def _between(offsets: list[int] | None, start: int, end: int) -> bool:
    """Whether one of the sorted `offsets` lies in [start, end)."""
    if not offsets:
        return False
    i = bisect_left(offsets, start)
    return i < len(offsets) and offsets[i] < end


def find_heading_problems(
    text: str, date_line: int | None = None, *, limit: int | None = None, lines: list[str] | None = None
) -> list[HeadingProblem]:
    """The heading numbers' wrong forms, gaps, repeats, jumps and restarts, in text order: the first `limit` of
    them (None: all), the headings read one by one only as far as they stand (and a part's own on to its end, when
    a jump asks whether it uses a level at all).

    `date_line`: the 1-based line of the document's 成文日期 (what follows it is an attachment); `lines`: the
    text split on "\\n", when the caller has it.
    """
    found = _problems(text, text.split("\n") if lines is None else lines, date_line)
    return list(found if limit is None else islice(found, limit))


def _problems(text: str, lines: list[str], date_line: int | None) -> Iterator[HeadingProblem]:
    """The problems heading by heading, in text order: a heading's own (its form first) all stand at its span."""
    events = _Events(_classify(text, lines, date_line, web_copy(text)))
    soft = _Soft(text)
    labels: list[int] = []  # the label lines' offsets read so far (all those before the heading being read)
    out: list[HeadingProblem] = []  # the problems of the heading being read

    def emit(h: Heading, problem: str, expected: str = "", parent: str = "", previous: str = "") -> None:
        fixing = problem == "form"
        out.append(
            HeadingProblem(
                h.line, h.column, h.end_column, h.raw, problem, h.level, h.suggestion if fixing else None,
                fixing and h.safe, expected, parent, previous,
            )
        )  # fmt: skip

    # the numbers standing before a part boundary or a 第X章 / 1.1 line: after it they may go on or start at 1
    carry: dict[int, Heading] = {}
    stack: dict[int, Heading | int] = {}  # level -> last heading; 0 -> offset of a 第X条 / 1.1 parent
    for event in events:
        kind, item = event
        if kind == "label":
            labels.append(item)
            continue
        if event is _PART or kind == "reset":
            carry = {**carry, **{lv: v for lv, v in stack.items() if isinstance(v, Heading)}}
            stack = {} if event is _PART else {0: item}
            continue
        h: Heading = item
        if h.wrong_mark or h.missing_open:
            emit(h, "form")
        level, n = h.level, h.number
        parents = [lv for lv in stack if lv < level]
        parent = stack[max(parents)] if parents else None
        parent_at = parent.offset if isinstance(parent, Heading) else (parent if parent is not None else 0)
        last = stack.get(level)
        if not isinstance(last, Heading):
            before = carry.get(level)
            carry = {lv: v for lv, v in carry.items() if lv < level}
            if before is not None and n == before.number + 1:
                pass  # the sequence before the boundary goes on
            elif n != 1 and not soft.explains(level, n - 1, parent_at, h.offset):
                due = before.number + 1 if before is not None and n > before.number + 1 else 1
                emit(h, "missing", canonical(level, due))
            elif isinstance(parent, Heading):
                _jump(h, parent, events, soft, emit)
        else:
            m = last.number
            if n == m + 1:
                pass
            elif n == 1 and level == 1:
                pass  # a new 一、 after others: a new part (an attachment whose marker was not recognised)
            elif n == m:
                emit(h, "repeated", canonical(level, m + 1))
            elif n > m + 1:
                if not soft.explains(level, n - 1, last.offset, h.offset):
                    emit(h, "missing", canonical(level, m + 1))
            elif n == 1:
                if not soft.any_level(range(1, level), last.offset, h.offset) and not _between(
                    labels, last.offset, h.offset
                ):
                    emit(h, "restart", previous=last.raw)
            else:
                emit(h, "order", canonical(level, m + 1))
        stack = {lv: v for lv, v in stack.items() if lv < level}
        stack[level] = h
        if out:
            yield from out
            out.clear()


def _jump(h: Heading, parent: Heading, events: _Events, soft: _Soft, emit) -> None:
    """A first number of its level standing two levels under its parent: （1） under 一、 or （一）, or 1. under
    一、 in a part that uses （一） elsewhere."""
    gap = h.level - parent.level
    if gap < 2:
        return
    if h.level == 3 and not events.part_has(2):
        return  # 一、 then 1.: the part has no （一） level at all
    if soft.any_level(range(parent.level + 1, h.level), parent.offset, h.offset):
        return
    emit(h, "jump", canonical(h.level - 1, 1), parent=parent.raw)
