"""What every record format shares: the interface a format implements, the per-file record budget, and
the resume points that let `--jobs` read one large file in ranges."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import get_limits
from checker.core.plain import plain


@plain(frozen=True)
class ResumePoint:
    """Where a record of a .csv/.jsonl file starts, so that reading can begin (or end) there.

    Made by `split_points`; valid for the file as it was then.
    """

    offset: int  # byte offset in the file of the first line of the record
    line: int  # 1-based number of that line (RawRecord.line of the record)
    index: int  # RawRecord.index of the record (1-based among the file's records; >= 2)
    encoding: str  # how the file's text is decoded ("utf-8", "gb18030"): a range need not detect it again
    text_start: int = 0  # bytes before the text (3 for a UTF-8 BOM): where a CSV header is read from


class RecordBudget:
    """Counts a file's records against `max_records`; the ones within the limit are still checked."""

    def __init__(self, source: str):
        self.source = source
        self.limit = get_limits().max_records
        self.count = 0

    def take(self, line: int | None = None) -> None:
        self.count += 1
        if self.count > self.limit:
            raise CheckerInputError(
                f"记录数超过上限 {self.limit:,} 条，第 {self.count:,} 条及以后的记录未检查",
                Location(self.source, line=line),
                code="INPUT-LIMIT",
            )


@plain(frozen=True)
class RecordFormat:
    """A record file format: how to read a file into raw records, and (optionally) where its records start.

    `read(path, notices, budget, start, stop)` yields the file's RawRecords (from `start` to `stop` when the
    format can be read in ranges).  `record_starts(handle, source, encoding, text_start)` yields (offset, line,
    index) of each record from one scan of the file's lines, ending quietly where a full read would raise;
    `text_layout(path, source)` gives (encoding, text_start) for that scan, or None when the file must be read
    whole.  Formats without `record_starts` are always read whole.
    """

    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot
    read: Callable[..., Iterator[Any]]
    record_starts: Callable[[Any, str, str, int], Iterator[tuple[int, int, int]]] | None = None
    text_layout: Callable[[Path, str], tuple[str, int] | None] | None = None
