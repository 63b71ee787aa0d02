"""Styled report lines without rich: text and (start, end, style) spans, turned into rich Text only for a styled
console.

A report to a pipe or a file is plain text; importing rich's console and text machinery to build lines whose
styles are then thrown away was a third of a one-notice `checker lint`.  The report builds `Styled` lines;
`Out` writes their `plain` text, or hands `rich()` to a terminal.
"""

from __future__ import annotations


class Styled:
    """A line of report text with styled spans (the part of rich.text.Text the report writers use)."""

    __slots__ = ("plain", "spans")

    def __init__(self, text: str = "", style: str = ""):
        self.plain = text
        self.spans: list[tuple[int, int, str]] = [(0, len(text), style)] if style and text else []

    def append(self, text: str, style: str | None = None) -> Styled:
        if style and text:
            self.spans.append((len(self.plain), len(self.plain) + len(text), style))
        self.plain += text
        return self

    def __add__(self, other: Styled | str) -> Styled:
        joined = Styled(self.plain)
        joined.spans = list(self.spans)
        if isinstance(other, str):
            return joined.append(other)
        offset = len(self.plain)
        joined.plain += other.plain
        joined.spans += [(start + offset, end + offset, style) for start, end, style in other.spans]
        return joined

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"Styled({self.plain!r}, {self.spans!r})"

    def rich(self):
        """The rich Text of this line (rich is imported here: only a styled console needs it)."""
        from rich.text import Span, Text

        end = len(self.plain)
        return Text(self.plain, spans=[Span(s, min(e, end), style) for s, e, style in self.spans if s < end])
