"""Record id → position of its first record, for duplicate ids in a file of any length.

A provincial ledger keeps one entry per row until the file ends; a dict of
str → int costs about 115 bytes an entry (table, key and value objects), which
was half of what a 100,000-row check held.  Ids of up to 8 ASCII characters
(most ledgers' ids) are packed exactly into one 64-bit integer and kept with
their position in two arrays (open addressing, 16 bytes a slot); any other id
goes to a plain dict.  Both are exact: no hashing that could make two ids equal.

The slot of a packed id comes from multiply-shift hashing with a random odd
multiplier drawn per index, so no input can be crafted to collide (with a
fixed multiplier, 60,000 crafted ids took 415 s); the dict is salted by Python.
"""

from __future__ import annotations

import os
from array import array

_EMPTY = 0  # no packed id is 0: the marker bit below is always set
_MIN_BITS = 10
_WORD = (1 << 64) - 1


def _slot(key: int, multiplier: int, shift: int) -> int:
    return ((key * multiplier) & _WORD) >> shift


def pack(record_id: str) -> int | None:
    """An id of 1–8 ASCII characters as a nonzero 64-bit int, one-to-one; None for any other id.

    The bytes are read big-endian; ASCII leaves the top bit of each byte free, and setting it on the
    first byte marks where the id starts, so "A" and "\\0A" differ.
    """
    if not 0 < len(record_id) <= 8 or not record_id.isascii():
        return None
    return int.from_bytes(record_id.encode("ascii"), "big") | (1 << (8 * len(record_id) - 1))


class IdIndex:
    """`first(id, position)`: the position recorded for `id`, or None after recording `position`."""

    def __init__(self) -> None:
        self._keys = array("Q", bytes(8 << _MIN_BITS))
        self._positions = array("q", bytes(8 << _MIN_BITS))
        self._mask = (1 << _MIN_BITS) - 1
        self._shift = 64 - _MIN_BITS
        self._used = 0
        # odd: multiply-shift is then a universal hash family (os.urandom: what secrets.randbits reads, without
        # importing secrets, random and base64 at start-up)
        self._multiplier = int.from_bytes(os.urandom(8), "little") | 1
        self._other: dict[str, int] = {}

    def __len__(self) -> int:
        return self._used + len(self._other)

    def first(self, record_id: str, position: int) -> int | None:
        key = pack(record_id)
        if key is None:
            found = self._other.get(record_id)
            if found is None:
                self._other[record_id] = position
            return found
        keys, mask = self._keys, self._mask
        slot = _slot(key, self._multiplier, self._shift)
        while True:
            found = keys[slot]
            if found == key:
                return self._positions[slot]
            if found == _EMPTY:
                break
            slot = (slot + 1) & mask
        keys[slot] = key
        self._positions[slot] = position
        self._used += 1
        if self._used * 2 > len(keys):
            self._grow()
        return None

    def _grow(self) -> None:
        old_keys, old_positions = self._keys, self._positions
        capacity = len(old_keys) * 2
        keys, positions = array("Q", bytes(8 * capacity)), array("q", bytes(8 * capacity))
        mask, shift = capacity - 1, self._shift - 1
        for key, position in zip(old_keys, old_positions):
            if key == _EMPTY:
                continue
            slot = _slot(key, self._multiplier, shift)
            while keys[slot] != _EMPTY:
                slot = (slot + 1) & mask
            keys[slot] = key
            positions[slot] = position
        self._keys, self._positions, self._mask, self._shift = keys, positions, mask, shift
