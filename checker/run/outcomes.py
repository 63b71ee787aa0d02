"""Per-record outcomes (subsidy decisions, approval items) and their running totals.

A provincial ledger has hundreds of thousands of rows: outcomes are either kept
as objects (for the terminal, HTML, SARIF and JUnit reports) or, for JSON
output, written straight to a temporary file as JSON lines and dropped, so
memory does not grow with the input.  Summaries are kept as running totals
either way, so every format reports the same numbers.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterator

from checker.core.values import compact_json
from checker.records.normalize import Approval
from checker.run.facts import item_key
from checker.run.findings import Finding


@dataclass
class ApprovalOutcome:
    """One handled item with its working-day count, for the approvals report."""

    record: Approval
    count: Any  # workdays.WorkdayCount, or None when accepted after the reference date
    in_scope: bool  # in the one-day scope of the rule data
    findings: list[Finding]

    @property
    def decidable(self) -> bool:
        return self.count is None or self.count.decidable

    @property
    def days(self) -> int | None:
        return self.count.days if self.count is not None else 0

    @property
    def verdict(self) -> str:
        ids = {f.rule_id for f in self.findings}
        if not self.in_scope:
            return "不在一日办结范围"
        if not self.decidable:
            return "无法判定"
        if ids & {"ONE-DAY-LATE", "ONE-DAY-OPEN-OVERDUE"} or any(f.severity == "error" for f in self.findings):
            return "逾期未办结" if self.record.completed_on is None else "超过一个工作日"
        return "办理中" if self.record.completed_on is None else "一日内办结"

    def to_json(self) -> dict[str, Any]:
        record, count = self.record, self.count
        data = {
            "record_id": record.id, "item": record.item, "project_id": record.project_id, "source": record.source,
            "line": record.line, "accepted_on": record.accepted_on.isoformat(),
            "completed_on": record.completed_on.isoformat() if record.completed_on else None,
            "promised_working_days": record.promised_working_days, "in_scope": self.in_scope,
            "decidable": self.decidable, "working_days": self.days if self.decidable else None,
            "verdict": self.verdict, "findings": [f.rule_id for f in self.findings],
        }
        if count is not None:
            data["counted_days"] = [d.isoformat() for d in count.counted]
            data["special_days"] = [{"date": n.day.isoformat(), "kind": n.kind, "name": n.name} for n in count.notes
                                    if n.kind != "weekend"]
            if not count.decidable:
                data["reason"] = count.reason
        return data


@dataclass
class SubsidyStats:
    projects: int = 0
    eligible: int = 0
    pending_acceptance: int = 0
    municipal_referral: int = 0
    total: Decimal = Decimal("0")
    any_ceiling: bool = False

    @staticmethod
    def key(outcome) -> tuple:
        """What the totals need of one outcome (small: travels from worker processes)."""
        return (outcome.status, bool(outcome.municipal_referral), outcome.eligible, outcome.amount_yuan,
                outcome.amount_is_ceiling)

    def add(self, outcome) -> None:
        self.add_key(self.key(outcome))

    def add_key(self, key: tuple) -> None:
        status, referral, eligible, amount, ceiling = key
        self.projects += 1
        self.pending_acceptance += status == "pending_acceptance"
        self.municipal_referral += referral
        if eligible:
            self.eligible += 1
            self.total += amount
            self.any_ceiling = self.any_ceiling or ceiling

    def to_json(self) -> dict[str, Any]:
        return {"projects": self.projects, "eligible": self.eligible, "pending_acceptance": self.pending_acceptance,
                "municipal_referral": self.municipal_referral, "total_amount_yuan": float(self.total)}


@dataclass
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
    def key(o: ApprovalOutcome) -> tuple:
        """What the totals need of one outcome (small: travels from worker processes)."""
        decided = o.count is not None and o.count.decidable
        return (o.in_scope, o.verdict, o.record.completed_on is not None and decided, o.record.item,
                o.count.days if decided else None)

    def add(self, o: ApprovalOutcome) -> None:
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
            self.undecidable += verdict == "无法判定"
        entry = self.types.setdefault(item_key(item), {"item": item, "items": 0, "over_one_day": 0,
                                                       "max_working_days": None, "in_scope": in_scope})
        entry["items"] += 1
        if days is not None:
            entry["max_working_days"] = max(entry["max_working_days"] or 0, days)
            entry["over_one_day"] += days > 1

    def to_json(self, top: int = 5) -> dict[str, Any]:
        worst = sorted((t for t in self.types.values() if t["over_one_day"]),
                       key=lambda t: (-t["over_one_day"], -(t["max_working_days"] or 0), t["item"]))[:top]
        decided = self.completed_and_decidable
        return {
            "items": self.items, "in_scope": self.in_scope, "completed_and_decidable": decided,
            "within_one_day": self.within_one_day,
            "share_within_one_day": round(self.within_one_day / decided, 4) if decided else None,
            "over_one_day": self.over_one_day, "open_overdue": self.open_overdue, "undecidable": self.undecidable,
            "worst_item_types": worst,
        }


class Outcomes:
    """A list of outcomes with running totals; with `spill()`, outcomes go to disk as JSON lines instead.

    Spilled outcomes are a sequence of segments: files this process wrote, and the files worker processes
    wrote (taken over whole by `absorb`, never copied or re-serialized: with --jobs the parent only
    concatenates text when the report is written).  A worker spills to a named file in `directory` and
    keeps each line's record index and totals key for that merge.
    """

    def __init__(self, stats, to_text: Callable[[Any], str]):
        self.items: list = []
        self.stats = stats
        self._to_text = to_text  # an outcome as one compact JSON text
        self._spilling = False
        self._segments: list = []  # open temporary files (ours) and paths (a worker's), in order
        self._file = None  # the segment being written by this process
        self._path: str | None = None  # a worker's spill file, handed to the parent
        self._keys: list[tuple[int, tuple]] | None = None  # (record index, totals key) per spilled line

    def spill(self, directory: str | None = None) -> None:
        self._spilling = True
        if directory is not None:
            self._file = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=directory, suffix=".jsonl",
                                                     delete=False)
            self._path = self._file.name
            self._keys = []

    def _writer(self):
        if self._file is None:
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8")
            self._segments.append(self._file)
        return self._file

    def append(self, outcome) -> None:
        key = self.stats.key(outcome)
        self.stats.add_key(key)
        if self._spilling:
            self._writer().write(self._to_text(outcome) + "\n")
            if self._keys is not None:
                self._keys.append((outcome.record.index, key))
        else:
            self.items.append(outcome)

    def extend(self, outcomes) -> None:
        for outcome in outcomes:
            self.append(outcome)

    def absorb(self, other: "Outcomes", dropped: set[int]) -> None:
        """Append a worker's outcomes except those of `dropped` record indices (duplicate ids)."""
        if other._path is None:
            self.extend(o for o in other.items if o.record.index not in dropped)
            return
        if not dropped.intersection(index for index, _ in other._keys):
            for _, key in other._keys:
                self.stats.add_key(key)
            self._file = None  # later outcomes of ours go to a new segment after this one
            self._segments.append(other._path)
            return
        try:  # rare: a range repeated an earlier range's id; copy its other lines
            with open(other._path, encoding="utf-8") as lines:
                for (index, key), line in zip(other._keys, lines):
                    if index not in dropped:
                        self.stats.add_key(key)
                        self._writer().write(line)
        finally:
            os.unlink(other._path)

    def discard(self) -> None:
        """Drop a worker's outcomes unread (their range is not merged)."""
        if self._path is not None:
            os.unlink(self._path)

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return self.stats.projects if isinstance(self.stats, SubsidyStats) else self.stats.items

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getstate__(self):  # worker partials travel by pickle: a spill file by its name, once closed
        if self._path is not None and self._file is not None:
            self._file.close()
        state = dict(self.__dict__)
        state["_file"] = None
        state["_segments"] = []
        return state

    def _blocks(self, binary: bool = False) -> Iterator:
        """The spilled text (UTF-8 bytes with `binary`), segment after segment, in blocks of up to 64 KiB."""
        size, empty = 1 << 16, b"" if binary else ""
        for segment in self._segments:
            if isinstance(segment, str):
                with open(segment, "rb" if binary else "r", **({} if binary else {"encoding": "utf-8"})) as handle:
                    yield from iter(lambda: handle.read(size), empty)
            else:
                segment.flush()
                handle = segment.buffer if binary else segment
                handle.seek(0)
                yield from iter(lambda: handle.read(size), empty)
                handle.seek(0, os.SEEK_END)

    def write_joined(self, stream, separator: str) -> bool:
        """Write every outcome's JSON text, `separator` between them; False when there is none.

        Spilled text is copied in blocks: its lines are compact JSON (a newline inside a value is
        escaped), so each line break is exactly one separator.
        """
        if not self._spilling:
            first = True
            for text in self.json_lines():
                if not first:
                    stream.write(separator)
                stream.write(text)
                first = False
            return not first
        target, newline = stream, "\n"
        if _utf8_buffer(stream) is not None:  # hundreds of MB for a provincial ledger: copy bytes, not text
            stream.flush()
            target, newline, separator = stream.buffer, b"\n", separator.encode("utf-8")
        wrote = pending = False
        for block in self._blocks(binary=target is not stream):
            if pending:
                target.write(separator)
            pending = block.endswith(newline)
            target.write((block[:-1] if pending else block).replace(newline, separator))
            wrote = True
        return wrote

    def json_lines(self) -> Iterator[str]:
        """Every outcome as one compact JSON text, in order."""
        if not self._spilling:
            for outcome in self.items:
                yield self._to_text(outcome)
            return
        rest = ""
        for block in self._blocks():
            lines = (rest + block).split("\n")
            rest = lines.pop()
            yield from lines
        if rest:
            yield rest


def _utf8_buffer(stream):
    """The binary buffer under a UTF-8 text stream that translates no newlines, else None."""
    buffer = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return buffer if buffer is not None and encoding == "utf8" and os.linesep == "\n" else None


def _subsidy_text(outcome) -> str:
    return outcome.to_json_text()


def _approval_text(outcome: ApprovalOutcome) -> str:
    return compact_json(outcome.to_json())


def subsidy_outcomes() -> Outcomes:
    return Outcomes(SubsidyStats(), _subsidy_text)


def approval_outcomes() -> Outcomes:
    return Outcomes(ApprovalStats(), _approval_text)


def approval_summary(outcomes) -> dict[str, Any]:
    """Items checked, share handled within one working day, worst item types (text, JSON, HTML alike)."""
    if isinstance(outcomes, Outcomes):
        return outcomes.stats.to_json()
    stats = ApprovalStats()
    for o in outcomes:
        stats.add(o)
    return stats.to_json()
