"""SARIF 2.1.0, rendered from real runs on the shipped examples (exact rule, file and line:column)."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from checker import __version__
from checker.report import sarif
from checker.run.pipeline import run
from tests.conftest import EXAMPLES, SHARED, write

SARIF_SCHEMA = SHARED / "data" / "sarif-schema-2.1.0.json"

AS_OF = date(2024, 12, 1)

WAIVER = {
    "reason": "已报县政府同意延期办结",
    "approver": "王科长",
    "expires": "2026-12-31",
    "source": "checker-waivers.yaml",
    "line": 3,
}

FORWARDED = "examples/documents/forwarded-city-copy.txt"


@pytest.fixture
def result(book, python_eval, monkeypatch):
    """A fresh run on the examples (ledger, documents, approvals) for every test: tests mutate findings."""
    monkeypatch.chdir(EXAMPLES.parent)
    return run(["examples/ledger.csv", "examples/documents", "examples/approvals.csv"], book, python_eval, AS_OF)


def find(result, rule_id, source=None, line=None):
    hits = [
        f
        for f in result.findings
        if f.rule_id == rule_id and (source is None or f.source == source) and (line is None or f.line == line)
    ]
    assert hits, (rule_id, source, line)
    return hits[0]


def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        if os.environ.get("CI"):  # CI has ../shared beside the checkout: a missing schema is a failure there
            pytest.fail(f"SARIF schema not found at {SARIF_SCHEMA}")
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
        assert spec.citation[0].document in text and spec.citation[0].clause in text
        assert "我市工作" in text  # the clause's wording
        assert "摘要" in text  # the report's facts are paraphrased, and say so
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
    return [
        r
        for r in log["runs"][0]["results"]
        if r["ruleId"] == rule_id
        and (uri is None or r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
    ]


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
    [h7, _h12] = results_for(log, "PREFAB-MANDATE-GOV")
    assert h7["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/ledger.csv", "index": 0},
        "region": {"startLine": 8},
    }
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
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 3, "startColumn": 4, "endColumn": 14},
            "insertedContent": {"text": "〔2024〕12号"},
        }
    ]
    assert "[2024]012号" in fix["description"]["text"]
    # a suggestion the rule does not mark safe is shown, never offered as a fix
    self_ref = results_for(log, "DOC-ISSUER-SELF", FORWARDED)[0]
    assert "fixes" not in self_ref
    assert self_ref["properties"]["suggestion"] == "我县"


def test_sarif_columns_only_where_they_are_file_columns(result, book, python_eval, tmp_path, monkeypatch):
    # a .docx finding is never offered as a text fix (`--fix` never rewrites .docx)
    from checker.core.plain import replace

    bracket = find(result, "DOC-NUMBER-BRACKET")
    assert sarif._fix(bracket) is not None
    assert sarif._fix(replace(bracket, source="examples/documents/notice.docx")) is None
    # in a document record the column counts within the body line, not the YAML file line
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "records.yaml",
        """
        documents:
          - id: T-1
            doc_number: 新建〔2024〕3号
            issuer: 新野县住房和城乡建设局
            title: 关于做好装配式建筑工作的通知
            issue_date: 2024年9月12日
            body: |
              各单位：
              结合我市工作实际，现通知如下。
        """,
    )
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
        "artifactLocation": {"uri": "checker-waivers.yaml"},
        "region": {"startLine": 3},
    }
    assert suppression["properties"] == {"approver": "王科长", "expires": "2026-12-31"}
    assert "suppressions" not in other


def test_sarif_fingerprints_are_stable_and_distinct(result, book, python_eval):
    first = sarif_log(result)["runs"][0]["results"]
    again = sarif_log(
        run(["examples/ledger.csv", "examples/documents", "examples/approvals.csv"], book, python_eval, AS_OF)
    )["runs"][0]["results"]
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
    write(
        tmp_path / "台账.csv",
        """
        编号,项目名称,建筑类别,投资类型,建筑面积,装配率
        B1,好项目,商住,社会投资,25000,35%
        B2,坏项目,商住,社会投资,-5,35%
        """,
    )
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


def test_a_missing_schema_fails_in_ci_rather_than_skipping(monkeypatch, tmp_path):
    """CI has ../shared beside the checkout: there the OASIS validation must run, and its absence is a failure."""
    import tests.report.test_sarif as module

    monkeypatch.setattr(module, "SARIF_SCHEMA", tmp_path / "missing.json")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="SARIF schema not found"):
        sarif_validator()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        sarif_validator()
