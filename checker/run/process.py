"""Checking one task: read, normalize, reject repeated ids, evaluate, and collect findings and outcomes.

Bad records become input findings and one-line errors; the other records in the same file are still checked.
What a record is checked as, and what its domain makes of the verdicts, comes from the domain's hooks
(run.domain); this module only walks records through them.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

from checker.core.errors import CheckerInputError, Location
from checker.core.idindex import IdIndex
from checker.core.plain import field, plain, replace
from checker.engine.base import Evaluator
from checker.inputs.documents import DOCUMENT_SUFFIXES, STDIN, open_document, unread_docx_parts
from checker.inputs.reader import read_records
from checker.records.fields import RULE_SCHEMAS
from checker.records.normalize import InputIssue, normalize
from checker.records.raw import FileNotice
from checker.rules.book import RuleBook
from checker.run.domain import Domain, Subjects, installed
from checker.run.facts import to_fact
from checker.run.findings import INPUT_CITATION, Finding
from checker.run.outcomes import Outcomes
from checker.run.result import Partial, RunResult
from checker.run.rulefindings import input_finding, rule_findings
from checker.run.tasks import Task


@plain
class Context:
    """What a worker needs to check a task: the rules, an engine, the run's options, the domains' state."""

    book: RuleBook
    evaluator: Evaluator | None
    engine: str
    as_of: date
    categories: set[str] | None
    kinds: set[str] | None
    sections: set[str] | None  # outcome sections built (None: all)
    keep_documents: bool
    organization: dict | None = None
    track_checked: bool = False
    spill_dir: str | None = None  # with --jobs and JSON output: workers write their outcomes here as JSON lines
    domains: list[Domain] = field(default_factory=installed)
    states: dict[str, Any] = field(default_factory=dict)  # domain name -> what its start() returned
    domain_options: dict[str, Any] = field(default_factory=dict)  # the domains' Options' values, by dest
    explain: bool = False  # outcomes' JSON holds their full explanations (--explain), not only the decisive reasons
    tick: Any = None  # called once per record read (the progress bar of a single-process run; never pickled)
    stdin_filename: str | None = None  # --stdin-filename: the name and type of standard input
    accepted: frozenset[str] = frozenset()  # the file types the command reads (what standard input may be)
    spooled: Any = None  # standard input, once read (inputs.stdin.SpooledInput)

    def __post_init__(self) -> None:
        if not self.states:
            self.states = start_domains(self.book, self.domain_options, self.domains)

    def get_evaluator(self) -> Evaluator:
        if self.evaluator is None:
            from checker.engine import make_evaluator

            self.evaluator = make_evaluator(self.book, self.engine, self.kinds)
        return self.evaluator

    @property
    def options(self) -> dict[str, Any]:
        return {"organization": self.organization}


def start_domains(book: RuleBook, options: dict[str, Any], domains: list[Domain] | None = None) -> dict[str, Any]:
    """Each domain's per-run state (`Domain.start`), by name."""
    return {domain.name: domain.start(book, options) for domain in (domains if domains is not None else installed())}


@plain
class RecordRun:
    """What a domain's outcome hook sees of the run: the rules, the engine, its state, where outcomes go."""

    context: Context
    sink: RunResult
    summary: Any = None  # the domain's summary of the record being checked (Subjects.summary)

    @property
    def book(self) -> RuleBook:
        return self.context.book

    @property
    def as_of(self) -> date:
        return self.context.as_of

    @property
    def evaluator(self) -> Evaluator:
        return self.context.get_evaluator()

    def state(self, domain: str) -> Any:
        return self.context.states.get(domain)

    def outcomes(self, section: str) -> Outcomes | None:
        """The section's outcome list, or None when this run does not build that section."""
        wanted = self.context.sections
        if wanted is not None and section not in wanted:
            return None
        return self.sink.sections.get(section)


@plain
class FileState:
    """What must be known about a whole file: ids seen (first one wins) and what the domains gather from it.

    `seen` maps each kind's ids to the first record's position (line, or record number as a negative int):
    one small entry per record, the only thing that grows with a file's length (see `IdIndex`).
    """

    seen: dict[str, IdIndex] = field(default_factory=dict)
    summaries: dict[str, Any] = field(default_factory=dict)  # domain name -> its file summary

    def add_token(self, domain: Domain, token: Any) -> None:
        summary = self.summaries.get(domain.name)
        if summary is None:
            summary = self.summaries[domain.name] = domain.file_summary()
        summary.add(token)


def process_task(task: Task, context: Context, sink: RunResult, state: FileState) -> None:
    """Check one task's records into `sink`; duplicates within the task are decided here (first one wins)."""
    path, source = task.path, task.path
    if path == STDIN:  # read once into a file of the type it is; reported under its own name
        from checker.inputs.stdin import spool_stdin

        if context.spooled is None:
            try:
                context.spooled = spool_stdin(context.stdin_filename, context.accepted)
            except CheckerInputError as exc:
                _file_error(sink, exc)
                return
        path, source = context.spooled.path, context.spooled.source
    suffix = Path(path).suffix.lower()
    if context.accepted and suffix not in context.accepted:  # named on the command line: said, not skipped
        from checker.inputs.stdin import not_read

        _file_error(sink, CheckerInputError(not_read(suffix, context.accepted), Location(source), "INPUT-FILE"))
        return
    if suffix in DOCUMENT_SUFFIXES:
        _process_document(path, source, task.path == STDIN, context, sink)
        return
    notices: list[FileNotice] = []
    try:
        for raw in read_records(Path(path), notices, task.start, task.stop):
            if source != path:
                raw.source = renamed_source(raw.source, path, source)
            _process_raw(raw, sink, context, state)
    except CheckerInputError as exc:  # each range reports its own (ranges never repeat an error)
        _file_error(sink, _renamed(exc, path, source))
        if isinstance(sink, Partial):
            sink.read_failed = True
    # what concerns the whole file comes from the first range; a later one tells only of its own rows (notes)
    for notice in notices:
        sink.findings.append(
            Finding(
                rule_id=notice.code,
                category="input",
                severity=notice.severity,
                source=renamed_source(notice.source, path, source),
                record_id=None,
                message=notice.message,
                citation=INPUT_CITATION,
            )
        )


def _process_document(path: str, source: str, stdin: bool, context: Context, sink: RunResult) -> None:
    """One whole document: read (a .doc/.wps converted first, kept until it is checked), normalized, checked."""
    with ExitStack() as held:
        try:
            raw = open_document(held, path, source, stdin=stdin)
        except CheckerInputError as exc:
            _file_error(sink, _renamed(exc, path, source))
            return
        if raw.attributes.get("origin") == "docx":
            unread = unread_docx_parts(str(raw.attributes["file"]))
            if unread:
                sink.findings.append(
                    Finding(
                        rule_id="INPUT-NOT-READ",
                        category="input",
                        severity="info",
                        source=source,
                        record_id=None,
                        message=f"文件中的{'、'.join(unread)}未检查（检查正文、表格、文本框、页眉、页脚和脚注尾注；删除的修订不算正文）",
                        citation=INPUT_CITATION,
                    )
                )
        record, issues = normalize(raw)
        for issue in issues:
            sink.findings.append(input_finding(issue, raw.index))
            if issue.severity == "error":
                sink.errors.append(issue.one_line())
        if record is None:
            return
        sink.records_checked += 1
        check_record(record, sink, context)


def renamed_source(name: str, path: str, source: str) -> str:
    """`name` (a file, or a sheet of it: path#sheet) under the name the user knows the file by."""
    if source == path or not name.startswith(path):
        return name
    return source + name[len(path) :]


def _renamed(exc: CheckerInputError, path: str, source: str) -> CheckerInputError:
    exc.location = replace(exc.location, source=renamed_source(exc.location.source, path, source))
    return exc


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


def _process_raw(raw, sink: RunResult, context: Context, state: FileState) -> None:
    if context.tick is not None:
        context.tick()
    sink.hold()  # every earlier record is complete: a spilling run may write their findings now
    partial = sink if isinstance(sink, Partial) else None
    record, issues = normalize(raw)
    if record is not None:
        position = raw.line if raw.row_based and raw.line else -raw.index
        duplicate = duplicate_issue(state, record.kind, record.id, position, raw.location("id"))
        if duplicate is not None:
            issues.append(duplicate)
            record = None
        elif partial is not None:
            location = raw.location("id")
            partial.ids.append((record.kind, record.id, position, raw.index, location.line, location.record))
    for issue in issues:
        sink.findings.append(input_finding(issue, raw.index))
        if issue.severity == "error":
            sink.errors.append(issue.one_line())
            if partial is not None:
                partial.error_indices.append(raw.index)
    if record is None or (context.kinds is not None and record.kind not in context.kinds):
        return
    sink.records_checked += 1
    if sink.checked is not None:
        sink.checked.append((record.source, record.index, record.id, record.kind, record.line))
    check_record(record, sink, context)
    for domain in context.domains:
        token = domain.file_token(record)
        if token is not None:
            state.add_token(domain, token)
            if partial is not None:
                partial.tokens.append((raw.index, domain.name, token))


def finish_file(path: str, state: FileState, result: RunResult, context: Context) -> None:
    """Records made from a whole file (one per approval item type), checked like the others."""
    for domain in context.domains:
        summary = state.summaries.get(domain.name)
        if summary is None:
            continue
        for record in summary.records(path):
            if result.checked is not None:
                result.checked.append((record.source, record.index, record.id, record.kind, record.line))
            check_record(record, result, context)


def owner(kind: str, domains: list[Domain]) -> Domain | None:
    """The domain that declared a record kind (observations: the one that declared their parent kind)."""
    schema = RULE_SCHEMAS.get(kind)
    declared = schema.parent if schema is not None and schema.parent else kind
    return next((d for d in domains if declared in getattr(d, "kinds", ())), None)


def subjects_of(record: Any, as_of: date, options: dict[str, Any], domains: list[Domain]) -> Subjects:
    """What a record is checked as: its domain's subjects, or the record itself with its fact."""
    domain = owner(record.kind, domains)
    found = domain.subjects(record, as_of, options) if domain is not None else None
    if found is None:
        found = Subjects([(record, to_fact(record, as_of))], record)
    return found


def check_record(record: Any, sink: RunResult, context: Context) -> None:
    """Evaluate every subject of a record over every pack of its kind; findings and outcomes into `sink`."""
    sink.checked_kinds.add((record.source, record.kind))  # what a waiver can be unused on
    found = subjects_of(record, context.as_of, context.options, context.domains)
    sink.inline_waivers.extend(found.waivers)
    sink.findings.extend(found.findings)
    evaluator = context.get_evaluator()
    run = RecordRun(context, sink, found.summary)
    book = context.book
    for subject, fact in found.pairs:
        packs = book.packs_for(subject.kind)
        hits = evaluator.fired_all(fact, subject.kind) if packs else set()
        findings: list[Finding] = []
        if hits:
            detail = _evidence(subject, context)
            for pack in packs:
                if pack.finds:
                    findings.extend(rule_findings(subject, pack, fact, hits, context.categories, detail))
        sink.findings.extend(findings)
        for domain in context.domains:
            domain.outcome(subject, fact, hits, findings, run)
    if RULE_SCHEMAS[found.record.kind].text_field and (context.keep_documents or found.record.origin == "record"):
        sink.documents.append(found.record)  # text files only when --fix/--diff needs them; records for JUnit


def _evidence(subject: Any, context: Context) -> str | None:
    domain = owner(subject.kind, context.domains)
    return domain.evidence(subject, context.as_of) if domain is not None else None


def example_subjects(record: Any, as_of: date) -> list[tuple[Any, dict[str, Any]]]:
    """Every (subject, fact) a rule example's record yields, as a check would see it (for the rule loader)."""
    return subjects_of(record, as_of, {}, installed()).pairs
