"""The vocabulary of input records: field names, Chinese aliases, types, choices.

This is the *schema* of what a ledger may contain, not policy: thresholds and
amounts live in rule files under rules/.  Rule files may only name fields
declared here (the loader rejects anything else), and the type declared here
decides how a rule's literal is converted (dates become YYYYMMDD integers).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

FieldKind = Literal["text", "number", "date", "enum", "bool", "list"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # Chinese name shown to users
    kind: FieldKind
    aliases: tuple[str, ...] = ()
    required: bool = False
    # enum value -> accepted spellings; the first spelling is the display label
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unit: str | None = None
    # how a value is read from a cell: "area" (万/㎡ suffixes), "percent" ("30%")
    parser: str | None = None
    minimum: float | None = None  # inclusive
    above: float | None = None  # exclusive lower bound ("> 0")
    maximum: float | None = None  # inclusive
    max_chars: int | None = None  # text longer than this is an input error (default: normalize.MAX_TEXT_CHARS)
    # warn when 0 < value <= 1 (a ledger that wrote 0.3 for 30%)
    warn_fraction: bool = False
    # computed in the facts step (not read from input); rules may use it
    derived: bool = False

    def choice_label(self, value: str) -> str:
        spellings = self.choices.get(value)
        return spellings[0] if spellings else value


@dataclass(frozen=True)
class RecordSchema:
    kind: str  # "project", "approval", ...
    label: str
    list_key: str  # key of the list in YAML/JSON files ("projects")
    fields: tuple[FieldSpec, ...]

    def get(self, name: str) -> FieldSpec | None:
        return _FIELD_INDEX[self.kind].get(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


PROJECT = RecordSchema(
    kind="project",
    label="项目",
    list_key="projects",
    fields=(
        FieldSpec("id", "编号", "text", ("编号", "项目编号"), required=True),
        FieldSpec("name", "项目名称", "text", ("项目名称", "名称"), required=True),
        FieldSpec(
            "category",
            "建筑类别",
            "enum",
            ("建筑类别", "类别"),
            choices={
                "commercial_residential": ("商住建筑", "商住", "住宅", "商住项目"),
                "public": ("公共建筑", "公建"),
                "industrial": ("工业建筑", "工业"),
                "affordable_housing": ("保障性住房", "保障房"),
                "other": ("其他",),
            },
        ),
        FieldSpec(
            "investment",
            "投资类型",
            "enum",
            ("投资类型", "投资性质"),
            choices={"government": ("政府投资", "政府"), "social": ("社会投资", "社会")},
        ),
        FieldSpec("floor_area_m2", "建筑面积", "number", ("建筑面积", "面积"), unit="m²", parser="area",
                  above=0, maximum=10_000_000),
        FieldSpec("prefab_rate_pct", "装配率", "number", ("装配率",), unit="%", parser="percent",
                  minimum=0, maximum=100, warn_fraction=True),
        FieldSpec("permit_date", "施工许可日期", "date", ("施工许可日期", "施工许可时间")),
        FieldSpec(
            "completion_acceptance_date",
            "竣工验收日期",
            "date",
            ("竣工验收日期", "竣工验收合格日期", "竣工验收时间"),
        ),
        # approval flow (part 3); in YAML also as approval_flow: {type, stages, working_days}
        FieldSpec(
            "approval_flow_type",
            "项目类型",
            "enum",
            ("项目类型", "审批项目类型"),
            choices={
                "general_residential": ("社会投资一般住宅项目", "一般住宅项目", "一般住宅"),
                "general_industrial": ("社会投资一般工业项目", "一般工业项目", "一般工业"),
                "other": ("其他",),
            },
        ),
        FieldSpec("approval_flow_stages", "审批环节", "list", ("审批环节",)),
        FieldSpec("approval_flow_working_days", "审批用时", "number", ("审批用时", "审批总用时"), unit="个工作日",
                  minimum=0, maximum=10000),
        FieldSpec("approval_stage_count", "审批环节数", "number", unit="个", derived=True),
    ),
)

APPROVAL = RecordSchema(
    kind="approval",
    label="审批事项",
    list_key="approvals",
    fields=(
        FieldSpec("id", "编号", "text", ("编号", "办件编号", "受理编号"), required=True),
        FieldSpec("item", "事项名称", "text", ("事项名称", "审批事项"), required=True),
        FieldSpec("project_id", "项目编号", "text", ("项目编号",)),
        FieldSpec("accepted_on", "受理日期", "date", ("受理日期", "受理时间"), required=True),
        FieldSpec("completed_on", "办结日期", "date", ("办结日期", "办结时间")),
        FieldSpec("promised_working_days", "承诺时限", "number", ("承诺时限", "承诺办结时限"), unit="个工作日",
                  minimum=0, maximum=10000),
        # derived in the facts step from the State Council calendar (checker.workdays)
        FieldSpec("is_open", "未办结", "bool", derived=True),
        FieldSpec("calendar_known", "日历可判定", "bool", derived=True),
        FieldSpec("elapsed_working_days", "办理用时", "number", unit="个工作日", derived=True),
        FieldSpec("open_working_days", "已用工作日", "number", unit="个工作日", derived=True),
    ),
)

# One row per item type (事项) of an approval export: what the system promises for it.
APPROVAL_ITEM = RecordSchema(
    kind="approval_item",
    label="审批事项类型",
    list_key="approval_items",
    fields=(
        FieldSpec("id", "事项名称", "text", required=True),
        FieldSpec("item", "事项名称", "text", required=True),
        FieldSpec("promised_working_days", "承诺时限", "number", unit="个工作日"),
        FieldSpec("row_count", "办件数", "number", unit="件"),
    ),
)

LEVELS = {"province": ("省级",), "city": ("市级",), "county": ("县级",), "district": ("区级",),
          "county_city": ("县级市",)}
WORD_LEVELS = {"province": ("省",), "city": ("市",), "county": ("县",), "district": ("区",)}

DOCUMENT = RecordSchema(
    kind="document",
    label="公文",
    list_key="documents",
    fields=(
        FieldSpec("id", "编号", "text", ("编号",), required=True),
        FieldSpec("doc_number", "发文字号", "text", ("发文字号", "文号")),
        FieldSpec("issuer", "发文机关", "text", ("发文机关",)),
        FieldSpec("title", "标题", "text", ("标题",)),
        FieldSpec("issue_date", "成文日期", "text", ("成文日期",)),
        FieldSpec("body", "正文", "text", ("正文",), max_chars=10_000_000),
        FieldSpec("reviewers", "审核人", "list", ("审核人",)),
        FieldSpec("forwarded", "转发", "bool", ("转发", "是否转发")),
        # observations on the whole document (checker.observe)
        FieldSpec("doc_number_found", "找到发文字号", "bool", derived=True),
        FieldSpec("issuer_found", "找到发文机关", "bool", derived=True),
        FieldSpec("issue_date_found", "找到成文日期", "bool", derived=True),
        FieldSpec("title_found", "找到标题", "bool", derived=True),
        FieldSpec("level", "发文机关层级", "enum", choices=LEVELS, derived=True),
        FieldSpec("reviewer_count", "审核人数", "number", unit="人", derived=True),
        FieldSpec("has_reviewers", "有审核人字段", "bool", derived=True),
    ),
)

# Observations found in a document's text, one fact each (checker.observe).
# They are never read from input files; rules may name their fields.
_POSITION = (FieldSpec("id", "公文", "text", required=True), FieldSpec("raw", "原文", "text"),
             FieldSpec("quoted", "在引号内", "bool"))
DOC_NUMBER_REF = RecordSchema("doc_number_ref", "发文字号", "", (
    *_POSITION,
    FieldSpec("is_own", "本文发文字号", "bool"),
    FieldSpec("prefix", "发文机关代字", "text"),
    FieldSpec("prefix_matches_issuer", "代字属于发文机关", "bool"),
    FieldSpec("lookalike_bracket", "年份括号不是六角括号", "bool"),
    FieldSpec("short_year", "年份不全", "bool"),
    FieldSpec("leading_zero", "序号编虚位", "bool"),
    FieldSpec("ordinal_di", "序号加“第”", "bool"),
    FieldSpec("fullwidth_digit", "全角数字", "bool"),
    FieldSpec("space_inside", "文号内有空格", "bool"),
))
ISSUE_DATE = RecordSchema("issue_date", "成文日期", "", (
    *_POSITION,
    FieldSpec("style", "写法", "enum", choices={
        "arabic_cn": ("阿拉伯数字年月日",), "iso": ("短横线",), "slash": ("斜线",), "dot": ("圆点",),
        "chinese_numeral": ("汉字数字",)}),
    FieldSpec("leading_zero", "月日编虚位", "bool"),
    FieldSpec("short_year", "年份不全", "bool"),
    FieldSpec("valid", "日期有效", "bool"),
    FieldSpec("year_gap", "成文年份减文号年份", "number", unit="年"),
    FieldSpec("days_after_as_of", "晚于基准日天数", "number", unit="天"),
))
SELF_REFERENCE = RecordSchema("self_reference", "自称", "", (
    *_POSITION,
    FieldSpec("ref_level", "自称层级", "enum", choices=WORD_LEVELS),
    FieldSpec("doc_level", "发文机关层级", "enum", choices=LEVELS),
))
AGENCY_MENTION = RecordSchema("agency_mention", "机关名称", "", (
    *_POSITION,
    FieldSpec("mention_level", "机关层级", "enum", choices=WORD_LEVELS),
    FieldSpec("doc_level", "发文机关层级", "enum", choices=LEVELS),
    FieldSpec("bare", "未冠地名", "bool"),
))
SCHEDULE_DATE = RecordSchema("schedule_date", "进度日期", "", (
    *_POSITION,
    FieldSpec("days_before_issue", "早于成文日期天数", "number", unit="天"),
    FieldSpec("issue_date", "成文日期", "text"),
    FieldSpec("in_schedule_section", "位于进度安排部分", "bool"),
))
TYPO = RecordSchema("typo", "错别字", "", (
    *_POSITION,
    FieldSpec("suggestion", "建议写法", "text"),
    FieldSpec("safe_fix", "可自动修正", "bool"),
))
COUNT_CLAIM = RecordSchema("count_claim", "数量表述", "", (
    *_POSITION,
    FieldSpec("stated", "所述数量", "number"),
    FieldSpec("found", "列举数量", "number"),
    FieldSpec("agrees", "数量一致", "bool"),
    FieldSpec("count_kind", "核对方式", "enum", choices={"list": ("列举",), "sum": ("分项合计",)}),
))
OBSERVATION_SCHEMAS = (DOC_NUMBER_REF, ISSUE_DATE, SELF_REFERENCE, AGENCY_MENTION, SCHEDULE_DATE, TYPO, COUNT_CLAIM)

SCHEMAS: dict[str, RecordSchema] = {PROJECT.kind: PROJECT, APPROVAL.kind: APPROVAL, DOCUMENT.kind: DOCUMENT}
_FIELD_INDEX: dict[str, dict[str, FieldSpec]] = {}
_ALIAS_INDEX: dict[str, dict[str, str]] = {}


def register(schema: RecordSchema, readable: bool = True) -> None:
    """Add a record kind; `readable` kinds can be read from input files."""
    if readable:
        SCHEMAS[schema.kind] = schema
    _FIELD_INDEX[schema.kind] = {f.name: f for f in schema.fields}
    aliases: dict[str, str] = {}
    for spec in schema.fields:
        if spec.derived:
            continue
        for spelling in (spec.name, *spec.aliases):
            aliases[header_key(spelling)] = spec.name
    _ALIAS_INDEX[schema.kind] = aliases
    _resolve.cache_clear()


_HEADER_NOISE = re.compile(r"[（(\[【].*?[）)\]】]|\s+")


def header_key(text: str) -> str:
    """Normalize a column header or key: NFKC, no spaces, no bracketed unit.

    "建筑面积（㎡）", "建筑面积 (m²)" and "建筑面积" all become "建筑面积";
    English names are lower-cased.
    """
    text = unicodedata.normalize("NFKC", str(text)).strip()
    stripped = _HEADER_NOISE.sub("", text)
    return (stripped or text).lower()


def resolve_field(schema: RecordSchema, header: str) -> str | None:
    """Map a header or YAML key (English name or Chinese alias) to a field name."""
    return _resolve(schema.kind, header)


@lru_cache(maxsize=4096)  # every JSONL line repeats the same keys
def _resolve(kind: str, header: str) -> str | None:
    return _ALIAS_INDEX[kind].get(header_key(header))


for _schema in list(SCHEMAS.values()):
    register(_schema)
# approval items are built by checker, never read from files: registered for rules only
register(APPROVAL_ITEM, readable=False)
for _schema in OBSERVATION_SCHEMAS:
    register(_schema, readable=False)
RULE_SCHEMAS: dict[str, RecordSchema] = {**SCHEMAS, APPROVAL_ITEM.kind: APPROVAL_ITEM,
                                         **{s.kind: s for s in OBSERVATION_SCHEMAS}}
