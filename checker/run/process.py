"""Checking one task: read, normalize, reject repeated ids, evaluate, and collect findings and outcomes.

Bad records become input findings and one-line errors; the other records in the same file are still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from checker.core.errors import CheckerInputError
from checker.core.idindex import IdIndex
from checker.core.limits import get_limits
from checker.engine.base import Evaluator
from checker.inputs.documents import DOCUMENT_SUFFIXES, STDIN, read_document
from checker.inputs.reader import read_records
from checker.observe import observe
from checker.records.fields import RULE_SCHEMAS
from checker.records.normalize import (
    Approval,
    ApprovalItem,
    Document,
    InputIssue,
    Project,
    Record,
    normalize,
)
from checker.records.raw import FileNotice
from checker.rules.book import RuleBook
from checker.run.facts import approval_count, item_key, to_fact
from checker.run.findings import INPUT_CITATION, Finding
from checker.run.outcomes import ApprovalOutcome
from checker.run.result import RunResult
from checker.run.rulefindings import input_finding, rule_findings
from checker.run.tasks import Task
from checker.subsidy import evaluate_subsidy


@dataclass
class Context:
    """What a worker needs to check a task: the rules, an engine, the run's options."""

    book: RuleBook
    evaluator: Evaluator | None
    engine: str
    as_of: date
    categories: set[str] | None
    kinds: set[str] | None
    want_subsidies: bool
    keep_documents: bool
    organization: dict | None = None
    track_checked: bool = False
    spill_dir: str | None = None  # with --jobs and JSON output: workers write their outcomes here as JSON lines

    def get_evaluator(self) -> Evaluator:
        if self.evaluator is None:
            from checker.engine import make_evaluator

            self.evaluator = make_evaluator(self.book, self.engine)
        return self.evaluator

@dataclass
class FileState:
    """What must be known about a whole file: ids seen (first one wins) and approval item types.

    `seen` maps each kind's ids to the first record's position (line, or record number as a negative int):
    one small entry per record, the only thing that grows with a file's length (see `IdIndex`).
    """

    seen: dict[str, IdIndex] = field(default_factory=dict)
    item_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str | None = None

    def tally(self, record: Approval) -> None:
        self.tally_row(record.item, record.line, record.promised_working_days, record.source)

    def tally_row(self, item: str, line: int | None, promised: float | None, source: str) -> None:
        entry = self.item_types.setdefault(item_key(item), {"item": item, "line": line, "promised": None, "rows": 0})
        entry["rows"] += 1
        if promised is not None and (entry["promised"] is None or promised > entry["promised"]):
            entry["promised"] = promised
        self.source = self.source or source

def process_task(task: Task, context: Context, sink: RunResult, state: FileState, keep_ids: bool = False) -> None:
    """Check one task's records into `sink`; duplicates within the task are decided here (first one wins)."""
    path = task.path
    if path == STDIN or Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        try:
            document = read_document(path, index=1)
        except CheckerInputError as exc:
            _file_error(sink, exc)
            return
        sink.records_checked += 1
        before = len(sink.documents)
        check_record(document, sink, context.get_evaluator())
        if not context.keep_documents:
            del sink.documents[before:]
        return
    notices: list[FileNotice] = []
    try:
        for raw in read_records(Path(path), notices, task.start, task.stop):
            _process_raw(raw, sink, context, state, keep_ids)
    except CheckerInputError as exc:  # each range reports its own (ranges never repeat an error)
        _file_error(sink, exc)
        sink.read_failed = True
    if task.first:
        for notice in notices:
            sink.findings.append(Finding(rule_id=notice.code, category="input", severity=notice.severity,
                                         source=notice.source, record_id=None, message=notice.message,
                                         citation=INPUT_CITATION))

def _file_error(sink: RunResult, exc: CheckerInputError) -> None:
    sink.errors.append(exc.one_line())
    sink.findings.append(input_finding(InputIssue("error", exc.code, exc.message, exc.location)))

def duplicate_issue(state: FileState, kind: str, record_id: str, position: int, location) -> InputIssue | None:
    seen = state.seen.get(kind)
    if seen is None:
        seen = state.seen[kind] = IdIndex()
    first = seen.first(record_id, position)
    if first is not None:
        where = f"第{first}行" if first > 0 else f"第{-first}条"
        if callable(location):  # built only for a duplicate (merging a worker's range)
            location = location()
        return InputIssue("error", "INPUT-DUPLICATE-ID", f"编号重复（与 {where} 相同），本条未检查", location)
    return None

def _process_raw(raw, sink: RunResult, context: Context, state: FileState, keep_ids: bool) -> None:
    record, issues = normalize(raw)
    if record is not None:
        position = raw.line if raw.row_based and raw.line else -raw.index
        duplicate = duplicate_issue(state, record.kind, record.id, position, raw.location("id"))
        if duplicate is not None:
            issues.append(duplicate)
            record = None
        elif keep_ids:
            location = raw.location("id")
            sink.ids.append((record.kind, record.id, position, raw.index, location.line, location.record))
    for issue in issues:
        sink.findings.append(input_finding(issue, raw.index))
        if issue.severity == "error":
            sink.errors.append(issue.one_line())
            sink.error_indices.append(raw.index)
    if record is None or (context.kinds is not None and record.kind not in context.kinds):
        return
    sink.records_checked += 1
    if sink.checked is not None:
        sink.checked.append((record.source, record.index, record.id, record.kind, record.line))
    check_record(record, sink, context.get_evaluator(), context.want_subsidies)
    if isinstance(record, Approval):
        state.tally(record)
        if keep_ids:
            sink.tallies.append((raw.index, record.item, record.line, record.promised_working_days, record.source))

def item_records(state: FileState, path: str) -> list[ApprovalItem]:
    """One record per approval item type of a file (its first row's name and line, its largest promised time)."""
    return [ApprovalItem(id=summary["item"], item=summary["item"], source=state.source or path, line=summary["line"],
                         index=10**9 + position, promised_working_days=summary["promised"], row_count=summary["rows"])
            for position, summary in enumerate(state.item_types.values(), start=1)]

def finish_file(path: str, state: FileState, result: RunResult, context: Context) -> None:
    """Rules on a whole file: the approval item types."""
    for item in item_records(state, path):
        if result.checked is not None:
            result.checked.append((item.source, item.index, item.id, item.kind, item.line))
        check_record(item, result, context.get_evaluator(), context.want_subsidies)

def one_day_scope(book: RuleBook) -> set[str]:
    """Item names in the one-day scope (the `one_day_scope` setting of the rule packs)."""
    names: set[str] = set()
    for pack in book.packs:
        value = pack.settings().get("one_day_scope")
        if isinstance(value, list):
            names.update(item_key(str(v)) for v in value)
    return names

def document_subjects(document: Document, as_of: date, organization: dict | None = None):
    """(subject, fact) pairs of a document: itself and each observation; inline waivers are taken out first."""
    from checker.run.waivers import inline_waivers

    waivers, problems = [], []
    if document.origin != "record":
        waivers, problems, blanked = inline_waivers(document.source, document.lines)
        if waivers or problems:
            document = document.model_copy(update={"body": "\n".join(blanked)})
    observed = observe(document, as_of, organization)
    fact = to_fact(document, as_of)
    fact.update(observed.values)
    subjects = [(document, fact)] + [(o, o.fact()) for o in observed.observations]
    for kind, count in observed.truncated.items():
        problems.append(Finding(
            rule_id="INPUT-TOO-MANY", category="input", severity="warning", source=document.source,
            record_id=document.id, citation=INPUT_CITATION, record_index=document.index,
            message=f"文中{RULE_SCHEMAS[kind].label}多达 {count:,} 处，只检查了前 {get_limits().max_observations:,} 处"))
    return document, subjects, waivers, problems

def check_document(document: Document, result: RunResult, evaluator: Evaluator) -> None:
    """The document's own fact and one fact per observation, each through the packs for its kind."""
    document, subjects, waivers, problems = document_subjects(document, result.as_of, result.organization)
    result.inline_waivers.extend(waivers)
    result.findings.extend(problems)
    lines = document.lines
    for subject, subject_fact in subjects:
        packs = result.book.packs_for(subject.kind)
        if not packs:
            continue
        hits = evaluator.fired_all(subject_fact, subject.kind)
        if not hits:
            continue
        for pack in packs:
            result.findings.extend(rule_findings(subject, pack, evaluator, result.as_of, result.categories,
                                                 fact=subject_fact, lines=lines, hits=hits))
    result.documents.append(document)

def check_record(record: Record, result: RunResult, evaluator: Evaluator, want_subsidies: bool = True) -> None:
    if isinstance(record, Document):
        check_document(record, result, evaluator)
        return
    detail = None
    count = None
    findings: list[Finding] = []
    packs = result.book.packs_for(record.kind)
    fact = to_fact(record, result.as_of)
    hits = evaluator.fired_all(fact, record.kind) if packs else set()
    if isinstance(record, Approval):
        count = approval_count(record, result.as_of)  # cached: to_fact counted the same days
        if count is not None and hits:  # the day-by-day account is only written into findings
            from checker.workdays import describe

            span = f"受理 {record.accepted_on.isoformat()}，" + (
                f"办结 {record.completed_on.isoformat()}" if record.completed_on else f"截至 {result.as_of.isoformat()} 未办结")
            detail = f"{span}：{describe(count)}"
    for pack in packs:
        if pack.spec.kind == "subsidy":
            if want_subsidies and isinstance(record, Project):
                result.subsidies.append(evaluate_subsidy(record, pack, evaluator, result.as_of, fact, hits))
        elif hits:
            findings.extend(rule_findings(record, pack, evaluator, result.as_of, result.categories, detail,
                                          fact=fact, hits=hits))
    result.findings.extend(findings)
    if isinstance(record, Approval):
        in_scope = item_key(record.item) in result.scope
        result.approvals.append(ApprovalOutcome(record, count, in_scope, findings))
