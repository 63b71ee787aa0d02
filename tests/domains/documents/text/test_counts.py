import pytest

from checker.domains.documents.text.counts import cn_int, find_count_mismatches


def test_list_count_mismatch():
    (o,) = find_count_mismatches("本季度共辅导企业5个，分别是（甲、乙、丙、丁）。")
    assert (o.line, o.column, o.end_column, o.raw) == (1, 9, 11, "5个")
    assert (o.stated, o.found, o.kind, o.items, o.parts, o.agrees) == (
        5,
        4,
        "list",
        ("甲", "乙", "丙", "丁"),
        (),
        False,
    )


@pytest.mark.parametrize(
    "text, stated, items",
    [
        (
            "辅导5家企业（甲公司、乙公司、丙公司、丁公司、戊公司）",
            5,
            ("甲公司", "乙公司", "丙公司", "丁公司", "戊公司"),
        ),
        ("共五个方面，分别是：规划、设计、施工、验收、运维。", 5, ("规划", "设计", "施工", "验收", "运维")),
        ("涉及两个单位，即县住建局、县自然资源局。", 2, ("县住建局", "县自然资源局")),
        ("共发现问题3个，分别是：一是甲；二是乙；三是丙。", 3, ("一是甲", "二是乙", "三是丙")),
        ("排查十二个小区，包括（A、B、C、D、E、F、G、H、I、J、K、L）", 12, tuple("ABCDEFGHIJKL")),
    ],
)
def test_list_counts_that_agree(text, stated, items):
    (o,) = find_count_mismatches(text)
    assert (o.stated, o.found, o.items, o.kind, o.agrees) == (stated, len(items), items, "list", True)


def test_sum_agrees():
    (o,) = find_count_mismatches("巡察发现问题12个，已完成10个，需持续推进2个。")
    assert (o.column, o.raw, o.stated, o.found, o.kind, o.parts, o.agrees) == (7, "12个", 12, 12, "sum", (10, 2), True)
    assert o.items == ("已完成10个", "需持续推进2个")


def test_sum_mismatch():
    (o,) = find_count_mismatches("巡察发现问题12个，已完成10个，需持续推进1个。")
    assert (o.stated, o.found, o.parts, o.agrees) == (12, 11, (10, 1), False)


def test_sum_with_qizhong_and_chinese_numerals():
    (o,) = find_count_mismatches("在建项目十二个，其中新建8个，续建四个。")
    assert (o.raw, o.stated, o.parts, o.agrees) == ("十二个", 12, (8, 4), True)


def test_breakdown_parts_are_not_reported_as_totals():
    found = find_count_mismatches("问题12个，已完成8个，推进中2个，未启动2个。")
    assert [(o.raw, o.parts) for o in found] == [("12个", (8, 2, 2))]


@pytest.mark.parametrize(
    "text",
    [
        "检查项目12个，发现问题10个，已整改8个。",  # different subjects: no clear breakdown
        "共3个小区，包括城南小区、城北小区和滨河小区。",  # 和 makes the last item ambiguous
        "5家企业（含2家国企、3家民企）",
        "共5个项目即将开工，",
        "4个（甲、乙、丙、丁）等",
        "包括5个方面，包括但不限于甲、乙。",
        "第12个（甲、乙）",
        "共5个，分别是甲、乙、丙等。",
        "完成3个（2024年）",
    ],
)
def test_unclear_structures_are_not_reported(text):
    assert find_count_mismatches(text) == []


@pytest.mark.parametrize(
    "s, n",
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("两百", 200),
        ("三百二十一", 321),
    ],
)
def test_cn_int(s, n):
    assert cn_int(s) == n


def test_the_rectification_reports_own_example_lists_four_in_half_width_brackets():
    text = (
        "2024年共辅导企业5个分别是(新野县精神病医院建设项目、新野县颐高数字经济产业园项目、"
        "新野县青少年逐梦励志训练拓展中心建设项目、新野建业城二期)"
    )
    (o,) = find_count_mismatches(text)
    assert (o.raw, o.stated, o.found, o.agrees, o.items[-1]) == ("5个", 5, 4, False, "新野建业城二期")


def test_a_qualifier_in_brackets_after_the_noun_is_not_a_list():
    assert find_count_mismatches("命名都江堰市、青川县等14个县(市、区)为首批省级生态县。") == []
    assert find_count_mismatches("各地要确定3个县（市、区）开展试点。") == []


# ---------------------------------------------------------------- the observation limit


MANY = ("今年共3个，分别是甲、乙。" + "完成5个（甲、乙、丙、丁、戊）。\n") * 300


@pytest.mark.parametrize("limit", [1, 7, 250])
def test_a_limit_gives_the_first_counts(limit):
    everything = find_count_mismatches(MANY)
    assert len(everything) == 600
    assert find_count_mismatches(MANY, limit=limit) == everything[:limit]


def test_50000_counts_on_one_line_give_exactly_the_limit():
    got = find_count_mismatches("共3个，分别是甲、乙。" * 50_000, limit=1001)
    assert [(o.line, o.column, o.raw) for o in got] == [(1, 2 + 11 * k, "3个") for k in range(1001)]
    assert {(o.stated, o.found, o.kind, o.items, o.agrees) for o in got} == {(3, 2, "list", ("甲", "乙"), False)}


def test_a_count_reads_its_own_sentence_when_one_like_it_came_before():
    # the two counts read the same 380 characters around them; the second's sentence then reaches a ；, so its
    # list is split on ； (and its first item is too long to be one): no list
    before = "\n" + "前" * 40
    first = "共2个，分别是甲、乙，" + "x" * 400 + "。"
    second = "共2个，分别是甲、乙，" + "x" * 400 + "；。"
    got = find_count_mismatches(before + first + before + second + "\n")
    assert [(o.line, o.column, o.kind, o.items) for o in got] == [(2, 42, "list", ("甲", "乙"))]
    assert find_count_mismatches(before + second + before + first + "\n")[0].line == 3


def test_a_repeated_list_that_never_closes_is_no_list_anywhere():
    assert find_count_mismatches("共5个，分别是（甲、" * 30_000) == []


def test_a_long_number_before_a_unit_is_no_count_and_what_follows_it_still_is():
    assert find_count_mismatches("1" * 1_000_000 + "个，分别是甲、乙。") == []
    (o,) = find_count_mismatches("编号" + "1" * 100_000 + "个，共2个，分别是甲、乙。")
    assert (o.column, o.raw, o.stated, o.agrees) == (100_006, "2个", 2, True)
    # a count is found back from its unit: the longest numeral there, or a shorter one after a digit
    (o,) = find_count_mismatches("共12个，分别是甲、乙。")
    assert (o.column, o.raw, o.stated) == (2, "12个", 12)
    (o,) = find_count_mismatches("5十个，分别是甲、乙。")
    assert (o.column, o.raw, o.stated) == (2, "十个", 10)
    assert find_count_mismatches("123456789个，分别是甲、乙。") == []
