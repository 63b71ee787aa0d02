"""Record ranges of large ledgers, for `--jobs`: points where records start, so that reading can begin (or end) there."""

from __future__ import annotations

from pathlib import Path

from checker.core.errors import CheckerInputError
from checker.inputs.base import ResumePoint
from checker.inputs.decode import checked_file_size
from checker.inputs.formats import format_for


def split_points(path: Path | str, parts: int) -> list[ResumePoint]:
    """Up to `parts - 1` points splitting a file whose format has `record_starts` (CSV, JSONL) into `parts` ranges of about equal bytes.

    Each point is the start of a record (never the first), in file order; `read_records(path, notices,
    start, stop)` over consecutive points -- (None, p1), (p1, p2), …, (pk, None) -- reads exactly the
    records, in order, with the same index/line/data/problems, and raises the same errors as one full read.
    The scan decodes and parses the file once (no records are built).  No point is placed after something
    that ends a full read (a quoting error, an undecodable byte, a long line, `max_records`), so such an
    error is raised by the last range only.  [] -- read the file in one go -- for other file types, for
    files read whole (UTF-16, guessed encodings), for files with a file-level problem (which the full read
    reports), when the file has too few records, and for a CSV holding a totals row (合计/小计): it is
    checked against the rows above it, which a range starting below the header cannot see, so the file is
    read whole by one process.  The scan therefore runs to the end of the file (the format's
    `record_starts` raises `WholeTable` at a totals row).
    """
    path = Path(path)
    source = str(path)
    fmt = format_for(path)
    if parts < 2 or fmt is None or fmt.record_starts is None:
        return []
    from checker.inputs.tables import WholeTable  # a ledger's own exception: imported with the ledger reader

    try:
        size = checked_file_size(path, source)
        layout = fmt.text_layout(path, source)
        if layout is None:
            return []
        encoding, text_start = layout
        with path.open("rb") as handle:
            targets = [size * k // parts for k in range(1, parts)]
            found: list[ResumePoint] = []
            for offset, line, index in fmt.record_starts(handle, source, encoding, text_start):
                if targets and index >= 2 and offset >= targets[0]:
                    found.append(ResumePoint(offset, line, index, encoding, text_start))
                    targets = [t for t in targets if t > offset]
            return found
    except (CheckerInputError, OSError, WholeTable):
        return []
