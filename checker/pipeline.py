"""The run: load → normalize → facts → evaluate → results, for many files.

This is the one place that walks inputs and collects results; the commands
(`check`, `subsidy`) and the report writers only consume `RunResult`.
Bad records become input findings and one-line errors; the other records in
the same file, and the other files, are still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .conditions import explain, leaves, show
from .engine import Evaluator
from .errors import CheckerInputError
from .facts import to_fact
from .findings import INPUT_CITATION, Finding
from .load import RECORD_SUFFIXES, FileNotice, iter_input_files, read_records
from .normalize import InputIssue, Project, Record, normalize
from .rulebook import Pack, RuleBook
from .subsidy import SubsidyOutcome, evaluate_subsidy


@dataclass
class RunResult:
    as_of: date
    book: RuleBook
    evaluator: str
    findings: list[Finding] = field(default_factory=list)
    subsidies: list[SubsidyOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one-line input errors (exit code 2)
    files: list[str] = field(default_factory=list)
    records_checked: int = 0

    def sort(self) -> None:
        """By file, then records with the most severe finding first, then severity within a record."""
        worst: dict[tuple[str, int], int] = {}
        for f in self.findings:
            key = (f.source, f.record_index)
            worst[key] = max(worst.get(key, 0), f.rank)
        self.findings.sort(key=lambda f: (f.source, -worst[(f.source, f.record_index)], *f.sort_key()[1:]))


def _input_finding(issue: InputIssue, index: int = 0) -> Finding:
    loc = issue.location
    return Finding(
        rule_id=issue.code,
        category="input",
        severity=issue.severity,
        source=loc.source,
        record_id=loc.record,
        message=issue.message,
        citation=INPUT_CITATION,
        line=loc.line,
        column=loc.column,
        evidence=f"字段 {loc.field}" if loc.field else None,
        record_index=index,
    )


def rule_findings(record: Record, pack: Pack, evaluator: Evaluator) -> list[Finding]:
    """Findings of one `findings` pack on one record, with the conditions that made each fire."""
    fact = to_fact(record)
    hits = evaluator.fired(pack, fact)
    values = {name: record.display(name) for name in record.schema.names}
    out = []
    for rule in pack.rules:
        if rule.id not in hits:
            continue
        check = explain(rule.condition, fact)
        evidence = "；".join(
            f"{leaf.spec.label} = {show(leaf.spec, fact.get(leaf.field), unit=True)}"
            for leaf in _unique_leaves(rule.condition)
        )
        out.append(Finding(
            rule_id=rule.id,
            category=rule.category,
            severity=rule.severity,
            source=record.source,
            record_id=record.id,
            message=rule.render_message(values),
            citation=rule.spec.citation.short(),
            citation_text=" ".join(rule.spec.citation.text.split()),
            line=record.line,
            title=rule.spec.title,
            evidence=evidence,
            fix=rule.spec.fix,
            checks=[check],
            record_index=record.index,
        ))
    return out


def _unique_leaves(condition):
    seen, out = set(), []
    for leaf in leaves(condition):
        if leaf.field not in seen:
            seen.add(leaf.field)
            out.append(leaf)
    return out


def run(paths: list[str], book: RuleBook, evaluator: Evaluator, as_of: date,
        want_findings: bool = True, want_subsidies: bool = True) -> RunResult:
    result = RunResult(as_of=as_of, book=book, evaluator=evaluator.name)
    try:
        files = list(iter_input_files(paths, RECORD_SUFFIXES))
    except CheckerInputError as exc:
        result.errors.append(exc.one_line())
        files = [f for p in paths if Path(p).exists() for f in iter_input_files([p], RECORD_SUFFIXES)]
    for path in files:
        result.files.append(str(path))
        _run_file(path, result, evaluator, want_findings, want_subsidies)
    result.sort()
    return result


def _run_file(path: Path, result: RunResult, evaluator: Evaluator, want_findings: bool, want_subsidies: bool) -> None:
    notices: list[FileNotice] = []
    seen_ids: dict[tuple[str, str], str] = {}
    try:
        for raw in read_records(path, notices):
            record, issues = normalize(raw)
            if record is not None:
                key = (record.kind, record.id)
                if key in seen_ids:
                    issues.append(InputIssue("error", "INPUT-DUPLICATE-ID",
                                             f"编号重复（与 {seen_ids[key]} 相同），本条未检查", raw.location("id")))
                    record = None
                else:
                    seen_ids[key] = f"第{raw.line}行" if raw.row_based else f"第{raw.index}条"
            for issue in issues:
                result.findings.append(_input_finding(issue, raw.index))
                if issue.severity == "error":
                    result.errors.append(issue.one_line())
            if record is None:
                continue
            result.records_checked += 1
            check_record(record, result, evaluator, want_findings, want_subsidies)
    except CheckerInputError as exc:
        result.errors.append(exc.one_line())
        result.findings.append(_input_finding(InputIssue("error", exc.code, exc.message, exc.location)))
    for notice in notices:
        result.findings.append(Finding(rule_id=notice.code, category="input", severity=notice.severity,
                                       source=notice.source, record_id=None, message=notice.message,
                                       citation=INPUT_CITATION))


def check_record(record: Record, result: RunResult, evaluator: Evaluator, want_findings: bool,
                 want_subsidies: bool) -> None:
    for pack in result.book.packs_for(record.kind):
        if pack.spec.kind == "subsidy":
            if want_subsidies and isinstance(record, Project):
                result.subsidies.append(evaluate_subsidy(record, pack, evaluator, result.as_of))
        elif want_findings:
            result.findings.extend(rule_findings(record, pack, evaluator))
