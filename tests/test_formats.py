"""SARIF, JUnit and HTML reports, rendered from real runs on the shipped examples.

The exact findings asserted here (rule, file, line:column) are the ones the terminal report shows,
so the formats are checked against known results, not just for well-formedness.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker import __version__
from checker.report import html as html_report
from checker.report import junit, sarif
from checker.run.pipeline import run

from .conftest import EXAMPLES, write

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"
AS_OF = date(2024, 12, 1)
WAIVER = {"reason": "已报县政府同意延期办结", "approver": "王科长", "expires": "2026-12-31",
          "source": "checker-waivers.yaml", "line": 3}
FORWARDED = "examples/documents/forwarded-city-copy.txt"


@pytest.fixture
def result(book, python_eval, monkeypatch):
    """A fresh run on the examples (ledger, documents, approvals) for every test: tests mutate findings."""
    monkeypatch.chdir(EXAMPLES.parent)
    return run(["examples/ledger.csv", "examples/documents", "examples/approvals.csv"], book, python_eval, AS_OF)


def find(result, rule_id, source=None, line=None):
    hits = [f for f in result.findings if f.rule_id == rule_id and (source is None or f.source == source)
            and (line is None or f.line == line)]
    assert hits, (rule_id, source, line)
    return hits[0]


# ------------------------------------------------------------------ SARIF

def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the schema declares draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_log(result):
    return json.loads(sarif.render(result))


def test_sarif_validates_against_the_official_schema(result):
    find(result, "ONE-DAY-LATE").waiver = dict(WAIVER)
    log = sarif_log(result)
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_sarif_tool_run_properties_and_invocation(result):
    run_ = sarif_log(result)["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "checker"
    assert driver["version"] == driver["semanticVersion"] == __version__
    assert run_["properties"]["rules_version"] == result.book.version
    assert run_["properties"]["rules_digest"] == result.book.digest
    assert run_["properties"]["as_of"] == "2024-12-01"
    assert run_["invocations"] == [{"executionSuccessful": True}]
    assert run_["columnKind"] == "unicodeCodePoints"  # columns count characters, like the terminal
    assert run_["language"] == "zh-CN"
    assert [a["location"]["uri"] for a in run_["artifacts"]] == result.files


def test_sarif_rules_are_exactly_the_rules_that_fired(result):
    run_ = sarif_log(result)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule_id for f in result.findings})
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    by_id = {r["id"]: r for r in rules}
    self_ref = by_id["DOC-ISSUER-SELF"]
    spec = result.book.rule("DOC-ISSUER-SELF").spec
    assert self_ref["shortDescription"]["text"] == spec.title
    assert self_ref["defaultConfiguration"]["level"] == "error"
    assert self_ref["properties"]["category"] == "issuer-consistency"
    for text in (self_ref["help"]["text"], self_ref["help"]["markdown"], self_ref["fullDescription"]["text"]):
        assert spec.citation.document in text and spec.citation.clause in text
        assert "我市工作" in text  # the clause's wording
        assert spec.interpretation[0] in text
    assert by_id["DOC-TYPO"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["PREFAB-MANDATE-GOV-UNKNOWN"]["defaultConfiguration"]["level"] == "note"
    # input problems are rules too, described in Chinese
    fraction = by_id["INPUT-RATE-FRACTION"]
    assert fraction["shortDescription"]["text"] == sarif.INPUT_RULES["INPUT-RATE-FRACTION"]
    assert fraction["defaultConfiguration"]["level"] == "warning"
    assert by_id["INPUT-UNKNOWN-COLUMN"]["defaultConfiguration"]["level"] == "note"
    assert fraction["properties"]["category"] == "input"


def results_for(log, rule_id, uri=None):
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rule_id
            and (uri is None or r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)]


def test_sarif_document_finding_has_exact_region(result):
    log = sarif_log(result)
    hits = results_for(log, "DOC-ISSUER-SELF", FORWARDED)
    assert [h["locations"][0]["physicalLocation"]["region"]["startLine"] for h in hits] == [9, 13]
    first = hits[0]
    physical = first["locations"][0]["physicalLocation"]
    assert physical["region"] == {"startLine": 9, "startColumn": 57, "endColumn": 59, "snippet": {"text": "我市"}}
    assert "结合我市工作实际" in physical["contextRegion"]["snippet"]["text"]
    assert first["level"] == "error"
    assert first["message"]["text"].startswith("县级文件自称“我市”")
    assert "证据：原文“我市”" in first["message"]["text"]
    assert first["properties"]["record_id"] == "forwarded-city-copy.txt"
    assert first["properties"]["category"] == "issuer-consistency"
    assert first["properties"]["citation"] == find(result, "DOC-ISSUER-SELF", FORWARDED).citation
    assert "suppressions" not in first


def test_sarif_record_finding_has_line_only_and_file_finding_no_region(result):
    log = sarif_log(result)
    [h7, h12] = results_for(log, "PREFAB-MANDATE-GOV")
    assert h7["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/ledger.csv", "index": 0}, "region": {"startLine": 8}}
    assert h7["locations"][0]["logicalLocations"][0]["name"] == "H7"
    assert h7["level"] == "warning"
    [unknown_column] = results_for(log, "INPUT-UNKNOWN-COLUMN")
    assert "region" not in unknown_column["locations"][0]["physicalLocation"]
    assert unknown_column["level"] == "note"


def test_sarif_fixes_for_safe_replacements_only(result):
    log = sarif_log(result)
    [bracket, _] = results_for(log, "DOC-NUMBER-BRACKET")
    [fix] = bracket["fixes"]
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "examples/documents/malformed-numbers-dates.txt"
    assert change["replacements"] == [{"deletedRegion": {"startLine": 3, "startColumn": 4, "endColumn": 14},
                                       "insertedContent": {"text": "〔2024〕12号"}}]
    assert "[2024]012号" in fix["description"]["text"]
    # a suggestion the rule does not mark safe is shown, never offered as a fix
    self_ref = results_for(log, "DOC-ISSUER-SELF", FORWARDED)[0]
    assert "fixes" not in self_ref
    assert self_ref["properties"]["suggestion"] == "我县"


def test_sarif_columns_only_where_they_are_file_columns(result, book, python_eval, tmp_path, monkeypatch):
    # a .docx finding is never offered as a text fix (`--fix` never rewrites .docx)
    from dataclasses import replace

    bracket = find(result, "DOC-NUMBER-BRACKET")
    assert sarif._fix(bracket) is not None
    assert sarif._fix(replace(bracket, source="examples/documents/notice.docx")) is None
    # in a document record the column counts within the body line, not the YAML file line
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "records.yaml", """
        documents:
          - id: T-1
            doc_number: 新建〔2024〕3号
            issuer: 新野县住房和城乡建设局
            title: 关于做好装配式建筑工作的通知
            issue_date: 2024年9月12日
            body: |
              各单位：
              结合我市工作实际，现通知如下。
        """)
    records = run(["records.yaml"], book, python_eval, AS_OF)
    [finding] = [f for f in records.findings if f.rule_id == "DOC-ISSUER-SELF"]
    [res] = results_for(sarif_log(records), "DOC-ISSUER-SELF")
    assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": finding.line}
    assert (res["properties"]["column"], res["properties"]["end_column"]) == (3, 5)


def test_sarif_waived_finding_is_suppressed(result):
    finding = find(result, "DOC-ISSUER-SELF", FORWARDED, line=9)
    finding.waiver = dict(WAIVER)
    log = sarif_log(result)
    waived, other = results_for(log, "DOC-ISSUER-SELF", FORWARDED)
    [suppression] = waived["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["justification"] == WAIVER["reason"]
    assert suppression["location"]["physicalLocation"] == {
        "artifactLocation": {"uri": "checker-waivers.yaml"}, "region": {"startLine": 3}}
    assert suppression["properties"] == {"approver": "王科长", "expires": "2026-12-31"}
    assert "suppressions" not in other


def test_sarif_fingerprints_are_stable_and_distinct(result, book, python_eval):
    first = sarif_log(result)["runs"][0]["results"]
    again = sarif_log(run(["examples/ledger.csv", "examples/documents", "examples/approvals.csv"],
                          book, python_eval, AS_OF))["runs"][0]["results"]
    prints = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in first]
    assert prints == [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in again]
    assert len(set(prints)) == len(prints) == len(result.findings)
    # the position is not part of it: a finding keeps its fingerprint when lines move
    finding = result.findings[0]
    before = sarif.fingerprint(finding)
    finding.line = (finding.line or 0) + 5
    assert sarif.fingerprint(finding) == before


def test_sarif_input_errors_mark_the_invocation(tmp_path, book, python_eval, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "台账.csv", """
        编号,项目名称,建筑类别,投资类型,建筑面积,装配率
        B1,好项目,商住,社会投资,25000,35%
        B2,坏项目,商住,社会投资,-5,35%
        """)
    result = run(["台账.csv"], book, python_eval, AS_OF)
    assert result.errors
    log = sarif_log(result)
    assert not list(sarif_validator().iter_errors(log))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"].startswith("输入错误 ")
    [value] = results_for(log, "INPUT-VALUE")
    location = value["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "%E5%8F%B0%E8%B4%A6.csv"  # percent-encoded, relative
    assert location["region"] == {"startLine": 3}


def test_sarif_uri_is_relative_with_forward_slashes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sarif.artifact_uri("examples\\documents\\a b.txt") == "examples/documents/a%20b.txt"
    assert sarif.artifact_uri("./examples/ledger.csv") == "examples/ledger.csv"
    assert sarif.artifact_uri(str(tmp_path / "sub" / "x.csv")) == "sub/x.csv"
    assert sarif.artifact_uri("/elsewhere/x.csv").startswith("file:///")


# ------------------------------------------------------------------ JUnit

def junit_root(result):
    text = junit.render(result)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def suite(root, name):
    [found] = [s for s in root.findall("testsuite") if s.get("name") == name]
    return found


def case(root, suite_name, source, label):
    name = f"{source} · {label}"
    [found] = [c for c in suite(root, suite_name).findall("testcase") if c.get("name") == name]
    return found


def test_junit_counts_are_consistent(result):
    root = junit_root(result)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for s in root.findall("testsuite"):
        cases = s.findall("testcase")
        assert int(s.get("tests")) == len(cases)
        assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
        assert s.get("errors") == "0"
        for k in totals:
            totals[k] += int(s.get(k))
        names = [c.get("name") for c in cases]
        assert len(names) == len(set(names))  # one case per record in a pack
    assert {k: int(root.get(k)) for k in totals} == totals
    # every error/warning finding is a <failure>, every info finding is in <system-out>
    failures = [f for s in root.findall("testsuite") for f in s.iter("failure")]
    assert sorted(f.get("type") for f in failures) == sorted(
        f.rule_id for f in result.findings if f.severity in ("error", "warning"))


def test_junit_one_case_per_record_and_pack(result):
    root = junit_root(result)
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names[0] == "input"
    assert names[1:] == [p.id for p in result.book.packs]  # every pack checked something in these examples
    assert suite(root, "prefab-mandate").get("tests") == "16"  # 16 projects
    assert suite(root, "prefab-mandate").get("failures") == "2"  # H7, H12 (H16 is info)
    assert suite(root, "prefab-subsidy").get("tests") == "16"
    assert suite(root, "one-day-handling").get("tests") == "31"  # 30 rows and the 施工许可证 item type
    assert suite(root, "one-day-handling").get("failures") == "8"
    # 5 document files and 2 document records went through each document pack
    assert suite(root, "document-issuer").get("tests") == "7"
    clean = case(root, "document-issuer", "examples/documents/clean-county-notice.txt", "clean-county-notice.txt")
    assert list(clean) == []  # passing
    copy = case(root, "document-issuer", FORWARDED, "forwarded-city-copy.txt")
    failures = copy.findall("failure")
    assert [f.get("type") for f in failures] == ["DOC-ISSUER-SELF", "DOC-ISSUER-AGENCY", "DOC-ISSUER-SELF"]
    assert failures[0].get("message") == "[DOC-ISSUER-SELF] 县级文件自称“我市”"
    assert f"位置 {FORWARDED}:9:57" in failures[0].text
    assert "依据 新野县住房和城乡建设局巡察整改情况的通报" in failures[0].text
    h16 = case(root, "prefab-mandate", "examples/ledger.csv", "H16")
    assert h16.find("failure") is None and "PREFAB-MANDATE-GOV-UNKNOWN" in h16.find("system-out").text
    h6 = case(root, "prefab-subsidy", "examples/ledger.csv", "H6")
    assert h6.find("system-out").text == "补贴 符合，不超过 120,000 元（2023年至2025年底）；市级 转市级"
    # input problems: the file as a whole and each row
    assert case(root, "input", "examples/ledger.csv", "H15").find("failure").get("type") == "INPUT-RATE-FRACTION"
    assert "INPUT-UNKNOWN-COLUMN" in case(root, "input", "examples/ledger.csv", "（文件）").find("system-out").text


def test_junit_waived_finding_is_skipped(result):
    before = junit_root(result)
    find(result, "PREFAB-MANDATE-GOV").waiver = dict(WAIVER)  # H7
    root = junit_root(result)
    h7 = case(root, "prefab-mandate", "examples/ledger.csv", "H7")
    assert h7.find("failure") is None
    assert h7.find("skipped").get("message") == f"waived: {WAIVER['reason']}"
    assert suite(root, "prefab-mandate").get("failures") == "1"
    assert suite(root, "prefab-mandate").get("skipped") == "1"
    assert int(root.get("failures")) == int(before.get("failures")) - 1
    assert root.get("skipped") == "1"


def test_junit_waived_beside_a_failure_stays_a_failure(result):
    find(result, "DOC-ISSUER-SELF", FORWARDED, line=9).waiver = dict(WAIVER)
    root = junit_root(result)
    copy = case(root, "document-issuer", FORWARDED, "forwarded-city-copy.txt")
    assert [f.get("type") for f in copy.findall("failure")] == ["DOC-ISSUER-AGENCY", "DOC-ISSUER-SELF"]
    assert copy.find("skipped") is None
    assert "[已豁免]" in copy.find("system-out").text and WAIVER["reason"] in copy.find("system-out").text


def test_junit_survives_control_characters_and_markup(result):
    finding = find(result, "PREFAB-MANDATE-GOV")
    finding.message = "装配率\x0b偏低 <b>&\"</b>\x00"
    root = junit_root(result)
    failure = case(root, "prefab-mandate", "examples/ledger.csv", "H7").find("failure")
    assert failure.get("message") == "[PREFAB-MANDATE-GOV] 装配率偏低 <b>&\"</b>"


def test_junit_input_errors_are_failures_and_dropped_records_have_no_pack_cases(tmp_path, book, python_eval,
                                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "l.csv", """
        编号,项目名称,建筑类别,投资类型,建筑面积,装配率
        B1,好项目,商住,社会投资,25000,35%
        B2,坏项目,商住,社会投资,-5,35%
        """)
    root = junit_root(run(["l.csv"], book, python_eval, AS_OF))
    assert case(root, "input", "l.csv", "B2").find("failure").get("type") == "INPUT-VALUE"
    assert case(root, "input", "l.csv", "B1").find("failure") is None
    names = [c.get("name") for c in suite(root, "prefab-mandate").findall("testcase")]
    assert names == ["l.csv · B1"]


# ------------------------------------------------------------------ HTML

class _Outline(HTMLParser):
    """Tag balance, external references, and the text of table rows."""

    VOID = {"meta", "br", "hr", "img", "link", "input", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def outline(text: str) -> _Outline:
    parser = _Outline()
    parser.feed(text)
    parser.close()
    assert not parser.problems, parser.problems[:5]
    assert parser.stack == [], parser.stack
    return parser


def test_html_is_self_contained_and_printable(result):
    text = html_report.render(result)
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "@media print" in text
    page = outline(text)
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert not [a for a in page.attrs if a[0] in ("src", "href") or a[0].startswith("on")]
    for external in ("http://", "https://", "url(", "@import"):
        assert external not in text


def test_html_escapes_hostile_text(result):
    finding = find(result, "DOC-ISSUER-SELF", FORWARDED, line=9)
    finding.message = '<script>alert("x")</script>'
    finding.evidence = '<img src=x onerror="alert(1)">'
    finding.snippet = "结合<我市>工作" + "<script>"  # the span now covers "<我"
    finding.record_id = "<b>id</b>"
    finding.waiver = {**WAIVER, "reason": "</article><script>bad()</script>"}
    text = html_report.render(result)
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text
    assert "&lt;/article&gt;&lt;script&gt;bad()&lt;/script&gt;" in text
    page = outline(text)
    assert "script" not in page.tags and "img" not in page.tags


def test_html_header_and_summary(result):
    text = html_report.render(result)
    assert f"<dd>{__version__}</dd>" in text
    assert result.book.digest in text and result.book.version in text
    assert "<dd>2024-12-01</dd>" in text
    for path in result.files:
        assert f"<li>{path}</li>" in text
    rows = outline(text).rows
    errors = sum(1 for f in result.findings if f.severity == "error")
    assert ["错误 error", str(errors), "0", "0"] in rows
    assert text.count("<article ") == len(result.findings)  # the same findings as every other format


def test_html_findings_grouped_with_snippet_and_citation(result):
    find(result, "DOC-ISSUER-SELF", FORWARDED, line=9).waiver = dict(WAIVER)
    text = html_report.render(result)
    section = text[text.index(f'<h3 class="mono">{FORWARDED}</h3>'):]
    section = section[:section.index("</section>")]
    assert section.count("<article ") == 3
    assert "<h4>forwarded-city-copy.txt</h4>" in section
    assert "结合<mark>我市</mark>工作实际" in section
    assert f"{FORWARDED}:9:57" in section
    assert "<code>DOC-ISSUER-SELF</code>" in section
    assert "新野县住房和城乡建设局巡察整改情况的通报（2024-11-25） 转发文件问题" in section
    assert "按发文机关层级改写（县级文件写“我县”）" in section  # the fix
    assert '<span class="tag waived">已豁免</span>' in section
    assert "已报县政府同意延期办结（批准人 王科长，有效期至 2026-12-31，见 checker-waivers.yaml:3）" in section
    # a record finding shows its row
    assert "<h4>H7 第8行</h4>" in text


def test_html_subsidy_and_approval_tables(result):
    rows = outline(html_report.render(result)).rows
    assert ["编号", "项目名称", "类别", "投资", "面积(m²)", "装配率", "竣工验收", "结果", "金额(元)", "档次", "市级"] in rows
    assert ["H1", "城南商住小区一期", "商住建筑", "社会投资", "25,000", "35%", "2023-06-30", "符合", "500,000",
            "2023年底前", "否"] in rows
    assert ["H6", "中原机械厂房", "工业建筑", "社会投资", "8,000", "60%", "2024-08-20", "符合", "不超过 120,000",
            "2023年至2025年底", "转市级"] in rows
    assert ["H7", "县精神病医院建设项目", "公共建筑", "政府投资", "15,000", "30%", "—", "待竣工验收", "0", "—",
            "转市级"] in rows
    assert ["编号", "事项名称", "项目", "受理", "办结", "用时(工作日)", "承诺时限", "结论"] in rows
    a07 = next(r for r in rows if r and r[0] == "A07")
    assert a07[1] == "建筑工程施工许可证核发" and a07[-1] == "超过一个工作日"


def test_html_without_subsidies_or_approvals_has_no_tables(book, python_eval, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    result = run(["examples/documents/clean-county-notice.txt"], book, python_eval, AS_OF)
    text = html_report.render(result)
    assert 'id="subsidies"' not in text and 'id="approvals"' not in text
    assert "未发现问题。" in text
    outline(text)


class _CountingStats:
    """The totals interface of outcomes.SubsidyStats/ApprovalStats, counting only."""

    def __init__(self):
        self.items = 0

    key = staticmethod(lambda outcome: ())

    def add_key(self, key):
        self.items += 1


def test_spilled_outcomes_are_copied_in_blocks_exactly():
    """write_joined copies a spill file block by block: separators land between items, never inside one."""
    import io
    import json as _json

    from checker.run.outcomes import Outcomes

    texts = [_json.dumps({"n": i, "name": "行\n" * (i % 7) + "项" * (i % 300)}, ensure_ascii=False,
                         separators=(",", ":")) for i in range(3000)]
    for spill in (False, True):
        outcomes = Outcomes(_CountingStats(), lambda text: text)
        if spill:
            outcomes.spill()
        outcomes.extend(texts)
        out = io.StringIO()
        assert outcomes.write_joined(out, ",\n    ") is True
        assert out.getvalue() == ",\n    ".join(texts)
        assert list(outcomes.json_lines()) == texts
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding="utf-8")  # a file: spilled bytes are copied as they are
        stream.write("[")
        assert outcomes.write_joined(stream, ",\n    ") is True
        stream.write("]")
        stream.flush()
        assert raw.getvalue().decode("utf-8") == "[" + ",\n    ".join(texts) + "]"
    empty = Outcomes(_CountingStats(), lambda text: text)
    empty.spill()
    assert empty.write_joined(io.StringIO(), ",") is False


def test_worker_outcome_files_are_taken_over_in_order(tmp_path):
    """--jobs: the parent takes workers' spill files as segments, between its own, and filters duplicates."""
    import io

    from checker.run.outcomes import Outcomes

    class Outcome:
        def __init__(self, index):
            self.index = index
            self.record = self

    def worker(indices):
        part = Outcomes(_CountingStats(), lambda o: f'{{"n":{o.index}}}')
        part.spill(str(tmp_path))
        part.extend(Outcome(i) for i in indices)
        arrived = Outcomes.__new__(Outcomes)  # as it reaches the parent (pickle uses __getstate__)
        arrived.__dict__.update(part.__getstate__())
        return arrived

    parent = Outcomes(_CountingStats(), lambda o: f'{{"n":{o.index}}}')
    parent.spill()
    parent.append(Outcome(0))
    parent.absorb(worker([1, 2, 3]), set())
    parent.absorb(worker([4, 5, 6]), {5})
    parent.append(Outcome(7))
    parent.absorb(worker([8]), set())
    assert list(parent.json_lines()) == [f'{{"n":{i}}}' for i in (0, 1, 2, 3, 4, 6, 7, 8)]
    out = io.StringIO()
    parent.write_joined(out, ",")
    assert out.getvalue() == ",".join(f'{{"n":{i}}}' for i in (0, 1, 2, 3, 4, 6, 7, 8))
    assert len(parent) == 8
