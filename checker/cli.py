"""Command line: check, subsidy, approvals, lint, explain, rules, test-rules.

Exit codes: 0 nothing at or above the failure threshold, 1 findings at or
above it, 2 usage, input, configuration or rule-file errors (one line each on
stderr, no traceback), 3 an internal or engine failure.
Options given on the command line win over the configuration file.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from datetime import date
from pathlib import Path

from checker import __version__
from checker.core.errors import CheckerError
from checker.core.plain import plain
from checker.core.severity import SEVERITY_RANK
from checker.run.domain import Command

FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "json", "sarif", "junit", "html")


class _Help(argparse.HelpFormatter):
    """argparse's formatter, measuring the terminal only when help or usage is written: argparse makes one for
    every `add_argument` (to check its metavar), and measuring imports shutil (with bz2 and lzma: 2 ms a start)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        self._measure = width is None
        self._position_asked = max_help_position
        super().__init__(prog, indent_increment, max_help_position, 80 if width is None else width)

    def format_help(self) -> str:
        if self._measure:  # what argparse does when no width is given
            import shutil

            self._width = shutil.get_terminal_size().columns - 2
            self._max_help_position = min(self._position_asked, max(self._width - 20, self._indent_increment * 2))
        return super().format_help()


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # usage errors: one line, exit 2
        self.exit(2, f"checker: 用法错误：{message}（checker --help 查看用法）\n")


def _as_of(text: str) -> date:
    from checker.core.values import parse_date

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


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


CHECK = Command("check", "对所有记录和公文运行全部规则包", title="checker check", label="检查")


def _domain_options():
    from checker.run.domain import installed

    return [option for domain in installed() for option in domain.options]


def _tools():
    from checker.run.domain import installed

    return [tool for domain in installed() for tool in domain.tools]


def _add_domain_options(p: argparse.ArgumentParser, command: str) -> None:
    for option in _domain_options():
        if command in option.commands:
            p.add_argument(
                option.flag, dest=option.dest, action="append", default=[], metavar=option.metavar, help=option.help
            )


def _command_names() -> set[str]:
    return {*record_commands(), "explain", "rules", "test-rules", *(tool.name for tool in _tools())}


def record_commands() -> dict[str, Command]:
    """`check`, then every installed domain's commands, by name."""
    from checker.run.domain import installed

    commands = {CHECK.name: CHECK}
    for domain in installed():
        commands.update((c.name, c) for c in domain.commands)
    return commands


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `only` (a command's name), that command's subparser alone: building all eleven
    was a twentieth of a one-notice lint, and a run names its command first."""

    def wanted(name: str) -> bool:
        return only is None or name == only

    parser = _Parser(prog="checker", description="新野县住建局规则检查工具：补贴资格、审批时限、公文格式。")
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    # prog given: argparse would otherwise format the usage (and measure the terminal) to find it
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, prog="checker")

    def rules_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--rules", action="append", default=[], metavar="DIR", help="追加规则包目录（可多次）")
        p.add_argument(
            "--config", metavar="FILE", help="配置文件（默认从当前目录向上查找 checker.toml 或 pyproject.toml）"
        )
        p.add_argument("--no-config", action="store_true", help="不读取配置文件")
        p.add_argument("--no-color", action="store_true", help="不使用颜色（也可设 NO_COLOR）")

    def common(p: argparse.ArgumentParser, fail_on: bool = True) -> None:
        p.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="文件或目录（.yaml .json .jsonl .csv .xlsx .txt .md .docx .pdf .ofd，.doc .wps 需 LibreOffice；"
            "- 为标准输入，按内容识别类型）",
        )
        p.add_argument(
            "--stdin-filename",
            metavar="NAME",
            help="标准输入的文件名：按其扩展名确定类型，报告中以此名称呈现（不给 PATH 时读标准输入）",
        )
        p.add_argument(
            "--strict-inputs",
            action="store_true",
            help="目录中有本命令不检查的文件类型时作为输入错误（退出码 2；默认只列为提示）",
        )
        p.add_argument("--format", choices=FORMATS, default="text", help="输出格式（默认 text）")
        p.add_argument("--as-of", type=_as_of, default=None, metavar="DATE", help="基准日（默认今天）")
        p.add_argument(
            "--engine",
            choices=("durable", "python"),
            default="durable",
            help="规则求值器（默认 durable-rules；python 为内置求值器）",
        )
        p.add_argument("--output", metavar="FILE", help="把报告写入文件而不是标准输出（原子写入）")
        p.add_argument(
            "--jobs",
            type=_positive,
            default=None,
            metavar="N",
            help="用 N 个进程并行检查（文件或大台账的分段；结果与单进程相同）",
        )
        p.add_argument(
            "--select",
            type=_ids,
            action="extend",
            default=None,
            metavar="IDS",
            help="只报告这些规则（规则编号、类别或以 * 结尾的前缀，逗号分隔）",
        )
        p.add_argument(
            "--ignore",
            type=_ids,
            action="extend",
            default=None,
            metavar="IDS",
            help="不报告这些规则（规则编号、类别或以 * 结尾的前缀）",
        )
        p.add_argument("--waivers", metavar="FILE", help="豁免文件（默认配置文件旁或当前目录的 checker-waivers.yaml）")
        p.add_argument(
            "--quiet",
            "-q",
            action="store_true",
            help="不输出页眉、逐项说明和进度条（公文与 check 只列发现；补贴与审批保留表格和汇总）",
        )
        p.add_argument("--summary", action="store_true", help="只输出汇总")
        if fail_on:
            p.add_argument(
                "--fail-on", choices=FAIL_ON, default=None, help="达到此严重级别的发现即以退出码 1 结束（默认 error）"
            )
        rules_options(p)

    for command in record_commands().values():
        if not wanted(command.name):
            continue
        p = sub.add_parser(command.name, help=command.help)
        common(p, fail_on=command.fail_on)
        _add_domain_options(p, command.name)
        if command.report != "findings":
            p.add_argument(
                "--explain",
                action="store_true",
                help="列出每条记录的逐项说明（默认只列需要说明的记录，如不符合、需人工确认）；"
                "JSON 中写出各档的完整条件树",
            )
        elif command.sections is None:  # `check`: its JSON holds every section's outcomes
            p.add_argument(
                "--explain", action="store_true", help="JSON 中写出各项目各档的完整条件树（默认只写决定性理由）"
            )
        if command.fixes:
            p.add_argument("--fix", action="store_true", help="把可安全修正的问题直接改在 .txt/.md 文件里（原子写入）")
            p.add_argument("--diff", action="store_true", help="显示 --fix 将做的修改（不写文件，除非同时给出 --fix）")
        if _annotates(command):
            p.add_argument(
                "--annotate",
                metavar="OUT",
                help="把发现写成 Word 批注，存为 .docx 的副本（原文件不改；一个 .docx 输入时 OUT 可为 .docx 文件名，"
                "否则为目录，写入 OUT/原文件名；已豁免的发现不写）",
            )

    if wanted("explain"):
        explain = sub.add_parser("explain", help="逐条记录说明某条规则为何触发或未触发（触发的记录在前）")
        explain.add_argument("rule_id", metavar="RULE_ID", help="规则编号（不区分大小写；checker rules 查看规则目录）")
        explain.add_argument("paths", nargs="+", metavar="PATH", help="文件或目录（- 为标准输入）")
        explain.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
        explain.add_argument("--as-of", type=_as_of, default=None, metavar="DATE", help="基准日（默认今天）")
        explain.add_argument(
            "--engine",
            choices=("durable", "python"),
            default="durable",
            help="规则求值器（默认 durable-rules；两种求值器结果不一致时以退出码 3 结束）",
        )
        explain.add_argument("--fired", action="store_true", help="只列出规则触发的记录")
        rules_options(explain)
        _add_domain_options(explain, "explain")
    for tool in _tools():
        if wanted(tool.name):
            tool.configure(sub.add_parser(tool.name, help=tool.help))

    if wanted("rules"):
        rules = sub.add_parser("rules", help="规则目录；rules show ID 显示一条规则的完整说明")
        rules.add_argument(
            "action", nargs="?", choices=("list", "show"), default="list", help="list 列出规则（默认）；show 显示一条"
        )
        rules.add_argument("rule_id", nargs="?", metavar="RULE_ID", help="rules show 的规则编号")
        rules.add_argument(
            "--format",
            choices=("text", "json", "markdown"),
            default="text",
            help="输出格式（默认 text；markdown 为规则文档）",
        )
        rules_options(rules)

    if wanted("test-rules"):
        test_rules = sub.add_parser("test-rules", help="用每条规则自带的示例在两种求值器上测试规则包")
        test_rules.add_argument("rule_dirs", nargs="*", metavar="RULE_DIR", help="规则包目录（默认内置规则）")
        test_rules.add_argument("--no-color", action="store_true", help="不使用颜色（也可设 NO_COLOR）")
    return parser


# ------------------------------------------------------------------ settings


@plain
class Settings:
    """Configuration file and command line merged (the command line wins)."""

    config: object
    as_of: date
    fail_on: str
    select: list[str]
    ignore: list[str]
    rule_dirs: list[Path]
    jobs: int
    waivers: Path | None
    organization: dict | None
    domain_options: dict  # the domains' Options' values, by dest (configuration first, then the command line)


def _settings(args) -> Settings:
    from checker.config import find_config, load_config

    path = None
    if getattr(args, "config", None):
        path = Path(args.config)
    elif not getattr(args, "no_config", False):
        path = find_config()
    config = load_config(path)
    if config.limits is not None:
        _apply_limits(config.limits)
    rule_dirs = [config.path(d) for d in config.rules] + [Path(d) for d in getattr(args, "rules", [])]
    waivers = None
    if getattr(args, "waivers", None):
        waivers = Path(args.waivers)
        if not waivers.is_file():
            from checker.config import ConfigError

            what = "豁免文件应为普通文件（不是目录、设备或管道）" if waivers.exists() else "豁免文件不存在"
            raise ConfigError(what, str(waivers))
    elif config.waivers:
        waivers = config.path(config.waivers)
    else:
        for folder in ([config.base] if config.base else []) + [Path.cwd()]:
            if (folder / "checker-waivers.yaml").is_file():
                waivers = folder / "checker-waivers.yaml"
                break
    organization = config.organization.model_dump() if config.organization else None
    domain_options: dict = {}
    for option in _domain_options():
        values = [config.path(v) for v in (getattr(config, option.config_key, None) or [])] if option.config_key else []
        values += [Path(v) for v in (getattr(args, option.dest, None) or [])]
        domain_options[option.dest] = values
    return Settings(
        config=config,
        as_of=getattr(args, "as_of", None) or config.as_of or date.today(),
        fail_on=getattr(args, "fail_on", None) or config.fail_on or "error",
        select=getattr(args, "select", None) if getattr(args, "select", None) is not None else config.select,
        ignore=getattr(args, "ignore", None) if getattr(args, "ignore", None) is not None else config.ignore,
        rule_dirs=rule_dirs,
        jobs=_capped_jobs(getattr(args, "jobs", None), config.jobs),
        waivers=waivers,
        organization=organization,
        domain_options=domain_options,
    )


def _capped_jobs(asked: int | None, configured: int | None) -> int:
    """More processes than CPUs only thrash: a configured `jobs` is capped at the CPU count (a shared
    configuration must not start 64 processes on a 2-core laptop), one asked for on the command line is
    honoured; either way beyond the CPU count it says so."""
    cpus = os.cpu_count() or 1
    if asked:
        if asked > cpus:
            print(
                f"checker: --jobs {asked} 超过本机 CPU 数 {cpus}（按要求启动 {asked} 个进程，通常不会更快）",
                file=sys.stderr,
            )
        return asked
    jobs = configured or 1
    if jobs > cpus:
        print(f"checker: 配置的 jobs = {jobs} 超过本机 CPU 数 {cpus}，按 {cpus} 个进程运行", file=sys.stderr)
        return cpus
    return jobs


def _apply_limits(limits) -> None:
    """Only the limits the configuration gives; the others stay as they are."""
    from checker.core import limits as limits_module

    current = limits_module.get_limits()
    changes = {k: v for k, v in limits.model_dump().items() if v is not None and hasattr(current, k)}
    if changes:
        from checker.core.plain import replace

        limits_module.set_limits(replace(current, **changes))


def _load_book(settings: Settings):
    from checker.config import settings_overrides
    from checker.rules.loader import load_rulebook, shipped_pack_dirs

    source = settings.config.source or "配置"
    return load_rulebook(
        [*shipped_pack_dirs(), *settings.rule_dirs],
        overrides=settings_overrides(settings.config),
        overrides_source=source,
    )


def _console(args, stream=None):
    """A terminal wraps at its width; a pipe or a file is never wrapped (report.text.Out writes it plain)."""
    from rich.console import Console

    no_color = _no_color(args)
    stream = stream or sys.stdout
    tty = stream.isatty()
    return Console(
        file=stream,
        no_color=no_color,
        highlight=False,
        width=None if tty else 100_000,
        soft_wrap=not tty,
        force_terminal=None if not no_color else False,
    )


def _no_color(args) -> bool:
    return getattr(args, "no_color", False) or "NO_COLOR" in os.environ


def _styled(args) -> bool:
    """Whether rich would style output that is not a terminal's: TTY_COMPATIBLE=1 or FORCE_COLOR ask for it
    (rich's own reading of them, without importing rich to find out)."""
    if _no_color(args):
        return False
    forced = os.environ.get("TTY_COMPATIBLE", "")
    if forced in ("0", "1"):
        return forced == "1"
    if os.environ.get("FORCE_COLOR") is not None:
        return os.environ["FORCE_COLOR"] != ""
    return False


def _out(args, stream=None):
    """The text report's writer: plain text to a pipe or a file without building a rich console (or importing
    rich's console at all); a terminal, or a pipe asked to be styled, gets rich."""
    from checker.report.text import Out, PlainConsole

    stream = stream or sys.stdout
    try:
        tty = stream.isatty()
    except ValueError:  # closed
        tty = False
    if not tty and not _styled(args):
        return Out(PlainConsole(stream), terminal=False)
    return Out(_console(args, stream))


def _emit(args, text_writer, inputs=()) -> None:
    """Stream the report to stdout, or to --output (checker.core.output: atomic for files, never over an input)."""
    if not getattr(args, "output", None):
        try:
            text_writer(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk, a closed stdout: the verdict stands, the report is lost — say so
            from checker.core.errors import CheckerInputError, Location

            raise CheckerInputError(
                f"无法写出报告：{exc.strerror or exc}", Location("<stdout>"), "OUTPUT-FILE"
            ) from None
        return
    from checker.core.output import write_output

    write_output(args.output, text_writer, inputs)


class _Progress:
    """A progress bar on stderr, only when stderr is a terminal (never in pipes, files or CI logs), counted in
    records: one large ledger moves it too."""

    STEP = 256  # records between redraw requests (rich redraws on its own clock; this keeps the calls cheap)

    def __init__(self):
        self._progress = None
        self._task = None
        self._count = 0
        self._shown = 0

    def start(self, total: int) -> None:
        if total < 2:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("检查中"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("条记录"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("check", total=total)

    def tick(self) -> None:
        self._count += 1
        if self._count - self._shown >= self.STEP:
            self._show()

    def advance(self, records: int) -> None:
        self._count += records
        self._show()

    def reach(self, count: int) -> None:
        """A file is done: the bar stands at the estimate through it, whatever the estimate missed."""
        self._count = max(self._count, count)
        self._show()

    def _show(self) -> None:
        self._shown = self._count
        if self._progress is not None:
            self._progress.update(self._task, completed=self._count)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()


# ------------------------------------------------------------------ commands


def _categories(command: Command, book) -> set[str] | None:
    """The finding categories a command evaluates: all, none, or those of its own domain's packs."""
    if command.categories == "all":
        return None
    if command.categories == "none":
        return set()
    from checker.run.domain import installed

    own = next(d for d in installed() if command in d.commands)
    dirs = {Path(d).resolve() for d in own.pack_dirs()}
    return {
        rule.category for pack in book.packs if Path(pack.directory).resolve().parent in dirs for rule in pack.rules
    }


def _annotates(command: Command) -> bool:
    """Whether a command takes --annotate: it reports findings, and .docx files are among its inputs."""
    return command.report == "findings" and (command.input_suffixes is None or ".docx" in command.input_suffixes)


def _check_paths(args) -> None:
    """PATH is required unless --stdin-filename says standard input is the input (as ruff has it)."""
    if not args.paths:
        if args.stdin_filename is None:
            raise _UsageError("缺少 PATH（文件或目录；- 为标准输入）")
        args.paths = ["-"]
    elif args.stdin_filename is not None and "-" not in args.paths:
        raise _UsageError("--stdin-filename 只用于标准输入：请在 PATH 中写 -")


def _check_annotate(args) -> None:
    """--annotate writes into copies of .docx files: standard input or a .txt/.md file named is a usage error
    (records and ledgers beside the .docx files are checked as usual)."""
    from checker.inputs.documents import TEXT_SUFFIXES

    for path in args.paths:
        if path == "-" or (Path(path).suffix.lower() in TEXT_SUFFIXES and not Path(path).is_dir()):
            shown = "标准输入" if path == "-" else path
            raise _UsageError(f"--annotate 只用于 .docx 文件，{shown} 不是（.txt/.md 可用 --fix 直接修改）")


def _annotate(args, result) -> int:
    """Write the annotated copies (before --fix rewrites any text file); the number that could not be written."""
    from checker.core.errors import CheckerInputError
    from checker.report.annotate import annotate, targets

    try:
        pairs = targets(result.files, args.annotate)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    by_source: dict[str, list] = {}
    for finding in result.findings:
        by_source.setdefault(finding.source, []).append(finding)
    failures = 0
    for source, target in pairs:
        try:
            count = annotate(source, by_source.get(source, []), target)
        except CheckerInputError as exc:
            failures += 1
            print(f"checker: {exc.one_line()}", file=sys.stderr)
            continue
        print(f"checker: 已写入批注 {count} 条：{target}", file=sys.stderr)
    return failures


def cmd_records(args, command: Command) -> int:
    from checker.engine import make_evaluator
    from checker.run.pipeline import run

    _check_paths(args)
    if getattr(args, "annotate", None):
        _check_annotate(args)
    settings = _settings(args)
    book = _load_book(settings)
    _check_selection(args, settings, book)
    # with several jobs each process builds its own engine; the parent builds one only if it needs it
    kinds = set(command.kinds) if command.kinds is not None else None
    evaluator = make_evaluator(book, args.engine, kinds) if settings.jobs == 1 else None
    _start_collecting()
    fixing = command.fixes and (args.fix or args.diff)
    # a JSON report on a long ledger takes its findings from disk; --fix and --annotate need them all at hand
    spill_findings = args.format == "json" and not fixing and not getattr(args, "annotate", None)

    def check(progress):
        settlement = _settlement(settings, _categories(command, book))
        try:
            checked = run(
                args.paths,
                book,
                evaluator,
                settings.as_of,
                categories=_categories(command, book),
                sections=set(command.sections) if command.sections is not None else None,
                kinds=kinds,
                jobs=settings.jobs,
                engine=args.engine,
                keep_documents=fixing,
                progress=progress,
                organization=settings.organization,
                spill=(args.format == "json"),
                settlement=settlement if spill_findings else None,
                track_checked=(args.format == "junit"),
                suffixes=set(command.input_suffixes) if command.input_suffixes is not None else None,
                domain_options=settings.domain_options,
                explain=getattr(args, "explain", False),
                stdin_filename=args.stdin_filename,
                strict_inputs=args.strict_inputs,
            )
        finally:
            if progress is not None:
                progress.stop()
        checked.command = command.label
        checked.fixing = bool(getattr(args, "fix", False))
        settlement.finish(checked)
        return checked

    result = check(_Progress() if sys.stderr.isatty() and not args.quiet else None)
    for line in result.errors:
        print(f"checker: 输入错误 {line}", file=sys.stderr)
    unannotated = _annotate(args, result) if getattr(args, "annotate", None) else 0
    if fixing:
        outcome, applied, files_fixed, failures = _fix(args, result)
        if not args.fix:
            return 2 if unannotated else outcome
        # Report the files as they are now: remaining findings at their new positions, with the fixed ones
        # (which point into the text as it was) kept for the counts of the JSON and HTML reports.  Fixes that
        # overlapped one another are applied on the next pass, as ruff does, so one --fix leaves nothing a
        # second --fix would change (a bounded number of passes: a fix that undoes another cannot loop).
        fixed: list = []
        this_pass, passes = applied, 1
        while this_pass and not failures:
            fixed += [f for f in result.findings if f.fixed]
            result = check(None)
            if passes == FIX_PASSES:
                break
            _, this_pass, more_files, failures = _fix(args, result, again=True)
            applied, files_fixed, passes = applied + this_pass, files_fixed | more_files, passes + 1
        result.findings = fixed + [f for f in result.findings if not f.fixed]
        result.sort()
        remaining = sum(1 for f in result.findings if f.counts)
        print(f"checker: 已修正 {applied} 处（{len(files_fixed)} 个文件），剩余 {remaining} 处", file=sys.stderr)
        if failures:
            return 2
        if args.diff:
            return 0
    try:
        _emit(args, lambda stream: _render(args, command, result, stream), result.files)
    except BrokenPipeError:  # `checker … | head`: the reader has gone, the verdict still stands
        _silence_stdout()
    if result.errors or unannotated:
        return 2
    if command.fail_on and settings.fail_on != "never":
        threshold = SEVERITY_RANK[settings.fail_on]
        if result.fails_at(threshold):
            return 1
    return 0


def _check_selection(args, settings: Settings, book) -> None:
    """--select/--ignore (and the configuration's) name known rules, codes, categories or prefixes: a typo is a
    usage error naming the closest known name, never a run that selects nothing."""
    from checker.run.findings import category_titles, machine_codes
    from checker.run.select import canonical

    ids = {r.id for r in book.rules} | set(machine_codes())
    categories = set(category_titles(book))
    for key in ("select", "ignore"):
        patterns = getattr(settings, key)
        fixed, unknown = canonical(patterns, ids, categories)
        if unknown:
            raw, close = unknown[0]
            from_cli = getattr(args, key, None) is not None
            where = f"--{key}" if from_cli else f"配置文件 {settings.config.source} 的 {key}"
            hint = f"（最接近的是 {close}）" if close else "（checker rules 列出全部规则和类别）"
            message = f"{where} 中的“{raw}”不是已知的规则、类别或前缀{hint}"
            if from_cli:
                raise _UsageError(message)
            from checker.config import ConfigError

            raise ConfigError(message, str(settings.config.source))
        setattr(settings, key, fixed)


class _UsageError(CheckerError):
    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def one_line(self) -> str:
        return f"用法错误：{self.message}（checker --help 查看用法）"


def _silence_stdout() -> None:
    """After the reader of a pipe has gone: nothing more to write (and no "Broken pipe" at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _settlement(settings: Settings, categories: set[str] | None):
    """This run's selection and waivers (run.settle), applied as the run goes or at its end."""
    from checker.run.settle import Settlement

    return Settlement(settings.select, settings.ignore, settings.waivers, settings.as_of, categories)


def _render(args, command: Command, result, stream) -> None:
    if getattr(args, "fix", False) and args.format == "text":
        result.findings = [f for f in result.findings if not f.fixed]  # after --fix: what is left to do
    if args.format == "json":
        from checker.report import json_report

        json_report.write(result, stream)
    elif args.format in ("sarif", "junit", "html"):
        import importlib

        module = importlib.import_module(f".report.{args.format}", __package__)
        stream.write(module.render(result) + "\n")
    else:
        from checker.report import text

        out = _out(args, stream)
        if command.report == "findings":
            if args.quiet and not args.summary:
                text.render_findings(out, result.findings)
            else:
                text.render_check(out, result, command.title or f"checker {command.name}", summary_only=args.summary)
        else:
            text.render_section(
                out,
                result,
                command,
                explain=getattr(args, "explain", False),
                quiet=args.quiet,
                summary_only=args.summary,
            )
        out.close()


FIX_PASSES = 4  # --fix passes at most (each applies the fixes the previous one's overlaps held back)


def _fix(args, result, again: bool = False) -> tuple[int, int, set[str], int]:
    """Show (--diff) and/or apply (--fix) the safe replacements: (exit code of a --diff alone, findings fixed,
    files rewritten, files that could not be written).  `again`: a later pass of --fix (no diff, no refusals
    repeated)."""
    from checker.run import fix

    plans = fix.plan(result.documents, [f for f in result.findings if f.counts], writing=args.fix)
    changed = [p for p in plans if p.refused is None and p.new_text != p.old_text]
    for p in plans:
        if p.refused and not again:
            print(f"checker: {p.document.source}: {p.refused}", file=sys.stderr)
    if args.diff and not again:
        for p in changed:
            sys.stdout.write(fix.diff(p))
    if not args.fix:
        return (1 if changed else 0), 0, set(), 0
    failures = sum(1 for p in plans if p.failed)  # changed, removed or a link since the check: exit 2
    applied = 0
    written: set[str] = set()
    for p in changed:
        try:
            fix.write(p)
        except fix.FixError as exc:
            failures += 1
            print(f"checker: {p.document.source}: {exc}", file=sys.stderr)
            continue
        written.add(p.document.source)
        for f in p.covered:
            f.fixed = True
            applied += 1
    return 0, applied, written, failures


def cmd_rules(args) -> int:
    import json

    from checker.report.docs import catalogue_markdown, rule_markdown

    book = _load_book(_settings(args))
    if args.action == "show":
        if not args.rule_id:
            raise CheckerError("rules show 需要规则编号，例如 checker rules show DOC-ISSUER-SELF")
        rule = book.rule(args.rule_id)
        if rule is None:
            raise CheckerError(f"没有规则 {args.rule_id}（checker rules 查看规则目录）")
        sys.stdout.write(rule_markdown(rule))
        return 0
    if args.format == "markdown":
        sys.stdout.write(catalogue_markdown(book))
        return 0
    if args.format == "json":
        data = [
            {
                "id": r.id,
                "pack": r.pack.id,
                "kind": r.spec.kind,
                "applies_to": r.kind,
                "category": r.category,
                "severity": r.severity,
                "title": r.spec.title,
                "citation": r.citation_objects[0],
                "citations": list(r.citation_objects),
                "interpretation": [" ".join(n.split()) for n in (*r.pack.spec.interpretation, *r.spec.interpretation)],
                "fixable": r.spec.fixable,
                "source": r.source,
            }
            for r in book.rules
        ]
        print(
            json.dumps(
                {
                    "checker_version": __version__,
                    "rules_version": book.version,
                    "rules_digest": book.digest,
                    "rules": data,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    from rich.table import Table

    console = _console(args)
    table = Table(
        title=f"规则目录（{len(book.packs)} 个规则包、{len(book.rules)} 条规则，{book.digest[:12]}）",
        title_justify="left",
        header_style="bold",
    )
    for name in ("id", "类别", "级别", "标题", "依据"):
        table.add_column(name, overflow="fold")
    for r in book.rules:
        table.add_row(r.id, r.category, r.severity, r.spec.title, r.citation_short)
    console.print(table)
    return 0


def cmd_explain(args) -> int:
    import json

    from checker.engine import make_evaluator
    from checker.report import text
    from checker.rules.conditions import explain
    from checker.run.explain import iter_subjects
    from checker.run.process import start_domains

    settings = _settings(args)
    book = _load_book(settings)
    rule = book.rule(args.rule_id) or book.rule(args.rule_id.upper())
    if rule is None:
        import difflib

        close = difflib.get_close_matches(args.rule_id.upper(), [r.id for r in book.rules], n=1)
        hint = f"，是否要找 {close[0]}？" if close else ""
        raise _UsageError(f"没有规则 {args.rule_id}{hint}（checker rules 查看规则目录）")
    evaluator = make_evaluator(book, args.engine)
    _start_collecting()
    start_domains(book, settings.domain_options)  # the run's state (the working-day calendar) as check sets it
    rows = []
    for subject, fact in iter_subjects(args.paths, rule.kind, settings.as_of, settings.organization):
        check = explain(rule.condition, fact)
        fired = rule.id in evaluator.fired(rule.pack, fact, rule.kind)
        rows.append((subject, fact, check, fired))
    rows.sort(key=lambda row: not row[3])  # where the rule fired first, then input order (the sort is stable)
    if args.fired:
        rows = [row for row in rows if row[3]]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "rule_id": rule.id,
                    "as_of": settings.as_of.isoformat(),
                    "engine": evaluator.name,
                    "subjects": [
                        {
                            "source": s.source,
                            "record_id": s.id,
                            "line": s.line,
                            "column": getattr(s, "column", None),
                            "fired": fired,
                            "engines_agree": fired == check.passed,
                            "check": check.to_json(),
                        }
                        for s, _, check, fired in rows
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        out = _out(args)
        text.render_explain(out, rule, rows, settings.as_of, evaluator.name)
        out.close()
    if any(fired != check.passed for _, _, check, fired in rows):
        print("checker: 内部错误：durable-rules 与 Python 求值结果不一致（请报告此问题）", file=sys.stderr)
        return 3
    return 0


class _App:
    """What the command line offers a domain's own subcommand (run.domain.Tool)."""

    settings = staticmethod(lambda args: _settings(args))
    console = staticmethod(lambda args, stream=None: _console(args, stream))
    emit = staticmethod(lambda args, writer, inputs=(): _emit(args, writer, inputs))


def cmd_test_rules(args) -> int:
    from checker.engine.durable import DurableEvaluator
    from checker.engine.python import PythonEvaluator
    from checker.rules.examples import check_example, examples
    from checker.rules.loader import load_rulebook, shipped_pack_dirs

    dirs = [Path(d) for d in args.rule_dirs] or shipped_pack_dirs()
    book = load_rulebook(dirs, check_examples=False)
    evaluators = [PythonEvaluator(book)]
    try:
        evaluators.append(DurableEvaluator(book))
    except ImportError as exc:
        print(f"checker: 无法导入 durable-rules（{exc}），只用 Python 求值器测试", file=sys.stderr)
    console = _console(args)
    failed = 0
    for rule in book.rules:
        problems: list[str] = []
        cases = examples(rule)
        for example in cases:
            for evaluator in evaluators:
                found = check_example(rule, example, lambda r, fact, e=evaluator: r.id in e.fired(r.pack, fact, r.kind))
                if found and found[0].startswith("不是有效记录"):
                    problems.append(f"{example.tag} {found[0]}")
                    break
                problems.extend(f"{example.tag} {text}（{evaluator.name}）" for text in found)
        engines = "、".join(e.name for e in evaluators)
        if problems:
            failed += 1
            console.print(f"[red]FAIL[/red] {rule.id}  {'；'.join(problems)}  ({rule.source})")
        else:
            console.print(f"[green]PASS[/green] {rule.id}  {len(cases)} 个示例（{engines}）")
    console.print(f"{len(book.rules) - failed} passed, {failed} failed")
    return 1 if failed else 0


_collect_after_start = True


def _start_collecting() -> None:
    """Start-up is over: what it built lives until the end (`gc.freeze` keeps collections from walking it)."""
    if _collect_after_start and not gc.isenabled():
        gc.freeze()
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    """The command line; the cyclic collector waits until the rules are loaded: start-up builds only
    long-lived objects, and the collections they set off were a tenth of a one-notice lint."""
    global _collect_after_start
    _collect_after_start = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if _collect_after_start:
            gc.unfreeze()  # a caller in the same process (the tests) gets its objects collected again
            gc.enable()


def command() -> int:
    """The `checker` command: `main`, then what is left in memory is frozen, so that the interpreter's last
    collection at exit does not walk it (that walk was a fifth of a one-notice lint)."""
    code = main()
    gc.freeze()
    return code


def _main(argv: list[str] | None) -> int:
    from checker.domains import install

    _stand_in_for_closed_streams()
    install()
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(words[0] if words and words[0] in _command_names() else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    commands = {name: (lambda a, c=command: cmd_records(a, c)) for name, command in record_commands().items()}
    commands.update({"rules": cmd_rules, "explain": cmd_explain, "test-rules": cmd_test_rules})
    commands.update((tool.name, lambda a, t=tool: t.run(a, _App())) for tool in _tools())
    previous = _stop_on_signals()
    try:
        return commands[args.command](args)
    except CheckerError as exc:
        print(f"checker: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except _Stopped as exc:
        print(f"checker: 已中断（收到 {exc.name}）", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("checker: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:
        if os.environ.get("CHECKER_DEBUG"):
            raise
        print(
            f"checker: 内部错误 {type(exc).__name__}: {exc}（设置 CHECKER_DEBUG=1 可查看详细信息，请报告此问题）",
            file=sys.stderr,
        )
        return 3
    finally:
        _restore_signals(previous)


class _ClosedStream:
    """Stands in for a standard stream the shell closed (`>&-`, `<&-`): Python leaves None there.

    Reading or writing raises OSError, which the readers and the report writer turn into one-line errors (exit 2);
    flushing does nothing, so the interpreter's exit is quiet.
    """

    encoding = "utf-8"

    def __init__(self, name: str):
        self.name = name

    @property
    def buffer(self) -> _ClosedStream:
        return self

    def _closed(self, *args, **kwargs):
        import errno

        raise OSError(errno.EBADF, f"{self.name}已关闭")

    read = readline = write = fileno = _closed

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _stand_in_for_closed_streams() -> None:
    if sys.stdin is None:
        sys.stdin = _ClosedStream("标准输入")
    if sys.stdout is None:
        sys.stdout = _ClosedStream("标准输出")
    if sys.stderr is None:  # messages have nowhere to go; the exit code still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: unwound like Ctrl-C, so workers are stopped and temporary files removed."""

    def __init__(self, signum: int):
        import signal

        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


def _raise_stopped(signum, frame):
    raise _Stopped(signum)


def _stop_on_signals() -> dict:
    """Handlers that turn SIGTERM/SIGHUP into `_Stopped` (main thread only); the previous ones, to restore."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            previous[number] = signal.signal(number, _raise_stopped)
    return previous


def _restore_signals(previous: dict) -> None:
    import signal

    for number, handler in previous.items():
        signal.signal(number, handler)
