"""Step 3: turn a typed record into an engine fact.

Facts follow the durable-rules safety notes: numbers are numbers, booleans
booleans, dates YYYYMMDD integers, missing values are absent (never None),
the record's own `id` is renamed (durable takes `id`/`sid` as identity), and
no long text ever goes in.  The engine wrapper adds the kind guard and a
unique key.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .normalize import Record
from .values import date_key

MAX_FACT_TEXT = 1000  # far below durable's 64 KiB truncation


def to_fact(record: Record) -> dict[str, Any]:
    fact: dict[str, Any] = {"record_id": record.id[:MAX_FACT_TEXT]}
    for spec in record.schema.fields:
        if spec.name == "id":
            continue
        value = getattr(record, spec.name, None)
        if value is None:
            continue
        if isinstance(value, date):
            value = date_key(value)
        elif isinstance(value, str):
            value = value[:MAX_FACT_TEXT]
        elif isinstance(value, (list, tuple)):
            continue  # lists enter rules through derived count fields
        fact[spec.name] = value
    return fact
