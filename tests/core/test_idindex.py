"""The id index must behave exactly like a dict from id to first position."""

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.idindex import IdIndex, pack


def test_packing_is_one_to_one_and_never_zero():
    ids = ["A", "\x00A", "A\x00", "\x00", "\x7f" * 8, "P0000001", "P000001", "12345678", "a", "A ", "0", "00"]
    keys = [pack(i) for i in ids]
    assert None not in keys and 0 not in keys and len(set(keys)) == len(ids)
    assert all(k < 1 << 64 for k in keys)
    assert pack("") is None and pack("123456789") is None and pack("编号") is None and pack("é") is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(["P1", "P01", "P1 ", "\x00P1"])), max_size=400))
def test_behaves_like_a_dict(ids):
    index, expected = IdIndex(), {}
    for position, record_id in enumerate(ids, start=1):
        assert index.first(record_id, position) == expected.get(record_id)
        expected.setdefault(record_id, position)
    assert len(index) == len(expected)


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
