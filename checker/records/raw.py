"""A record as read from a file, before its values are converted: field name -> value as written, and where it came from.

Readers of every input format produce these; `checker.records.normalize` turns them into typed records, so that a bad value is
reported with its position and the other records of the file are still checked.
"""

from __future__ import annotations

from checker.core.errors import Location
from checker.core.plain import field, plain
from checker.core.values import printable


@plain
class RawRecord:
    source: str  # the path as the user gave it (or found under a directory)
    kind: str  # record schema kind: "project", ...
    index: int  # 1-based position among the file's records
    line: int | None  # line (text files) or spreadsheet row of the record
    data: dict[str, object]  # field name -> value as written
    field_lines: dict[str, int] = field(default_factory=dict)
    unknown_fields: list[str] = field(default_factory=list)
    row_based: bool = False  # CSV/XLSX rows are named "第N行", YAML records "第N条"
    # problems found while reading (duplicate keys, stray cells): (field or None, code, message); errors
    problems: list[tuple[str | None, str, str]] = field(default_factory=list)
    # record attributes the reader sets as they are, after conversion (a text file's origin, encoding, digest)
    attributes: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the record is named in messages: its id (shortened, control characters escaped), else its position."""
        rid = self.data.get("id")
        if rid is not None:
            text = printable(rid, 40).strip()
            if text:
                return text
        return f"第{self.line}行" if self.row_based and self.line else f"第{self.index}条"

    def location(self, field_name: str | None = None) -> Location:
        line = self.field_lines.get(field_name, self.line) if field_name else self.line
        return Location(self.source, line=line, record=self.label, field=field_name)


@plain
class FileNotice:
    """Something about a whole file worth telling (unknown columns and the like)."""

    source: str
    message: str
    code: str
    severity: str = "info"
