"""What a run says once about its working-day calendar: a user's file that differs from the package, an end near."""

from __future__ import annotations

from datetime import date

from checker.run.findings import Finding

CITATION = "checker 工作日日历说明（README“Approvals and working days”）"
WARN_DAYS = 60  # say it when the last known day is this close to the reference date


def _finding(rule_id: str, source: str, message: str, fix: str) -> Finding:
    return Finding(
        rule_id=rule_id,
        category="calendar",
        severity="info",
        source=source,
        record_id=None,
        message=message,
        citation=CITATION,
        fix=fix,
    )


def calendar_findings(state, result) -> list[Finding]:
    if state is None:
        return []
    approvals = result.sections.get("approvals")
    if state.calendar is None and not approvals:
        return []  # nothing was counted: the calendar was not even read
    from checker.domains.approvals.calendars import package_source
    from checker.domains.approvals.workdays import active_calendar

    calendar = state.calendar if state.calendar is not None else active_calendar()
    out: list[Finding] = []
    for year, year_file in sorted(calendar.files.items()):
        if year_file.source.origin != "user":
            continue
        differing = calendar.differences(year)
        if differing:
            shown = "、".join(d.isoformat() for d in differing[:6]) + ("等" if len(differing) > 6 else "")
            out.append(
                _finding(
                    "CALENDAR-DIFFERS",
                    year_file.source.path or year_file.source.title,
                    f"日历文件的 {year} 年与 {package_source().title} 有 {len(differing)} 天不同（{shown}），按日历文件计算",
                    "核对日历文件与国务院通知；若日历文件有误，改正或删去它",
                )
            )
    if not approvals:
        return out  # only runs that count working days speak of the calendar's end
    last = calendar.last_year()
    end = date(last, 12, 31)
    left = (end - result.as_of).days
    if left <= WARN_DAYS:
        source = calendar.source(last)
        where = source.path if source is not None and source.origin == "user" else (source.label if source else "日历")
        when = (
            f"距基准日 {result.as_of.isoformat()} 还有 {left} 天"
            if left >= 0
            else f"基准日 {result.as_of.isoformat()} 已超出 {-left} 天"
        )
        out.append(
            _finding(
                "CALENDAR-ENDING",
                where,
                f"工作日日历只到 {end.isoformat()}（{when}）；此后的日期无法判定工作日",
                f"国务院办公厅公布 {last + 1} 年节假日安排后，用 checker calendar import 导入通知并加入配置 calendars，"
                "或升级 chinesecalendar",
            )
        )
    return out
