"""Every subject of one record kind in the inputs, with its fact, for `checker explain`."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path

from checker.core.errors import CheckerInputError
from checker.inputs.documents import DOCUMENT_SUFFIXES, STDIN, open_document
from checker.inputs.reader import RECORD_SUFFIXES, read_records
from checker.inputs.stdin import spool_stdin
from checker.inputs.walk import iter_input_files
from checker.records.fields import RULE_SCHEMAS
from checker.records.normalize import normalize
from checker.run.domain import installed
from checker.run.process import FileState, duplicate_issue, renamed_source, subjects_of


def iter_subjects(paths: list[str], kind: str, as_of: date, organization: dict | None = None):
    """Every (subject, fact) of a record kind in the inputs, for `checker explain`.

    Bad input and repeated ids are skipped here (`check` reports them); records made from whole files
    (approval item types) are built per file, as `check` builds them; records of text kinds (documents) are
    observed after the file's other records.
    """
    domains = installed()
    options = {"organization": organization}

    def matching(record):
        for subject, fact in subjects_of(record, as_of, options, domains).pairs:
            if subject.kind == kind:
                yield subject, fact

    missing: list[CheckerInputError] = []
    accepted = RECORD_SUFFIXES | DOCUMENT_SUFFIXES
    for path in iter_input_files(paths, accepted, missing):
        texts = []
        source = path
        try:
            if path == STDIN:  # read as what it is, as `check` reads it
                spooled = spool_stdin(None, accepted)
                path, source = spooled.path, spooled.source
            if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
                with ExitStack() as held:  # a converted .doc stays while its layout is observed
                    record, _ = normalize(open_document(held, path, source, stdin=source != path))
                    if record is not None:
                        yield from matching(record)
                continue
            else:
                state = FileState()
                for raw in read_records(Path(path)):
                    raw.source = renamed_source(raw.source, path, source)  # a sheet keeps its label: path#sheet
                    record, _ = normalize(raw)
                    position = raw.line if raw.row_based and raw.line else -raw.index
                    if record is None or duplicate_issue(state, record.kind, record.id, position, None) is not None:
                        continue  # as `check` does: a repeated id is not checked
                    if RULE_SCHEMAS[record.kind].text_field:
                        texts.append(record)
                    else:
                        yield from matching(record)
                    for domain in domains:
                        token = domain.file_token(record)
                        if token is not None:
                            state.add_token(domain, token)
                for domain in domains:
                    summary = state.summaries.get(domain.name)
                    if summary is not None:
                        for made in summary.records(source):
                            yield from matching(made)
        except CheckerInputError:
            continue  # as before: a file that cannot be read to its end explains none of its documents
        for record in texts:
            yield from matching(record)
