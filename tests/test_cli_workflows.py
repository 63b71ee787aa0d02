"""Commands a reviewer runs around a check: explain, rule docs, test-rules, quiet, headers, pre-commit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import EXAMPLES, ROOT, write

DOCS = EXAMPLES / "documents"


def test_explain_on_a_record_that_fires_and_one_that_does_not(cli):
    result = cli("explain", "PREFAB-MANDATE-GOV", EXAMPLES / "ledger.csv", "--no-color", "--as-of", "2025-01-01")
    assert result.code == 0
    out = result.out
    h7 = out[out.index("examples/ledger.csv:8 H7") :]
    assert h7.startswith("examples/ledger.csv:8 H7 — 触发")
    assert "✓ 投资类型 = 政府投资    实际：政府投资" in h7 and "✓ 装配率 < 50%    实际：30%" in h7
    h1 = out[out.index("examples/ledger.csv:2 H1") : out.index("examples/ledger.csv:3 H2")]
    assert "未触发" in h1 and "✗ 投资类型 = 政府投资    实际：社会投资" in h1
    assert "依据：GB/T 51129-2017" in out and "示例（应触发）" in out and "解释说明" in out


def test_explain_json_and_documents(cli):
    result = cli(
        "explain",
        "DOC-ISSUER-SELF",
        DOCS / "forwarded-city-copy.txt",
        DOCS / "clean-county-notice.txt",
        "--format",
        "json",
    )
    doc = result.json()
    got = [(Path(s["source"]).name, s["line"], s["column"], s["fired"]) for s in doc["subjects"]]
    assert got == [
        ("forwarded-city-copy.txt", 9, 57, True),
        ("forwarded-city-copy.txt", 13, 3, True),
        ("clean-county-notice.txt", 9, 92, False),
        ("clean-county-notice.txt", 9, 115, False),
        ("clean-county-notice.txt", 11, 54, False),
    ]
    assert all(s["engines_agree"] for s in doc["subjects"])


def test_explain_unknown_rule(cli):
    result = cli("explain", "NO-SUCH-RULE", EXAMPLES / "ledger.csv")
    assert result.code == 2 and "没有规则 NO-SUCH-RULE" in result.err


def test_rules_show(cli):
    out = cli("rules", "show", "SUB-REWARD-2025").out
    assert out.startswith("## SUB-REWARD-2025 — ")
    assert "新政办〔2022〕34号 第二条第13项" in out and "条文本档未设面积门槛" in out and "示例（不应触发）" in out


def test_docs_rules_md_is_in_sync(cli):
    generated = cli("rules", "--format", "markdown").out
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == generated, (
        "docs/rules.md is stale: run `checker rules --format markdown > docs/rules.md`"
    )


def test_test_rules_passes_on_shipped_rules(cli, book):
    result = cli("test-rules", "--no-color")
    assert result.code == 0
    lines = result.out.strip().splitlines()
    assert len([line for line in lines if line.startswith("PASS ")]) == len(book.rules)
    assert lines[-1] == f"{len(book.rules)} passed, 0 failed"


def test_test_rules_reports_a_user_pack_with_a_wrong_example(cli, make_pack):
    directory = make_pack(
        [
            {
                "id": "T-GOOD",
                "when": {"field": "prefab_rate_pct", "lt": 50},
                "examples": {"fire": [{"prefab_rate_pct": 10}], "pass": [{"prefab_rate_pct": 60}]},
            },
            {
                "id": "T-WRONG",
                "when": {"field": "prefab_rate_pct", "lt": 50},
                "examples": {"fire": [{"prefab_rate_pct": 70}], "pass": [{"prefab_rate_pct": 10}]},
            },
        ]
    )
    result = cli("test-rules", directory, "--no-color")
    assert result.code == 1
    lines = result.out.strip().splitlines()
    assert lines[0].startswith("PASS T-GOOD")
    assert (
        lines[1].startswith("FAIL T-WRONG")
        and "fire[0] 应触发却未触发（python）" in lines[1]
        and "pass[0] 不应触发却触发了（durable）" in lines[1]
    )
    assert lines[-1] == "1 passed, 1 failed"


def test_quiet_prints_only_findings(cli):
    out = cli("lint", DOCS / "forwarded-city-copy.txt", "--quiet", "--no-color").out
    assert "checker lint —" not in out and "共 " not in out and "DOC-ISSUER-SELF" in out


def test_report_header_names_versions_and_rule_hash(cli, book):
    out = cli("check", EXAMPLES / "ledger.csv", "--no-color").out
    assert out.splitlines()[0].startswith("checker check — checker 0.1.0 · 规则包 ")
    assert book.digest[:12] in out.splitlines()[0]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker",
            "check",
            str(EXAMPLES),
            "--format",
            "json",
            "--output",
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
    )
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
    """explain builds approval item types as check does (on the row with the largest promise) and skips repeated ids."""
    export = write(
        tmp_path / "items.csv",
        """
        编号,事项名称,受理日期,办结日期,承诺时限(工作日)
        A1,建筑工程施工许可证核发,2024-05-06,2024-05-06,1
        A2,建筑工程施工许可证核发,2024-05-07,2024-05-07,3
        A2,建筑工程施工许可证核发,2024-05-08,2024-05-08,9
        """,
    )
    explained = cli("explain", "ONE-DAY-PROMISED", export, "--format", "json", "--as-of", "2025-01-01").json()
    assert [(s["line"], s["fired"]) for s in explained["subjects"]] == [(3, True)]
    leaves = explained["subjects"][0]["check"]["children"]
    assert [c["actual"] for c in leaves if c["field"] == "promised_working_days"] == ["3 个工作日"]
    checked = cli("check", export, "--format", "json", "--as-of", "2025-01-01").json()
    promised = [f for f in checked["findings"] if f["rule_id"] == "ONE-DAY-PROMISED"]
    assert [(f["line"], f["record_id"]) for f in promised] == [(3, "建筑工程施工许可证核发")]
    assert "（办件 A2；该事项共 2 件）" in promised[0]["message"]
    assert "3" in promised[0]["evidence"] and "9" not in promised[0]["evidence"]  # the repeated A2 is not counted
