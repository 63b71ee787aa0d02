"""The id index must behave exactly like a dict from id to first position."""

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.idindex import IdIndex, pack, unpack


def test_packing_is_one_to_one_and_never_zero():
    ids = ["A", "\x00A", "A\x00", "\x00", "\x7f" * 8, "P0000001", "P000001", "12345678", "a", "A ", "0", "00"]
    keys = [pack(i) for i in ids]
    assert None not in keys and 0 not in keys and len(set(keys)) == len(ids)
    assert all(k < 1 << 64 for k in keys)
    assert pack("") is None and pack("123456789") is None and pack("编号") is None and pack("é") is None
    assert [unpack(k) for k in keys] == ids


_IDS = st.lists(
    st.one_of(st.text(max_size=10), st.sampled_from(["P1", "P01", "P1 ", "\x00P1", "\ud800x", "编号1"])), max_size=400
)


@settings(max_examples=60, deadline=None)
@given(_IDS, st.sampled_from([1 << 17, 0, 1, 7]))
def test_behaves_like_a_dict(ids, held):
    """In memory, and moved to disk after `held` ids (0: from the first id; 1 << 17: never, here)."""
    index, expected, moved = IdIndex(held=held), {}, False
    for position, record_id in enumerate(ids, start=1):
        moved = moved or len(expected) >= held  # the call that finds `held` ids already in memory moves them
        assert index.first(record_id, position) == expected.get(record_id)
        expected.setdefault(record_id, position)
    assert len(index) == len(expected)
    assert (index._disk is not None) == moved


def test_moves_to_disk_with_every_id_and_position_it_held():
    """Packed ids, ids of the dict (long, non-ASCII, a lone surrogate) and negative positions all carry over."""
    index = IdIndex(held=6)
    held = {"P0000001": 2, "A": -3, "编号-1": 4, "\ud800": 5, "123456789": -6, "\x00A": 7}
    for record_id, position in held.items():
        assert index.first(record_id, position) is None
    assert index._disk is None and len(index) == 6
    assert index.first("P0000002", 8) is None
    assert index._disk is not None and len(index._keys) == 0 and index._other == {}
    for record_id, position in held.items():
        assert index.first(record_id, 99) == position
    assert index.first("P0000002", 99) == 8 and index.first("A\x00", 9) is None and index.first("a", 10) is None
    assert len(index) == 9


def test_grows_past_many_ids():
    index = IdIndex()
    for n in range(50_000):
        assert index.first(f"P{n:07d}", n + 2) is None
    assert index.first("P0000000", 99) == 2 and index.first("P0049999", 99) == 50_001
    assert len(index) == 50_000


def test_slots_are_salted_per_index_so_no_input_can_be_crafted_to_collide():
    """A fixed multiplier let 60,000 crafted ids fall into one probe chain (415 s); each index draws its own."""
    from checker.core.idindex import IdIndex

    ids = [f"P{n:07d}" for n in range(1000)]
    layouts = []
    for _ in range(2):
        index = IdIndex()
        assert index._multiplier % 2 == 1
        for position, record_id in enumerate(ids):
            assert index.first(record_id, position) is None
        assert [index.first(record_id, -1) for record_id in ids] == list(range(1000))
        layouts.append(list(index._keys))
    assert layouts[0] != layouts[1]


def test_a_full_disk_under_the_table_is_a_temporary_file_error(monkeypatch):
    import sqlite3

    import pytest

    from checker.core.errors import TemporaryFileError

    index = IdIndex(held=1)
    assert index.first("P1", 2) is None and index.first("P2", 3) is None  # the second id moved both to disk

    class Full:
        def execute(self, *args):
            raise sqlite3.OperationalError("database or disk is full")

    index._disk._db = Full()
    with pytest.raises(TemporaryFileError, match="database or disk is full"):
        index.first("P3", 4)
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Full())
    with pytest.raises(TemporaryFileError, match="TMPDIR"):
        IdIndex(held=0).first("P1", 2)
