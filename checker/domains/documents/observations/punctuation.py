"""标点: punctuation a proofreader marks under GB/T 15834-2011 (text/punctuation.py finds it; the rules judge it)."""

from __future__ import annotations

from collections.abc import Iterator

from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

SCHEMA = observation_schema(
    "punctuation",
    "标点",
    (
        FieldSpec(
            "problem",
            "问题",
            "enum",
            choices={
                "unpaired": ("成对标点不成对",),
                "halfwidth": ("中文中用了半角标点",),
                "repeated": ("点号连用",),
                "range": ("起止的连接号不规范",),
                "dunhao": ("并列书名号、引号间用顿号",),
                "no_end": ("段末无句末点号",),
            },
        ),
        FieldSpec("partner", "应有标点", "text"),
        FieldSpec("range_kind", "起止类型", "enum", choices={"span": ("时间、序数起止",), "number": ("数值范围",)}),
        FieldSpec("length", "段落字数", "number"),
        FieldSpec("advice", "改法", "text"),
        FieldSpec("in_title", "在所引标题中", "bool"),
    ),
    producer=__name__,
    limits=(
        "成对标点按段（行）配对；在句中断开的一行可在下一个非空行配上（标题分行、网页断行），所以跨段漏写的后半可能查不到；"
        "被截断的文本最后一行不查；序号后的单个右括号“1）”不报",
        '半角标点只查紧挨汉字或全角标点的 , : ; ? ! ( ) 和 " 以及书名号内的 < >；数字、时间、网址、电子邮箱、文件名和外文中的不查；'
        "半角句点“.”不查",
        "起止范围只查阿拉伯数字间的短横线和半角“~”；电话号码、ISO 日期、时间、编号（附件1-2）、所引标题内的和外文后的"
        "（GB/T 15834-2011）不查；汉字数字的起止（三-五年）查不到",
        "段末无句末点号只查含句内点号、以汉字结尾的段落，且只在下一段明显另起（缩进、层次标题、落款）时报告；"
        "文本最后一段、主送机关以上各行、层次标题、表格行、附件和抄送行不查",
    ),
)


def observe(reading) -> Iterator[Observation]:
    from checker.domains.documents.text.punctuation import find_punctuation

    # only the 文号 left unclosed, read as such (building all 60,000 cited numbers to pick them cost 0.85 s)
    unclosed = {(n.line, n.column) for n in reading.numbers.unclosed()}

    def build(found) -> Observation:
        return reading.make(
            "punctuation",
            found,
            {
                "problem": found.problem,
                "partner": found.partner,
                "range_kind": found.range_kind,
                "length": found.length,
                "advice": found.advice or None,
                "in_title": reading.in_cited_title(found),
                "quoted": reading.quoted(found),
            },
            found.replacement,
            applicability=found.grade,
        )

    found = find_punctuation(
        reading.text,
        _not_body_lines(reading),
        unclosed,
        len(reading.body_lines),
        limit=reading.wanted,
        lines=reading.lines,
    )
    yield from reading.each(found, build)


def _not_body_lines(reading) -> set[int]:
    """Lines the document's metadata says are not body paragraphs: title, 文号, issuer, signature, date, 主送."""
    meta = reading.meta
    if meta is None:
        return set()
    lines: set[int] = set()
    for item in (meta.title, meta.issuer, meta.addressees, *meta.signature):
        if item is not None:
            lines.update(range(item.line, item.end_line + 1))
    for obs in (meta.doc_number, meta.date):
        if obs is not None:
            lines.add(obs.line)
    if meta.addressees is not None:
        lines.update(range(1, meta.addressees.line))  # what stands above the 主送机关 is the head, not the body
    return lines
