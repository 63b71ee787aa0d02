"""How subsidy outcomes are shown: the per-file table, each project's reasons, the summary (every format alike)."""

from __future__ import annotations

from itertools import groupby

from checker.core.values import format_number
from checker.run.present import (
    Block,
    Cell,
    CheckGroup,
    Column,
    Note,
    SectionView,
    Table,
)

COLUMNS = (
    Column("编号", whole=True),
    Column("项目名称"),
    Column("类别"),
    Column("投资"),
    Column("面积(m²)", numeric=True),
    Column("装配率", numeric=True),
    Column("竣工验收", whole=True),
    Column("结果"),
    Column("金额(元)", numeric=True),
    Column("档次"),
    Column("市级"),
)


CONFIRM_MARK = "⚠待确认"  # an outcome that rests on a reading of the text a reviewer must confirm


def _status(o) -> Cell:
    tone = "ok" if o.eligible else ("pending" if o.status == "pending_acceptance" else "bad")
    label = f"{o.status_label} {CONFIRM_MARK}" if o.needs_confirmation else o.status_label
    return Cell(label, tone, badge=True)


def row(o) -> list[Cell]:
    r = o.record
    rate = f"{r.display('prefab_rate_pct')}%" if r.prefab_rate_pct is not None else "—"
    return [
        Cell(r.id),
        Cell(r.name),
        Cell(r.display("category")),
        Cell(r.display("investment")),
        Cell(r.display("floor_area_m2")),
        Cell(rate),
        Cell(r.display("completion_acceptance_date")),
        _status(o),
        Cell(o.amount_text()),
        Cell(o.window_label or "—"),
        Cell("转市级" if o.municipal_referral else "否"),
    ]


def block(o) -> Block:
    r = o.record
    verdict = o.status_label
    if o.eligible:
        verdict += f"，{o.amount_text()} 元（{o.window_label}）"
    if o.needs_confirmation:
        verdict += f" {CONFIRM_MARK}"
    groups = []
    for w in o.windows:
        head = f"{w.rule.spec.window.label}（{w.rule.id}）{'✓' if w.holds else '✗'}"
        if w.holds:
            award = w.rule.spec.window.award
            head += f" 可得 {'不超过 ' if award.ceiling else ''}{format_number(float(w.amount))} 元"
        groups.append(CheckGroup(head, w.check))
    notes = [Note("→ 转市级以上：", text, "strong") for text in o.referral_reasons]
    notes += [Note("⚠ ", text, "pending") for text in o.notes]
    notes += [Note("⚠ 需人工确认：", text, "pending") for text in o.confirmation_reasons]
    if o.hypothetical is not None:
        h = o.hypothetical
        when = f"若于 {o.hypothetical_date.isoformat()} 竣工验收合格："
        what = f"可得 {h.amount_text()} 元（{h.window_label}）" if h.eligible else h.status_label
        notes.append(Note("◇ 试算 ", when + what, "active"))
    cites = sorted({w.rule.citation_short for w in o.windows})
    return Block(
        f"{r.id} {r.name}",
        Cell(verdict, "ok" if o.eligible else "bad"),
        groups,
        notes,
        f"依据 {'；'.join(cites)}",
        routine=o.eligible and not notes,  # eligible with nothing to confirm, refer or try: the table says it all
    )


def summary(stats) -> str:
    return (
        f"共 {stats.projects:,} 个项目：符合 {stats.eligible:,} 个，合计 {format_number(float(stats.total))} 元"
        f"{'（含上限金额）' if stats.any_ceiling else ''}；待竣工验收 {stats.pending_acceptance:,} 个；"
        f"转市级以上 {stats.municipal_referral:,} 个"
        + (f"；需人工确认 {stats.needs_confirmation:,} 个" if stats.needs_confirmation else "")
    )


def present(outcomes, result) -> SectionView:
    files = []
    for source, group in groupby(outcomes, key=lambda s: s.record.source):
        items = list(group)
        table = Table(f"{source}（{len(items):,} 个项目）", COLUMNS, [row(o) for o in items], "subsidy")
        files.append((table, [block(o) for o in items]))
    # with no projects the header still names the policy the run would have applied
    titles = (
        {o.pack.spec.title for o in outcomes}
        or {p.spec.title for p in result.book.packs if p.spec.kind == "subsidy"}
        or {"补贴"}
    )
    return SectionView(
        "subsidies", " / ".join(sorted(titles)), "补贴资格", files, summary(outcomes.stats), blocks_heading="逐项说明"
    )


def brief(outcomes) -> str | None:
    """The subsidy line of the `check` report."""
    if not outcomes:
        return None
    stats = outcomes.stats
    return f"补贴资格：{stats.projects:,} 个项目中 {stats.eligible:,} 个符合（详见 checker subsidy）"


def case_text(o) -> str:
    """What a JUnit test case says of a project's subsidy outcome."""
    text = f"补贴 {o.status_label}"
    if o.eligible:
        text += f"，{o.amount_text()} 元（{o.window_label}）"
    if o.needs_confirmation:
        text += f"（需人工确认：{'；'.join(o.confirmation_reasons)}）"
    return text + f"；市级 {'转市级' if o.municipal_referral else '否'}"
