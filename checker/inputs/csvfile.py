"""CSV record files, streamed; delimiter sniffed from the header line (not a title line above it), quoting
errors named by line."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import get_limits
from checker.core.values import printable
from checker.inputs.base import RecordBudget, RecordFormat, ResumePoint
from checker.inputs.tables import (
    NOTES_ROW,
    TableHeader,
    WholeTable,
    first_filled,
    note_header,
    special_row,
    table_header,
    table_records,
)
from checker.inputs.textlines import TextLines, iter_lines, read_text
from checker.records.raw import FileNotice, RawRecord


def sniff_delimiter(first_line: str) -> str:
    """The delimiter among , ; tab that the first line (without its break) uses most."""
    return max(",;\t", key=first_line.count) if first_line else ","


def csv_header(source: str, lines: Iterator[str]) -> tuple[TableHeader, str, int]:
    """The header of a CSV (`table_header`), the delimiter its line uses most, and the line after it.

    The rows up to the header are each parsed with the delimiter their own first line uses most, so that a
    title line ("2024年装配式建筑项目台账", without any delimiter) does not choose the file's; the rows after
    the header are the caller's, from `lines` (no line after the header row is taken from it).
    """
    state = {"delimiter": ",", "next": 1}
    header = table_header(source, _rows_before_data(source, lines, state))
    return header, state["delimiter"], state["next"]


def _rows_before_data(source: str, lines: Iterator[str], state: dict) -> Iterator[tuple[int, list[object]]]:
    """(line, cells) of each row, each read with its own line's delimiter; `state` holds the last row's
    delimiter and the line after it."""
    csv.field_size_limit(get_limits().max_line_chars)
    line = 1
    for first in lines:
        if not first.strip():  # a blank line: what the csv module makes of it is blank too
            state["next"] = line + 1
            yield line, []
            line += 1
            continue
        delimiter = sniff_delimiter(first)
        reader = csv.reader(itertools.chain((first,), lines), delimiter=delimiter, strict=True)
        try:
            cells = next(reader)
        except csv.Error as exc:
            raise _quoting_error(source, str(exc), delimiter, line, line + reader.line_num - 1) from None
        state["delimiter"], state["next"] = delimiter, line + reader.line_num
        yield line, cells
        line = state["next"]


def csv_records(
    path: Path,
    notices: list[FileNotice],
    budget: RecordBudget,
    start: ResumePoint | None = None,
    stop: ResumePoint | None = None,
) -> Iterator[RawRecord]:
    """Records of a CSV file, streamed line by line (from `start` to `stop` when given, see `read_records`)."""
    from checker.inputs.decode import checked_file_size, scan_text_file

    source = str(path)
    stop_line = stop.line if stop is not None else None
    if start is None:
        scan = scan_text_file(path, source)
        if scan is None:  # UTF-16, a guessed encoding, or an error decode_text names: read whole as before
            text = read_text(path)
            yield from _records_after_header(source, iter_lines(text), notices, budget, stop_line)
            return
        encoding, text_start = scan.encoding, scan.start
    else:
        checked_file_size(path, source)
        encoding, text_start = start.encoding, start.text_start
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    with handle:
        lines = TextLines(handle, source, encoding, text_start)
        if start is None:
            yield from _records_after_header(source, lines, notices, budget, stop_line)
            return
        # the header row still names the columns; the records then come from the resume point on
        header, delimiter, _ = csv_header(source, lines)
        lines = TextLines(handle, source, encoding, start.offset, start.line)
        data_rows = csv_rows(source, lines, delimiter, first_line=start.line, stop_line=stop_line)
        # (a range's notices are of its own rows: the notes below the table end the last range)
        yield from table_records(
            source, data_rows, notices, budget, csv_width=True, header=header, first_index=start.index
        )


def _records_after_header(
    source: str, lines: Iterator[str], notices: list[FileNotice], budget: RecordBudget, stop_line: int | None
) -> Iterator[RawRecord]:
    """The records of a CSV read from its start: the header, its notices, then the rows after it."""
    header, delimiter, next_line = csv_header(source, lines)
    note_header(source, header, notices)
    rows = csv_rows(source, lines, delimiter, first_line=next_line, stop_line=stop_line)
    yield from table_records(source, rows, notices, budget, csv_width=True, header=header)


def csv_rows(
    source: str, lines: Iterator[str], delimiter: str, first_line: int = 1, stop_line: int | None = None
) -> Iterator[tuple[int, list[object]]]:
    """(line, cells) for every CSV row of `lines` (the first being line `first_line`), up to the row that starts
    on `stop_line`; malformed quoting is refused."""
    limit = get_limits().max_line_chars
    csv.field_size_limit(limit)  # a cell is no longer than a line (one spanning lines neither)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    base = first_line - 1
    start = first_line
    try:
        while stop_line is None or start < stop_line:
            row = next(reader, None)
            if row is None:
                return
            yield start, row
            start = base + reader.line_num + 1
    except csv.Error as exc:
        raise _quoting_error(source, str(exc), delimiter, start, base + reader.line_num) from None


def _quoting_error(source: str, message: str, delimiter: str, start: int, current: int) -> CheckerInputError:
    """The input error for the csv module's `message` about the row that starts on line `start` (read up to
    line `current`)."""
    shown = "制表符" if delimiter == "\t" else delimiter
    if "unexpected end of data" in message:
        return CheckerInputError(
            "引号未闭合：本行开始的带引号单元格直到文件末尾都没有结束引号（文件可能未写完），此后的内容未检查",
            Location(source, line=start),
            code="INPUT-FORMAT",
        )
    if "expected after" in message:
        return CheckerInputError(
            f"引号使用有误：结束引号后还有其他字符（应紧跟分隔符“{shown}”或换行），此后的内容未检查",
            Location(source, line=current),
            code="INPUT-FORMAT",
        )
    if "field larger than field limit" in message:
        return CheckerInputError(
            f"单元格过长（超过 {get_limits().max_line_chars:,} 个字符），此后的内容未检查",
            Location(source, line=start),
            code="INPUT-LIMIT",
        )
    return CheckerInputError(
        f"CSV 格式错误：{printable(message, 120)}", Location(source, line=current), code="INPUT-FORMAT"
    )


def csv_record_starts(handle, source: str, encoding: str, text_start: int) -> Iterator[tuple[int, int, int]]:
    """(offset, line, index) of each CSV record (a row after the header, not blank, not a totals row, before
    the notes below the table); ends quietly where a full read would raise (no header, a bad header, quoting
    errors, a long line, `max_records`) or stops taking records (the notes).

    A totals row raises `WholeTable`: it is checked against every row above it, which a range starting
    below the header cannot see, so such a file is read whole by one process.
    """
    limit = get_limits().max_records
    lines = TextLines(handle, source, encoding, text_start)
    index = 0
    try:
        header, delimiter, next_line = csv_header(source, lines)
        rows = csv_rows(source, lines, delimiter, first_line=next_line)
        id_at = header.columns.index("id") if "id" in header.columns else None
        name_at = header.columns.index("name") if "name" in header.columns else None
        offset = lines.offset  # where the next row starts: the reader pulls no line ahead of its row
        for line, cells in rows:
            lead = first_filled(cells)
            if lead is not None:  # not a blank row
                special = special_row(cells, lead, id_at, name_at, index > 0)
                if special == NOTES_ROW:
                    return
                if special is not None:
                    raise WholeTable(source)
                if index >= limit:
                    return
                index += 1
                yield offset, line, index
            offset = lines.offset
    except CheckerInputError:
        return


def _csv_layout(path: Path, source: str) -> tuple[str, int] | None:
    from checker.inputs.decode import scan_text_file

    scan = scan_text_file(path, source)
    return (scan.encoding, scan.start) if scan is not None else None


FORMAT = RecordFormat("CSV", (".csv",), csv_records, csv_record_starts, _csv_layout)
