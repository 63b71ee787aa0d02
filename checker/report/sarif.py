"""SARIF 2.1.0 for code-scanning dashboards, rendered from the same RunResult as every other format.

One run; the rules are the ones that produced a finding (input problems included), each with its
citation and interpretation notes as help text, so a dashboard user sees why a rule exists without
opening the rule files.  Columns count characters (`columnKind: unicodeCodePoints`), as the
terminal report does; `endColumn` is exclusive in SARIF and in `Finding`, so they map one to one.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.core.values import json_text
from checker.inputs.documents import DOCUMENT_SUFFIXES, TEXT_SUFFIXES
from checker.run.findings import (
    BUILTIN_CATEGORIES,
    INPUT_CITATION,
    MACHINE_CODES,
    Finding,
    category_titles,
)
from checker.run.result import RunResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "checkerFinding/v1"

# Input problems are not rules in a rule file; dashboards still need a description per code.
INPUT_RULES = MACHINE_CODES


def artifact_uri(source: str) -> str:
    """A finding's source as a URI reference: relative with forward slashes, percent-encoded (RFC 3986)."""
    if source in ("-", "<stdin>"):
        return quote("<stdin>", safe="")
    text = source.replace("\\", "/")
    path = Path(source)
    if path.is_absolute():
        try:
            text = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return path.resolve().as_uri()
    text = posixpath.normpath(text)
    return quote(os.fsencode(str(PurePosixPath(text))), safe="/")  # a non-UTF-8 name: its own bytes, %-encoded


def level(severity: str) -> str:
    return LEVEL[severity]


def _rule_descriptor(result: RunResult, finding: Finding) -> dict[str, Any]:
    rule = result.book.rule(finding.rule_id) if result.book is not None else None
    if rule is None:
        return _builtin_descriptor(finding)
    from checker.rules.book import citation_label

    spec = rule.spec
    text_lines = [spec.title]
    md_lines = [f"**{spec.title}**"]
    for cite in rule.citations:
        said = "" if cite.kind == "quote" else "（摘要，非原文）"
        unchecked = "" if cite.confirmed else "（未核对原文）"
        text_lines.append(f"依据：{citation_label(cite.to_json())}")
        md_lines += ["", f"依据：{cite.short()}{said}{unchecked}", "", f"> {cite.wording}"]
        if cite.source:
            text_lines.append(f"出处：{cite.source}")
            md_lines += ["", f"出处：{cite.source}"]
    if spec.interpretation:
        text_lines += ["解释："] + [f"- {note}" for note in spec.interpretation]
        md_lines += ["", "解释："] + [f"- {note}" for note in spec.interpretation]
    if spec.fix:
        text_lines.append(f"建议：{spec.fix}")
        md_lines += ["", f"建议：{spec.fix}"]
    category = category_titles(result.book).get(rule.category, "")
    text_lines.append(f"类别：{rule.category}（{category}）")
    md_lines += ["", f"类别：`{rule.category}`（{category}）"]
    full = "\n".join(text_lines)
    return {
        "id": rule.id,
        "name": _camel(rule.id),
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": full},
        "help": {"text": full, "markdown": "\n".join(md_lines)},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "category": rule.category,
            "tags": [rule.category],
            "pack": rule.pack.id,
            "pack_version": rule.pack.spec.version,
            "citation": rule.citation_short,
            "citation_text": rule.citation_text,
            "citations": list(rule.citation_objects),
            "interpretation": list(spec.interpretation),
        },
    }


def _builtin_descriptor(finding: Finding) -> dict[str, Any]:
    """Codes that are not rule-file rules (INPUT-*, and anything else the pipeline emits)."""
    title = (
        INPUT_RULES.get(finding.rule_id) or finding.title or BUILTIN_CATEGORIES.get(finding.category) or finding.rule_id
    )
    full = f"{title}\n依据：{finding.citation}"
    return {
        "id": finding.rule_id,
        "name": _camel(finding.rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": full},
        "help": {"text": full, "markdown": f"**{title}**\n\n依据：{finding.citation}"},
        "defaultConfiguration": {"level": level(finding.severity)},
        "properties": {"category": finding.category, "tags": [finding.category], "citation": finding.citation},
    }


def _camel(rule_id: str) -> str:
    """DOC-ISSUER-SELF → DocIssuerSelf: SARIF's `name` is an identifier-like label."""
    return "".join(part.capitalize() for part in rule_id.split("-"))


def _file_columns(f: Finding) -> bool:
    """Whether the finding's column is a column of the file itself.

    True for text documents (and a .docx, whose line is the paragraph); for a document record in
    YAML/JSON the column counts within the body line, not the indented file line, so only the line
    is a file position there (the columns stay in `properties`).
    """
    suffix = Path(f.source).suffix.lower()
    return f.source == "<stdin>" or suffix in DOCUMENT_SUFFIXES


def _rewritable(f: Finding) -> bool:
    """Only the files `checker lint --fix` rewrites get SARIF fixes (never .docx, records or stdin)."""
    return f.source != "<stdin>" and Path(f.source).suffix.lower() in TEXT_SUFFIXES


def _region(f: Finding) -> dict[str, Any] | None:
    if not f.line:
        return None
    region: dict[str, Any] = {"startLine": f.line}
    if f.column and _file_columns(f):
        region["startColumn"] = f.column
        if f.end_column and f.end_column > f.column:
            region["endColumn"] = f.end_column
        if f.snippet is not None:
            end = region.get("endColumn", f.column + 1)
            span = f.snippet[f.column - 1 : end - 1]
            if span:
                region["snippet"] = {"text": span}
    return region


def _location(f: Finding, artifacts: dict[str, int]) -> dict[str, Any]:
    uri = artifact_uri(f.source)
    artifact: dict[str, Any] = {"uri": uri}
    if uri in artifacts:
        artifact["index"] = artifacts[uri]
    physical: dict[str, Any] = {"artifactLocation": artifact}
    region = _region(f)
    if region is not None:
        physical["region"] = region
        if f.snippet is not None and "startColumn" in region:
            text, _, _, first = f.context()
            context: dict[str, Any] = {"startLine": f.line}
            if len(text) < len(f.snippet):  # a long line: the part around the finding, with its columns
                context.update(startColumn=first, endColumn=first + len(text))
            context["snippet"] = {"text": text}
            physical["contextRegion"] = context
    location: dict[str, Any] = {"physicalLocation": physical}
    if f.place and f.line:
        location["message"] = {"text": f.place}  # where in the Word file the line stands
    if f.record_id:
        location["logicalLocations"] = [
            {"name": f.record_id, "fullyQualifiedName": f"{f.source}#{f.record_id}", "kind": "object"}
        ]
    return location


def _message(f: Finding) -> str:
    text = f.message
    if f.evidence:
        text += f"（证据：{f.evidence}）"
    if f.suggestion is not None:
        text += f"；建议改为“{f.suggestion}”"
    return text


def fingerprint(f: Finding) -> str:
    """Stable across runs and line shifts: rule, file, record and message, not the position."""
    key = "\x1f".join([f.rule_id, artifact_uri(f.source), f.record_id or "", f.message])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _suppression(waiver: dict[str, Any]) -> dict[str, Any]:
    suppression: dict[str, Any] = {
        "kind": "external",
        "status": "accepted",
        "justification": str(waiver.get("reason") or ""),
    }
    if waiver.get("source"):
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(str(waiver["source"]))}}
        if isinstance(waiver.get("line"), int) and waiver["line"] > 0:
            physical["region"] = {"startLine": waiver["line"]}
        suppression["location"] = {"physicalLocation": physical}
    extra = {k: str(waiver[k]) for k in ("approver", "expires") if waiver.get(k) is not None}
    if extra:
        suppression["properties"] = extra
    return suppression


def _fix(f: Finding) -> dict[str, Any] | None:
    """A safe replacement (the one `--fix` applies) as a SARIF fix; none once applied or without a span."""
    if f.replacement is None or f.fixed or not (f.line and f.column and f.end_column) or not _rewritable(f):
        return None
    old = f.snippet[f.column - 1 : f.end_column - 1] if f.snippet is not None else None
    description = f"将“{old}”改为“{f.replacement}”" if old else f"改为“{f.replacement}”"
    return {
        "description": {"text": description},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": artifact_uri(f.source)},
                "replacements": [
                    {
                        "deletedRegion": {"startLine": f.line, "startColumn": f.column, "endColumn": f.end_column},
                        "insertedContent": {"text": f.replacement},
                    }
                ],
            }
        ],
    }


def _result(f: Finding, rule_index: int, artifacts: dict[str, int], occurrence: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": _message(f)},
        "locations": [_location(f, artifacts)],
        # the n-th identical finding in a record gets its own fingerprint (as GitHub does with ":n")
        "partialFingerprints": {FINGERPRINT_KEY: f"{fingerprint(f)}:{occurrence}"},
    }
    if f.waiver is not None:
        out["suppressions"] = [_suppression(f.waiver)]
    fix = _fix(f)
    if fix is not None:
        out["fixes"] = [fix]
    props: dict[str, Any] = {"record_id": f.record_id, "category": f.category, "citation": f.citation}
    for key in ("line", "column", "end_column", "citation_text", "title", "evidence", "fix", "suggestion"):
        value = getattr(f, key)
        if value is not None:
            props[key] = value
    if f.fixed:
        props["fixed"] = True
    out["properties"] = props
    return out


def to_log(result: RunResult) -> dict[str, Any]:
    """The SARIF log as data (the tests validate it against the official schema)."""
    descriptors: dict[str, dict[str, Any]] = {}
    for f in result.findings:
        if f.rule_id not in descriptors:
            descriptors[f.rule_id] = _rule_descriptor(result, f)
    rules = [descriptors[k] for k in sorted(descriptors)]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    artifact_list: list[dict[str, Any]] = []
    artifacts: dict[str, int] = {}
    for path in result.files:
        uri = artifact_uri(path)
        if uri not in artifacts:
            artifacts[uri] = len(artifact_list)
            artifact_list.append({"location": {"uri": uri}, "roles": ["analysisTarget"]})
    seen: dict[str, int] = {}
    results = []
    for f in result.findings:
        key = fingerprint(f)
        seen[key] = seen.get(key, 0) + 1
        results.append(_result(f, index[f.rule_id], artifacts, seen[key]))
    invocation: dict[str, Any] = {
        # input errors mean some records were not checked (exit code 2): the run did not do all it was asked
        "executionSuccessful": not result.errors,
    }
    if result.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": f"输入错误 {line}"}} for line in result.errors
        ]
    book = result.book
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "checker",
                        "fullName": "checker 新野县住房和城乡建设局规则检查工具",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "language": "zh-CN",
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "language": "zh-CN",
                "columnKind": "unicodeCodePoints",
                "artifacts": artifact_list,
                "results": results,
                "properties": {
                    "rules_version": book.version if book is not None else None,
                    "rules_digest": book.digest if book is not None else None,
                    "as_of": result.as_of.isoformat(),
                    "engine": result.evaluator,
                    "records_checked": result.records_checked,
                    "input_citation": INPUT_CITATION,
                },
            }
        ],
    }


def render(result: RunResult) -> str:
    return json_text(json.dumps(to_log(result), ensure_ascii=False, indent=2))
