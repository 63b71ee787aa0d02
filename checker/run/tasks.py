"""Units of work: a file, or a range of a large ledger's records, so that `--jobs` can share one file out."""

from __future__ import annotations

from pathlib import Path

from checker.core.limits import get_limits
from checker.core.plain import plain
from checker.inputs.base import ResumePoint
from checker.inputs.documents import STDIN
from checker.inputs.ranges import split_points


@plain(frozen=True)
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


ROW_SUFFIXES = {".csv", ".jsonl", ".tsv"}


def estimate_records(path: str) -> int:
    """About how many records a file holds, for the progress bar only: lines of a CSV/JSONL (one quick scan of
    its bytes), rows of a workbook's sheets, otherwise one.  The bar is corrected when the file is done."""
    if path == STDIN:
        return 1
    suffix = Path(path).suffix.lower()
    try:
        if suffix in ROW_SUFFIXES:
            lines = 0
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    lines += chunk.count(b"\n")
            return max(1, lines - (suffix != ".jsonl"))
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            try:
                return max(1, sum(max(0, (sheet.max_row or 1) - 1) for sheet in workbook.worksheets))
            finally:
                workbook.close()
    except Exception:  # an unreadable file is reported by its reader; the bar just counts it as one
        return 1
    return 1


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
