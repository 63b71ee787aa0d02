"""Findings of a rule pack on one record or observation, each with the evidence and conditions that made it fire.
"""

from __future__ import annotations

from datetime import date

from checker.engine.base import Evaluator
from checker.records.normalize import InputIssue, Record
from checker.rules.book import Pack
from checker.rules.conditions import leaves, show
from checker.run.facts import to_fact
from checker.run.findings import INPUT_CITATION, Finding


def input_finding(issue: InputIssue, index: int = 0) -> Finding:
    loc = issue.location
    return Finding(
        rule_id=issue.code,
        category="input",
        severity=issue.severity,
        source=loc.source,
        record_id=loc.record,
        message=issue.message,
        citation=INPUT_CITATION,
        line=loc.line,
        column=loc.column,
        evidence=f"字段 {loc.field}" if loc.field else None,
        record_index=index,
    )

def rule_findings(record: Record, pack: Pack, evaluator: Evaluator, as_of: date,
                  categories: set[str] | None = None, detail: str | None = None, fact: dict | None = None,
                  lines: list[str] | None = None, hits: set[str] | None = None) -> list[Finding]:
    """Findings of one `findings` pack on one record (or observation), with the conditions that made each fire.

    `hits` are the engine's verdicts for the record when already known (one evaluation per record).
    """
    fact = fact if fact is not None else to_fact(record, as_of)
    if hits is None:
        hits = evaluator.fired(pack, fact, record.kind)
    if not hits:
        return []
    schema = record.schema

    def value(name: str) -> str:
        spec = schema.get(name)
        return show(spec, fact.get(name)) if spec is not None and spec.derived else record.display(name)

    out = []
    for rule in pack.rules:
        if rule.id not in hits or (categories is not None and rule.category not in categories):
            continue
        unique = _unique_leaves(rule.condition)
        names = tuple(leaf.field for leaf in unique)
        evidence = "；".join(
            f"{leaf.spec.label} = {show(leaf.spec, fact.get(leaf.field), unit=True)}"
            for leaf in unique if leaf.field not in ("quoted", "raw")
        )
        if getattr(record, "raw", None):
            evidence = f"原文“{record.raw}”" + (f"；{evidence}" if evidence else "")
        if detail:
            evidence = f"{detail}；{evidence}"
        column = getattr(record, "column", None)
        suggestion = getattr(record, "replacement", None)
        replacement = suggestion if rule.spec.fixable else None
        text_line = getattr(record, "text_line", None)
        snippet = lines[text_line - 1] if lines is not None and text_line and text_line <= len(lines) else None
        out.append(Finding(
            rule_id=rule.id,
            category=rule.category,
            severity=rule.severity,
            source=record.source,
            record_id=record.id,
            message=rule.render_message({name: value(name) for name in rule.message_fields}),
            citation=rule.citation_short,
            citation_text=rule.citation_text,
            line=record.line,
            column=column,
            end_column=getattr(record, "end_column", None),
            title=rule.spec.title,
            evidence=evidence,
            fix=rule.spec.fix,
            suggestion=suggestion,
            replacement=replacement,
            snippet=snippet,
            explained=(rule.condition, names, tuple(fact.get(name) for name in names)),
            record_index=record.index,
        ))
    return out

def _unique_leaves(condition):
    seen, out = set(), []
    for leaf in leaves(condition):
        if leaf.field not in seen:
            seen.add(leaf.field)
            out.append(leaf)
    return out
