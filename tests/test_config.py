"""The configuration file: discovery, precedence over it of the command line, errors, pack settings."""

from __future__ import annotations

import pytest

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


def _late(cli, tmp_path, config: str) -> tuple[int, list[str], str]:
    write(tmp_path / "checker.toml", config)
    result = cli("approvals", EXAMPLES / "approvals.csv", "--format", "json", "--as-of", "2026-11-28")
    if result.code == 2:
        return result.code, [], result.err
    return result.code, sorted(f["record_id"] for f in result.json()["findings"] if f["rule_id"] == "ONE-DAY-LATE"), ""


def test_pack_settings_are_set_generically_by_pack_id(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, shipped, _ = _late(cli, tmp_path, "")
    _, added, _ = _late(cli, tmp_path, '[settings.one-day-handling]\none_day_scope = { add = ["商品房预售许可"] }\n')
    _, alias, _ = _late(cli, tmp_path, 'one_day_scope_add = ["商品房预售许可"]\n')
    assert set(added) - set(shipped) == {"A21", "A22", "A28"} and alias == added
    _, replaced, _ = _late(cli, tmp_path, '[settings.one-day-handling]\none_day_scope = ["商品房预售许可"]\n')
    assert replaced == ["A21", "A22", "A28"]  # the building-permit items are no longer in the scope
    # a scalar setting: two working days allowed instead of one
    _, relaxed, _ = _late(cli, tmp_path, "[settings.one-day-handling]\nmax_working_days = 2\n")
    assert set(relaxed) < set(shipped) and "A07" not in relaxed and "A05" in relaxed  # A07 took 2 days, A05 3


def test_pack_settings_that_do_not_exist_or_do_not_fit_are_one_line_errors(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "checker.toml"
    cases = [
        ("[settings.no-such-pack]\nx = 1\n", "settings.no-such-pack: 没有这个规则包"),
        (
            "[settings.one-day-handling]\nnope = 1\n",
            "settings.one-day-handling.nope: 规则包 one-day-handling 没有这项设置",
        ),
        (
            '[settings.one-day-handling]\nmax_working_days = "一天"\n',
            "settings.one-day-handling.max_working_days: 类型与规则包中的设置不符",
        ),
        (
            "[settings.one-day-handling]\nmax_working_days = { add = [1] }\n",
            "只有列表设置可写 {replace = […], add = […]}",
        ),
    ]
    for text, fragment in cases:
        code, _, err = _late(cli, tmp_path, text)
        assert code == 2 and err.count("\n") == 1 and fragment in err and err.startswith(f"checker: {config}: "), err
        assert err.rstrip().endswith("[CONFIG]")


def test_a_foreign_pyproject_is_ignored_whatever_it_holds(cli, tmp_path, monkeypatch):
    """A pyproject.toml without [tool.checker] is not ours: an integer of 5,000 digits (beyond Python's
    conversion limit) in it must not break every command; in our own table it is a [CONFIG] error."""
    huge = "1" * 5000
    write(tmp_path / "pyproject.toml", f'[project]\nname = "x"\nversion = {huge}\n')
    monkeypatch.chdir(tmp_path)
    assert cli("lint", EXAMPLES / "documents" / "clean-county-notice.txt").code == 0
    write(tmp_path / "pyproject.toml", f'[tool.checker]\nfail_on = "error"\nx = {huge}\n')
    result = cli("lint", EXAMPLES / "documents" / "clean-county-notice.txt")
    assert result.code == 2
    assert result.err.strip() == f"checker: {tmp_path / 'pyproject.toml'}: 配置文件格式错误：有位数过多的整数 [CONFIG]"


@pytest.mark.parametrize("target", ["/dev/zero", "DIR"])
def test_a_config_that_is_not_a_regular_file_is_refused(cli, tmp_path, target):
    path = str(tmp_path) if target == "DIR" else target
    result = cli("lint", EXAMPLES / "documents" / "clean-county-notice.txt", "--config", path)
    assert result.code == 2
    assert result.err.strip() == f"checker: {path}: 配置文件应为普通文件 [CONFIG]"
