from itertools import islice

import pytest

from checker.core.errors import CheckerInputError
from checker.domains.documents.text.lexicon import (
    build_lexicon,
    default_lexicon,
    find_typos,
    iter_typos,
    load_lexicon,
)

LEXICON = default_lexicon()

# Realistic 公文 text that uses the right words and the valid look-alikes of every risky entry.
CLEAN = """新野县住房和城乡建设局关于进一步规范公文处理工作的通知
各股室、局属各单位：
为认真贯彻落实县委、县政府工作部署，按照上级要求，现将有关事项通知如下。
一、提高思想认识。各单位要一贯切实履行主体责任，严格守住质量底线，不得直接照搬上级文件。
二、明确报送时间。材料报送截止时间为2024年5月31日，逾期不予受理；报名截止2024年5月31日，逾期视为放弃。
三、截至目前，全县共排查问题12个，已完成10个，需持续推进2个，截止日期前全部办结。
四、申报材料于5月31日前截止，不在此列的项目不予受理，已销号的问题不再出现反弹。
五、按排查结果分类处置，按排名先后兑付奖补资金，按排放标准核查，统一安排部署。
六、装配式建筑按装配率认定，报消防部门审查，监督足额缴纳，在政府门户网站发布门户信息。
七、西部暑期施工要做好防暑降温，项目竣工验收合格后方可交付使用。
八、截至2024年10月底，共完成勘察设计审查15项，混凝土强度检测合格率100%。
九、各单位要努力提高公文质量，做到言简意赅、举一反三，常抓不懈，以身作则。
十、财政资金拨付要严格审核，坚持一如既往、再接再厉、全力以赴，刻不容缓抓好整改。
十一、杜绝形式主义，按部就班推进，直截了当指出问题，避免重蹈覆辙、竭泽而渔。
十二、对接照片资料要归档，迎接照常开展的检查，连接照明线路须符合规范。
十三、候选人资格审查由人事股负责，户籍、国籍信息以证件为准，藉由数据共享核验。
十四、问题整改不能松弛，对瑕疵材料退回补正，防止辐射污染，确保措施奏效。
十五、不得委曲求全，不得既往不咎，发现问题迫在眉睫的要出谋划策、集思广益。
十六、本通知自印发之日起施行，原有规定与本通知不一致的，以本通知为准。
十七、截止到2024年12月31日，仍未完成整改的，予以通报。
十八、施工许可证核发时限压缩为1个工作日，竣工验收备案同步办理。
十九、各股室要兢兢业业、事必躬亲，一鼓作气完成全年目标任务。
二十、问题线索不胫而走时，要出其不意地开展暗访，墨守成规的做法要纠正。
二十一、项目发轫于2022年，目前已走投无路的企业要及时帮扶，增强群众气概。
二十二、不在规定时间内提交的，视为自动放弃；不在职人员不参加考核。
二十三、截止报名后不再受理，截止时间以系统时间为准。
二十四、一诺千金，川流不息的办事群众要有序引导，直接了当事人的诉求要回应。
二十五、蜂拥而至的咨询要耐心解答，防止急躁情绪，做到针砭时弊、一筹莫展的局面要扭转。
二十六、勘测定界由自然资源局负责，震撼人心的典型事迹要宣传。
二十七、破釜沉舟、原形毕露的问题要深挖，不得迫不及待地销号。
二十八、全县上下要兢兢业业，确保问题不再出现。
联系人：张三，联系电话：0377-6621234。
新野县住房和城乡建设局
2024年11月25日"""


def test_clean_text_has_no_findings():
    assert len(CLEAN.splitlines()) >= 30
    assert find_typos(CLEAN, LEXICON) == []


@pytest.mark.parametrize("entry", LEXICON.entries, ids=lambda e: e.wrong)
def test_each_entry_fires_on_its_wrong_form(entry):
    text = entry.example or f"前文{entry.wrong}后文"
    hits = find_typos(text, LEXICON)
    assert hits, entry.wrong
    hit = hits[0]
    start = text.index(entry.wrong)
    assert (hit.line, hit.column, hit.end_column, hit.raw) == (1, start + 1, start + 1 + len(entry.wrong), entry.wrong)
    assert (hit.suggestion, hit.safe_fix, hit.note) == (entry.right, entry.safe_fix, entry.note)
    fixed = text[:start] + entry.right + text[start + len(entry.wrong) :]
    assert find_typos(fixed, LEXICON) == []


def test_lexicon_size_and_domain_entries():
    wrongs = {e.wrong for e in LEXICON.entries}
    assert {"接照", "努为", "不在出现", "峻工", "截止", "截止目前"} <= wrongs
    assert len(LEXICON.entries) >= 36


def test_jiezhi_contexts():
    hits = find_typos("截止2024年10月底，共排查问题12个。截止时间为5月31日。", LEXICON)
    assert [(h.column, h.raw, h.suggestion, h.safe_fix) for h in hits] == [(1, "截止", "截至", False)]
    assert find_typos("报名截止2024年5月31日，逾期不受理。", LEXICON) == []
    assert [h.raw for h in find_typos("截止目前，已完成。", LEXICON)] == ["截止目前"]


def test_position_on_later_line_and_quoted():
    hits = find_typos("第一行\n通报中“接照”一词应为按照。", LEXICON)
    assert [(h.line, h.column, h.quoted) for h in hits] == [(2, 5, True)]


def test_phrase_context(tmp_path):
    lexicon = build_lexicon(
        {
            "version": 1,
            "entries": [
                {
                    "wrong": "不在",
                    "right": "不再",
                    "context": ["不在发生", "确保不在"],
                    "example": "确保类似问题不在发生",
                    "safe_fix": True,
                    "note": "测试",
                }
            ],
        },
        "mem.yaml",
    )
    assert [h.column for h in find_typos("不在此列，不在发生，确保不在", lexicon)] == [6, 13]


@pytest.mark.parametrize(
    "entry, expected",
    [
        ({"wrong": "甲", "right": "乙", "safe_fix": True, "note": "n", "colour": 1}, "不允许的字段"),
        ({"wrong": "甲", "right": "乙", "note": "n"}, "缺少必填字段"),
        ({"wrong": "甲", "right": "甲", "safe_fix": True, "note": "n"}, "相同"),
        (
            {"wrong": "甲乙", "right": "丙", "safe_fix": True, "note": "n", "context": "(甲)乙", "example": "甲乙"},
            "捕获组",
        ),
        ({"wrong": "甲乙", "right": "丙", "safe_fix": True, "note": "n", "context": "甲乙(?=丁)"}, "example"),
        (
            {
                "wrong": "甲乙",
                "right": "丙",
                "safe_fix": True,
                "note": "n",
                "context": "甲乙(?=丁)",
                "example": "甲乙戊",
            },
            "没有命中",
        ),
        (
            {"wrong": "甲乙", "right": "丙", "safe_fix": True, "note": "n", "context": "甲乙丁", "example": "甲乙丁"},
            "实为",
        ),
        (
            {"wrong": "甲乙", "right": "丙", "safe_fix": True, "note": "n", "context": ["丁戊"], "example": "丁戊"},
            "恰好包含",
        ),
        (
            {"wrong": "甲乙", "right": "丙", "safe_fix": True, "note": "n", "context": "甲乙(", "example": "甲乙"},
            "正则表达式错误",
        ),
    ],
)
def test_bad_entries_are_rejected_naming_file_and_entry(entry, expected):
    with pytest.raises(CheckerInputError) as info:
        build_lexicon({"version": 1, "entries": [entry]}, "typos.yaml")
    assert expected in info.value.message
    assert info.value.one_line().startswith("typos.yaml 记录 第1条（")


def test_load_lexicon_from_file(tmp_path):
    path = tmp_path / "typos.yaml"
    path.write_text(
        "version: 1\nentries:\n  - {wrong: 峻工, right: 竣工, safe_fix: true, note: 错字}\n", encoding="utf-8"
    )
    lexicon = load_lexicon(path)
    assert [h.raw for h in find_typos("项目已峻工", lexicon)] == ["峻工"]
    path.write_text("version: 1\nentries: []\n", encoding="utf-8")
    with pytest.raises(CheckerInputError) as info:
        load_lexicon(path)
    assert str(path) in info.value.one_line()


def test_the_first_typos_of_a_megabyte_of_them():
    text = "接照接照峻工" * 1_000
    assert find_typos(text, LEXICON, limit=1_000) == find_typos(text, LEXICON)[:1_000]
    hits = list(islice(iter_typos("接照接照峻工" * 170_000, LEXICON), 1_001))  # a megabyte, read 2,000 characters far
    assert len(hits) == 1_001
    assert [(h.column, h.raw, h.suggestion) for h in (hits[0], hits[2], hits[-1])] == [
        (1, "接照", "按照"),
        (5, "峻工", "竣工"),
        (2_001, "接照", "按照"),
    ]
