"""Terminal reports: findings grouped by file and record, and the domains' sections.

The look follows ../shared/notes/report-style.md: rule id and severity first,
the evidence and the cited clause under it, a fix when there is one, and a
summary line at the end.  A domain's tables and reasons come as present.SectionView
and are rendered here the same way for every domain; every ✓/✗ line is one
condition, with the value found and the threshold.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from checker.core.lazyre import lazy_compile
from checker.core.severity import SEVERITY_LABEL
from checker.core.values import neutralized, printable
from checker.report.styled import Styled
from checker.rules.conditions import Check
from checker.run.domain import section_specs
from checker.run.findings import Finding
from checker.run.present import visible_checks
from checker.run.result import RunResult

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


class Out:
    """The report's lines, written in bulk.

    A pipe or a file gets plain text straight to the stream: never wrapped, never padded, and thousands of lines
    cost one write (rich's per-print layout made a 20,000-project report 20× slower than its JSON), and rich is
    not even imported (`PlainConsole`).  A terminal gets rich's styling and wrapping, one print per batch.
    """

    BATCH = 2000

    def __init__(self, console: Any, terminal: bool | None = None):
        self.console = console
        # a terminal is laid out to its width; a pipe or a file is not (and unstyled goes out as plain text)
        self.terminal = console.file.isatty() if terminal is None else terminal
        self.plain = not self.terminal and not console.is_terminal
        self.width = console.width
        self._pending: list[Styled | str] = []

    def line(self, text: Styled | str = "") -> None:
        if isinstance(text, str):
            text = neutralized(text)
        elif text.plain != (safe := neutralized(text.plain)):
            text.plain = safe  # one character for one: the styles stay on their text
        self._pending.append(text)
        if len(self._pending) >= self.BATCH:
            self.flush()

    def parts(self, *pieces: str | tuple[str, str]) -> None:
        """One line from pieces, each plain text or (text, style); plain output never builds a styled line."""
        if self.plain:
            self.line("".join(p if isinstance(p, str) else p[0] for p in pieces))
            return
        text = Styled()
        for p in pieces:
            if isinstance(p, str):
                text.append(p)
            else:
                text.append(p[0], style=p[1])
        self.line(text)

    def flush(self) -> None:
        if not self._pending:
            return
        if self.plain:
            self.console.file.write(
                "".join((t if isinstance(t, str) else t.plain).rstrip() + "\n" for t in self._pending)
            )
            self._pending.clear()
            return
        from rich.text import Text

        styled = [t.rich() if isinstance(t, Styled) else Text(t) for t in self._pending]
        if self.terminal:
            lines = [
                piece for t in styled for line in t.split("\n", allow_blank=True) for piece in wrap(line, self.width)
            ]
            self.console.print(Text("\n").join(lines), no_wrap=True, overflow="crop")
        else:  # styled but not a terminal (FORCE_COLOR into a pipe): never wrapped
            self.console.print(Text("\n").join(styled))
        self._pending.clear()

    def renderable(self, item) -> None:
        """A rich table, for a styled console (plain output draws its tables itself: _plain_table)."""
        self.flush()
        self.console.print(item)

    def close(self) -> None:
        self.flush()
        self.console.file.flush()


class PlainConsole:
    """What `Out` reads of a console, for a pipe or a file that gets plain text (no rich Console built)."""

    is_terminal = False
    width = 100_000

    def __init__(self, file):
        self.file = file


# A unit the wrapper never breaks: a run of Latin letters and digits (numbers, dates, ids, file names) or one
# other character, with the closing punctuation that must not start a line and the opening one that must not
# end it.
_UNIT = lazy_compile(
    r"[（(「『“‘《〔\[]*(?:[A-Za-z0-9][A-Za-z0-9.,:%/_\-+~]*|\s+|.)[，。；：、！？）)」』”’》〕\]%,.;:]*"
)


def wrap(text, width: int) -> list:
    """Lines of at most `width` cells for a terminal, broken between Chinese characters or at spaces, never
    inside a number, date or id (rich wraps only at spaces, so a Chinese sentence was cut anywhere).
    Continuation lines are indented two cells past the line's own indent.  `text` is a rich Text."""
    from rich.text import Text

    plain = text.plain
    if cell_len(plain) <= width or width < 20:
        return [text]
    hang = len(plain) - len(plain.lstrip(" ")) + 2
    cuts: list[int] = []
    used = 0
    for m in _UNIT.finditer(plain):
        unit = m.group()
        size = cell_len(unit)
        if used + size <= width or used <= hang:
            if used + size > width:  # longer than a whole line: fold it by characters
                for i, ch in enumerate(unit):
                    if used + cell_len(ch) > width:
                        cuts.append(m.start() + i)
                        used = hang
                    used += cell_len(ch)
                continue
            used += size
            continue
        cuts.append(m.start())
        used = hang + (0 if unit.isspace() else size)
    pieces = text.divide(cuts)
    out = [pieces[0]]
    for piece in pieces[1:]:
        stripped = piece.plain.lstrip(" ")
        piece = piece[len(piece.plain) - len(stripped) :]
        out.append(Text(" " * hang) + piece)
    for line in out:
        line.rstrip()
    return out


def _header(out: Out, result: RunResult, title: str) -> None:
    from checker import __version__

    out.line(
        Styled(
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


def render_findings(out: Out, findings: list[Finding], heads: dict[tuple[str, str], str] | None = None) -> None:
    for source, by_file in groupby(findings, key=lambda f: f.source):
        out.line()
        out.line(Styled(source, style="bold underline"))
        for _, by_record in groupby(by_file, key=lambda f: (-1 if f.file_level else f.record_index, f.record_id)):
            items = list(by_record)
            first = items[0]
            head = (heads or {}).get((first.source, first.record_id)) if first.record_id else None
            if first.file_level:
                out.line(Styled("  （整个文件）", style="bold"))
            elif first.record_id:
                where = f"第{first.line}行" if first.line and first.column is None else ""
                document = first.record_id == Path(first.source).name  # a document file: its name is the heading
                if where == first.record_id or document:
                    where = ""
                if not document:
                    out.line(Styled(f"  {first.record_id}  {where}".rstrip(), style="bold"))
            if head:
                out.line(Styled(f"    {head}", style="dim"))
            for finding in items:
                _render_finding(out, finding)


def _render_finding(out: Out, f: Finding) -> None:
    head = Styled("    ")
    head.append(f"{f.severity}[{f.rule_id}]", style=SEVERITY_STYLE[f.severity])
    head.append(f" {f.message}")
    head.append(f"  · {f.category}", style="dim")
    if f.fixed:
        head.append("  已修正", style="green")
    if f.waived:
        head.append("  已豁免", style="magenta")
    out.line(head)
    lines: list[tuple[str, str]] = []
    if f.waived:
        w = f.waiver
        where = f"{w['source']}:{w['line']}" if w.get("line") else w["source"]
        lines.append(("豁免", f"{w['reason']}（批准：{w['approver']}，有效期至 {w['expires']}；{where}）"))
    if f.snippet is not None and f.column is not None:
        _render_snippet(out, f)
    elif f.line is not None:
        lines.append(("位置", f.position))
    if f.evidence:
        lines.append(("证据", f.evidence))
    lines.extend(("依据", cite) for cite in f.citation_lines(clip=60))
    if f.fix:
        lines.append(("建议", f.fix))
    for i, (label, text) in enumerate(lines):
        mark = "╰" if i == len(lines) - 1 else "├"
        out.line(Styled(f"      {mark} {label} ", style="dim") + Styled(text))


_CONTROL = lazy_compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
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


def _render_snippet(out: Out, f: Finding) -> None:
    """ruff-style: the source line, the span underlined (wide characters take two cells), the fix beside it.

    In a terminal the line is cut to its width around the span, so neither line wraps and the underline stays
    under its text."""
    snippet = _CONTROL.sub(" ", f.snippet)  # one cell each, so columns stay aligned; nothing reaches the terminal raw
    number = str(f.line)
    gutter = " " * len(number)
    limit = max(12, min(SNIPPET_CELLS, out.width - len(number) - 10)) if out.terminal else SNIPPET_CELLS
    text, start, end = _window(snippet, f.column - 1, (f.end_column or f.column + 1) - 1, limit)
    out.line(Styled(f"      {gutter}╭─ {f.position}", style="dim"))
    out.line(Styled(f"      {number} │ ", style="dim") + Styled(text))
    underline = Styled(f"      {gutter} │ ", style="dim")
    underline.append(" " * cell_len(text[:start]))
    underline.append("━" * max(1, cell_len(text[start:end])), style=SEVERITY_STYLE[f.severity])
    if f.suggestion is not None:
        suggestion = f" 改为“{f.suggestion}”"
        if out.terminal and cell_len(underline.plain) + cell_len(suggestion) > out.width:
            out.line(underline)  # the suggestion on its own line rather than wrapping the underline
            underline = Styled(f"      {gutter} │ " + " " * cell_len(text[:start]))
            suggestion = suggestion.lstrip()
        underline.append(suggestion, style="green")
    out.line(underline)


def summary_line(result: RunResult) -> Styled:
    counts = defaultdict(int)
    for f in result.findings:
        counts[f.severity] += 1
    waived = sum(1 for f in result.findings if f.waived)
    text = Styled(f"共 {len(result.files):,} 个文件、{result.records_checked:,} 条记录：")
    for sev in ("error", "warning", "info"):
        text.append(f"{SEVERITY_LABEL[sev]} {counts[sev]:,}", style=SEVERITY_STYLE[sev] if counts[sev] else "")
        text.append("，" if sev != "info" else "")
    if waived:
        text.append(f"（其中已豁免 {waived:,}）", style="magenta")
    if result.errors:
        text.append(f"；输入错误 {len(result.errors):,} 处（记录未检查）", style="bold red")
    if result.skipped:
        text.append(f"；跳过 {len(result.skipped):,} 个文件，类型不受支持")
    return text


def render_check(out: Out, result: RunResult, title: str = "checker check", summary_only: bool = False) -> None:
    """The findings report (`check`, `lint`): findings by file and record, each section's one line, the summary."""
    if not summary_only:
        _header(out, result, title)
        if result.findings:
            render_findings(out, result.findings, headlines(result))
        else:
            out.line("未发现问题。")
    for spec in section_specs():
        line = spec.brief(result.sections[spec.key]) if spec.brief is not None else None
        if line:
            if not summary_only:
                out.line()
            out.line(line)
    if not summary_only:
        out.line()
    out.line(summary_line(result))


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


def render_section(
    out: Out, result: RunResult, command, explain: bool = False, quiet: bool = False, summary_only: bool = False
) -> None:
    """The report of a domain's own command (`subsidy`, `approvals`): its tables, reasons and summary.

    Reasons are shown for the records that need them (a block not marked routine) unless `explain` asks for all;
    `quiet` keeps the tables and the summary; `summary_only` the summary alone."""
    spec = next(s for s in section_specs() if s.key == command.report)
    view = spec.present(result.sections[spec.key], result)
    if not (quiet or summary_only):
        _header(out, result, command.title or view.title)
    if not summary_only:
        for table, blocks in view.files:
            out.line()
            _render_table(out, table)
            if quiet:
                continue
            for block in blocks:
                if explain or not block.routine:
                    _render_block(out, block)
        if command.show_findings and result.findings:
            render_findings(out, result.findings, headlines(result))
    if command.show_errors and result.errors:
        out.line()
        out.line(Styled(f"输入错误 {len(result.errors):,} 处（相应记录未检查，见标准错误输出）", style="bold red"))
    if result.skipped and not command.show_summary_line:  # the summary line says it otherwise
        out.line()
        shown = "、".join(printable(path, 120) for path in result.skipped[:10])
        more = f" 等 {len(result.skipped):,} 个" if len(result.skipped) > 10 else ""
        out.line(f"跳过 {len(result.skipped):,} 个文件，类型不受支持：{shown}{more}")
    if not summary_only:
        out.line()
    out.line(Styled(view.summary, style="bold"))
    if command.show_summary_line:
        out.line(summary_line(result))


def _cells(text: str) -> int:
    return max((cell_len(part) for part in text.split("\n")), default=0)


MIN_COLUMN_CELLS = 6  # a wrapped column narrower than three characters is unreadable


def _widths(table) -> list[tuple[int, int]]:
    """(cells the column needs, cells it must have) for each column: keep columns whole, others at least 6."""
    out = []
    for i, column in enumerate(table.columns):
        longest = max([_cells(row[i].text) for row in table.rows] + [_cells(column.name)])
        out.append((longest, longest if column.keep else min(longest, MIN_COLUMN_CELLS)))
    return out


def _fits(widths: list[tuple[int, int]], width: int) -> bool:
    """Whether a table fits `width` cells with its numbers, dates and ids whole and every other column readable."""
    return 1 + sum(3 + least for _, least in widths) <= width


def _render_table(out: Out, table) -> None:
    """A table whose numbers, dates and ids never wrap; a terminal too narrow for it gets one block per row."""
    out.parts((table.caption, "italic"))
    widths = _widths(table)
    if out.terminal and not _fits(widths, out.width):
        _render_stacked(out, table)
        return
    if out.plain:
        _plain_table(out, table, [need for need, _ in widths])
        return
    from rich.table import Table  # only these reports have tables
    from rich.text import Text

    rich_table = Table(show_lines=False, header_style="bold", expand=False)
    for column, (_, least) in zip(table.columns, widths, strict=True):
        rich_table.add_column(
            column.name,
            justify="right" if column.numeric else "left",
            no_wrap=column.keep,
            min_width=least,
            overflow="ellipsis" if column.keep else "fold",
        )
    for row in table.rows:
        rich_table.add_row(*(Text(c.text, style=CELL_STYLE.get(c.tone, "")) for c in row))
    out.renderable(rich_table)


def _plain_table(out: Out, table, widths: list[int]) -> None:
    """The table as rich draws it (heavy head, one cell of padding), at its natural width, without rich's layout
    machinery: a 20,000-row table costs string joins, not a layout pass per cell."""

    def cell(text: str, width: int, column) -> str:
        pad = " " * (width - cell_len(text))
        return f" {pad}{text} " if column.numeric else f" {text}{pad} "

    def rule(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    out.line(rule("┏", "━", "┳", "┓"))
    out.line("┃" + "┃".join(cell(c.name, w, c) for c, w in zip(table.columns, widths, strict=True)) + "┃")
    out.line(rule("┡", "━", "╇", "┩"))
    for row in table.rows:
        out.line("│" + "│".join(cell(v.text, w, c) for v, c, w in zip(row, table.columns, widths, strict=True)) + "│")
    out.line(rule("└", "─", "┴", "┘"))


def _render_stacked(out: Out, table) -> None:
    """One record per block: its first two cells as the heading, then one `column  value` line per other cell."""
    label_cells = max(_cells(c.name) for c in table.columns[2:]) if len(table.columns) > 2 else 0
    for n, row in enumerate(table.rows):
        if n:
            out.line()
        head = Styled("  ")
        head.append(" ".join(c.text for c in row[:2]), style="bold")
        out.line(head)
        for column, cell in zip(table.columns[2:], row[2:], strict=True):
            label = column.name + " " * (label_cells - cell_len(column.name))
            out.line(Styled(f"    {label}  ", style="dim") + Styled(cell.text, style=CELL_STYLE.get(cell.tone, "")))


def _render_block(out: Out, block) -> None:
    out.line()
    out.parts((f"{block.title} — ", "bold"), (block.verdict.text, CELL_STYLE.get(block.verdict.tone, "")))
    for group in block.groups:
        out.parts((f"  {group.head}", "bold"))
        for depth, check in visible_checks(group.check) or [(1, group.check)]:
            _render_check(out, check, depth)
    for note in block.notes:
        out.parts((f"  {note.prefix}", NOTE_STYLE.get(note.tone, "")), note.text)
    if block.footer:
        out.parts((f"  {block.footer}", "dim"))


def _render_check(out: Out, check: Check, depth: int) -> None:
    indent = "    " + "  " * (depth - 1)
    mark = ("✓ ", "green") if check.passed else ("✗ ", "red")
    if check.field:
        out.parts(indent, mark, check.text, (f"    实际：{check.actual}", "dim" if check.passed else ""))
    else:
        out.parts(indent, mark, check.text)


# ------------------------------------------------------------------ explain


def render_explain(out: Out, rule, rows, as_of, engine: str) -> None:
    """Per record or document: fired or not, and every condition with the value found and the threshold."""
    from checker.report.docs import rule_markdown

    out.line(
        Styled(
            f"checker explain {rule.id} — {rule.spec.title} · 基准日 {as_of.isoformat()} · 引擎 {engine}", style="dim"
        )
    )
    if not rows:
        out.line(f"输入中没有适用于 {rule.id} 的对象（{rule.schema.label}）。")
    for subject, _fact, check, fired in rows:
        where = f"{subject.source}:{subject.line}" if subject.line else subject.source
        if getattr(subject, "column", None):
            where += f":{subject.column}"
        label = f"“{subject.raw}” " if getattr(subject, "raw", None) else ""
        out.line()
        verdict = Styled("触发", style="bold red") if fired else Styled("未触发", style="bold green")
        out.line(Styled(f"{where} {subject.id} {label}— ") + verdict)
        for depth, item in check.flatten()[1:] if check.children else [(1, check)]:
            _render_check(out, item, depth)
    out.line()
    out.line(Styled("规则说明", style="bold"))
    for line in rule_markdown(rule).splitlines():
        out.line(line)
