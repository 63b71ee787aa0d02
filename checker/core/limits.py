"""How much checker reads: the limits that keep a bad file from becoming a hang or a swap storm.

Every reader consults `get_limits()` when it opens a file; going over a limit
is a one-line input error naming the file (and the line or record), exit
code 2 — never a crash.  The command line and the configuration set them with
`set_limits`; tests use `limits_overridden(...)`.

The defaults (README "Limits and what --fix does and never does"):

- `max_file_bytes` 50 MiB: size on disk of any input file (records, documents, .xlsx/.docx), and of
  standard input;
- `max_line_chars` 1 Mi characters: one line of a .csv/.yaml/.jsonl/.txt/.md file, one .docx paragraph
  (not .json: JSON is often minified onto one line);
- `max_records` 1,000,000: records (rows, list items, lines) in one file; those before the limit are
  still checked;
- `max_document_chars` 2,000,000: characters in one document (about 1,000 pages of 公文);
- `max_nesting` 64: nesting depth of YAML/JSON (records need fewer than 10 levels);
- `max_unpacked_factor` 10: .xlsx/.docx may declare at most `max_file_bytes` × 10 uncompressed;
- `max_zip_ratio` 100: an .xlsx/.docx member larger than 1 MiB that inflates more than 100× is a zip
  bomb (real sheets: 5–15×);
- `max_zip_members` 10,000: members in an .xlsx/.docx.
- `max_convert_seconds` 60: how long LibreOffice may take to convert one .doc/.wps to .docx.

The limits are process-wide (every thread reads the same value); worker processes started by fork
inherit them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from checker.core.plain import fields, plain, replace

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

# A zip member is only judged by its ratio once it is this large: tiny members
# (an empty sheet, a style sheet of spaces) can compress absurdly well.
ZIP_RATIO_FLOOR_BYTES = 1 * MiB


@plain(frozen=True)
class Limits:
    max_file_bytes: int = 50 * MiB
    max_line_chars: int = 1 * MiB
    max_records: int = 1_000_000
    max_document_chars: int = 2_000_000
    max_nesting: int = 64
    max_unpacked_factor: int = 10
    max_zip_ratio: int = 100
    max_zip_members: int = 10_000
    max_convert_seconds: int = 60  # one .doc/.wps converted by LibreOffice
    max_observations: int = 1_000  # per kind (自称, 文号, 错别字 …) per document; the rest is counted, not checked

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"限值 {f.name} 应为正整数，实际为 {value!r}")

    @property
    def max_unpacked_bytes(self) -> int:
        """The most an .xlsx/.docx may declare it inflates to, all members together."""
        return self.max_file_bytes * self.max_unpacked_factor


DEFAULT_LIMITS = Limits()

_lock = threading.Lock()
_current = DEFAULT_LIMITS


def get_limits() -> Limits:
    """The limits in force (process-wide: every thread reads the same value)."""
    return _current


def set_limits(limits: Limits) -> Limits:
    """Put `limits` in force for every later read; returns the previous limits."""
    global _current
    if not isinstance(limits, Limits):
        raise TypeError(f"set_limits 需要 Limits，实际为 {type(limits).__name__}")
    with _lock:
        previous, _current = _current, limits
    return previous


@contextmanager
def limits_overridden(limits: Limits | None = None, **changes: int) -> Iterator[Limits]:
    """Temporarily use `limits` (default: the current ones) with `changes` applied; for tests.

    >>> with limits_overridden(max_records=5):
    ...     ...
    """
    chosen = replace(limits or get_limits(), **changes)
    previous = set_limits(chosen)
    try:
        yield chosen
    finally:
        set_limits(previous)


def format_bytes(size: int) -> str:
    """1536 -> "1.5 KiB", 52428800 -> "50 MiB" (for messages)."""
    for unit, factor in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if size >= factor:
            value = size / factor
            text = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return f"{size} 字节"
