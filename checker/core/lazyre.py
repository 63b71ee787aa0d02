"""Regular expressions compiled on first use.

The finders declare ~40 patterns at module level; compiling them all at import
cost tens of milliseconds of every start, although a short document needs only
some of them (many are tried only once a candidate is found).
"""

from __future__ import annotations

import re

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
            compiled = re.compile(self.pattern, self.flags)
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
