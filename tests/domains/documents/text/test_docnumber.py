from bisect import bisect_right
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.domains.documents.text import docnumber
from checker.domains.documents.text.cndate import dates_for_meta
from checker.domains.documents.text.docnumber import DocNumbers, find_doc_numbers
from checker.domains.documents.text.document_meta import _end_brackets, extract_meta
from checker.domains.documents.text.places import default_places
from checker.domains.documents.text.positions import line_index


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


# ------------------------------------------------------------------ bounded and lazy reading (issue 19)


def _numbers_as_before(text: str, known=None) -> list:
    """The reading before: every candidate of both patterns read, the unclosed ones inside a well-formed number
    taken left out, and all sorted."""
    known = frozenset(known) if known else None
    lengths = tuple(sorted({len(k) for k in known if 0 < len(k) <= 12}, reverse=True)) if known else ()
    idx, first_text, out, taken = line_index(text), {}, [], []
    for m in docnumber._CORE.finditer(text):
        found = docnumber._read_number(text, idx, m, False, known, lengths, first_text)
        if found is not None:
            out.append(found)
            taken.append((m.start(), m.end()))
    for m in docnumber._UNCLOSED.finditer(text):
        i = bisect_right(taken, (m.start(), float("inf"))) - 1
        if i >= 0 and m.start() < taken[i][1]:
            continue
        found = docnumber._read_number(text, idx, m, True, known, lengths, first_text)
        if found is not None:
            out.append(found)
    return sorted(out, key=lambda o: (o.line, o.column))


NUMBER_PIECES = ["新政办", "〔", "〕", "2024", "24", "1", "034", "号", "第", " ", "\u3000", "\n", "（", "）", "[", "]"]
NUMBER_PIECES += [
    "关于",
    "通知",
    "文号：",
    "令",
    "甲",
    "2024年1月2日",
    "﹝",
    "﹞",
    "２０２４",
    "楼",
    "。",
    "发文字号",
    "•",
]
number_texts = st.lists(st.sampled_from(NUMBER_PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(number_texts, st.booleans())
def test_numbers_in_text_order_are_the_reading_before(text, known):
    known = default_places().prefix_forms() if known else None
    before = _numbers_as_before(text, known)
    assert list(DocNumbers(text, known)) == before
    assert list(DocNumbers(text, known).unclosed()) == [n for n in before if "unclosed" in n.problems]
    idx = line_index(text)
    spans = [(idx.offset(n.line, n.prefix_start_column), idx.offset(n.line, n.end_column)) for n in before]
    numbers = DocNumbers(text, known)
    for start in range(len(text)):
        for end in (start + 1, start + 3):
            assert numbers.overlapping(start, end) == any(a < end and b > start for a, b in spans)


def test_hostile_runs_of_brackets_are_read_as_before():
    # an unclosed candidate after 70 spaces: no point a candidate cannot span for 64 characters, it is judged
    # from the well-formed candidates in order
    units = [
        "甲" + " " * 70 + "〔20241号",
        "乙〔" + " " * 70 + "2024〕5号〔20245",
        "丙〔2024〕1号，丁〔20245号",
        "新政办〔2024〔2024〔",
    ]
    problems = set()
    for unit in units:
        text = "关于" + unit * 300 + "\n" + unit * 3
        before = _numbers_as_before(text)
        assert list(DocNumbers(text)) == before
        assert list(DocNumbers(text).unclosed()) == [n for n in before if "unclosed" in n.problems]
        problems.update(p for n in before for p in n.problems)
    assert problems == {"unclosed", "space_inside"}


def test_the_first_numbers_of_60000_are_those_of_the_whole_reading_and_only_they_are_read():
    text = "关于" + "".join(f"甲新政办〔2024〕{i}号" for i in range(3_000)) + "新府办〔200945号"
    assert find_doc_numbers(text, limit=1_000) == find_doc_numbers(text)[:1_000]
    text = "关于" + "".join(f"甲新政办〔2024〕{i}号" for i in range(60_000)) + "\n"
    numbers = DocNumbers(text, default_places().prefix_forms())
    first = list(islice(numbers, 1_001))
    assert len(first) == 1_001 and [n.sequence for n in (first[0], first[-1])] == [0, 1_000]
    assert len(numbers._built) < 1_100  # the other 59,000 are never read
    assert list(numbers.unclosed()) == [] and len(numbers._built) < 1_100


def test_the_metadata_reads_the_first_number_of_a_top_line_of_60000():
    lines = ["关于" + "".join(f"甲新政办〔2024〕{i}号" for i in range(60_000)), "各单位：", "正文。"]
    numbers = DocNumbers("\n".join(lines))
    assert [n.full_raw for n in numbers.for_meta(lines, 8)] == ["甲新政办〔2024〕0号"]
    assert len(numbers._built) == 1
    lines = [
        "新政办〔2024〕3号",
        "关于某事的通知（潮府办〔2008〕7号）",
        "见新政办〔2024〕1号" * 30,
        "（宛政〔2024〕5号）",
    ]
    lines = (
        lines
        + ["正文。"] * 8
        + ["（宛政〔2024〕6号 2024年1月2日）", "见宛政〔2024〕7号，" + "正文" * 20 + "宛政〔2024〕8号"]
    )
    found = DocNumbers("\n".join(lines)).for_meta(lines, 8)
    assert [(n.line, n.full_raw) for n in found] == [
        (1, "新政办〔2024〕3号"),  # alone on its line
        (2, "潮府办〔2008〕7号"),  # a top line with a bracket: every number
        (3, "新政办〔2024〕1号"),  # any other top line: its first number only
        (4, "宛政〔2024〕5号"),
        (13, "宛政〔2024〕6号"),  # below the top lines, only a line that may hold only the number
    ]


META_PIECES = [
    "关于某事的通知",
    "（新政办〔2024〕3号）",
    "新政办〔2024〕3号",
    "新野县人民政府",
    "2024年3月5日",
    "各单位：",
    "）",
]
META_PIECES += [
    "(",
    "二〇二四年三月五日",
    "文号：",
    "发文字号：",
    "  ",
    "正文内容。",
    "2024-3-5",
    "（2024年3月5日）",
    "〔2024〕",
]
META_PIECES += [
    "甲〔2024〕1号",
    "通知（",
    "索引号",
    "2017 6 23",
    "2025年1月23",
    "二OO五年三月五日",
    "附件：",
    "2024年3月",
]
META_PIECES += [
    "（赣府字〔2010〕37号 2010年3月22日）",
    "关于印发新政办〔2024〕3号的通知",
    "2024年3月5日）",
    "宛政〔2024〕5号",
]
meta_lines = st.lists(st.lists(st.sampled_from(META_PIECES), max_size=3).map("".join), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(meta_lines, st.booleans(), st.integers(min_value=1, max_value=30))
def test_the_metadata_of_the_numbers_and_dates_it_may_take_is_that_of_all(lines, known, body):
    known = default_places().prefix_forms() if known else None
    text = "\n".join(lines)
    for part in (lines, lines[:body]):  # a .docx's body: the first lines of the text
        numbers = DocNumbers(text, known).for_meta(part, 8)
        dates = dates_for_meta("\n".join(part), part, _end_brackets, 14)
        assert extract_meta(part, known, doc_numbers=numbers, dates=dates) == extract_meta(part, known)
