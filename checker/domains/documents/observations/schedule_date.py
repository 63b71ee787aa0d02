"""进度日期: dates a document sets as its own schedule or deadline, and how long before its 成文日期 they fall."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from checker.core.lazyre import lazy_compile
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.domains.documents.text.positions import in_spans
from checker.records.fields import FieldSpec

SCHEMA = observation_schema(
    "schedule_date",
    "进度日期",
    (
        FieldSpec("days_before_issue", "早于成文日期天数", "number", unit="天"),
        FieldSpec("issue_date", "成文日期", "text"),
        FieldSpec("in_schedule_section", "位于进度安排部分", "bool"),
    ),
    producer=__name__,
    limits=(
        "进度安排部分按标题中的“进度安排、时间安排、工作安排、实施步骤、工作步骤、阶段安排、检查时间、时间节点”等词识别；"
        "日期区间（2017年12月25～31日、2017年12月25日至2018年1月5日）按其最后一天比较",
        "部分之外只认“…前完成/报送”和“截止时间：…”等期限写法",
    ),
)

_SECTION_WORDS = lazy_compile(
    r"进度安排|时间安排|工作安排|实施步骤|时间节点|进度要求|工作步骤|时间进度|实施安排|阶段安排|检查时间|督查时间|"
    r"时间步骤|进度计划|方法步骤|步骤安排"
)
# the rest of a range after its first date: 2017年12月25～31日 (its last day), or …至2018年1月5日 (another date)
_RANGE_DAY = lazy_compile(r"^[ \u3000]*[～~至到—－-][ \u3000]*(?P<day>[0-9０-９]{1,2})日")
_RANGE_DATE = lazy_compile(r"^[ \u3000]*[～~至到—－-][ \u3000]*(?=[0-9０-９]{4}年)")
_NOT_COUNTED = lazy_compile(r"[\s：:。]")  # left out when telling a short heading line
_TOP_HEADING = lazy_compile(r"^\s*[一二三四五六七八九十]+、")
_SUB_HEADING = lazy_compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
_DEADLINE_AFTER = lazy_compile(r"^(?:底|末|中旬|下旬|上旬)?(?:之前|以前|前)")
_SINCE_AFTER = lazy_compile(r"^(?:底|末)?(?:以来|起|至今|期间)")
_DEADLINE_VERB = lazy_compile(r"完成|报送|上报|报至|提交|办结|到位|建成|实现|落实|印发|出台|启动|验收|整改|交付")
_DEADLINE_BEFORE = lazy_compile(r"(?:截止时间|截止日期|完成时限|完成时间|时间节点)[为是：:\s]*$")
_SENTENCE_END = lazy_compile(r"[。；;\n]")


def observe(reading) -> Iterator[Observation]:
    own = reading.own_date
    issue_value = own.value if own is not None else None
    if issue_value is None:
        return

    def build(found) -> Observation:
        d, in_section, deadline = found
        return reading.make(
            "schedule_date",
            d,
            {
                "days_before_issue": (issue_value - deadline).days,
                "in_schedule_section": in_section,
                "quoted": False,
                "issue_date": own.raw,
            },
        )

    found = ((d, in_section, last_day or _period_end(d)) for d, in_section, last_day in _schedule_dates(reading, own))
    yield from reading.each(((d, s, deadline) for d, s, deadline in found if deadline is not None), build)


def _period_end(d) -> date | None:
    """The last day a date expression covers: 2021年6月(底) → 2021-06-30, 2023年(底) → 2023-12-31."""
    if d.year is None:
        return None
    if d.precision == "day":
        return d.value
    if d.precision == "month" and d.month:
        import calendar

        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return date(d.year, 12, 31)


def _schedule_sections(lines: list[str]) -> set[int]:
    """Line numbers (1-based) inside a 进度安排 / 时间安排 / 工作安排 … section."""
    inside: set[int] = set()
    rank = None  # heading rank of the open section: 1 = 一、, 2 = （一）, 3 = an unmarked short heading
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:  # no heading, no section word: only what an open section does with a blank line
            if rank == 3:
                rank = None
            elif rank is not None:
                inside.add(number)
            continue
        word = _SECTION_WORDS.search(stripped)
        if rank is None and word is None:
            continue  # outside a section and opening none: nothing more to read of the line
        this_rank = 1 if _TOP_HEADING.match(line) else 2 if _SUB_HEADING.match(line) else None
        if rank is not None and this_rank is not None and this_rank <= rank:
            rank = None
        if word and (
            this_rank is not None
            or len(_NOT_COUNTED.sub("", stripped)) <= 12
            or _heading_with_dates(stripped, word.end())
        ):
            rank = this_rank or 3
            if re.search(r"[0-9０-９]{4}年", stripped[word.end() :]):
                inside.add(number)  # 三、检查时间：2017年12月25～31日 — the heading holds the schedule itself
            continue
        if rank is not None:
            if rank == 3 and not stripped:
                rank = None
                continue
            inside.add(number)
    return inside


def _heading_with_dates(line: str, after: int) -> bool:
    """A section word followed on its line by a colon and the dates: "检查时间：2017年12月25～31日"."""
    rest = line[after:].lstrip(" \u3000")
    return rest.startswith(("：", ":")) and len(rest) <= 40


def _range_end(text: str, end: int, d) -> tuple[bool, date | None]:
    """(starts a range to another full date, the range's last day when it is "…25～31日")."""
    after = text[end : end + 30]
    if _RANGE_DATE.match(after):
        return True, None
    m = _RANGE_DAY.match(after)
    if m and d.year and d.month and d.precision in ("day", "month"):
        try:
            return False, date(
                d.year, d.month, int(m.group("day").translate(str.maketrans("０１２３４５６７８９", "0123456789")))
            )
        except ValueError:
            return False, None
    return False, None


# the 前 of what follows a date set as a deadline (`_DEADLINE_AFTER`: 底 末 中旬 下旬 上旬, then 之 以), right after a
# character a date may end with; found by the 前 (a literal the engine skips to)
_END = "[年月日底末0-9０-９]"
_DEADLINE_TAIL = lazy_compile(
    rf"前(?:(?<={_END}前)|(?<={_END}[之以]前)|(?<={_END}[底末]前)|(?<={_END}[底末][之以]前)"
    rf"|(?<={_END}[中下上]旬前)|(?<={_END}[中下上]旬[之以]前))"
)
_DATE_END = frozenset("年月日底末0123456789０１２３４５６７８９")
# what precedes one (`_DEADLINE_BEFORE`), up to a character a date may start with
_DEADLINE_LEAD = lazy_compile(
    r"(?:截止时间|截止日期|完成时限|完成时间|时间节点)[为是：:\s]*(?=[0-9０-９〇○零一二三四五六七八九])"
)


def _candidates(reading, sections: set[int]):
    """(offset, date) of every date that may be part of the schedule, in text order: each date of a schedule
    section's lines, each date right before a "…前" and each right after a "截止时间：" — the only ones
    `_schedule_dates` may keep, found without reading the text's other dates (a line of 100,000 is not read)."""
    from heapq import merge

    from checker.domains.documents.text.cndate import date_ending_at, date_starting_at, iter_dates

    text, index = reading.text, reading.index

    def in_sections():
        for number in sorted(sections):
            start = index.offset(number, 1)
            for d in iter_dates(text, start, start + len(reading.lines[number - 1]), index):
                yield index.offset(d.line, d.column), d

    def before_deadline_words():
        for m in _DEADLINE_TAIL.finditer(text):
            for at in _deadline_ends(text, m.start()):
                d = date_ending_at(text, at, index)
                if d is not None:
                    yield index.offset(d.line, d.column), d

    def after_deadline_words():
        pos = 0
        while (m := _DEADLINE_LEAD.search(text, pos)) is not None:
            pos = m.start() + 1  # the words may overlap (完成时间节点)
            d = date_starting_at(text, m.end(), index)
            if d is not None:
                yield m.end(), d

    last = -1
    for offset, d in merge(in_sections(), before_deadline_words(), after_deadline_words(), key=lambda c: c[0]):
        if offset != last:
            last = offset
            yield offset, d


def _deadline_ends(text: str, at: int) -> list[int]:
    """Where a date may end that the words ending with the 前 at `at` follow (`_DEADLINE_AFTER`), in text order:
    2024年6月底前 and 2024年底前 (a date that holds its 底) both."""
    ends = set()
    for words in (at, at - 1) if at and text[at - 1] in "之以" else (at,):
        for end in (words, words - 1, words - 2):
            if end < 1 or text[end - 1] not in _DATE_END:
                continue
            if end == words - 1 and text[end] not in "底末":
                continue
            if end == words - 2 and text[end:words] not in ("中旬", "下旬", "上旬"):
                continue
            ends.add(end)
    return sorted(ends)


def _schedule_dates(reading, own_date):
    """Dates the document sets as its own schedule or deadline (not past dates it only mentions), in text order."""
    text = reading.text
    # a section opens with one of its words: a text without any has none (and its lines need not be read)
    sections = _schedule_sections(reading.lines) if _SECTION_WORDS.search(text) else set()
    for start, d in _candidates(reading, sections):
        if own_date is not None and d.line == own_date.line and d.column == own_date.column:
            continue
        end = start + len(d.raw)
        if in_spans(start, reading.quotes) or in_spans(start, reading.titles):
            continue  # quoted wording or a cited title: not the author's own schedule
        after = text[end : end + 40]
        if _SINCE_AFTER.match(after):
            continue  # 2022年以来: a past period, only mentioned
        before = text[max(0, start - 8) : start]
        sentence = _SENTENCE_END.split(after, 1)[0]
        starts_range, last_day = _range_end(text, end, d)
        if starts_range:
            continue  # the range's end date is judged, not its start
        if d.line in sections:
            yield d, True, last_day
        elif (_DEADLINE_AFTER.match(after) and _DEADLINE_VERB.search(sentence)) or _DEADLINE_BEFORE.search(before):
            yield d, False, last_day  # "…前完成", "于…前报送", "截止时间：…"
