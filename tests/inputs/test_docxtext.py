"""The .docx reader: every construct that holds visible text gives exactly its text, in reading order.

The packages are written here, member by member, so each test controls the XML exactly.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from checker.core.errors import CheckerInputError
from checker.core.limits import limits_overridden
from checker.inputs.decode import read_docx, read_docx_paragraphs
from checker.inputs.docxtext import MAX_XML_DEPTH

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def rels(*relationships: tuple[str, str]) -> str:
    """A relationships part: (type, target) pairs."""
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(relationships, 1)
    )
    return (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'
    )


def document(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NAMESPACES}><w:body>{body}</w:body></w:document>'


def p(*runs: str) -> str:
    """A paragraph of runs; a plain string is a run of that text."""
    return "<w:p>" + "".join(r if r.startswith("<") else f"<w:r><w:t>{r}</w:t></w:r>" for r in runs) + "</w:p>"


def docx_file(path: Path, body: str | None = None, xml: str | None = None, **members: str | None) -> Path:
    """A .docx whose word/document.xml is `xml` (or a document of `body`), with `members` added (None: left out)."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": rels(("officeDocument", "word/document.xml")),
        "word/document.xml": xml if xml is not None else document(body or ""),
    }
    parts.update(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def lines(tmp_path: Path, body: str) -> list[str]:
    return read_docx_paragraphs(docx_file(tmp_path / "t.docx", body))


def refused(path: Path) -> str:
    with pytest.raises(CheckerInputError) as info:
        read_docx_paragraphs(path)
    return info.value.one_line()


# ---------------------------------------------------------------- what is read inside a paragraph


FIELD = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
BEGIN, SEPARATE, END = FIELD.format("begin"), FIELD.format("separate"), FIELD.format("end")


def instr(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'


@pytest.mark.parametrize(
    "runs, expected",
    [
        (['<w:hyperlink r:id="rId9"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'], "链接"),
        (['<w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t>新野县</w:t></w:r></w:smartTag>'], "新野县"),
        (
            [
                '<w:sdt><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>'
            ],
            "控件",
        ),
        (['<w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>'], "7"),
        (['<w:customXml w:element="x"><w:r><w:t>自定义</w:t></w:r></w:customXml>'], "自定义"),
        (["前", '<w:ins w:id="1" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>', "后"], "前插入后"),
        (["前", '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>', "后"], "前后"),
        (['<w:moveFrom w:id="3" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom>', "留"], "留"),
        (['<w:moveTo w:id="4" w:author="a"><w:r><w:t>移来</w:t></w:r></w:moveTo>'], "移来"),
        (["第", BEGIN, instr(" PAGE "), SEPARATE, "3", END, "页"], "第3页"),
        (["见", BEGIN, instr(" REF _Ref1 \\h "), END, "。"], "见。"),  # a field with no result shows nothing
        (  # a field nested in the instruction of another: only the outer result is shown
            [
                BEGIN,
                instr("IF "),
                BEGIN,
                instr("MERGEFIELD 县"),
                SEPARATE,
                "内层",
                END,
                instr(' = "新野" "是" "否"'),
                SEPARATE,
                "是",
                END,
            ],
            "是",
        ),
        (["甲&amp;乙", "&#x4E19;&lt;丁&gt;", "戊"], "甲&乙丙<丁>戊"),
        (["<w:r><w:t>一</w:t><w:tab/><w:t>二</w:t><w:br/><w:t>三</w:t><w:cr/><w:t>四</w:t></w:r>"], "一\t二 三 四"),
        (
            ['<w:r><w:t>五</w:t><w:noBreakHyphen/><w:t>六</w:t><w:br w:type="page"/><w:t>七</w:t><w:ptab/></w:r>'],
            "五-六七\t",
        ),
        (['<w:r><w:sym w:font="Wingdings" w:char="F0A8"/><w:t>同意</w:t></w:r>'], "\uf0a8同意"),
        (['<w:r><w:t xml:space="preserve">一行\n二行</w:t></w:r>'], "一行 二行"),
        (  # ruby: the base text, not the phonetic guide over it
            [
                "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>xīn</w:t></w:r></w:rt>"
                "<w:rubyBase><w:r><w:t>新</w:t></w:r></w:rubyBase></w:ruby></w:r>"
            ],
            "新",
        ),
        (  # tab stops and tracked property changes are properties, not text
            [
                '<w:pPr><w:tabs><w:tab w:val="left" w:pos="840"/></w:tabs><w:rPr><w:ins w:id="5" w:author="a"/></w:rPr></w:pPr>',
                "<w:r><w:rPr><w:b/></w:rPr><w:t>正文</w:t></w:r>",
                '<w:commentRangeStart w:id="0"/>',
                '<w:r><w:commentReference w:id="0"/></w:r>',
                '<w:bookmarkStart w:id="0" w:name="a"/><w:proofErr w:type="spellStart"/>',
            ],
            "正文",
        ),
    ],
)
def test_paragraph_text(tmp_path, runs, expected):
    assert lines(tmp_path, p(*runs)) == [expected]


def test_a_stray_field_begin_hides_only_the_rest_of_its_paragraph(tmp_path):
    assert lines(tmp_path, p("看得见", BEGIN, "看不见") + p("下一段")) == ["看得见", "下一段"]


def test_a_field_result_may_span_paragraphs(tmp_path):
    body = p(BEGIN, instr(" TOC \\o "), SEPARATE, "第一章") + p("第二章", END) + p("正文")
    assert lines(tmp_path, body) == ["第一章", "第二章", "正文"]


# ---------------------------------------------------------------- reading order: tables, text boxes, controls


def cell(*paragraphs: str) -> str:
    return '<w:tc><w:tcPr><w:tcW w:w="100"/></w:tcPr>' + "".join(paragraphs) + "</w:tc>"


def table(*rows: list[str]) -> str:
    grid = '<w:tblPr><w:tblW w:w="0"/></w:tblPr><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid>'
    return "<w:tbl>" + grid + "".join("<w:tr><w:trPr/>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"


def test_tables_are_read_where_they_stand_nested_ones_in_their_cell(tmp_path):
    inner = table([cell(p("内甲")), cell(p("内乙"))])
    body = (
        p("表前")
        + table(
            [cell(p("一行一列")), cell(p("一行二列"), inner, p("一行二列尾"))],
            [cell(p("二行"), p("二行第二段")), cell(p())],
        )
        + p("表后")
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    )
    path = docx_file(tmp_path / "t.docx", body)
    assert [(line.text, line.place) for line in read_docx(path)] == [
        ("表前", "正文"),
        ("一行一列", "表格"),
        ("一行二列", "表格"),
        ("内甲", "表格"),
        ("内乙", "表格"),
        ("一行二列尾", "表格"),
        ("二行", "表格"),
        ("二行第二段", "表格"),
        ("", "表格"),
        ("表后", "正文"),
    ]


def text_box(*paragraphs: str) -> str:
    """A text box as Word 2010+ writes it: the DrawingML shape in mc:Choice, the same box in VML in mc:Fallback."""
    content = "<w:txbxContent>" + "".join(paragraphs) + "</w:txbxContent>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_a_text_box_is_read_once_right_after_its_anchoring_paragraph(tmp_path):
    body = p("前一段") + p("锚", text_box(p("框内一"), p("框内二")), "段尾") + p("后一段")
    path = docx_file(tmp_path / "t.docx", body)
    assert [(line.text, line.place) for line in read_docx(path)] == [
        ("前一段", "正文"),
        ("锚段尾", "正文"),
        ("框内一", "文本框"),
        ("框内二", "文本框"),
        ("后一段", "正文"),
    ]


def test_text_boxes_in_a_table_cell_and_in_a_text_box(tmp_path):
    nested = text_box(p("外框", text_box(p("内框"))), p("外框二"))
    body = table([cell(p("格", text_box(p("格中框"))), p("格二"))]) + p("段", nested)
    assert lines(tmp_path, body) == ["格", "格中框", "格二", "段", "外框", "内框", "外框二"]


def test_only_the_fallback_branch_is_read_when_it_is_the_only_one(tmp_path):
    fallback = (
        "<w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        + p("旧式文本框")
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    assert lines(tmp_path, p("锚", fallback)) == ["锚", "旧式文本框"]


def test_block_content_controls_and_custom_xml_hold_paragraphs(tmp_path):
    body = (
        p("一")
        + '<w:sdt><w:sdtPr><w:tag w:val="x"/></w:sdtPr><w:sdtContent>'
        + p("控件甲")
        + table([cell(p("控件表"))])
        + "</w:sdtContent></w:sdt>"
        + '<w:customXml w:element="y">'
        + p("自定义段")
        + "</w:customXml>"
        + p("二")
    )
    assert lines(tmp_path, body) == ["一", "控件甲", "控件表", "自定义段", "二"]


def test_strict_open_xml_is_read_too(tmp_path):
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    xml = f'<w:document xmlns:w="{strict}"><w:body><w:p><w:r><w:t>严格</w:t></w:r></w:p></w:body></w:document>'
    assert read_docx_paragraphs(docx_file(tmp_path / "s.docx", xml=xml)) == ["严格"]


def test_namespace_prefixes_are_not_assumed(tmp_path):
    xml = f'<doc:document xmlns:doc="{W}"><doc:body><doc:p><doc:r><doc:t>前缀</doc:t></doc:r></doc:p></doc:body></doc:document>'
    assert read_docx_paragraphs(docx_file(tmp_path / "n.docx", xml=xml)) == ["前缀"]


# ---------------------------------------------------------------- parts: headers, footers, footnotes


def header(root: str, *paragraphs: str) -> str:
    return f"<w:{root} {NAMESPACES}>" + "".join(paragraphs) + f"</w:{root}>"


def test_headers_footers_and_footnotes_are_parts_of_their_own(tmp_path):
    footnotes = header(
        "footnotes",
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>注一</w:t></w:r></w:p></w:footnote>',
    )
    path = docx_file(
        tmp_path / "t.docx",
        p("正文", '<w:r><w:footnoteReference w:id="1"/></w:r>'),
        **{
            "word/_rels/document.xml.rels": rels(
                ("header", "header10.xml"),
                ("footer", "footer1.xml"),
                ("header", "/word/header2.xml"),
                ("footnotes", "footnotes.xml"),
                ("hyperlink", "https://example.invalid/"),
            ),
            "word/header10.xml": header("hdr", p("页眉十")),
            "word/header2.xml": header("hdr", p("页眉二"), table([cell(p("页眉表"))])),
            "word/footer1.xml": header("ftr", p("— ", BEGIN, instr(" PAGE "), SEPARATE, "1", END, " —")),
            "word/footnotes.xml": footnotes,
        },
    )
    assert read_docx_paragraphs(path) == ["正文"]
    got = read_docx(path, parts=("body", "headers", "footers", "footnotes", "endnotes"))
    assert [(line.text, line.place) for line in got] == [
        ("正文", "正文"),
        ("页眉二", "页眉"),
        ("页眉表", "页眉"),
        ("页眉十", "页眉"),
        ("— 1 —", "页脚"),
        ("注一", "脚注"),
    ]
    assert [line.text for line in read_docx(path, parts=("footers",))] == ["— 1 —"]


def test_the_main_part_is_found_through_the_package_relationships(tmp_path):
    path = docx_file(
        tmp_path / "t.docx",
        p("备用"),
        **{"_rels/.rels": rels(("officeDocument", "/word/main.xml")), "word/main.xml": document(p("主部件"))},
    )
    assert read_docx_paragraphs(path) == ["主部件"]
    with zipfile.ZipFile(path) as archive:  # without package relationships, word/document.xml is the main part
        members = {name: archive.read(name) for name in archive.namelist() if name != "_rels/.rels"}
    bare = tmp_path / "bare.docx"
    with zipfile.ZipFile(bare, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert read_docx_paragraphs(bare) == ["备用"]


# ---------------------------------------------------------------- refused: one line naming the file


def test_wrong_root_element(tmp_path):
    path = docx_file(tmp_path / "root.docx", xml="<foo/>")
    assert (
        refused(path)
        == f"{path}: 不是有效的 Word（.docx）文件：“word/document.xml”的根元素是“foo”，应为 w:document [INPUT-FILE]"
    )
    path = docx_file(tmp_path / "hdr.docx", xml=header("hdr", p("x")))
    assert refused(path).endswith("“word/document.xml”的根元素是“hdr”，应为 w:document [INPUT-FILE]")


def test_no_body(tmp_path):
    path = docx_file(tmp_path / "nobody.docx", xml=f"<w:document {NAMESPACES}><w:background/></w:document>")
    assert (
        refused(path) == f"{path}: 不是有效的 Word（.docx）文件：“word/document.xml”中没有正文（w:body） [INPUT-FILE]"
    )
    outside = f"<w:document {NAMESPACES}>{p('正文外')}</w:document>"  # paragraphs outside w:body are not the body
    assert "没有正文（w:body）" in refused(docx_file(tmp_path / "outside.docx", xml=outside))


def test_malformed_xml_names_the_member_and_position(tmp_path):
    xml = document(p("甲")).replace("</w:t>", "</w:x>")
    path = docx_file(tmp_path / "bad.docx", xml=xml)
    assert refused(path) == (
        f"{path}: 不是有效的 Word（.docx）文件：“word/document.xml”第 {xml.encode().index(b'w:x>') + 1} 字节处 "
        "XML 格式错误（mismatched tag） [INPUT-FILE]"
    )
    truncated = docx_file(tmp_path / "cut.docx", xml=document(p("甲")).split("</w:body>")[0])
    assert "XML 格式错误（no element found）" in refused(truncated)


@pytest.mark.parametrize(
    "declaration",
    [
        "<!DOCTYPE w:document>",
        '<!DOCTYPE w:document [<!ENTITY a "哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_doctype_and_entities_are_refused(tmp_path, declaration):
    xml = '<?xml version="1.0"?>' + declaration + document(p("&amp;")).split("?>", 1)[1]
    path = docx_file(tmp_path / "dtd.docx", xml=xml)
    assert refused(path) == (
        f"{path}: 不是有效的 Word（.docx）文件：“word/document.xml”含文档类型声明（DOCTYPE，可用于实体扩展攻击），未读取 [INPUT-FILE]"
    )


def test_an_undeclared_entity_is_malformed_xml(tmp_path):
    path = docx_file(tmp_path / "ent.docx", p("&nbsp;"))
    assert "XML 格式错误（undefined entity）" in refused(path)


def test_missing_main_part(tmp_path):
    path = docx_file(tmp_path / "empty.docx", **{"word/document.xml": None, "word/other.xml": "<x/>"})
    assert refused(path) == f"{path}: 不是有效的 Word（.docx）文件：缺少正文部分“word/document.xml” [INPUT-FILE]"


def test_xml_nesting_is_bounded(tmp_path):
    deep = "<w:customXml>" * MAX_XML_DEPTH + p("深") + "</w:customXml>" * MAX_XML_DEPTH
    path = docx_file(tmp_path / "deep.docx", deep)
    assert refused(path) == (
        f"{path}: 不是有效的 Word（.docx）文件：“word/document.xml”：XML 嵌套超过 {MAX_XML_DEPTH} 层，未读取 [INPUT-LIMIT]"
    )
    fits = "<w:customXml>" * (MAX_XML_DEPTH - 6) + p("深") + "</w:customXml>" * (MAX_XML_DEPTH - 6)
    assert lines(tmp_path, fits) == ["深"]


# ---------------------------------------------------------------- limits, checked while reading


def test_document_length_is_the_joined_lines(tmp_path):
    path = docx_file(tmp_path / "t.docx", p("一二三") + p() + p("四五"))  # "一二三\n\n四五": 7 characters
    with limits_overridden(max_document_chars=7):
        assert read_docx_paragraphs(path) == ["一二三", "", "四五"]
    with limits_overridden(max_document_chars=6), pytest.raises(CheckerInputError) as info:
        read_docx_paragraphs(path)
    assert info.value.one_line() == f"{path}: 公文过长（超过 6 个字符，上限 6），未检查 [INPUT-LIMIT]"


def test_a_long_paragraph_is_named_by_its_line(tmp_path):
    path = docx_file(tmp_path / "t.docx", p("短") + p("锚", text_box(p("框"), p("长" * 30, "长" * 20))) + p("后"))
    with limits_overridden(max_line_chars=50):
        assert read_docx_paragraphs(path)[3] == "长" * 50
    with limits_overridden(max_line_chars=49), pytest.raises(CheckerInputError) as info:
        read_docx_paragraphs(path)
    assert info.value.one_line() == f"{path}:4: 段落过长（50 个字符，上限 49），未读取此文件 [INPUT-LIMIT]"


def test_read_docx_names_the_source_it_is_given(tmp_path):
    path = docx_file(tmp_path / "t.docx", xml="<foo/>")
    with pytest.raises(CheckerInputError) as info:
        read_docx(path, source="通知.docx")
    assert info.value.one_line().startswith("通知.docx: 不是有效的 Word")


def test_python_docx_is_not_imported_to_read_a_docx(tmp_path):
    import subprocess
    import sys

    path = docx_file(tmp_path / "t.docx", p("正文"))
    code = (
        "import sys; from checker.inputs.decode import read_docx_paragraphs; "
        f"print(read_docx_paragraphs({str(path)!r}), sorted(m for m in sys.modules if m.split('.')[0] == 'docx'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['正文'] []"


@pytest.mark.parametrize(
    "encoding, reason",
    [("GBK", "multi-byte encodings are not supported"), ("UT9-8", "unknown encoding: UT9-8")],
)
def test_an_encoding_expat_cannot_read_is_refused_in_one_line(tmp_path, encoding, reason):
    """expat reads only one-byte encodings and UTF-16: a part declaring GBK was a ValueError traceback."""
    xml = document(p("我县")).replace('encoding="UTF-8"', f'encoding="{encoding}"')
    path = docx_file(tmp_path / "t.docx", xml=xml)
    assert refused(path) == (
        f"{path}: 不是有效的 Word（.docx）文件：“word/document.xml”的 XML 声明了无法读取的字符编码（{reason}；"
        "应为 UTF-8 或 UTF-16），未读取 [INPUT-FILE]"
    )
