"""`--select` / `--ignore`: which findings a report shows, by rule id, category or id prefix."""

from __future__ import annotations


def matches(patterns: list[str], rule_id: str, category: str) -> bool:
    """A pattern is a rule id, a category, or a rule-id prefix ending in *."""
    for pattern in patterns:
        if pattern == rule_id or pattern == category:
            return True
        if pattern.endswith("*") and rule_id.startswith(pattern[:-1]):
            return True
    return False


def selected(rule_id: str, category: str, select: list[str], ignore: list[str]) -> bool:
    if select and not matches(select, rule_id, category):
        return False
    return not matches(ignore, rule_id, category)
