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
from dataclasses import dataclass
from functools import lru_cache

from checker.core.lazyre import lazy_compile
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
_TITLE_END = lazy_compile(
    "(?:" + "|".join(sorted((*KINDS, "说明", "名单", "清单", "一览表", "预案"), key=len)[::-1]) + ")$"
)
_SENTENCE = lazy_compile(r"[，。；：,;:！？!?]")
_PARAGRAPH_END = tuple("。！？；：;:!?”）)")
# a number inside running text (after a sentence's end, a colon or a space) or at any line start: where a
# heading might be that the line-start reading did not take (1.2023年工作回顾, a table's row)
_SOFT = lazy_compile(rf"(?m)(?:^|[。；;！？!?：:][ \u3000]{{0,4}}|[ \u3000]{{1,4}})(?=[（({_CN}0-9０-９])")
# half-width sentence marks next to Chinese text (as a web page prints them) against full-width ones
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_HALF = lazy_compile(rf"(?<=[{_CJK}])[,;:?!]|[,;:?!](?=[{_CJK}])")
_FULL = lazy_compile(r"[，；：？！]")

_SAFE_MARKS = {1: set(".．，,"), 3: set("、．，,"), 2: set("、.．，,"), 4: set("、.．，,")}
_RIGHT_MARK = {1: "、", 3: "."}


# not frozen (hashable all the same): a frozen dataclass pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@dataclass(slots=True, unsafe_hash=True)
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
@dataclass(slots=True, unsafe_hash=True)
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
    half = len(_HALF.findall(text))
    return half >= 3 and half > len(_FULL.findall(text))


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


@dataclass
class _Part:
    """The heading numbers of one part of the document (the body, an attachment) and where its parents are."""

    events: list  # ("h", Heading) | ("reset", offset of a 第X条 / 1.1 line)
    levels: set


def _classify(lines: list[str], date_line: int | None, web: bool) -> tuple[list[_Part], list[int]]:
    """The document as parts of events, and the offsets of label lines (ending with a colon)."""
    decimal = _DECIMAL_LINE.search("\n".join(lines)) is not None  # one search, not one match a line
    width = _wrap_width(lines)
    previous = ""  # the last non-empty line, stripped
    parts = [_Part([], set())]
    labels: list[int] = []
    listing = None  # in the 附件说明 list: how many items so far
    offset = 0
    for i, line in enumerate(lines, 1):
        start = offset
        offset += len(line) + 1
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
            item = _token(line, label.end(), i, start, web) if rest else None
            listing = 1 if item is not None and item.level in (3, 4) else (0 if not rest else None)
            previous = body
            continue
        head = _token(line, pos, i, start, web)
        if head is not None and width and len(previous) >= width - 1 and not previous.endswith(_PARAGRAPH_END):
            head = None  # a hard-wrapped line's continuation (统\n一，规范……), not a heading start
        previous = body
        if listing is not None:
            if head is not None and head.level in (3, 4):
                listing += 1
                continue
            if not listing:
                parts.append(_Part([], set()))  # "附件：" alone, then no list: the attachment itself begins
            listing = None
        mark = _ATTACH_MARK.match(line, pos) if attach else None
        if mark is not None and (mark.end() >= len(line.rstrip()) or line[mark.end() - 1] in ":："):
            parts.append(_Part([], set()))
            continue
        if head is not None:
            parts[-1].events.append(("h", head))
            parts[-1].levels.add(head.level)
        elif _ARTICLE.match(line, pos) or _DECIMAL.match(line, pos) or (decimal and _CHAPTER.match(line, pos)):
            parts[-1].events.append(("reset", start + pos))
        elif not _SENTENCE.search(body) and 4 <= len(body) <= 60 and _TITLE_END.search(body):
            parts.append(_Part([], set()))
        elif body.endswith(("：", ":")):
            labels.append(start + pos)
        if date_line is not None and i == date_line:
            parts.append(_Part([], set()))
    return parts, labels


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text (copied from a PDF) breaks its lines at, or None for one paragraph a line."""
    lengths = [len(line.strip()) for line in lines if line.strip()]
    if len(lengths) < 8:
        return None
    counts: dict[int, int] = {}
    for n in lengths:
        counts[n] = counts.get(n, 0) + 1
    mode = max(counts, key=lambda n: (counts[n], n))
    near = counts.get(mode - 1, 0) + counts[mode] + counts.get(mode + 1, 0)
    return mode if mode >= 15 and near * 5 >= len(lengths) * 2 else None


def _soft(text: str, web: bool) -> tuple[dict[tuple[int, int], list[int]], dict[int, list[int]]]:
    """Numbers inside running text: (level, number) -> sorted offsets, and level -> sorted offsets."""
    found: dict[tuple[int, int], list[int]] = {}
    levels: dict[int, list[int]] = {}
    for m in _SOFT.finditer(text):
        h = _token(text, m.end(), 0, 0, web, soft=True)
        if h is not None:
            found.setdefault(h, []).append(m.end())
            levels.setdefault(h[0], []).append(m.end())
    return found, levels


def _between(offsets: list[int] | None, start: int, end: int) -> bool:
    """Whether one of the sorted `offsets` lies in [start, end)."""
    if not offsets:
        return False
    i = bisect_left(offsets, start)
    return i < len(offsets) and offsets[i] < end


def find_heading_problems(text: str, date_line: int | None = None) -> list[HeadingProblem]:
    """The heading numbers' wrong forms, gaps, repeats, jumps and restarts, in text order.

    `date_line`: the 1-based line of the document's 成文日期 (what follows it is an attachment).
    """
    web = web_copy(text)
    lines = text.split("\n")
    parts, labels = _classify(lines, date_line, web)
    found_soft: list = []  # the numbers inside running text, read when a gap or jump first asks (most never do)

    def soft_numbers():
        if not found_soft:
            found_soft.extend(_soft(text, web))
        return found_soft

    out: list[HeadingProblem] = []

    def emit(h: Heading, problem: str, expected: str = "", parent: str = "", previous: str = "") -> None:
        fixing = problem == "form"
        out.append(
            HeadingProblem(
                h.line, h.column, h.end_column, h.raw, problem, h.level, h.suggestion if fixing else None,
                fixing and h.safe, expected, parent, previous,
            )
        )  # fmt: skip

    def explained(level: int, number: int, start: int, end: int) -> bool:
        return _between(soft_numbers()[0].get((level, number)), start, end)

    def any_soft(levels: range, start: int, end: int) -> bool:
        soft_levels = soft_numbers()[1]
        for lv in levels:  # (a loop, not any() over a generator: called once per jump, 50,000 times)
            if _between(soft_levels.get(lv), start, end):
                return True
        return False

    def forms(h: Heading) -> None:
        if h.wrong_mark or h.missing_open:
            emit(h, "form")

    # the numbers standing before a part boundary or a 第X章 / 1.1 line: after it they may go on or start at 1
    carry: dict[int, Heading] = {}
    stack: dict[int, Heading | int] = {}  # level -> last heading; 0 -> offset of a 第X条 / 1.1 parent
    for part in parts:
        carry = {**carry, **{lv: v for lv, v in stack.items() if isinstance(v, Heading)}}
        stack = {}
        for kind, item in part.events:
            if kind == "reset":
                carry = {**carry, **{lv: v for lv, v in stack.items() if isinstance(v, Heading)}}
                stack = {0: item}
                continue
            h: Heading = item
            forms(h)
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
                elif n != 1 and not explained(level, n - 1, parent_at, h.offset):
                    due = before.number + 1 if before is not None and n > before.number + 1 else 1
                    emit(h, "missing", canonical(level, due))
                elif isinstance(parent, Heading):
                    _jump(h, parent, part.levels, any_soft, emit)
            else:
                m = last.number
                if n == m + 1:
                    pass
                elif n == 1 and level == 1:
                    pass  # a new 一、 after others: a new part (an attachment whose marker was not recognised)
                elif n == m:
                    emit(h, "repeated", canonical(level, m + 1))
                elif n > m + 1:
                    if not explained(level, n - 1, last.offset, h.offset):
                        emit(h, "missing", canonical(level, m + 1))
                elif n == 1:
                    if not any_soft(range(1, level), last.offset, h.offset) and not _between(
                        labels, last.offset, h.offset
                    ):
                        emit(h, "restart", previous=last.raw)
                else:
                    emit(h, "order", canonical(level, m + 1))
            stack = {lv: v for lv, v in stack.items() if lv < level}
            stack[level] = h
    out.sort(key=lambda p: (p.line, p.column))
    return out


def _jump(h: Heading, parent: Heading, levels: set, any_soft, emit) -> None:
    """A first number of its level standing two levels under its parent: （1） under 一、 or （一）, or 1. under
    一、 in a part that uses （一） elsewhere."""
    gap = h.level - parent.level
    if gap < 2:
        return
    if h.level == 3 and 2 not in levels:
        return  # 一、 then 1.: the part has no （一） level at all
    if any_soft(range(parent.level + 1, h.level), parent.offset, h.offset):
        return
    emit(h, "jump", canonical(h.level - 1, 1), parent=parent.raw)
