"""结构层次序数: the heading numbers (一、（一）1.（1）, GB/T 9704-2012 7.3.3) in a wrong form, out of sequence,
or skipping a level; the finder is text/headings.py."""

from __future__ import annotations

from collections.abc import Iterator

from checker.core.edits import DISPLAY, SAFE, UNSAFE
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

PROBLEMS = {
    "form": ("写法不对",),
    "missing": ("缺号",),
    "repeated": ("重号",),
    "order": ("顺序颠倒",),
    "jump": ("跳级",),
    "restart": ("重新编号",),
}

SCHEMA = observation_schema(
    "heading_numbering",
    "结构层次序数",
    (
        FieldSpec("problem", "问题", "enum", choices=PROBLEMS),
        FieldSpec("level", "层次", "number"),
        FieldSpec("suggestion", "规范写法", "text"),
        FieldSpec("safe_fix", "可自动修正", "bool"),
        FieldSpec("expected", "此处应为", "text"),
        FieldSpec("parent", "上级序数", "text"),
        FieldSpec("previous", "此前序数", "text"),
    ),
    producer=__name__,
    limits=(
        "只看行首（缩进之后）的序数；网页把段落连成一行时，行中的“二、”“2、”不作标题检查，只用来避免误报缺号、跳级",
        "括号的全半角（(一)、(1）)由标点检查报告，这里只报缺前括号（1）、一））",
        "“一是”“第一，”“①”不算结构层次序数；1.1 式章节编号（应急预案等）不检查，其下的序数从头计",
        "成文日期、“附件”行、像标题的行（以文种或“说明”“名单”结尾）之后视为新的部分，序数可重新开始",
        "表格（含 | 的行）与引号内的序数不检查；附件说明（附件：1.……）的顺序号由公文要素检查，这里不报；段内无法区分的列举可能被当作标题",
    ),
)


def observe(reading) -> Iterator[Observation]:
    from checker.domains.documents.text.headings import find_heading_problems

    meta = reading.meta
    date_line = meta.date.line if meta is not None and meta.date is not None else None

    def build(found) -> Observation:
        fixing = found.suggestion is not None and found.suggestion != found.raw
        return reading.make(
            "heading_numbering",
            found,
            {
                "problem": found.problem,
                "level": found.level,
                "suggestion": found.suggestion or "",
                "safe_fix": found.safe_fix,
                "expected": found.expected,
                "parent": found.parent,
                "previous": found.previous,
                "quoted": reading.quoted(found),
            },
            found.suggestion if fixing else None,
            applicability=(SAFE if found.safe_fix else UNSAFE) if fixing else DISPLAY,
        )

    found = find_heading_problems(reading.body_text, date_line, limit=reading.wanted, lines=reading.body_lines)
    yield from reading.each(found, build)
