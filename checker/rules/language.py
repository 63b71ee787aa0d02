"""What the domains add to the rule language, registered once at start-up (see `checker.domains.install`).

The language itself knows one kind of pack, `findings` (each rule that holds is a finding).  A domain may add
pack kinds whose rules it evaluates into outcomes of its own (the subsidy windows), each with its rule kinds:
extra keys such a rule may carry (validated by the domain's pydantic model), and a compile step that turns
them into conditions.  Domains also name the shipped pack directories, the data files rule examples depend
on (so a changed word list re-verifies the rules), the outcome words their rules may declare, and how a rule
example becomes the facts it is checked on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.core.plain import field, plain

FINDINGS = "findings"
FINDING = "finding"


@plain(frozen=True)
class RuleKind:
    """A kind of rule inside a domain's pack kind.

    `keys()`: extra rule-file keys, name -> (pydantic type, required); a function, so that pydantic is imported
    only when rule files are read.  `compile(rule_spec, condition, schema, params)` returns the rule's full
    condition and its extra engine conditions {suffix: condition} (evaluated as `RULE-ID:suffix`, and never
    holding when the rule's condition does not); it raises `ConditionError` for what is wrong.
    """

    name: str
    keys: Callable[[], dict[str, tuple[Any, bool]]] | None = None
    compile: Callable[..., tuple[Any, dict[str, Any]]] | None = None


@plain(frozen=True)
class PackKind:
    name: str
    rule_kinds: tuple[RuleKind, ...]
    pack_keys: Callable[[], dict[str, tuple[Any, bool]]] | None = None  # extra pack.yaml keys, as `RuleKind.keys`


@plain
class Language:
    pack_kinds: dict[str, PackKind] = field(default_factory=dict)
    pack_dirs: list[Path] = field(default_factory=list)  # the shipped packs, in order
    data_roots: list[Path] = field(default_factory=list)  # data files the rules are verified with
    outcome_words: dict[str, dict[str, str]] = field(default_factory=dict)  # record kind -> word -> meaning
    # (record, as_of) -> [(subject, fact), ...]: every subject a record yields, as a check would see it
    example_subjects: Callable[[Any, Any], list[tuple[Any, dict]]] | None = None

    def rule_kinds(self, pack_kind: str) -> dict[str, RuleKind]:
        if pack_kind == FINDINGS:
            return {FINDING: RuleKind(FINDING)}
        kind = self.pack_kinds.get(pack_kind)
        return {r.name: r for r in kind.rule_kinds} if kind is not None else {}

    def all_rule_kinds(self) -> dict[str, RuleKind]:
        out = {FINDING: RuleKind(FINDING)}
        for kind in self.pack_kinds.values():
            out.update((r.name, r) for r in kind.rule_kinds)
        return out

    def pack_kind_names(self) -> list[str]:
        return [FINDINGS, *self.pack_kinds]


LANGUAGE = Language()


def add_pack_kind(kind: PackKind) -> None:
    LANGUAGE.pack_kinds[kind.name] = kind


def add_pack_dirs(*dirs: Path) -> None:
    for directory in dirs:
        if directory not in LANGUAGE.pack_dirs:
            LANGUAGE.pack_dirs.append(directory)


def add_data_roots(*roots: Path) -> None:
    for root in roots:
        if root not in LANGUAGE.data_roots:
            LANGUAGE.data_roots.append(root)


def add_outcome_words(kind: str, words: dict[str, str]) -> None:
    LANGUAGE.outcome_words.setdefault(kind, {}).update(words)


def set_example_subjects(function: Callable[[Any, Any], list[tuple[Any, dict]]]) -> None:
    LANGUAGE.example_subjects = function
