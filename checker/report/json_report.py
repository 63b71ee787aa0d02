"""The JSON contract: what tests and other tools read (documented in the README)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..categories import SEVERITIES
from ..pipeline import RunResult


def summary(result: RunResult) -> dict[str, Any]:
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITIES}
    eligible = [s for s in result.subsidies if s.eligible]
    return {
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


def to_document(result: RunResult, include_findings: bool = True, include_subsidies: bool = True) -> dict[str, Any]:
    return {
        "checker_version": __version__,
        "rules_version": result.book.version,
        "rules_digest": result.book.digest,
        "engine": result.evaluator,
        "as_of": result.as_of.isoformat(),
        "files": result.files,
        "summary": summary(result),
        "errors": result.errors,
        "findings": [f.to_json() for f in result.findings] if include_findings else [],
        "subsidies": [s.to_json() for s in result.subsidies] if include_subsidies else [],
    }


def render(result: RunResult, **kwargs: Any) -> str:
    return json.dumps(to_document(result, **kwargs), ensure_ascii=False, indent=2)
