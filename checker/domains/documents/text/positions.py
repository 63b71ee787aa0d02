"""Offsets to (line, column), and where quoted text is.

Quoted text (“…” ‘…’ 「…」 『…』 and ASCII "…") is often an example of what
was wrong rather than the author's own wording, so finders mark observations
inside it and the rules can ignore them.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from checker.core.lazyre import lazy_compile

_PLUS_ONE = (1).__add__


class LineIndex:
    """Line starts of one text, computed once; `line_col` is a bisect."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str, lines: list[str] | None = None):
        self.text = text
        # each line's start is the last one's plus its length and the newline: summed in C, not a match a line
        self.starts = list(
            accumulate(map(_PLUS_ONE, map(len, text.split("\n") if lines is None else lines)), initial=0)
        )
        self.starts.pop()  # the start of a line after the last

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset (0 <= offset <= len(text))."""
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of `line_col`."""
        return self.starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end]


_last_index: LineIndex | None = None


def line_index(text: str, lines: list[str] | None = None) -> LineIndex:
    """The LineIndex of `text`, reused while the same string object is asked about (`lines`: `text` split at
    "\n", when the caller has it)."""
    global _last_index
    idx = _last_index
    if idx is None or idx.text is not text:
        idx = LineIndex(text, lines)
        _last_index = idx
    return idx


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of `offset` in `text`; repeated calls on one text are O(log n)."""
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside text of length {len(text)}")
    return line_index(text).line_col(offset)


# Opening quote -> closing quote.  ASCII '"' is symmetric and handled apart.
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_QUOTE_RUN = lazy_compile('([“‘「『])\\1*|[”’」』"]')  # a run of one opening mark is one match


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) offsets of the text inside quotes, marks excluded.

    Nesting-tolerant: only the outermost quote counts.  A closing mark with no
    matching opener is ignored; a quote still open at the end of its line ends
    there (a missing closer must not swallow the rest of the document).  An
    ASCII '"' closes an open ASCII '"' and otherwise opens one.

    A run of the same opening mark is one stack entry with its count (found by one match): a line of 300,000 “
    costs one step, not 300,000; and line ends are looked for only while a quotation is open, so 150,000 lines
    without a quotation mark cost one search.
    """
    spans: list[tuple[int, int]] = []
    stack: list[list] = []  # [opening mark, how many in a row]
    # how many of each opener the stack holds: a closer looks its opener up in O(1), not by scanning the stack
    held = dict.fromkeys((*_PAIRS, '"'), 0)
    outer_start = 0
    after = 0  # where the previous mark ended
    for m in _QUOTE_RUN.finditer(text):
        ch = m.group()[0]
        pos = m.start()
        if stack:  # a line end since the previous mark closes what is open (only then is a newline looked for)
            end = text.find("\n", after, pos)
            if end >= 0:
                spans.append((outer_start, end))
                stack.clear()
                held = dict.fromkeys(held, 0)
        after = m.end()
        if ch == '"':
            if stack and stack[-1][0] == '"':
                _take_one(stack, held)
                if not stack:
                    spans.append((outer_start, pos))
                continue
            opener, count = True, 1
        else:
            opener, count = ch in _PAIRS, m.end() - pos
        if opener:
            if not stack:
                outer_start = pos + 1
            if stack and stack[-1][0] == ch:
                stack[-1][1] += count
            else:
                stack.append([ch, count])
            held[ch] += count
            continue
        want = _CLOSERS[ch]
        if held[want]:
            while stack[-1][0] != want:
                top, many = stack.pop()
                held[top] -= many
            _take_one(stack, held)
            if not stack:
                spans.append((outer_start, pos))
    if stack:
        end = text.find("\n", after)
        spans.append((outer_start, end if end >= 0 else len(text)))
    return spans


def _take_one(stack: list[list], held: dict[str, int]) -> None:
    """The innermost opening mark closed: one off the top run."""
    top = stack[-1]
    held[top[0]] -= 1
    top[1] -= 1
    if not top[1]:
        stack.pop()


_last_spans: tuple[str, list[tuple[int, int]]] | None = None


def quoted_spans_cached(text: str) -> list[tuple[int, int]]:
    """`quoted_spans` of `text`, reused while finders ask about the same string object (do not mutate)."""
    global _last_spans
    cached = _last_spans
    if cached is None or cached[0] is not text:
        cached = (text, quoted_spans(text))
        _last_spans = cached
    return cached[1]


def in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `offset` lies in one of the sorted disjoint `spans` (end exclusive)."""
    i = bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]
