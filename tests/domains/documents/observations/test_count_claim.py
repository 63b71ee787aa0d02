"""数量表述 (count_claim): DOC-COUNT-MISMATCH end to end, and what a document stating thousands of counts costs."""

from __future__ import annotations

from checker.core.limits import limits_overridden
from tests.conftest import write

AS_OF = "2026-11-30"


def lint(cli, path):
    return cli("lint", path, "--format", "json", "--no-config", "--as-of", AS_OF).json()["findings"]


def test_a_stated_count_its_list_does_not_match(cli, tmp_path):
    path = write(tmp_path / "n.txt", "关于某事的通知\n各单位：\n今年共辅导企业5个，分别是（甲、乙、丙、丁）。\n")
    got = [f for f in lint(cli, path) if f["rule_id"] == "DOC-COUNT-MISMATCH"]
    assert [(f["line"], f["column"], f["end_column"], f["message"]) for f in got] == [
        (3, 8, 10, "文中称“5个”，但列举或分项合计为 4")
    ]


def test_50000_counts_on_one_line_are_the_first_few_then_a_warning(cli, tmp_path):
    path = write(tmp_path / "n.txt", "关于某事的通知\n各单位：\n" + "共3个，分别是甲、乙。" * 50_000 + "\n")
    with limits_overridden(max_observations=50):
        got = lint(cli, path)
    rows = [(f["line"], f["column"]) for f in got if f["rule_id"] == "DOC-COUNT-MISMATCH"]
    assert rows == [(3, 2 + 11 * k) for k in range(50)]
    [warning] = [f["message"] for f in got if f["rule_id"] == "INPUT-TOO-MANY" and "数量" in f["message"]]
    assert warning == "文中数量表述超过 50 处，只检查了前 50 处，其余未查"
