"""The .pdf reader: the lines a reader sees, page by page, and every bad or hostile file refused in one line.

The PDFs are made here: with reportlab's CID font STSong-Light (a CJK font every PDF reader has, no font
file needed), with LibreOffice from a .docx (the realistic case: an embedded TrueType subset, justified
text placed in pieces), or byte by byte (`raw_pdf`) for damaged files and bombs.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from checker.core.errors import CheckerInputError
from checker.core.limits import limits_overridden
from checker.inputs import pdftext
from checker.inputs.pdftext import NO_TEXT, pdf_layout, read_pdf_text, tidy

FONT = "STSong-Light"
MM = 72 / 25.4
A4_HEIGHT = 297 * MM


def cid_pdf(path: Path, pages: list[list[tuple]], footer: list[str] | None = None, by_char: bool = False) -> Path:
    """A4 pages of (left mm, baseline mm from the top, text[, size pt, step pt]) in STSong-Light.

    `footer`: a page number line per page, centred 20 mm above the bottom edge.  `by_char` (or a step): each
    character drawn on its own, `step` points apart (a justified or 分散对齐 line as some producers write it).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    page_canvas = canvas.Canvas(str(path), pagesize=A4)
    for number, lines in enumerate(pages):
        for left, top, text, *rest in lines:
            size = rest[0] if rest else 16
            step = rest[1] if len(rest) > 1 else (size if by_char else None)
            page_canvas.setFont(FONT, size)
            y = A4_HEIGHT - top * MM
            if step is None:
                page_canvas.drawString(left * MM, y, text)
            else:
                for i, char in enumerate(text):
                    page_canvas.drawString(left * MM + i * step, y, char)
        if footer:
            page_canvas.setFont(FONT, 14)
            page_canvas.drawCentredString(A4[0] / 2, 20 * MM, footer[number])
        page_canvas.showPage()
    page_canvas.save()
    return path


def read(path: Path) -> list[tuple[str, str]]:
    texts, places = read_pdf_text(str(path), str(path))
    return list(zip(places, texts))


def refused(path: Path) -> CheckerInputError:
    with pytest.raises(CheckerInputError) as caught:
        read_pdf_text(str(path), "t.pdf")
    return caught.value


# ---------------------------------------------------------------- PDFs byte by byte

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def raw_pdf(path: Path, objects: dict[int, bytes]) -> Path:
    """A PDF of the numbered objects (1 is the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    path.write_bytes(out.getvalue())
    return path


def one_page(content: bytes, kids: bytes = b"[3 0 R]", count: int = 1, catalog: bytes = b"") -> dict[int, bytes]:
    """Objects of a document whose page(s) 3 draw stream object 4 in Helvetica (object 5)."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog,
        2: b"<< /Type /Pages /Kids %s /Count %d >>" % (kids, count),
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        4: content,
        5: HELVETICA,
    }


def zeros_deflated(size: int) -> bytes:
    """A zlib stream of `size` zero bytes (a multiple of 1 MiB) made in milliseconds: after a full flush the
    compressor starts afresh, so one compressed MiB is a block that can be repeated."""
    mib = 1 << 20
    compressor = zlib.compressobj(9)
    first = compressor.compress(bytes(mib)) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(mib)) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()[:-4]
    adler = (size % 65521) << 16 | 1  # Adler-32 of zeros: a stays 1, b counts the bytes
    return first + block * (size // mib - 1) + end + adler.to_bytes(4, "big")


# ---------------------------------------------------------------- lines and places

NOTICE = [
    [
        (80, 37, "新政办〔2022〕34号"),
        (28, 52, "关于开展2022年度装配式建筑补贴申报工作的通知", 18),
        (28, 64, "各乡镇人民政府，县政府各部门："),
        (28, 74, "　　为推动我县装配式建筑发展，经县政府同意，现就"),
        (28, 84, "有关事项通知如下：一、《实施意见》、“先建后补”。"),
    ],
    [
        (120, 37, "新野县人民政府办公室"),
        (125, 47, "2022年5月6日"),
    ],
]


def test_a_cid_font_notice_reads_line_by_line_with_its_places_and_without_its_page_numbers(tmp_path):
    path = cid_pdf(tmp_path / "n.pdf", NOTICE, footer=["— 1 —", "— 2 —"])
    assert read(path) == [
        ("第1页第1行", "新政办〔2022〕34号"),
        ("第1页第2行", "关于开展2022年度装配式建筑补贴申报工作的通知"),
        ("第1页第3行", "各乡镇人民政府，县政府各部门："),
        ("第1页第4行", "　　为推动我县装配式建筑发展，经县政府同意，现就"),
        ("第1页第5行", "有关事项通知如下：一、《实施意见》、“先建后补”。"),
        ("第2页第1行", "新野县人民政府办公室"),
        ("第2页第2行", "2022年5月6日"),
    ]


@pytest.mark.parametrize("number", ["— 1 —", "- 2 -", "1", "第1页", "第 1 页 共 3 页", "共3页 第1页", "1/3", "—1—"])
def test_a_page_number_is_dropped_at_the_top_or_the_bottom_of_a_page_only(tmp_path, number):
    body = [(28, 37, "正文第一行"), (28, 47, number), (28, 57, "正文第三行")]  # in the text: kept
    kept = [("第1页第1行", "正文第一行"), ("第1页第2行", tidy(number)), ("第1页第3行", "正文第三行")]
    assert read(cid_pdf(tmp_path / "top.pdf", [[(90, 15, number, 12), *body]])) == kept
    assert read(cid_pdf(tmp_path / "bottom.pdf", [body], footer=[number])) == kept


def test_a_page_with_only_a_page_number_has_no_lines_and_later_pages_keep_their_numbers(tmp_path):
    path = cid_pdf(tmp_path / "n.pdf", [[(28, 37, "第一页")], [], [(28, 37, "第三页")]], footer=["1", "2", "3"])
    assert read(path) == [("第1页第1行", "第一页"), ("第3页第1行", "第三页")]


def test_characters_placed_one_by_one_make_one_line_and_lose_the_gaps_between_them(tmp_path):
    # reportlab ends every string with a line move: pypdf's own text has one character per line here
    path = cid_pdf(
        tmp_path / "c.pdf",
        [
            [
                (28, 37, "新政办〔2022〕34号", 16, 17),
                (28, 47, "新野县人民政府办公室", 16, 44),  # 分散对齐
                (28, 57, "关于开展2022年度工作的通知", 16, 19),  # letter-spaced title
            ]
        ],
    )
    assert read(path) == [
        ("第1页第1行", "新政办〔2022〕34号"),
        ("第1页第2行", "新野县人民政府办公室"),
        ("第1页第3行", "关于开展2022年度工作的通知"),
    ]


def test_pieces_of_a_line_drawn_out_of_order_are_read_left_to_right_and_latin_words_keep_their_space(tmp_path):
    path = cid_pdf(
        tmp_path / "o.pdf",
        [
            [
                (60, 37, "后半行。"),
                (28, 37, "前半行，"),
                (28, 47, "联系人 Zhang San，电话 0377-6666 8888"),
                (28, 57, "Zhang"),
                (50, 57, "San"),  # a word gap between two pieces: a space
                (28, 67, "ISO"),
                (28 + 3 * 8 / MM, 67, "9001"),  # no gap: none
            ]
        ],
    )
    assert read(path) == [
        ("第1页第1行", "前半行，后半行。"),
        ("第1页第2行", "联系人Zhang San，电话0377-6666 8888"),
        ("第1页第3行", "Zhang San"),
        ("第1页第4行", "ISO9001"),
    ]


def test_a_superscript_stays_on_its_line(tmp_path):
    path = cid_pdf(
        tmp_path / "s.pdf",
        [[(28, 37, "面积100m"), (28 + (32 + 32) / MM, 35, "2", 9), (28 + (32 + 37) / MM, 37, "以上")]],
    )
    assert read(path) == [("第1页第1行", "面积100m2以上")]


def test_a_page_drawn_turned_reads_in_its_text_direction(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "turned.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setPageRotation(90)  # a landscape table on a portrait sheet: the viewer turns it
    page.setFont(FONT, 16)
    for x, text in ((130, "第二行"), (100, "第一行"), (160, "第三行")):
        page.saveState()
        page.translate(x, 100)
        page.rotate(90)
        page.drawString(0, 0, text)
        page.restoreState()
    page.showPage()
    page.save()
    assert read(path) == [("第1页第1行", "第一行"), ("第1页第2行", "第二行"), ("第1页第3行", "第三行")]


@pytest.mark.parametrize(
    ("extracted", "printed"),
    [
        ("2022 年 5 月 6 日", "2022年5月6日"),  # the gap LibreOffice and Word leave between 汉字 and digits
        ("新政办〔2022〕34 号", "新政办〔2022〕34号"),
        ("新 野 县 人 民 政 府", "新野县人民政府"),
        ("关 于 开 展 2 0 2 2 年 度", "关于开展2022年度"),
        ("联 系 方 式 ： 请 登 录", "联系方式：请登录"),
        ("“ 先建后补 ” 、 《 意见 》", "“先建后补”、《意见》"),
        ("Zhang San", "Zhang San"),
        ("ISO 9001 and GB/T 9704", "ISO 9001 and GB/T 9704"),
        ("2 0 2 2", "2 0 2 2"),  # no 汉字 beside: not known to be spaced out
        ("  正文  ", "正文"),
        ("　　正文", "　　正文"),  # a typed ideographic indent is text
    ],
)
def test_tidy_drops_the_spaces_an_extractor_puts_by_chinese_text_only(extracted, printed):
    assert tidy(extracted) == printed


# ---------------------------------------------------------------- a LibreOffice export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
BODY = (
    "为贯彻落实《河南省人民政府办公厅关于大力推进装配式建筑发展的实施意见》（豫政办〔2017〕153号），"
    "进一步推动我县装配式建筑发展，经县政府同意，现就有关事项通知如下，请各单位按照“先建后补、以奖代补”的原则执行。"
)


def _soffice_pdf(tmp_path: Path) -> Path:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: CI must have it to test a real PDF export")
        pytest.skip("LibreOffice (soffice) is not installed")
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(37),
        Mm(35),
        Mm(28),
        Mm(26),
    )
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "WenQuanYi Micro Hei"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Micro Hei")

    def paragraph(text: str, align=None, spacing: int | None = None) -> None:
        run = document.add_paragraph().add_run(text)
        if spacing:  # 字间距 加宽, in twentieths of a point
            element = OxmlElement("w:spacing")
            element.set(qn("w:val"), str(spacing))
            run._r.get_or_add_rPr().append(element)
        if align is not None:
            run._parent.alignment = align

    paragraph("新政办〔2022〕34号", WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("关于开展2022年度补贴申报工作的通知", WD_ALIGN_PARAGRAPH.CENTER, spacing=40)
    paragraph("各乡镇人民政府，县政府各部门：")
    paragraph(BODY, WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph("新野县人民政府办公室", WD_ALIGN_PARAGRAPH.DISTRIBUTE)
    paragraph("2022年5月6日", WD_ALIGN_PARAGRAPH.RIGHT)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    field = footer.add_run()._r
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.text = text
        field.append(element)
    footer.add_run(" —")
    source = tmp_path / "notice.docx"
    document.save(source)
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    target = tmp_path / "notice.pdf"
    if not target.is_file():
        pytest.fail(f"soffice made no PDF (exit {done.returncode}): {done.stderr[-500:]}")
    return target


def test_a_libreoffice_export_of_a_notice_reads_as_it_was_typed(tmp_path):
    lines = read(_soffice_pdf(tmp_path))
    places = [place for place, _ in lines]
    texts = [text for _, text in lines]
    assert places == [f"第1页第{n}行" for n in range(1, len(lines) + 1)]  # one page, its page number dropped
    assert texts[:3] == ["新政办〔2022〕34号", "关于开展2022年度补贴申报工作的通知", "各乡镇人民政府，县政府各部门："]
    assert texts[-2:] == ["新野县人民政府办公室", "2022年5月6日"]
    body = texts[3:-2]
    assert len(body) >= 3  # justified, wrapped: one line per printed line, nothing joined
    assert "".join(body) == BODY
    assert all(" " not in text for text in texts)


# ---------------------------------------------------------------- files refused


def test_a_scan_without_a_text_layer_is_refused_with_what_to_do(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 600, fill=1)  # what a scanned page holds: a picture, no text
    page.showPage()
    page.save()
    error = refused(path)
    assert error.one_line() == f"t.pdf: {NO_TEXT} [INPUT-FILE]"
    assert error.message.startswith("无文字层（扫描件），未检查：")
    assert "OCR" in error.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "不是 PDF 文件（开头没有 %PDF 标记），未检查"),
        ("这是一个文本文件".encode(), "不是 PDF 文件（开头没有 %PDF 标记），未检查"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", None),
    ],
)
def test_what_is_not_a_pdf_or_is_damaged_is_one_line(tmp_path, data, message):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    error = refused(path)
    assert error.code == "INPUT-FILE"
    if message:
        assert error.message == message
    else:
        assert error.message.startswith("不是有效的 PDF 文件，或文件已损坏（")
        assert error.message.endswith("），未检查")


def test_a_truncated_export_is_one_line(tmp_path):
    whole = cid_pdf(tmp_path / "n.pdf", NOTICE).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    error = refused(path)
    assert error.code == "INPUT-FILE"
    assert error.message.startswith("不是有效的 PDF 文件，或文件已损坏（")


def test_a_missing_file_and_a_directory_are_one_line(tmp_path):
    assert refused(tmp_path / "nowhere.pdf").message == "文件不存在"
    (tmp_path / "d.pdf").mkdir()
    assert refused(tmp_path / "d.pdf").message == "是目录，不是文件"


def test_a_repaired_file_is_read_and_pypdf_says_nothing_on_the_terminal(tmp_path, capfd):
    whole = cid_pdf(tmp_path / "n.pdf", NOTICE).read_bytes()
    start = whole.rindex(b"startxref\n") + len(b"startxref\n")
    path = tmp_path / "moved.pdf"
    path.write_bytes(whole[:start] + b"12" + whole[start:])  # the cross-reference table is not where it says
    assert [text for _, text in read(path)][:1] == ["新政办〔2022〕34号"]
    assert capfd.readouterr().err == ""


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=cid_pdf(tmp_path / "plain.pdf", NOTICE))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    return path


def test_a_pdf_that_needs_a_password_is_refused(tmp_path):
    error = refused(_encrypted(tmp_path, "secret"))
    assert error.one_line() == "t.pdf: PDF 已加密，需要密码才能打开，未检查：请提供未加密的文件 [INPUT-FILE]"


def test_a_pdf_that_only_forbids_printing_or_copying_is_read(tmp_path):
    assert read(_encrypted(tmp_path, ""))[0] == ("第1页第1行", "新政办〔2022〕34号")


def test_text_in_a_font_without_a_unicode_map_is_refused_not_checked(tmp_path):
    path = raw_pdf(tmp_path / "u.pdf", one_page(stream(b"BT /F1 12 Tf 72 720 Td (\\001\\002\\003\\004) Tj ET")))
    error = refused(path)
    assert error.one_line() == (
        "t.pdf:1: 第 1 页的文字无法解码（读出 U+0001：字体没有到 Unicode 的映射），未检查："
        "请用 OCR 软件识别，或改查原始的 Word/WPS 文件 [INPUT-FILE]"
    )


# ---------------------------------------------------------------- limits and bombs


@pytest.mark.parametrize("size", [1 << 30, 20 << 20])  # a gigabyte; more than 16 MiB, less than pypdf's own 75 MB
def test_zeros_in_a_content_stream_stop_at_the_stream_limit(tmp_path, size):
    path = raw_pdf(tmp_path / "zeros.pdf", one_page(stream(zeros_deflated(size), b"/Filter /FlateDecode")))
    assert path.stat().st_size < 2 << 20
    error = refused(path)
    assert error.code == "INPUT-LIMIT"
    assert error.message.startswith("第 1 页内容超出读取上限（单个数据流解压后至多 16 MiB、解析至多 200,000 个记号；")
    assert error.message.endswith("），疑似 PDF 炸弹，未检查")


def test_a_chain_of_filters_is_bounded_too(tmp_path):
    data = zeros_deflated(256 << 20)
    for _ in range(2):
        data = zlib.compress(data, 9)
    path = raw_pdf(tmp_path / "chain.pdf", one_page(stream(data, b"/Filter [/FlateDecode /FlateDecode /FlateDecode]")))
    error = refused(path)
    assert error.code == "INPUT-LIMIT"
    assert "疑似 PDF 炸弹" in error.message


def test_a_content_stream_of_too_many_tokens_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdftext, "MAX_STREAM_TOKENS", 1_000)
    content = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b"1 0 0 1 0 0 cm\n" * 200
    error = refused(raw_pdf(tmp_path / "t.pdf", one_page(stream(content))))
    assert error.code == "INPUT-LIMIT"
    assert error.message.startswith("第 1 页内容超出读取上限（单个数据流解压后至多 16 MiB、解析至多 1,000 个记号；")


def test_one_stream_of_drawing_shared_by_many_pages_stops_at_the_token_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(pdftext, "TOKENS_FLOOR", 2_000)
    kids = b"[" + b" ".join([b"3 0 R"] * 50) + b"]"
    content = stream(b"1 0 0 1 0 0 cm\n" * 100)  # 700 tokens a page, no text
    error = refused(raw_pdf(tmp_path / "shared.pdf", one_page(content, kids=kids, count=50)))
    assert error.one_line() == (
        "t.pdf: 第 3 页：全文已读 2,002 个内容记号，文字只有 0 个字符（上限 2,000 个另加每字 16 个），"
        "疑似 PDF 炸弹，未检查 [INPUT-LIMIT]"
    )


def test_a_page_tree_that_loops_is_one_line(tmp_path):
    path = raw_pdf(tmp_path / "loop.pdf", one_page(stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET"), b"[3 0 R 2 0 R]", 2))
    error = refused(path)
    assert error.code == "INPUT-FILE"
    assert error.message.startswith("不是有效的 PDF 文件，或文件已损坏（")


@pytest.mark.parametrize("where", ["catalog", "content"])
def test_objects_nested_a_hundred_thousand_deep_are_one_line(tmp_path, where):
    deep = b"[" * 100_000 + b"]" * 100_000
    content = b"BT /F1 12 Tf 72 720 Td " + (deep + b" (x) TJ" if where == "content" else b"(x) Tj") + b" ET"
    objects = one_page(stream(content), catalog=b"/Deep " + deep if where == "catalog" else b"")
    error = refused(raw_pdf(tmp_path / "deep.pdf", objects))
    assert error.code == "INPUT-FILE"
    assert error.message.startswith("不是有效的 PDF 文件，或文件已损坏（")


def test_the_document_character_limit_stops_reading_at_the_page_that_passes_it(tmp_path, monkeypatch):
    texts = [f"第{n:02}页的正文，共十三个字。" for n in range(1, 11)]  # 14 characters a line
    pages = [[(28, 37, text)] for text in texts]
    path = cid_pdf(tmp_path / "long.pdf", pages)
    read_pages = []
    pieces = pdftext._Document._pieces

    def spy(self, page):
        read_pages.append(self.page)
        return pieces(self, page)

    monkeypatch.setattr(pdftext._Document, "_pieces", spy)
    with limits_overridden(max_document_chars=14 * 3 + 2):  # three lines and their two line breaks
        error = refused(path)
    assert error.one_line() == "t.pdf: 公文过长（超过 44 个字符，上限 44），未检查 [INPUT-LIMIT]"
    assert read_pages == [1, 2, 3, 4]  # the fourth line passes the limit: pages 5 to 10 are never read
    with limits_overridden(max_document_chars=len("\n".join(texts))):
        assert [text for _, text in read(path)] == texts


def test_a_line_longer_than_the_line_limit_names_its_line(tmp_path):
    path = cid_pdf(tmp_path / "l.pdf", [[(28, 37, "短行"), (28, 47, "这一行有十个字符长。")]])
    with limits_overridden(max_line_chars=9):
        error = refused(path)
    assert error.one_line() == "t.pdf:2: 行过长（10 个字符，上限 9），未读取此文件 [INPUT-LIMIT]"


def test_more_pages_than_the_page_limit_are_refused_before_any_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(pdftext, "MAX_PAGES", 2)
    path = cid_pdf(tmp_path / "p.pdf", [[(28, 37, "甲")], [(28, 37, "乙")], [(28, 37, "丙")]])
    assert refused(path).one_line() == "t.pdf: PDF 有 3 页，超过上限 2 页，未检查 [INPUT-LIMIT]"


def test_a_file_over_the_size_limit_is_not_opened(tmp_path):
    path = cid_pdf(tmp_path / "n.pdf", NOTICE)
    with limits_overridden(max_file_bytes=100):
        error = refused(path)
    assert error.code == "INPUT-LIMIT"
    assert error.message.startswith("文件过大（")


# ---------------------------------------------------------------- layout


def test_pdf_layout_measures_the_page_and_the_box_its_text_fills(tmp_path):
    size = 16
    top = 37 + pdftext._TOP * size / MM  # the baseline that puts the characters' tops 37 mm down
    lines = [(28, top, "国" * 28), (28, top + 10, "第二行")]
    path = cid_pdf(tmp_path / "l.pdf", [lines, []], footer=["— 1 —", "— 2 —"])
    layout = pdf_layout(path)
    first, second = layout["pages"]
    assert first == {
        "page": 1,
        "width": 210.0,
        "height": 297.0,
        "text": {
            "left": 28.0,
            "top": 37.0,
            "right": round(28 + 28 * size / MM, 1),
            "bottom": round(top + 10 + (1 - pdftext._TOP) * size / MM, 1),
            "width": round(28 * size / MM, 1),
            "height": round(10 + size / MM, 1),
        },
    }
    assert second == {"page": 2, "width": 210.0, "height": 297.0, "text": None}  # its page number left out


# ---------------------------------------------------------------- through the command line


def test_lint_of_a_county_pdf_saying_wo_shi_reports_the_line_and_its_place(cli, tmp_path):
    pages = [
        [
            (40, 37, "新野县住房和城乡建设局文件", 22),
            (75, 52, "新住建〔2024〕58号"),
            (30, 64, "关于进一步规范转发上级文件工作的通知", 18),
            (28, 76, "各股室、局属各单位："),
            (28, 86, "　　为推动我市装配式建筑发展，现将有关事项通知如下。"),
        ],
        [
            (110, 37, "新野县住房和城乡建设局"),
            (120, 47, "2024年11月25日"),
        ],
    ]
    path = cid_pdf(tmp_path / "notice.pdf", pages, footer=["— 1 —", "— 2 —"])
    result = cli("lint", path, "--format", "json", "--as-of", "2024-12-01")
    assert result.code == 1, result.err
    report = result.json()
    assert report["errors"] == []
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "DOC-ISSUER-SELF"]
    assert finding["message"] == "县级文件自称“我市”"
    assert (finding["line"], finding["column"], finding["place"]) == (5, 6, "第1页第5行")


def test_lint_of_a_text_file_does_not_import_pypdf(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("新野县人民政府办公室\n2024年3月5日\n", encoding="utf-8")
    script = (
        "import sys\nfrom checker.cli import main\n"
        f"main(['lint', {str(path)!r}, '--format', 'json'])\n"
        "sys.stderr.write('PDF READER LOADED' if 'pypdf' in sys.modules else 'NO PDF READER')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.stderr.endswith("NO PDF READER"), done.stderr[-2000:]


def test_a_bomb_in_a_form_xobject_which_pypdf_skips_is_still_refused(tmp_path):
    objects = one_page(stream(b"q /X1 Do Q BT /F1 12 Tf 72 720 Td (Hello) Tj ET"))
    objects[3] = objects[3].replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>")
    form = (
        b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Filter /FlateDecode"
    )
    objects[6] = stream(zeros_deflated(20 << 20), form)
    error = refused(raw_pdf(tmp_path / "form.pdf", objects))
    assert error.code == "INPUT-LIMIT"
    assert error.message.startswith("第 1 页内容超出读取上限（")


def test_a_stamp_set_aslant_is_a_line_of_its_own_and_splits_no_line(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "stamp.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont(FONT, 16)
    page.drawString(28 * MM, A4_HEIGHT - 37 * MM, "第一行正文，较长的一行文字。")
    page.drawString(28 * MM, A4_HEIGHT - 47 * MM, "第二行正文。")
    page.saveState()
    page.translate(60 * MM, A4_HEIGHT - 42 * MM)
    page.rotate(30)
    page.drawString(0, 0, "内部资料")
    page.restoreState()
    page.showPage()
    page.save()
    assert read(path) == [
        ("第1页第1行", "第一行正文，较长的一行文字。"),
        ("第1页第2行", "内部资料"),
        ("第1页第3行", "第二行正文。"),
    ]
