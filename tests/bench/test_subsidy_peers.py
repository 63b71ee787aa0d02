"""The benchmark's subsidy baselines decide every project as `checker subsidy` does.

bench/hand_subsidy.py (plain Python) and bench/polars_subsidy.py (polars, optional) are what `checker subsidy
--format json` is timed against; a ratio against a script that decides otherwise would mean nothing, so the
benchmark compares them project by project and these tests hold them to full agreement: on a generated ledger
(every value format the generator writes) and on hand-made rows at the policy's edges.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench import generate
from bench.hand_subsidy import agreement

REPO = Path(__file__).resolve().parents[2]
AS_OF = generate.AS_OF.isoformat()

HEADER = ",".join(generate.PROJECT_HEADER)
# rows at the thresholds and in every format; the expected (status, amount) as the rule files state the policy
EDGE_ROWS = {
    "E01": ("商住,社会投资,20000,30%,2021-01-01,2023/12/31", "eligible", 400000),  # county: exactly 2万, 30%
    "E02": ('商住建筑,社会投资,"19,900",30,2021-01-01,2022年3月1日', "not_eligible", 0),  # under 2万
    "E03": ("公共建筑,社会投资,10000㎡,30%,2021-01-01,2023-06-30", "eligible", 200000),  # public: exactly 1万
    "E04": ("公共建筑,社会投资,9999.5,45%,2021-01-01,2022-06-30", "not_eligible", 0),
    "E05": ("住宅,社会投资,2.5万平方米,35%,2021-01-01,2022-06-30", "eligible", 500000),  # 住宅 counts as 商住
    "E06": ("工业建筑,社会投资,8000平方米,50%,2021-01-01,2025-12-31", "eligible", 120000),  # reward: last day
    "E07": ("保障性住房,政府投资,50000,60,2021-01-01,2024-01-01", "not_eligible", 0),  # government
    "E08": ("其他,社会投资,5000,49,2021-01-01,2024-01-01", "not_eligible", 0),  # under 50 %
    "E09": ("商住,社会投资,150000,62%,2021-01-01,2023-01-01", "eligible", 2000000),  # both windows, county capped
    "E10": ("公共建筑,社会投资,30000,,2021-01-01,2023-05-01", "not_eligible", 0),  # no rate
    "E11": ("商住,社会投资,30000,40%,2021-01-01,", "pending_acceptance", 0),
    "E12": ("商住,社会投资,30000,60%,2021-01-01,2026-01-05", "outside_window", 0),
    "E13": ("商业,社会投资,50000,55%,2021-01-01,2023年7月8日", "eligible", 1000000),  # county beats reward
    "E14": ("公共建筑,政府投资,15000,60%,2021-01-01,2022-05-01", "not_eligible", 0),
    "E15": ("商住,社会投资,25000,29%,2021-01-01,2022-05-01", "not_eligible", 0),
    "E16": ("其他,社会投资,9000.5,50%,2021-01-01,2024-02-02", "eligible", 135007.5),  # fen kept
    "E17": ("公建,社会投资,200000,80%,2021-01-01,2024-02-02", "eligible", 1500000),  # reward capped
}


def _checker_subsidy(ledger: Path, out: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "checker", "subsidy", str(ledger), "--format", "json", "--output", str(out)]
        + ["--as-of", AS_OF, "--no-config"],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    return out


def _script(name: str, ledger: Path, out: Path) -> Path:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / name), str(ledger), "--output", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated 2,000-row ledger and checker's report on it."""
    root = tmp_path_factory.mktemp("subsidy-peers")
    ledger = root / "projects-2000.csv"
    generate.write_projects_csv(ledger, 3, 2000)
    return ledger, _checker_subsidy(ledger, root / "checker.json")


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    root = tmp_path_factory.mktemp("subsidy-edges")
    ledger = root / "edges.csv"
    lines = [HEADER] + [f"{rid},项目{rid},{cells},,,," for rid, (cells, _, _) in EDGE_ROWS.items()]
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ledger, _checker_subsidy(ledger, root / "checker.json")


def test_generated_ledger_exercises_the_policy(generated):
    """The agreement below means something only if the ledger reaches each outcome and both windows."""
    _, report = generated
    subsidies = json.loads(report.read_text(encoding="utf-8"))["subsidies"]
    assert len(subsidies) == 2000
    statuses = Counter(s["status"] for s in subsidies)
    assert statuses["eligible"] > 300 and statuses["not_eligible"] > 300 and statuses["pending_acceptance"] > 300
    windows = Counter(s["window"] for s in subsidies if s["eligible"])
    assert windows["SUB-COUNTY-2023"] > 50 and windows["SUB-REWARD-2025"] > 50


def test_hand_script_agrees_with_checker_on_a_generated_ledger(generated, tmp_path):
    ledger, report = generated
    result = agreement(report, _script("hand_subsidy.py", ledger, tmp_path / "hand.jsonl"))
    assert result == {"projects": 2000, "baseline_projects": 2000, "disagreements": 0, "examples": []}


def test_hand_script_and_checker_agree_at_the_policy_edges(edges, tmp_path):
    ledger, report = edges
    expected = {rid: [status, str(amount)] for rid, (_, status, amount) in EDGE_ROWS.items()}
    subsidies = json.loads(report.read_text(encoding="utf-8"))["subsidies"]
    assert {s["record_id"]: [s["status"], str(s["amount_yuan"])] for s in subsidies} == expected
    result = agreement(report, _script("hand_subsidy.py", ledger, tmp_path / "hand.jsonl"))
    assert result["disagreements"] == 0 and result["projects"] == len(EDGE_ROWS)


def test_agreement_names_each_project_decided_otherwise(edges, tmp_path):
    """The check the benchmark relies on to mark a figure DISAGREES does find a difference, and a project missing
    from either side."""
    ledger, report = edges
    lines = _script("hand_subsidy.py", ledger, tmp_path / "hand.jsonl").read_text(encoding="utf-8").splitlines()
    changed = [json.loads(line) for line in lines]
    changed[0]["amount_yuan"] = 400000.01  # E01
    changed[10]["status"] = "not_eligible"  # E11
    del changed[16]  # E17
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in changed), encoding="utf-8")
    result = agreement(report, tampered)
    assert result["disagreements"] == 3 and result["baseline_projects"] == len(EDGE_ROWS) - 1
    assert result["examples"] == [
        {"record_id": "E01", "checker": ["eligible", "400000"], "baseline": ["eligible", "400000.01"]},
        {"record_id": "E11", "checker": ["pending_acceptance", "0"], "baseline": ["not_eligible", "0"]},
        {"record_id": "E17", "checker": ["eligible", "1500000"], "baseline": None},
    ]


@pytest.mark.parametrize("which", ["generated", "edges"])
def test_polars_script_agrees_with_checker(which, request, tmp_path):
    pytest.importorskip("polars")
    ledger, report = request.getfixturevalue(which)
    result = agreement(report, _script("polars_subsidy.py", ledger, tmp_path / "polars.jsonl"))
    assert result["disagreements"] == 0 and result["projects"] == result["baseline_projects"] > 0
