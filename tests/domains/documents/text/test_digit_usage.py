"""The number-usage finder (GB/T 15835-2011) on its own: positions, what it must leave alone, hostile input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.plain import replace
from checker.domains.documents.observations.number_usage import words
from checker.domains.documents.text import digit_usage
from checker.domains.documents.text.digit_usage import find_digit_usage


def _found(text: str) -> list[tuple[str, str, int, int]]:
    return [(o.problem, o.raw, o.column, o.end_column) for o in find_digit_usage(text, words())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全县老旧小区改造项目计划于25年底前全部完工。", [("short_year", "25年", 14, 17)]),
        ("自22年起，对新建商品住房项目实行预售资金监管。", [("short_year", "22年", 2, 5)]),
        ("24年5月，县住建局组织开展了燃气安全专项检查。", [("short_year", "24年", 1, 4)]),
        ("23年1-6月，全县完成房地产开发投资5亿元。", [("short_year", "23年", 1, 4)]),
        ("截至23年底，累计发放租赁补贴1.2万户。", [("short_year", "23年", 3, 6)]),
        ("城市更新规划期限为2023—25年。", [("short_year", "25年", 15, 18)]),
        ("二○一○年以来，全市累计改造棚户区1.8万户。", [("zero_in_year", "二○一○年", 1, 6)]),
        ("本规定自二OO五年五月一日起施行。", [("zero_in_year", "二OO五年", 5, 10)]),
        ("申报截止时间为2024年十二月三十一日。", [("mixed_date", "2024年十二月三十一日", 8, 20)]),
        ("于2024年5月二十日前报送县住建局。", [("mixed_date", "2024年5月二十日", 2, 12)]),
        ("全县房屋空置率约为.46%，低于全市平均水平。", [("bare_decimal", ".46", 10, 13)]),
        ("预计全年完成投资9～16亿元。", [("range_unit", "9～16亿", 9, 14)]),
        ("年均增长8至10%以上。", [("range_unit", "8至10%", 5, 10)]),
        ("第１条　本办法所称保障性住房。", [("fullwidth", "１", 2, 3)]),
        ("１.针对工程现已停工。（２）检查食堂。", [("fullwidth", "１", 1, 2), ("fullwidth", "２", 13, 14)]),
        ("１、２月份完成摸底。", [("fullwidth", "１", 1, 2), ("fullwidth", "２", 3, 4)]),
    ],
)
def test_finder_positions(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # real lines of the corpus (tests/domains/documents/corpus)
        "(一)2007年2月15日(农历十二月二十八,星期五)9时,在市老干部活动中心召开“全市离退休干部迎新春茶话会”。",
        "春节前:2018年2月5~14日",
        "占总人口的17.2%,高于全国平均水平(14.3%)近3个百分点",
        "各地要用3-5年时间,基本完成改造任务。",
        "《鄂州市城市总体规划(2009-2020)》",
        "附件:更名园区名单.pdf",
        "联系电话:0566-7028376。",
        "发布日期:2017-01-12",
        # durations and decades that look like two-digit years
        "改革开放40年以来，城乡面貌发生了巨大变化。",
        "近20年以来，县城建成区面积扩大了一倍。",
        "经过10年初步建成覆盖城乡的住房保障体系。",
        "住宅建设用地使用权期限为70年，期满自动续期。",
        "20世纪80年代建成的住宅楼，安全隐患较多。",
        "贷款第10年末一次性还清本息。",
        "从取得不动产权证书满5年起计算。",
        "服务期从10年起算。",
        "防洪标准为50年一遇。",
        # forms the standard keeps in Chinese numerals
        "腊月二十八前发放到位，正月初七起正常上班。",
        "2024年八月十五中秋节前完成入住。",
        "三四个月内完成，五六十年前建成的房屋一律纳入排查，另一方面要落实“十四五”规划，每周星期五报送。",
        "全年共发放补贴资金三千零五十二万元。",
        "整改材料于2024年5月三日内报送。",
        # numbers written right
        "物业服务费年均上涨幅度控制在15%～30%以内，预计投资9亿～16亿元。",
        "单户补助标准为500～1万元，每平方米3000-5000元。",
        "2024年以来，二〇二四年八月八日，2024年8月8日。",
        "新政办〔24〕12号",
        "三、检查内容\n１、针对工程现已停工，主要检查施工现场安全。",  # the heading check's, mark and digit together
        "共投入资金1,200.5万元，1至12月累计完成投资5亿元。",
    ],
)
def test_must_not_fire(text):
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    ["1" * 20000, "１" * 20000, "." * 20000, "1." * 10000, "1-" * 10000, "24年" * 7000, "二零" * 10000],
)
def test_adversarial_input_is_read_in_one_pass(text):
    """Runs of one character or mark: nothing is found twice and nothing is read more than a bounded number
    of times (the patterns are fixed-length or anchored at a number's start)."""
    found = find_digit_usage(text, words())
    assert len(found) <= 1


def test_many_ordinals_on_one_line_stay_linear():
    found = find_digit_usage("１、好" * 7000, words())
    assert len(found) == 6999  # the first starts the line: a heading ordinal, the heading check's


def test_many_findings_and_many_skipped_spans_stay_linear():
    text = "１～２%" * 4000
    found = find_digit_usage(text, words(), skip_all=[(i, i + 1) for i in range(2, len(text), 8)])
    assert len(found) == 4000  # one range every 4 characters; every other one skipped, each with its full-width pair


def test_skipped_spans_hide_what_they_cover():
    text = "二零二四年三月十日，２０２４"
    assert [o.problem for o in find_digit_usage(text, words(), skip_dates=[(0, 9)])] == ["fullwidth"]
    assert find_digit_usage(text, words(), skip_all=[(10, 14)])[0].problem == "zero_in_year"


def test_a_range_and_its_fullwidth_digits_share_one_span_and_fix():
    found = find_digit_usage("增长１５～３０％", words())
    assert [(o.problem, o.column, o.end_column, o.suggestion) for o in found] == [
        ("fullwidth", 3, 9, "15％～30％"),
        ("range_unit", 3, 9, "15％～30％"),
    ]


# ------------------------------------------------------------------ bounded reading (issue 19)

DIGIT_PIECES = [
    "1",
    "12",
    "2024",
    "24",
    "年",
    "月",
    "日",
    "5",
    ".",
    "．",
    "～",
    "-",
    "—",
    "至",
    "%",
    "万",
    "亿",
    "二零二五",
]
DIGIT_PIECES += [
    "二〇二四",
    "八",
    "十五",
    "三",
    "０",
    "１５",
    "底",
    "以来",
    "自",
    "，",
    "\n",
    " ",
    "第",
    "内",
    "1.2.3",
    "——",
]
digit_texts = st.lists(st.sampled_from(DIGIT_PIECES), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(digit_texts)
def test_each_finder_reads_only_where_it_may_find_and_finds_what_reading_everywhere_does(text):
    w = words()
    half = digit_usage._as_fixed(text)
    everywhere = replace(digit_usage._patterns(w), range_candidate=None)  # every number read
    assert list(digit_usage._ranges(half, w)) == list(digit_usage._ranges(half, w, everywhere))
    assert list(digit_usage._mixed_dates(half)) == list(digit_usage._mixed_dates(half, every=True))
    assert list(digit_usage._short_years(half, w)) == list(digit_usage._short_years(half, w, every=True))


@settings(max_examples=300, deadline=None)
@given(digit_texts, st.integers(min_value=1, max_value=6))
def test_the_first_problems_are_those_of_the_whole_reading(text, limit):
    w = words()
    assert find_digit_usage(text, w, limit=limit) == find_digit_usage(text, w)[:limit]
    assert (
        find_digit_usage(text, w, skip_all=[(3, 9)], limit=limit)
        == find_digit_usage(text, w, skip_all=[(3, 9)])[:limit]
    )


def test_the_first_thousand_of_300000_problems():
    text = "１～２%二零二五年" * 3_000
    assert find_digit_usage(text, words(), limit=1_000) == find_digit_usage(text, words())[:1_000]
    found = find_digit_usage("１～２%二零二五年" * 100_000, words(), limit=1_000)  # read 334 units far, of 100,000
    assert len(found) == 1_000
    assert [(o.problem, o.column) for o in found[:3]] == [("fullwidth", 1), ("range_unit", 1), ("zero_in_year", 5)]
    assert (found[-1].problem, found[-1].column) == ("fullwidth", 2_998)  # 3 a unit of 9 characters


def test_a_million_digits_before_a_range():
    # a run of digits is one try of the range pattern, not one per digit (each reading the rest of the run)
    found = find_digit_usage("1" * 1_000_000 + "，增长15～30%", words())
    assert [(o.problem, o.column, o.suggestion) for o in found] == [("range_unit", 1_000_004, "15%～30%")]


def test_a_skip_asked_of_each_problem_hides_what_it_says():
    asked = []

    def skip(start, end):
        asked.append((start, end))
        return start == 0

    found = find_digit_usage("二零二四年三月，２０２４", words(), skip=skip)
    assert [o.problem for o in found] == ["fullwidth"] and asked == [(0, 5), (8, 12)]
