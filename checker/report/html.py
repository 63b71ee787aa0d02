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
from checker.core.severity import SEVERITIES, SEVERITY_LABEL
from checker.core.values import neutralized
from checker.report.text import summary_line
from checker.rules.conditions import Check
from checker.run.domain import section_specs
from checker.run.findings import Finding, category_titles
from checker.run.present import visible_checks
from checker.run.result import RunResult

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
.summary { color: #333; font-style: italic; }
.tag { display: inline-block; margin: 0 .3em; padding: 0 .3em; border: 1px solid #999; border-radius: 3px; font-size: .8em; font-style: normal; color: #555; }
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
    return escape(neutralized("" if value is None else str(value)), quote=True)


def _citation_html(f: Finding, c: dict | None) -> str:
    """One source: a quotation in 「」, a summary marked 摘要 (not dressed as a quotation), an unchecked wording so."""
    if c is None:  # the machinery's own findings name a document only
        return _e(f.citation) + (f'<span class="quote">「{_e(f.citation_text)}」</span>' if f.citation_text else "")
    where = _e(f"{c['document']} {c['clause']}" if c.get("clause") else c["document"])
    if c.get("kind") == "summary":
        said = f'<span class="summary"><span class="tag">摘要</span>{_e(c["text"])}</span>'
    else:
        said = f'<span class="quote">「{_e(c["text"])}」</span>'
    unchecked = "" if c.get("confirmed", True) else '<span class="tag">未核对原文</span>'
    return where + said + unchecked


def _snippet(f: Finding) -> str:
    """The source line with the finding's span in <mark> (columns are 1-based characters, end exclusive)."""
    line, start, end, first = f.context()
    before = ("…" if first > 1 else "") + line[:start]
    after = line[end:] + ("…" if first - 1 + len(line) < len(f.snippet or "") else "")
    marked = _e(line[start:end]) if end > start else "&#8203;"
    return (
        f'<pre class="snippet"><span class="ln">{_e(f.line)}</span>{_e(before)}<mark>{marked}</mark>{_e(after)}</pre>'
    )


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
    head = (
        f'<div class="head"><span class="sev {_e(f.severity)}">{_e(SEVERITY_LABEL.get(f.severity, f.severity))}'
        f'</span> <code>{_e(f.rule_id)}</code> {_e(f.message)} <span class="cat">· {_e(f.category)}</span>'
    )
    if f.waived:
        head += ' <span class="tag waived">已豁免</span>'
    if f.fixed:
        head += ' <span class="tag fixed">已修正</span>'
    head += "</div>"
    rows: list[tuple[str, str]] = []
    if f.line is not None or f.column is not None:
        rows.append(("位置", f'<span class="mono">{_e(f.position)}</span>'))
    if f.snippet is not None and f.column:
        rows.append(("原文", _snippet(f)))
    if f.suggestion is not None:
        rows.append(
            (
                "改为",
                f'<span class="suggest">“{_e(f.suggestion)}”</span>'
                + ("" if f.replacement is not None else "（需人工核实）"),
            )
        )
    if f.evidence:
        rows.append(("证据", _e(f.evidence)))
    rows.extend(("依据", _citation_html(f, c)) for c in (f.citations or (None,)))
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
    fixed_cell = (lambda s: f'<td class="num">{fixed[s]}</td>') if result.fixing else (lambda s: "")
    rows = "".join(
        f'<tr><th scope="row"><span class="sev {s}">{SEVERITY_LABEL[s]}</span> {s}</th>'
        f'<td class="num">{total[s]}</td><td class="num">{waived[s]}</td>{fixed_cell(s)}</tr>'
        for s in SEVERITIES
    )
    categories = Counter(f.category for f in result.findings)
    titles = category_titles(result.book)
    by_category = "".join(
        f'<tr><td><code>{_e(c)}</code></td><td>{_e(titles.get(c, ""))}</td><td class="num">{n}</td></tr>'
        for c, n in sorted(categories.items())
    )
    out = [
        f'<p class="summary-line">{_e(summary_line(result).plain)}</p>',
        '<table class="severity"><thead><tr><th>严重程度</th><th class="num">发现</th><th class="num">其中已豁免</th>'
        + ('<th class="num">其中已修正</th>' if result.fixing else "")
        + f"</tr></thead><tbody>{rows}</tbody></table>",
    ]
    if by_category:
        out.append(
            '<table class="categories"><thead><tr><th>类别</th><th>说明</th><th class="num">发现</th></tr></thead>'
            f"<tbody>{by_category}</tbody></table>"
        )
    if result.errors:
        items = "".join(f"<li>{_e(line)}</li>" for line in result.errors)
        out.append(f'<h3>输入错误 {len(result.errors)} 处（相应记录未检查）</h3><ul class="errors mono">{items}</ul>')
    return "".join(out)


CLASS = {"ok": "ok", "pending": "pending", "bad": "bad", "alarm": "bad"}  # tones without a class show plain
NOTE_CLASS = {"pending": "pending"}


def _table(table) -> str:
    """A section's table; the header repeats on every printed page."""
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c.numeric else ""}>{_e(c.name)}</th>' for c in table.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td{num if c.numeric else ''}>{_cell(cell)}</td>" for c, cell in zip(table.columns, row))
        + "</tr>"
        for row in table.rows
    )
    return (
        f'<table class="{table.css}"><caption>{_e(table.caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _cell(cell) -> str:
    if cell.badge:
        return f'<span class="{CLASS.get(cell.tone, "")}">{_e(cell.text)}</span>'
    return _e(cell.text)


def _checks(check: Check) -> str:
    items = visible_checks(check) or [(1, check)]
    out = []
    for depth, c in items:
        mark = '<span class="ok">✓</span>' if c.passed else '<span class="bad">✗</span>'
        actual = f'<span class="actual">实际：{_e(c.actual)}</span>' if c.field else ""
        out.append(f'<li style="margin-left:{(depth - 1) * 1.2:.1f}em">{mark} {_e(c.text)}{actual}</li>')
    return f'<ul class="checks">{"".join(out)}</ul>'


def _block(block) -> str:
    out = [
        f'<div class="project"><h4>{_e(block.title)} — '
        f'<span class="{CLASS.get(block.verdict.tone, "")}">{_e(block.verdict.text)}</span></h4>'
    ]
    for group in block.groups:
        out.append(f"<div><strong>{_e(group.head)}</strong>{_checks(group.check)}</div>")
    for note in block.notes:
        css = NOTE_CLASS.get(note.tone)
        out.append(f'<p class="{css}">' if css else "<p>")
        out.append(f"{_e(note.prefix + note.text)}</p>")
    if block.footer:
        out.append(f'<p class="cat">{_e(block.footer)}</p>')
    out.append("</div>")
    return "".join(out)


def _section(spec, result: RunResult) -> str:
    view = spec.present(result.sections[spec.key], result)
    out = [_table(table) for table, _ in view.files]
    out.append(f'<p class="summary-line">{_e(view.summary)}</p>')
    if view.blocks_heading:
        out.append(f"<h3>{_e(view.blocks_heading)}</h3>")
        out.extend(_block(block) for _, blocks in view.files for block in blocks)
    return f'<section id="{_e(view.key)}"><h2>{_e(view.heading)}</h2>{"".join(out)}</section>'


def _header(result: RunResult) -> str:
    book = result.book
    files = "".join(f"<li>{_e(p)}</li>" for p in result.files) or "<li>—</li>"
    rows = [
        ("checker 版本", _e(__version__)),
        ("规则版本", f'<span class="mono">{_e(book.version)}</span>'),
        ("规则摘要", f'<span class="mono">{_e(book.digest)}</span>'),
        ("规则", f"规则包 {len(book.packs)} 个、规则 {len(book.rules)} 条"),
        ("基准日", _e(result.as_of.isoformat())),
        ("引擎", _e(result.evaluator)),
        ("文件", f'<ul class="mono">{files}</ul>'),
    ]
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<header><h1>{_e(report_title(result))}</h1><dl class="meta">{body}</dl></header>'


def report_title(result: RunResult) -> str:
    """Names the command: checker 补贴报告, 审批报告, 公文报告, 检查报告."""
    return f"checker {result.command or '检查'}报告"


def render(result: RunResult) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report_title(result))} · {_e(result.as_of.isoformat())}</title>",
        f"<style>{CSS}</style></head><body>",
        _header(result),
        f'<section id="summary"><h2>概况</h2>{_summary(result)}</section>',
        f'<section id="findings"><h2>发现的问题</h2>{_findings(result)}</section>',
    ]
    for spec in section_specs():
        if result.sections[spec.key]:
            parts.append(_section(spec, result))
    parts.append(
        f"<footer>checker {_e(__version__)} · 规则 {_e(result.book.digest[:12])} · "
        f"基准日 {_e(result.as_of.isoformat())}</footer></body></html>"
    )
    return "\n".join(parts) + "\n"
