"""Text edits and graded fixes, as ruff has them: edits plus how safely they may be applied.

A fix is `safe` when it can be applied without reading the sentence (`--fix` applies only these), `unsafe`
when it is probably right but may change the meaning (applied only when asked for explicitly), and
`display` when it is a suggestion to show, never to apply.  Positions are 1-based lines and columns counted
in characters; `end_column` is exclusive.
"""

from __future__ import annotations

from checker.core.lazyre import lazy_compile
from checker.core.plain import plain

SAFE, UNSAFE, DISPLAY = "safe", "unsafe", "display"
APPLICABILITY = (DISPLAY, UNSAFE, SAFE)  # from least to most applicable
_RANK = {name: rank for rank, name in enumerate(APPLICABILITY)}
_LINE_BREAK = lazy_compile(r"(\r\n|\r|\n)")


@plain(frozen=True, slots=True)
class Edit:
    line: int
    column: int
    end_column: int
    content: str


@plain(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: str = DISPLAY

    @property
    def content(self) -> str | None:
        """The text of a one-edit fix (what a report shows as “改为…”)."""
        return self.edits[0].content if len(self.edits) == 1 else None

    def capped(self, ceiling: str) -> Fix:
        """This fix, no more applicable than `ceiling` (a rule's own limit)."""
        if _RANK[self.applicability] <= _RANK[ceiling]:
            return self
        return Fix(self.edits, ceiling)

    def applies(self, wanted: str = SAFE) -> bool:
        """Whether `--fix` (wanted=safe) or an unsafe-fix run (wanted=unsafe) applies it."""
        return self.applicability != DISPLAY and _RANK[self.applicability] >= _RANK[wanted]


def least(a: str, b: str) -> str:
    return a if _RANK[a] <= _RANK[b] else b


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits to the text, keeping every original line break as it was."""
    parts = _LINE_BREAK.split(text)  # line, break, line, break, ..., line
    by_line: dict[int, list[Edit]] = {}
    for edit in edits:
        by_line.setdefault(edit.line, []).append(edit)
    for line, items in by_line.items():
        index = (line - 1) * 2
        if index >= len(parts) or line < 1:
            continue
        content = parts[index]
        for edit in sorted(items, key=lambda e: e.column, reverse=True):
            content = content[: edit.column - 1] + edit.content + content[edit.end_column - 1 :]
        parts[index] = content
    return "".join(parts)


def without_overlaps(edits: list[Edit]) -> list[Edit]:
    """One edit per span (several rules may propose the same fix), later overlapping spans dropped."""
    chosen: dict[tuple[int, int, int], Edit] = {}
    for edit in edits:
        chosen.setdefault((edit.line, edit.column, edit.end_column), edit)
    kept: list[Edit] = []
    last: dict[int, int] = {}
    for key in sorted(chosen):
        line, start, end = key
        if start < last.get(line, 0):
            continue
        kept.append(chosen[key])
        last[line] = end
    return kept
