"""What a document is checked as: itself (with its metadata as derived fields) and every observation in it.

Inline waiver markers are taken out of a text document first (blanked, so every other position stays), and a
kind with more observations than `max_observations` is reported once instead of checked to the end.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checker.core.limits import get_limits
from checker.domains.documents.observe import observe
from checker.records.fields import RULE_SCHEMAS
from checker.run.domain import Subjects
from checker.run.facts import to_fact
from checker.run.findings import INPUT_CITATION, Finding


def document_subjects(document: Any, as_of: date, organization: dict | None = None) -> Subjects:
    from checker.run.waivers import inline_waivers

    waivers, problems = [], []
    if document.origin != "record" and "checker:" in (document.body or ""):  # a marker's literal start
        waivers, problems, blanked = inline_waivers(document.source, document.body.split("\n"))
        if waivers or problems:
            document = document.replace(body="\n".join(blanked))
    observed = observe(document, as_of, organization)
    fact = to_fact(document, as_of)
    fact.update(observed.values)
    pairs = [(document, fact)] + [(o, o.fact()) for o in observed.observations]
    limit = get_limits().max_observations
    for kind in observed.truncated:
        problems.append(
            Finding(
                rule_id="INPUT-TOO-MANY",
                category="input",
                severity="warning",
                source=document.source,
                record_id=document.id,
                citation=INPUT_CITATION,
                record_index=document.index,
                message=f"文中{RULE_SCHEMAS[kind].label}超过 {limit:,} 处，只检查了前 {limit:,} 处，其余未查",
            )
        )
    return Subjects(pairs, document, problems, waivers, observed.outcome)
