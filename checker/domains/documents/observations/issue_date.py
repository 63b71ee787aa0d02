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
        FieldSpec("space_inside", "日期中有空格", "bool"),
        FieldSpec("missing_day", "缺“日”字", "bool"),
        FieldSpec("no_units", "缺年、月、日字", "bool"),
        FieldSpec("lookalike_zero", "用形近字代替〇", "bool"),
        FieldSpec("signed_on", "成文日期", "date"),
        FieldSpec("arabic_form", "阿拉伯数字写法", "text"),  # 2009年8月12日 (GB/T 9704-2012)
        FieldSpec("chinese_form", "汉字数字写法", "text"),  # 二〇〇九年八月十二日 (GB/T 9704-1999)
        FieldSpec("party_issuer", "党的机关发文", "bool", evidence=False),
        # the date in brackets under the title, as a 政府公报 or a compilation prints it: the publisher's, not
        # written by the document itself, so how it is written is not the document's fault
        FieldSpec("bracketed", "标题下括注的日期", "bool", evidence=False),
        FieldSpec("short_year", "年份不全", "bool"),
        FieldSpec("valid", "日期有效", "bool"),
        FieldSpec("year_gap", "成文年份减文号年份", "number", unit="年"),
        FieldSpec("days_after_as_of", "晚于基准日天数", "number", unit="天"),
    ),
    producer=__name__,
    limits=(
        "成文日期取文末落款处的日期行（督查通报、简报取版头行末的日期，无版头的短函取前几行中单独成行的日期）",
        "党的机关按发文机关名称以“中共”“中国共产党”开头或以“党委”“党组”“党工委”结尾判定",
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
    problems = set(own.problems)
    values: dict[str, Any] = {
        "style": own.style,
        "leading_zero": own.has_leading_zero,
        "short_year": own.two_digit_year,
        "valid": value is not None,
        "space_inside": "space_inside" in problems,
        "missing_day": "missing_day" in problems,
        "no_units": "no_units" in problems,
        "lookalike_zero": "lookalike_zero" in problems,
        "party_issuer": _party(reading.issuer),
        "bracketed": bool(reading.meta is not None and reading.meta.date_bracketed),
    }
    if value is not None:
        from checker.domains.documents.text.cndate import chinese_numeral_date

        values["signed_on"] = value
        values["arabic_form"] = f"{value.year}年{value.month}月{value.day}日"
        values["chinese_form"] = chinese_numeral_date(value)
        values["days_after_as_of"] = (value - reading.as_of).days
        number = reading.own_number
        if number is not None and number.year is not None:
            values["year_gap"] = value.year - number.year
    # what its finder proposes: the same style written right (the rules that change the style say `fix_with`)
    same_style = values.get("chinese_form" if own.style == "chinese_numeral" else "arabic_form")
    fix = same_style if value is not None and same_style != own.raw else None
    yield reading.make("issue_date", own, values, fix, line=reading.own_date_line if reading.from_record else None)


def _party(issuer: str | None) -> bool:
    """Party organs wrote the 成文日期 in Arabic numerals before GB/T 9704-2012 too (their own format rules)."""
    if not issuer:
        return False
    name = "".join(issuer.split())
    return name.startswith(("中共", "中国共产党")) or name.endswith(("党委", "党组", "党工委"))
