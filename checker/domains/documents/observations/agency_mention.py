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
    ),
    producer=__name__,
    limits=(
        "只在发文机关层级可判定时检查（地名表目前只有河南省、南阳市及其县区）",
        "机关名称为层级字或已知地名、至多 12 个字、再加机关后缀（局、厅、委、委员会、政府、办公室、法院、检察院）；"
        "中心、站、所等不识别",
        "对上级的正常称呼（省委、省政府、市委、市政府）、主送机关行和《》内引用的文件标题目前也会被当作机关名称",
    ),
)


def _ancestors(places, name: str | None) -> dict[str, str]:
    """Level → name of the document's own place and the places above it (新野县 → 南阳市, 河南省)."""
    out: dict[str, str] = {}
    while name:
        place = places.get(name)
        if place is None:
            break
        out.setdefault(place.level, place.name)
        name = place.parent
    return out


def observe(reading) -> Iterator[Observation]:
    if not reading.level:
        return
    from checker.domains.documents.text.quoting import find_agency_mentions

    ancestors = _ancestors(reading.places, reading.issuer_place or reading.prefix_place)
    for mention in find_agency_mentions(reading.text, reading.places):
        if mention.level in ("province", "city", "county", "district"):
            named = ancestors.get(mention.level) if mention.bare else None
            yield reading.make(
                "agency_mention",
                mention,
                {
                    "mention_level": mention.level,
                    "doc_level": reading.level,
                    "bare": mention.bare,
                    "quoted": mention.quoted,
                },
                named + mention.raw[1:] if named else None,
            )
