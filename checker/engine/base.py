"""What an evaluator is: the ids of the rules that hold for one fact."""

from __future__ import annotations

from typing import Any, Protocol

from checker.rules.book import Pack


class Evaluator(Protocol):
    name: str

    def fired(self, pack: Pack, fact: dict[str, Any], kind: str | None = None) -> set[str]:
        """Ids of the pack's engine rules that hold for a fact of `kind` (incl. a rule's extra conditions, `ID:suffix`).

        `kind` defaults to the pack's record kind.
        """

    def fired_all(self, fact: dict[str, Any], kind: str) -> set[str]:
        """Ids of every engine rule of every pack that holds for a fact of `kind`: one evaluation per record."""


def engine_ids(pack: Pack, kind: str) -> set[str]:
    return {engine_id for rule in pack.rules_for(kind) for engine_id in rule.engine_conditions()}
