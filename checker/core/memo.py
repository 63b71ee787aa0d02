"""Results derived once per rule-book object (a field spec, a condition, a rule) and reused per record.

These objects are long-lived but not always hashable (plain classes holding dicts, or costly to hash):
they are remembered by identity, keeping the object itself so a recycled id is never mistaken for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def by_identity(table: dict[int, tuple[Any, T]], obj: Any, build: Callable[[Any], T]) -> T:
    """`build(obj)`, computed on the first call for this very object and remembered in `table`."""
    entry = table.get(id(obj))
    if entry is None or entry[0] is not obj:
        entry = table[id(obj)] = (obj, build(obj))
    return entry[1]
