"""How a domain's outcomes are shown, as data every report format renders the same way.

A domain turns its outcomes into tables (one per input file), blocks of reasons under them (a heading, ✓/✗
condition trees, notes) and a summary; the terminal and HTML reports render these generically, so a new
domain needs no change in any report format.  Tones name what a value means (`ok`, `bad`, …); each format
picks its own colour or class for a tone.
"""

from __future__ import annotations

from typing import Any

from checker.core.plain import field, plain

# ok: good outcome; pending: waiting on something; bad / alarm: a problem (alarm: a serious one);
# active: in progress or hypothetical; undecided: cannot be decided; muted: out of scope; strong: emphasis only
TONES = ("ok", "pending", "bad", "alarm", "active", "undecided", "muted", "strong")


@plain(frozen=True)
class Cell:
    text: str
    tone: str | None = None
    badge: bool = False  # shown as a marked value (a coloured status), not plain text


@plain(frozen=True)
class Column:
    name: str
    numeric: bool = False  # right-aligned, never wrapped
    whole: bool = False  # never wrapped: ids and dates (a date split over lines is misread)

    @property
    def keep(self) -> bool:
        """Never wrapped in a terminal: a narrow terminal stacks the table instead."""
        return self.numeric or self.whole


@plain
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: list[list[Cell]]
    css: str  # the HTML table's class


@plain(frozen=True)
class CheckGroup:
    """A heading (a subsidy window) and the tree of conditions under it (a rules.conditions.Check)."""

    head: str
    check: Any


@plain(frozen=True)
class Note:
    prefix: str  # "→ 转市级以上：", "⚠ ", "◇ 试算 "
    text: str
    tone: str | None = None


@plain
class Block:
    """The reasons for one record's outcome."""

    title: str
    verdict: Cell
    groups: list[CheckGroup] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    footer: str | None = None  # the clauses relied on
    routine: bool = False  # nothing a reader needs explained (the text report leaves it out unless --explain)


@plain
class SectionView:
    """Everything a report shows of one domain section."""

    key: str  # "subsidies": also the HTML section's id
    title: str  # the report title when the section is the command's own ("一件事一次办 · …")
    heading: str  # the HTML section heading ("补贴资格")
    files: list[tuple[Table, list[Block]]]
    summary: str  # one or more lines
    blocks_heading: str | None = None  # HTML: heading above all blocks ("逐项说明")


def visible_checks(check: Any, depth: int = 0) -> list[tuple[int, Any]]:
    """Conditions to show under a heading: a satisfied "any" shows only its satisfied branches."""
    out = [(depth, check)] if depth > 0 else []
    children = check.children
    if check.passed and check.mode == "any":
        children = tuple(c for c in children if c.passed)
    for child in children:
        out.extend(visible_checks(child, depth + 1))
    return out
