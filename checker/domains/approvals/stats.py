"""Running totals of a run's approval outcomes: every report's summary, kept apart from the verdicts so a run
without approval items (a lint) makes its empty totals without loading the working-day counting."""

from __future__ import annotations

from typing import Any

from checker.core.plain import field, plain
from checker.domains.approvals.items import item_key
from checker.domains.approvals.records import NOT_YET


@plain
class ApprovalStats:
    items: int = 0
    in_scope: int = 0
    completed_and_decidable: int = 0
    within_one_day: int = 0
    over_one_day: int = 0
    open_overdue: int = 0
    undecidable: int = 0
    types: dict[str, dict[str, Any]] = field(default_factory=dict)

    @staticmethod
    def key(o) -> tuple:
        """What the totals need of one outcome (small: travels from worker processes)."""
        decided = o.count is not None and o.count.decidable
        return (
            o.in_scope,
            o.verdict,
            o.record.completed_on is not None and decided,
            o.record.item,
            o.count.days if decided else None,
        )

    def add(self, o) -> None:
        self.add_key(self.key(o))

    def add_key(self, key: tuple) -> None:
        in_scope, verdict, completed_and_decided, item, days = key
        self.items += 1
        if in_scope:
            self.in_scope += 1
            if completed_and_decided:
                self.completed_and_decidable += 1
                self.within_one_day += verdict == "一日内办结"
            self.over_one_day += verdict == "超过一个工作日"
            self.open_overdue += verdict == "逾期未办结"
            self.undecidable += verdict in ("无法判定", NOT_YET)
        entry = self.types.setdefault(
            item_key(item),
            {"item": item, "items": 0, "over_one_day": 0, "max_working_days": None, "in_scope": in_scope},
        )
        entry["items"] += 1
        if days is not None:
            entry["max_working_days"] = max(entry["max_working_days"] or 0, days)
            entry["over_one_day"] += days > 1

    def to_json(self, top: int = 5) -> dict[str, Any]:
        worst = sorted(
            (t for t in self.types.values() if t["over_one_day"]),
            key=lambda t: (-t["over_one_day"], -(t["max_working_days"] or 0), t["item"]),
        )[:top]
        decided = self.completed_and_decidable
        return {
            "items": self.items,
            "in_scope": self.in_scope,
            "completed_and_decidable": decided,
            "within_one_day": self.within_one_day,
            "share_within_one_day": round(self.within_one_day / decided, 4) if decided else None,
            "over_one_day": self.over_one_day,
            "open_overdue": self.open_overdue,
            "undecidable": self.undecidable,
            "worst_item_types": worst,
        }
