"""The plain-Python evaluator of the same parsed conditions: explainer, differential-test oracle, and the fallback
where durable-rules cannot be imported (it fails to import on Python 3.13).
"""

from __future__ import annotations

from typing import Any

from checker.rules.book import Pack, RuleBook
from checker.rules.conditions import holds


class PythonEvaluator:
    name = "python"

    def __init__(self, book: RuleBook | None = None):
        self.book = book

    def fired(self, pack: Pack, fact: dict[str, Any], kind: str | None = None) -> set[str]:
        kind = kind or pack.spec.applies_to
        hits = set()
        for rule in pack.rules_for(kind):
            if holds(rule.condition, fact):
                hits.add(rule.id)
                for suffix, condition in rule.extra.items():  # each holds only where the rule does
                    if holds(condition, fact):
                        hits.add(rule.engine_id(suffix))
        return hits

    def fired_all(self, fact: dict[str, Any], kind: str) -> set[str]:
        hits: set[str] = set()
        for pack in self.book.packs_for(kind):
            hits |= self.fired(pack, fact, kind)
        return hits
