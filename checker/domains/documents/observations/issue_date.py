"""成文日期: how the document's signing date is written, and how it relates to its number and the reference date."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

SCHEMA = observation_schema(
    "issue_date",
    "成文日期",
    (
        FieldSpec(
            "style",
            "写法",
            "enum",
            choices={
                "arabic_cn": ("阿拉伯数字年月日",),
                "iso": ("短横线",),
                "slash": ("斜线",),
                "dot": ("圆点",),
                "chinese_numeral": ("汉字数字",),
            },
        ),
        FieldSpec("leading_zero", "月日编虚位", "bool"),
        FieldSpec("short_year", "年份不全", "bool"),
        FieldSpec("valid", "日期有效", "bool"),
        FieldSpec("year_gap", "成文年份减文号年份", "number", unit="年"),
        FieldSpec("days_after_as_of", "晚于基准日天数", "number", unit="天"),
    ),
    producer=__name__,
    limits=(
        "成文日期取文末落款处的日期行；日期中有空格、缺“日”、用字母 O 代替〇等写法识别不到",
        "不区分 GB/T 9704-1999（汉字数字）与 2012 版施行前后的成文日期",
    ),
)


def observe(reading) -> Iterator[Observation]:
    doc, own = reading.doc, reading.own_date
    value = own.value if own is not None else None
    if doc.issue_date and own is None:  # given but not a date at all
        yield Observation(
            "issue_date",
            doc.id,
            doc.source,
            doc.index,
            doc.line,
            None,
            None,
            doc.issue_date,
            {"valid": False, "short_year": False},
        )
        return
    if own is None:
        return
    values: dict[str, Any] = {
        "style": own.style,
        "leading_zero": own.has_leading_zero,
        "short_year": own.two_digit_year,
        "valid": value is not None,
    }
    if value is not None:
        values["days_after_as_of"] = (value - reading.as_of).days
        number = reading.own_number
        if number is not None and number.year is not None:
            values["year_gap"] = value.year - number.year
    fix = own.suggested if value is not None and own.suggested != own.raw else None
    yield reading.make("issue_date", own, values, fix, line=reading.own_date_line if reading.from_record else None)
