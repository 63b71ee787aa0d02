"""What a run's findings become before a report: `--select`/`--ignore`, then waivers (themselves checked).

Applied at the end of a run, or batch by batch while a long JSON run writes its findings to disk
(run.spill): waivers found inside documents join as their documents are read, before those documents'
findings are marked, and the findings about the waivers themselves (expired, unused) come once all is marked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checker.run.findings import Finding
from checker.run.select import selected
from checker.run.waivers import WaiverMatcher, load_waivers


class Settlement:
    """One run's selection and waivers (a fresh one per run: waivers count the findings they covered)."""

    def __init__(
        self,
        select: list[str],
        ignore: list[str],
        waiver_file: Path | None,
        as_of: date,
        categories: set[str] | None = None,
    ):
        self._select, self._ignore, self._categories = select, ignore, categories
        waiver_set = load_waivers(waiver_file)
        self._base = waiver_set.base
        self._matcher = WaiverMatcher(waiver_set.waivers, waiver_set.problems, as_of, waiver_set.base)
        self._inline_added = 0

    def keeps(self, finding: Finding) -> bool:
        return selected(finding.rule_id, finding.category, self._select, self._ignore)

    def settle(self, findings: list[Finding], result) -> list[Finding]:
        """The findings kept, each marked with the waiver that covers it (the run's inline waivers so far too)."""
        self._matcher.add(result.inline_waivers[self._inline_added :])
        self._inline_added = len(result.inline_waivers)
        kept = [f for f in findings if self.keeps(f)]
        self._matcher.mark(kept)
        return kept

    def finish(self, result) -> None:
        """Settle what the run still holds, add the findings about the waivers, and put all in report order."""
        kept = self.settle(result.findings, result)
        kept += [f for f in self._matcher.extras(lambda waiver: self._ran(waiver, result)) if self.keeps(f)]
        if result.spilled is not None and result.spilled.taken:
            result.spilled.take(kept, settled=True)
            result.findings = []
        else:
            result.findings = kept
            result.sort()

    def _ran(self, waiver, result) -> bool:
        """Whether the waiver's rule ran on its target: selected, of this command, on a kind and a file checked."""
        from checker.records.fields import RULE_SCHEMAS

        rule = result.book.rule(waiver.spec.rule) if result.book is not None else None
        if rule is None:
            return True  # an unknown rule: the waiver is wrong, say so
        if not selected(rule.id, rule.category, self._select, self._ignore):
            return False
        if self._categories is not None and rule.category not in self._categories:
            return False
        schema = RULE_SCHEMAS.get(rule.kind)
        kind = (schema.parent or rule.kind) if schema is not None else rule.kind
        if result.kinds is not None and kind not in result.kinds and rule.kind not in result.kinds:
            return False
        # a record of the rule's kind was checked in a file the waiver names (or in any file, when it names none)
        return any(
            checked_kind in (kind, rule.kind) and waiver.targets_file(source, self._base)
            for source, checked_kind in result.checked_kinds
        )
