"""The record formats, one module each behind one small interface (`checker.inputs.base.RecordFormat`), as
conftest has `parser/<format>/`.  Adding a format is its module and one line here.

A format's module is imported when a file of its kind is read: linting a .txt never loads PyYAML or openpyxl.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from checker.inputs.base import RecordFormat

# (module, attribute, suffixes): the suffixes are declared here so that choosing a format imports only its module
_DECLARED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("checker.inputs.yamlfile", "FORMAT", (".yaml", ".yml")),
    ("checker.inputs.jsonfile", "JSON_FORMAT", (".json",)),
    ("checker.inputs.jsonfile", "JSONL_FORMAT", (".jsonl",)),
    ("checker.inputs.csvfile", "FORMAT", (".csv",)),
    ("checker.inputs.xlsxfile", "FORMAT", (".xlsx",)),
)

RECORD_SUFFIXES = frozenset(suffix for _, _, suffixes in _DECLARED for suffix in suffixes)


def _load(module: str, attribute: str, suffixes: tuple[str, ...]) -> RecordFormat:
    fmt = getattr(import_module(module), attribute)
    assert fmt.suffixes == suffixes, f"{module}.{attribute} declares {fmt.suffixes}, formats.py {suffixes}"
    return fmt


def all_formats() -> tuple[RecordFormat, ...]:
    """Every format (imports every reader)."""
    return tuple(_load(*declared) for declared in _DECLARED)


def format_for(path: Path | str) -> RecordFormat | None:
    """The format of a file by its extension (case-insensitive), or None."""
    suffix = Path(path).suffix.lower()
    return next((_load(*declared) for declared in _DECLARED if suffix in declared[2]), None)
