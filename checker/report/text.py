"""Terminal reports (rich): findings grouped by file and record, and the domains' sections.

The look follows ../shared/notes/report-style.md: rule id and severity first,
the evidence and the cited clause under it, a fix when there is one, and a
summary line at the end.  A domain's tables and reasons come as present.SectionView
and are rendered here the same way for every domain; every ✓/✗ line is one
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
from checker.rules.conditions import Check
from checker.run.domain import section_specs
from checker.run.findings import Finding
from checker.run.present import visible_checks
from checker.run.result import RunResult

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _header(console: Console, result: RunResult, title: str) -> None:
    from checker import __version__

    console.print(
        Text(
            f"{title} — checker {__version__} · 规则包 {len(result.book.packs)} 个、规则 "
            f"{len(result.book.rules)} 条（{result.book.digest[:12]}） · 基准日 {result.as_of.isoformat()} · "
            f"引擎 {result.evaluator}",
            style="dim",
        )
    )


def headlines(result: RunResult) -> dict[tuple[str, str], str]:
    """(source, record id) -> the line a domain prints under that record's heading (a document's 文号, 发文机关…)."""
    out: dict[tuple[str, str], str] = {}
    for spec in section_specs():
        if spec.headline is None:
            continue
        for outcome in result.sections.get(spec.key) or ():
            found = spec.headline(outcome)
            if found:
                source, record_id, text = found
                out[(source, record_id)] = text
    return out


def render_findings(console: Console, findings: list[Finding], heads: dict[tuple[str, str], str] | None = None) -> None:
    for source, by_file in groupby(findings, key=lambda f: f.source):
        console.print()
        console.print(Text(source, style="bold underline"))
        for _, by_record in groupby(by_file, key=lambda f: (f.record_index, f.record_id)):
            items = list(by_record)
            first = items[0]
            if first.record_id:
                where = f"第{first.line}行" if first.line and first.column is None else ""
                console.print(Text(f"  {first.record_id}  {where}", style="bold"))
                head = (heads or {}).get((first.source, first.record_id))
                if head:
                    console.print(Text(f"    {head}", style="dim"))
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
    lines.extend(("依据", cite) for cite in f.citation_lines(clip=60))
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
    while right < len(line) and cell_len(line[left : right + 1]) <= limit * 2 // 3:
        right += 1
    while left > 0 and cell_len(line[left - 1 : right]) <= limit:
        left -= 1
    while right < len(line) and cell_len(line[left : right + 1]) <= limit:
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
    """The findings report (`check`, `lint`): findings by file and record, each section's one line, the summary."""
    _header(console, result, title)
    if result.findings:
        render_findings(console, result.findings, headlines(result))
    else:
        console.print("未发现问题。")
    for spec in section_specs():
        line = spec.brief(result.sections[spec.key]) if spec.brief is not None else None
        if line:
            console.print()
            console.print(line)
    console.print()
    console.print(summary_line(result))


# ------------------------------------------------------------------ domain sections

CELL_STYLE = {
    "ok": "green",
    "pending": "yellow",
    "bad": "red",
    "alarm": "bold red",
    "active": "cyan",
    "undecided": "yellow",
    "muted": "dim",
    "strong": "bold",
}
NOTE_STYLE = {"strong": "bold", "pending": "yellow", "active": "cyan"}


def render_section(console: Console, result: RunResult, command) -> None:
    """The report of a domain's own command (`subsidy`, `approvals`): its tables, reasons and summary."""
    from rich.table import Table  # only these reports have tables

    spec = next(s for s in section_specs() if s.key == command.report)
    view = spec.present(result.sections[spec.key], result)
    _header(console, result, command.title or view.title)
    for table, blocks in view.files:
        console.print()
        rich_table = Table(
            title=table.caption, title_justify="left", show_lines=False, header_style="bold", expand=False
        )
        for column in table.columns:
            rich_table.add_column(column.name, justify="right" if column.numeric else "left", overflow="fold")
        for row in table.rows:
            rich_table.add_row(*(Text(c.text, style=CELL_STYLE.get(c.tone, "")) for c in row))
        console.print(rich_table)
        for block in blocks:
            _render_block(console, block)
    if command.show_findings:
        findings = [f for f in result.findings if f.category != "input" or f.severity != "info"]
        if findings:
            render_findings(console, findings)
    if command.show_errors and result.errors:
        console.print()
        console.print(Text(f"输入错误 {len(result.errors)} 处（相应记录未检查，见标准错误输出）", style="bold red"))
    console.print()
    console.print(Text(view.summary, style="bold"))
    if command.show_summary_line:
        console.print(summary_line(result))


def _render_block(console: Console, block) -> None:
    console.print()
    console.print(
        Text(f"{block.title} — ", style="bold") + Text(block.verdict.text, style=CELL_STYLE.get(block.verdict.tone, ""))
    )
    for group in block.groups:
        console.print(Text(f"  {group.head}", style="bold"))
        for depth, check in visible_checks(group.check) or [(1, group.check)]:
            _render_check(console, check, depth)
    for note in block.notes:
        console.print(Text(f"  {note.prefix}", style=NOTE_STYLE.get(note.tone, "")) + Text(note.text))
    if block.footer:
        console.print(Text(f"  {block.footer}", style="dim"))


def _render_check(console: Console, check: Check, depth: int) -> None:
    indent = "    " + "  " * (depth - 1)
    mark = Text("✓ ", style="green") if check.passed else Text("✗ ", style="red")
    line = Text(indent) + mark + Text(check.text)
    if check.field:
        line.append(f"    实际：{check.actual}", style="dim" if check.passed else "")
    console.print(line)


# ------------------------------------------------------------------ explain


def render_explain(console: Console, rule, rows, as_of, engine: str) -> None:
    """Per record or document: fired or not, and every condition with the value found and the threshold."""
    from checker.report.docs import rule_markdown

    console.print(
        Text(f"checker explain {rule.id} — {rule.spec.title} · 基准日 {as_of.isoformat()} · 引擎 {engine}", style="dim")
    )
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
