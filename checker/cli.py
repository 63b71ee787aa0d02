"""Command line: `checker check|subsidy|rules`.

Exit codes: 0 nothing at or above the failure threshold, 1 findings at or
above it, 2 usage, input or rule-file errors (one line each on stderr, no
traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from . import __version__
from .categories import SEVERITY_RANK
from .errors import CheckerError

FAIL_ON = ("error", "warning", "info", "never")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: one line, exit 2
        self.exit(2, f"checker: 用法错误：{message}（checker --help 查看用法）\n")


def _as_of(text: str) -> date:
    from .values import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="checker", description="新野县住建局规则检查工具：补贴资格、审批时限、公文格式。")
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH", help="文件或目录（.yaml .json .jsonl .csv .xlsx）")
        p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
        p.add_argument("--as-of", type=_as_of, default=None, metavar="DATE", help="基准日（默认今天）")
        p.add_argument("--rules", action="append", default=[], metavar="DIR", help="追加规则包目录（可多次）")
        p.add_argument("--engine", choices=("durable", "python"), default="durable",
                       help="规则求值器（默认 durable-rules；python 为内置求值器）")
        p.add_argument("--no-color", action="store_true", help="不使用颜色（也可设 NO_COLOR）")
        p.add_argument("--output", metavar="FILE", help="把报告写入文件而不是标准输出")
        p.add_argument("--jobs", type=_positive, default=1, metavar="N",
                       help="用 N 个进程并行检查（文件或大台账的分段；结果与单进程相同）")

    check = sub.add_parser("check", help="对记录运行全部规则包")
    common(check)
    check.add_argument("--fail-on", choices=FAIL_ON, default="error",
                       help="达到此严重级别的发现即以退出码 1 结束（默认 error）")
    subsidy = sub.add_parser("subsidy", help="装配式建筑补贴资格与金额（新政办〔2022〕34号）")
    common(subsidy)
    lint = sub.add_parser("lint", help="检查公文（.txt .md .docx、标准输入 -、公文记录）")
    common(lint)
    lint.add_argument("--fail-on", choices=FAIL_ON, default="error",
                      help="达到此严重级别的发现即以退出码 1 结束（默认 error）")
    lint.add_argument("--fix", action="store_true", help="把可安全修正的问题直接改在 .txt/.md 文件里（原子写入）")
    lint.add_argument("--diff", action="store_true", help="显示 --fix 将做的修改（不写文件，除非同时给出 --fix）")
    approvals = sub.add_parser("approvals", help="一件事一次办：办理用时（工作日）与审批环节对标")
    common(approvals)
    approvals.add_argument("--fail-on", choices=FAIL_ON, default="error",
                           help="达到此严重级别的发现即以退出码 1 结束（默认 error）")
    rules = sub.add_parser("rules", help="列出规则目录")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--rules", action="append", default=[], metavar="DIR")
    rules.add_argument("--no-color", action="store_true")
    return parser


def _console(args, stream=None):
    from rich.console import Console

    no_color = getattr(args, "no_color", False) or "NO_COLOR" in os.environ
    stream = stream or sys.stdout
    width = None if stream.isatty() else 160
    return Console(file=stream, no_color=no_color, highlight=False, width=width, soft_wrap=False,
                   force_terminal=None if not no_color else False)


def _load_book(args):
    from .rulebook import DEFAULT_RULES_DIR, load_rulebook

    dirs = [DEFAULT_RULES_DIR] + [Path(d) for d in args.rules]
    return load_rulebook(dirs)


def _emit(args, text_writer) -> None:
    """Write the report to --output atomically, or to stdout."""
    if not getattr(args, "output", None):
        text_writer(sys.stdout)
        return
    import io
    import tempfile

    buffer = io.StringIO()
    text_writer(buffer)
    target = Path(args.output)
    fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_records(args, mode: str) -> int:
    from .engine import make_evaluator
    from .pipeline import APPROVAL_CATEGORIES, run
    from .report import json_report, text

    book = _load_book(args)
    # with several jobs each process builds its own engine; the parent builds one only if it needs it
    evaluator = make_evaluator(book, args.engine) if args.jobs == 1 else None
    as_of = args.as_of or date.today()
    categories = {"check": None, "lint": None, "subsidy": set(), "approvals": APPROVAL_CATEGORIES}[mode]
    kinds = {"document"} if mode == "lint" else None
    result = run(args.paths, book, evaluator, as_of, categories=categories,
                 want_subsidies=(mode in ("check", "subsidy")), kinds=kinds, jobs=args.jobs, engine=args.engine,
                 keep_documents=(mode == "lint" and (args.fix or args.diff)))
    for line in result.errors:
        print(f"checker: 输入错误 {line}", file=sys.stderr)
    if mode == "lint" and (args.fix or args.diff):
        outcome = _fix(args, result)
        if outcome is not None:
            return outcome

    def write(stream) -> None:
        if args.format == "json":
            stream.write(json_report.render(result) + "\n")
        else:
            renderer = {"check": text.render_check, "subsidy": text.render_subsidy, "approvals": text.render_approvals,
                        "lint": lambda console, r: text.render_check(console, r, "checker lint")}[mode]
            renderer(_console(args, stream), result)

    _emit(args, write)
    if result.errors:
        return 2
    if mode != "subsidy" and args.fail_on != "never":
        threshold = SEVERITY_RANK[args.fail_on]
        if any(f.rank >= threshold and f.counts for f in result.findings):
            return 1
    return 0


def _fix(args, result) -> int | None:
    """Show (--diff) and/or apply (--fix) the safe replacements; None: go on to print the report."""
    from . import fix

    plans = fix.plan(result.documents, result.findings)
    changed = [p for p in plans if p.refused is None and p.new_text != p.old_text]
    for p in plans:
        if p.refused:
            print(f"checker: {p.document.source}: {p.refused}", file=sys.stderr)
    if args.diff:
        for p in changed:
            sys.stdout.write(fix.diff(p))
    if not args.fix:
        return 1 if changed else 0
    failures = 0
    applied = 0
    for p in changed:
        try:
            fix.write(p)
        except fix.FixError as exc:
            failures += 1
            print(f"checker: {p.document.source}: {exc}", file=sys.stderr)
            continue
        for f in p.findings:
            f.fixed = True
            applied += 1
    print(f"checker: 已修正 {applied} 处，涉及 {len(changed) - failures} 个文件", file=sys.stderr)
    if failures:
        return 2
    if args.diff:
        return 0
    return None


def cmd_rules(args) -> int:
    import json

    book = _load_book(args)
    if args.format == "json":
        data = [{
            "id": r.id, "pack": r.pack.id, "kind": r.spec.kind, "category": r.category, "severity": r.severity,
            "title": r.spec.title, "citation": r.spec.citation.short(), "source": r.source,
        } for r in book.rules]
        print(json.dumps({"rules_version": book.version, "rules_digest": book.digest, "rules": data},
                         ensure_ascii=False, indent=2))
        return 0
    from rich.table import Table

    console = _console(args)
    table = Table(title=f"规则目录 {book.version}", title_justify="left", header_style="bold")
    for name in ("id", "类别", "级别", "标题", "依据"):
        table.add_column(name, overflow="fold")
    for r in book.rules:
        table.add_row(r.id, r.category, r.severity, r.spec.title, r.spec.citation.short())
    console.print(table)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    try:
        if args.command in ("check", "subsidy", "approvals", "lint"):
            return cmd_records(args, args.command)
        if args.command == "rules":
            return cmd_rules(args)
    except CheckerError as exc:
        print(f"checker: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("checker: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug must still not spill a traceback on users
        if os.environ.get("CHECKER_DEBUG"):
            raise
        print(f"checker: 内部错误 {type(exc).__name__}: {exc}（设置 CHECKER_DEBUG=1 可查看详细信息，请报告此问题）",
              file=sys.stderr)
        return 3
    return 2
