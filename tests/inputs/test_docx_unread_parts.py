"""A .docx part that lint does not check (comments) is named in an info finding; headers and footers are read."""

from __future__ import annotations

from docx import Document


def test_comments_present_are_said_to_be_unchecked(cli, tmp_path):
    document = Document()
    paragraph = document.add_paragraph("各乡镇人民政府：")
    document.add_paragraph("请认真做好防汛工作。")
    section = document.sections[0]
    section.header.paragraphs[0].text = "新野县人民政府办公室文件"
    section.footer.paragraphs[0].text = "— 1 —"
    document.add_comment(paragraph.runs, text="请核对", author="王")
    path = tmp_path / "n.docx"
    document.save(path)
    result = cli("lint", path, "--format", "json", "--select", "INPUT-NOT-READ")
    [finding] = result.json()["findings"]
    assert (finding["rule_id"], finding["severity"], finding["line"]) == ("INPUT-NOT-READ", "info", None)
    assert (
        finding["message"] == "文件中的批注未检查（检查正文、表格、文本框、页眉、页脚和脚注尾注；删除的修订不算正文）"
    )


def test_a_docx_with_body_only_gets_no_such_finding(cli, tmp_path):
    document = Document()
    document.add_paragraph("请认真做好防汛工作。")
    path = tmp_path / "n.docx"
    document.save(path)
    assert cli("lint", path, "--format", "json", "--select", "INPUT-NOT-READ").json()["findings"] == []
