"""The subsidy decision in polars expressions: the columnar baseline for `checker subsidy --format json`.

    python bench/polars_subsidy.py LEDGER.csv [--output OUT.jsonl]

The same policy and the same value formats as bench/hand_subsidy.py (see there), the same output (one JSON line
per project: record_id, status, amount_yuan), computed column-wise.  polars is optional (`pip install -e .[bench]`);
the benchmark skips this figure with a note when it is not installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

RESIDENTIAL = ["商住建筑", "商住", "商住项目", "商住楼", "住宅建筑", "住宅", "住宅项目", "商业建筑", "商业", "商业项目"]
PUBLIC = ["公共建筑", "公建"]
SOCIAL = ["社会投资", "社会"]


def _date(column: str) -> pl.Expr:
    """`2024-05-31`, `2024/5/31` or `2024年5月31日` as a date (null when empty)."""
    text = pl.col(column).str.strip_chars()
    parts = text.str.replace_all(r"[年月/]", "-").str.strip_chars_end("日").str.split("-")
    return pl.when(text.str.len_chars() > 0).then(
        pl.date(parts.list.get(0).cast(pl.Int32), parts.list.get(1).cast(pl.Int8), parts.list.get(2).cast(pl.Int8))
    )


def _area(column: str) -> pl.Expr:
    """`25,000`, `12000㎡`, `12000平方米`, `2.5万平方米`, `12000.5` in m²."""
    text = pl.col(column).str.strip_chars().str.replace_all(",", "").str.replace(r"(平方米|㎡)$", "")
    wan = text.str.ends_with("万")
    number = text.str.strip_chars_end("万").cast(pl.Float64)
    return pl.when(wan).then(number * 10000).otherwise(number)


def decide(frame: pl.DataFrame) -> pl.DataFrame:
    accepted = _date("竣工验收日期")
    rate = pl.col("装配率").str.strip_chars().str.strip_chars_end("%").replace("", None).cast(pl.Float64)
    area = _area("建筑面积")
    category = pl.col("建筑类别").str.strip_chars()
    social = pl.col("投资类型").str.strip_chars().is_in(SOCIAL)
    frame = frame.select(
        pl.col("编号").alias("record_id"),
        accepted.alias("accepted"),
        rate.alias("rate"),
        area.alias("area"),
        category.alias("category"),
        social.alias("social"),
    )
    in_county = pl.col("accepted") <= pl.date(2023, 12, 31)
    in_reward = pl.col("accepted").is_between(pl.date(2023, 1, 1), pl.date(2025, 12, 31))
    county = (
        pl.when(
            in_county
            & pl.col("social")
            & (pl.col("rate") >= 30)
            & (
                (pl.col("category").is_in(RESIDENTIAL) & (pl.col("area") >= 20000))
                | (pl.col("category").is_in(PUBLIC) & (pl.col("area") >= 10000))
            )
        )
        .then(pl.min_horizontal(pl.col("area") * 20, pl.lit(2_000_000.0)))
        .fill_null(0.0)  # a condition on a missing value does not hold
    )
    reward = (
        pl.when(in_reward & pl.col("social") & (pl.col("rate") >= 50))
        .then(pl.min_horizontal(pl.col("area") * 15, pl.lit(1_500_000.0)))
        .fill_null(0.0)
    )
    amount = pl.max_horizontal(county, reward).round(2)
    status = (
        pl.when(pl.col("accepted").is_null())
        .then(pl.lit("pending_acceptance"))
        .when(~(in_county | in_reward))
        .then(pl.lit("outside_window"))
        .when(amount > 0)
        .then(pl.lit("eligible"))
        .otherwise(pl.lit("not_eligible"))
    )
    return frame.select(
        "record_id",
        status.alias("status"),
        pl.when(status == "eligible").then(amount).otherwise(0.0).alias("amount_yuan"),
    )


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="subsidy decision in polars (benchmark baseline)")
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    frame = pl.read_csv(args.ledger, infer_schema=False, encoding="utf8")  # every column as text, as written
    result = decide(frame)
    if args.output is None:
        sys.stdout.write(result.write_ndjson())
    else:
        result.write_ndjson(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
