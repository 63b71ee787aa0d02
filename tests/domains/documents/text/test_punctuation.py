"""The punctuation finder on its own: positions, what it reads as a problem and what it deliberately leaves alone."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.domains.documents.text.punctuation import find_punctuation


def found(text, problem=None, **kwargs):
    return [
        (o.problem, o.line, o.column, o.end_column, o.raw)
        for o in find_punctuation(text, **kwargs)
        if problem is None or o.problem == problem
    ]


# ---------------------------------------------------------------- unpaired


def test_an_opening_bracket_never_closed_is_found_where_it_is():
    text = "按照《关于做好防汛工作的通知》（宛政办明电〔2025〕30号的要求，做好准备。"
    assert found(text) == [("unpaired", 1, 16, 17, "（")]
    (o,) = find_punctuation(text)
    assert (o.partner, o.replacement) == ("）", None)


def test_a_closing_mark_without_its_opening_one_real_text():
    # corpus/c-23.txt line 19: the 《 of the forwarded plan's title is missing
    text = (
        "各镇人民政府，市政府各有关直属单位：\n经市政府同意，现将东宁市干旱灾害应急预案》现印发给你们，请认真贯彻执行。"
    )
    assert found(text, "unpaired") == [("unpaired", 2, 21, 22, "》")]


def test_a_doubled_closing_bracket_and_crossed_marks():
    assert found("（见附件））") == [("unpaired", 1, 6, 7, "）")]
    # “（…”）: the quotation closes over the bracket; the bracket is open, its closer then stray
    assert found("他说“（见附件”）。") == [("unpaired", 1, 4, 5, "（"), ("unpaired", 1, 9, 10, "）")]


@pytest.mark.parametrize(
    "text",
    [
        "按照《关于做好防汛工作的通知》（宛政办明电〔2025〕30号）的要求，做好准备。",
        "（见附件1)。",  # widths differ: the half-width check's business
        "关于印发《新疆维吾尔自治区关于进一步\n\n做好稳就业工作的实施意见》的通知",  # b-19: a title the page broke
        "附件：《海口市发展和改革委员会地震应急预案》（2020年6月修\n订稿）",  # b-24: a line broken mid-word
        "云南省人民政府关于命名“云南省\n美丽县城”“云南省特色小镇”的通知",  # a-13: a title over two lines
        "主要任务如下：\n1）摸清底数；\n2）制定方案；a) 其他。",  # item numbers
        "“第一段引文。\n“第二段引文。”",  # a quotation over two paragraphs
        "来源：岳阳市政府门户网 日期：2017-01-12 17:08 字号：【\n视力保护色：",  # a web page's tools
        "China’s “Belt and Road”。",
    ],
)
def test_what_pairs_or_is_no_pairing_error(text):
    assert found(text, "unpaired") == []


def test_an_excerpt_cut_off_mid_sentence_is_not_reported_at_its_end():
    # corpus/c-07.txt: the page's excerpt stops inside a title
    cut = "2、各责任主体单位应认真落实检查内容。\n3、对落实不力的单位和个人，我局将依据《建设工程安全生产管"
    assert found(cut, "unpaired") == []
    # the same line in the middle of a text is reported
    assert found(cut + "\n\n4、其他事项。", "unpaired") == [("unpaired", 2, 20, 21, "《")]


def test_a_pair_does_not_span_a_finished_sentence():
    assert found("请按要求（见附件。\n\n二、其他事项（另行通知）。", "unpaired") == [("unpaired", 1, 5, 6, "（")]


def test_unclosed_doc_number_bracket_is_left_to_the_number_check():
    text = "你市《关于大田县吴山乡撤乡设镇的请示》（明政文〔201764号）收悉。"
    assert found(text, "unpaired") == [("unpaired", 1, 24, 25, "〔")]
    assert found(text, "unpaired", unclosed_at={(1, 24)}) == []


# ---------------------------------------------------------------- half-width marks


def test_half_width_marks_next_to_chinese_with_their_full_width_form():
    got = find_punctuation("加强日常巡查,及时消除隐患;现将有关事项通知如下:")
    assert [(o.column, o.raw, o.replacement, o.grade) for o in got] == [
        (7, ",", "，", "safe"),
        (14, ";", "；", "safe"),
        (25, ":", "：", "safe"),
    ]


def test_half_width_brackets_are_judged_as_a_pair():
    assert found("(一)指导思想。") == [("halfwidth", 1, 1, 2, "("), ("halfwidth", 1, 3, 4, ")")]
    # corpus/wide/c-13.txt: the other half is full-width
    assert found("意见反馈表（见附件2)，于2019年12月20日前", "halfwidth") == [("halfwidth", 1, 11, 12, ")")]
    # a-26: (1） — only the half-width half
    assert found("(1）以人为本，预防为主。", "halfwidth") == [("halfwidth", 1, 1, 2, "(")]
    # Latin inside, Chinese outside: Chinese text's brackets
    assert found("采用(PPP)模式", "halfwidth") == [("halfwidth", 1, 3, 4, "("), ("halfwidth", 1, 7, 8, ")")]


@pytest.mark.parametrize(
    "text",
    [
        "共投入资金1,200.5万元，三方按4:3:3的比例分担。",
        "2009年2月19日上午8:30时统一集中，8:00-12:00办公。",
        "电子邮件发送至67959798@163.com，或登录http://www.cq.gov.cn/a?id=1,2;b=3查看。",
        "![]() | 附件2：便函422号(附件2).docx |",
        "依据ISO 9001:2015《Quality management systems (QMS), requirements》认证。",
        "联系电话：0591-87606536,87547200（传真）",
        "各乡镇&nbsp;人民政府",
    ],
)
def test_half_width_marks_of_numbers_times_addresses_and_latin_are_left_alone(text):
    assert found(text, "halfwidth") == []


def test_a_question_mark_between_two_characters_may_be_a_lost_character():
    (o,) = find_punctuation("经办人王?明负责。")
    assert (o.raw, o.replacement, o.grade) == ("?", "？", "unsafe")
    (o,) = find_punctuation("是否完成?")
    assert o.grade == "safe"


def test_ascii_quotes_are_reported_without_a_fix():
    # corpus/b-20.txt: nested ASCII quotes cannot be told apart
    got = find_punctuation('授予"自治区城市"天山杯"竞赛优秀城市"称号。')
    assert [(o.column, o.replacement, o.grade) for o in got] == [(c, None, "display") for c in (3, 9, 13, 20)]


def test_angle_brackets_inside_a_title_are_single_title_marks():
    got = find_punctuation("你区《关于批准<中关村南阳科技产业园水系规划>的请示》收悉。")
    assert [(o.column, o.raw, o.replacement) for o in got] == [(8, "<", "〈"), (23, ">", "〉")]
    assert found("当x<5且y>3时", "halfwidth") == []


# ---------------------------------------------------------------- repeated


def test_repeated_marks_and_which_have_a_sure_fix():
    got = find_punctuation("执行。。\n巡查，,及时\n领导；。二是\n等等。。。\n真的吗？！")
    assert [(o.line, o.column, o.end_column, o.raw, o.replacement, o.grade) for o in got] == [
        (1, 3, 5, "。。", "。", "safe"),
        (2, 3, 5, "，,", "，", "safe"),  # and not also a half-width finding on the same mark
        (3, 3, 5, "；。", None, "display"),
        (4, 3, 6, "。。。", None, "display"),
    ]


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    "text, raw, kind, fixed",
    [
        ("禁火期为11月15日-次年3月15日。", "11月15日-次年3月15日", "span", "11月15日—次年3月15日"),
        ("1-6月全县完成投资。", "1-6月", "span", "1—6月"),
        ("上半年1-6月完成。", "1-6月", "span", "1—6月"),
        ("争取用3-5年时间。", "3-5年", "number", "3～5年"),
        ("规划（2021-2030年）。", "2021-2030年", "span", "2021—2030年"),
        ("《规划》（2009-2020）及", "2009-2020", "span", "2009—2020"),
        ("第1-3条规定。", "1-3", "span", "1—3"),
        ("投资10-20万元。", "10-20", "number", "10～20"),
        ("1-2个月内完成。", "1-2", "number", "1～2"),
        ("考核时间：2011年1月6-12日，具体", "2011年1月6-12日", "span", "2011年1月6—12日"),
        ("元旦前：2017年12月25~31日", "2017年12月25~31日", "span", "2017年12月25—31日"),
    ],
)
def test_ranges_with_a_hyphen(text, raw, kind, fixed):
    (o,) = [o for o in find_punctuation(text) if o.problem == "range"]
    assert (o.raw, o.range_kind, o.replacement, o.grade) == (raw, kind, fixed, "display")
    assert text[o.column - 1 : o.end_column - 1] == raw


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：0377-66221234。",
        "发布日期：2018-02-06 00:00:00",
        "详见附件1-2。",
        "按照GB/T 15834-2011执行。",
        "人民路18-1号。",
        "住3-2-101室",
        "COVID-19疫情",
        "附件1：便函2019-422号",
        "索 引 号：G0001/2018-00024",
        "时间8:00-12:00。",
        "禁火期为11月15日—次年3月15日，3～5年。",
        "1" * 30 + "-1年",
    ],
)
def test_what_is_not_a_range(text):
    assert found(text, "range") == []


# ---------------------------------------------------------------- 顿号


def test_dunhao_between_titled_or_quoted_items():
    text = "依据《森林法》、《森林防火条例》，开展“选调生”、“三支一扶”工作。"
    got = [o for o in find_punctuation(text) if o.problem == "dunhao"]
    assert [(o.column, o.end_column, o.raw, o.replacement, o.grade) for o in got] == [
        (7, 10, "》、《", "》《", "unsafe"),
        (24, 27, "”、“", "”“", "unsafe"),
    ]
    assert found("编制《规划》（2021—2025年）、《方案》。", "dunhao") == []


# ---------------------------------------------------------------- paragraphs without an end mark


def test_a_paragraph_without_an_end_mark_before_a_heading():
    # corpus/a-17.txt lines 13-17
    text = (
        "二、拟征收土地范围\n\n拟征收地块：该地块为规划20号路建设项目，涉及文岩街道王乡固村，南起平安大道，北至规划3号路"
        "\n\n三、土地现状调查安排\n\n县政府组织相关部门开展调查。"
    )
    (o,) = find_punctuation(text)
    assert (o.problem, o.line, o.column, o.end_column, o.raw, o.length) == (
        "no_end",
        3,
        40,
        47,
        "北至规划3号路",
        46,
    )


def test_no_end_is_not_reported_where_the_paragraph_may_go_on_or_is_not_body_text():
    broken = "分管领导第一时间深入现场查看并督促火速展开清理行动，组\n织村干部及保洁员对各自辖区内环境卫生彻底进行整治。\n特此报告。"
    assert found(broken, "no_end") == []  # b-07: the page broke the paragraph
    last = "正文第一段。\n坚持生态优先、绿色发展，深入打好污染防治攻"
    assert found(last, "no_end") == []  # a-14: the excerpt ends here
    headings = "一、加强组织领导，压实责任\n（一）明确分工，细化任务\n1.摸清底数，建立台账\n特此通知。"
    assert found(headings, "no_end") == []
    table = "序号  单位  完成情况，备注\n附件：1.名单，2.表格\n特此通知。"
    assert found(table, "no_end") == []
    skipped = "请各单位高度重视，认真组织实施，确保按期完成\n新野县人民政府"
    assert found(skipped, "no_end", skip_lines={2}) == [("no_end", 1, 17, 23, "确保按期完成")]
    assert found(skipped, "no_end", skip_lines={1, 2}) == []


# ---------------------------------------------------------------- hostile input and invariants


@pytest.mark.parametrize(
    "text, problem, count",
    [
        ("（" * 20_000 + "。", "unpaired", 20_000),
        ("“" * 20_000 + "。", "unpaired", 20_000),
        ("）" * 20_000, "unpaired", 20_000),
        ("(" * 10_000 + ")" * 10_000, "halfwidth", 0),
        ("中(" * 10_000, "halfwidth", 10_000),
        ("。" * 20_000, "repeated", 1),
        ("1-" * 10_000, "range", 0),
        ("《" + "<" * 10_000 + ">" * 10_000 + "》", "halfwidth", 0),
        ("中" + " " * 20_000 + "中  中", "no_end", 0),
        ("（\n" * 10_000, "unpaired", 10_000),
        ("“" + "\n“" * 10_000, "unpaired", 1),  # a quotation over 10,001 paragraphs, never closed: its last
    ],
)
def test_hostile_input_is_read_in_one_pass(text, problem, count):
    got = [o for o in find_punctuation(text) if o.problem == problem]
    assert len(got) == count


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            list('（）()《》〈〉“”‘’〔〕【】<>"，,。：:；;？?！!、-~—1234567890年月日号中文甲乙 \u3000\n')
            + ["如下:", "附件1-2", "http://a.cn/x?a=1,2", "a@b.cn", "x.docx", "一、", "（一）", "2021-2030年"]
        ),
        max_size=60,
    )
)
def test_every_observation_covers_its_raw_text(pieces):
    text = "".join(pieces)
    lines = text.split("\n")
    for o in find_punctuation(text):
        assert lines[o.line - 1][o.column - 1 : o.end_column - 1] == o.raw


# ---------------------------------------------------------------- the observation limit


def unpaired_columns(got):
    assert {(o.problem, o.partner) for o in got} <= {("unpaired", "》"), ("unpaired", "）"), ("unpaired", "〕")}
    return [(o.line, o.column, o.raw) for o in got]


HOSTILE = {
    "titles never closed": "关于" + "《" * 3000,
    "closed after the run": "（" + "《" * 3000 + "）" + "《" * 5,
    "half-width marks": "中,文:中(" * 1000,
    "quotations over lines": ("“" * 500 + "\n") * 4 + "“续\n" + "“" * 500,
    "year brackets": "新政办〔2024〔2024〔" * 400,
    "closers never opened": "完成））" * 1000,
    "mixed": ("（“《" * 300 + "》”）" * 100 + "\n") * 3 + "巡查,及时。。" * 200 + "\n”、“" * 300,
    "headings between": ("（一）\n《关于\n" + "1-6月\n") * 500,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE)
@pytest.mark.parametrize("limit", [1, 7, 250])
def test_a_limit_gives_the_first_problems_of_the_whole_text(text, limit):
    everything = find_punctuation(text)
    assert len(everything) > limit
    assert find_punctuation(text, limit=limit) == everything[:limit]


def test_300000_unclosed_title_marks_give_exactly_the_limit():
    got = find_punctuation("关于" + "《" * 300_000, limit=1001)
    assert unpaired_columns(got) == [(1, column, "《") for column in range(3, 1004)]


def test_a_megabyte_of_half_width_marks_gives_exactly_the_limit():
    got = find_punctuation("中,文:中(" * 100_000 + "\n完。", limit=1001)
    assert len(got) == 1001
    # each unclosed ( is both unpaired and half-width: the pairing's comes first
    assert [(o.column, o.raw, o.problem) for o in got[:5]] == [
        (2, ",", "halfwidth"),
        (4, ":", "halfwidth"),
        (6, "(", "unpaired"),
        (6, "(", "halfwidth"),
        (8, ",", "halfwidth"),
    ]
    assert (got[-1].column, got[-1].raw, got[-1].problem) == (1502, ",", "halfwidth")


def test_a_run_of_opening_marks_is_closed_from_its_end():
    # the run is read as one stretch: a closing mark takes its own family's last mark, reporting those above it
    assert unpaired_columns(find_punctuation("（" + "《" * 50 + "）")) == [(1, c, "《") for c in range(2, 52)]
    assert unpaired_columns(find_punctuation("（" * 20 + "）" * 5)) == [(1, c, "（") for c in range(1, 16)]
    got = find_punctuation("今年（" + "《a" * 40 + "》" * 3 + "）完成。")
    assert unpaired_columns(got) == [(1, c, "《") for c in range(4, 77, 2)]


def test_a_run_left_open_at_a_line_break_closes_on_the_next_line():
    assert unpaired_columns(find_punctuation("《" * 30 + "\n" + "》" * 10 + "。")) == [
        (1, c, "《") for c in range(1, 21)
    ]


def test_a_quotation_going_on_to_the_next_paragraph_is_not_reported_however_many_marks_open_it():
    assert found("“" * 20_000 + "\n“续") == [("unpaired", 2, 1, 2, "“")]


def test_lines_whose_marks_pair_up_by_themselves_are_not_read_but_still_end_what_was_carried():
    assert find_punctuation("1、\n（一）\n一.\n" * 20_000) == []
    # the 《 left open on line 1 is not carried past the line （一）
    assert found("《关于\n（一）\n《通知》") == [("unpaired", 1, 1, 2, "《")]
