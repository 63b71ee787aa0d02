"""Approval item types: every row of an export names an item (事项); each item type of a file becomes one record.

An item type's record carries its name as first written, the line of its first row, the largest promised time
of its rows and how many rows it has, so that rules on what the system promises (ONE-DAY-PROMISED) are checked
once per item type, not once per row.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from checker.records.record import make_record

_QUALIFIER = re.compile(r"[（(][^（）()]*[）)]$")


@lru_cache(maxsize=2048)  # an export names a few dozen item types, on every row (and several steps ask)
def item_key(name: str) -> str:
    """An approval item's name as rules compare it: NFKC, no spaces, no trailing （…） qualifier.

    "建筑工程施工许可证核发（新办）" and "建筑工程施工许可证核发 " both become
    "建筑工程施工许可证核发", so the one-day scope lists each item once.
    """
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    while True:
        stripped = _QUALIFIER.sub("", text)
        if stripped == text or not stripped:
            return text
        text = stripped


def token(record: Any) -> tuple | None:
    """What a row tells its file's item types (small: it travels from worker processes)."""
    if record.kind != "approval":
        return None
    return (record.item, record.line, record.promised_working_days, record.source)


class ItemTypes:
    """The item types of one file, gathered row by row."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, Any]] = {}
        self.source: str | None = None

    def add(self, row: tuple) -> None:
        item, line, promised, source = row
        entry = self.types.setdefault(item_key(item), {"item": item, "line": line, "promised": None, "rows": 0})
        entry["rows"] += 1
        if promised is not None and (entry["promised"] is None or promised > entry["promised"]):
            entry["promised"] = promised
        self.source = self.source or source

    def records(self, path: str) -> list:
        """One record per item type (its first row's name and line, its largest promised time)."""
        return [
            make_record(
                "approval_item",
                {
                    "id": summary["item"],
                    "item": summary["item"],
                    "source": self.source or path,
                    "line": summary["line"],
                    "index": 10**9 + position,
                    "promised_working_days": summary["promised"],
                    "row_count": summary["rows"],
                },
            )
            for position, summary in enumerate(self.types.values(), start=1)
        ]
