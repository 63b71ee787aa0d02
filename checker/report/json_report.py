"""The JSON contract: what tests and other tools read (documented in the README)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..categories import SEVERITIES
from ..pipeline import RunResult, approval_summary


def summary(result: RunResult) -> dict[str, Any]:
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITIES}
    eligible = [s for s in result.subsidies if s.eligible]
    data = {
        "files": len(result.files),
        "records_checked": result.records_checked,
        "findings": counts,
        "input_errors": len(result.errors),
        "subsidy": {
            "projects": len(result.subsidies),
            "eligible": len(eligible),
            "pending_acceptance": sum(1 for s in result.subsidies if s.status == "pending_acceptance"),
            "municipal_referral": sum(1 for s in result.subsidies if s.municipal_referral),
            "total_amount_yuan": float(sum((s.amount_yuan for s in eligible), start=0)),
        },
    }
    if result.approvals:
        data["approvals"] = approval_summary(result.approvals)
    return data


def approval_json(outcome) -> dict[str, Any]:
    record, count = outcome.record, outcome.count
    data = {
        "record_id": record.id, "item": record.item, "project_id": record.project_id, "source": record.source,
        "line": record.line, "accepted_on": record.accepted_on.isoformat(),
        "completed_on": record.completed_on.isoformat() if record.completed_on else None,
        "promised_working_days": record.promised_working_days, "in_scope": outcome.in_scope,
        "decidable": count is None or count.decidable, "working_days": outcome.days if count is None or count.decidable else None,
        "verdict": outcome.verdict, "findings": [f.rule_id for f in outcome.findings],
    }
    if count is not None:
        data["counted_days"] = [d.isoformat() for d in count.counted]
        data["special_days"] = [{"date": n.day.isoformat(), "kind": n.kind, "name": n.name} for n in count.notes
                                if n.kind != "weekend"]
        if not count.decidable:
            data["reason"] = count.reason
    return data


def to_document(result: RunResult) -> dict[str, Any]:
    return {
        "checker_version": __version__,
        "rules_version": result.book.version,
        "rules_digest": result.book.digest,
        "engine": result.evaluator,
        "as_of": result.as_of.isoformat(),
        "files": result.files,
        "summary": summary(result),
        "errors": result.errors,
        "findings": [f.to_json() for f in result.findings],
        "subsidies": [s.to_json() for s in result.subsidies],
        "approvals": [approval_json(a) for a in result.approvals],
    }


def render(result: RunResult) -> str:
    return json.dumps(to_document(result), ensure_ascii=False, indent=2)
