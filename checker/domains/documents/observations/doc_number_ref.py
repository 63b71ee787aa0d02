"""发文字号: the document's own number and every number it cites, with what is wrong in how each is written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

PROBLEMS = (
    "lookalike_bracket",
    "short_year",
    "leading_zero",
    "ordinal_di",
    "fullwidth_digit",
    "space_inside",
    "no_hao",
    "unclosed",
)

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
        FieldSpec("no_hao", "缺“号”字", "bool"),
        FieldSpec("unclosed", "年份括号未闭合", "bool"),
    ),
    producer=__name__,
    limits=(
        "识别“代字〔年份〕序号号”及其常见误写：形近括号、空格、缺“号”（仅方括号类且其后即为标点或行尾）、年份括号未闭合；"
        "没有年份的文号（新政办12号）识别不到",
    ),
)


def _values(reading, n, is_own: bool, quoted: bool) -> dict[str, Any]:
    problems = set(n.problems)
    values = {"is_own": is_own, "quoted": quoted, "prefix": n.prefix or None, **{p: p in problems for p in PROBLEMS}}
    # the 代字 we know are local facts (data/places): only an issuer of those places can be said to use another's
    # (新政 is 新野县's and 新疆's too)
    if is_own and reading.issuer_place and reading.prefix_place and reading.issuer_place.local:
        values["prefix_matches_issuer"] = reading.issuer_place.name == reading.prefix_place.name
    return values


def observe(reading) -> Iterator[Observation]:
    from checker.core.edits import SAFE, UNSAFE

    own = reading.own_number
    if reading.from_record and own is not None:
        yield reading.make(
            "doc_number_ref",
            own,
            _values(reading, own, True, False),
            own.fixed,
            line=reading.own_number_line,
            applicability=UNSAFE if own.guessed else SAFE,
        )

    def build(n) -> Observation:
        is_own = not reading.from_record and n is own
        return reading.make(
            "doc_number_ref",
            n,
            _values(reading, n, is_own, reading.quoted(n)),
            n.fixed,
            applicability=UNSAFE if n.guessed else SAFE,  # where the year ends is read, not known
        )

    yield from reading.each(reading.numbers, build)
