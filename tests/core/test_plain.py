"""checker.core.plain: the generated classes behave as the dataclasses they replaced."""

from __future__ import annotations

import copy
import pickle
from typing import ClassVar

import pytest

from checker.core.plain import FrozenError, asdict, field, fields, plain, replace
from tests.conftest import fresh_kept_table


@plain(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = field(default=(), compare=False, repr=False)
    unit: ClassVar[str] = "mm"


@plain
class Bag:
    name: str
    items: list = field(default_factory=list)
    count: int = field(default=0, init=False)

    def __post_init__(self):
        self.count = len(self.items)


@plain(slots=True, unsafe_hash=True)
class Key:
    kind: str
    number: int = 1


@plain(frozen=True, slots=True)
class Span:
    start: int
    end: int


@plain
class Base:
    a: int


@plain
class Child(Base):
    b: str = "b"


@plain(frozen=True, eq=False)
class Identity:
    value: int


def test_init_defaults_factories_and_post_init():
    assert (Point(1).x, Point(1).y, Point(1, 2).y, Point(x=3, y=4).y) == (1, 0, 2, 4)
    first, second = Bag("a"), Bag("b", [1, 2])
    first.items.append(9)
    assert (first.items, Bag("c").items, second.count) == ([9], [], 2)
    with pytest.raises(TypeError):
        Bag("a", [], 3)  # count is not a parameter
    with pytest.raises(TypeError):
        Point()


def test_equality_hash_and_repr_follow_compare_and_repr():
    assert Point(1, 2, ("a",)) == Point(1, 2, ("b",))
    assert hash(Point(1, 2, ("a",))) == hash(Point(1, 2))
    assert Point(1) != Span(1, 0) and Point(1) != (1, 0)
    assert repr(Point(1, 2, ("a",))) == "Point(x=1, y=2)"
    assert Bag.__hash__ is None  # eq without frozen: unhashable, as with dataclasses
    assert {Key("a"), Key("a"), Key("b", 2)} == {Key("a"), Key("b", 2)}
    one = Identity(1)
    assert one == one and Identity(1) != Identity(1)


def test_frozen_refuses_assignment_and_deletion():
    point = Point(1)
    with pytest.raises(FrozenError):
        point.x = 2
    with pytest.raises(AttributeError):
        del point.y
    with pytest.raises(FrozenError):
        Span(1, 2).start = 0


def test_slots_class_has_no_dict_and_class_defaults_stay_with_plain_classes():
    assert Key.__slots__ == ("kind", "number") and not hasattr(Key("a"), "__dict__")
    assert Point.y == 0 and Point.unit == "mm" and "unit" not in {f.name for f in fields(Point)}


def test_inherited_fields_come_first():
    assert [f.name for f in fields(Child)] == ["a", "b"]
    assert Child(1).b == "b" and Child(1, "c") == Child(a=1, b="c")


def test_replace_asdict_pickle_and_copy():
    assert replace(Point(1, 2), y=5) == Point(1, 5)
    assert replace(Bag("a", [1]), name="z").items == [1]
    assert asdict(Child(1)) == {"a": 1, "b": "b"}
    for value in (Point(1, 2, ("t",)), Span(3, 4), Key("k", 5), Child(2)):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value
    assert pickle.loads(pickle.dumps(Point(1, 2, ("t",)))).tags == ("t",)


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError, match="follows default"):

        @plain
        class Wrong:
            a: int = 0
            b: int


def _fresh_codes(monkeypatch, tmp_path):
    from checker.core import plain as module

    fresh_kept_table(monkeypatch, tmp_path, module, "CODES")
    return module


def _new_class(default: int = 7):
    @plain
    class Kept:
        a: int
        b: int = default
        items: list = field(default_factory=list)

    return Kept


def test_an_init_compiled_once_is_read_back_by_the_next_run(monkeypatch, tmp_path):
    module = _fresh_codes(monkeypatch, tmp_path)
    first = _new_class()(1)
    assert (first.a, first.b, first.items) == (1, 7, [])
    module.CODES.save()
    assert list((tmp_path / "checker" / "plain").glob("*.pickle"))
    module.CODES.reset()  # a new run: the code is read from the file, nothing compiled

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled although the code was kept")

    monkeypatch.setattr(module, "compile", no_compile, raising=False)
    again = _new_class()(2, items=[3])
    assert (again.a, again.b, again.items) == (2, 7, [3])
    assert type(again).__init__.__qualname__.endswith("Kept.__init__")
    other_default = _new_class(default=9)(4)  # the same source with another default: the default is the class's
    assert other_default.b == 9


def test_a_damaged_code_entry_is_compiled_again(monkeypatch, tmp_path):
    module = _fresh_codes(monkeypatch, tmp_path)
    _new_class()(1)
    key = next(k for k in module.CODES.entries() if "Kept" in k[0])
    module.CODES.entries()[key] = b"not marshal"
    made = _new_class()(5)
    assert (made.a, made.b) == (5, 7)


def test_without_a_cache_the_init_is_compiled_and_nothing_is_written(monkeypatch, tmp_path):
    module = _fresh_codes(monkeypatch, tmp_path)
    monkeypatch.setenv("CHECKER_NO_CACHE", "1")
    assert _new_class()(1).b == 7
    module.CODES.save()
    assert not (tmp_path / "checker").exists()
