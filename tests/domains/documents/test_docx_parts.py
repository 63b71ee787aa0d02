"""Lint reads all of a .docx: the body (tables and text boxes where they stand), then headers, footers and notes.

Every text check runs on every part and a finding says where it stands; the metadata and the checks about the
document's structure (elements, headings, repeated text, layout) read the body only, so a header repeated on
each page is no repetition and a date in a footnote is not the 成文日期.
"""

from __future__ import annotations

import json
import zipfile

from docx import Document

from tests.inputs.test_docxtext import docx_file, header, p, rels, text_box


def notice(path, header_text="我市防汛工作接照部署"):
    document = Document()
    for text in ("新野县人民政府办公室文件", "新政办〔2024〕3号", "关于做好防汛工作的通知", "各乡镇人民政府："):
        document.add_paragraph(text)
    document.add_paragraph("请认真做好防汛工作，接照要求办理。")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "各单位接照执行"
    document.add_paragraph("特此通知。")
    document.add_paragraph("新野县人民政府办公室")
    document.add_paragraph("2024年6月1日")
    section = document.sections[0]
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    section.header.paragraphs[0].text = header_text
    for same in (section.first_page_header, section.even_page_header):  # the same words on every page
        same.paragraphs[0].text = "新野县人民政府办公室"
    section.footer.paragraphs[0].text = "— 1 —"
    document.save(path)
    return path


def findings(cli, path, *extra):
    result = cli("lint", path, "--format", "json", "--ignore", "layout", *extra)
    data = result.json()
    return data, [(f["rule_id"], f["line"], f["column"], f["place"]) for f in data["findings"]]


def test_every_part_is_checked_and_each_finding_says_where_it_stands(cli, tmp_path):
    data, got = findings(cli, notice(tmp_path / "n.docx"))
    # lines 1-9: the body (line 6 is the table's cell); 10-12: the three headers; 13: the footer
    assert got == [
        ("DOC-ISSUER-SELF", 10, 1, "页眉"),
        ("DOC-TYPO", 5, 11, "正文"),
        ("DOC-TYPO", 6, 4, "表格"),
        ("DOC-TYPO", 10, 7, "页眉"),
    ]
    [outcome] = data["documents"]
    assert (outcome["doc_number"], outcome["issuer"], outcome["issue_date"], outcome["issue_date_line"]) == (
        "新政办〔2024〕3号",
        "新野县人民政府办公室",
        "2024年6月1日",
        9,
    )


def test_a_header_repeated_on_every_page_and_a_page_number_footer_are_not_findings(cli, tmp_path):
    path = notice(tmp_path / "n.docx", header_text="新野县人民政府办公室")
    assert findings(cli, path)[1] == [("DOC-TYPO", 5, 11, "正文"), ("DOC-TYPO", 6, 4, "表格")]


def test_the_metadata_is_read_from_the_body_only(cli, tmp_path):
    """A 文号 in a header and a date in a footnote are not the document's own; both are still text."""
    footnotes = header(
        "footnotes",
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:id="1"><w:p><w:r><w:t>2023年1月1日起施行，接照执行</w:t></w:r></w:p></w:footnote>',
    )
    path = docx_file(
        tmp_path / "t.docx",
        p("新野县住房和城乡建设局")
        + p("关于开展检查的通知")
        + p("各股室：")
        + p("现将有关事项通知如下。")
        + p("新野县住房和城乡建设局")
        + p("2024年5月6日"),
        **{
            "word/_rels/document.xml.rels": rels(("header", "header1.xml"), ("footnotes", "footnotes.xml")),
            "word/header1.xml": header("hdr", p("新建〔2023〕9号")),
            "word/footnotes.xml": footnotes,
        },
    )
    data, got = findings(cli, path, "--select", "DOC-TYPO")
    assert got == [("DOC-TYPO", 8, 14, "脚注")]
    [outcome] = data["documents"]
    assert (outcome["doc_number"], outcome["issue_date"], outcome["issue_date_line"]) == (None, "2024年5月6日", 6)


def test_reports_show_the_place(cli, tmp_path):
    path = notice(tmp_path / "n.docx")
    text = cli("lint", path, "--ignore", "layout", "--select", "DOC-ISSUER-SELF").out
    assert f"╭─ {path}:10:1（页眉）" in text
    sarif = json.loads(cli("lint", path, "--format", "sarif", "--select", "DOC-ISSUER-SELF").out)
    [result] = sarif["runs"][0]["results"]
    [location] = result["locations"]
    assert location["message"] == {"text": "页眉"}
    assert location["physicalLocation"]["region"]["startLine"] == 10
    junit = cli("lint", path, "--format", "junit", "--select", "DOC-ISSUER-SELF").out
    assert f"位置 {path}:10:1（页眉，n.docx）" in junit


def test_a_header_finding_is_a_comment_on_the_first_paragraph_that_says_where(cli, tmp_path):
    path = notice(tmp_path / "n.docx")
    out = tmp_path / "out.docx"
    assert cli("lint", path, "--ignore", "layout", "--select", "DOC-ISSUER-SELF", "--annotate", out).code == 1
    with zipfile.ZipFile(out) as archive:
        comments = archive.read("word/comments.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert "位置：页眉“我市防汛工作接照部署”" in comments
    start = body.index("<w:commentRangeStart")
    assert body.rindex("<w:p>", 0, start) == body.index("<w:p>")  # anchored in the first paragraph


def test_a_text_box_line_is_checked_where_it_stands(cli, tmp_path):
    body = (
        p("新野县住房和城乡建设局文件")
        + p("各股室：")
        + p("请做好工作。", text_box(p("我市接照执行")))
        + p("特此通知。")
    )
    path = docx_file(tmp_path / "t.docx", body)
    got = findings(cli, path, "--select", "DOC-TYPO", "--select", "DOC-ISSUER-SELF")[1]
    assert got == [("DOC-ISSUER-SELF", 4, 1, "文本框"), ("DOC-TYPO", 4, 3, "文本框")]
