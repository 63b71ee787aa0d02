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

from typing import Any

from .conditions import leaves, show
from .engine import Evaluator
from .errors import CheckerInputError, Location
from .facts import approval_count, item_key, to_fact
from .findings import INPUT_CITATION, Finding
from .fields import RULE_SCHEMAS
from .idindex import IdIndex
from .limits import get_limits
from .documents import DOCUMENT_SUFFIXES, STDIN, read_document
from .load import RECORD_SUFFIXES, FileNotice, ResumePoint, iter_input_files, read_records, split_points
from .normalize import Approval, ApprovalItem, Document, InputIssue, Project, Record, normalize
from .observe import observe
from .outcomes import ApprovalOutcome, Outcomes, approval_outcomes, approval_summary, subsidy_outcomes  # noqa: F401
from .rulebook import Pack, RuleBook
from .subsidy import SubsidyOutcome, evaluate_subsidy

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


def rule_findings(record: Record, pack: Pack, evaluator: Evaluator, as_of: date,
                  categories: set[str] | None = None, detail: str | None = None, fact: dict | None = None,
                  lines: list[str] | None = None, hits: set[str] | None = None) -> list[Finding]:
    """Findings of one `findings` pack on one record (or observation), with the conditions that made each fire.

    `hits` are the engine's verdicts for the record when already known (one evaluation per record).
    """
    fact = fact if fact is not None else to_fact(record, as_of)
    if hits is None:
        hits = evaluator.fired(pack, fact, record.kind)
    if not hits:
        return []
    schema = record.schema

    def value(name: str) -> str:
        spec = schema.get(name)
        return show(spec, fact.get(name)) if spec is not None and spec.derived else record.display(name)

    out = []
    for rule in pack.rules:
        if rule.id not in hits or (categories is not None and rule.category not in categories):
            continue
        unique = _unique_leaves(rule.condition)
        names = tuple(leaf.field for leaf in unique)
        evidence = "；".join(
            f"{leaf.spec.label} = {show(leaf.spec, fact.get(leaf.field), unit=True)}"
            for leaf in unique if leaf.field not in ("quoted", "raw")
        )
        if getattr(record, "raw", None):
            evidence = f"原文“{record.raw}”" + (f"；{evidence}" if evidence else "")
        if detail:
            evidence = f"{detail}；{evidence}"
        column = getattr(record, "column", None)
        suggestion = getattr(record, "replacement", None)
        replacement = suggestion if rule.spec.fixable else None
        text_line = getattr(record, "text_line", None)
        snippet = lines[text_line - 1] if lines is not None and text_line and text_line <= len(lines) else None
        out.append(Finding(
            rule_id=rule.id,
            category=rule.category,
            severity=rule.severity,
            source=record.source,
            record_id=record.id,
            message=rule.render_message({name: value(name) for name in rule.message_fields}),
            citation=rule.citation_short,
            citation_text=rule.citation_text,
            line=record.line,
            column=column,
            end_column=getattr(record, "end_column", None),
            title=rule.spec.title,
            evidence=evidence,
            fix=rule.spec.fix,
            suggestion=suggestion,
            replacement=replacement,
            snippet=snippet,
            explained=(rule.condition, names, tuple(fact.get(name) for name in names)),
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


@dataclass(frozen=True)
class Task:
    """One unit of work: a file, or a range of a large ledger's records between two resume points."""

    path: str
    start: ResumePoint | None = None  # None: from the first record
    stop: ResumePoint | None = None  # None: to the end of the file

    @property
    def first(self) -> bool:
        return self.start is None

    @property
    def last(self) -> bool:
        return self.stop is None


CHUNKABLE = {".csv", ".jsonl"}
CHUNK_MIN_BYTES = 1 << 20
RANGES_PER_JOB = 16  # many short ranges: the last one to finish leaves the other process idle only briefly


def plan_tasks(files: list[str], jobs: int) -> list[Task]:
    """Files in order; with several jobs, large CSV/JSONL ledgers are split into record ranges.

    The split points are found by one scan of the file's bytes (`load.split_points`); each range is then
    read from its byte offset, so no process parses rows another one checks.
    """
    tasks: list[Task] = []
    for path in files:
        suffix = Path(path).suffix.lower()
        size = Path(path).stat().st_size if path != STDIN and Path(path).is_file() else 0
        points = []
        if jobs > 1 and suffix in CHUNKABLE and CHUNK_MIN_BYTES <= size <= get_limits().max_file_bytes:
            points = split_points(path, jobs * RANGES_PER_JOB)
        bounds = [None, *points, None]
        tasks.extend(Task(path, start, stop) for start, stop in zip(bounds, bounds[1:]))
    return tasks


@dataclass
class _Context:
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
            from .engine import make_evaluator

            self.evaluator = make_evaluator(self.book, self.engine)
        return self.evaluator


def run(paths: list[str], book: RuleBook, evaluator: Evaluator | None, as_of: date,
        categories: set[str] | None = None, want_subsidies: bool = True, kinds: set[str] | None = None,
        jobs: int = 1, engine: str = "durable", keep_documents: bool = True, progress=None,
        organization: dict | None = None, spill: bool = False, track_checked: bool = False) -> RunResult:
    """Check every record in `paths`; `categories` limits the finding rules evaluated (None: all).

    With `jobs` > 1, files (and ranges of large ledgers) are checked in that many processes, each with
    its own engine; their results are merged here in input order, deciding duplicate ids across ranges
    the same way a single pass does, so the output equals a single-process run.  With `spill`, per-record
    outcomes go to disk as JSON lines (memory stays flat; for JSON output).
    """
    name = evaluator.name if evaluator is not None else engine
    result = RunResult(as_of=as_of, book=book, evaluator=name, categories=categories, kinds=kinds,
                       scope=one_day_scope(book), organization=organization)
    if spill:
        result.subsidies.spill()
        result.approvals.spill()
    if track_checked:
        result.checked = []
    context = _Context(book, evaluator, name, as_of, categories, kinds, want_subsidies, keep_documents, organization,
                       track_checked)
    suffixes = RECORD_SUFFIXES | DOCUMENT_SUFFIXES
    if kinds == {"document"}:
        suffixes = DOCUMENT_SUFFIXES | {".yaml", ".yml", ".json", ".jsonl"}
    missing: list[CheckerInputError] = []
    files = list(iter_input_files(paths, suffixes, missing))
    result.files.extend(files)
    tasks = plan_tasks(files, jobs)
    if progress is not None:
        progress.start(len(tasks))
    if jobs > 1 and len(tasks) > 1 and STDIN not in files:
        import shutil
        import tempfile
        import weakref

        context.spill_dir = tempfile.mkdtemp(prefix="checker-") if spill else None
        finished = False
        try:
            state, stopped = None, False
            for task, partial in zip(tasks, _parallel(tasks, context, jobs)):
                if task.first:
                    state, stopped = _FileState(), False
                if not stopped:  # a range that could not be read ends the file, as it ends a full read
                    _merge_partial(partial, state, result, task.path)
                    stopped = partial.read_failed
                else:
                    partial.subsidies.discard()
                    partial.approvals.discard()
                if task.last:
                    _finish_file(task.path, state, result, context)
                if progress is not None:
                    progress.advance()
            finished = True
        finally:
            if context.spill_dir is not None:
                if finished:  # the workers' outcome files are the report's: removed with the result
                    weakref.finalize(result, shutil.rmtree, context.spill_dir, ignore_errors=True)
                else:
                    shutil.rmtree(context.spill_dir, ignore_errors=True)
    else:
        for task in tasks:
            state = _FileState()
            _process(task, context, result, state)  # straight into the result: nothing held per file
            _finish_file(task.path, state, result, context)
            if progress is not None:
                progress.advance()
    for exc in missing:
        result.errors.append(exc.one_line())
        result.findings.append(_input_finding(InputIssue("error", exc.code, exc.message, exc.location)))
    result.sort()
    return result


@dataclass
class _FileState:
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


_worker_context: _Context | None = None


def _init_worker(context: _Context) -> None:
    global _worker_context
    context.evaluator = None  # each process builds its own engine (durable-rules is not fork/thread safe)
    _worker_context = context


def _process_in_worker(task: Task) -> RunResult:
    context = _worker_context
    partial = RunResult(as_of=context.as_of, book=context.book, evaluator=context.engine,
                        categories=context.categories, kinds=context.kinds, scope=one_day_scope(context.book),
                        organization=context.organization, checked=[] if context.track_checked else None)
    if context.spill_dir is not None:
        partial.subsidies.spill(context.spill_dir)
        partial.approvals.spill(context.spill_dir)
    _process(task, context, partial, _FileState(), keep_ids=True)
    partial.book = None  # the parent has the rules; do not send them back with every partial
    return partial


def _parallel(tasks: list[Task], context: _Context, jobs: int):
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker, initargs=(context,))
    try:
        yield from pool.imap(_process_in_worker, tasks)
    finally:
        pool.terminate()
        pool.join()


def _process(task: Task, context: _Context, sink: RunResult, state: _FileState, keep_ids: bool = False) -> None:
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
    sink.findings.append(_input_finding(InputIssue("error", exc.code, exc.message, exc.location)))


def _duplicate(state: _FileState, kind: str, record_id: str, position: int, location) -> InputIssue | None:
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


def _process_raw(raw, sink: RunResult, context: _Context, state: _FileState, keep_ids: bool) -> None:
    record, issues = normalize(raw)
    if record is not None:
        position = raw.line if raw.row_based and raw.line else -raw.index
        duplicate = _duplicate(state, record.kind, record.id, position, raw.location("id"))
        if duplicate is not None:
            issues.append(duplicate)
            record = None
        elif keep_ids:
            location = raw.location("id")
            sink.ids.append((record.kind, record.id, position, raw.index, location.line, location.record))
    for issue in issues:
        sink.findings.append(_input_finding(issue, raw.index))
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


def _merge_partial(partial: RunResult, state: _FileState, result: RunResult, source: str) -> None:
    """Add a worker's range to the result, dropping records whose id an earlier range already had."""
    dropped: set[int] = set()
    duplicates: list[tuple[int, InputIssue]] = []
    for kind, record_id, position, index, line, label in partial.ids:
        issue = _duplicate(state, kind, record_id, position,
                           lambda line=line, label=label: Location(source, line=line, record=label, field="id"))
        if issue is not None:
            dropped.add(index)
            duplicates.append((index, issue))
    for finding in partial.findings:
        if finding.record_index in dropped and finding.category != "input":
            continue
        result.findings.append(finding)
    result.subsidies.absorb(partial.subsidies, dropped)
    result.approvals.absorb(partial.approvals, dropped)
    result.documents.extend(partial.documents)
    result.inline_waivers.extend(partial.inline_waivers)
    if result.checked is not None and partial.checked:
        result.checked.extend(c for c in partial.checked if c[1] not in dropped)
    result.records_checked += partial.records_checked - len(dropped)
    indices = partial.error_indices + [10**12] * (len(partial.errors) - len(partial.error_indices))
    errors = [(index, 0, line) for index, line in zip(indices, partial.errors)]
    for index, issue in duplicates:
        result.findings.append(_input_finding(issue, index))
        errors.append((index, 1, issue.one_line()))
    result.errors.extend(line for _, _, line in sorted(errors, key=lambda e: (e[0], e[1])))
    for index, *row in partial.tallies:
        if index not in dropped:
            state.tally_row(*row)


def _item_records(state: _FileState, path: str) -> list[ApprovalItem]:
    """One record per approval item type of a file (its first row's name and line, its largest promised time)."""
    return [ApprovalItem(id=summary["item"], item=summary["item"], source=state.source or path, line=summary["line"],
                         index=10**9 + position, promised_working_days=summary["promised"], row_count=summary["rows"])
            for position, summary in enumerate(state.item_types.values(), start=1)]


def _finish_file(path: str, state: _FileState, result: RunResult, context: _Context) -> None:
    """Rules on a whole file: the approval item types."""
    for item in _item_records(state, path):
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
    from .waivers import inline_waivers

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
            from .workdays import describe

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


def iter_subjects(paths: list[str], kind: str, as_of: date, organization: dict | None = None):
    """Every (subject, fact) of a record kind in the inputs, for `checker explain`.

    Bad input and repeated ids are skipped here (`check` reports them); approval item types are built per
    file, as `check` builds them.
    """
    missing: list[CheckerInputError] = []
    for path in iter_input_files(paths, RECORD_SUFFIXES | DOCUMENT_SUFFIXES, missing):
        try:
            if path == STDIN or Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
                documents = [read_document(path)]
            else:
                documents = []
                state = _FileState()
                for raw in read_records(Path(path)):
                    record, _ = normalize(raw)
                    position = raw.line if raw.row_based and raw.line else -raw.index
                    if record is None or _duplicate(state, record.kind, record.id, position, None) is not None:
                        continue  # as `check` does: a repeated id is not checked
                    if isinstance(record, Document):
                        documents.append(record)
                    elif record.kind == kind:
                        yield record, to_fact(record, as_of)
                    if isinstance(record, Approval):
                        state.tally(record)
                if kind == "approval_item":
                    for item in _item_records(state, path):
                        yield item, to_fact(item, as_of)
        except CheckerInputError:
            continue
        for document in documents:
            _, subjects, _, _ = document_subjects(document, as_of, organization)
            for subject, fact in subjects:
                if subject.kind == kind:
                    yield subject, fact
