"""`checker calendar import NOTICE` and `checker calendar show YEAR`: the yearly routine of the working-day calendar.

checker calendar import 通知.txt --output calendars/2027.yaml   # read the State Council's notice
checker calendar show 2027 --calendar calendars/2027.yaml       # look at it, month by month
calendars = ["calendars/2027.yaml"]                             # add it to the configuration
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from checker.core.errors import CheckerError


def configure(parser) -> None:
    actions = parser.add_subparsers(
        dest="action", required=True, parser_class=type(parser), help="import 读取通知生成日历文件；show 显示一年的日历"
    )
    imported = actions.add_parser(
        "import", help="读取国务院办公厅节假日安排通知（.txt .md .docx 或 - 标准输入），输出日历文件"
    )
    imported.add_argument("notice", metavar="NOTICE", help="节假日安排通知文件（- 为标准输入）")
    imported.add_argument("--output", metavar="FILE", help="写入日历文件而不是输出到标准输出（原子写入）")
    shown = actions.add_parser("show", help="按月显示一年的工作日日历（法定节假日、调休上班日、周末）")
    shown.add_argument("year", type=int, metavar="YEAR", help="年份，如 2027")
    shown.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    shown.add_argument("--calendar", action="append", default=[], metavar="FILE", help="日历文件（可多次）")
    for sub in (imported, shown):
        sub.add_argument("--config", metavar="FILE", help="配置文件")
        sub.add_argument("--no-config", action="store_true", help="不读取配置文件")
        sub.add_argument("--no-color", action="store_true", help="不使用颜色")


def run(args, app) -> int:
    return _import(args, app) if args.action == "import" else _show(args, app)


def _import(args, app) -> int:
    from checker.domains.approvals.notice import import_notice, to_yaml
    from checker.inputs.documents import read_text_input

    source, text = read_text_input(args.notice)
    calendar = import_notice(text, source)
    yaml_text = to_yaml(calendar)
    app.emit(args, lambda stream: stream.write(yaml_text), [args.notice])
    if getattr(args, "output", None):
        print(
            f"checker: 已写入 {args.output}（{calendar.year} 年，{len(calendar.holidays)} 个假期、"
            f"{len(calendar.makeup)} 个调休上班日）",
            file=sys.stderr,
        )
    return 0


def year_view(calendar, year: int) -> dict:
    """{year, source, holidays: [every date inside a holiday range], makeup_workdays: [dates]} of a known year."""
    from checker.domains.approvals.calendars import package_year

    if not calendar.knows(year):
        first, last = min(calendar.years()), max(calendar.years())
        raise CheckerError(
            f"日历中没有 {year} 年（已知 {first}–{last} 年）：请用 checker calendar import 导入该年的通知"
        )
    year_file = calendar.files.get(year) or package_year(year)
    holidays = [d for d in year_file.holiday_dates()]
    return {
        "year": year,
        "source": calendar.source(year).label,
        "holidays": [d.isoformat() for d in holidays],
        "makeup_workdays": [d.isoformat() for d in year_file.makeup_dates()],
    }


def _show(args, app) -> int:
    from checker.domains.approvals.calendars import build

    settings = app.settings(args)
    files = [*settings.domain_options.get("calendars", []), *[Path(p) for p in args.calendar]]
    calendar = build(files)
    view = year_view(calendar, args.year)
    if args.format == "json":
        print(json.dumps(view, ensure_ascii=False, indent=2))
        return 0
    _grid(app.console(args), calendar, args.year, view)
    return 0


def _grid(console, calendar, year: int, view: dict) -> None:
    from rich.columns import Columns
    from rich.table import Table
    from rich.text import Text

    holidays = set(view["holidays"])
    makeup = set(view["makeup_workdays"])
    console.print(Text(f"{year} 年工作日日历 · 依据 {view['source']}", style="bold"))
    console.print(Text("休 = 法定节假日（放假调休），班 = 调休上班日，灰色 = 周末休息日", style="dim"))
    months = []
    for month in range(1, 13):
        table = Table(title=f"{month}月", show_header=True, header_style="bold", box=None, padding=(0, 0))
        for name in "一二三四五六日":
            table.add_column(name, justify="right", width=5)
        day = date(year, month, 1)
        row = [Text("")] * day.weekday()
        while day.month == month:
            iso = day.isoformat()
            if iso in holidays:
                cell = Text(f"{day.day}休", style="bold red")
            elif iso in makeup:
                cell = Text(f"{day.day}班", style="bold green")
            elif day.weekday() >= 5:
                cell = Text(f"{day.day}", style="dim")
            else:
                cell = Text(f"{day.day}")
            row.append(cell)
            if len(row) == 7:
                table.add_row(*row)
                row = []
            day += timedelta(days=1)
        if row:
            table.add_row(*row, *([Text("")] * (7 - len(row))))
        months.append(table)
    console.print(Columns(months, equal=True, expand=False))
    named = [(h.name, h.start, h.end) for h in (calendar.files.get(year).holidays if year in calendar.files else [])]
    for name, start, end in named:
        span = start.isoformat() if start == end else f"{start.isoformat()} 至 {end.isoformat()}"
        console.print(Text(f"  {name}：{span}"))
