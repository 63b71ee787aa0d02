"""The approvals domain: 一件事一次办 (one-day handling, in Chinese working days) and approval-stage benchmarks.

Its record kinds are the approval system's handled items and the item types built from each file; it adds
the approval-flow columns to the project ledger.  Each item's outcome is its working-day count and verdict.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from checker.inputs.formats import RECORD_SUFFIXES
from checker.records import fields
from checker.rules import language
from checker.run.domain import Command, Domain, Option, SectionSpec, Tool

PACKS = Path(__file__).resolve().parent / "packs"


def _stats():
    from checker.domains.approvals.stats import ApprovalStats

    return ApprovalStats()


def _to_text(outcome) -> str:
    from checker.core.values import compact_json

    return compact_json(outcome.to_json())


def _present(outcomes, result):
    from checker.domains.approvals import present

    return present.present(outcomes, result)


def _configure_calendar(parser) -> None:
    from checker.domains.approvals.calendar_command import configure

    configure(parser)


def _run_calendar(args, app) -> int:
    from checker.domains.approvals.calendar_command import run

    return run(args, app)


class ApprovalsDomain(Domain):
    name = "approvals"
    title = "一件事一次办与审批环节"
    kinds = ("approval", "approval_item")
    sections = (SectionSpec("approvals", "approvals", _stats, _to_text, _present),)
    commands = (
        Command(
            "approvals",
            "一件事一次办：办理用时（工作日）与审批环节对标",
            title="一件事一次办 · 审批时限与环节对标",
            label="审批",
            categories="own",
            sections=("approvals",),
            report="approvals",
            show_findings=True,
            show_summary_line=True,
            input_suffixes=RECORD_SUFFIXES,  # ledgers and record files; a text is not a ledger
        ),
    )
    categories: ClassVar[dict[str, str]] = {"calendar": "工作日日历（国务院节假日安排、日历文件）"}
    codes: ClassVar[dict[str, str]] = {
        "CALENDAR-DIFFERS": "用户日历文件与 chinesecalendar 的日期不一致，按日历文件计算",
        "CALENDAR-ENDING": "基准日临近已知日历的最后一年年底",
    }
    options = (
        Option(
            "--calendar",
            "calendars",
            "工作日日历文件（由 checker calendar import 生成，可多次；优先于内置日历）",
            ("check", "approvals", "explain"),
            config_key="calendars",
        ),
    )
    config_aliases: ClassVar[dict[str, tuple[str, str, str]]] = {
        "one_day_scope": ("one-day-handling", "one_day_scope", "replace"),
        "one_day_scope_add": ("one-day-handling", "one_day_scope", "add"),
    }

    tools = (
        Tool(
            "calendar",
            "工作日日历：从国务院节假日安排通知导入（import），按月查看（show）",
            _configure_calendar,
            _run_calendar,
        ),
    )

    def register(self) -> None:
        from checker.domains.approvals.records import (
            APPROVAL,
            APPROVAL_ITEM,
            OVER_LIMIT,
            PROJECT_FLOW,
        )

        fields.register(APPROVAL)
        fields.register(APPROVAL_ITEM)
        fields.extend("project", PROJECT_FLOW)
        language.add_outcome_words("approval", {OVER_LIMIT: "超过一日办结时限（已办结或仍未办结）"})
        language.add_pack_dirs(PACKS)

    def pack_dirs(self) -> list[Path]:
        return [PACKS]

    def start(self, book: Any, options: dict | None = None) -> Any:
        from checker.domains.approvals.outcome import run_state

        return run_state(book, (options or {}).get("calendars") or [])

    def resume(self, state: Any) -> None:
        if state is None:
            return
        from checker.domains.approvals.outcome import use_limit

        use_limit(state.limit)
        if state.calendar is not None:
            from checker.domains.approvals.workdays import use_calendar

            use_calendar(state.calendar)

    def finish(self, state: Any, result: Any) -> list:
        from checker.domains.approvals.calendar_findings import calendar_findings

        return calendar_findings(state, result)

    def derive(self, record: Any, as_of) -> dict | None:
        if record.kind not in ("approval", "approval_item", "project"):
            return None
        from checker.domains.approvals.outcome import derived_values

        return derived_values(record, as_of)

    def evidence(self, record: Any, as_of) -> str | None:
        from checker.domains.approvals.outcome import evidence

        return evidence(record, as_of)

    def outcome(self, subject: Any, fact: dict, hits: set[str], findings: list, run: Any) -> None:
        if subject.kind != "approval":
            return
        outcomes = run.outcomes("approvals")
        if outcomes is not None:
            from checker.domains.approvals.outcome import outcome_of

            outcomes.append(outcome_of(subject, findings, run.as_of, run.state(self.name)))

    def file_token(self, record: Any) -> Any:
        if record.kind != "approval":
            return None
        from checker.domains.approvals.items import token

        return token(record)

    def file_summary(self) -> Any:
        from checker.domains.approvals.items import ItemTypes

        return ItemTypes()
