"""JUnit XML, rendered from real runs on the shipped examples: one case per record and pack."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from checker.report import junit
from checker.run.pipeline import run
from tests.conftest import EXAMPLES, write

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
        f.rule_id for f in result.findings if f.severity in ("error", "warning")
    )


def test_junit_one_case_per_record_and_pack(result):
    root = junit_root(result)
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names[0] == "input"
    assert names[1:] == [p.id for p in result.book.packs]  # every pack checked something in these examples
    assert suite(root, "prefab-mandate").get("tests") == "16"  # 16 projects
    assert suite(root, "prefab-mandate").get("failures") == "2"  # H7, H12 (H16 is info)
    assert suite(root, "prefab-subsidy").get("tests") == "16"
    assert suite(root, "one-day-handling").get("tests") == "31"  # 30 rows and the 施工许可证 item type
    assert suite(root, "one-day-handling").get("failures") == "15"  # and 7 more rows accepted after --as-of
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
    assert h6.find("system-out").text == (
        "补贴 符合，不超过 120,000 元（2023年至2025年底）（需人工确认：本档条文未设面积门槛、未限定建筑类别，"
        "按字面适用于第一档未列的类别（工业建筑、保障性住房、其他）；是否适用，请确认）；市级 转市级"
    )
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
    finding.message = '装配率\x0b偏低 <b>&"</b>\x00'
    root = junit_root(result)
    failure = case(root, "prefab-mandate", "examples/ledger.csv", "H7").find("failure")
    assert failure.get("message") == '[PREFAB-MANDATE-GOV] 装配率偏低 <b>&"</b>'


def test_junit_input_errors_are_failures_and_dropped_records_have_no_pack_cases(
    tmp_path, book, python_eval, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path / "l.csv",
        """
        编号,项目名称,建筑类别,投资类型,建筑面积,装配率
        B1,好项目,商住,社会投资,25000,35%
        B2,坏项目,商住,社会投资,-5,35%
        """,
    )
    root = junit_root(run(["l.csv"], book, python_eval, AS_OF))
    assert case(root, "input", "l.csv", "B2").find("failure").get("type") == "INPUT-VALUE"
    assert case(root, "input", "l.csv", "B1").find("failure") is None
    names = [c.get("name") for c in suite(root, "prefab-mandate").findall("testcase")]
    assert names == ["l.csv · B1"]
