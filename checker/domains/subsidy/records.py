"""The project ledger (装配式建筑项目台账): one record per project, as offices keep it.

The approvals domain adds the ledger's approval-flow columns to this kind (checker.domains.approvals.records).
"""

from __future__ import annotations

from checker.records.fields import FieldSpec, RecordSchema

PROJECT = RecordSchema(
    kind="project",
    label="项目",
    list_key="projects",
    producer="checker.inputs（台账：YAML、JSON、JSONL、CSV、XLSX）",
    fields=(
        FieldSpec("id", "编号", "text", ("编号", "项目编号"), required=True),
        FieldSpec("name", "项目名称", "text", ("项目名称", "名称"), required=True),
        FieldSpec(
            "category",
            "建筑类别",
            "enum",
            ("建筑类别", "类别"),
            choices={
                "commercial_residential": ("商住建筑", "商住", "商住项目", "商住楼"),
                # kept apart from 商住建筑: whether the policy's 商住建筑 covers them is a reading (see the packs)
                "residential": ("住宅建筑", "住宅", "住宅项目"),
                "commercial": ("商业建筑", "商业", "商业项目"),
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
        # 政府主导 (government-led, whoever pays): the rectification report's prefabrication commitment names it
        FieldSpec("government_led", "政府主导", "bool", ("政府主导", "是否政府主导")),
        FieldSpec(
            "floor_area_m2",
            "建筑面积",
            "number",
            ("建筑面积", "面积"),
            unit="m²",
            parser="area",
            above=0,
            maximum=10_000_000,
            summed=True,
        ),
        FieldSpec(
            "prefab_rate_pct",
            "装配率",
            "number",
            ("装配率",),
            unit="%",
            parser="percent",
            minimum=0,
            maximum=100,
            warn_fraction=True,
        ),
        FieldSpec("permit_date", "施工许可日期", "date", ("施工许可日期", "施工许可时间")),
        FieldSpec(
            "completion_acceptance_date",
            "竣工验收日期",
            "date",
            ("竣工验收日期", "竣工验收合格日期", "竣工验收时间"),
        ),
    ),
)
