"""Step 3: turn a typed record into an engine fact.

Facts follow the durable-rules safety notes: numbers are numbers, booleans
booleans, dates YYYYMMDD integers, missing values are absent (never None),
the record's own `id` is renamed (durable takes `id`/`sid` as identity), and
no long text ever goes in.  The engine wrapper adds the kind guard and a
unique key.

Derived fields (declared `derived=True` in checker.fields) are computed here:
this is where Python does the observation work (working days from the State
Council calendar, stage counts) so that rules only compare values.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

from checker.core.values import date_key
from checker.records.normalize import Approval, Project, Record

MAX_FACT_TEXT = 1000  # far below durable's 64 KiB truncation
# durable-rules' JSON parser rejects numbers such as 1e-05 or 1e+16 (exponent
# without a decimal point: error 204).  Python writes floats that way below
# 1e-4 and from 1e16 on, so facts keep numbers inside that range.
ENGINE_MIN_MAGNITUDE = 1e-4
ENGINE_MAX_MAGNITUDE = 1e15
_QUALIFIER = re.compile(r"[（(][^（）()]*[）)]$")


def engine_number(value: float | int) -> float | int:
    """A number durable-rules can parse: magnitudes below 1e-4 become 0 (meaningless here)."""
    if isinstance(value, bool):
        return value
    if abs(value) >= ENGINE_MAX_MAGNITUDE:
        raise ValueError(f"数值过大：{value}")
    if abs(value) < ENGINE_MIN_MAGNITUDE:
        return 0
    return value


@lru_cache(maxsize=2048)  # an export names a few dozen item types, on every row (and four steps ask)
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


def to_fact(record: Record, as_of: date | None = None) -> dict[str, Any]:
    if getattr(type(record), "fact", None) is not None:  # document observations build their own compact facts
        return record.fact()
    fact: dict[str, Any] = {"record_id": record.id[:MAX_FACT_TEXT]}
    for spec in record.schema.fields:
        if spec.name == "id" or spec.derived or spec.max_chars:
            continue  # long text (a document body) never enters the engine
        value = getattr(record, spec.name, None)
        if value is None:
            continue
        if isinstance(value, date):
            value = date_key(value)
        elif isinstance(value, str):
            value = value[:MAX_FACT_TEXT]
        elif isinstance(value, (list, tuple)):
            continue  # lists enter rules through derived count fields
        elif isinstance(value, (int, float)):
            value = engine_number(value)
        fact[spec.name] = value
    if record.kind in ("approval", "approval_item"):
        fact["item"] = item_key(record.item)[:MAX_FACT_TEXT]
    fact.update(derived_values(record, as_of or date.today()))
    return fact


def derived_values(record: Record, as_of: date) -> dict[str, Any]:
    if isinstance(record, Project):
        stages = record.approval_flow_stages
        return {"approval_stage_count": len(stages)} if stages else {}
    if isinstance(record, Approval):
        count = approval_count(record, as_of)
        values: dict[str, Any] = {"is_open": record.completed_on is None,
                                  "calendar_known": count is None or count.decidable}
        if count is None:  # accepted after the reference date: nothing used yet
            values["open_working_days"] = 0
        elif count.decidable:
            values["elapsed_working_days" if record.completed_on else "open_working_days"] = count.days
        return values
    return {}


def approval_count(record: Approval, as_of: date):
    """The working-day count of an item: to its completion, or (still open) to `as_of`."""
    end = record.completed_on if record.completed_on is not None else as_of
    if end < record.accepted_on:
        return None  # an open item accepted after the reference date (completed_on < accepted_on is refused earlier)
    return _count(record.accepted_on, end, record.completed_on is not None)


@lru_cache(maxsize=4096)
def _count(start: date, end: date, completed: bool):
    """Counted once per (start, end): the facts step and the report both need it, and dates repeat a lot."""
    from checker.workdays import elapsed_working_days, working_days_until

    return elapsed_working_days(start, end) if completed else working_days_until(start, end)
