"""Approval records: handled items of the approval system's export, the item types built from them, and the
approval-flow columns this domain adds to the project ledger."""

from __future__ import annotations

from checker.records.fields import FieldSpec, RecordSchema

OVER_LIMIT = "over-limit"  # the outcome word of a rule whose firing means the item broke its time limit
NOT_YET = "受理日期晚于基准日"  # the verdict of an open item accepted after the reference date

APPROVAL = RecordSchema(
    kind="approval",
    label="审批事项",
    list_key="approvals",
    producer="checker.inputs（审批系统导出：YAML、JSON、JSONL、CSV、XLSX）",
    ordered=(("accepted_on", "completed_on"),),
    fields=(
        FieldSpec("id", "编号", "text", ("编号", "办件编号", "受理编号"), required=True),
        FieldSpec("item", "事项名称", "text", ("事项名称", "审批事项"), required=True),
        FieldSpec("project_id", "项目编号", "text", ("项目编号",)),
        FieldSpec("accepted_on", "受理日期", "date", ("受理日期", "受理时间"), required=True),
        FieldSpec("completed_on", "办结日期", "date", ("办结日期", "办结时间")),
        FieldSpec(
            "promised_working_days",
            "承诺时限",
            "number",
            ("承诺时限", "承诺办结时限"),
            unit="个工作日",
            minimum=0,
            maximum=10000,
        ),
        # derived from the State Council calendar (checker.domains.approvals.workdays)
        FieldSpec("is_open", "未办结", "bool", derived=True),
        FieldSpec("calendar_known", "日历可判定", "bool", derived=True),
        FieldSpec("elapsed_working_days", "办理用时", "number", unit="个工作日", derived=True),
        FieldSpec("open_working_days", "已用工作日", "number", unit="个工作日", derived=True),
        FieldSpec("days_accepted_after_as_of", "受理日期晚于基准日", "number", unit="天", derived=True),
    ),
)

# One row per item type (事项) of an approval export: what the system promises for it.
APPROVAL_ITEM = RecordSchema(
    kind="approval_item",
    label="审批事项类型",
    list_key="approval_items",
    readable=False,
    synthetic=True,
    producer="checker.domains.approvals.items（每个文件中同名事项合并为一条）",
    fields=(
        FieldSpec("id", "事项名称", "text", required=True),
        FieldSpec("item", "事项名称", "text", required=True),
        FieldSpec("promised_working_days", "承诺时限", "number", unit="个工作日"),
        FieldSpec("row_count", "办件数", "number", unit="件"),
        FieldSpec("longest_row", "承诺时限最长的办件", "text"),  # its id; the record's line is that row's
        # each promised value of the item's rows: "value|rows|line:id;line:id…" (the first rows only)
        FieldSpec("promised_rows", "各办件承诺时限", "list"),
    ),
)

# The project ledger's approval flow (in YAML also as approval_flow: {type, stages, working_days}).
PROJECT_FLOW = (
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
    FieldSpec(
        "approval_flow_working_days",
        "审批用时",
        "number",
        ("审批用时", "审批总用时"),
        unit="个工作日",
        minimum=0,
        maximum=10000,
    ),
    FieldSpec("approval_stage_count", "审批环节数", "number", unit="个", derived=True),
)
