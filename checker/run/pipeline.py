"""The run: load → normalize → facts → evaluate → results, for many files.

This is the one place that walks inputs and collects results; the commands and the report writers only consume
`RunResult`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.engine.base import Evaluator
from checker.inputs.documents import DOCUMENT_SUFFIXES, STDIN
from checker.inputs.reader import RECORD_SUFFIXES
from checker.inputs.walk import iter_input_files
from checker.records.normalize import InputIssue
from checker.rules.book import RuleBook
from checker.run.domain import installed
from checker.run.parallel import merge_partial, parallel_results
from checker.run.process import Context, FileState, finish_file, process_task
from checker.run.result import RunResult
from checker.run.rulefindings import input_finding
from checker.run.tasks import estimate_records, plan_tasks


def run(
    paths: list[str],
    book: RuleBook,
    evaluator: Evaluator | None,
    as_of: date,
    categories: set[str] | None = None,
    sections: set[str] | None = None,
    kinds: set[str] | None = None,
    jobs: int = 1,
    engine: str = "durable",
    keep_documents: bool = True,
    progress=None,
    organization: dict | None = None,
    spill: bool = False,
    track_checked: bool = False,
    suffixes: set[str] | None = None,
    domain_options: dict | None = None,
    explain: bool = False,
    stdin_filename: str | None = None,
    strict_inputs: bool = False,
    settlement=None,
) -> RunResult:
    """Check every record in `paths`; `categories` limits the finding rules evaluated (None: all), `sections`
    the domain outcomes built (None: all), `kinds` the records checked (None: all), `suffixes` the files taken
    from directories (None: every readable file).

    With `jobs` > 1, files (and ranges of large ledgers) are checked in that many processes, each with
    its own engine; their results are merged here in input order, deciding duplicate ids across ranges
    the same way a single pass does, so the output equals a single-process run.  With `spill`, per-record
    outcomes go to disk as JSON lines (memory stays flat; for JSON output), and with a `settlement`
    (run.settle) so do findings, settled batch by batch (run.spill); the caller still calls its `finish`.
    `explain`: outcomes write their full explanations into JSON (`--explain`), not only the decisive reasons.
    """
    name = evaluator.name if evaluator is not None else engine
    result = RunResult(as_of=as_of, book=book, evaluator=name, categories=categories, kinds=kinds)
    if spill:
        for outcomes in result.sections.values():
            outcomes.spill()
        if settlement is not None:
            from checker.run.spill import FindingSpill

            result.spilled = FindingSpill(lambda findings: settlement.settle(findings, result))
    if track_checked:
        result.checked = []
    context = Context(
        book,
        evaluator,
        name,
        as_of,
        categories,
        kinds,
        sections,
        keep_documents,
        organization,
        track_checked,
        domain_options=dict(domain_options or {}),
        explain=explain,
        # a command that checks some record kinds (lint: documents) starts only the domains declaring one: a
        # lint neither builds the approvals' one-day scope nor reads a configured calendar it never counts with
        domains=[d for d in installed() if kinds is None or kinds.intersection(d.kinds)],
    )
    suffixes = suffixes if suffixes is not None else RECORD_SUFFIXES | DOCUMENT_SUFFIXES
    context.stdin_filename, context.accepted = stdin_filename, frozenset(suffixes)
    missing: list[CheckerInputError] = []
    skipped: list[str] = []
    files = list(iter_input_files(paths, suffixes, missing, skipped))
    result.files.extend(files)
    result.skipped.extend(skipped)
    for path in skipped:  # listed, never passed over in silence; input errors with --strict-inputs
        from checker.inputs.stdin import not_read

        message = f"已跳过：{not_read(Path(path).suffix.lower(), suffixes)}"
        if strict_inputs:
            missing.append(CheckerInputError(message, Location(path), code="INPUT-SKIPPED"))
        else:
            result.findings.append(input_finding(InputIssue("info", "INPUT-SKIPPED", message, Location(path))))
    tasks = plan_tasks(files, jobs)
    reached: dict[str, int] = {}  # file -> the bar's count when it is done (estimated records up to and with it)
    if progress is not None:
        total = 0
        for path in files:
            total += estimate_records(path)
            reached[path] = total
        progress.start(total)
    if jobs > 1 and len(tasks) > 1 and STDIN not in files:
        import shutil
        import tempfile
        import weakref

        context.spill_dir = tempfile.mkdtemp(prefix="checker-") if spill else None
        finished = False
        try:
            state, stopped = None, False
            for task, partial in zip(tasks, parallel_results(tasks, context, jobs)):
                if task.first:
                    state, stopped = FileState(), False
                if not stopped:  # a range that could not be read ends the file, as it ends a full read
                    merge_partial(partial, state, result, task.path, context)
                    stopped = partial.read_failed
                    result.hold()
                else:
                    for outcomes in partial.sections.values():
                        outcomes.discard()
                if task.last:
                    finish_file(task.path, state, result, context)
                if progress is not None:
                    progress.advance(partial.records_checked)
                    if task.last:
                        progress.reach(reached[task.path])
            finished = True
        finally:
            if context.spill_dir is not None:
                if finished:  # the workers' outcome files are the report's: removed with the result
                    weakref.finalize(result, shutil.rmtree, context.spill_dir, ignore_errors=True)
                else:
                    shutil.rmtree(context.spill_dir, ignore_errors=True)
    else:
        context.tick = progress.tick if progress is not None else None
        for task in tasks:
            state = FileState()
            result.hold()
            process_task(task, context, result, state)  # straight into the result: nothing held per file
            finish_file(task.path, state, result, context)
            if progress is not None:
                progress.reach(reached[task.path])
    if context.spooled is not None:  # standard input under the name its findings have, and what it was
        result.files[:] = [context.spooled.source if f == STDIN else f for f in result.files]
        result.stdin = (context.spooled.source, context.spooled.suffix)
    for exc in missing:
        result.errors.append(exc.one_line())
        result.findings.append(input_finding(InputIssue("error", exc.code, exc.message, exc.location)))
    for domain in context.domains:
        result.findings.extend(domain.finish(context.states.get(domain.name), result))
    result.sort()
    return result
