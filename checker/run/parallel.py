"""`--jobs`: tasks checked in worker processes, each with its own engine, merged in input order.

Duplicate ids across ranges are decided in the merge the same way a single pass decides them, so the output
equals a single-process run.
"""

from __future__ import annotations

from checker.core.errors import Location
from checker.records.normalize import InputIssue
from checker.run.domain import install
from checker.run.process import Context, FileState, duplicate_issue, process_task
from checker.run.result import Partial, RunResult
from checker.run.rulefindings import input_finding
from checker.run.tasks import Task

_worker_context: Context | None = None


def _init_worker(context: Context) -> None:
    global _worker_context
    import signal

    for name in ("SIGTERM", "SIGHUP"):  # the parent's handlers raise; a worker just ends (pool.terminate sends TERM)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    install(context.domains)  # a no-op after fork; a spawned worker registers the run's domains again
    for domain in context.domains:
        domain.resume(context.states.get(domain.name))
    context.evaluator = None  # each process builds its own engine (durable-rules is not fork/thread safe)
    _worker_context = context


def _process_in_worker(task: Task) -> Partial:
    context = _worker_context
    partial = Partial(
        as_of=context.as_of,
        book=context.book,
        evaluator=context.engine,
        categories=context.categories,
        kinds=context.kinds,
        checked=[] if context.track_checked else None,
    )
    if context.spill_dir is not None:
        for outcomes in partial.sections.values():
            outcomes.spill(context.spill_dir)
    process_task(task, context, partial, FileState())
    partial.book = None  # the parent has the rules; do not send them back with every partial
    return partial


def chunk_size(tasks: list[Task], jobs: int) -> int:
    """How many tasks a worker is sent at a time: up to 8 whole files when there are many (a round trip per
    20 KB notice was about a tenth of checking it: 500 notices with --jobs 2 took 3.5 s one at a time, 3.0-3.2 s
    a few at a time); one when a ledger is split into ranges, which are sized to share the work out evenly."""
    if any(not (task.first and task.last) for task in tasks):
        return 1
    return max(1, min(8, len(tasks) // (jobs * 32)))


def parallel_results(tasks: list[Task], context: Context, jobs: int):
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker, initargs=(context,))
    try:
        yield from pool.imap(_process_in_worker, tasks, chunk_size(tasks, jobs))
    finally:
        pool.terminate()
        pool.join()


def merge_partial(partial: Partial, state: FileState, result: RunResult, source: str, context: Context) -> None:
    """Add a worker's range to the result, dropping records whose id an earlier range already had."""
    dropped: set[int] = set()
    duplicates: list[tuple[int, InputIssue]] = []
    for kind, record_id, position, index, line, label in partial.ids:
        issue = duplicate_issue(
            state,
            kind,
            record_id,
            position,
            lambda line=line, label=label: Location(source, line=line, record=label, field="id"),
        )
        if issue is not None:
            dropped.add(index)
            duplicates.append((index, issue))
    for finding in partial.findings:
        if finding.record_index in dropped and finding.category != "input":
            continue
        result.findings.append(finding)
    for key, outcomes in partial.sections.items():
        result.sections[key].absorb(outcomes, dropped)
    result.documents.extend(partial.documents)
    result.inline_waivers.extend(partial.inline_waivers)
    if result.checked is not None and partial.checked:
        result.checked.extend(c for c in partial.checked if c[1] not in dropped)
    result.records_checked += partial.records_checked - len(dropped)
    result.checked_kinds |= partial.checked_kinds
    indices = partial.error_indices + [10**12] * (len(partial.errors) - len(partial.error_indices))
    errors = [(index, 0, line) for index, line in zip(indices, partial.errors)]
    for index, issue in duplicates:
        result.findings.append(input_finding(issue, index))
        errors.append((index, 1, issue.one_line()))
    result.errors.extend(line for _, _, line in sorted(errors, key=lambda e: (e[0], e[1])))
    domains = {domain.name: domain for domain in context.domains}
    for index, name, token in partial.tokens:
        if index not in dropped:
            state.add_token(domains[name], token)
