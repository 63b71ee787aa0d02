"""发文字号: the document's own number and every number it cites, with what is wrong in how each is written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

PROBLEMS = ("lookalike_bracket", "short_year", "leading_zero", "ordinal_di", "fullwidth_digit", "space_inside")

SCHEMA = observation_schema(
    "doc_number_ref",
    "发文字号",
    (
        FieldSpec("is_own", "本文发文字号", "bool"),
        FieldSpec("prefix", "发文机关代字", "text"),
        FieldSpec("prefix_matches_issuer", "代字属于发文机关", "bool"),
        FieldSpec("lookalike_bracket", "年份括号不是六角括号", "bool"),
        FieldSpec("short_year", "年份不全", "bool"),
        FieldSpec("leading_zero", "序号编虚位", "bool"),
        FieldSpec("ordinal_di", "序号加“第”", "bool"),
        FieldSpec("fullwidth_digit", "全角数字", "bool"),
        FieldSpec("space_inside", "文号内有空格", "bool"),
    ),
    producer=__name__,
    limits=("只识别“代字〔年份〕序号号”的完整形式（含形近括号）；缺“号”、括号不闭合、无年份等残缺写法识别不到",),
)


def _values(reading, n, is_own: bool, quoted: bool) -> dict[str, Any]:
    problems = set(n.problems)
    values = {"is_own": is_own, "quoted": quoted, "prefix": n.prefix or None, **{p: p in problems for p in PROBLEMS}}
    if is_own and reading.issuer_place and reading.prefix_place:
        values["prefix_matches_issuer"] = reading.issuer_place == reading.prefix_place
    return values


def observe(reading) -> Iterator[Observation]:
    own = reading.own_number
    if reading.from_record and own is not None:
        yield reading.make(
            "doc_number_ref", own, _values(reading, own, True, False), own.fixed, line=reading.own_number_line
        )
    for n in reading.numbers:
        is_own = not reading.from_record and n is own
        yield reading.make("doc_number_ref", n, _values(reading, n, is_own, reading.quoted(n)), n.fixed)
