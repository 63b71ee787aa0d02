"""CSV record files, streamed; delimiter sniffed from the header line, quoting errors named by line."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import get_limits
from checker.core.values import printable
from checker.inputs.base import RecordBudget, RecordFormat, ResumePoint
from checker.inputs.tables import table_header, table_records
from checker.inputs.textlines import TextLines, iter_lines, read_text
from checker.records.raw import FileNotice, RawRecord


def sniff_delimiter(first_line: str) -> str:
    """The delimiter among , ; tab that the first line (without its break) uses most."""
    return max(",;\t", key=first_line.count) if first_line else ","


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
            end = text.find("\n")
            delimiter = sniff_delimiter(text if end < 0 else text[:end])
            rows = csv_rows(source, iter_lines(text), delimiter, stop_line=stop_line)
            yield from table_records(source, rows, notices, budget, csv_width=True)
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
        first = next(lines, "")
        delimiter = sniff_delimiter(first[:-1] if first.endswith("\n") else first)
        rows = csv_rows(
            source, itertools.chain((first,), lines), delimiter, stop_line=stop_line if start is None else None
        )
        if start is None:
            yield from table_records(source, rows, notices, budget, csv_width=True)
            return
        # the header row still names the columns; the records then come from the resume point on
        header = table_header(source, rows)
        del rows
        lines = TextLines(handle, source, encoding, start.offset, start.line)
        data_rows = csv_rows(source, lines, delimiter, first_line=start.line, stop_line=stop_line)
        yield from table_records(source, data_rows, [], budget, csv_width=True, header=header, first_index=start.index)


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
        message = str(exc)
        shown = "制表符" if delimiter == "\t" else delimiter
        if "unexpected end of data" in message:
            raise CheckerInputError(
                "引号未闭合：本行开始的带引号单元格直到文件末尾都没有结束引号（文件可能未写完），此后的内容未检查",
                Location(source, line=start),
                code="INPUT-FORMAT",
            ) from None
        if "expected after" in message:
            raise CheckerInputError(
                f"引号使用有误：结束引号后还有其他字符（应紧跟分隔符“{shown}”或换行），此后的内容未检查",
                Location(source, line=base + reader.line_num),
                code="INPUT-FORMAT",
            ) from None
        if "field larger than field limit" in message:
            raise CheckerInputError(
                f"单元格过长（超过 {limit:,} 个字符），此后的内容未检查",
                Location(source, line=start),
                code="INPUT-LIMIT",
            ) from None
        raise CheckerInputError(
            f"CSV 格式错误：{printable(message, 120)}",
            Location(source, line=base + reader.line_num),
            code="INPUT-FORMAT",
        ) from None


def csv_record_starts(handle, source: str, encoding: str, text_start: int) -> Iterator[tuple[int, int, int]]:
    """(offset, line, index) of each CSV record (a row not blank after the header); ends quietly where a full
    read would raise (no header, a bad header, quoting errors, a long line, `max_records`)."""
    limit = get_limits().max_records
    lines = TextLines(handle, source, encoding, text_start)
    first = next(lines, "")
    delimiter = sniff_delimiter(first[:-1] if first.endswith("\n") else first)
    rows = csv_rows(source, itertools.chain((first,), lines), delimiter)
    index = 0
    try:
        table_header(source, rows)
        offset = lines.offset  # where the next row starts: the reader pulls no line ahead of its row
        for line, cells in rows:
            if "".join(cells).strip():  # the cells of a CSV row are strings: blank when all are
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
