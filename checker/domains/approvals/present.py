"""How approval outcomes are shown: the per-file table of items and the one-day summary (every format alike)."""

from __future__ import annotations

from itertools import groupby

from checker.domains.approvals.outcome import approval_summary
from checker.run.present import Cell, Column, SectionView, Table

COLUMNS = (
    Column("编号", whole=True),
    Column("事项名称"),
    Column("项目", whole=True),
    Column("受理", whole=True),
    Column("办结", whole=True),
    Column("用时(工作日)", numeric=True),
    Column("承诺时限", numeric=True),
    Column("结论"),
)
VERDICT_TONE = {
    "一日内办结": "ok",
    "办理中": "active",
    "超过一个工作日": "alarm",
    "逾期未办结": "alarm",
    "无法判定": "undecided",
    "不在一日办结范围": "muted",
}


def row(o) -> list[Cell]:
    r = o.record
    decided = o.count is not None and o.count.decidable
    return [
        Cell(r.id),
        Cell(r.item),
        Cell(r.project_id or "—"),
        Cell(r.accepted_on.isoformat()),
        Cell(r.completed_on.isoformat() if r.completed_on else "未办结"),
        Cell(str(o.days) if decided else ("—" if o.count is None else "?")),
        Cell(r.display("promised_working_days")),
        Cell(o.verdict, VERDICT_TONE.get(o.verdict), badge=True),
    ]


def summary(outcomes) -> str:
    stats = approval_summary(outcomes)
    share = stats["share_within_one_day"]
    share_text = f"{share:.1%}" if share is not None else "—"
    text = (
        f"共 {stats['items']:,} 件，其中一日办结范围内 {stats['in_scope']:,} 件；已办结且可判定 "
        f"{stats['completed_and_decidable']:,} 件中一日内办结 {stats['within_one_day']:,} 件（{share_text}）；"
        f"超过一个工作日 {stats['over_one_day']:,} 件，逾期未办结 {stats['open_overdue']:,} 件，"
        f"无法判定 {stats['undecidable']:,} 件"
    )
    if stats["worst_item_types"]:
        text += "\n用时超过一个工作日最多的事项："
        for entry in stats["worst_item_types"]:
            scope = "" if entry["in_scope"] else "（不在一日办结范围）"
            text += (
                f"\n  {entry['item']}{scope}：{entry['over_one_day']}/{entry['items']} 件超过一个工作日，"
                f"最长 {entry['max_working_days']} 个工作日"
            )
    return text


def present(outcomes, result) -> SectionView:
    files = []
    for source, group in groupby(outcomes, key=lambda a: a.record.source):
        items = list(group)
        files.append((Table(f"{source}（{len(items):,} 件）", COLUMNS, [row(o) for o in items], "approvals"), []))
    return SectionView("approvals", "一件事一次办 · 审批时限与环节对标", "审批时限", files, summary(outcomes))
