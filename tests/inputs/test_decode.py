import pytest

from checker.core.errors import CheckerInputError
from checker.inputs.decode import decode_text, read_docx_paragraphs, read_text_file

NOTICE = "新野县住房和城乡建设局关于进一步规范公文处理工作的通知\r\n各股室：\r\n  请按照要求执行。\r"


def test_gbk_is_detected_not_assumed():
    decoded = decode_text(NOTICE.encode("gbk"), "notice.txt")
    assert decoded.encoding == "gbk"
    assert decoded.had_bom is False
    assert decoded.text == "新野县住房和城乡建设局关于进一步规范公文处理工作的通知\n各股室：\n  请按照要求执行。\n"


def test_gb18030_only_characters():
    decoded = decode_text("𠀀新野县".encode("gb18030"), "a.txt")
    assert (decoded.text, decoded.encoding) == ("𠀀新野县", "gb18030")


def test_utf8_with_and_without_bom():
    with_bom = decode_text(b"\xef\xbb\xbf" + NOTICE.encode("utf-8"), "a.txt")
    assert (with_bom.encoding, with_bom.had_bom) == ("utf-8", True)
    assert with_bom.text.startswith("新野县")  # BOM removed
    plain = decode_text(NOTICE.encode("utf-8"), "a.txt")
    assert (plain.encoding, plain.had_bom) == ("utf-8", False)
    assert plain.text == with_bom.text


def test_utf16_with_bom():
    for codec, name in (("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")):
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        decoded = decode_text(bom + NOTICE.encode(codec), "a.txt")
        assert (decoded.encoding, decoded.had_bom) == (name, True)
        assert "\r" not in decoded.text and decoded.text.startswith("新野县")


def test_text_is_otherwise_unchanged():
    text = "﹝2022﹞\u3000全角空格\t制表符 ＡＢＣ"
    assert decode_text(text.encode("utf-8"), "a.txt").text == text


def test_empty_file_is_empty_text():
    assert decode_text(b"", "a.txt").text == ""


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(128, 256)) * 4,
        b"PK\x03\x04\x14\x00\x06\x00",
    ],
)
def test_binary_data_is_refused_naming_the_file(data):
    with pytest.raises(CheckerInputError) as info:
        decode_text(data, "scan.png")
    assert info.value.message.startswith("不是文本文件")
    assert info.value.one_line().startswith("scan.png: ")
    assert info.value.code == "INPUT-FILE"


def test_read_text_file(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(NOTICE.encode("gbk"))
    assert read_text_file(path).encoding == "gbk"
    with pytest.raises(CheckerInputError) as info:
        read_text_file(tmp_path / "missing.txt")
    assert "missing.txt" in info.value.one_line()


def test_docx_paragraphs_in_body_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("新野县人民政府办公室文件")
    document.add_paragraph("")
    document.add_paragraph("新政办〔2022〕34号")
    p = document.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "单元格甲"
    table.cell(0, 1).text = "单元格乙"
    document.add_paragraph("2022年5月10日")
    path = tmp_path / "notice.docx"
    document.save(path)

    lines = read_docx_paragraphs(path)  # the table's cells where the table stands
    assert lines == [
        "新野县人民政府办公室文件",
        "",
        "新政办〔2022〕34号",
        "第一行 第二行",
        "单元格甲",
        "单元格乙",
        "2022年5月10日",
    ]


def test_not_a_docx_is_refused(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("这不是 Word 文件", encoding="utf-8")
    with pytest.raises(CheckerInputError) as info:
        read_docx_paragraphs(path)
    assert "不是有效的 Word" in info.value.message
    assert info.value.one_line().startswith(str(path))
    with pytest.raises(CheckerInputError):
        read_docx_paragraphs(tmp_path / "missing.docx")
