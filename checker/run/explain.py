"""Every subject of one record kind in the inputs, with its fact, for `checker explain`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checker.core.errors import CheckerInputError
from checker.inputs.documents import DOCUMENT_SUFFIXES, STDIN, read_document
from checker.inputs.reader import RECORD_SUFFIXES, read_records
from checker.inputs.walk import iter_input_files
from checker.records.normalize import Approval, Document, normalize
from checker.run.facts import to_fact
from checker.run.process import (
    FileState,
    document_subjects,
    duplicate_issue,
    item_records,
)


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
                state = FileState()
                for raw in read_records(Path(path)):
                    record, _ = normalize(raw)
                    position = raw.line if raw.row_based and raw.line else -raw.index
                    if record is None or duplicate_issue(state, record.kind, record.id, position, None) is not None:
                        continue  # as `check` does: a repeated id is not checked
                    if isinstance(record, Document):
                        documents.append(record)
                    elif record.kind == kind:
                        yield record, to_fact(record, as_of)
                    if isinstance(record, Approval):
                        state.tally(record)
                if kind == "approval_item":
                    for item in item_records(state, path):
                        yield item, to_fact(item, as_of)
        except CheckerInputError:
            continue
        for document in documents:
            _, subjects, _, _ = document_subjects(document, as_of, organization)
            for subject, fact in subjects:
                if subject.kind == kind:
                    yield subject, fact
