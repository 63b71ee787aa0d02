"""The configuration file: discovery, precedence over it of the command line, errors, pack settings."""

from __future__ import annotations

from tests.conftest import EXAMPLES, write
from tests.run.test_waivers import LEDGER_WARNING


def test_config_discovery_walks_up_and_cli_wins(cli, tmp_path, monkeypatch):
    ledger = write(tmp_path / "data" / "p.yaml", LEDGER_WARNING)
    write(
        tmp_path / "checker.toml",
        """
        fail_on = "warning"
        ignore = ["PREFAB-MANDATE-GOV-UNKNOWN"]
        as_of = 2025-03-01
        """,
    )
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
    write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "demo"
        [tool.checker]
        select = ["input"]
        """,
    )
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
    write(
        tmp_path / "checker.toml",
        """
        one_day_scope_add = ["商品房预售许可"]
        [organization]
        name = "新野县住房和城乡建设局"
        level = "county"
        """,
    )
    monkeypatch.chdir(tmp_path)
    doc = cli("approvals", EXAMPLES / "approvals.csv", "--format", "json", "--as-of", "2026-11-28").json()
    late = sorted(f["record_id"] for f in doc["findings"] if f["rule_id"] == "ONE-DAY-LATE")
    assert {"A21", "A22", "A28"} <= set(late)  # 商品房预售许可 is now in the one-day scope
    note = write(tmp_path / "n.txt", "各股室：\n结合我市实际，认真落实。\n")
    doc = cli("lint", note, "--format", "json").json()
    assert ("DOC-ISSUER-SELF", 2) in [(f["rule_id"], f["line"]) for f in doc["findings"]]
