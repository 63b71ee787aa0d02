"""The record formats, one module each behind one small interface (`checker.inputs.base.RecordFormat`), as
conftest has `parser/<format>/`.  Adding a format is its module and one line here."""

from __future__ import annotations

from pathlib import Path

from checker.inputs import csvfile, jsonfile, xlsxfile, yamlfile
from checker.inputs.base import RecordFormat

FORMATS: tuple[RecordFormat, ...] = (
    yamlfile.FORMAT,
    jsonfile.JSON_FORMAT,
    jsonfile.JSONL_FORMAT,
    csvfile.FORMAT,
    xlsxfile.FORMAT,
)


def format_for(path: Path | str) -> RecordFormat | None:
    """The format of a file by its extension (case-insensitive), or None."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt in FORMATS if suffix in fmt.suffixes), None)
