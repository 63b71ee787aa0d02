"""Waivers are matched through an index (rule → record / line), in file order, at any scale."""

from __future__ import annotations

import yaml

from tests.conftest import write


def _ledger(tmp_path, count):
    rows = "".join(
        f"  - {{id: P{n}, name: 县项目{n}, investment: 政府投资, category: 公共建筑, prefab_rate_pct: 20}}\n"
        for n in range(count)
    )
    return write(tmp_path / "p.yaml", "projects:\n" + rows)


def _waiver(**spec):
    return {"rule": "PREFAB-MANDATE-GOV", "reason": "批准", "approver": "王", "expires": "2026-12-31", **spec}


def test_two_thousand_findings_against_ten_thousand_waivers(cli, tmp_path):
    """Before the index, every finding met every waiver (5,000 × 20,000 took 158 s)."""
    ledger = _ledger(tmp_path, 2000)
    entries = [_waiver(record=f"P{n}") for n in range(0, 2000, 2)]  # every even project
    entries += [_waiver(record=f"X{n}") for n in range(9_000)]  # records that do not exist
    waivers = write(tmp_path / "w.yaml", yaml.safe_dump({"waivers": entries}, allow_unicode=True))
    result = cli("check", ledger, "--waivers", waivers, "--format", "json", "--as-of", "2025-06-01")
    findings = result.json()["findings"]
    fired = {f["record_id"]: f["waived"] for f in findings if f["rule_id"] == "PREFAB-MANDATE-GOV"}
    assert len(fired) == 2000
    assert {record for record, waived in fired.items() if waived} == {f"P{n}" for n in range(0, 2000, 2)}
    assert sum(f["rule_id"] == "WAIVER-UNUSED" for f in findings) == 9_000


def test_the_first_waiver_in_file_order_wins_whatever_it_names(cli, tmp_path):
    ledger = _ledger(tmp_path, 2)
    entries = [
        _waiver(reason="对所有项目", file="p.yaml"),
        _waiver(reason="只对 P1", record="P1"),
        _waiver(reason="P0 的第二条", record="P0"),
    ]
    waivers = write(tmp_path / "checker-waivers.yaml", yaml.safe_dump({"waivers": entries}, allow_unicode=True))
    result = cli("check", ledger, "--waivers", waivers, "--format", "json", "--as-of", "2025-06-01")
    by_record = {
        f["record_id"]: f["waiver"]["reason"] for f in result.json()["findings"] if f["rule_id"] == "PREFAB-MANDATE-GOV"
    }
    assert by_record == {"P0": "对所有项目", "P1": "对所有项目"}
    unused = sorted(f["line"] for f in result.json()["findings"] if f["rule_id"] == "WAIVER-UNUSED")
    assert len(unused) == 2
