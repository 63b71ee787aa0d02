"""Layout checks (GB/T 9704-2012) on .docx files built here with python-docx: a notice laid out per the standard
gives no layout finding, one in Word's default layout gets one per departure, fonts resolve as Word shows them."""

from __future__ import annotations

import json

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from checker.domains import install

TITLE = "新野县住房和城乡建设局关于开展燃气安全专项检查的通知"
LINES = [
    TITLE,
    "各乡镇人民政府，县直有关单位：",
    "为切实做好全县燃气安全工作，现将有关事项通知如下。",
    "一、检查范围",
    "（一）城镇燃气经营企业。全县所有取得经营许可的企业。",
    "1.瓶装液化石油气供应站。",
    "请各单位认真组织实施。",
    "新野县住房和城乡建设局",
    "2024年5月6日",
    "抄送：县应急管理局。",
]


@pytest.fixture(autouse=True, scope="module")
def _installed():
    install()


def _east(element, name: str) -> None:
    """w:rFonts w:eastAsia (python-docx's Font.name sets only the Latin fonts)."""
    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _style_font(style, latin: str | None, east: str | None, size: float | None) -> None:
    if latin:
        style.font.name = latin
    if east:
        _east(style.element, east)
    if size:
        style.font.size = Pt(size)


def _page_field(paragraph, before: str, after: str, size: float, font: str) -> None:
    def run(text: str | None = None, char: str | None = None, instr: str | None = None):
        r = paragraph.add_run(text)
        r.font.size = Pt(size)
        r.font.name = font
        if char:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), char)
            r._r.append(fld)
        if instr:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            r._r.append(it)

    run(before)
    run(char="begin")
    run(instr=" PAGE ")
    run(char="separate")
    run("1")
    run(char="end")
    run(after)


def _grid(section, line_pitch: int, char_space: int) -> None:
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.set(qn("w:charSpace"), str(char_space))
    sect.append(grid)


def conforming(path):
    """A notice laid out per GB/T 9704-2012: fonts by styles and direct formatting, odd/even page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _grid(section, 579, -860)  # 22 lines of 28.95 pt; 15.79 pt per character: 28 in 156 mm
    normal = doc.styles["Normal"]
    _style_font(normal, "Times New Roman", "仿宋_GB2312", 16)
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for number, text in enumerate(LINES, 1):
        p = doc.add_paragraph()
        run = p.add_run(text)
        if number == 1:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            run.font.size = Pt(22)
            _east(run._r, "方正小标宋简体")
        elif number in (2, 8, 9, 10):
            p.paragraph_format.first_line_indent = Pt(0)
            if number == 10:
                run.font.size = Pt(14)
        elif number == 4:
            _east(run._r, "黑体")
        elif number == 5:
            run.text = "（一）城镇燃气经营企业。"
            _east(run._r, "楷体_GB2312")
            p.add_run("全县所有取得经营许可的企业。")
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_field(odd, "— ", " —", 14, "宋体")
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _page_field(even, "— ", " —", 14, "SimSun")
    doc.save(str(path))
    return path


def word_default(path):
    """The same text in python-docx's default template (Letter, 1"/1.25" margins, theme fonts, no page number)."""
    doc = Document()
    for text in LINES:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def _layout_findings(cli, path):
    result = cli("lint", str(path), "--format", "json", "--select", "layout", "--no-config")
    data = json.loads(result.out)
    return [(f["rule_id"], f.get("line"), f["message"]) for f in data["findings"]]


def test_conforming_notice_has_no_layout_finding(cli, tmp_path):
    assert _layout_findings(cli, conforming(tmp_path / "ok.docx")) == []


def test_word_default_layout_gets_a_finding_for_each_departure(cli, tmp_path):
    found = _layout_findings(cli, word_default(tmp_path / "default.docx"))
    expected = [
        (
            "DOC-LAYOUT-MARGIN",
            None,
            "页边距为上 25.4、下 25.4、左 31.7、右 31.7 毫米，应为上 37、下 35、左 28、右 26 毫米（±1 毫米；版心 156 × 225 毫米）",
        ),
        ("DOC-LAYOUT-PAGE-NUMBER", None, "页码未编排：没有页脚，应为页脚中以 PAGE 域编排页码，如“— 1 —”"),
        ("DOC-LAYOUT-PAPER", None, "纸张为 215.9 × 279.4 毫米，应为A4（210 × 297 毫米）"),
        ("DOC-LAYOUT-TITLE", 1, "标题字体为宋体，应为方正小标宋简体"),
        ("DOC-LAYOUT-TITLE", 1, "标题字号为 11 磅，应为二号（22 磅）"),
        ("DOC-LAYOUT-TITLE", 1, "标题左对齐，应为居中"),
        ("DOC-LAYOUT-BODY-FONT", 3, "正文第 1 段字体为宋体，应为仿宋_GB2312"),
        ("DOC-LAYOUT-BODY-FONT", 3, "正文第 1 段字号为 11 磅，应为三号（16 磅）"),
        ("DOC-LAYOUT-BODY-INDENT", 3, "正文第 1 段首行缩进 0 字，应为首行缩进 2 字（左空二字）"),
        ("DOC-LAYOUT-BODY-INDENT", 4, "正文第 2 段首行缩进 0 字，应为首行缩进 2 字（左空二字）"),
        ("DOC-LAYOUT-HEADING-FONT", 4, "一级标题（正文第 2 段）字体为宋体，应为黑体"),
        ("DOC-LAYOUT-HEADING-FONT", 4, "一级标题（正文第 2 段）字号为 11 磅，应为三号（16 磅）"),
        ("DOC-LAYOUT-BODY-FONT", 5, "正文第 3 段字体为宋体，应为仿宋_GB2312"),
        ("DOC-LAYOUT-BODY-FONT", 5, "正文第 3 段字号为 11 磅，应为三号（16 磅）"),
        ("DOC-LAYOUT-BODY-INDENT", 5, "正文第 3 段首行缩进 0 字，应为首行缩进 2 字（左空二字）"),
        ("DOC-LAYOUT-HEADING-FONT", 5, "二级标题（正文第 3 段）字体为宋体，应为楷体_GB2312"),
        ("DOC-LAYOUT-HEADING-FONT", 5, "二级标题（正文第 3 段）字号为 11 磅，应为三号（16 磅）"),
        ("DOC-LAYOUT-BODY-INDENT", 6, "正文第 4 段首行缩进 0 字，应为首行缩进 2 字（左空二字）"),
        ("DOC-LAYOUT-HEADING-FONT", 6, "三级标题（正文第 4 段）字体为宋体，应为仿宋_GB2312"),
        ("DOC-LAYOUT-HEADING-FONT", 6, "三级标题（正文第 4 段）字号为 11 磅，应为三号（16 磅）"),
        ("DOC-LAYOUT-BODY-FONT", 7, "正文第 5 段字体为宋体，应为仿宋_GB2312"),
        ("DOC-LAYOUT-BODY-FONT", 7, "正文第 5 段字号为 11 磅，应为三号（16 磅）"),
        ("DOC-LAYOUT-BODY-INDENT", 7, "正文第 5 段首行缩进 0 字，应为首行缩进 2 字（左空二字）"),
        ("DOC-LAYOUT-RECORD", 10, "版记（第 10 段）字体为宋体，应为仿宋_GB2312"),
        ("DOC-LAYOUT-RECORD", 10, "版记（第 10 段）字号为 11 磅，应为四号（14 磅）"),
        ("DOC-LAYOUT-GRID", None, "版心未设置文档网格，正文也不是固定行距，应为每面排 22 行（文档网格或固定值行距）"),
    ]

    def key(finding):  # the report orders by severity first; compare as a set of exact findings
        rule, line, message = finding
        return rule, line or 0, message

    assert sorted(found, key=key) == sorted(expected, key=key) and len(found) == len(expected)


def _read(path):
    from checker.domains.documents.text.docx_layout import read_layout

    return read_layout(str(path), str(path))


def test_conforming_layout_as_read(tmp_path):
    layout = _read(conforming(tmp_path / "ok.docx"))
    (section,) = layout.sections
    assert (round(section.width), round(section.height), round(section.top), round(section.left)) == (210, 297, 37, 28)
    assert round(section.line_pitch, 2) == 28.95 and round(section.char_pitch, 2) == 15.79
    title, _, _, _, heading2 = layout.paragraphs[:5]
    assert (title.runs[0].font, title.runs[0].size, title.align) == ("方正小标宋简体", 22.0, "center")
    assert [(r.font, r.size) for r in heading2.runs] == [("楷体_GB2312", 16.0), ("仿宋_GB2312", 16.0)]
    assert heading2.first_line == 2.0
    assert layout.even_odd
    odd, even = layout.footers["default"], layout.footers["even"]
    assert (odd.before, odd.after, odd.size, odd.font, odd.align) == ("— ", " —", 14.0, "宋体", "right")
    assert (even.font, even.align) == ("SimSun", "left")


def _styled(path, *, chain: bool, defaults: bool, theme_hans: str | None):
    """One paragraph in style Child (basedOn Parent); the font set where the test asks."""
    from docx.enum.style import WD_STYLE_TYPE

    doc = Document()
    parent = doc.styles.add_style("Parent", WD_STYLE_TYPE.PARAGRAPH)
    child = doc.styles.add_style("Child", WD_STYLE_TYPE.PARAGRAPH)
    child.base_style = parent
    if chain:
        _east(parent.element, "楷体")
        parent.font.size = Pt(15)
    styles = doc.styles.element
    rpr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = rpr_default.find(qn("w:rFonts"))
    if defaults:
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]
        fonts.set(qn("w:eastAsia"), "黑体")
    else:
        fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")
    doc.add_paragraph("现将有关事项通知如下。", style="Child")
    doc.save(str(path))
    if theme_hans is not None:
        _replace_in_part(
            path, "word/theme/theme1.xml", 'script="Hans" typeface="宋体"', f'script="Hans" typeface="{theme_hans}"'
        )
    return path


def _replace_in_part(path, name: str, old: str, new: str) -> None:
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info.filename) for info in z.infolist()}
    text = parts[name].decode("utf-8")
    assert old in text
    parts[name] = text.replace(old, new).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in parts.items():
            z.writestr(member, data)


def test_fonts_resolve_through_based_on_chain(tmp_path):
    (para,) = _read(_styled(tmp_path / "a.docx", chain=True, defaults=False, theme_hans=None)).paragraphs
    assert (para.runs[0].font, para.runs[0].size) == ("楷体", 15.0)


def test_fonts_resolve_to_document_defaults(tmp_path):
    (para,) = _read(_styled(tmp_path / "b.docx", chain=False, defaults=True, theme_hans=None)).paragraphs
    assert para.runs[0].font == "黑体"
    assert para.runs[0].size == 11.0  # the template's w:docDefaults w:sz 22 half-points


def test_fonts_resolve_to_theme_east_asian_font(tmp_path):
    (para,) = _read(_styled(tmp_path / "c.docx", chain=False, defaults=False, theme_hans="仿宋")).paragraphs
    assert para.runs[0].font == "仿宋"


def test_text_documents_get_no_layout_observation(cli, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("\n".join(LINES), encoding="utf-8")
    assert _layout_findings(cli, path) == []


def test_damaged_styles_part_is_one_finding_not_a_traceback(cli, tmp_path):
    path = conforming(tmp_path / "bad.docx")
    _replace_in_part(path, "word/styles.xml", "</w:styles>", "")
    result = cli("lint", str(path), "--format", "json", "--select", "layout", "--no-config")
    data = json.loads(result.out)
    assert [(f["rule_id"], f.get("line")) for f in data["findings"]] == [("DOC-LAYOUT-UNREADABLE", None)]
    assert data["findings"][0]["message"].startswith("版式信息无法读取：“word/styles.xml”不是有效的 XML（")


# ---------------------------------------------------------------- a PDF: page sizes, and the text's extent


def _pdf(path, pagesize_mm, lines):
    """A PDF of one page in STSong-Light: (left mm, baseline mm from the top, text) per line, 16 pt."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    mm = 72 / 25.4
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pagesize=(pagesize_mm[0] * mm, pagesize_mm[1] * mm))
    page.setFont("STSong-Light", 16)
    for left, top, text in lines:
        page.drawString(left * mm, (pagesize_mm[1] - top) * mm, text)
    page.showPage()
    page.save()
    return path


NOTICE_LINES = [
    "关于开展检查的通知",
    "各乡镇人民政府：",
    "结合我县实际，现通知如下。",
    "新野县住房和城乡建设局",
    "2024年3月5日",
]


def test_a_pdf_within_the_type_area_has_no_layout_finding(cli, tmp_path):
    path = _pdf(
        tmp_path / "a4.pdf", (210, 297), [(28 + 4 * (i == 2), 45 + 10 * i, t) for i, t in enumerate(NOTICE_LINES)]
    )
    assert _layout_findings(cli, path) == []


def test_a_pdf_on_letter_paper_with_text_near_the_edges_is_measured_from_its_text(cli, tmp_path):
    lines = [(20, 30 + 10 * i, t) for i, t in enumerate(NOTICE_LINES)]
    path = _pdf(tmp_path / "letter.pdf", (215.9, 279.4), lines)
    result = cli("lint", path, "--format", "json", "--as-of", "2024-12-01")
    got = {f["rule_id"]: f["message"] for f in result.json()["findings"] if f["category"] == "layout"}
    severities = {f["rule_id"]: f["severity"] for f in result.json()["findings"] if f["category"] == "layout"}
    assert severities == {"DOC-LAYOUT-PAPER": "warning", "DOC-LAYOUT-PDF-EXTENT": "info"}  # measured: info for now
    assert got == {
        "DOC-LAYOUT-PAPER": "纸张为 215.9 × 279.4 毫米（第 1 页，按 PDF 页面尺寸），应为A4（210 × 297 毫米）",
        "DOC-LAYOUT-PDF-EXTENT": "页边距（按 PDF 中文字的范围测得）文字伸出版心：上边仅 25 毫米（第 1 页）、左边仅 20 毫米（第 1 页），"
        "应为文字在版心内，页边距上 37、下 35、左 28、右 26 毫米（字宽为估计值，伸出 3 毫米以内不报告）",
    }
