from datetime import date

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
    assert (t.text, t.line, t.column, t.end_line, t.end_column) == (
        "关于印发新野县促进装配式建筑发展实施意见的通知",
        6,
        1,
        7,
        8,
    )
    assert meta.kind == "通知"


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
