"""Official documents (公文): read from .txt/.md/.docx files whole, or as YAML/JSON records with their fields given.

The `level` vocabulary is shared by the document (its issuer's level) and the observations that compare
with it.  The observation kinds are declared with the modules that find them (observations/).
"""

from __future__ import annotations

from checker.records.fields import FieldSpec, RecordSchema

LEVELS = {
    "province": ("省级",),
    "city": ("市级",),
    "county": ("县级",),
    "district": ("区级",),
    "county_city": ("县级市",),
    "township": ("乡镇级",),
}
WORD_LEVELS = {"province": ("省",), "city": ("市",), "county": ("县",), "district": ("区",)}

DOCUMENT = RecordSchema(
    kind="document",
    label="公文",
    list_key="documents",
    text_field="body",
    producer="checker.domains.documents.observe（公文要素：发文字号、发文机关、成文日期、标题）",
    limits=("发文机关、标题和成文日期按版头与落款的常见位置识别；版式不规范的文本可能识别不到（如实提示，不作猜测）",),
    fields=(
        FieldSpec("id", "编号", "text", ("编号",), required=True),
        FieldSpec("doc_number", "发文字号", "text", ("发文字号", "文号")),
        FieldSpec("issuer", "发文机关", "text", ("发文机关",)),
        FieldSpec("title", "标题", "text", ("标题",)),
        FieldSpec("issue_date", "成文日期", "text", ("成文日期",)),
        FieldSpec("body", "正文", "text", ("正文",), max_chars=10_000_000),
        FieldSpec("reviewers", "审核人", "list", ("审核人",)),
        FieldSpec("forwarded", "转发", "bool", ("转发", "是否转发")),
        # observations on the whole document (checker.domains.documents.observe)
        FieldSpec("doc_number_found", "找到发文字号", "bool", derived=True),
        FieldSpec("issuer_found", "找到发文机关", "bool", derived=True),
        FieldSpec("issue_date_found", "找到成文日期", "bool", derived=True),
        FieldSpec("title_found", "找到标题", "bool", derived=True),
        FieldSpec("level_found", "判定了发文机关层级", "bool", derived=True),
        FieldSpec("level", "发文机关层级", "enum", choices=LEVELS, derived=True),
        FieldSpec("reviewer_count", "审核人数", "number", unit="人", derived=True),
        FieldSpec("has_reviewers", "有审核人字段", "bool", derived=True),
    ),
)

# Fields every observation has: the document it was found in, the text as written, whether it is quoted.
POSITION = (
    FieldSpec("id", "公文", "text", required=True),
    FieldSpec("raw", "原文", "text"),
    FieldSpec("quoted", "在引号内", "bool", evidence=False),
)


def observation_schema(
    kind: str, label: str, fields: tuple[FieldSpec, ...], producer: str, limits: tuple[str, ...] = ()
) -> RecordSchema:
    """The schema of an observation kind: found in documents, never read from input files."""
    return RecordSchema(
        kind, label, "", (*POSITION, *fields), readable=False, parent="document", producer=producer, limits=limits
    )
