"""Approval item types: every row of an export names an item (事项); each item type of a file becomes one record.

An item type's record carries its normalized name, the row (line and id) that promises the longest time, that
time, how many rows it has and which rows promise what, so that rules on what the system promises
(ONE-DAY-PROMISED) are checked once per item type, not once per row, and point at the row to change.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from checker.core.lazyre import lazy_compile
from checker.records.record import make_record

_QUALIFIER = lazy_compile(r"[（(][^（）()]*[）)]$")


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
    return (record.item, record.line, record.promised_working_days, record.source, record.id)


ROWS_KEPT = 20  # rows remembered per promised value: enough to list, bounded for exports of any size


class ItemTypes:
    """The item types of one file, gathered row by row."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, Any]] = {}
        self.source: str | None = None

    def add(self, row: tuple) -> None:
        item, line, promised, source, row_id = row
        entry = self.types.setdefault(
            item_key(item), {"line": line, "id": row_id, "rows": 0, "max": None, "by_value": {}}
        )
        entry["rows"] += 1
        if promised is not None:
            if entry["max"] is None or promised > entry["max"][0]:
                entry["max"] = (promised, line, row_id)  # the first row that promises the longest time
            count, kept = entry["by_value"].setdefault(promised, [0, []])
            entry["by_value"][promised][0] = count + 1
            if len(kept) < ROWS_KEPT:
                kept.append((line, row_id))
        self.source = self.source or source

    def records(self, path: str) -> list:
        """One record per item type, named by its normalized name and placed on the row that promises the longest
        time (its first row when none says), whose id it names; every promised value with its row count and
        first rows kept."""
        out = []
        for position, (key, summary) in enumerate(self.types.items(), start=1):
            promised, line, row_id = summary["max"] or (None, summary["line"], summary["id"])
            rows = [
                f"{value}|{count}|" + ";".join(f"{n}:{i}" for n, i in kept)
                for value, (count, kept) in sorted(summary["by_value"].items(), reverse=True)
            ]
            out.append(
                make_record(
                    "approval_item",
                    {
                        "id": key,
                        "item": key,
                        "longest_row": row_id,
                        "source": self.source or path,
                        "line": line,
                        "index": 10**9 + position,
                        "promised_working_days": promised,
                        "row_count": summary["rows"],
                        "promised_rows": rows,
                    },
                )
            )
        return out


def promised_over(record: Any, limit: float) -> str | None:
    """The rows of an item type whose promised time exceeds `limit`, as evidence: how many, and the first ones."""
    over: list[tuple[int, str, float]] = []
    total = 0
    for entry in record.promised_rows or ():
        value, count, kept = entry.split("|", 2)
        value = float(value)
        if value <= limit:
            continue
        total += int(count)
        for pair in filter(None, kept.split(";")):
            line, row_id = pair.split(":", 1)
            over.append((int(line), row_id, value))
    if not total:
        return None
    over.sort()
    shown = "、".join(f"{i}（第{n}行，{_days(v)} 个工作日）" for n, i, v in over[:ROWS_KEPT])
    more = "等" if total > min(len(over), ROWS_KEPT) else ""
    return f"承诺时限超过 {_days(limit)} 个工作日的办件 {total} 件：{shown}{more}"


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
