"""Plain classes generated from their field declarations: the part of `dataclasses` checker uses, at a tenth
of its import-time cost.

`dataclasses` compiles four to six methods per class with `exec` and inspects annotations (about 1 ms a class;
a hundred classes were a third of a one-notice `checker lint`).  Here only `__init__` is compiled — it runs
once per object, so it must be as fast as the one `dataclasses` writes; compiled once and kept in checker's
cache, see `_code` — and equality, hashing, `repr`, freezing and pickling are shared functions reading the
class's field names.

Supported, with `dataclasses`' meaning: `frozen`, `slots`, `eq`, `unsafe_hash`, `field(default=,
default_factory=, init=, compare=, repr=)`, `__post_init__`, `ClassVar` annotations skipped, fields
inherited from a plain base class, methods the class writes itself kept.  `fields`, `replace` and `asdict`
are this module's.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, ClassVar

from checker.core.cache import FORMAT, KeptTable

_MISSING = object()
_FACTORY = object()  # the __init__ default of a field built by a factory


class FrozenError(AttributeError):
    """Raised on assignment to a frozen class's attribute."""


class Field:
    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr")

    def __init__(self, default=_MISSING, default_factory=_MISSING, init=True, compare=True, repr=True):
        self.name = ""
        self.default, self.default_factory = default, default_factory
        self.init, self.compare, self.repr = init, compare, repr

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(*, default=_MISSING, default_factory=_MISSING, init=True, compare=True, repr=True) -> Any:
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, compare, repr)


def fields(class_or_instance) -> tuple[Field, ...]:
    return tuple(class_or_instance.__plain_fields__.values())


def replace(obj, **changes):
    """A copy with some fields changed (fields not in __init__ cannot be)."""
    for f in obj.__plain_fields__.values():
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


def asdict(obj) -> dict[str, Any]:
    """The fields, plain classes within them converted too (as dataclasses.asdict does)."""

    def convert(value):
        if hasattr(type(value), "__plain_fields__"):
            return {f.name: convert(getattr(value, f.name)) for f in value.__plain_fields__.values()}
        if isinstance(value, (list, tuple)):
            return type(value)(convert(v) for v in value)
        if isinstance(value, dict):
            return {convert(k): convert(v) for k, v in value.items()}
        return value

    return convert(obj)


def plain(cls=None, /, *, frozen=False, slots=False, eq=True, unsafe_hash=False):
    """Decorate a class with annotated fields, as @dataclass(...) would."""

    def wrap(cls):
        return _build(cls, frozen, slots, eq, unsafe_hash)

    return wrap if cls is None else wrap(cls)


def _is_classvar(annotation) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


def _build(cls, frozen, slots, eq, unsafe_hash):
    declared: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        declared.update(getattr(base, "__plain_fields__", {}))
    body = cls.__dict__
    own: list[str] = []
    for name, annotation in body.get("__annotations__", {}).items():
        if not _is_classvar(annotation):
            value = body.get(name, _MISSING)
            spec = value if isinstance(value, Field) else Field(default=value)
            spec.name = name
            declared[name] = spec
            own.append(name)
    names = tuple(declared)
    compared = tuple(n for n in names if declared[n].compare)
    made: dict[str, Any] = {"__plain_fields__": declared}
    owner: list[type] = []  # the class built, for the deferred __init__ to replace itself on
    if "__init__" not in body:
        _check_order(declared)
        post_init = any("__post_init__" in k.__dict__ for k in cls.__mro__)
        made["__init__"] = _deferred_init(cls.__qualname__, declared, frozen, post_init, owner)
    if "__repr__" not in body:
        made["__repr__"] = _repr_of(tuple(n for n in names if declared[n].repr))
    if eq and "__eq__" not in body:
        made["__eq__"] = _eq_of(compared)
    if not ("__hash__" in body and not (body["__hash__"] is None and "__eq__" in body)):  # no hash of its own
        if unsafe_hash or (eq and frozen):
            made["__hash__"] = _hash_of(compared)
        elif eq:
            made["__hash__"] = None
    if frozen:
        made["__setattr__"], made["__delattr__"] = _frozen_setattr, _frozen_delattr
    if slots:
        namespace = {k: v for k, v in body.items() if k not in own and k not in ("__dict__", "__weakref__")}
        namespace["__slots__"] = tuple(n for n in own if n not in _slot_names(cls.__mro__[1:]))
        if frozen:
            namespace.setdefault("__getstate__", _getstate)
            namespace.setdefault("__setstate__", _setstate)
        built = type(cls)(cls.__name__, cls.__bases__, {**namespace, **made})
        owner.append(built)
        return built
    for name in own:  # a class attribute holds the default, as with dataclasses
        default = declared[name].default
        if default is not _MISSING:
            setattr(cls, name, default)
        elif name in body:
            delattr(cls, name)
    for key, value in made.items():
        setattr(cls, key, value)
    owner.append(cls)
    return cls


def _slot_names(bases) -> set[str]:
    return {name for base in bases for name in getattr(base, "__slots__", ())}


def _check_order(declared: dict[str, Field]) -> None:
    seen_default = False
    for name, spec in declared.items():
        if spec.init:
            if spec.default is _MISSING and spec.default_factory is _MISSING:
                if seen_default:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
            else:
                seen_default = True


def _deferred_init(qualname: str, declared: dict[str, Field], frozen: bool, post_init: bool, owner: list[type]):
    """An __init__ that compiles the real one on the class's first object and hands over to it: a run makes
    objects of fewer than half the classes it imports, and compiling was most of what a class cost."""

    def __init__(self, *args, **kwargs):
        real = _init(qualname, declared, frozen, post_init)
        type.__setattr__(owner[0], "__init__", real)
        real(self, *args, **kwargs)

    return __init__


def _init(qualname: str, declared: dict[str, Field], frozen: bool, post_init: bool):
    """Compile __init__ (the only generated code): positional parameters in field order, like dataclasses."""
    scope: dict[str, Any] = {"_FACTORY": _FACTORY, "_set": object.__setattr__}
    parameters, lines = [], []
    for name, spec in declared.items():
        if spec.default_factory is not _MISSING:
            scope[f"_factory_{name}"] = spec.default_factory
            value = f"_factory_{name}()" if not spec.init else f"_factory_{name}() if {name} is _FACTORY else {name}"
            default = "_FACTORY"
        elif spec.default is not _MISSING:
            scope[f"_default_{name}"] = spec.default
            value, default = (name, f"_default_{name}") if spec.init else (f"_default_{name}", None)
        else:
            value, default = name, None
        if spec.init:
            parameters.append(name if default is None else f"{name}={default}")
        elif spec.default is _MISSING and spec.default_factory is _MISSING:
            continue
        lines.append(f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    if post_init:
        lines.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(parameters)}):\n    " + ("\n    ".join(lines) or "pass")
    exec(_code(qualname, source), scope)
    init = scope["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    return init


# Compiling an __init__ costs 0.1-0.2 ms (a one-notice lint makes objects of ~40 classes: a tenth of its time), so
# the compiled code is kept in checker's cache as marshal bytes, keyed by the Python build and the exact source;
# anything unreadable is compiled again.
CODES_KEPT = 500  # sources kept at most: a class whose fields change leaves its old source behind


def _codes_key() -> str:
    import marshal
    import sys

    return "-".join(str(part) for part in (sys.implementation.cache_tag, sys.hexversion, marshal.version, FORMAT))


CODES = KeptTable("plain", _codes_key, CODES_KEPT)  # (qualname, source) -> marshal bytes of its code


def _code(qualname: str, source: str):
    """`compile(source)` for a class's __init__, from the code kept by an earlier run when there is one."""
    import marshal

    kept = CODES.get((qualname, source))
    if kept is not None:
        try:
            return marshal.loads(kept)
        except (ValueError, EOFError, TypeError):  # a damaged entry: compiled again below
            pass
    code = compile(source, f"<plain {qualname}>", "exec")
    CODES.put((qualname, source), marshal.dumps(code))
    return code


def _repr_of(names: tuple[str, ...]):
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _values_of(names: tuple[str, ...]):
    if not names:
        return lambda obj: ()
    getter = attrgetter(*names)
    return getter if len(names) > 1 else (lambda obj: (getter(obj),))


def _eq_of(names: tuple[str, ...]):
    values = _values_of(names)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash_of(names: tuple[str, ...]):
    values = _values_of(names)

    def __hash__(self) -> int:
        return hash(values(self))

    return __hash__


def _frozen_setattr(self, name, value):
    raise FrozenError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name):
    raise FrozenError(f"cannot delete field {name!r}")


def _getstate(self):
    return [getattr(self, name, _MISSING) for name in self.__plain_fields__]


def _setstate(self, state):
    for name, value in zip(self.__plain_fields__, state):
        if value is not _MISSING:
            object.__setattr__(self, name, value)
