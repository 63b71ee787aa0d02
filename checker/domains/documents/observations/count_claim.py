"""数量表述: a stated number (共辅导企业5个) checked against the items listed after it or the parts that sum to it."""

from __future__ import annotations

from collections.abc import Iterator

from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

SCHEMA = observation_schema(
    "count_claim",
    "数量表述",
    (
        FieldSpec("stated", "所述数量", "number"),
        FieldSpec("found", "列举数量", "number"),
        FieldSpec("agrees", "数量一致", "bool"),
        FieldSpec("count_kind", "核对方式", "enum", choices={"list": ("列举",), "sum": ("分项合计",)}),
    ),
    producer=__name__,
    limits=(
        "只在结构明确时核对（“分别是/包括/即”或括号内以顿号、逗号、分号分隔的列举；分项合计）；以“等”结尾的列举不核对",
        "半角括号中的列举、项目名称中的数字（如“二期”）目前会影响核对",
    ),
)


def observe(reading) -> Iterator[Observation]:
    from checker.domains.documents.text.counts import find_count_mismatches

    def build(claim) -> Observation:
        return reading.make(
            "count_claim",
            claim,
            {
                "stated": claim.stated,
                "found": claim.found,
                "agrees": claim.agrees,
                "count_kind": claim.kind,
                "quoted": reading.quoted(claim),
            },
        )

    yield from reading.each(find_count_mismatches(reading.text, limit=reading.wanted), build)
