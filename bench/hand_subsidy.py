"""The subsidy decision written by hand: the baseline `checker subsidy --format json` is measured against.

    python bench/hand_subsidy.py LEDGER.csv [--output OUT.jsonl]

Plain Python (csv module, no checker import): reads a ledger as bench/generate.py writes it (Chinese headers,
`2024/5/31`, `2024年5月31日`, `25,000`, `2.5万平方米`, `12000㎡`, `35%`), applies the county policy as the rule files
of checker/domains/subsidy/packs/prefab-subsidy state it, and writes one JSON line per project:
{"record_id", "status", "amount_yuan"}.  It knows only the value formats the generator writes; it is what a
programmer would write in an afternoon for this one ledger, which is the point of the comparison.

`agreement(report, lines)` compares such lines with a checker JSON report, project by project (the benchmark
marks the figure DISAGREES when they differ anywhere); bench/polars_subsidy.py writes the same lines.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

# SUB-COUNTY-2023: accepted on or before 2023-12-31 (no start while policy_effective_from is unset), social
# investment, 商住/住宅/商业 ≥ 20,000 m² or 公共建筑 ≥ 10,000 m², rate ≥ 30 %: 20 元/m², at most 2,000,000.
COUNTY_TO = date(2023, 12, 31)
COUNTY_RESIDENTIAL = {
    "商住建筑",
    "商住",
    "商住项目",
    "商住楼",
    "住宅建筑",
    "住宅",
    "住宅项目",
    "商业建筑",
    "商业",
    "商业项目",
}
COUNTY_PUBLIC = {"公共建筑", "公建"}
# SUB-REWARD-2025: accepted 2023-01-01..2025-12-31, social investment, rate ≥ 50 %: 15 元/m², at most 1,500,000.
REWARD_FROM, REWARD_TO = date(2023, 1, 1), date(2025, 12, 31)
SOCIAL = {"社会投资", "社会"}


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for sep in ("-", "/"):
        if sep in text:
            y, m, d = text.split(sep)
            return date(int(y), int(m), int(d))
    y, rest = text.split("年")
    m, rest = rest.split("月")
    return date(int(y), int(m), int(rest.rstrip("日")))


def parse_area(text: str) -> Decimal:
    text = text.strip().replace(",", "")
    for unit in ("平方米", "㎡"):
        text = text.removesuffix(unit)
    if text.endswith("万"):
        return Decimal(text[:-1]) * 10000
    return Decimal(text)


def parse_rate(text: str) -> Decimal | None:
    text = text.strip().removesuffix("%")
    return Decimal(text) if text else None


def decide(row: dict[str, str]) -> tuple[str, Decimal]:
    """(status, amount in yuan) of one ledger row."""
    accepted = parse_date(row["竣工验收日期"])
    if accepted is None:
        return "pending_acceptance", Decimal(0)
    in_county = accepted <= COUNTY_TO
    in_reward = REWARD_FROM <= accepted <= REWARD_TO
    if not (in_county or in_reward):
        return "outside_window", Decimal(0)
    if row["投资类型"].strip() not in SOCIAL:
        return "not_eligible", Decimal(0)
    rate = parse_rate(row["装配率"])
    if rate is None:
        return "not_eligible", Decimal(0)
    area = parse_area(row["建筑面积"])
    category = row["建筑类别"].strip()
    amounts = []
    if (
        in_county
        and rate >= 30
        and ((category in COUNTY_RESIDENTIAL and area >= 20000) or (category in COUNTY_PUBLIC and area >= 10000))
    ):
        amounts.append(min(20 * area, Decimal(2_000_000)))
    if in_reward and rate >= 50:
        amounts.append(min(15 * area, Decimal(1_500_000)))
    if not amounts:
        return "not_eligible", Decimal(0)
    return "eligible", max(amounts).quantize(Decimal("0.01"))


def json_amount(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def run(ledger: Path, out) -> int:
    n = 0
    with ledger.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            status, amount = decide(row)
            out.write(
                json.dumps(
                    {"record_id": row["编号"], "status": status, "amount_yuan": json_amount(amount)},
                    ensure_ascii=False,
                )
                + "\n"
            )
            n += 1
    return n


def read_lines(path: Path) -> dict[str, tuple[str, Decimal]]:
    """record_id -> (status, amount) from a file of JSON lines as this script (or the polars one) writes."""
    out = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                out[item["record_id"]] = (item["status"], Decimal(str(item["amount_yuan"])))
    return out


def agreement(report: Path, lines: Path) -> dict:
    """Project-by-project comparison of a `checker subsidy --format json` report with JSON lines:
    {"projects", "disagreements", "examples"} (up to 5 differing projects, each with both sides)."""
    with report.open(encoding="utf-8") as handle:
        subsidies = json.load(handle)["subsidies"]
    mine = read_lines(lines)
    theirs = {s["record_id"]: (s["status"], Decimal(str(s["amount_yuan"]))) for s in subsidies}
    differing = sorted(rid for rid in set(mine) | set(theirs) if mine.get(rid) != theirs.get(rid))
    examples = [
        {
            "record_id": rid,
            "checker": None if rid not in theirs else [theirs[rid][0], str(theirs[rid][1])],
            "baseline": None if rid not in mine else [mine[rid][0], str(mine[rid][1])],
        }
        for rid in differing[:5]
    ]
    return {
        "projects": len(theirs),
        "baseline_projects": len(mine),
        "disagreements": len(differing),
        "examples": examples,
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="hand-written subsidy decision (benchmark baseline)")
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if args.output is None:
        run(args.ledger, sys.stdout)
    else:
        with args.output.open("w", encoding="utf-8") as out:
            run(args.ledger, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
