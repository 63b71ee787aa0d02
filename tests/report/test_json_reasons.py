"""The JSON report gives each project's decisive reasons; the window trees only with --explain (part 16)."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLES

LEDGER = EXAMPLES / "ledger.csv"
# H5, accepted in 2023, falls in both windows and misses each by one condition
BOTH_MISSED = ["2023年底前：建筑面积 ≥ 10,000 m²（实际 9,800 m²）", "2023年至2025年底：装配率 ≥ 50%（实际 40%）"]


def _subsidies(cli, *args):
    result = cli(*args, "--format", "json", "--as-of", "2025-11-25")
    return {s["record_id"]: s for s in json.loads(result.out)["subsidies"]}


def test_subsidy_json_is_short_reasons_without_trees(cli):
    projects = _subsidies(cli, "subsidy", LEDGER)
    h5 = projects["H5"]
    assert (h5["status"], h5["windows"]) == ("not_eligible", None)
    assert h5["reasons"] == BOTH_MISSED
    h6 = projects["H6"]
    assert h6["reasons"][-1] == "2023年至2025年底：装配率 ≥ 50%（60%）"
    assert h6["referral_reasons"] == ["同时享受市级以上财政的有关奖励"]
    assert all(isinstance(reason, str) for p in projects.values() for reason in p["reasons"])


def test_explain_adds_every_windows_tree_in_subsidy_and_check(cli):
    for command in ("subsidy", "check"):
        h5 = _subsidies(cli, command, LEDGER, "--explain")["H5"]
        assert h5["reasons"] == BOTH_MISSED
        assert [w["window"] for w in h5["windows"]] == ["SUB-COUNTY-2023", "SUB-REWARD-2025"]
        assert {c["field"]: c["passed"] for c in h5["windows"][1]["check"]["children"] if "field" in c}[
            "prefab_rate_pct"
        ] is False
