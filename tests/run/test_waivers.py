"""Waivers: a waiver file and inline markers mark findings waived; waivers are themselves checked."""

from __future__ import annotations

import yaml

from tests.conftest import EXAMPLES, write

DOCS = EXAMPLES / "documents"
LEDGER_WARNING = """
projects:
  - {id: W1, name: 县医院, investment: 政府投资, category: 公共建筑, prefab_rate_pct: 30}
  - {id: W2, name: 县学校, investment: 政府投资, category: 公共建筑, prefab_rate_pct: 20}
"""


def waiver_file(tmp_path, entries):
    return write(tmp_path / "checker-waivers.yaml", yaml.safe_dump({"waivers": entries}, allow_unicode=True))


def test_waiver_marks_finding_waived_and_does_not_fail(cli, tmp_path):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    waivers = waiver_file(
        tmp_path,
        [
            {
                "rule": "PREFAB-MANDATE-GOV",
                "record": "W1",
                "reason": "工艺要求现浇，经局务会批准",
                "approver": "王局长",
                "expires": "2026-12-31",
            }
        ],
    )
    result = cli(
        "check", ledger, "--waivers", waivers, "--fail-on", "warning", "--format", "json", "--as-of", "2025-06-01"
    )
    findings = {f["record_id"]: f for f in result.json()["findings"]}
    assert findings["W1"]["waived"] is True and findings["W1"]["waiver"]["reason"] == "工艺要求现浇，经局务会批准"
    assert findings["W2"]["waived"] is False
    assert result.code == 1  # W2 still fails the run
    text = cli("check", ledger, "--waivers", waivers, "--no-color", "--as-of", "2025-06-01").out
    assert "已豁免" in text and "工艺要求现浇" in text


def test_waived_only_findings_do_not_fail(cli, tmp_path):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    waivers = waiver_file(
        tmp_path,
        [
            {"rule": "PREFAB-MANDATE-GOV", "record": r, "reason": "批准", "approver": "王", "expires": "2026-12-31"}
            for r in ("W1", "W2")
        ],
    )
    assert cli("check", ledger, "--waivers", waivers, "--fail-on", "warning", "--as-of", "2025-06-01").code == 0


def test_expired_unused_and_malformed_waivers_are_findings(cli, tmp_path):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    waivers = waiver_file(
        tmp_path,
        [
            {"rule": "PREFAB-MANDATE-GOV", "record": "W1", "reason": "过期", "approver": "王", "expires": "2024-12-31"},
            {
                "rule": "PREFAB-MANDATE-GOV",
                "record": "NOPE",
                "reason": "打错编号",
                "approver": "王",
                "expires": "2026-12-31",
            },
            {"rule": "PREFAB-MANDATE-GOV", "record": "W2", "approver": "王", "expires": "2026-12-31"},
            {"rule": "PREFAB-MANDATE-GOV", "record": "W2", "reason": "  ", "approver": "王", "expires": "2026-12-31"},
            {"rule": "PREFAB-MANDATE-GOV", "reason": "没有对象", "approver": "王", "expires": "2026-12-31"},
            {"rule": "PREFAB-MANDATE-GOV", "record": "W2", "reason": "x", "approver": "王", "expires": "明年"},
        ],
    )
    result = cli("check", ledger, "--waivers", waivers, "--format", "json", "--as-of", "2025-06-01")
    doc = result.json()
    waiver_findings = sorted((f["rule_id"], f["line"]) for f in doc["findings"] if f["category"] == "waiver")
    assert waiver_findings == [
        ("WAIVER-EXPIRED", 2),
        ("WAIVER-INVALID", 12),
        ("WAIVER-INVALID", 16),
        ("WAIVER-INVALID", 21),
        ("WAIVER-INVALID", 25),
        ("WAIVER-UNUSED", 7),
    ]
    assert not any(f["waived"] for f in doc["findings"])  # nothing was waived by a bad or expired waiver
    messages = " ".join(f["message"] for f in doc["findings"] if f["category"] == "waiver")
    assert "缺少“reason”" in messages and "reason（理由）不能为空" in messages and "2024-12-31 过期" in messages


def test_waiver_by_file_and_line_and_discovery_next_to_cwd(cli, tmp_path, monkeypatch):
    doc = tmp_path / "copy.txt"
    doc.write_bytes((DOCS / "forwarded-city-copy.txt").read_bytes())
    waiver_file(
        tmp_path,
        [
            {
                "rule": "DOC-ISSUER-SELF",
                "file": "copy.txt",
                "line": 9,
                "reason": "引用市级原文",
                "approver": "李",
                "expires": "2030-01-01",
            }
        ],
    )
    monkeypatch.chdir(tmp_path)
    result = cli("lint", "copy.txt", "--format", "json", "--as-of", "2025-01-01", "--no-config")
    waived = [(f["rule_id"], f["line"], f["waived"]) for f in result.json()["findings"]]
    assert waived == [("DOC-ISSUER-SELF", 9, True), ("DOC-ISSUER-AGENCY", 11, False), ("DOC-ISSUER-SELF", 13, False)]


def test_inline_waiver_marker(cli, tmp_path):
    text = (
        (DOCS / "forwarded-city-copy.txt")
        .read_text(encoding="utf-8")
        .replace(
            "一、各单位要按照",
            '<!-- checker: waive DOC-ISSUER-AGENCY reason="照录上级原文" approver="李" '
            "expires=2030-01-01 -->\n一、各单位要按照",
        )
    )
    path = write(tmp_path / "n.md", text)
    result = cli("lint", path, "--format", "json", "--as-of", "2025-01-01")
    got = [(f["rule_id"], f["line"], f["column"], f["waived"]) for f in result.json()["findings"]]
    assert got == [
        ("DOC-ISSUER-SELF", 9, 57, False),
        ("DOC-ISSUER-AGENCY", 12, 9, True),
        ("DOC-ISSUER-SELF", 14, 3, False),
    ]


def test_inline_waiver_without_reason_is_rejected(cli, tmp_path):
    text = (
        (DOCS / "forwarded-city-copy.txt")
        .read_text(encoding="utf-8")
        .replace("一、各单位要按照", 'checker: waive DOC-ISSUER-AGENCY approver="李"\n一、各单位要按照')
    )
    path = write(tmp_path / "n.txt", text)
    doc = cli("lint", path, "--format", "json", "--as-of", "2025-01-01").json()
    got = [(f["rule_id"], f["line"], f["waived"]) for f in doc["findings"]]
    assert ("WAIVER-INVALID", 11, False) in got and ("DOC-ISSUER-AGENCY", 12, False) in got


def test_a_waiver_is_unused_only_when_its_rule_ran_on_its_target(cli, tmp_path):
    """A ledger waiver is not "unused" in a run that linted documents only, or whose --select left its rule out;
    with fail_on = warning a clean notice must still pass."""
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    waivers = waiver_file(
        tmp_path,
        [{"rule": "PREFAB-MANDATE-GOV", "record": "W1", "reason": "批准", "approver": "王", "expires": "2026-12-31"}],
    )
    common = ("--waivers", waivers, "--fail-on", "warning", "--as-of", "2025-06-01", "--format", "json")

    def waiver_findings(*args):
        result = cli(*args, *common)
        return result.code, [f["rule_id"] for f in result.json()["findings"] if f["category"] == "waiver"]

    assert waiver_findings("lint", DOCS / "clean-county-notice.txt") == (0, [])
    assert waiver_findings("check", ledger, "--select", "PREFAB-MANDATE-GOV-UNKNOWN")[1] == []
    assert waiver_findings("check", DOCS / "clean-county-notice.txt") == (0, [])  # its file was not in the run
    # the rule ran on the ledger and matched nothing: now it is unused
    write(tmp_path / "p.yaml", LEDGER_WARNING.replace("W1", "W9"))
    assert waiver_findings("check", ledger)[1] == ["WAIVER-UNUSED"]


def test_blank_names_and_reasons_are_rejected_and_a_numeric_record_matches(cli, tmp_path):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING.replace("W1", "123"))
    waivers = waiver_file(
        tmp_path,
        [
            {"rule": "PREFAB-MANDATE-GOV", "record": 123, "reason": "批准", "approver": "王", "expires": "2026-12-31"},
            {
                "rule": "PREFAB-MANDATE-GOV",
                "record": "W2",
                "reason": "批准",
                "approver": "   ",
                "expires": "2026-12-31",
            },
            {
                "rule": "PREFAB-MANDATE-GOV",
                "record": "W2",
                "reason": "\u200b",
                "approver": "王",
                "expires": "2026-12-31",
            },
        ],
    )
    result = cli("check", ledger, "--waivers", waivers, "--format", "json", "--as-of", "2025-06-01")
    findings = result.json()["findings"]
    assert next(f for f in findings if f["record_id"] == "123")["waived"] is True  # `record: 123` is the id "123"
    invalid = [f["message"] for f in findings if f["rule_id"] == "WAIVER-INVALID"]
    assert invalid == [
        "第2条豁免无效（approver（批准人）不能为空），未生效",
        "第3条豁免无效（reason（理由）不能为空），未生效",
    ]
    assert (
        next(f for f in findings if f["record_id"] == "W2" and f["rule_id"] == "PREFAB-MANDATE-GOV")["waived"] is False
    )


def test_an_inline_waiver_needs_an_approver_and_an_expiry(cli, tmp_path):
    doc = write(
        tmp_path / "n.txt",
        '关于某事的通知\n各单位：\n<!-- checker: waive DOC-ISSUER-SELF reason="照录原文" -->\n结合我市实际。\n'
        "新野县人民政府\n2024年3月5日\n",
    )
    result = cli("lint", doc, "--format", "json", "--as-of", "2024-12-01")
    findings = result.json()["findings"]
    assert [f["waived"] for f in findings if f["rule_id"] == "DOC-ISSUER-SELF"] == [False]
    [problem] = [f for f in findings if f["rule_id"] == "WAIVER-INVALID"]
    assert problem["line"] == 3 and "缺少“approver”" in problem["message"]
