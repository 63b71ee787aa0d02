"""Text of record files: read whole (decoded, line lengths checked) or line by line from a byte offset."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import get_limits


def read_text(path: Path, check_lines: bool = True) -> str:
    """Text of a record file: UTF-8 (BOM allowed) or GB18030/GBK, detected; binary is refused.

    The file size limit always applies; the line length limit unless `check_lines` is false
    (JSON is often written on one line).
    """
    from checker.inputs.decode import check_line_lengths, read_text_file

    text = read_text_file(path).text
    if check_lines:
        check_line_lengths(text, str(path))
    return text


class TextLines:
    """Lines of a text file read from a byte offset, decoded one at a time; an iterator of str.

    Line breaks are those of `read_text` and of io.TextIOWrapper's universal newlines: "\\r\\n", "\\r"
    and "\\n" each end a line and become "\\n" (the last line may have none).  A break byte never occurs
    inside a UTF-8 or GB18030 character, so each line decodes on its own.  `offset` is the byte
    offset of the next line and `line` the number of the last line returned.  A line longer than
    `max_line_chars`, bytes that do not decode (`undecodable` names the problem), or more than
    `max_file_bytes` in all raise CheckerInputError naming the line.
    """

    _CHUNK = 64 * 1024

    def __init__(
        self,
        handle,
        source: str,
        encoding: str,
        offset: int,
        line: int = 1,
        undecodable: str = "文件内容无法按检测到的编码解码（读取中文件被修改？）",
    ):
        limits = get_limits()
        handle.seek(offset)
        self._handle = handle
        self._source = source
        self._encoding = encoding
        self._undecodable = undecodable
        self._limit = limits.max_line_chars
        self._max_pending = 4 * limits.max_line_chars + 4  # bytes: a longer line has too many characters
        self._budget = limits.max_file_bytes - offset
        self.offset = offset
        self.line = line - 1
        self.iter_lines: list[bytes] = []
        self._next = 0
        self._rest = b""
        self._eof = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._next >= len(self.iter_lines):
            self._fill()
        raw = self.iter_lines[self._next]
        self._next += 1
        self.offset += len(raw)
        self.line += 1
        try:
            text = raw.decode(self._encoding)
        except UnicodeDecodeError:
            raise CheckerInputError(
                self._undecodable, Location(self._source, line=self.line), code="INPUT-FILE"
            ) from None
        if text[-1:] == "\n":
            if text[-2:-1] == "\r":
                text = text[:-2] + "\n"
            length = len(text) - 1
        elif text[-1:] == "\r":
            text = text[:-1] + "\n"
            length = len(text) - 1
        else:
            length = len(text)
        if length > self._limit:
            raise _long_line(self._source, self.line)
        return text

    def _fill(self) -> None:
        self.iter_lines, self._next = [], 0
        while not self.iter_lines:
            if len(self._rest) > self._max_pending:
                raise _long_line(self._source, self.line + 1)
            block = b"" if self._eof else self._handle.read(self._CHUNK)
            if not block:
                self._eof = True
                if not self._rest:
                    raise StopIteration
                self.iter_lines, self._rest = [self._rest], b""
                return
            self._budget -= len(block)
            if self._budget < 0:
                raise CheckerInputError(
                    "文件过大（读取中仍在增长），未读完", Location(self._source, line=self.line + 1), code="INPUT-LIMIT"
                )
            lines = (self._rest + block).splitlines(True) if self._rest else block.splitlines(True)
            # an unfinished last line, or one ending in "\r" that a "\n" in the next block may complete, waits
            self._rest = lines.pop() if lines[-1][-1:] != b"\n" else b""
            self.iter_lines = lines


def _long_line(source: str, line: int) -> CheckerInputError:
    from checker.inputs.decode import long_line_error

    return long_line_error(source, line, None)


def utf8_bom_length(handle) -> int:
    """Bytes of a UTF-8 byte order mark at the start of a binary file (read from its start), 0 without one."""
    handle.seek(0)
    return len(codecs.BOM_UTF8) if handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0


def iter_lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, sliced one at a time (io.StringIO would copy the whole text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end
