"""Part 4: explain, rule docs, test-rules, waivers, configuration, selection, quiet, pre-commit."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import EXAMPLES, ROOT, write

DOCS = EXAMPLES / "documents"


# ------------------------------------------------------------------ explain

def test_explain_on_a_record_that_fires_and_one_that_does_not(cli):
    result = cli("explain", "PREFAB-MANDATE-GOV", EXAMPLES / "ledger.csv", "--no-color", "--as-of", "2025-01-01")
    assert result.code == 0
    out = result.out
    h7 = out[out.index("examples/ledger.csv:8 H7"):]
    assert h7.startswith("examples/ledger.csv:8 H7 — 触发")
    assert "✓ 投资类型 = 政府投资    实际：政府投资" in h7 and "✓ 装配率 < 50%    实际：30%" in h7
    h1 = out[out.index("examples/ledger.csv:2 H1"):out.index("examples/ledger.csv:3 H2")]
    assert "未触发" in h1 and "✗ 投资类型 = 政府投资    实际：社会投资" in h1
    assert "依据：GB/T 51129-2017" in out and "示例（应触发）" in out and "解释说明" in out


def test_explain_json_and_documents(cli):
    result = cli("explain", "DOC-ISSUER-SELF", DOCS / "forwarded-city-copy.txt", DOCS / "clean-county-notice.txt",
                 "--format", "json")
    doc = result.json()
    got = [(Path(s["source"]).name, s["line"], s["column"], s["fired"]) for s in doc["subjects"]]
    assert got == [("forwarded-city-copy.txt", 9, 57, True), ("forwarded-city-copy.txt", 13, 3, True),
                   ("clean-county-notice.txt", 9, 92, False), ("clean-county-notice.txt", 9, 115, False),
                   ("clean-county-notice.txt", 11, 54, False)]
    assert all(s["engines_agree"] for s in doc["subjects"])


def test_explain_unknown_rule(cli):
    result = cli("explain", "NO-SUCH-RULE", EXAMPLES / "ledger.csv")
    assert result.code == 2 and "没有规则 NO-SUCH-RULE" in result.err


# ------------------------------------------------------------------ rule docs and rule tests

def test_rules_show(cli):
    out = cli("rules", "show", "SUB-REWARD-2025").out
    assert out.startswith("## SUB-REWARD-2025 — ")
    assert "新政办〔2022〕34号 第二条第13项" in out and "条文本档未设面积门槛" in out and "示例（不应触发）" in out


def test_docs_rules_md_is_in_sync(cli):
    generated = cli("rules", "--format", "markdown").out
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == generated, \
        "docs/rules.md is stale: run `checker rules --format markdown > docs/rules.md`"


def test_test_rules_passes_on_shipped_rules(cli, book):
    result = cli("test-rules", "--no-color")
    assert result.code == 0
    lines = result.out.strip().splitlines()
    assert len([line for line in lines if line.startswith("PASS ")]) == len(book.rules)
    assert lines[-1] == f"{len(book.rules)} passed, 0 failed"


def test_test_rules_reports_a_user_pack_with_a_wrong_example(cli, make_pack):
    directory = make_pack([
        {"id": "T-GOOD", "when": {"field": "prefab_rate_pct", "lt": 50},
         "examples": {"fire": [{"prefab_rate_pct": 10}], "pass": [{"prefab_rate_pct": 60}]}},
        {"id": "T-WRONG", "when": {"field": "prefab_rate_pct", "lt": 50},
         "examples": {"fire": [{"prefab_rate_pct": 70}], "pass": [{"prefab_rate_pct": 10}]}},
    ])
    result = cli("test-rules", directory, "--no-color")
    assert result.code == 1
    lines = result.out.strip().splitlines()
    assert lines[0].startswith("PASS T-GOOD")
    assert lines[1].startswith("FAIL T-WRONG") and "fire[0] 应触发却未触发（python）" in lines[1] \
        and "pass[0] 不应触发却触发了（durable）" in lines[1]
    assert lines[-1] == "1 passed, 1 failed"


# ------------------------------------------------------------------ waivers

LEDGER_WARNING = """
projects:
  - {id: W1, name: 县医院, investment: 政府投资, category: 公共建筑, prefab_rate_pct: 30}
  - {id: W2, name: 县学校, investment: 政府投资, category: 公共建筑, prefab_rate_pct: 20}
"""


def waiver_file(tmp_path, entries):
    return write(tmp_path / "checker-waivers.yaml", yaml.safe_dump({"waivers": entries}, allow_unicode=True))


def test_waiver_marks_finding_waived_and_does_not_fail(cli, tmp_path):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    waivers = waiver_file(tmp_path, [{"rule": "PREFAB-MANDATE-GOV", "record": "W1", "reason": "工艺要求现浇，经局务会批准",
                                      "approver": "王局长", "expires": "2026-12-31"}])
    result = cli("check", ledger, "--waivers", waivers, "--fail-on", "warning", "--format", "json",
                 "--as-of", "2025-06-01")
    findings = {f["record_id"]: f for f in result.json()["findings"]}
    assert findings["W1"]["waived"] is True and findings["W1"]["waiver"]["reason"] == "工艺要求现浇，经局务会批准"
    assert findings["W2"]["waived"] is False
    assert result.code == 1  # W2 still fails the run
    text = cli("check", ledger, "--waivers", waivers, "--no-color", "--as-of", "2025-06-01").out
    assert "已豁免" in text and "工艺要求现浇" in text


def test_waived_only_findings_do_not_fail(cli, tmp_path):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    waivers = waiver_file(tmp_path, [
        {"rule": "PREFAB-MANDATE-GOV", "record": r, "reason": "批准", "approver": "王", "expires": "2026-12-31"}
        for r in ("W1", "W2")])
    assert cli("check", ledger, "--waivers", waivers, "--fail-on", "warning", "--as-of", "2025-06-01").code == 0


def test_expired_unused_and_malformed_waivers_are_findings(cli, tmp_path):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    waivers = waiver_file(tmp_path, [
        {"rule": "PREFAB-MANDATE-GOV", "record": "W1", "reason": "过期", "approver": "王", "expires": "2024-12-31"},
        {"rule": "PREFAB-MANDATE-GOV", "record": "NOPE", "reason": "打错编号", "approver": "王", "expires": "2026-12-31"},
        {"rule": "PREFAB-MANDATE-GOV", "record": "W2", "approver": "王", "expires": "2026-12-31"},
        {"rule": "PREFAB-MANDATE-GOV", "record": "W2", "reason": "  ", "approver": "王", "expires": "2026-12-31"},
        {"rule": "PREFAB-MANDATE-GOV", "reason": "没有对象", "approver": "王", "expires": "2026-12-31"},
        {"rule": "PREFAB-MANDATE-GOV", "record": "W2", "reason": "x", "approver": "王", "expires": "明年"},
    ])
    result = cli("check", ledger, "--waivers", waivers, "--format", "json", "--as-of", "2025-06-01")
    doc = result.json()
    waiver_findings = sorted((f["rule_id"], f["line"]) for f in doc["findings"] if f["category"] == "waiver")
    assert waiver_findings == [("WAIVER-EXPIRED", 2), ("WAIVER-INVALID", 12), ("WAIVER-INVALID", 16),
                               ("WAIVER-INVALID", 21), ("WAIVER-INVALID", 25), ("WAIVER-UNUSED", 7)]
    assert not any(f["waived"] for f in doc["findings"])  # nothing was waived by a bad or expired waiver
    messages = " ".join(f["message"] for f in doc["findings"] if f["category"] == "waiver")
    assert "缺少“reason”" in messages and "reason（理由）不能为空" in messages and "2024-12-31 过期" in messages


def test_waiver_by_file_and_line_and_discovery_next_to_cwd(cli, tmp_path, monkeypatch):
    doc = tmp_path / "copy.txt"
    doc.write_bytes((DOCS / "forwarded-city-copy.txt").read_bytes())
    waiver_file(tmp_path, [{"rule": "DOC-ISSUER-SELF", "file": "copy.txt", "line": 9, "reason": "引用市级原文",
                            "approver": "李", "expires": "2030-01-01"}])
    monkeypatch.chdir(tmp_path)
    result = cli("lint", "copy.txt", "--format", "json", "--as-of", "2025-01-01", "--no-config")
    waived = [(f["rule_id"], f["line"], f["waived"]) for f in result.json()["findings"]]
    assert waived == [("DOC-ISSUER-SELF", 9, True), ("DOC-ISSUER-AGENCY", 11, False), ("DOC-ISSUER-SELF", 13, False)]


def test_inline_waiver_marker(cli, tmp_path):
    text = (DOCS / "forwarded-city-copy.txt").read_text(encoding="utf-8").replace(
        "一、各单位要按照", "<!-- checker: waive DOC-ISSUER-AGENCY reason=\"照录上级原文\" approver=\"李\" "
        "expires=2030-01-01 -->\n一、各单位要按照")
    path = write(tmp_path / "n.md", text)
    result = cli("lint", path, "--format", "json", "--as-of", "2025-01-01")
    got = [(f["rule_id"], f["line"], f["column"], f["waived"]) for f in result.json()["findings"]]
    assert got == [("DOC-ISSUER-SELF", 9, 57, False), ("DOC-ISSUER-AGENCY", 12, 9, True),
                   ("DOC-ISSUER-SELF", 14, 3, False)]


def test_inline_waiver_without_reason_is_rejected(cli, tmp_path):
    text = (DOCS / "forwarded-city-copy.txt").read_text(encoding="utf-8").replace(
        "一、各单位要按照", "checker: waive DOC-ISSUER-AGENCY approver=\"李\"\n一、各单位要按照")
    path = write(tmp_path / "n.txt", text)
    doc = cli("lint", path, "--format", "json", "--as-of", "2025-01-01").json()
    got = [(f["rule_id"], f["line"], f["waived"]) for f in doc["findings"]]
    assert ("WAIVER-INVALID", 11, False) in got and ("DOC-ISSUER-AGENCY", 12, False) in got


# ------------------------------------------------------------------ configuration

def test_config_discovery_walks_up_and_cli_wins(cli, tmp_path, monkeypatch):
    ledger = write(tmp_path / "data" / "p.yaml", LEDGER_WARNING)
    write(tmp_path / "checker.toml", """
        fail_on = "warning"
        ignore = ["PREFAB-MANDATE-GOV-UNKNOWN"]
        as_of = 2025-03-01
        """)
    deep = tmp_path / "data" / "sub"
    deep.mkdir()
    monkeypatch.chdir(deep)
    assert cli("check", ledger).code == 1  # fail_on = warning from the file found two levels up
    assert cli("check", ledger, "--fail-on", "error").code == 0  # the command line wins
    assert cli("check", ledger, "--format", "json").json()["as_of"] == "2025-03-01"
    assert cli("check", ledger, "--format", "json", "--as-of", "2025-04-01").json()["as_of"] == "2025-04-01"
    assert cli("check", ledger, "--no-config").code == 0


def test_pyproject_tool_checker_and_select(cli, tmp_path, monkeypatch):
    ledger = write(tmp_path / "p.yaml", LEDGER_WARNING)
    write(tmp_path / "pyproject.toml", """
        [project]
        name = "demo"
        [tool.checker]
        select = ["input"]
        """)
    monkeypatch.chdir(tmp_path)
    doc = cli("check", ledger, "--format", "json").json()
    assert doc["findings"] == []  # only the input category selected
    doc = cli("check", ledger, "--format", "json", "--select", "prefab-mandate").json()
    assert [f["rule_id"] for f in doc["findings"]] == ["PREFAB-MANDATE-GOV", "PREFAB-MANDATE-GOV"]
    doc = cli("check", ledger, "--format", "json", "--select", "PREFAB-*", "--ignore", "PREFAB-MANDATE-GOV").json()
    assert doc["findings"] == []


def test_config_errors_are_one_line(cli, tmp_path, monkeypatch):
    write(tmp_path / "checker.toml", 'fail_on = "sometimes"\n')
    monkeypatch.chdir(tmp_path)
    result = cli("check", EXAMPLES / "ledger.csv")
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert "checker.toml" in line and "fail_on" in line
    write(tmp_path / "checker.toml", 'colour = "red"\n')
    assert "未知的配置项“colour”" in cli("check", EXAMPLES / "ledger.csv").err


def test_config_organization_and_one_day_scope(cli, tmp_path, monkeypatch):
    write(tmp_path / "checker.toml", """
        one_day_scope_add = ["商品房预售许可"]
        [organization]
        name = "新野县住房和城乡建设局"
        level = "county"
        """)
    monkeypatch.chdir(tmp_path)
    doc = cli("approvals", EXAMPLES / "approvals.csv", "--format", "json", "--as-of", "2026-11-28").json()
    late = sorted(f["record_id"] for f in doc["findings"] if f["rule_id"] == "ONE-DAY-LATE")
    assert {"A21", "A22", "A28"} <= set(late)  # 商品房预售许可 is now in the one-day scope
    note = write(tmp_path / "n.txt", "各股室：\n结合我市实际，认真落实。\n")
    doc = cli("lint", note, "--format", "json").json()
    assert ("DOC-ISSUER-SELF", 2) in [(f["rule_id"], f["line"]) for f in doc["findings"]]


# ------------------------------------------------------------------ output and hooks

def test_quiet_prints_only_findings(cli):
    out = cli("lint", DOCS / "forwarded-city-copy.txt", "--quiet", "--no-color").out
    assert "checker lint —" not in out and "共 " not in out and "DOC-ISSUER-SELF" in out


def test_report_header_names_versions_and_rule_hash(cli, book):
    out = cli("check", EXAMPLES / "ledger.csv", "--no-color").out
    assert out.splitlines()[0].startswith("checker check — checker 0.1.0 · 规则包 ")
    assert book.digest[:12] in out.splitlines()[0]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(EXAMPLES), "--format", "json",
                           "--output", str(tmp_path / "out.json")], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "NO_COLOR": "1"})
    assert "检查中" not in proc.stderr and "\x1b[" not in proc.stderr


def test_pre_commit_hooks_file():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"]: h for h in hooks}
    assert ids["checker-lint"]["entry"].startswith("checker lint") and "docx" in ids["checker-lint"]["files"]


def test_junit_lists_clean_records_too(cli):
    import xml.etree.ElementTree as ET

    out = cli("approvals", EXAMPLES / "ledger.csv", "--format", "junit", "--as-of", "2025-01-01").out
    suites = {s.get("name"): s for s in ET.fromstring(out).iter("testsuite")}
    bench = suites["approval-benchmark"]
    assert bench.get("tests") == "16" and bench.get("failures") == "3"  # H1, H6, H9 fail; the 13 others pass


def test_explain_sees_the_item_types_and_ids_check_sees(cli, tmp_path):
    """explain builds approval item types as check does (first row's name, largest promise) and skips repeated ids."""
    export = write(tmp_path / "items.csv", """
        编号,事项名称,受理日期,办结日期,承诺时限(工作日)
        A1,建筑工程施工许可证核发,2024-05-06,2024-05-06,1
        A2,建筑工程施工许可证核发,2024-05-07,2024-05-07,3
        A2,建筑工程施工许可证核发,2024-05-08,2024-05-08,9
        """)
    explained = cli("explain", "ONE-DAY-PROMISED", export, "--format", "json", "--as-of", "2025-01-01").json()
    assert [(s["line"], s["fired"]) for s in explained["subjects"]] == [(2, True)]
    leaves = explained["subjects"][0]["check"]["children"]
    assert [c["actual"] for c in leaves if c["field"] == "promised_working_days"] == ["3 个工作日"]
    checked = cli("check", export, "--format", "json", "--as-of", "2025-01-01").json()
    promised = [f for f in checked["findings"] if f["rule_id"] == "ONE-DAY-PROMISED"]
    assert [(f["line"], f["record_id"]) for f in promised] == [(2, "建筑工程施工许可证核发")]
    assert "3" in promised[0]["evidence"] and "9" not in promised[0]["evidence"]  # the repeated A2 is not counted
