"""The result of a run: what every report format is fed (findings, per-record outcomes, files, errors).

`RunResult` is the report contract; `Partial` adds what a worker process must tell the parent so that merging
its range gives what one process would have (see run.parallel).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from checker.core.plain import field, plain
from checker.core.severity import SEVERITIES
from checker.core.values import compact_json
from checker.rules.book import RuleBook
from checker.run.domain import section_specs
from checker.run.findings import Finding
from checker.run.outcomes import Outcomes
from checker.run.spill import HELD_FINDINGS, FindingSpill


def new_sections() -> dict[str, Outcomes]:
    """An empty outcome list for every section of the installed domains."""
    return {spec.key: Outcomes(spec.stats(), spec.to_text) for spec in section_specs()}


@plain
class RunResult:
    as_of: date
    book: RuleBook
    evaluator: str
    findings: list[Finding] = field(default_factory=list)
    sections: dict[str, Outcomes] = field(default_factory=new_sections)  # domain outcomes, by section key
    categories: set[str] | None = None  # rule categories evaluated (None: all)
    kinds: set[str] | None = None  # record kinds checked (None: all); `lint` checks documents only
    documents: list[Any] = field(default_factory=list)  # records read from whole text files (for --fix)
    # (source, index, id, kind, line) of every record checked, when asked for (JUnit lists clean records too)
    checked: list[tuple] | None = None
    inline_waivers: list = field(default_factory=list)  # waivers.Waiver from markers inside documents
    errors: list[str] = field(default_factory=list)  # one-line input errors (exit code 2)
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files under the directories given, of a type not read
    # standard input, once read: (the name it is reported under, the type it was read as); in `files` by that name
    stdin: tuple[str, str] | None = None
    records_checked: int = 0
    checked_kinds: set[tuple[str, str]] = field(default_factory=set)  # (source, kind) of the records checked
    command: str = ""  # the command's label (补贴, 审批, 公文, 检查): what the report calls itself
    fixing: bool = False  # --fix ran: reports count what it fixed
    # a long JSON run's findings, settled and on disk in report order (`findings` then holds only the newest)
    spilled: FindingSpill | None = None

    def file_suffix(self, path: str) -> str:
        """The type a file of `files` was read as: its suffix, or what standard input was found to be."""
        if self.stdin is not None and path == self.stdin[0]:
            return self.stdin[1]
        return Path(path).suffix.lower()

    def section(self, key: str) -> Outcomes:
        return self.sections[key]

    def sort(self) -> None:
        """By file; a file's own findings first, then its records, the record with the most severe finding first
        (in file order among equals), then by severity, line and column within a record (see run.spill)."""
        worst: dict[tuple[str, int], int] = {}
        for f in self.findings:
            if not f.file_level:
                key = (f.source, f.record_index)
                worst[key] = max(worst.get(key, 0), f.rank)

        def order(f: Finding) -> tuple:
            if f.file_level:
                return (f.source, False, 0, *f.sort_key()[1:])
            return (f.source, True, -worst[(f.source, f.record_index)], *f.sort_key()[1:])

        self.findings.sort(key=order)

    def hold(self) -> None:
        """Between two records: a spilling run writes what it holds to disk once that is `HELD_FINDINGS`."""
        if self.spilled is not None and len(self.findings) >= HELD_FINDINGS:
            self.spilled.take(self.findings)
            self.findings = []

    def finding_texts(self) -> Iterator[str]:
        """Every finding as compact JSON, in report order (from disk when the run spilled them)."""
        if self.spilled is not None and self.spilled.taken:
            yield from self.spilled.texts()
        for f in self.findings:
            yield compact_json(f.to_json())

    def severity_counts(self) -> dict[str, int]:
        counts = dict(self.spilled.counts) if self.spilled is not None else dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def waived_count(self) -> int:
        return (self.spilled.waived if self.spilled is not None else 0) + sum(1 for f in self.findings if f.waived)

    def fails_at(self, rank: int) -> bool:
        """Whether a finding that counts (not waived, not fixed) is of `rank` or above."""
        if self.spilled is not None and self.spilled.worst_counting >= rank:
            return True
        return any(f.rank >= rank and f.counts for f in self.findings)


@plain
class Partial(RunResult):
    """A worker's range of one file, with what the merge needs to decide repeated ids across ranges."""

    # (kind, id, position, index, line, label) of each checked record
    ids: list[tuple] = field(default_factory=list)
    # (index, domain name, token) of what a record tells its domain about the whole file
    tokens: list[tuple] = field(default_factory=list)
    error_indices: list[int] = field(default_factory=list)  # record index of each error (to interleave on merge)
    read_failed: bool = False  # reading stopped on an error: later ranges of the file are not merged
