"""One entry point for record files: the format is chosen by the file's extension (see `checker.inputs.formats`).

Every reader enforces `checker.core.limits` (file size, line length, records per file, nesting depth, .xlsx zip
bombs); going over one is a CheckerInputError naming the file and the line, never a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.values import printable
from checker.inputs.base import RecordBudget, ResumePoint
from checker.inputs.formats import RECORD_SUFFIXES, all_formats, format_for
from checker.records.raw import FileNotice, RawRecord

__all__ = ["RECORD_SUFFIXES", "read_records"]


def read_records(
    path: Path | str,
    notices: list[FileNotice] | None = None,
    start: ResumePoint | None = None,
    stop: ResumePoint | None = None,
) -> Iterator[RawRecord]:
    """All records of one file, by its extension; file-level problems raise CheckerInputError.

    With `start` and/or `stop` (points from `split_points` for this file), only the records from the one
    at `start` (inclusive; None: the first) to the one at `stop` (exclusive; None: the end) are read, with
    the index, line, data, problems and errors a full read gives them.  What concerns the whole file is
    only done by the range that begins the file (`start` None): the file's notices (unknown columns) and
    its encoding check; a range with `stop` never says the file is empty (it has records).
    """
    path = Path(path)
    source = str(path)
    notices = notices if notices is not None else []
    fmt = format_for(path)
    if fmt is None:
        raise CheckerInputError(f"不支持的文件类型“{printable(path.suffix)}”", Location(source), code="INPUT-FILE")
    budget = RecordBudget(source)
    if start is not None or stop is not None:
        if fmt.record_starts is None:
            raise ValueError(
                f"record ranges are only for {', '.join(f.name for f in all_formats() if f.record_starts)} "
                f"files, not {source}"
            )
        if start is not None:
            budget.count = start.index - 1
    yield from fmt.read(path, notices, budget, start, stop)
