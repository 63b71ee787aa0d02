"""Stated counts against the list or breakdown that follows them.

"共辅导企业5个，分别是（甲、乙、丙、丁）" states 5 and lists 4;
"发现问题12个，已完成10个，需持续推进2个" states 12 and breaks it into 10+2.
Both agreeing and disagreeing pairs are returned; the rules decide.

An observation is made only when the structure is clear:
- list: the count is followed (after at most 8 characters of noun) by
  分别是/分别为/包括/即/具体为/依次为 and a list, or directly by a bracketed list.
  Items are split on 、，； inside brackets; without brackets on ； if present,
  else on 、 up to the first ，.  Skipped: fewer than 2 items, an empty item,
  a list ending in 等 or introduced by 包括但不限于 (not exhaustive), an item
  holding a count (a breakdown, not a list), a last item joined by 和/及/与
  (甲、乙和丙 cannot be told from 住房和城乡建设局).
- sum: the count's clause is followed, in the same sentence, by at least two
  clauses each holding exactly one count with the same unit, the first starting
  with 其中 or every one naming a status (已, 完成, 整改, 未, 正在, 需, 新建 ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, islice

from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.domains.documents.text.positions import line_index

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNITS = "个家项条人名处件次批所类户栋幢套份起座宗笔间台辆篇期组"
_CN_NUM = (
    r"(?:[一二两三四五六七八九]?百(?:零[一二三四五六七八九]|[一二三四五六七八九]十[一二三四五六七八九]?)?"
    r"|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
)
_NUM_CHARS = "0-9０-９零一二两三四五六七八九十百"
# Starts with one character class so the engine skips to candidates in C; the
# numeral's form and what precedes it are checked in `_count_spans`.
_COUNT = lazy_compile(rf"[{_NUM_CHARS}][{_NUM_CHARS}]{{0,7}}(?P<unit>[{_UNITS}])")
# a count's last numeral: `_COUNT` alone tries eight numerals at each digit of a long number that has no unit
_NUM_BEFORE_UNIT = lazy_compile(rf"[{_NUM_CHARS}](?=[{_UNITS}])")
_ARABIC = lazy_compile(r"[0-9０-９]{1,6}")
_CN_NUM_RE = lazy_compile(_CN_NUM)
_NUM_SET = frozenset("0123456789０１２３４５６７８９零一二两三四五六七八九十百")
_NOT_BEFORE_ARABIC = frozenset("第0123456789０１２３４５６７８９.．")
_NOT_BEFORE_CN = frozenset("第统唯万之单逐同划均专零一二两三四五六七八九十百千")
_INTRO = lazy_compile(
    rf"(?P<noun>[{_CJK}]{{0,8}}?)[，,]?(?P<intro>分别是|分别为|分别系|包括|具体是|具体为|依次是|依次为|即(?![将可时使刻日便]))[：:]?[ \u3000]*"
)
_BRACKET_NEXT = lazy_compile(rf"(?P<noun>[{_CJK}]{{0,8}}?)(?=[（(])")
_BRACKET = lazy_compile(r"[（(](?P<content>[^（）()\n]{1,300})[）)]")
_SEP_IN_BRACKET = lazy_compile(r"[、，；,;]")
_NOT_LIST_START = lazy_compile(r"^(?:其中|含|共|合计|占|约|截至|截止)")
_STRIP_LIST_START = lazy_compile(r"^(?:包括|分别是|分别为|即)[：:]?")
_JOINED = lazy_compile(r"和|及|与")
_STATUS = lazy_compile(
    r"已|完成|整改|办结|推进|未|正在|持续|剩余|其余|待|需|仍|在建|新建|续建|完工|开工|销号|通过|超期|逾期"
)
_LEVEL_WORDS = frozenset("省市县区乡镇街州旗盟村")  # 县（市、区）: a qualifier of the noun, never a list
_CN_VALUE = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class CountObs:
    line: int
    column: int  # of the stated count ("5个")
    end_column: int
    raw: str  # the stated count as written, numeral and unit
    stated: int
    found: int  # items listed, or the sum of the breakdown
    kind: str  # "list" | "sum"
    items: tuple[str, ...]  # listed items, or the breakdown clauses
    parts: tuple[int, ...]  # the breakdown's numbers ("sum"); () for "list"
    agrees: bool


def cn_int(s: str) -> int:
    """Value of a Chinese numeral below 1000 as matched by the count pattern (十二, 两, 一百零五)."""
    total = cur = 0
    for ch in s:
        if ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            cur = _CN_VALUE[ch]
    return total + cur


# not frozen either
@plain(slots=True, unsafe_hash=True)
class _Count:
    start: int
    end: int
    value: int
    unit: str


def _count_spans(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, offset of the unit) of each count (numeral + unit) in text[pos:endpos], each a well-formed numeral
    not inside a longer number.

    The next `_COUNT` match has its unit after the first numeral followed by one, and starts at most eight
    numerals before it: found from there, a million digits with no unit are one scan, not eight tries a digit."""
    endpos = len(text) if endpos is None else endpos
    find = _NUM_BEFORE_UNIT.search
    search = _COUNT.search
    while (last := find(text, pos, endpos)) is not None:
        start = last.start()
        unit_at = start + 1
        low = max(pos, start - 7)
        if start > low and text[start - 1] in _NUM_SET:  # a numeral of several characters
            start = search(text, low, endpos).start()
        num = text[start:unit_at]
        prev = text[start - 1] if start > 0 else ""
        if _ARABIC.fullmatch(num):
            ok = prev not in _NOT_BEFORE_ARABIC or prev == ""
        elif _CN_NUM_RE.fullmatch(num):
            ok = prev not in _NOT_BEFORE_CN or prev == ""
        else:
            ok = False
        if not ok:
            pos = start + 1
            continue
        yield start, unit_at
        pos = unit_at + 1


def _value(num: str) -> int:
    """The value of a count's numeral (Arabic, full-width or Chinese)."""
    return int(num.translate(_FULLWIDTH)) if _ARABIC.fullmatch(num) else cn_int(num)


def _iter_counts(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[_Count]:
    """The counts of `_count_spans`, each with its value and unit."""
    for start, unit_at in _count_spans(text, pos, endpos):
        yield _Count(start, unit_at + 1, _value(text[start:unit_at]), text[unit_at])


def _has_count(s: str) -> bool:
    """Whether a list item holds a count of its own (a breakdown, not a list); a numeral that ends a proper name
    is not one (新野建业城二期, 县一中: 二期 after the name's characters)."""
    for c in _iter_counts(s):
        if c.unit == "期" and c.start > 0 and "\u4e00" <= s[c.start - 1] <= "\u9fff":
            continue
        return True
    return False


_ITEM_STRIP = " \u3000\t。．."
_ITEM_MAX = 40  # characters of one listed item: a longer one is a sentence, and the text no list


def _item(part: str) -> str | None:
    """A listed item as `_clean_items` keeps it, or None when it alone makes the text no list (empty, too long,
    or holding a count of its own)."""
    item = part.strip(_ITEM_STRIP)
    if not item or len(item) > _ITEM_MAX or _has_count(item):
        return None
    return item


def _clean_items(parts: list[str]) -> tuple[str, ...] | None:
    items = [p.strip(_ITEM_STRIP) for p in parts]
    if len(items) < 2 or any(not it or len(it) > _ITEM_MAX for it in items):
        return None
    if any(_has_count(it) for it in items):
        return None
    return _whole_list(items)


def _whole_list(items: list[str]) -> tuple[str, ...] | None:
    """The checks of a list as a whole, its items each fine alone (present, short, holding no count)."""
    if len(items) < 2 or all(it in _LEVEL_WORDS for it in items):
        return None  # 县（市、区）: a qualifier of the noun, not a list
    if items[-1].endswith("等"):
        return None
    if _JOINED.search(items[-1]):
        return None
    return tuple(items)


class _Marks:
    """Where the next of a mark is, for positions that mostly grow: what one search found answers every later
    position up to it, so a long line with many counts is searched about once per mark, not once per count."""

    def __init__(self, text: str):
        self.text = text
        self.known: dict[str, tuple[int, int]] = {}  # mark -> (from, at): no mark in [from, at); at: one or the end

    def next(self, mark: str, pos: int) -> int:
        """Offset of the first `mark` at or after `pos`, len(text) when there is none."""
        known = self.known.get(mark)
        if known is None or not known[0] <= pos <= known[1]:
            at = self.text.find(mark, pos)
            known = self.known[mark] = (pos, at if at >= 0 else len(self.text))
        return known[1]


def _split_list(text: str, pos: int, end: int, sep: str, marks: _Marks) -> tuple[str, ...] | None:
    """`_clean_items(text[pos:end].split(sep))`, reading item by item and stopping at the first that rules the list
    out: a count followed by a long stretch with no list in it costs one item, not the stretch."""
    items: list[str] = []
    while True:
        stop = min(marks.next(sep, pos), end)
        item = _item(text[pos:stop])
        if item is None:
            return None
        items.append(item)
        if stop >= end:
            return _whole_list(items)
        pos = stop + 1


def _list_after(
    text: str, end: int, line_end: int, marks: _Marks, cut: int | None = None
) -> tuple[tuple[str, ...] | None, bool]:
    """Items of a list that clearly follows a count ending at `end` (before `line_end`), else None; and whether
    all that decided it lies before `cut` (when given: the end of the count's window, before its line's end; see
    `_reading_at`).  Past `cut` it may only have looked for whether the sentence goes on to a ；, which the
    window's key holds; a bracket, a first clause or a list split on ； reaching past it was not the window's."""
    inside = True
    m = _INTRO.match(text, end, line_end)
    if m:
        pos = m.end()
        if cut is not None and pos + _BRACKET_REACH > cut:
            inside = False
        if text.startswith("但不限于", pos):
            return None, inside
        b = _BRACKET.match(text, pos, line_end)
        if b:
            if text.startswith("等", b.end()):
                return None, inside
            return _clean_items(_SEP_IN_BRACKET.split(_STRIP_LIST_START.sub("", b.group("content")))), inside
        # the sentence's items split on ； if it holds one, else those of its first clause split on 、
        stop = min(marks.next("。", pos), line_end)
        if marks.next("；", pos) < stop:
            return _split_list(text, pos, stop, "；", marks), inside and (cut is None or stop < cut)
        stop = min(marks.next("，", pos), marks.next(",", pos), stop)
        inside = inside and (cut is None or stop < cut)
        if marks.next("、", pos) >= stop:
            return None, inside
        return _split_list(text, pos, stop, "、", marks), inside
    m = _BRACKET_NEXT.match(text, end, line_end)
    if m:
        b = _BRACKET.match(text, m.end(), line_end)
        if b is None or text.startswith("等", b.end()):
            return None, inside
        content = b.group("content")
        if _NOT_LIST_START.match(content):
            return None, inside
        return _clean_items(_SEP_IN_BRACKET.split(_STRIP_LIST_START.sub("", content))), inside
    return None, inside


_CLAUSE_SPLIT = lazy_compile(r"[，；,;]")
_CLAUSE_END = lazy_compile(r"[，；。\n,;][^，；。\n,;]*$")


def _clause_start(text: str, pos: int) -> int:
    """Offset just after the punctuation that starts the clause containing `pos` (looks back 40 chars)."""
    m = _CLAUSE_END.search(text, max(0, pos - 40), pos)
    return m.start() + 1 if m else max(0, pos - 40)


_SENTENCE_END = lazy_compile(r"[。！？!?\n]")


def _clauses(text: str, start: int, stop: int) -> Iterator[str]:
    """`_CLAUSE_SPLIT.split(text[start:stop])`, one clause at a time: a breakdown is ruled out at its first
    clause that is none, and the rest of the 300 characters is then never cut up."""
    pos = start
    for sep in _CLAUSE_SPLIT.finditer(text, start, stop):
        yield text[pos : sep.start()]
        pos = sep.end()
    yield text[pos:stop]


def _sum_after(text: str, m: _Count) -> tuple[tuple[str, ...], tuple[int, ...], int] | None:
    """(clauses, numbers, end offset) of a breakdown following the count `m`, else None."""
    se = _SENTENCE_END.search(text, m.end, m.end + 300)
    stop = se.start() if se else min(len(text), m.end + 300)
    clauses = _clauses(text, m.end, stop)
    head = list(islice(clauses, 3))
    if len(head) < 3 or len(head[0]) > 8 or _has_count(head[0]):
        return None
    unit = m.unit
    items: list[str] = []
    numbers: list[int] = []
    consumed = m.end + len(head[0]) + 1
    qizhong = head[1].lstrip().startswith("其中")
    for clause in chain(head[1:], clauses):
        body = clause.strip()
        counts = list(_iter_counts(body))
        if len(counts) != 1 or counts[0].unit != unit:
            break
        c = counts[0]
        pre = body[: c.start]
        if len(pre) > 10 or len(body) - c.end > 12:
            break
        if not qizhong and not _STATUS.search(pre):
            break
        items.append(body)
        numbers.append(c.value)
        consumed += len(clause) + 1
    if len(numbers) < 2:
        return None
    return tuple(items), tuple(numbers), consumed


# What a count's list or breakdown is read from: 40 characters before it (its clause's start) and `_REACH` after
# it, or up to its line's end when that comes first.  A bracket after an intro word is read `_BRACKET_REACH`
# characters on (its 300 characters, its marks and a 等 after it); a breakdown 300.
_BACK = 40
_REACH = 340
_BRACKET_REACH = 305
_READINGS = 4096  # windows remembered per text (each at most ~400 characters)
_MISSING = object()

# (kind, items, breakdown parts, the breakdown's end after the count) read after a count, or None
_Reading = tuple[str, tuple[str, ...], tuple[int, ...], int] | None


def _reading_at(text: str, m: _Count, line_end: int, marks: _Marks) -> tuple[_Reading, bool]:
    """What follows the count `m` (a list, a breakdown or neither), and whether that was read within its window
    (`_BACK` before it, `_REACH` after it or up to the line's end, see `_list_after`): then any count with the
    same window (and, when the window ends before the line, the same answer to whether the sentence goes on to a
    ；) reads the same."""
    cut = m.end + _REACH if line_end >= m.end + _REACH else None
    items, inside = _list_after(text, m.end, line_end, marks, cut)
    if items is not None:
        return ("list", items, (), 0), inside
    clause_start = _clause_start(text, m.start)
    if text.startswith("其中", clause_start) or text.startswith("其中", clause_start + 1):
        return None, inside
    summed = _sum_after(text, m)
    if summed is None:
        return None, inside
    items, parts, until = summed
    return ("sum", items, parts, until - m.end), inside


def find_count_mismatches(text: str, *, limit: int | None = None) -> list[CountObs]:
    """Every stated count with a clearly following list or breakdown, agreeing or not, in order of position;
    with a `limit`, the first `limit` of them (the text is read no further)."""
    return list(islice(_count_mismatches(text), limit))


def _count_mismatches(text: str) -> Iterator[CountObs]:
    """The stated counts of `find_count_mismatches`, one at a time (a reader that stops early stops the reading).

    What follows a count is read from a window around it (`_reading_at`) and remembered by that window: a text
    repeating one sentence 35,000 times on a line reads it once, not once per count."""
    idx = None
    skip_until = 0
    marks = _Marks(text)
    readings: dict[tuple, _Reading] = {}
    find = text.find
    size = len(text)
    # the next line end, ； and 。 after a growing position (the counts come in order)
    line_end = semicolon = full_stop = -1
    for start, unit_at in _count_spans(text):
        if start < skip_until:
            continue
        end = unit_at + 1
        if line_end < end:
            line_end = find("\n", end)
            line_end = size if line_end < 0 else line_end
        back = max(0, start - _BACK)
        if line_end >= end + _REACH:
            cut = end + _REACH
            if semicolon < cut:
                semicolon = find("；", cut)
                semicolon = size if semicolon < 0 else semicolon
            if full_stop < cut:
                full_stop = find("。", cut)
                full_stop = size if full_stop < 0 else full_stop
            key = (start - back, end - start, text[back:cut], semicolon < min(full_stop, line_end))
        else:
            key = (start - back, end - start, text[back : line_end + 1], None)
        reading = readings.get(key, _MISSING)
        if reading is _MISSING:
            m = _Count(start, end, _value(text[start:unit_at]), text[unit_at])
            reading, inside = _reading_at(text, m, line_end, marks)
            if inside and len(readings) < _READINGS:
                readings[key] = reading
        if reading is None:
            continue
        kind, items, parts, until = reading
        if kind == "sum":
            skip_until = end + until
        stated = _value(text[start:unit_at])
        found = len(items) if kind == "list" else sum(parts)
        if idx is None:
            idx = line_index(text)
        line, col = idx.line_col(start)
        yield CountObs(
            line,
            col,
            col + (end - start),
            text[start:end],
            stated,
            found,
            kind,
            items,
            parts,
            stated == found,
        )
