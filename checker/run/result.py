"""The result of a run: what every report format is fed (findings, per-record outcomes, files, errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from checker.records.normalize import Document
from checker.rules.book import RuleBook
from checker.run.findings import Finding
from checker.run.outcomes import Outcomes, approval_outcomes, subsidy_outcomes

APPROVAL_CATEGORIES = {"one-day-handling", "approval-stages", "approval-duration"}

@dataclass
class RunResult:
    as_of: date
    book: RuleBook
    evaluator: str
    findings: list[Finding] = field(default_factory=list)
    subsidies: Outcomes = field(default_factory=subsidy_outcomes)  # SubsidyOutcome
    approvals: Outcomes = field(default_factory=approval_outcomes)  # ApprovalOutcome
    categories: set[str] | None = None  # rule categories evaluated (None: all)
    kinds: set[str] | None = None  # record kinds checked (None: all); `lint` checks documents only
    documents: list[Document] = field(default_factory=list)
    # a worker's bookkeeping for the merge: (kind, id, position, index, location) of checked records,
    # and (index, record) of approval rows
    ids: list[tuple] = field(default_factory=list)
    tallies: list[tuple] = field(default_factory=list)
    error_indices: list[int] = field(default_factory=list)  # record index of each error (to interleave on merge)
    # (source, index, id, kind, line) of every record checked, when asked for (JUnit lists clean records too)
    checked: list[tuple] | None = None
    organization: dict | None = None  # from the configuration: stands in for an issuer a document does not name
    inline_waivers: list = field(default_factory=list)  # waivers.Waiver from markers inside documents
    scope: set[str] = field(default_factory=set)  # one-day item scope, from the rule data
    errors: list[str] = field(default_factory=list)  # one-line input errors (exit code 2)
    files: list[str] = field(default_factory=list)
    records_checked: int = 0
    read_failed: bool = False  # reading stopped on an error (a worker's range: later ranges are not merged)

    def sort(self) -> None:
        """By file, then records with the most severe finding first, then severity within a record."""
        worst: dict[tuple[str, int], int] = {}
        for f in self.findings:
            key = (f.source, f.record_index)
            worst[key] = max(worst.get(key, 0), f.rank)
        self.findings.sort(key=lambda f: (f.source, -worst[(f.source, f.record_index)], *f.sort_key()[1:]))
