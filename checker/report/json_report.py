"""The JSON contract: what tests and other tools read (documented in the README).

Written as a stream: findings one per line, then the per-record outcomes
(which may come from a spill file), then the summary — so a report on a
million records never has to exist in memory as one string.
"""

from __future__ import annotations

import io
import json
from typing import Any, TextIO

from checker import __version__
from checker.core.values import compact_json, json_text
from checker.run.domain import section_specs
from checker.run.result import RunResult


def summary(result: RunResult) -> dict[str, Any]:
    data = {
        "files": len(result.files),
        "records_checked": result.records_checked,
        "findings": result.severity_counts(),
        "waived": result.waived_count(),
        "input_errors": len(result.errors),
        "skipped_files": len(result.skipped),
    }
    for spec in section_specs():
        outcomes = result.sections[spec.key]
        if spec.summary_always or outcomes:
            data[spec.summary_key] = outcomes.stats.to_json()
    return data


def _dump(value: Any, indent: int | None = None) -> str:
    if indent is None:
        return compact_json(value)
    return json_text(json.dumps(value, ensure_ascii=False, indent=indent))


def _array(stream: TextIO, key: str, items, last: bool = False) -> None:
    stream.write(f'  "{key}": [')
    first = True
    for text in items:
        stream.write("\n    " if first else ",\n    ")
        stream.write(text)
        first = False
    stream.write("\n  ]" if not first else "]")
    stream.write("\n" if last else ",\n")


def write(result: RunResult, stream: TextIO) -> None:
    """One JSON document; each finding and outcome is one compact line inside its array."""
    head = {
        "checker_version": __version__,
        "rules_version": result.book.version,
        "rules_digest": result.book.digest,
        "engine": result.evaluator,
        "as_of": result.as_of.isoformat(),
    }
    stream.write("{\n")
    for key, value in head.items():
        stream.write(f'  "{key}": {_dump(value)},\n')
    stream.write(f'  "files": {_dump(result.files)},\n')
    stream.write(f'  "errors": {_dump(result.errors)},\n')
    _array(stream, "findings", result.finding_texts())
    for key, outcomes in result.sections.items():
        if not outcomes:
            stream.write(f'  "{key}": [],\n')
            continue
        stream.write(f'  "{key}": [\n    ')
        outcomes.write_joined(stream, ",\n    ")
        stream.write("\n  ],\n")
    stream.write(f'  "summary": {_dump(summary(result))}\n')
    stream.write("}\n")


def render(result: RunResult) -> str:
    buffer = io.StringIO()
    write(result, buffer)
    return buffer.getvalue()
