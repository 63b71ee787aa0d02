"""Terminal reports (rich): findings grouped by file and record, subsidy tables.

The look follows ../shared/notes/report-style.md: rule id and severity first,
the evidence and the cited clause under it, a fix when there is one, and a
summary line at the end.  Every ✓/✗ line of a subsidy explanation is one
condition, with the value found and the threshold.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import groupby

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from checker.core.severity import SEVERITY_LABEL
from checker.core.values import format_number
from checker.rules.conditions import Check
from checker.run.findings import Finding
from checker.run.outcomes import approval_summary
from checker.run.result import RunResult
from checker.subsidy import SubsidyOutcome

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _header(console: Console, result: RunResult, title: str) -> None:
    from checker import __version__

    console.print(Text(f"{title} — checker {__version__} · 规则包 {len(result.book.packs)} 个、规则 "
                       f"{len(result.book.rules)} 条（{result.book.digest[:12]}） · 基准日 {result.as_of.isoformat()} · "
                       f"引擎 {result.evaluator}", style="dim"))


def render_findings(console: Console, findings: list[Finding]) -> None:
    for source, by_file in groupby(findings, key=lambda f: f.source):
        console.print()
        console.print(Text(source, style="bold underline"))
        for _, by_record in groupby(by_file, key=lambda f: (f.record_index, f.record_id)):
            items = list(by_record)
            first = items[0]
            if first.record_id:
                where = f"第{first.line}行" if first.line and first.column is None else ""
                console.print(Text(f"  {first.record_id}  {where}", style="bold"))
            for finding in items:
                _render_finding(console, finding)


def _render_finding(console: Console, f: Finding) -> None:
    head = Text("    ")
    head.append(f"{f.severity}[{f.rule_id}]", style=SEVERITY_STYLE[f.severity])
    head.append(f" {f.message}")
    head.append(f"  · {f.category}", style="dim")
    if f.fixed:
        head.append("  已修正", style="green")
    if f.waived:
        head.append("  已豁免", style="magenta")
    console.print(head)
    lines: list[tuple[str, str]] = []
    if f.waived:
        w = f.waiver
        where = f"{w['source']}:{w['line']}" if w.get("line") else w["source"]
        lines.append(("豁免", f"{w['reason']}（批准：{w['approver']}，有效期至 {w['expires']}；{where}）"))
    if f.snippet is not None and f.column is not None:
        _render_snippet(console, f)
    elif f.line is not None:
        lines.append(("位置", f.where))
    if f.evidence:
        lines.append(("证据", f.evidence))
    cite = f.citation + (f"「{_clip(f.citation_text, 60)}」" if f.citation_text else "")
    lines.append(("依据", cite))
    if f.fix:
        lines.append(("建议", f.fix))
    for i, (label, text) in enumerate(lines):
        mark = "╰" if i == len(lines) - 1 else "├"
        console.print(Text(f"      {mark} {label} ", style="dim") + Text(text))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SNIPPET_CELLS = 72  # terminal cells of source shown around a finding


def _window(line: str, start: int, end: int, limit: int = SNIPPET_CELLS) -> tuple[str, int, int]:
    """Cut a long line around [start, end) (0-based characters); returns text and the new span, '…' marking cuts."""
    if cell_len(line) <= limit:
        return line, start, end
    left, right = start, end
    while right < len(line) and cell_len(line[left:right + 1]) <= limit * 2 // 3:
        right += 1
    while left > 0 and cell_len(line[left - 1:right]) <= limit:
        left -= 1
    while right < len(line) and cell_len(line[left:right + 1]) <= limit:
        right += 1
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    return prefix + line[left:right] + suffix, start - left + len(prefix), end - left + len(prefix)


def _render_snippet(console: Console, f: Finding) -> None:
    """ruff-style: the source line, the span underlined (wide characters take two cells), the fix beside it."""
    snippet = _CONTROL.sub(" ", f.snippet)  # one cell each, so columns stay aligned; nothing reaches the terminal raw
    text, start, end = _window(snippet, f.column - 1, (f.end_column or f.column + 1) - 1)
    number = str(f.line)
    gutter = " " * len(number)
    console.print(Text(f"      {gutter}╭─ {f.source}:{f.line}:{f.column}", style="dim"))
    console.print(Text(f"      {number} │ ", style="dim") + Text(text))
    underline = Text(f"      {gutter} │ ", style="dim")
    underline.append(" " * cell_len(text[:start]))
    underline.append("━" * max(1, cell_len(text[start:end])), style=SEVERITY_STYLE[f.severity])
    if f.suggestion is not None:
        underline.append(f" 改为“{f.suggestion}”", style="green")
    console.print(underline)


def _clip(text: str, limit: int) -> str:
    """Long clause wording is cut in the terminal (JSON and `checker rules` keep it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary_line(result: RunResult) -> Text:
    counts = defaultdict(int)
    for f in result.findings:
        counts[f.severity] += 1
    waived = sum(1 for f in result.findings if f.waived)
    text = Text(f"共 {len(result.files)} 个文件、{result.records_checked} 条记录：")
    for sev in ("error", "warning", "info"):
        text.append(f"{SEVERITY_LABEL[sev]} {counts[sev]}", style=SEVERITY_STYLE[sev] if counts[sev] else "")
        text.append("，" if sev != "info" else "")
    if waived:
        text.append(f"（其中已豁免 {waived}）", style="magenta")
    if result.errors:
        text.append(f"；输入错误 {len(result.errors)} 处（记录未检查）", style="bold red")
    return text


def render_check(console: Console, result: RunResult, title: str = "checker check") -> None:
    _header(console, result, title)
    if result.findings:
        render_findings(console, result.findings)
    else:
        console.print("未发现问题。")
    if result.subsidies:
        stats = result.subsidies.stats
        console.print()
        console.print(f"补贴资格：{stats.projects} 个项目中 {stats.eligible} 个符合（详见 checker subsidy）")
    console.print()
    console.print(summary_line(result))


# ------------------------------------------------------------------ subsidy

def _amount(outcome: SubsidyOutcome) -> str:
    return outcome.amount_text()


def render_subsidy(console: Console, result: RunResult) -> None:
    from rich.table import Table  # only these reports have tables

    pack_titles = {s.pack.spec.title for s in result.subsidies} or {"补贴"}
    _header(console, result, " / ".join(sorted(pack_titles)))
    for source, group in groupby(result.subsidies, key=lambda s: s.record.source):
        outcomes = list(group)
        console.print()
        table = Table(title=f"{source}（{len(outcomes)} 个项目）", title_justify="left", show_lines=False,
                      header_style="bold", expand=False)
        for name, justify in (("编号", "left"), ("项目名称", "left"), ("类别", "left"), ("投资", "left"),
                              ("面积(m²)", "right"), ("装配率", "right"), ("竣工验收", "left"), ("结果", "left"),
                              ("金额(元)", "right"), ("档次", "left"), ("市级", "left")):
            table.add_column(name, justify=justify, overflow="fold")
        for o in outcomes:
            r = o.record
            table.add_row(
                r.id, r.name, r.display("category"), r.display("investment"), r.display("floor_area_m2"),
                f"{r.display('prefab_rate_pct')}%" if r.prefab_rate_pct is not None else "—",
                r.display("completion_acceptance_date"),
                Text(o.status_label, style="green" if o.eligible else ("yellow" if o.status == "pending_acceptance" else "red")),
                _amount(o), o.window_label or "—", "转市级" if o.municipal_referral else "否",
            )
        console.print(table)
        for o in outcomes:
            _render_reasons(console, o)
    if result.errors:
        console.print()
        console.print(Text(f"输入错误 {len(result.errors)} 处（相应记录未检查，见标准错误输出）", style="bold red"))
    console.print()
    console.print(subsidy_summary(result))


def _render_reasons(console: Console, o: SubsidyOutcome) -> None:
    r = o.record
    console.print()
    verdict = o.status_label
    if o.eligible:
        verdict += f"，{_amount(o)} 元（{o.window_label}）"
    console.print(Text(f"{r.id} {r.name} — ", style="bold") + Text(verdict, style="green" if o.eligible else "red"))
    for w in o.windows:
        mark = "✓" if w.holds else "✗"
        head = f"  {w.rule.spec.window.label}（{w.rule.id}）{mark}"
        if w.holds:
            award = w.rule.spec.window.award
            head += f" 可得 {'不超过 ' if award.ceiling else ''}{format_number(float(w.amount))} 元"
        console.print(Text(head, style="bold"))
        for depth, check in visible_checks(w.check) or [(1, w.check)]:
            _render_check(console, check, depth)
    for text in o.referral_reasons:
        console.print(Text("  → 转市级以上：", style="bold") + Text(text))
    for text in o.notes:
        console.print(Text("  ⚠ ", style="yellow") + Text(text))
    if o.hypothetical is not None:
        h = o.hypothetical
        if h.eligible:
            text = f"若于 {o.hypothetical_date.isoformat()} 竣工验收合格：可得 {h.amount_text()} 元（{h.window_label}）"
        else:
            text = f"若于 {o.hypothetical_date.isoformat()} 竣工验收合格：{h.status_label}"
        console.print(Text("  ◇ 试算 ", style="cyan") + Text(text))
    cites = sorted({w.rule.spec.citation.short() for w in o.windows})
    console.print(Text(f"  依据 {'；'.join(cites)}", style="dim"))


def visible_checks(check: Check, depth: int = 0) -> list[tuple[int, Check]]:
    """Conditions to show under a window: a satisfied "any" shows only its satisfied branches."""
    out = [(depth, check)] if depth > 0 else []
    children = check.children
    if check.passed and _is_any(check):
        children = tuple(c for c in children if c.passed)
    for child in children:
        out.extend(visible_checks(child, depth + 1))
    return out


def _is_any(check: Check) -> bool:
    return check.mode == "any"


def _render_check(console: Console, check: Check, depth: int) -> None:
    indent = "    " + "  " * (depth - 1)
    mark = Text("✓ ", style="green") if check.passed else Text("✗ ", style="red")
    line = Text(indent) + mark + Text(check.text)
    if check.field:
        line.append(f"    实际：{check.actual}", style="dim" if check.passed else "")
    console.print(line)


def subsidy_summary(result: RunResult) -> Text:
    s = result.subsidies.stats
    return Text(
        f"共 {s.projects} 个项目：符合 {s.eligible} 个，合计 {format_number(float(s.total))} 元"
        f"{'（含上限金额）' if s.any_ceiling else ''}；待竣工验收 {s.pending_acceptance} 个；"
        f"转市级以上 {s.municipal_referral} 个",
        style="bold",
    )


# ------------------------------------------------------------------ approvals

VERDICT_STYLE = {"一日内办结": "green", "办理中": "cyan", "超过一个工作日": "bold red", "逾期未办结": "bold red",
                 "无法判定": "yellow", "不在一日办结范围": "dim"}


def render_approvals(console: Console, result: RunResult) -> None:
    from rich.table import Table  # only these reports have tables

    _header(console, result, "一件事一次办 · 审批时限与环节对标")
    for source, group in groupby(result.approvals, key=lambda a: a.record.source):
        outcomes = list(group)
        console.print()
        table = Table(title=f"{source}（{len(outcomes)} 件）", title_justify="left", header_style="bold")
        for name, justify in (("编号", "left"), ("事项名称", "left"), ("项目", "left"), ("受理", "left"),
                              ("办结", "left"), ("用时(工作日)", "right"), ("承诺时限", "right"), ("结论", "left")):
            table.add_column(name, justify=justify, overflow="fold")
        for o in outcomes:
            r = o.record
            decided = o.count is None or o.count.decidable
            table.add_row(r.id, r.item, r.project_id or "—", r.accepted_on.isoformat(),
                          r.completed_on.isoformat() if r.completed_on else "未办结",
                          (str(o.days) if decided else "?"), r.display("promised_working_days"),
                          Text(o.verdict, style=VERDICT_STYLE.get(o.verdict, "")))
        console.print(table)
    findings = [f for f in result.findings if f.category != "input" or f.severity != "info"]
    if findings:
        render_findings(console, findings)
    console.print()
    console.print(approval_summary_text(result))
    console.print(summary_line(result))


def approval_summary_text(result: RunResult) -> Text:
    stats = approval_summary(result.approvals)
    share = stats["share_within_one_day"]
    share_text = f"{share:.1%}" if share is not None else "—"
    text = Text(f"共 {stats['items']} 件，其中一日办结范围内 {stats['in_scope']} 件；已办结且可判定 "
                f"{stats['completed_and_decidable']} 件中一日内办结 {stats['within_one_day']} 件（{share_text}）；"
                f"超过一个工作日 {stats['over_one_day']} 件，逾期未办结 {stats['open_overdue']} 件，"
                f"无法判定 {stats['undecidable']} 件", style="bold")
    if stats["worst_item_types"]:
        text.append("\n用时超过一个工作日最多的事项：")
        for entry in stats["worst_item_types"]:
            scope = "" if entry["in_scope"] else "（不在一日办结范围）"
            text.append(f"\n  {entry['item']}{scope}：{entry['over_one_day']}/{entry['items']} 件超过一个工作日，"
                        f"最长 {entry['max_working_days']} 个工作日")
    return text


# ------------------------------------------------------------------ explain

def render_explain(console: Console, rule, rows, as_of, engine: str) -> None:
    """Per record or document: fired or not, and every condition with the value found and the threshold."""
    from checker.report.docs import rule_markdown

    console.print(Text(f"checker explain {rule.id} — {rule.spec.title} · 基准日 {as_of.isoformat()} · 引擎 {engine}",
                       style="dim"))
    if not rows:
        console.print(f"输入中没有适用于 {rule.id} 的对象（{rule.schema.label}）。")
    for subject, _fact, check, fired in rows:
        where = f"{subject.source}:{subject.line}" if subject.line else subject.source
        if getattr(subject, "column", None):
            where += f":{subject.column}"
        label = f"“{subject.raw}” " if getattr(subject, "raw", None) else ""
        console.print()
        verdict = Text("触发", style="bold red") if fired else Text("未触发", style="bold green")
        console.print(Text(f"{where} {subject.id} {label}— ") + verdict)
        for depth, item in check.flatten()[1:] if check.children else [(1, check)]:
            _render_check(console, item, depth)
    console.print()
    console.print(Text("规则说明", style="bold"))
    console.print(rule_markdown(rule), markup=False)
