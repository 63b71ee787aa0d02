import pytest

from checker.domains.documents.text.docnumber import find_doc_numbers


def one(text):
    found = find_doc_numbers(text)
    assert len(found) == 1, found
    return found[0]


def test_correct_number():
    o = one("新政办〔2022〕34号")
    assert (o.line, o.column, o.end_column, o.raw) == (1, 4, 13, "〔2022〕34号")
    assert (o.prefix, o.prefix_start_column, o.full_raw) == ("新政办", 1, "新政办〔2022〕34号")
    assert (o.year, o.year_text, o.sequence, o.problems, o.fixed) == (2022, "2022", 34, (), None)
    assert o.canonical == "新政办〔2022〕34号"


@pytest.mark.parametrize(
    "open_b, close_b",
    [
        ("﹝", "﹞"),
        ("【", "】"),
        ("〖", "〗"),
        ("［", "］"),
        ("[", "]"),
        ("（", "）"),
        ("(", ")"),
        ("〘", "〙"),
        ("〔", "）"),
        ("（", "〕"),
        ("[", "〕"),  # mixed pairs
    ],
)
def test_lookalike_brackets(open_b, close_b):
    o = one(f"见豫政办{open_b}2023{close_b}5号文件")
    assert o.raw == f"{open_b}2023{close_b}5号"
    assert (o.line, o.column, o.prefix, o.prefix_start_column) == (1, 5, "豫政办", 2)
    assert o.problems == ("lookalike_bracket",)
    assert o.fixed == "〔2023〕5号"


def test_leading_zero():
    o = one("新政办〔2022〕034号")
    assert (o.sequence, o.problems, o.fixed) == (34, ("leading_zero",), "〔2022〕34号")
    assert one("新政办〔2022〕01号").fixed == "〔2022〕1号"
    assert one("新政办〔2022〕0号").problems == ()


def test_ordinal_di():
    o = one("新政办〔2022〕第34号")
    assert (o.raw, o.sequence, o.problems, o.fixed) == ("〔2022〕第34号", 34, ("ordinal_di",), "〔2022〕34号")


def test_short_year_is_not_fixed():
    o = one("新政办〔22〕34号")
    assert (o.year, o.year_text, o.problems, o.fixed, o.canonical) == (None, "22", ("short_year",), None, None)
    o = one("宛建﹝21﹞07号")
    assert o.problems == ("lookalike_bracket", "short_year", "leading_zero")
    assert o.fixed is None


def test_several_problems_fixed_together():
    o = one("新工改办【2023】第02号")
    assert o.problems == ("lookalike_bracket", "leading_zero", "ordinal_di")
    assert o.fixed == "〔2023〕2号"


def test_fullwidth_digits():
    o = one("新政办〔２０２２〕３４号")
    assert (o.year, o.sequence, o.problems, o.fixed) == (2022, 34, ("fullwidth_digit",), "〔2022〕34号")


def test_citation_style():
    text = "按照《关于加快发展装配式建筑的实施意见》（新政办〔2022〕34号）要求"
    o = one(text)
    assert (o.prefix, o.raw, o.column, o.prefix_start_column, o.cited) == ("新政办", "〔2022〕34号", 25, 22, True)
    assert text[o.prefix_start_column - 1 : o.end_column - 1] == "新政办〔2022〕34号"


@pytest.mark.parametrize(
    "text, prefix, cited",
    [
        ("根据新政办〔2022〕34号文件", "新政办", True),
        ("按照《关于…的通知》（宛建〔2021〕45号）", "宛建", True),
        ("转发宛建行规〔2021〕7号", "宛建行规", True),
        ("国务院办公厅印发国办发〔2019〕11号", "国办发", True),
        ("新工改办〔2023〕2号", "新工改办", False),
        ("\u3000 新政〔2022〕3号　　签发人：张三", "新政", False),
        ("文中引用了宛建行规〔2021〕7号", "宛建行规", True),
        ("（新政办〔2022〕34号）和宛建〔2021〕45号", "宛建", True),
    ],
)
def test_prefix_does_not_swallow_preceding_words(text, prefix, cited):
    o = find_doc_numbers(text)[-1]
    assert (o.prefix, o.cited) == (prefix, cited)


def test_known_prefixes_cut_the_run():
    from checker.domains.documents.text.places import default_places

    text = "市里新政办函〔2022〕34号"
    assert one(text).prefix == "市里新政办函"
    (o,) = find_doc_numbers(text, default_places().prefix_forms())
    assert (o.prefix, o.prefix_start_column, o.cited) == ("新政办函", 3, True)


def test_several_numbers_on_several_lines():
    text = "新工改办〔2022〕16号\n文中引用了宛建行规〔2021〕7号和豫政办〔2023〕5号。"
    found = find_doc_numbers(text)
    assert [(o.line, o.column, o.prefix, o.raw) for o in found] == [
        (1, 5, "新工改办", "〔2022〕16号"),
        (2, 10, "宛建行规", "〔2021〕7号"),
        (2, 22, "豫政办", "〔2023〕5号"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "（2022）",
        "2022年（第34号）",
        "《建筑工程施工许可管理办法》（住建部令第42号）",
        "河南省人民政府令（2018）第42号令",
        "联系电话：(0377)66212345号",
        "2024年5月31日",
        "编号〔2022〕",
        "〔2022〕34号",  # no prefix at all
        "小区（2022）3号楼",
    ],
)
def test_no_false_positives(text):
    assert find_doc_numbers(text) == []


# ------------------------------------------------------------ what looks like a 发文字号 but is miswritten


@pytest.mark.parametrize(
    ("text", "prefix", "raw", "problems", "fixed"),
    [
        ("遂府函〔2019〕55 号", "遂府函", "〔2019〕55 号", ("space_inside",), "〔2019〕55号"),
        ("渝北府发 〔2017〕 7号", "渝北府发", " 〔2017〕 7号", ("space_inside",), "〔2017〕7号"),
        ("咸安政发〔2019〕1", "咸安政发", "〔2019〕1", ("no_hao",), "〔2019〕1号"),
        ("见咸安政发〔2019〕1，附后", "咸安政发", "〔2019〕1", ("no_hao",), "〔2019〕1号"),
        ("新府办〔200980", "新府办", "〔200980", ("unclosed", "no_hao"), "〔2009〕80号"),
        ("粤府办〔200945号", "粤府办", "〔200945号", ("unclosed",), "〔2009〕45号"),
        ("国办发„2009‟3号", "国办发", "„2009‟3号", ("lookalike_bracket",), "〔2009〕3号"),
    ],
)
def test_a_miswritten_number_is_recognised_and_says_what_is_wrong(text, prefix, raw, problems, fixed):
    (o,) = find_doc_numbers(text)
    assert (o.prefix, o.raw, o.problems, o.fixed) == (prefix, raw, problems, fixed)
    assert text[o.prefix_start_column - 1 : o.end_column - 1] == prefix + raw
    assert o.guessed == ("unclosed" in problems)  # where an unclosed year ends is read, so its fix is not applied


@pytest.mark.parametrize(
    "text",
    [
        "《规划（2021）》12处",  # round brackets without 号 are ordinary text
        "（2019）12个项目",
        "〔2019〕12",  # no prefix
        "年度〔2019〕12345678",  # too many digits
    ],
)
def test_what_only_resembles_a_miswritten_number_is_not_one(text):
    assert find_doc_numbers(text) == []
