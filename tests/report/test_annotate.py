"""`--annotate`: findings written back into a copy of the .docx as Word comments on exactly their characters.

What a comment covers is read back with the real reader: each w:commentRangeStart/End is replaced by a w:t of
a private-use marker character and the package read with `read_docx_paragraphs`, so "the text between the
markers" is the text as the linter reads it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from lxml import etree

from checker.inputs.decode import read_docx_paragraphs
from checker.report.annotate import annotate, paragraphs
from tests.conftest import EXAMPLES
from tests.inputs.test_docxtext import NAMESPACES, W

START, END = 0xF0000, 0x100000  # marker characters (supplementary private use): START + id, END + id
AS_OF = "2024-12-10"
# the rules the notice below is written to break (the layout rules, say, have their own findings on any .docx)
SELECT = ("--select", "DOC-TYPO,DOC-NUMBER-LEADING-ZERO,DOC-META-LEVEL")


def run(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def p(*parts: str) -> str:
    return "<w:p>" + "".join(x if x.startswith("<") else run(x) for x in parts) + "</w:p>"


def field(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def instr(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'


def cell(*paragraphs: str) -> str:
    return "<w:tc>" + "".join(paragraphs) + "</w:tc>"


TEXT_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><a:graphic>'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
    "<w:txbxContent>" + p(run("框内一", "<w:b/>")) + p("框内二") + "</w:txbxContent>"
    "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    + p("框内一")
    + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)
# Every construct the reader reads (or leaves out), one paragraph or table each, and the lines it reads.
RICH = [
    (p("标题：住房建设"), ["标题：住房建设"]),
    (
        p(
            "见",
            '<w:hyperlink w:anchor="x"><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>链接文字</w:t></w:r></w:hyperlink>',
        ),
        ["见链接文字"],
    ),
    (
        p(
            "前",
            '<w:ins w:id="1" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>',
            '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>',
            '<w:moveFrom w:id="3" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom>',
            '<w:moveTo w:id="4" w:author="a"><w:r><w:t>移来</w:t></w:r></w:moveTo>',
            "后",
        ),
        ["前插入移来后"],
    ),
    (p("第", '<w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>', "页"), ["第7页"]),
    (
        p(
            "见",
            field("begin"),
            instr(" IF "),
            field("begin"),
            instr(" MERGEFIELD x "),
            field("separate"),
            "内层",
            field("end"),
            field("separate"),
            "结果",
            field("end"),
            "。",
        ),
        ["见结果。"],
    ),
    (
        p(
            "<w:r><w:t>一</w:t><w:tab/><w:t>二</w:t><w:br/><w:t>三</w:t><w:cr/><w:t>四</w:t>"
            '<w:br w:type="page"/><w:t>五</w:t><w:noBreakHyphen/><w:t>六</w:t>'
            '<w:sym w:font="Wingdings" w:char="2605"/><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>'
            "</w:r>"
        ),
        ["一\t二 三 四五-六★\t"],
    ),
    (p("锚", TEXT_BOX, "段"), ["锚段", "框内一", "框内二"]),
    (
        "<w:tbl><w:tblPr/><w:tr>"
        + cell(p("甲"), p("乙", run("丙", "<w:i/>")))
        + cell("<w:tbl><w:tr>" + cell(p("内表")) + "</w:tr></w:tbl>" + p("丁"))
        + "</w:tr></w:tbl>",
        ["甲", "乙丙", "内表", "丁"],
    ),
    (
        p(
            "前",
            "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>xīnyě</w:t></w:r></w:rt>"
            "<w:rubyBase><w:r><w:t>新野</w:t></w:r></w:rubyBase></w:ruby></w:r>",
            "后",
        ),
        ["前新野后"],
    ),
    (
        p(
            '<w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t>新野县</w:t></w:r></w:smartTag>',
            "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>",
            '<w:customXml w:element="x"><w:r><w:t>自定义</w:t></w:r></w:customXml>',
        ),
        ["新野县控件自定义"],
    ),
    ("<w:sdt><w:sdtPr/><w:sdtContent>" + p("块控件") + "</w:sdtContent></w:sdt>", ["块控件"]),
    (p(run("粗体", "<w:b/>"), run("斜体", "<w:i/>")), ["粗体斜体"]),
    ("<w:p/>", [""]),
    (p("前", field("begin"), instr(" PAGE "), "后"), ["前"]),  # a field never ended hides the rest of its paragraph
    (p(" 两  空格 "), [" 两  空格 "]),
    (p("甲&amp;乙&lt;丙&gt;"), ["甲&乙<丙>"]),
]
# (line, start, end) of characters a span cannot be cut inside: ruby's base is covered whole
ATOMIC = {14: [(1, 3)]}


def rich_docx(path: Path, parts: list[tuple[str, list[str]]] = RICH) -> Path:
    """A document python-docx made, its body replaced by `parts`."""
    document = docx.Document()
    body = document.element.body
    section = body.sectPr
    for child in list(body):
        if child is not section:
            body.remove(child)
    parsed = parse_xml(f"<w:body {NAMESPACES}>{''.join(xml for xml, _ in parts)}</w:body>")
    for child in list(parsed):
        section.addprevious(child)
    document.save(str(path))
    return path


def rich_lines() -> list[str]:
    return [line for _, lines in RICH for line in lines]


def covered(path: Path) -> dict[int, tuple[int, int, int]]:
    """comment id -> (line, start, end): the characters between its range markers, as the reader reads them."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    for marker, base in (("commentRangeStart", START), ("commentRangeEnd", END)):
        for element in root.iter(f"{{{W}}}{marker}"):
            t = etree.Element(f"{{{W}}}t")
            t.text = chr(base + int(element.get(f"{{{W}}}id")))
            element.getparent().replace(element, t)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    marked = path.with_name("marked-" + path.name)
    with zipfile.ZipFile(marked, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    starts: dict[int, tuple[int, int]] = {}
    out: dict[int, tuple[int, int, int]] = {}
    for number, text in enumerate(read_docx_paragraphs(marked), start=1):
        position = 0
        for char in text:
            code = ord(char)
            if START <= code < START + 0x10000:
                starts[code - START] = (number, position)
            elif END <= code < END + 0x10000:
                line, start = starts.pop(code - END)
                assert line == number, f"comment {code - END} starts on line {line}, ends on line {number}"
                out[code - END] = (number, start, position)
            else:
                position += 1
    assert starts == {}
    return out


def fake(line: int | None, column: int | None = None, end_column: int | None = None, **extra) -> SimpleNamespace:
    values = {"rule_id": "T-1", "message": "测试", "suggestion": None, "fix": None, "citation": "", "waived": False}
    values.update(extra)
    return SimpleNamespace(line=line, column=column, end_column=end_column, **values)


def comments_by_message(path: Path) -> dict[str, int]:
    """comment text's first line -> comment id."""
    return {c.text.split("\n")[0]: c.comment_id for c in docx.Document(str(path)).comments}


# ---------------------------------------------------------------- the walk is the reader's


def test_the_walk_reads_every_paragraph_as_the_reader_does(tmp_path):
    path = rich_docx(tmp_path / "rich.docx")
    assert read_docx_paragraphs(path) == rich_lines()  # the fixture is what it says
    walked = paragraphs(docx.Document(str(path)).element)
    assert [line.text for line in walked] == rich_lines()
    for line in walked:  # the pieces are the text, in order, with no gap
        assert "".join(piece.text for piece in line.pieces) == line.text
        assert [piece.start for piece in line.pieces] == [
            sum(len(q.text) for q in line.pieces[:i]) for i in range(len(line.pieces))
        ]


def test_the_walk_agrees_with_the_reader_on_the_shipped_example():
    path = EXAMPLES / "documents" / "forwarded-city-copy.docx"
    assert [line.text for line in paragraphs(docx.Document(str(path)).element)] == read_docx_paragraphs(path)


def test_every_span_of_every_paragraph_is_covered_exactly(tmp_path):
    """Hundreds of overlapping comments in one document: each covers exactly its characters (ruby's base whole),
    and the document reads as before."""
    path = rich_docx(tmp_path / "rich.docx")
    lines = rich_lines()
    wanted = {}
    findings = []
    for number, text in enumerate(lines, start=1):
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + 3) + 1):
                a, b = start, end
                for s, e in ATOMIC.get(number, []):
                    a = s if s < a < e else a
                    b = e if s < b < e else b
                wanted[f"[T-1] #{len(findings)}"] = (number, a, b)
                findings.append(fake(number, start + 1, end + 1, message=f"#{len(findings)}"))
    assert len(findings) == 195
    out = tmp_path / "out.docx"
    assert annotate(path, findings, out) == len(findings)
    assert read_docx_paragraphs(out) == lines
    ids = comments_by_message(out)
    got = covered(out)
    assert {message: got[ids[message]] for message in wanted} == wanted


def test_a_finding_without_column_covers_its_paragraph_and_one_without_line_the_first(tmp_path):
    path = rich_docx(tmp_path / "rich.docx")
    out = tmp_path / "out.docx"
    findings = [
        fake(None, message="文件"),
        fake(2, message="第二段"),
        fake(7, message="锚段"),  # the text box in between is its own lines, not this paragraph's text
        fake(9, message="框内二"),
        fake(18, message="空段"),
        fake(3, 2, 2, message="插入点"),  # an empty span: the character at it
        fake(3, 5, None, message="无结束列"),  # no end column: one character
    ]
    assert annotate(path, findings, out) == len(findings)
    ids = comments_by_message(out)
    got = covered(out)
    assert {message: got[ids[f"[T-1] {message}"]] for message in ("文件", "第二段", "锚段", "框内二", "空段")} == {
        "文件": (1, 0, 7),
        "第二段": (2, 0, 5),
        "锚段": (7, 0, 2),
        "框内二": (9, 0, 3),
        "空段": (18, 0, 0),
    }
    assert got[ids["[T-1] 插入点"]] == (3, 1, 2)
    assert got[ids["[T-1] 无结束列"]] == (3, 4, 5)
    assert read_docx_paragraphs(out) == rich_lines()


def test_a_paragraph_whose_columns_shift_is_annotated_whole(tmp_path):
    """A carriage return and line feed in w:t are one space to the reader: columns after it are not the XML's, so
    a finding there covers its whole paragraph, never characters next to its own."""
    path = rich_docx(tmp_path / "crlf.docx", [(p("甲"), ["甲"]), (p("一&#13;&#10;二", "三四"), ["一 二三四"])])
    assert read_docx_paragraphs(path) == ["甲", "一 二三四"]
    out = tmp_path / "out.docx"
    annotate(path, [fake(2, 4, 5)], out)
    assert list(covered(out).values()) == [(2, 0, 5)]


def test_split_runs_keep_their_formatting(tmp_path):
    path = rich_docx(tmp_path / "rich.docx")
    out = tmp_path / "out.docx"
    annotate(path, [fake(17, 2, 4), fake(8, 3, 4)], out)  # "体斜" across a bold and an italic run; "一" of "框内一"
    xml = etree.tostring(docx.Document(str(out)).element, encoding="unicode")
    runs = re.findall(r"<w:r>(?:<w:rPr>((?:<w:[a-zA-Z]+(?: [^>]*)?/>)*)</w:rPr>)?<w:t[^>]*>([^<]*)</w:t></w:r>", xml)
    assert ("<w:b/>", "粗") in runs and ("<w:b/>", "体") in runs
    assert ("<w:i/>", "斜") in runs and ("<w:i/>", "体") in runs
    assert ("<w:b/>", "框内") in runs and ("<w:b/>", "一") in runs
    assert sorted(covered(out).values()) == [(8, 2, 3), (17, 1, 3)]


def test_waived_findings_are_not_written(tmp_path):
    path = rich_docx(tmp_path / "rich.docx")
    out = tmp_path / "out.docx"
    assert annotate(path, [fake(1, 1, 2, waiver={"reason": "x"}, waived=True), fake(1, 2, 3)], out) == 1
    assert [c.text for c in docx.Document(str(out)).comments] == ["[T-1] 测试"]


def test_comment_text_author_and_initials(tmp_path):
    path = rich_docx(tmp_path / "rich.docx")
    out = tmp_path / "out.docx"
    finding = fake(
        1, 1, 3, rule_id="DOC-X", message="“标题”有误", suggestion="题目", fix="改用规范写法", citation="某条例 第一条"
    )
    annotate(path, [finding], out)
    (comment,) = docx.Document(str(out)).comments
    assert (comment.author, comment.initials) == ("checker", "ck")
    assert comment.text == "[DOC-X] “标题”有误\n改为：“题目”\n建议：改用规范写法\n依据：某条例 第一条"


# ---------------------------------------------------------------- the command line, with the real linter


def notice(path: Path) -> Path:
    """A notice with a leading-zero 发文字号, typos in mixed-format runs (one across two runs) and in a table cell."""
    document = docx.Document()
    document.add_paragraph("新野县人民政府办公室")
    document.add_paragraph("新政办〔2024〕012号")
    document.add_paragraph("关于做好住房建设工作的通知")
    paragraph = document.add_paragraph()
    paragraph.add_run("各乡镇人民政府：请接照").bold = True
    paragraph.add_run("要求，于年底前峻").italic = True
    paragraph.add_run("工。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "工程已峻工验收"
    document.add_paragraph("新野县人民政府办公室")
    document.add_paragraph("2024年12月1日")
    document.save(str(path))
    return path


TYPO = "\n改为：“{}”\n建议：改为词表中的正确写法\n依据：党政机关公文处理工作条例 第二十条（四）"


def test_lint_annotate_puts_each_finding_on_its_characters(cli, tmp_path):
    source = notice(tmp_path / "notice.docx")
    before = source.read_bytes()
    out = tmp_path / "批注" / "notice-批注.docx"
    result = cli("lint", source, "--as-of", AS_OF, *SELECT, "--annotate", out, "--format", "json")
    assert result.code == 1  # the leading zero is an error
    assert source.read_bytes() == before
    findings = result.json()["findings"]  # the report is written as usual
    assert result.err == f"checker: 已写入批注 {len(findings)} 条：{out}\n"
    comments = list(docx.Document(str(out)).comments)
    assert [(c.author, c.initials) for c in comments] == [("checker", "ck")] * len(findings)
    lines = read_docx_paragraphs(source)
    got = covered(out)
    spans = {}
    for comment in comments:
        line, start, end = got[comment.comment_id]
        spans[comment.text.split("\n")[0]] = lines[line - 1][start:end], line
    assert spans == {
        "[DOC-NUMBER-LEADING-ZERO] 发文字号“〔2024〕012号”的顺序号编了虚位（1不编为01）": ("〔2024〕012号", 2),
        "[DOC-TYPO] “接照”应为“按照”": ("接照", 4),
        "[DOC-TYPO] “峻工”应为“竣工”": ("峻工", 6),  # the one in the table cell (the other has the same text)
        "[DOC-META-LEVEL] 未能判定发文机关层级，未检查自称与机关名称的层级一致（DOC-ISSUER-SELF、DOC-ISSUER-AGENCY）": (
            "新野县人民政府办公室",
            1,
        ),
    }
    typos = sorted(got[c.comment_id] for c in comments if c.text.startswith("[DOC-TYPO] “峻工”"))
    assert typos == [(4, 18, 20), (6, 3, 5)]  # across an italic and a plain run; in the cell
    assert "[DOC-TYPO] “接照”应为“按照”" + TYPO.format("按照") in [c.text for c in comments]
    for finding in findings:  # each comment is on exactly the finding's span
        if finding["column"] is not None:
            assert (finding["line"], finding["column"] - 1, finding["end_column"] - 1) in got.values()
    fourth = docx.Document(str(out)).paragraphs[3]
    assert [(r.text, r.bold, r.italic) for r in fourth.runs if r.text] == [
        ("各乡镇人民政府：请", True, None),
        ("接照", True, None),
        ("要求，于年底前", None, True),
        ("峻", None, True),
        ("工", None, None),
        ("。", None, None),
    ]
    assert read_docx_paragraphs(out) == lines


def test_check_takes_annotate_too_and_waived_findings_are_left_out(cli, tmp_path):
    source = notice(tmp_path / "notice.docx")
    waivers = tmp_path / "checker-waivers.yaml"
    waiver = {"rule": "DOC-TYPO", "file": "notice.docx", "line": 6, "reason": "照录原文", "approver": "李"}
    waivers.write_text(yaml.safe_dump({"waivers": [{**waiver, "expires": "2030-12-31"}]}, allow_unicode=True))
    out = tmp_path / "out.docx"
    records = EXAMPLES / "documents" / "records.yaml"  # records beside it are checked, not annotated
    result = cli("check", source, records, "--as-of", AS_OF, *SELECT, "--annotate", out, "--waivers", waivers)
    assert result.err == f"checker: 已写入批注 4 条：{out}\n"
    assert sorted(line for line, _, _ in covered(out).values()) == [1, 2, 4, 4]


def test_several_inputs_go_into_a_directory(cli, tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    first, second = notice(tmp_path / "in" / "a.docx"), notice(tmp_path / "in" / "sub" / "b.docx")
    (tmp_path / "in" / "c.txt").write_text("关于某事的通知\n各单位：\n接照要求办理。\n", encoding="utf-8")
    out = tmp_path / "out"  # made when missing
    result = cli("lint", tmp_path / "in", "--as-of", AS_OF, *SELECT, "--annotate", out, "--format", "json")
    assert result.code == 1
    assert result.err == f"checker: 已写入批注 5 条：{out / 'a.docx'}\nchecker: 已写入批注 5 条：{out / 'b.docx'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "b.docx"]
    for copy, original in ((out / "a.docx", first), (out / "b.docx", second)):
        assert len(docx.Document(str(copy)).comments) == 5
        assert read_docx_paragraphs(copy) == read_docx_paragraphs(original)
    sources = {f["source"] for f in result.json()["findings"]}
    assert sources == {
        str(first),
        str(second),
        str(tmp_path / "in" / "c.txt"),
    }  # the text file is linted, not annotated


def test_the_copy_may_not_be_an_input(cli, tmp_path):
    source = notice(tmp_path / "notice.docx")
    before = source.read_bytes()
    result = cli("lint", source, "--as-of", AS_OF, "--annotate", source)
    assert result.code == 2
    assert result.err == (
        f"checker: {source}: 批注文件就是输入文件 {source}，未写入（请换一个输出文件名） [OUTPUT-FILE]\n"
    )
    assert result.out == ""
    result = cli("lint", tmp_path, "--as-of", AS_OF, "--annotate", tmp_path)  # DIR/<name> is the input itself
    assert result.code == 2 and "批注文件就是输入文件" in result.err
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.docx"]  # no temporary left behind


@pytest.mark.parametrize(
    "inputs, message",
    [
        (["x.txt"], "--annotate 只用于 .docx 文件，{tmp}/x.txt 不是（.txt/.md 可用 --fix 直接修改）"),
        (["-"], "--annotate 只用于 .docx 文件，标准输入 不是（.txt/.md 可用 --fix 直接修改）"),
        (["a.docx", "b.docx"], "有 2 个 .docx 输入，--annotate 应为目录（写入 目录/原文件名）"),
        (["r.yaml"], "--annotate 只用于 .docx 文件，输入中没有 .docx"),
    ],
)
def test_annotate_usage_errors(cli, tmp_path, inputs, message):
    (tmp_path / "x.txt").write_text("关于某事的通知\n接照要求。\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text((EXAMPLES / "documents" / "records.yaml").read_text(encoding="utf-8"))
    notice(tmp_path / "a.docx")
    notice(tmp_path / "b.docx")
    paths = [i if i == "-" else tmp_path / i for i in inputs]
    result = cli("lint", *paths, "--as-of", AS_OF, "--annotate", tmp_path / "out.docx")
    assert result.code == 2
    assert result.err == f"checker: 用法错误：{message.format(tmp=tmp_path)}（checker --help 查看用法）\n"
    assert not (tmp_path / "out.docx").exists()


def test_only_commands_that_report_findings_on_docx_take_annotate(cli, tmp_path):
    source = notice(tmp_path / "notice.docx")
    result = cli("subsidy", source, "--annotate", tmp_path / "out.docx")
    assert result.code == 2 and "unrecognized arguments: --annotate" in result.err


def test_a_docx_python_docx_cannot_open_is_an_input_error(cli, tmp_path):
    """Read by the reader (which needs no content types) but not by python-docx: one line, exit 2."""
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", f"<w:document {NAMESPACES}><w:body>{p('接照要求')}</w:body></w:document>")
    result = cli("lint", path, "--as-of", AS_OF, "--annotate", tmp_path / "out.docx", "--format", "json")
    assert result.code == 2
    assert result.err == f"checker: {path}: 无法写入批注：python-docx 无法打开此文件（KeyError） [INPUT-FILE]\n"
    assert result.json()["findings"]  # the report is still written
    assert not (tmp_path / "out.docx").exists()


def test_many_findings_in_one_paragraph_of_many_runs_stay_linear(tmp_path):
    """A paragraph of 30,000 one-character runs with 1,500 findings on it: each span is found by bisection and
    each cut moves only what is before it (a scan of the paragraph per finding took minutes)."""
    path = tmp_path / "runs.docx"
    rich_docx(path, [(p(*["<w:r><w:t>字</w:t></w:r>"] * 30_000), ["字" * 30_000])])
    findings = [fake(1, 20 * i + 1, 20 * i + 3, message=f"#{i}") for i in range(1_500)]
    out = tmp_path / "out.docx"
    assert annotate(path, findings, out) == 1_500
    ids = comments_by_message(out)
    got = covered(out)
    assert [got[ids[f"[T-1] #{i}"]] for i in (0, 777, 1_499)] == [(1, 0, 2), (1, 15_540, 15_542), (1, 29_980, 29_982)]
