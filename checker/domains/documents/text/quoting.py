"""Self-references (我市, 本县 ...) and agency mentions (市自然资源和规划局 ...).

A county document that says 我市 or names a bare 市自然资源和规划局 was often
copied from a city document without adapting it (domain.md §3).  These finders
only report what is written and whether it is quoted; the rules compare the
level with the issuer's.

Limits: an agency name is a level word (or a known place's full name), at most
12 further characters, and an agency suffix (局 厅 委 委员会 政府 办公室 法院
检察院); bodies such as 中心/站/所 are not recognised.  A bare level word is
reported only at the start of a phrase (after punctuation, a line start, or a
joining word such as 由/经/报/向/会同); after any other character (全市, 各县,
or an unknown place such as 郑州市) nothing is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from checker.core.lazyre import compile_pattern, lazy_compile
from checker.core.plain import plain
from checker.domains.documents.text.places import Places, default_places
from checker.domains.documents.text.positions import (
    in_spans,
    line_index,
    quoted_spans_cached,
)

LEVEL_OF_CHAR = {"省": "province", "市": "city", "县": "county", "区": "district"}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Words that end in 本 (基本, 成本, 文本 ...) would otherwise yield 本市/本区/本省/本县.
_NOT_BEFORE_BEN = "基根资成样版文日范副脚剧课账原读书标蓝母底正摹话台血老工一"
# After the level word: 市场, 市民, 市值, 市容, 区域, 区间, 区别, 区分, 区划, 省略, 省份 are other words.
_NOT_AFTER_LEVEL = "场民值容域间别分划略份"
# Starts with a character class (fast skip in the regex engine); the lookbehind
# after it rejects 本 preceded by 基/成/文 ... and never affects 我.
_SELF = lazy_compile(rf"[我本](?<![{_NOT_BEFORE_BEN}]本)(?P<lv>[省市县区])(?![{_NOT_AFTER_LEVEL}])")
_SUFFIX = (
    r"人民政府办公室|人民政府办公厅|政府办公室|人民政府|政府|委员会|办公室|法院|检察院"
    r"|(?<![格布大全当结开僵时骗残定饭胜败棋变出终战赌危])局|(?<![大客餐])厅|委(?![托屈婉任])"
)
_BODY = rf"(?:(?![局厅委省市县区])[{_CJK}]){{0,12}}?"
# Final characters of joining words and verbs that commonly precede an agency name
# (由, 经, 要求, 责成, 通知, 配合, 报送, 督促, 指导 ...); none ends a Henan place name.
_JOIN_1 = set("由和及与向对经请将报送为是在以给从至到呈交被把跟求成知合调助促导告转致示取织并或照据于")
_JOIN_2 = {
    "会同",
    "联合",
    "配合",
    "协调",
    "商请",
    "提请",
    "报请",
    "移交",
    "移送",
    "抄送",
    "报送",
    "协助",
    "督促",
    "指导",
    "提交",
}


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class SelfRefObs:
    line: int
    column: int
    end_column: int
    raw: str  # 我市, 本县 ...
    level: str  # province | city | county | district
    quoted: bool


# not frozen either
@plain(slots=True, unsafe_hash=True)
class AgencyObs:
    line: int
    column: int
    end_column: int
    raw: str  # 市自然资源和规划局, 南阳市自然资源和规划局
    level: str  # the named place's level (county_city for 邓州市) or the bare level word's
    place: str | None  # None when the name starts with a bare level word
    agency: str  # the name after the place / level word: 自然资源和规划局
    quoted: bool
    leadership: bool = False  # 省委, 市政府, 市政府办公室 …: how documents name a level's leadership (conventions)

    @property
    def bare(self) -> bool:
        return self.place is None


def find_self_references(text: str, limit: int | None = None) -> list[SelfRefObs]:
    """Every 我省/本省/我市/本市/我县/本县/我区/本区 (or the first `limit`), marked quoted when inside quotes."""
    return list(islice(iter_self_references(text), limit))


def iter_self_references(text: str) -> Iterator[SelfRefObs]:
    """Each self-reference in text order (`find_self_references`), found as it is taken."""
    spans = None
    idx = None
    for m in _SELF.finditer(text):
        if idx is None:
            idx = line_index(text)
            spans = quoted_spans_cached(text)
        line, col = idx.line_col(m.start())
        yield SelfRefObs(line, col, col + 2, m.group(), LEVEL_OF_CHAR[m.group("lv")], in_spans(m.start(), spans))


class _PendingSpans(list):
    """The quoted spans of a text, found when first looked at (`quoted_spans_when_asked`): every way of reading
    a list fills it, and makes it a plain one."""

    __slots__ = ("_text",)

    def _fill(self) -> None:
        self.__class__ = _Spans  # from now on a plain list (bisect reads it in C)
        self.extend(quoted_spans_cached(self._text))
        del self._text

    def __len__(self) -> int:
        self._fill()
        return len(self)

    def __getitem__(self, i):
        self._fill()
        return self[i]

    def __iter__(self):
        self._fill()
        return iter(self)

    def __contains__(self, item) -> bool:
        self._fill()
        return item in self

    def __bool__(self) -> bool:
        self._fill()
        return bool(self)

    def __eq__(self, other) -> bool:
        self._fill()
        return self == other

    def __ne__(self, other) -> bool:
        self._fill()
        return self != other

    def __reversed__(self):
        self._fill()
        return reversed(self)

    def index(self, *args):
        self._fill()
        return self.index(*args)

    def count(self, item) -> int:
        self._fill()
        return self.count(item)

    def copy(self) -> list:
        self._fill()
        return list(self)

    __hash__ = None

    def __repr__(self) -> str:
        self._fill()
        return repr(self)


class _Spans(list):
    __slots__ = ("_text",)


def quoted_spans_when_asked(text: str) -> list[tuple[int, int]]:
    """`quoted_spans_cached(text)`, found only when first looked at (its length, an item, a bisect): a document
    none of whose findings is asked about (1.35 MB of quoted dates, all well written) never reads its 64,000
    quotes.  A list in every other way."""
    spans = _PendingSpans()
    spans._text = text
    return spans


def _agency_regex(places: Places) -> re.Pattern:
    pattern = places.cache.get("agency")
    if pattern is None:
        # Only literal-led alternatives, so the engine can skip to candidate characters;
        # which one matched is read from where the `agency` group starts.
        names = "|".join(re.escape(n) for n in places.names_longest_first)
        pattern = compile_pattern(  # kept between runs: compiling its place names was 5 ms of every start
            rf"(?:{names}|省|市|县|区)(?![{_NOT_AFTER_LEVEL}])"
            rf"(?P<agency>{_BODY}(?:{_SUFFIX}))"
        )
        places.cache["agency"] = pattern
    return pattern


def _phrase_start(text: str, pos: int) -> bool:
    """Whether a bare level word at `pos` starts a phrase (so it is not the tail of a place name)."""
    if pos == 0:
        return True
    prev = text[pos - 1]
    if not ("\u3400" <= prev <= "\u9fff" or "\uf900" <= prev <= "\ufaff"):
        return True
    return prev in _JOIN_1 or text[max(0, pos - 2) : pos] in _JOIN_2


def find_agency_mentions(text: str, places: Places | None = None, limit: int | None = None) -> list[AgencyObs]:
    """Agency names starting with a bare level word (市自然资源和规划局) or a known place (南阳市...), or the first
    `limit` of them."""
    return list(islice(iter_agency_mentions(text, places), limit))


def iter_agency_mentions(text: str, places: Places | None = None) -> Iterator[AgencyObs]:
    """Each agency name in text order (`find_agency_mentions`), found as it is taken."""
    places = places or default_places()
    spans = None
    idx = None
    for m in _agency_regex(places).finditer(text):
        head = text[m.start() : m.start("agency")]
        if len(head) == 1:
            if not _phrase_start(text, m.start()):
                continue
            place, level = None, LEVEL_OF_CHAR[head]
        else:
            place = head
            level = places.get(place).level
        if idx is None:
            idx = line_index(text)
            spans = quoted_spans_cached(text)
        line, col = idx.line_col(m.start())
        yield AgencyObs(
            line,
            col,
            col + (m.end() - m.start()),
            m.group(),
            level,
            place,
            m.group("agency"),
            in_spans(m.start(), spans),
            m.group("agency") in places.leadership_bodies,
        )
