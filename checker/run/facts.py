"""A typed record as an engine fact.

Facts follow the durable-rules safety notes: numbers are numbers, booleans
booleans, dates YYYYMMDD integers, missing values are absent (never None),
the record's own `id` is renamed (durable takes `id`/`sid` as identity), and
no long text ever goes in.  The engine wrapper adds the kind guard and a
unique key.

Derived fields (declared `derived=True`) are computed by the domains
(`Domain.derive`): this is where Python does the observation work (working
days from the State Council calendar, stage counts) so that rules only
compare values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.core.values import date_key
from checker.run.domain import installed

MAX_FACT_TEXT = 1000  # far below durable's 64 KiB truncation
# durable-rules' JSON parser rejects numbers such as 1e-05 or 1e+16 (exponent
# without a decimal point: error 204).  Python writes floats that way below
# 1e-4 and from 1e16 on, so facts keep numbers inside that range.
ENGINE_MIN_MAGNITUDE = 1e-4
ENGINE_MAX_MAGNITUDE = 1e15


def engine_number(value: float | int) -> float | int:
    """A number durable-rules can parse: magnitudes below 1e-4 become 0 (meaningless here)."""
    if isinstance(value, bool):
        return value
    if abs(value) >= ENGINE_MAX_MAGNITUDE:
        raise ValueError(f"数值过大：{value}")
    if abs(value) < ENGINE_MIN_MAGNITUDE:
        return 0
    return value


def to_fact(record: Any, as_of: date | None = None) -> dict[str, Any]:
    """The fact of a record: its fields in engine form, then what the domains derive from it."""
    if getattr(type(record), "fact", None) is not None:  # observations build their own compact facts
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
    as_of = as_of or date.today()
    for domain in installed():
        derived = domain.derive(record, as_of)
        if derived:
            fact.update(derived)
    return fact
