"""What an evaluator is: the ids of the rules that hold for one fact.
"""

from __future__ import annotations

from typing import Any, Protocol

from checker.rules.book import Pack


class Evaluator(Protocol):
    name: str

    def fired(self, pack: Pack, fact: dict[str, Any], kind: str | None = None) -> set[str]:
        """Ids of the pack's engine rules that hold for a fact of `kind` (incl. `ID:referral`).

        `kind` defaults to the pack's record kind.
        """

    def fired_all(self, fact: dict[str, Any], kind: str) -> set[str]:
        """Ids of every engine rule of every pack that holds for a fact of `kind`: one evaluation per record."""

def engine_ids(pack: Pack, kind: str) -> set[str]:
    ids = set()
    for rule in pack.rules_for(kind):
        ids.add(rule.id)
        if rule.referral is not None:
            ids.add(rule.referral_id)
    return ids
