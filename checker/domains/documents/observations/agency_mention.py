"""机关名称: agencies the text names (市自然资源和规划局, 县住建局 …), whether it gives their place, and their level."""

from __future__ import annotations

from collections.abc import Iterator

from checker.domains.documents.observation import Observation
from checker.domains.documents.records import LEVELS, WORD_LEVELS, observation_schema
from checker.records.fields import FieldSpec

SCHEMA = observation_schema(
    "agency_mention",
    "机关名称",
    (
        FieldSpec("mention_level", "机关层级", "enum", choices=WORD_LEVELS),
        FieldSpec("doc_level", "发文机关层级", "enum", choices=LEVELS),
        FieldSpec("bare", "未冠地名", "bool"),
        FieldSpec("leadership", "党委政府及其办公室", "bool", evidence=False),
        FieldSpec("cited_title", "在《》标题内", "bool", evidence=False),
        FieldSpec("addressee_line", "在主送机关行", "bool", evidence=False),
    ),
    producer=__name__,
    limits=(
        "只在发文机关层级可判定时检查（全国行政区划表加本地地名表）",
        "机关名称为层级字或已知地名、至多 12 个字、再加机关后缀（局、厅、委、委员会、政府、办公室、法院、检察院）；"
        "中心、站、所等不识别",
        "对上级的正常称呼（省委、省政府、市委、市政府及其办公室）标为 leadership；主送机关行、《》内的文件标题另有标记",
    ),
)


def observe(reading) -> Iterator[Observation]:
    if not reading.level:
        return
    from checker.domains.documents.text.quoting import iter_agency_mentions

    ancestors = reading.places.ancestors(reading.issuer_place or reading.prefix_place)

    def build(mention) -> Observation:
        named = ancestors.get(mention.level) if mention.bare else None
        return reading.make(
            "agency_mention",
            mention,
            {
                "mention_level": mention.level,
                "doc_level": reading.level,
                "bare": mention.bare,
                "quoted": mention.quoted,
                "leadership": mention.leadership,
                "cited_title": reading.in_cited_title(mention),
                "addressee_line": reading.on_addressee_line(mention),
            },
            named + mention.raw[1:] if named else None,
        )

    found = iter_agency_mentions(reading.text, reading.places)
    yield from reading.each((m for m in found if m.level in ("province", "city", "county", "district")), build)
