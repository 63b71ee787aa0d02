"""数字用法 (GB/T 15835-2011): two-digit years, 〇 written 零, mixed or full-width digits, bare decimals and ranges
that drop the first value's 万/亿/%, in the document's running text.

The 成文日期 and the 发文字号 have checks of their own (document-date, document-number packs): the year problems are
not reported in the 成文日期, nothing is reported inside a 发文字号.  The finder's word lists are the settings of
packs/document-number-usage/pack.yaml, read from that file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checker.core.edits import SAFE, UNSAFE
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

_SAFE = ("fullwidth", "zero_in_year", "range_unit")  # the rest: shown (mixed_date, bare_decimal) or none (short_year)
PACK = Path(__file__).resolve().parents[1] / "packs" / "document-number-usage" / "pack.yaml"

SCHEMA = observation_schema(
    "number_usage",
    "数字用法",
    (
        FieldSpec(
            "problem",
            "问题",
            "enum",
            choices={
                "short_year": ("年份只写两位",),
                "zero_in_year": ("汉字年份中的〇写成他字",),
                "mixed_date": ("日期中汉字数字与阿拉伯数字混用",),
                "fullwidth": ("全角数字",),
                "bare_decimal": ("纯小数缺“0”",),
                "range_unit": ("数值范围前一值省略万、亿或%",),
            },
        ),
        FieldSpec("suggestion", "建议写法", "text"),
        FieldSpec("lookalike", "代替〇的字", "text"),
        FieldSpec("omitted", "省略的单位或符号", "text"),
        FieldSpec("cited_title", "在《》标题内", "bool", evidence=False),
    ),
    producer=__name__,
    limits=(
        "两位数年份只在读法确定时识别：后跟月份（24年5月）、年底/年末/年度/上半年等，或在句首、“自/从”后接“以来/起/开始”，"
        "或作四位年份范围的后一年（2023—25年）；“用24年时间”“成立30年以来”等时长不报，其他写法的两位数年份也识别不到",
        "纯小数只在中文与单位、%或标点之间识别（占.46%）；数值范围只查连接号（～ — - 至 到）两侧紧邻的阿拉伯数字，前一值不小于后一值时不报；汉字数字的范围（三至五万元）不查",
        "成文日期中的年份问题由成文日期规则检查，发文字号中的数字由发文字号规则检查，本项均不重复报告；全角数字在成文日期中照报",
        "词表取自规则包 pack.yaml 的 settings，配置文件可以替换或增补（[tool.checker.settings.document-number-usage]）",
    ),
)


def words():
    """The finder's word lists: the pack's settings in force (the configuration may extend them)."""
    from checker.domains.documents.pack_settings import compiled

    return compiled(PACK, _words)


def _words(settings: dict):
    from checker.domains.documents.text.digit_usage import DigitWords

    return DigitWords(**{name: tuple(settings[name]) for name in DigitWords.__plain_fields__})


def observe(reading) -> Iterator[Observation]:
    from checker.domains.documents.text.digit_usage import halfwidth, iter_digit_usage

    index = reading.index
    skip_dates = []
    own = reading.own_date
    if own is not None and not reading.from_record and own.column is not None:
        skip_dates.append((index.offset(own.line, own.column), index.offset(own.line, own.end_column)))
    elif reading.from_record and reading.doc.issue_date:
        # the record's 成文日期 field is judged by the date pack; the same date as a body line is that date again
        given = reading.doc.issue_date.strip()
        for number, line in enumerate(reading.lines, 1):
            if given and line.strip() == given:
                start = index.offset(number, 1)
                skip_dates.append((start, start + len(line)))
    numbers, skip_all, skip = reading.numbers, [], None
    if hasattr(numbers, "overlapping"):
        skip = numbers.overlapping  # a `DocNumbers`: the numbers near each problem found are read, no others
    else:
        skip_all = [(index.offset(n.line, n.prefix_start_column), index.offset(n.line, n.end_column)) for n in numbers]

    def build(found) -> Observation:
        quoted, cited = reading.quoted(found), reading.in_cited_title(found)
        suggestion = found.suggestion
        if found.problem == "fullwidth" and (quoted or cited):
            # full-width digits of a range the range rule leaves alone there (quoted): only the digits change
            suggestion = halfwidth(found.raw).replace("．", ".")
        return reading.make(
            "number_usage",
            found,
            {
                "problem": found.problem,
                "suggestion": suggestion,
                "lookalike": found.lookalike,
                "omitted": found.omitted,
                "quoted": quoted,
                "cited_title": cited,
            },
            suggestion,
            applicability=SAFE if found.problem in _SAFE else UNSAFE,
        )

    yield from reading.each(iter_digit_usage(reading.text, words(), skip_dates, skip_all, skip), build)


prepare = words  # compiled when a run starts (documents domain), so a bad setting is reported before any file
