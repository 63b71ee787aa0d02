"""Regular expressions compiled on first use, from programs kept between runs.

The finders declare ~100 patterns at module level; compiling them all at import
cost tens of milliseconds of every start, although a short document needs only
some of them (many are tried only once a candidate is found).  And compiling one
is itself slow for the classes the finders are made of: Python's compiler walks
a CJK range such as [\u4e00-\u9fff] one character at a time, 2-15 ms a class,
over 100 ms a run.  So the compiled program (the list of opcodes `re` hands to
`_sre`) is kept in checker's cache, keyed by the exact Python build and the
`_sre` version, and a later run builds the pattern from it directly.  Any doubt
(another Python, an internal that moved, a damaged entry) falls back to
`re.compile`, which is always correct.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from checker.core.cache import FORMAT, KeptTable

# Pattern attributes copied onto a LazyPattern once compiled: later calls are plain attribute lookups.
_DELEGATED = (
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "scanner",
    "groups",
    "groupindex",
)


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`: compiles on the first use, then behaves like the pattern.

    Once compiled, the pattern's methods are stored on the instance, so the finders' hot loops call them
    with no extra Python frame.
    """

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern:
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = compile_pattern(self.pattern, self.flags)
            for name in _DELEGATED:
                setattr(self, name, getattr(compiled, name))
            self._compiled = compiled
        return compiled

    def __getattr__(self, name: str):  # only for attributes not set yet: the first call compiles
        if name.startswith("__") or name == "_compiled":
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"

    def __reduce__(self):  # pickled as its source: compiled again only when used
        return LazyPattern, (self.pattern, self.flags)


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)


# ---------------------------------------------------------------- compiled programs kept between runs

# A program is kept as the bytes of its opcodes (machine order, `_sre.CODESIZE` each): a run loads all of them and
# uses a few, and unpickling bytes is a tenth of unpickling the same opcodes as a list of ints
_CODE_FORMAT = "b"
_OPCODE = "I"  # an unsigned int: the size of an opcode wherever _sre.CODESIZE is 4 (checked when one is kept)
# Programs kept at most (a run of every command uses about 300): a pattern built from data (the agency names, a
# word list) changes its text when the data changes, and the old text would otherwise be kept for ever
PROGRAMS_KEPT = 2000


def _programs_key() -> str:
    import _sre

    return "-".join(
        str(part)
        for part in (sys.implementation.cache_tag, sys.hexversion, _sre.MAGIC, _sre.CODESIZE, FORMAT, _CODE_FORMAT)
    )


PROGRAMS = KeptTable("regex", _programs_key, PROGRAMS_KEPT)  # (pattern, flags) -> program


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """`re.compile(pattern, flags)`, from the program kept by an earlier run when there is one."""
    entry = PROGRAMS.get((pattern, flags))
    if entry is not None:
        try:
            return _from_program(pattern, entry)
        except Exception:  # a damaged or foreign entry: compile it again
            pass
    try:
        compiled, entry = _compile_with_program(pattern, flags)
    except Exception:  # the internals this relies on are not there: plain re.compile
        return re.compile(pattern, flags)
    PROGRAMS.put((pattern, flags), entry)
    return compiled


def _from_program(pattern: str, entry: tuple) -> re.Pattern:
    import _sre

    flags, code, groups, groupindex, indexgroup = entry
    opcodes = memoryview(code).cast(_OPCODE).tolist()
    return _sre.compile(pattern, flags, opcodes, groups, groupindex, indexgroup)  # _sre validates the code


def _opcode_bytes(opcodes: list[int]) -> bytes:
    import _sre
    import array

    kept = array.array(_OPCODE, opcodes)
    if kept.itemsize != _sre.CODESIZE:
        raise TypeError("opcodes of another size are not kept")
    return kept.tobytes()


def _compile_with_program(pattern: str, flags: int) -> tuple[re.Pattern, tuple[Any, ...]]:
    """What `re._compiler.compile` does, keeping the program it hands to `_sre`."""
    from re import _compiler, _parser

    if not isinstance(pattern, str) or flags & re.DEBUG:
        raise TypeError("only str patterns without DEBUG are kept")
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    entry = (
        flags | parsed.state.flags,
        _opcode_bytes([int(op) for op in code]),
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )
    return _from_program(pattern, entry), entry
