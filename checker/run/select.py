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


def canonical(
    patterns: list[str], ids: set[str], categories: set[str]
) -> tuple[list[str], list[tuple[str, str | None]]]:
    """The patterns as rules and categories are written (ids and categories match case-insensitively), and the
    ones that name nothing known, each with the closest known name (None when nothing is close)."""
    by_upper = {i.upper(): i for i in ids}
    by_lower = {c.lower(): c for c in categories}
    out, unknown = [], []
    for raw in patterns:
        pattern = raw.strip()
        if pattern.endswith("*"):
            stem = pattern[:-1].upper()
            if stem and any(i.startswith(stem) for i in by_upper):
                out.append(stem + "*")
                continue
        elif pattern.upper() in by_upper:
            out.append(by_upper[pattern.upper()])
            continue
        elif pattern.lower() in by_lower:
            out.append(by_lower[pattern.lower()])
            continue
        import difflib  # only for a name that is not known: most runs name none

        names = sorted(ids) + sorted(categories)
        close = difflib.get_close_matches(pattern.upper().rstrip("*"), [n.upper() for n in names], n=1, cutoff=0.6)
        suggestion = next((n for n in names if close and n.upper() == close[0]), None)
        unknown.append((raw, suggestion))
    return out, unknown
