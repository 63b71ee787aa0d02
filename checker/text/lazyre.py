"""Regular expressions compiled on first use.

The finders declare ~40 patterns at module level; compiling them all at import
cost tens of milliseconds of every start, although a short document needs only
some of them (many are tried only once a candidate is found).
"""

from __future__ import annotations

import re


class LazyPattern:
    """Stands in for `re.compile(pattern, flags)`: compiles on the first method call, then delegates."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def __getattr__(self, name: str):  # search, match, finditer, sub, groupindex, ...
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"

    def __reduce__(self):  # pickled as its source: compiled again only when used
        return LazyPattern, (self.pattern, self.flags)


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
