"""by_identity: built once per object, never confused by an id Python has recycled."""

from checker.core.memo import by_identity


def test_built_once_per_object_and_not_for_a_lookalike():
    table, calls = {}, []

    def build(obj):
        calls.append(obj)
        return len(calls)

    a, b = {"x": 1}, {"x": 1}  # equal, unhashable, distinct
    assert by_identity(table, a, build) == 1 and by_identity(table, a, build) == 1
    assert by_identity(table, b, build) == 2
    impostor = object()
    table[id(impostor)] = ("another object that once had this id", 99)
    assert by_identity(table, impostor, build) == 3 and len(calls) == 3
