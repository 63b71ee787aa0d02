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

Past `HELD_IDS` ids the index moves to a private temporary SQLite table on disk
(a B-tree: exact, and nothing to collide): a province's 1,000,000 rows held
32–48 MB of arrays here, the only part of a check that grew with the file,
while SQLite keeps a fixed 2 MiB page cache and costs 6–15 µs an id against
the ~450 µs of checking the row.
"""

from __future__ import annotations

import os
from array import array

from checker.core.errors import TemporaryFileError

_EMPTY = 0  # no packed id is 0: the marker bit below is always set
# Ids held in memory before the index moves to disk: 2^17 ids fill 2^18 slots, 4 MiB (a county's ledger stays
# in memory; a 100,000-row file never touches SQLite).
HELD_IDS = 1 << 17
_CACHE_KIB = 2048  # SQLite's page cache for the table on disk
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


def unpack(key: int) -> str:
    """The id `pack` made `key` from."""
    size = (key.bit_length() + 7) // 8  # the marker is the top bit of the first byte
    return (key ^ (1 << (8 * size - 1))).to_bytes(size, "big").decode("ascii")


class IdIndex:
    """`first(id, position)`: the position recorded for `id`, or None after recording `position`."""

    def __init__(self, held: int = HELD_IDS) -> None:
        self._held = held
        self._disk: _DiskIds | None = None
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
        if self._disk is not None:
            return self._disk.count
        return self._used + len(self._other)

    def first(self, record_id: str, position: int) -> int | None:
        if self._disk is not None:
            return self._disk.first(record_id, position)
        if self._used + len(self._other) >= self._held:
            self._disk = _DiskIds(self._entries(), len(self))
            self._keys = self._positions = array("Q")
            self._other = {}
            return self._disk.first(record_id, position)
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

    def _entries(self):
        """(id, position) of every id held in memory, one at a time (a list of them would double the peak)."""
        for key, position in zip(self._keys, self._positions):
            if key != _EMPTY:
                yield unpack(key), position
        yield from self._other.items()


class _DiskIds:
    """Id → first position in a private temporary SQLite database (deleted when the connection closes)."""

    def __init__(self, entries, count: int) -> None:
        import sqlite3

        self._errors = (sqlite3.Error, OSError)
        try:
            self._db = sqlite3.connect("", isolation_level=None)  # "": a temporary file of its own
            for pragma in (f"cache_size = -{_CACHE_KIB}", "journal_mode = OFF", "synchronous = OFF"):
                self._db.execute(f"PRAGMA {pragma}")
            # the id as UTF-8 bytes (any lone surrogate kept by surrogatepass): compared byte for byte, exactly
            self._db.execute("CREATE TABLE ids (id BLOB PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID")
            self._db.execute("BEGIN")  # one transaction, never committed: the table is thrown away
            self._db.executemany("INSERT INTO ids VALUES (?, ?)", ((_blob(i), p) for i, p in entries))
        except self._errors as exc:  # a full or unwritable temporary directory: the user's to change
            raise TemporaryFileError(exc) from None
        self.count = count

    def first(self, record_id: str, position: int) -> int | None:
        key = _blob(record_id)
        try:
            if self._db.execute("INSERT OR IGNORE INTO ids VALUES (?, ?)", (key, position)).rowcount:
                self.count += 1
                return None
            return self._db.execute("SELECT position FROM ids WHERE id = ?", (key,)).fetchone()[0]
        except self._errors as exc:
            raise TemporaryFileError(exc) from None


def _blob(record_id: str) -> bytes:
    return record_id.encode("utf-8", "surrogatepass")
