"""Findings of a rule pack on one record or observation, each with the evidence and conditions that made it fire."""

from __future__ import annotations

from checker.records.normalize import InputIssue
from checker.rules.book import Pack
from checker.rules.conditions import show
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


def rule_findings(
    subject, pack: Pack, fact: dict, hits: set[str], categories: set[str] | None = None, detail: str | None = None
) -> list[Finding]:
    """Findings of one `findings` pack on one record (or observation), with the conditions that made each fire.

    `hits` are the engine's verdicts for the subject (one evaluation per subject, over every pack); `detail`
    goes before the evidence (a domain's account of the record, such as the working days counted).
    """
    out = []
    for rule in pack.rules:
        if rule.id not in hits or (categories is not None and rule.category not in categories):
            continue
        # a missing value can only have mattered to a presence test: one in an `any` branch that did not hold
        # (政府主导 when the project is government-invested anyway) is not evidence
        unique, names, presence = rule.evidence_leaves
        evidence = "；".join(
            f"{leaf.spec.label} = {show(leaf.spec, fact.get(leaf.field), unit=True)}"
            for leaf in unique
            if leaf.spec.evidence
            and leaf.field != "raw"
            and (fact.get(leaf.field) is not None or leaf.field in presence)
        )
        raw = getattr(subject, "raw", None)
        if raw:
            evidence = f"原文“{raw}”" + (f"；{evidence}" if evidence else "")
        if detail:
            evidence = f"{detail}；{evidence}"
        out.append(
            Finding(
                rule_id=rule.id,
                category=rule.category,
                severity=rule.severity,
                source=subject.source,
                record_id=subject.id,
                message=rule.message(subject, fact),
                citation=rule.citation_short,
                citation_text=rule.citation_text,
                citations=rule.citation_objects,
                line=subject.line,
                column=getattr(subject, "column", None),
                end_column=getattr(subject, "end_column", None),
                title=rule.spec.title,
                evidence=evidence,
                fix=rule.spec.fix,
                autofix=rule.fix_for(subject, fact),
                snippet=getattr(subject, "snippet", None),
                explained=(rule.condition, names, tuple(fact.get(name) for name in names)),
                record_index=subject.index,
                place=getattr(subject, "place", None),
            )
        )
    return out
