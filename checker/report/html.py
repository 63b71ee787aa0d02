"""A self-contained HTML report a reviewer can print or attach to a file.

One file, inline CSS, no scripts, fonts or images to fetch, so it reads the same offline, in an
archive and on paper.  It is rendered from the same RunResult as the terminal report and reuses the
terminal's summary wording, so the two cannot disagree.  Every piece of user or input text goes
through `html.escape`: findings quote documents and ledgers verbatim, and those are not trusted.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from itertools import groupby

from checker import __version__
from checker.categories import CATEGORIES
from checker.core.severity import SEVERITIES, SEVERITY_LABEL
from checker.core.values import format_number
from checker.report.text import (
    approval_summary_text,
    subsidy_summary,
    summary_line,
    visible_checks,
)
from checker.rules.conditions import Check
from checker.run.findings import Finding
from checker.run.result import RunResult
from checker.subsidy import SubsidyOutcome

SUBSIDY_COLUMNS = ("编号", "项目名称", "类别", "投资", "面积(m²)", "装配率", "竣工验收", "结果", "金额(元)", "档次", "市级")
APPROVAL_COLUMNS = ("编号", "事项名称", "项目", "受理", "办结", "用时(工作日)", "承诺时限", "结论")
NUMERIC = {"面积(m²)", "装配率", "金额(元)", "用时(工作日)", "承诺时限"}

CSS = """
:root { --error: #b3261e; --warning: #8a5a00; --info: #1f5f99; --ok: #1e6b34; --line: #c9c9c9; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", SimSun, sans-serif;
       font-size: 14px; line-height: 1.55; color: #1a1a1a; margin: 2em auto; max-width: 1100px; padding: 0 1.5em; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #333; padding-bottom: .2em; margin-top: 1.8em; }
h3 { font-size: 1.08em; margin: 1.4em 0 .4em; word-break: break-all; }
h4 { font-size: 1em; margin: 1em 0 .3em; }
code, pre, .mono { font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", Consolas, "Courier New", monospace; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .5em 0; }
dl.meta dt { color: #555; } dl.meta dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
caption { text-align: left; font-weight: bold; padding: .3em 0; }
th, td { border: 1px solid var(--line); padding: .25em .5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; white-space: nowrap; }
.record { margin-left: .8em; }
.finding { border-left: 4px solid var(--line); padding: .4em .8em; margin: .6em 0 .9em; background: #fafafa; }
.finding.error { border-left-color: var(--error); }
.finding.warning { border-left-color: var(--warning); }
.finding.info { border-left-color: var(--info); }
.finding.waived, .finding.fixed { background: #f4f4f4; border-left-style: dashed; }
.head { font-weight: bold; }
.sev { display: inline-block; padding: 0 .4em; border-radius: 3px; color: #fff; font-size: .85em; }
.sev.error { background: var(--error); } .sev.warning { background: var(--warning); }
.sev.info { background: var(--info); }
.cat { color: #666; font-weight: normal; font-size: .9em; }
.tag { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 .35em; font-size: .85em;
       font-weight: normal; }
.tag.waived { color: #6b4c00; } .tag.fixed { color: var(--ok); }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em .8em; margin: .3em 0 0; }
.finding dt { color: #555; } .finding dd { margin: 0; word-break: break-word; }
pre.snippet { white-space: pre-wrap; word-break: break-all; margin: 0; padding: .3em .5em; background: #fff;
              border: 1px solid var(--line); }
pre.snippet .ln { color: #888; user-select: none; margin-right: .8em; }
mark { background: #ffe08a; color: inherit; text-decoration: underline wavy var(--error); }
.suggest { color: var(--ok); }
.quote { color: #333; }
.ok { color: var(--ok); } .bad { color: var(--error); } .pending { color: var(--warning); }
ul.checks { list-style: none; margin: .1em 0 .3em; padding-left: 1.2em; }
ul.checks li { margin: 0; }
.project { margin: .8em 0; break-inside: avoid; page-break-inside: avoid; }
.actual { color: #555; margin-left: 1em; }
.summary-line { font-weight: bold; white-space: pre-line; }
.errors li { color: var(--error); }
footer { margin-top: 2.5em; border-top: 1px solid var(--line); padding-top: .4em; color: #666; font-size: .85em; }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .finding, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def _e(value: object) -> str:
    """Escape for text and attribute values alike (quotes included)."""
    return escape("" if value is None else str(value), quote=True)


def _snippet(f: Finding) -> str:
    """The source line with the finding's span in <mark> (columns are 1-based characters, end exclusive)."""
    line = f.snippet or ""
    start = min(max(f.column - 1, 0), len(line))
    end = min(max((f.end_column or f.column + 1) - 1, start), len(line))
    marked = _e(line[start:end]) if end > start else "&#8203;"
    return (f'<pre class="snippet"><span class="ln">{_e(f.line)}</span>{_e(line[:start])}'
            f"<mark>{marked}</mark>{_e(line[end:])}</pre>")


def _waiver(waiver: dict) -> str:
    parts = [_e(waiver.get("reason") or "")]
    if waiver.get("approver"):
        parts.append(f"批准人 {_e(waiver['approver'])}")
    if waiver.get("expires"):
        parts.append(f"有效期至 {_e(waiver['expires'])}")
    if waiver.get("source"):
        parts.append(f"见 {_e(waiver['source'])}" + (f":{_e(waiver['line'])}" if waiver.get("line") else ""))
    return parts[0] + (f"（{'，'.join(parts[1:])}）" if len(parts) > 1 else "")


def _finding(f: Finding) -> str:
    classes = ["finding", f.severity] + (["waived"] if f.waived else []) + (["fixed"] if f.fixed else [])
    head = (f'<div class="head"><span class="sev {_e(f.severity)}">{_e(SEVERITY_LABEL.get(f.severity, f.severity))}'
            f'</span> <code>{_e(f.rule_id)}</code> {_e(f.message)} <span class="cat">· {_e(f.category)}</span>')
    if f.waived:
        head += ' <span class="tag waived">已豁免</span>'
    if f.fixed:
        head += ' <span class="tag fixed">已修正</span>'
    head += "</div>"
    rows: list[tuple[str, str]] = []
    if f.line is not None or f.column is not None:
        rows.append(("位置", f'<span class="mono">{_e(f.where)}</span>'))
    if f.snippet is not None and f.column:
        rows.append(("原文", _snippet(f)))
    if f.suggestion is not None:
        rows.append(("改为", f'<span class="suggest">“{_e(f.suggestion)}”</span>'
                            + ("" if f.replacement is not None else "（需人工核实）")))
    if f.evidence:
        rows.append(("证据", _e(f.evidence)))
    cite = _e(f.citation)
    if f.citation_text:
        cite += f'<span class="quote">「{_e(f.citation_text)}」</span>'
    rows.append(("依据", cite))
    if f.fix:
        rows.append(("建议", _e(f.fix)))
    if f.waiver is not None:
        rows.append(("豁免", _waiver(f.waiver)))
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<article class="{" ".join(classes)}">{head}<dl>{body}</dl></article>'


def _findings(result: RunResult) -> str:
    if not result.findings:
        return "<p>未发现问题。</p>"
    out: list[str] = []
    for source, by_file in groupby(result.findings, key=lambda f: f.source):
        out.append(f'<section class="file"><h3 class="mono">{_e(source)}</h3>')
        for _, by_record in groupby(by_file, key=lambda f: (f.record_index, f.record_id)):
            items = list(by_record)
            first = items[0]
            out.append('<div class="record">')
            if first.record_id:
                where = f" 第{first.line}行" if first.line and first.column is None else ""
                out.append(f"<h4>{_e(first.record_id)}{_e(where)}</h4>")
            else:  # a row without a usable id, or the file as a whole
                out.append(f"<h4>第{_e(first.line)}行</h4>" if first.line else "<h4>（整个文件）</h4>")
            out.extend(_finding(f) for f in items)
            out.append("</div>")
        out.append("</section>")
    return "".join(out)


def _summary(result: RunResult) -> str:
    total = Counter(f.severity for f in result.findings)
    waived = Counter(f.severity for f in result.findings if f.waived)
    fixed = Counter(f.severity for f in result.findings if f.fixed)
    rows = "".join(
        f'<tr><th scope="row"><span class="sev {s}">{SEVERITY_LABEL[s]}</span> {s}</th>'
        f'<td class="num">{total[s]}</td><td class="num">{waived[s]}</td><td class="num">{fixed[s]}</td></tr>'
        for s in SEVERITIES)
    categories = Counter(f.category for f in result.findings)
    by_category = "".join(f"<tr><td><code>{_e(c)}</code></td><td>{_e(CATEGORIES.get(c, ''))}</td>"
                          f'<td class="num">{n}</td></tr>' for c, n in sorted(categories.items()))
    out = [f'<p class="summary-line">{_e(summary_line(result).plain)}</p>',
           '<table class="severity"><thead><tr><th>严重程度</th><th class="num">发现</th><th class="num">其中已豁免</th>'
           f'<th class="num">其中已修正</th></tr></thead><tbody>{rows}</tbody></table>']
    if by_category:
        out.append('<table class="categories"><thead><tr><th>类别</th><th>说明</th><th class="num">发现</th></tr></thead>'
                   f"<tbody>{by_category}</tbody></table>")
    if result.errors:
        items = "".join(f"<li>{_e(line)}</li>" for line in result.errors)
        out.append(f'<h3>输入错误 {len(result.errors)} 处（相应记录未检查）</h3><ul class="errors mono">{items}</ul>')
    return "".join(out)


def _table(caption: str, columns: tuple[str, ...], rows: list[list[str]], css: str) -> str:
    """Cells arrive escaped (some carry a class); the header repeats on every printed page."""
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c in NUMERIC else ""}>{_e(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(
        f'<td{num if c in NUMERIC else ""}>{cell}</td>' for c, cell in zip(columns, row)) + "</tr>"
        for row in rows)
    return (f'<table class="{css}"><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _status(o: SubsidyOutcome) -> str:
    css = "ok" if o.eligible else ("pending" if o.status == "pending_acceptance" else "bad")
    return f'<span class="{css}">{_e(o.status_label)}</span>'


def subsidy_row(o: SubsidyOutcome) -> list[str]:
    """The terminal table's cells, escaped, in the same order (SUBSIDY_COLUMNS)."""
    r = o.record
    rate = f"{r.display('prefab_rate_pct')}%" if r.prefab_rate_pct is not None else "—"
    return [_e(r.id), _e(r.name), _e(r.display("category")), _e(r.display("investment")),
            _e(r.display("floor_area_m2")), _e(rate), _e(r.display("completion_acceptance_date")), _status(o),
            _e(o.amount_text()), _e(o.window_label or "—"), _e("转市级" if o.municipal_referral else "否")]


def _checks(check: Check) -> str:
    items = visible_checks(check) or [(1, check)]
    out = []
    for depth, c in items:
        mark = '<span class="ok">✓</span>' if c.passed else '<span class="bad">✗</span>'
        actual = f'<span class="actual">实际：{_e(c.actual)}</span>' if c.field else ""
        out.append(f'<li style="margin-left:{(depth - 1) * 1.2:.1f}em">{mark} {_e(c.text)}{actual}</li>')
    return f'<ul class="checks">{"".join(out)}</ul>'


def _reasons(o: SubsidyOutcome) -> str:
    r = o.record
    verdict = o.status_label + (f"，{o.amount_text()} 元（{o.window_label}）" if o.eligible else "")
    out = [f'<div class="project"><h4>{_e(r.id)} {_e(r.name)} — '
           f'<span class="{"ok" if o.eligible else "bad"}">{_e(verdict)}</span></h4>']
    for w in o.windows:
        head = f"{w.rule.spec.window.label}（{w.rule.id}）{'✓' if w.holds else '✗'}"
        if w.holds:
            award = w.rule.spec.window.award
            head += f" 可得 {'不超过 ' if award.ceiling else ''}{format_number(float(w.amount))} 元"
        out.append(f"<div><strong>{_e(head)}</strong>{_checks(w.check)}</div>")
    for text in o.referral_reasons:
        out.append(f"<p>→ 转市级以上：{_e(text)}</p>")
    for text in o.notes:
        out.append(f'<p class="pending">⚠ {_e(text)}</p>')
    if o.hypothetical is not None:
        h = o.hypothetical
        when = f"若于 {o.hypothetical_date.isoformat()} 竣工验收合格："
        what = f"可得 {h.amount_text()} 元（{h.window_label}）" if h.eligible else h.status_label
        out.append(f"<p>◇ 试算 {_e(when + what)}</p>")
    cites = sorted({w.rule.spec.citation.short() for w in o.windows})
    out.append(f'<p class="cat">依据 {_e("；".join(cites))}</p></div>')
    return "".join(out)


def _subsidies(result: RunResult) -> str:
    out = []
    for source, group in groupby(result.subsidies, key=lambda s: s.record.source):
        outcomes = list(group)
        out.append(_table(f"{source}（{len(outcomes)} 个项目）", SUBSIDY_COLUMNS,
                          [subsidy_row(o) for o in outcomes], "subsidy"))
    out.append(f'<p class="summary-line">{_e(subsidy_summary(result).plain)}</p>')
    out.append("<h3>逐项说明</h3>")
    out.extend(_reasons(o) for o in result.subsidies)
    return "".join(out)


def approval_row(o) -> list[str]:
    """The terminal approvals table's cells, escaped (APPROVAL_COLUMNS)."""
    r = o.record
    decided = o.count is None or o.count.decidable
    css = "ok" if o.verdict == "一日内办结" else ("bad" if o.verdict in ("超过一个工作日", "逾期未办结") else "")
    return [_e(r.id), _e(r.item), _e(r.project_id or "—"), _e(r.accepted_on.isoformat()),
            _e(r.completed_on.isoformat() if r.completed_on else "未办结"), _e(str(o.days) if decided else "?"),
            _e(r.display("promised_working_days")), f'<span class="{css}">{_e(o.verdict)}</span>']


def _approvals(result: RunResult) -> str:
    out = []
    for source, group in groupby(result.approvals, key=lambda a: a.record.source):
        outcomes = list(group)
        out.append(_table(f"{source}（{len(outcomes)} 件）", APPROVAL_COLUMNS,
                          [approval_row(o) for o in outcomes], "approvals"))
    out.append(f'<p class="summary-line">{_e(approval_summary_text(result).plain)}</p>')
    return "".join(out)


def _header(result: RunResult) -> str:
    book = result.book
    files = "".join(f"<li>{_e(p)}</li>" for p in result.files) or "<li>—</li>"
    rows = [("checker 版本", _e(__version__)),
            ("规则版本", f'<span class="mono">{_e(book.version)}</span>'),
            ("规则摘要", f'<span class="mono">{_e(book.digest)}</span>'),
            ("规则", f"规则包 {len(book.packs)} 个、规则 {len(book.rules)} 条"),
            ("基准日", _e(result.as_of.isoformat())),
            ("引擎", _e(result.evaluator)),
            ("文件", f'<ul class="mono">{files}</ul>')]
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<header><h1>checker 检查报告</h1><dl class="meta">{body}</dl></header>'


def render(result: RunResult) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>checker 检查报告 · {_e(result.as_of.isoformat())}</title>",
        f"<style>{CSS}</style></head><body>",
        _header(result),
        f'<section id="summary"><h2>概况</h2>{_summary(result)}</section>',
        f'<section id="findings"><h2>发现的问题</h2>{_findings(result)}</section>',
    ]
    if result.subsidies:
        parts.append(f'<section id="subsidies"><h2>补贴资格</h2>{_subsidies(result)}</section>')
    if result.approvals:
        parts.append(f'<section id="approvals"><h2>审批时限</h2>{_approvals(result)}</section>')
    parts.append(f"<footer>checker {_e(__version__)} · 规则 {_e(result.book.digest[:12])} · "
                 f"基准日 {_e(result.as_of.isoformat())}</footer></body></html>")
    return "\n".join(parts) + "\n"
