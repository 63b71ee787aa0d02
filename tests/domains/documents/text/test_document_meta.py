from datetime import date

import pytest

from checker.domains.documents.text.document_meta import extract_meta
from checker.inputs.decode import read_docx_paragraphs

NOTICE = """新野县人民政府办公室文件

新政办〔2022〕34号

新野县人民政府办公室
关于印发新野县促进装配式建筑发展
实施意见的通知

各乡镇人民政府，县直各单位：
    根据《河南省人民政府办公厅关于大力发展装配式建筑的实施意见》（豫政办〔2017〕153号）精神，现将《实施意见》印发给你们，请认真贯彻落实。

    附件：新野县促进装配式建筑发展实施意见

                                  新野县人民政府办公室
                                  2022年5月10日
（此件公开发布）
抄送：县委办公室。
新野县人民政府办公室                2022年5月10日印发"""


def test_red_head_notice():
    meta = extract_meta(NOTICE.split("\n"))
    n = meta.doc_number
    assert (n.line, n.column, n.prefix, n.raw) == (3, 4, "新政办", "〔2022〕34号")
    assert (meta.issuer.text, meta.issuer.line, meta.issuer.column, meta.issuer.source) == (
        "新野县人民政府办公室",
        1,
        1,
        "header",
    )
    assert [(s.text, s.line, s.column) for s in meta.signature] == [("新野县人民政府办公室", 14, 35)]
    assert (meta.date.line, meta.date.column, meta.date.value) == (15, 35, date(2022, 5, 10))
    t = meta.title
    assert (t.text, t.line, t.column, t.end_line, t.end_column) == (  # the issuer's name line is the title's start
        "新野县人民政府办公室关于印发新野县促进装配式建筑发展实施意见的通知",
        5,
        1,
        7,
        8,
    )
    assert meta.kind == "通知"
    assert (meta.addressees.text, meta.addressees.line) == ("各乡镇人民政府，县直各单位：", 9)


def test_plain_notice_without_header_takes_issuer_from_signature():
    lines = [
        "关于规范工程建设项目审批的通知",
        "新工改办〔2022〕16号",
        "各成员单位：",
        "    按照宛建行规〔2021〕7号要求，结合我市工作实际，现通知如下。",
        "",
        "新野县工程建设项目审批制度改革工作领导小组办公室",
        "2022年8月3日",
    ]
    meta = extract_meta(lines)
    assert (meta.doc_number.prefix, meta.doc_number.line) == ("新工改办", 2)
    assert (meta.issuer.text, meta.issuer.source, meta.issuer.line) == (
        "新野县工程建设项目审批制度改革工作领导小组办公室",
        "signature",
        6,
    )
    assert meta.date.value == date(2022, 8, 3)
    assert (meta.title.text, meta.kind) == ("关于规范工程建设项目审批的通知", "通知")


def test_letter_spaced_red_head():
    meta = extract_meta(["新 野 县 人 民 政 府 文 件", "", "新政〔2024〕3号", "关于……的决定"])
    assert (meta.issuer.text, meta.issuer.value, meta.issuer.end_column) == (
        "新 野 县 人 民 政 府",
        "新野县人民政府",
        14,
    )
    assert (meta.title.text, meta.kind) == ("关于……的决定", "决定")


def test_signature_and_date_on_one_line():
    lines = ["关于报送材料的函", "县财政局：", "    请于5月31日前报送。", "新野县住房和城乡建设局　2024年5月20日"]
    meta = extract_meta(lines)
    assert [s.text for s in meta.signature] == ["新野县住房和城乡建设局"]
    assert meta.issuer.text == "新野县住房和城乡建设局"
    assert (meta.date.line, meta.date.column) == (4, 13)
    assert meta.kind == "函"


def test_cited_numbers_are_not_the_own_number_and_missing_parts_are_none():
    lines = [
        "各股室：",
        "    根据《关于…的实施意见》（新政办〔2022〕34号）和宛建〔2021〕45号文件精神，现将有关事项通知如下。",
        "    请认真执行。",
    ]
    meta = extract_meta(lines)
    assert meta.doc_number is None
    assert meta.issuer is None
    assert meta.signature == ()
    assert meta.date is None
    assert meta.title is None
    assert meta.kind is None


def test_docx_notice(tmp_path):
    import docx

    document = docx.Document()
    for text in [
        "新野县住房和城乡建设局文件",
        "新住建〔2024〕5号",
        "关于开展公文质量检查的通知",
        "各股室：",
        "    为提高公文质量，现将有关事项通知如下。",
        "新野县住房和城乡建设局",
        "2024年11月25日",
    ]:
        document.add_paragraph(text)
    path = tmp_path / "notice.docx"
    document.save(path)
    meta = extract_meta(read_docx_paragraphs(path))
    assert (meta.doc_number.prefix, meta.doc_number.line, meta.doc_number.column) == ("新住建", 2, 4)
    assert (meta.issuer.text, meta.issuer.source) == ("新野县住房和城乡建设局", "header")
    assert (meta.title.text, meta.title.line) == ("关于开展公文质量检查的通知", 3)
    assert (meta.date.line, meta.date.value) == (7, date(2024, 11, 25))


# ------------------------------------------------------------ metadata as a reviewer reads it


def test_a_title_of_two_lines_is_one_title():
    lines = [
        "湘政办发〔2009〕25号",
        "湖南省人民政府办公厅关于加强普通高等学校",
        "毕业生就业工作的通知",
        "各市州、县市区人民政府，省政府各厅委、各直属机构：",
        "    为做好毕业生就业工作，经省人民政府同意，现就有关事项通知如下。",
    ]
    meta = extract_meta(lines)
    t = meta.title
    assert (t.text, t.line, t.end_line, meta.kind) == (
        "湖南省人民政府办公厅关于加强普通高等学校毕业生就业工作的通知",
        2,
        3,
        "通知",
    )
    assert meta.addressees.text == "各市州、县市区人民政府，省政府各厅委、各直属机构："


def test_an_issuing_notice_has_its_own_title_not_the_attached_plans():
    lines = [
        "关于印发《新野县老旧小区改造实施方案》的通知",
        "各乡镇人民政府，县直有关单位：",
        "    现将《新野县老旧小区改造实施方案》印发给你们，请认真贯彻执行。",
        "新野县人民政府办公室",
        "2024年3月1日",
        "新野县老旧小区改造实施方案",
        "一、总体要求",
    ]
    meta = extract_meta(lines)
    assert (meta.title.text, meta.title.line) == ("关于印发《新野县老旧小区改造实施方案》的通知", 1)
    assert (meta.date.line, [s.text for s in meta.signature]) == (5, ["新野县人民政府办公室"])


def test_a_page_without_a_title_has_none_even_with_an_attachment():
    lines = [
        "各乡镇人民政府：",
        "    现将有关方案印发给你们，请遵照执行。",
        "新野县人民政府办公室",
        "2024年3月1日",
        "新野县老旧小区改造实施方案",
    ]
    meta = extract_meta(lines)
    assert meta.title is None and meta.kind is None
    assert meta.addressees.text == "各乡镇人民政府：" and meta.date.line == 4


def test_a_number_alone_in_brackets_or_at_the_end_of_the_title_is_the_own_number():
    meta = extract_meta(["潮州市人民政府办公室关于加强某项工作的通知", "（潮府办〔2008〕7号）", "各县（区）人民政府："])
    assert (meta.doc_number.full_raw, meta.doc_number.line) == ("潮府办〔2008〕7号", 2)
    assert meta.title.text == "潮州市人民政府办公室关于加强某项工作的通知"
    meta = extract_meta(["关于加强某项工作的通知（潮府办〔2008〕7号）", "各县（区）人民政府：", "    正文。"])
    assert (meta.doc_number.full_raw, meta.title.text, meta.title.end_column) == (
        "潮府办〔2008〕7号",
        "关于加强某项工作的通知",
        12,
    )


def test_joint_issuers_are_both_signature_lines():
    lines = [
        "关于开展自建房安全专项整治的通知",
        "各县（区）住建局、自然资源局：",
        "    现将有关事项通知如下。",
        "南阳市住房和城乡建设局",
        "南阳市自然资源和规划局",
        "2023年4月6日",
    ]
    meta = extract_meta(lines)
    assert [i.text for i in meta.issuers] == ["南阳市住房和城乡建设局", "南阳市自然资源和规划局"]
    assert meta.issuer.text == "南阳市住房和城乡建设局"


def test_a_briefs_date_ends_its_head_line():
    lines = ["督查通报", "第5期", "寿县人民政府督查室    2022年8月19", "关于全县重点工作推进情况的通报", "    正文。"]
    meta = extract_meta(lines)
    d = meta.date
    assert (d.line, d.column, d.raw, d.value, d.problems) == (3, 14, "2022年8月19", date(2022, 8, 19), ("missing_day",))
    assert [s.text for s in meta.signature] == ["寿县人民政府督查室"]


def test_a_short_cover_letter_has_its_date_on_line_three():
    lines = ["各区县住建局：", "    现将省住建厅有关通知转发给你们，请遵照执行。", "2024年3月5日"]
    meta = extract_meta(lines)
    assert (meta.date.line, meta.date.value) == (3, date(2024, 3, 5))
    assert meta.addressees.line == 1


@pytest.mark.parametrize(
    ("written", "problems", "value", "suggested"),
    [
        ("2021年12月 31 日", ("space_inside",), date(2021, 12, 31), "2021年12月31日"),
        ("2025年1月23", ("missing_day",), date(2025, 1, 23), "2025年1月23日"),
        ("二OO五年三月十日", ("lookalike_zero",), date(2005, 3, 10), "二〇〇五年三月十日"),
        ("二○一○年五月八日", ("lookalike_zero",), date(2010, 5, 8), "二〇一〇年五月八日"),
        ("二〇〇九年八月十二日", (), date(2009, 8, 12), None),
    ],
)
def test_a_miswritten_issue_date_is_read_and_says_what_is_wrong(written, problems, value, suggested):
    meta = extract_meta(["关于某事的通知", "各单位：", "    正文。", "新野县人民政府", written])
    d = meta.date
    assert (d.line, d.raw, d.problems, d.value) == (5, written, problems, value)
    if suggested:
        assert d.suggested == suggested
