"""自称: 我市 / 本县 / 我省 … — how the text speaks of its own jurisdiction, beside the issuer's level."""

from __future__ import annotations

from collections.abc import Iterator

from checker.domains.documents.observation import Observation
from checker.domains.documents.records import LEVELS, WORD_LEVELS, observation_schema
from checker.records.fields import FieldSpec

SCHEMA = observation_schema(
    "self_reference",
    "自称",
    (
        FieldSpec("ref_level", "自称层级", "enum", choices=WORD_LEVELS),
        FieldSpec("doc_level", "发文机关层级", "enum", choices=LEVELS),
        FieldSpec("cited_title", "在《》标题内", "bool", evidence=False),
        FieldSpec("addressee_line", "在主送机关行", "bool", evidence=False),
    ),
    producer=__name__,
    limits=(
        "只在发文机关层级可判定时检查（全国行政区划表加本地地名表）",
        "未加引号的引述（如照录他文的“我市”）与作者自称无法区分",
    ),
)


def observe(reading) -> Iterator[Observation]:
    if not reading.level:
        return
    from checker.domains.documents.text.places import LEVEL_CHAR
    from checker.domains.documents.text.quoting import iter_self_references

    level = reading.level
    if level == "province" and reading.issuer_place is not None:
        top = reading.places.ancestors(reading.issuer_place).get("province", "")
        if top.endswith("市"):
            level = "city"  # 北京、天津、上海、重庆: province-level, but 我市 is how they speak of themselves

    def build(ref) -> Observation:
        own_word = ref.raw[0] + LEVEL_CHAR[level]
        return reading.make(
            "self_reference",
            ref,
            {
                "ref_level": ref.level,
                "doc_level": level,
                "quoted": ref.quoted,
                "cited_title": reading.in_cited_title(ref),
                "addressee_line": reading.on_addressee_line(ref),
            },
            own_word if own_word != ref.raw else None,
        )

    yield from reading.each(iter_self_references(reading.text), build)
