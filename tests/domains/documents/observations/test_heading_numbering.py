"""结构层次序数 (heading_numbering): the finder's positions on real text, what it must leave alone, --fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.core.limits import limits_overridden
from checker.domains.documents.text.headings import canonical, cn_numeral, find_heading_problems, web_copy
from tests.conftest import write

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SELECT = ("--format", "json", "--no-config", "--as-of", "2026-11-30", "--select", "heading-numbering")

# c-07 (庆城县住建局, web copy widened): third-level numbers written 1、 under 三、 and 四、
C07 = (
    "一、加强领导，进一步提高安全生产重要性的认识\n"
    "县属各施工企业要认真贯彻“安全第一、预防为主、综合治理”的方针。\n"
    "二、检查时间\n"
    "元旦前：2017年12月25~31日\n"
    "三、检查内容、方式\n"
    "1、针对工程现已停工，主要检查施工现场安全、建筑工地食堂食品安全、值班留守情况。\n"
    "2、各建设单位、施工企业，要认真落实安全生产责任制度。\n"
    "四、工作要求\n"
    "1、检查组要深入企业，深入现场，严格按照内容要求进行检查。\n"
    "2、各责任主体单位应认真落实检查内容，不准敷衍塞责、麻痹大意。\n"
    "3、对安全生产检查中落实不力的单位和个人，我局将依据有关规定处理。\n"
)


def _problems(text, date_line=None):
    return [(p.problem, p.line, p.column, p.end_column, p.raw) for p in find_heading_problems(text, date_line)]


def test_third_level_numbers_written_with_a_dunhao_are_found_where_they_are(cli, tmp_path):
    path = write(tmp_path / "c07.txt", C07)
    result = cli("lint", path, *SELECT)
    found = [(f["rule_id"], f["line"], f["column"], f["end_column"], f["message"]) for f in result.json()["findings"]]
    assert found == [
        ("DOC-HEADING-FORM", 6, 1, 3, "层次序数“1、”写法不规范，应为“1.”"),
        ("DOC-HEADING-FORM", 7, 1, 3, "层次序数“2、”写法不规范，应为“2.”"),
        ("DOC-HEADING-FORM", 9, 1, 3, "层次序数“1、”写法不规范，应为“1.”"),
        ("DOC-HEADING-FORM", 10, 1, 3, "层次序数“2、”写法不规范，应为“2.”"),
        ("DOC-HEADING-FORM", 11, 1, 3, "层次序数“3、”写法不规范，应为“3.”"),
    ]
    assert all(f["severity"] == "warning" for f in result.json()["findings"])


def test_fix_rewrites_the_unambiguous_forms_and_a_second_run_changes_nothing(cli, tmp_path):
    text = (
        "一.总体要求\n"
        "（一）、指导思想。以习近平新时代中国特色社会主义思想为指导。\n"
        "（二）基本原则。\n"
        "1．统一领导，分级负责；\n"
        "2，属地管理，条块结合；\n"
        "二，主要任务\n"
        "三：保障措施\n"
    )
    path = write(tmp_path / "n.txt", text)
    cli("lint", path, "--fix", "--no-config", "--as-of", "2026-11-30")
    fixed = path.read_text(encoding="utf-8")
    assert fixed == (
        "一、总体要求\n"
        "（一）指导思想。以习近平新时代中国特色社会主义思想为指导。\n"
        "（二）基本原则。\n"
        "1.统一领导，分级负责；\n"
        "2.属地管理，条块结合；\n"
        "二、主要任务\n"
        "三：保障措施\n"  # a colon may be meant: reported, never rewritten
    )
    again = cli("lint", path, "--fix", "--no-config", "--as-of", "2026-11-30")
    assert path.read_text(encoding="utf-8") == fixed and "已修正 0 处" in again.err
    remaining = [(f["rule_id"], f["line"], f["column"]) for f in cli("lint", path, *SELECT).json()["findings"]]
    assert remaining == [("DOC-HEADING-FORM", 7, 1)]


def test_c07_fixed_in_place_keeps_everything_else(cli, tmp_path):
    path = write(tmp_path / "c07.txt", C07)
    cli("lint", path, "--fix", "--no-config", "--select", "heading-numbering")
    assert path.read_text(encoding="utf-8") == C07.replace("\n1、", "\n1.").replace("\n2、", "\n2.").replace(
        "\n3、", "\n3."
    )
    assert cli("lint", path, *SELECT).json()["findings"] == []


def test_bracket_width_is_left_to_the_punctuation_check_but_a_fix_writes_full_width_brackets(cli, tmp_path):
    own = write(
        tmp_path / "own.txt", "一、总体要求\n(一)指导思想。坚持以人民为中心，统筹推进各项工作。\n(二)、基本原则。\n"
    )
    result = cli("lint", own, *SELECT).json()["findings"]
    assert [(f["rule_id"], f["line"], f["column"], f["end_column"], f["message"]) for f in result] == [
        ("DOC-HEADING-FORM", 3, 1, 5, "层次序数“(二)、”写法不规范，应为“（二）”")
    ]
    # a-06 as the web gave it: every mark half-width, so the fix keeps the web's brackets
    web = (
        "一、总体要求\n(一)、指导思想。以习近平新时代中国特色社会主义思想为指导,落实国家、省关于深化“放管服”改革和优化营商环境"
        "有关要求,以推进政府治理体系和治理能力现代化为目标,坚持问题导向。\n"
    )
    assert web_copy(web)
    [p] = find_heading_problems(web)
    assert (p.problem, p.raw, p.suggestion, p.safe_fix) == ("form", "(一)、", "(一)", True)


def test_a_missing_opening_bracket_is_a_wrong_form_that_is_not_rewritten():
    text = "1.县委、政府主要领导,分管领导,各乡镇主要领导;\n1)统一领导,分级管理。"
    [p] = find_heading_problems(text)
    assert (p.problem, p.line, p.column, p.end_column, p.suggestion, p.safe_fix) == ("form", 2, 1, 3, "（1）", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a-17 (延津县 公告) with 三、 left out
        ("一、拟征收土地用途\n二、拟征收土地范围\n四、其他事项", [("missing", 3, 1, 3, "四、", "三、")]),
        # b-15 (哈尔滨) with （二） left out, an unnumbered line between
        (
            "一、团拜、座谈活动\n（一）2007年2月9日9时，在市老干部活动中心召开座谈会。\n此项活动由市委老干部局负责组织。\n"
            "（三）2007年2月15日10时30分，在友谊宫召开团拜会。",
            [("missing", 4, 1, 4, "（三）", "（二）")],
        ),
        (
            "一、工作要求\n1.检查组要深入企业。\n2.各单位应认真落实。\n2.对落实不力的依规处理。",
            [("repeated", 4, 1, 3, "2.", "3.")],
        ),
        (
            "一、总体要求\n三、主要任务\n二、保障措施",
            [("missing", 2, 1, 3, "三、", "二、"), ("order", 3, 1, 3, "二、", "四、")],
        ),
        ("（二）指导思想\n（三）基本原则", [("missing", 1, 1, 4, "（二）", "（一）")]),
    ],
)
def test_breaks_in_a_sequence(text, expected):
    got = [(p.problem, p.line, p.column, p.end_column, p.raw, p.expected) for p in find_heading_problems(text)]
    assert got == expected


def test_sequence_findings_go_through_the_rule(cli, tmp_path):
    path = write(tmp_path / "n.txt", "一、拟征收土地用途\n二、拟征收土地范围\n四、其他事项\n")
    result = cli("lint", path, *SELECT).json()["findings"]
    assert [(f["rule_id"], f["line"], f["column"], f["end_column"], f["severity"], f["message"]) for f in result] == [
        ("DOC-HEADING-SEQUENCE", 3, 1, 3, "warning", "层次序数“四、”不连续，按顺序此处应为“三、”")
    ]


def test_level_jumps_and_restarts_are_information(cli, tmp_path):
    text = (
        "一、总体要求\n（一）指导思想\n（二）基本原则\n二、主要任务\n1.优化审批流程\n2.精简审批环节\n"
        "三、保障措施\n（一）加强领导\n（1）成立领导小组\n（2）明确责任分工\n（二）强化督查\n1.定期调度\n2.通报进展\n1.严格问责\n"
    )
    path = write(tmp_path / "n.txt", text)
    result = cli("lint", path, *SELECT).json()["findings"]
    assert [(f["rule_id"], f["line"], f["column"], f["end_column"], f["severity"], f["message"]) for f in result] == [
        ("DOC-HEADING-LEVEL", 5, 1, 3, "info", "层次序数“1.”直接排在“二、”之下，跳过了“（一）”这一层"),
        ("DOC-HEADING-LEVEL", 9, 1, 4, "info", "层次序数“（1）”直接排在“（一）”之下，跳过了“1.”这一层"),
        (
            "DOC-HEADING-RESTART",
            14,
            1,
            3,
            "info",
            "层次序数“1.”重新从头编号，此前同一层已编到“2.”，其间没有新的上一级标题",
        ),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # 一、 then 1. with no （一） level anywhere (c-07, c-16): common, not a jump
        "一、会议时间：2008年10月9日上午10:00\n二、会议地点：会议中心\n三、参加会议人员：\n1.县委、政府主要领导、分管领导；\n2.各乡（镇）场主要领导。",
        # the four levels in order (a-06, a-24, b-15 shapes)
        "一、总体要求\n（一）指导思想。\n1.统一领导。\n（1）分级负责。\n（2）属地管理。\n2.协同推进。\n（二）基本原则。\n二、主要任务",
        # 一、 numbered on across chapters (a-09, 太湖县/镇巴县人民政府工作规则)
        "第一章 总则\n一、根据宪法和组织法，制定本规则。\n二、县政府工作的指导思想。\n三、县政府工作的准则。\n"
        "第二章 组成人员和政府职能\n四、县政府由县长、副县长组成。\n五、县政府实行县长负责制。",
        # （一） restarting under each article
        "第五条 申请应当符合下列条件：\n（一）有固定住所；\n（二）有稳定收入。\n第六条 有下列情形之一的，不予受理：\n（一）材料不全；\n（二）逾期申请。",
        # a new sequence in the attached plan after the 成文日期 (a-06)
        "一、总体要求\n二、主要任务\n遂宁市人民政府\n2019年4月29日\n遂宁市工程建设项目审批制度改革实施方案\n一、总体要求\n（一）指导思想。",
        # an 附件 line starts a new part; a sequence may also go on after a wrongly recognised boundary
        "一、甲\n二、乙\n附件1\n一、丙\n二、丁\n特此通知\n三、戊",
        # web copies run paragraphs together: the 二、 in the line is not missing (b-30, a-23)
        "一、网上征求意见时间：2020年7月2日至8月2日。 二、联系部门及方式：县住建局保障办。\n三、公众反馈及建议的途径：电子邮件。",
        # an 应急预案 numbered 1.1 (c-15): its （1） under 1.4 is neither a jump nor a restart
        "1 总则\n1.1 编制目的\n1.4 工作原则\n（1）统一领导，分级管理。\n（2）分工负责，密切配合。\n1.5 事故分级\n（1）特别重大森林火灾。",
        # two lists under one heading, each introduced by a label line
        "一、报名事项\n报名条件：\n1.年满十八周岁。\n2.身体健康。\n报名材料：\n1.身份证。\n2.照片。",
        # 附件说明 lists are left to the 附件说明 check (b-03, b-30)
        "特此请示。\n附件：\n1、上海市嘉定区人民政府关于报送《实施方案》的函；\n2、上海市嘉定区人民政府关于报送《项目实施方案》的函",
        "一、甲\n二、乙\n附：1、《东至县公共租赁住房管理实施细则（征求意见稿）》\n2、县政府规范性文件征求意见反馈表",
        # numbers that open a line without opening a heading
        "1、2月份全县共完成投资1.5亿元。\n1.5亿元用于棚户区改造。\n2021.12.31前完成。\n25.02.2016  10:00\n一、二级建造师均可报名。\n七、八月份是汛期。",
        # c-09: a heading starting with a date, c-01: a stray space before the 顿号
        "一、2020年4月20日至2020年9月20日对华张路实行交通封闭。\n二、通过上述路段车辆需绕道行驶。\n三 、过往车辆请自觉按照指挥通行。",
        # quoted and tabled numbers
        "| 1、 | 张三 | 科员 |\n| 3、 | 李四 | 科员 |",
        # a hard-wrapped text (from a PDF): 统\n一， is a word broken at the line's end
        "过去五年，县政府坚定以习近平新时代中国特色社会主义思想为指导，深\n入贯彻习近平总书记对四川及成都工作系列重要指示精神，认真落实党中\n"
        "央国务院、省委省政府、市委市政府决策部署，在县委的坚强领导下，统\n一，规范市场秩序，大力推进全县各项事业发展，较好地完成了县十八届\n"
        "人民代表大会确定的主要目标任务，经济社会发展迈上新台阶，县域综合\n实力大幅提升，在中国西部百强县的位次上升至第五十四位，比二〇一七\n"
        "年提高了二十四位，城乡居民人均可支配收入分别增长百分之八点六、百\n分之八点九，全县人民的获得感、幸福感、安全感不断增强，社会大局持\n续稳定。",
    ],
)
def test_must_not_fire(text):
    assert _problems(text) == []


def test_no_sequence_or_level_findings_on_the_corpus_and_form_ones_only_where_a_reviewer_marks_them(cli):
    """Every heading-numbering finding on the 85 real documents (widened copies where there are some)."""
    paths = sorted({p.name: p for p in [*CORPUS.glob("*.txt"), *(CORPUS / "wide").glob("*.txt")]}.values())
    result = cli("lint", *paths, *SELECT, "--fail-on", "never").json()["findings"]
    got = sorted((Path(f["source"]).name, f["line"], f["column"], f["rule_id"]) for f in result)
    assert got == [
        ("b-29.txt", 9, 1, "DOC-HEADING-FORM"),
        ("c-07.txt", 13, 1, "DOC-HEADING-FORM"),
        ("c-07.txt", 14, 1, "DOC-HEADING-FORM"),
        ("c-07.txt", 16, 1, "DOC-HEADING-FORM"),
        ("c-07.txt", 17, 1, "DOC-HEADING-FORM"),
        ("c-07.txt", 18, 1, "DOC-HEADING-FORM"),
    ]


def test_numerals_and_standard_forms():
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99)] == ["一", "九", "十", "十一", "二十", "二十一", "九十九"]
    assert [canonical(level, 12) for level in (1, 2, 3, 4)] == ["十二、", "（十二）", "12.", "（12）"]
    got = _problems(
        "一、甲\n二、乙\n三、丙\n四、丁\n五、戊\n六、己\n七、庚\n八、辛\n九、壬\n十、癸\n十一、子\n十三、丑"
    )
    assert got == [("missing", 12, 1, 4, "十三、")]


def test_full_width_digits_alone_are_left_to_the_number_usage_check():
    [p] = find_heading_problems("１．统一领导")
    assert (p.problem, p.raw, p.suggestion, p.safe_fix) == ("form", "１．", "1.", True)  # the point is wrong
    assert find_heading_problems("１.统一领导\n（１）分级负责") == []


def test_adversarial_input_stays_linear():
    for text in ("一" * 20_000, "（" * 20_000, "1." * 10_000, "。1、" * 6_000, " " * 20_000, "：\n" * 10_000):
        assert find_heading_problems(text) == []
    many = find_heading_problems("1、\n" * 5_000)
    assert len(many) == 9_999  # 5,000 wrong forms and 4,999 repeats: the observation cap keeps reports bounded


# ------------------------------------------------------------------ bounded by the observation limit

# the benchmark's shape (every line a heading, most of them wrong), a part whose jumps ask for a （一） that only its
# last line has, and gaps that a number inside running text explains (read only as far as each gap)
BOUNDED = [
    "1、\n（一）\n一.\n" * 2_000,
    "一、甲\n1.乙\n" * 1_500 + "（一）丙\n",
    "一、甲。二、乙\n三、丙\n1、丁\n" * 1_200,
]


@pytest.mark.parametrize("text", BOUNDED)
def test_a_limit_gives_exactly_the_first_problems_of_all(text):
    every = find_heading_problems(text)
    assert len(every) > 1_000
    for limit in (0, 1, 2, 3, 500, 1_000):
        assert find_heading_problems(text, limit=limit) == every[:limit]
    assert find_heading_problems(text, limit=len(every) + 1) == every


def test_a_limit_still_reads_what_a_problem_depends_on():
    # the 1. under 一、 are jumps only because the part has a （一）, on its last line: read ahead for it
    got = find_heading_problems(BOUNDED[1], limit=3)
    assert [(p.problem, p.line, p.column, p.raw, p.expected, p.parent) for p in got] == [
        ("jump", line, 1, "1.", "（一）", "一、") for line in (2, 4, 6)
    ]
    assert find_heading_problems("一、甲\n1.乙\n" * 1_500) == []  # no （一） anywhere: no jump
    # 三、 follows 一、 with 二、 inside the line above: no gap, however far on the limit stops
    got = find_heading_problems(BOUNDED[2], limit=1_000)
    assert {p.problem for p in got} == {"form"} and (got[0].line, got[-1].line) == (3, 3_000)


def test_a_hostile_text_far_beyond_the_limit_gives_exactly_the_limit():
    # 200,000 wrong headings in a row (the old finder built all 399,999 problems first): the first 1,000
    got = find_heading_problems("1、\n" * 200_000, limit=1_000)
    rows = [(p.problem, p.line, p.column, p.raw, p.expected) for p in got]
    assert len(rows) == 1_000
    assert rows[:4] == [("form", 1, 1, "1、", ""), ("form", 2, 1, "1、", ""), ("repeated", 2, 1, "1、", "2."),
                        ("form", 3, 1, "1、", "")]  # fmt: skip
    assert rows[-1] == ("form", 501, 1, "1、", "")


@pytest.mark.parametrize(
    ("between", "expected"),
    [
        ("正文。\n", [("restart", 4)]),  # running text: the （一） starts the level again
        ("某某工作方案\u3000\u3000\n", []),  # a title line, spaces after it: a new part
        ("某某工作方案\t\n", []),
        ("某某工作方案\r\n", []),
        ("工作要求：\u3000\n", []),  # a label line: what follows is its list
        ("附件：\n正文。\n", []),  # 附件： alone, then no list: the attachment begins
    ],
)
def test_the_lines_passed_over_unread_are_only_running_text(between, expected):
    # only the lines that open with a number, 附 or 第, hold a |, or end with a colon or a title's last character
    # are read one by one; a title or label line with spaces after it is one of them
    text = "（一）甲\n（二）乙\n" + between + "（一）丙\n"
    got = [(p.problem, p.line) for p in find_heading_problems(text)]
    assert got == [(problem, line + between.count("\n") - 1) for problem, line in expected]


def test_running_text_passed_over_still_ends_the_attachment_list():
    # 附件： and its list (1.… 2.…) are no headings; a line of running text after it ends the list
    assert find_heading_problems("附件：1.甲\n1、丙\n") == []
    for text in ("附件：\n正文。\n1、丙\n", "附件：1.甲\n正文。\n1、丙\n"):
        assert [(p.problem, p.line, p.raw) for p in find_heading_problems(text)] == [("form", 3, "1、")]


def test_a_date_line_or_a_wrapped_line_among_running_text_still_counts():
    assert [(p.problem, p.line) for p in find_heading_problems("（一）甲\n（二）乙\n正文结束。\n（一）丙\n")] == [
        ("restart", 4)
    ]
    assert find_heading_problems("（一）甲\n（二）乙\n正文结束。\n（一）丙\n", date_line=3) == []
    line = "各单位要按照要求认真做好本地区本部门的"  # 19 characters: the text is wrapped at 19
    assert find_heading_problems("\n".join([line] * 8) + "\n一，规范管理。\n") == []  # 统\n一，规范……
    ended = "\n".join([line] * 7 + [line[:18] + "。"]) + "\n一，规范管理。\n"
    assert [(p.problem, p.line, p.raw) for p in find_heading_problems(ended)] == [("form", 9, "一，")]


def test_the_candidate_lines_trailing_spaces_are_what_rstrip_strips():
    from checker.domains.documents.text.headings import _SPACES

    everything = "".join(map(chr, range(0x110000)))
    assert set(re.findall(f"[{_SPACES}]", everything)) == {c for c in everything if c.isspace()} - {"\n"}


def test_the_kind_reports_the_first_problems_then_names_the_rest(cli, tmp_path):
    path = write(
        tmp_path / "many.txt", "关于某事的通知\n各单位：\n" + "1、甲\n" * 3_000 + "新野县人民政府\n2024年3月5日\n"
    )
    with limits_overridden(max_observations=50):
        found = cli("lint", path, *SELECT[:-2]).json()["findings"]  # (not --select: the warning is a rule of its own)
    rows = [(f["rule_id"], f["line"]) for f in found if f["rule_id"].startswith("DOC-HEADING")]
    assert len(rows) == 50 and rows[:3] == [
        ("DOC-HEADING-FORM", 3),
        ("DOC-HEADING-FORM", 4),
        ("DOC-HEADING-SEQUENCE", 4),
    ]
    assert rows[-1] == ("DOC-HEADING-FORM", 28)  # 1 + 24 × 2 + 1
    [warning] = [f["message"] for f in found if f["rule_id"] == "INPUT-TOO-MANY"]
    assert warning == "文中结构层次序数超过 50 处，只检查了前 50 处，其余未查"
