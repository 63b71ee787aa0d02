"""The finding: one rule broken by one record (or one place in a document).

Every output format (text, JSON, SARIF, JUnit, HTML) renders these same
objects, so the formats cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.core.edits import SAFE, Fix
from checker.core.severity import SEVERITY_RANK
from checker.rules.conditions import Check, explain

INPUT_CITATION = "checker 输入格式说明（README“输入格式”）"
# Categories of findings the machinery itself makes; rule packs declare theirs in pack.yaml.
BUILTIN_CATEGORIES = {"input": "输入数据问题（缺失、格式错误、可疑取值）", "waiver": "豁免声明问题"}


def category_titles(book) -> dict[str, str]:
    """Every category a report may show, id -> description: the machinery's, the domains' own and the packs'."""
    from checker.run.domain import installed

    domains = {key: text for domain in installed() for key, text in domain.categories.items()}
    return {**BUILTIN_CATEGORIES, **domains, **(book.categories if book is not None else {})}


@dataclass(slots=True)
class Finding:
    rule_id: str
    category: str
    severity: str
    source: str
    record_id: str | None
    message: str
    citation: str  # short: document number and clause
    citation_text: str | None = None  # the main clause's wording
    # every source the rule rests on ({document, clause, kind, text, source, confirmed}); empty for the machinery's
    citations: tuple[dict[str, Any], ...] = ()
    line: int | None = None
    column: int | None = None
    end_column: int | None = None
    title: str | None = None
    evidence: str | None = None  # what was seen, in Chinese
    fix: str | None = None
    autofix: Fix | None = None  # the graded fix of the span, as far as the rule allows it
    snippet: str | None = None  # the source line, for the terminal report
    fixed: bool = False  # set when `--fix` applied the replacement
    waiver: dict[str, Any] | None = None  # the waiver that covers it: reason, approver, expires, source, line
    # (condition, fields it reads, their values) that made the rule fire: explained when a report shows it,
    # because a ledger's findings are kept until the end of the run and explanations were most of their size
    explained: tuple[Any, tuple[str, ...], tuple[Any, ...]] | None = field(default=None, repr=False)
    record_index: int = 0  # position in the file, for stable ordering

    @property
    def checks(self) -> list[Check]:
        """The conditions that made the rule fire, each with the value found."""
        if self.explained is None:
            return []
        condition, names, values = self.explained
        return [explain(condition, {n: v for n, v in zip(names, values) if v is not None})]

    @property
    def suggestion(self) -> str | None:
        """Suggested text for [column, end_column), shown to the reader whatever the fix's applicability."""
        return self.autofix.content if self.autofix is not None else None

    @property
    def replacement(self) -> str | None:
        """The same text when `--fix` may apply it (a safe fix)."""
        return self.autofix.content if self.autofix is not None and self.autofix.applies(SAFE) else None

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def citation_lines(self, clip: int | None = None) -> list[str]:
        """What reports show after 依据: one line per source, a quotation in 「」 and a summary marked 摘要."""
        from checker.rules.book import citation_label

        if not self.citations:
            return [self.citation + (f"「{self.citation_text}」" if self.citation_text else "")]
        return [citation_label(c, clip) for c in self.citations]

    @property
    def where(self) -> str:
        """file:line:column as reports show it (only the parts known)."""
        if not self.line:
            return self.source
        return f"{self.source}:{self.line}" + (f":{self.column}" if self.column else "")

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def counts(self) -> bool:
        """Whether it can fail the run: waived and fixed findings are shown but do not count."""
        return not self.waived and not self.fixed

    def sort_key(self) -> tuple:
        return (self.source, self.record_index, -self.rank, self.line or 0, self.column or 0, self.rule_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity,
            "source": self.source,
            "record_id": self.record_id,
            "line": self.line,
            "column": self.column,
            "end_column": self.end_column,
            "title": self.title,
            "message": self.message,
            "citation": self.citation,
            "citation_text": self.citation_text,
            "citations": list(self.citations),
            "evidence": self.evidence,
            "fix": self.fix,
            "suggestion": self.suggestion,
            "replacement": self.replacement,
            "fixed": self.fixed,
            "waived": self.waived,
            "waiver": self.waiver,
            "checks": [c.to_json() for c in self.checks],
        }
