"""Approval outcomes: each handled item with its working-day count and verdict, and their running totals.

The verdict of an item in the one-day scope comes from what its findings' rules declare: a rule marked
`outcome: over-limit` (ONE-DAY-LATE, ONE-DAY-OPEN-OVERDUE), or any error, makes it "超过一个工作日" (completed)
or "逾期未办结" (open).  No rule id is named here.
"""

from __future__ import annotations

import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.core.plain import plain
from checker.domains.approvals.items import item_key, promised_over
from checker.domains.approvals.records import NOT_YET, OVER_LIMIT
from checker.domains.approvals.stats import ApprovalStats

_limit: float | None = None  # the run's one-day limit (setting max_working_days), set by run_state / resume


def use_limit(limit: float | None) -> None:
    """The limit decides two things below: which rows of an item type to list, and whether an open item whose
    reference date lies beyond the known calendar is already over it."""
    global _limit
    if limit != _limit:
        _limit = limit
        _count.cache_clear()


@plain
class ApprovalOutcome:
    """One handled item with its working-day count, for the approvals report."""

    record: Any
    count: Any  # workdays.WorkdayCount, or None when accepted after the reference date
    in_scope: bool  # in the one-day scope of the rule data
    findings: list
    over_limit: bool = False  # a finding's rule declares the limit broken (or is an error)

    @property
    def decidable(self) -> bool:
        return self.count is not None and self.count.decidable

    @property
    def days(self) -> int | None:
        return self.count.days if self.count is not None else None

    @property
    def verdict(self) -> str:
        if not self.in_scope:
            return "不在一日办结范围"
        if self.count is None:
            return NOT_YET
        if not self.decidable:
            return "无法判定"
        if self.over_limit:
            return "逾期未办结" if self.record.completed_on is None else "超过一个工作日"
        return "办理中" if self.record.completed_on is None else "一日内办结"

    def to_json(self) -> dict[str, Any]:
        record, count = self.record, self.count
        data = {
            "record_id": record.id,
            "item": record.item,
            "project_id": record.project_id,
            "source": record.source,
            "line": record.line,
            "accepted_on": record.accepted_on.isoformat(),
            "completed_on": record.completed_on.isoformat() if record.completed_on else None,
            "promised_working_days": record.promised_working_days,
            "in_scope": self.in_scope,
            "decidable": self.decidable,
            "working_days": self.days if self.decidable else None,
            "verdict": self.verdict,
            "findings": [f.rule_id for f in self.findings],
        }
        if count is not None:
            data["counted_days"] = [d.isoformat() for d in count.counted]
            data["special_days"] = [
                {"date": n.day.isoformat(), "kind": n.kind, "name": n.name} for n in count.notes if n.kind != "weekend"
            ]
            if count.summary is not None:  # a long span: the two lists hold only their first and last days
                from checker.domains.approvals.workdays import EDGE_DAYS

                data["days_summary"] = {
                    "holiday": count.summary.holidays,
                    "weekend": count.summary.weekends,
                    "makeup_workday": count.summary.makeup_workdays,
                    "listed_each_end": EDGE_DAYS,
                }
            if not count.decidable:
                data["reason"] = count.reason
            else:
                data["calendar_sources"] = list(count.sources)
                if count.through is not None:  # counted to the calendar's last known day: a lower bound
                    data["counted_through"] = count.through.isoformat()
        else:
            data["reason"] = f"受理日期 {record.accepted_on.isoformat()} 晚于基准日"
        return data


@plain(frozen=True)
class RunState:
    """What the approvals domain reads once per run: the one-day scope, the rules that mark the limit broken, and
    the working-day calendar (its files: the user's over the shipped ones over the package)."""

    scope: frozenset[str]
    over_limit_rules: frozenset[str]
    calendar: Any = None
    calendar_files: tuple[str, ...] = ()
    limit: float | None = None  # the one-day limit in working days (setting max_working_days)


def run_state(book, calendar_files: list[str] = ()) -> RunState:
    """Item names in the one-day scope (the `one_day_scope` setting of the packs), the over-limit rules, and the
    calendar, which from now on decides every working day counted."""
    names: set[str] = set()
    limits = []
    for pack in book.packs:
        settings = pack.settings()
        value = settings.get("one_day_scope")
        if isinstance(value, list):
            names.update(item_key(str(v)) for v in value)
        if isinstance(settings.get("max_working_days"), (int, float)):
            limits.append(float(settings["max_working_days"]))
    over = frozenset(rule.id for rule in book.rules if getattr(rule.spec, "outcome", None) == OVER_LIMIT)
    # a user's files are read (and validated) now; without them the shipped ones are read when a day is first counted
    calendar = None
    if calendar_files:
        from checker.domains.approvals.calendars import build
        from checker.domains.approvals.workdays import use_calendar

        calendar = build([Path(f) for f in calendar_files])
        use_calendar(calendar)
    elif "checker.domains.approvals.workdays" in sys.modules:  # an earlier run's calendar is not this one's
        sys.modules["checker.domains.approvals.workdays"].use_calendar(None)
    limit = min(limits) if limits else None
    use_limit(limit)
    _count.cache_clear()
    return RunState(frozenset(names), over, calendar, tuple(str(f) for f in calendar_files), limit)


def outcome_of(record: Any, findings: list, as_of: date, state: RunState) -> ApprovalOutcome:
    over = any(f.rule_id in state.over_limit_rules or f.severity == "error" for f in findings)
    return ApprovalOutcome(record, approval_count(record, as_of), item_key(record.item) in state.scope, findings, over)


def approval_count(record: Any, as_of: date):
    """The working-day count of an item: to its completion, or (still open) to `as_of`."""
    end = record.completed_on if record.completed_on is not None else as_of
    if end < record.accepted_on:
        return None  # an open item accepted after the reference date (completed_on < accepted_on is refused earlier)
    return _count(record.accepted_on, end, record.completed_on is not None)


@lru_cache(maxsize=4096)
def _count(start: date, end: date, completed: bool):
    """Counted once per (start, end): the facts step and the report both need it, and dates repeat a lot."""
    from checker.domains.approvals.workdays import (
        elapsed_working_days,
        working_days_until,
    )

    if completed:
        return elapsed_working_days(start, end)
    count = working_days_until(start, end)
    if not count.decidable and _limit is not None:
        # the reference date lies beyond the known calendar: the days known so far may already exceed the limit
        from checker.domains.approvals.workdays import working_days_known

        known = working_days_known(start, end)
        if known is not None and known.days > _limit:
            return known
    return count


def derived_values(record: Any, as_of: date) -> dict[str, Any] | None:
    """The derived fields of the domain's records, and of the project ledger's approval flow."""
    kind = record.kind
    if kind == "project":
        stages = getattr(record, "approval_flow_stages", None)
        return {"approval_stage_count": len(stages)} if stages else None
    if kind == "approval_item":
        return {"item": item_key(record.item)[:1000]}
    if kind != "approval":
        return None
    count = approval_count(record, as_of)
    values: dict[str, Any] = {
        "item": item_key(record.item)[:1000],
        "is_open": record.completed_on is None,
        "calendar_known": count is None or count.decidable,  # None: accepted after as_of (another rule's case)
    }
    if record.accepted_on > as_of:
        values["days_accepted_after_as_of"] = (record.accepted_on - as_of).days
    if count is None:  # open, and accepted after the reference date: nothing to count
        pass
    elif count.decidable:
        values["elapsed_working_days" if record.completed_on else "open_working_days"] = count.days
    return values


def evidence(record: Any, as_of: date) -> str | None:
    """The day-by-day account of an item's working days (of an item type: the rows over the limit), put before
    the evidence of its findings."""
    if record.kind == "approval_item":
        return promised_over(record, _limit) if _limit is not None else None
    if record.kind != "approval":
        return None
    count = approval_count(record, as_of)  # cached: its fact counted the same days
    if count is None:
        return None
    from checker.domains.approvals.workdays import describe

    span = f"受理 {record.accepted_on.isoformat()}，" + (
        f"办结 {record.completed_on.isoformat()}" if record.completed_on else f"截至 {as_of.isoformat()} 未办结"
    )
    return f"{span}：{describe(count)}"


def approval_summary(outcomes) -> dict[str, Any]:
    """Items checked, share handled within one working day, worst item types (text, JSON, HTML alike)."""
    if hasattr(outcomes, "stats"):
        return outcomes.stats.to_json()
    stats = ApprovalStats()
    for o in outcomes:
        stats.add(o)
    return stats.to_json()
