"""JUnit XML for CI dashboards: one test suite per rule pack, one test case per record × pack.

CI tools show test cases, not findings, so a record that a pack checked and found nothing wrong
with must appear as a passing case; otherwise "0 failures" could mean "nothing was checked".
The CLI asks the pipeline to list every checked record (`RunResult.checked`) for this format; without
that list (a result built elsewhere), records are gathered from what the result holds: subsidy outcomes,
approval outcomes, kept documents, document files, and findings.

Error and warning findings are <failure>s; info findings go to <system-out>; a case whose only
error/warning findings are waived is <skipped> with the waiver's reason; fixed findings do not fail.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from checker import __version__
from checker.core.lazyre import lazy_compile
from checker.core.plain import field, plain
from checker.core.severity import SEVERITY_LABEL
from checker.core.values import neutralized
from checker.inputs.documents import DOCUMENT_SUFFIXES, STDIN
from checker.records.fields import RULE_SCHEMAS
from checker.rules.book import Pack
from checker.run.domain import section_specs
from checker.run.findings import Finding
from checker.run.result import RunResult

INPUT_SUITE = "input"


def _record_kind(kind: str | None) -> str | None:
    """Observations count as the record they were found in."""
    schema = RULE_SCHEMAS.get(kind) if kind else None
    return schema.parent if schema is not None and schema.parent else kind


def _synthetic(kind: str | None) -> bool:
    """Records a domain makes from a whole file (one per approval item type), not read from input."""
    schema = RULE_SCHEMAS.get(kind) if kind else None
    return bool(schema is not None and schema.synthetic)


_INVALID_XML = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: object) -> str:
    """XML 1.0 cannot carry control characters (they occur in pasted documents); drop them."""
    return neutralized(_INVALID_XML.sub("", str(text)))


@plain
class CheckedRecord:
    """A record (or a whole file, `record_id` None and index 0) as far as the result lets us know it."""

    source: str
    index: int
    record_id: str | None
    kind: str | None = None  # project, approval, approval_item, document; None: only input problems known
    line: int | None = None
    checked: bool = False  # went through the rule packs (not dropped by an input error)
    outcomes: list = field(default_factory=list)  # (section spec, outcome) of the domains' outcome packs
    findings: list[Finding] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int, str | None]:
        return (self.source, self.index, self.record_id)

    @property
    def label(self) -> str:
        if self.record_id:
            return self.record_id
        if self.line:
            return f"第{self.line}行"
        return "（文件）"


def _document_source(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def checked_records(result: RunResult) -> list[CheckedRecord]:
    """Every file and record the result tells of, in input order."""
    records: dict[tuple, CheckedRecord] = {}

    def get(source: str, index: int, record_id: str | None, **values) -> CheckedRecord:
        key = (source, index, record_id)
        record = records.get(key)
        if record is None:
            record = records[key] = CheckedRecord(source, index, record_id)
        for name, value in values.items():
            if value is not None and getattr(record, name) in (None, False):
                setattr(record, name, value)
        return record

    for path in result.files:
        if path != STDIN and result.file_suffix(path) not in DOCUMENT_SUFFIXES:  # a document file is its record
            get(path, 0, None)
    for source, index, record_id, kind, line in result.checked or []:  # every checked record, clean ones too
        get(source, index, record_id, kind=_record_kind(kind), line=line, checked=True)
    for spec in section_specs():
        for o in result.sections[spec.key]:
            r = o.record
            record = get(r.source, r.index, r.id, kind=r.kind, line=r.line, checked=True)
            if spec.pack_of is not None:
                record.outcomes.append((spec, o))
    for d in result.documents:
        get(d.source, d.index, d.id, kind="document", line=d.line, checked=True)
    unreadable = {
        f.source for f in result.findings if f.category == "input" and f.severity == "error" and f.record_id is None
    }
    for path in result.files:
        source = _document_source(path)
        if (path == STDIN or result.file_suffix(path) in DOCUMENT_SUFFIXES) and source not in unreadable:
            get(source, 1, Path(source).name if path != STDIN else source, kind="document", checked=True)
    book = result.book
    for f in result.findings:
        rule = book.rule(f.rule_id) if book is not None else None
        if f.category == "input" or rule is None:
            record = get(f.source, f.record_index, f.record_id)
        else:
            kind = _record_kind(rule.kind)
            record = get(f.source, f.record_index, f.record_id, kind=kind, checked=True)
        if record.line is None and f.column is None:
            record.line = f.line
        record.findings.append(f)
    order = {(_document_source(p)): i for i, p in enumerate(result.files)}
    return sorted(
        records.values(), key=lambda r: (order.get(r.source, len(order)), r.source, r.index, r.record_id or "")
    )


def _pack_applies(pack: Pack, record: CheckedRecord, result: RunResult) -> bool:
    """Whether the run put this record through this pack (so a missing finding means it passed)."""
    if not record.checked or record.kind is None:
        return False
    if not pack.finds:  # a domain's outcome pack: it applies where it gave an outcome
        return _outcome(pack, record) is not None
    if result.categories is not None and not any(r.category in result.categories for r in pack.rules):
        return False
    return any(_record_kind(kind) == record.kind for kind in pack.kinds)


def _outcome(pack: Pack, record: CheckedRecord):
    """(section spec, outcome) of the record whose outcome this pack gave, or None."""
    # by id: with --jobs an outcome comes from a worker process, with its own copy of the pack
    return next(((spec, o) for spec, o in record.outcomes if spec.pack_of(o).id == pack.id), None)


def _suite_of(f: Finding, result: RunResult) -> str:
    if f.category == "input":
        return INPUT_SUITE
    rule = result.book.rule(f.rule_id) if result.book is not None else None
    return rule.pack.id if rule is not None else f.category


def _detail(f: Finding) -> str:
    lines = [
        f"{f.severity}[{f.rule_id}] {f.message}",
        f"位置 {f.where}" + (f"（{about}）" if (about := "，".join(filter(None, (f.place, f.record_id)))) else ""),
    ]
    if f.snippet is not None and f.column:
        text, _, _, first = f.context()
        cut = ("…" if first > 1 else "") + text + ("…" if first - 1 + len(text) < len(f.snippet) else "")
        lines.append(f"原文 {cut}")
    if f.suggestion is not None:
        lines.append(f"改为 “{f.suggestion}”")
    if f.evidence:
        lines.append(f"证据 {f.evidence}")
    lines.append(f"依据 {f.citation}" + (f"「{f.citation_text}」" if f.citation_text else ""))
    if f.fix:
        lines.append(f"建议 {f.fix}")
    if f.waiver is not None:
        lines.append(f"已豁免 {_waiver_text(f.waiver)}")
    if f.fixed:
        lines.append("已修正")
    return "\n".join(lines)


def _waiver_text(waiver: dict) -> str:
    text = str(waiver.get("reason") or "")
    extra = []
    if waiver.get("approver"):
        extra.append(f"批准人 {waiver['approver']}")
    if waiver.get("expires"):
        extra.append(f"有效期至 {waiver['expires']}")
    if waiver.get("source"):
        extra.append(f"见 {waiver['source']}" + (f":{waiver['line']}" if waiver.get("line") else ""))
    return text + (f"（{'，'.join(extra)}）" if extra else "")


def _testcase(suite: str, record: CheckedRecord, findings: list[Finding], outcome: tuple | None) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "classname": _clean(f"checker.{suite}"),
            "name": _clean(f"{record.source} · {record.label}"),
            "file": _clean(record.source),
            "time": "0",
        },
    )
    if record.line:
        case.set("line", str(record.line))
    serious = [f for f in findings if f.severity in ("error", "warning")]
    failing = [f for f in serious if f.counts]
    waived = [f for f in serious if f.waived and not f.fixed]
    out: list[str] = []
    if outcome is not None and outcome[0].case_text is not None:
        spec, value = outcome
        out.append(spec.case_text(value))
    for f in failing:
        ET.SubElement(
            case, "failure", {"message": _clean(f"[{f.rule_id}] {f.message}"), "type": _clean(f.rule_id)}
        ).text = _clean(_detail(f))
    if waived and not failing:
        reasons = "；".join(dict.fromkeys(str(f.waiver.get("reason") or "") for f in waived))
        ET.SubElement(case, "skipped", {"message": _clean(f"waived: {reasons}")}).text = _clean(
            "\n\n".join(_detail(f) for f in waived)
        )
    elif waived:
        out.extend(f"[已豁免] {_detail(f)}" for f in waived)
    out.extend(f"[已修正] {_detail(f)}" for f in serious if f.fixed)
    out.extend(f"[{SEVERITY_LABEL['info']}] {_detail(f)}" for f in findings if f.severity not in ("error", "warning"))
    if out:
        ET.SubElement(case, "system-out").text = _clean("\n\n".join(out))
    return case


def to_element(result: RunResult) -> ET.Element:
    """<testsuites>: input problems first, then one suite per rule pack in rule-book order."""
    records = checked_records(result)
    suites: dict[str, list[ET.Element]] = {INPUT_SUITE: []}
    titles: dict[str, tuple[str, str | None]] = {INPUT_SUITE: ("输入数据问题", None)}
    packs = result.book.packs if result.book is not None else []
    for pack in packs:
        suites[pack.id] = []
        titles[pack.id] = (pack.spec.title, pack.spec.version)
    for record in records:
        by_suite: dict[str, list[Finding]] = {}
        for f in record.findings:
            by_suite.setdefault(_suite_of(f, result), []).append(f)
        input_findings = by_suite.pop(INPUT_SUITE, [])
        if input_findings or not _synthetic(record.kind):  # item types are not input rows
            suites[INPUT_SUITE].append(_testcase(INPUT_SUITE, record, input_findings, None))
        for pack in packs:
            found = by_suite.pop(pack.id, [])
            if found or _pack_applies(pack, record, result):
                outcome = _outcome(pack, record) if not pack.finds else None
                suites[pack.id].append(_testcase(pack.id, record, found, outcome))
        for name, found in by_suite.items():  # codes outside the rule book (neither input nor a pack)
            suites.setdefault(name, [])
            titles.setdefault(name, (name, None))
            suites[name].append(_testcase(name, record, found, None))
    root = ET.Element("testsuites", {"name": "checker"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for name, cases in suites.items():
        if not cases:
            continue
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": 0,
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        suite = ET.SubElement(
            root, "testsuite", {"name": _clean(name), **{k: str(v) for k, v in counts.items()}, "time": "0"}
        )
        title, version = titles[name]
        props = ET.SubElement(suite, "properties")
        for prop, value in (
            ("title", title),
            ("pack_version", version),
            ("checker_version", __version__),
            ("rules_version", result.book.version if result.book is not None else None),
            ("rules_digest", result.book.digest if result.book is not None else None),
            ("as_of", result.as_of.isoformat()),
            ("engine", result.evaluator),
        ):
            if value is not None:
                ET.SubElement(props, "property", {"name": prop, "value": _clean(value)})
        suite.extend(cases)
        for k in totals:
            totals[k] += counts[k]
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", "0")
    return root


def render(result: RunResult) -> str:
    root = to_element(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
