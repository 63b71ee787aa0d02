""".docx files built to hurt: each is refused with one line after reading about what the limit allows.

The members are deflate streams written by hand (a block repeated, see builders.py), so a member that
inflates to hundreds of MiB costs a few hundred KiB and milliseconds to build; a reader that inflated or
parsed it whole would take minutes and gigabytes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from checker.core.errors import CheckerInputError
from checker.core.limits import MiB, limits_overridden
from checker.inputs import docxtext
from checker.inputs.decode import read_docx_paragraphs
from tests.inputs.test_docxtext import CONTENT_TYPES, document, docx_file, p, rels

from .builders import DOCUMENT_XML, NOTICE_HEAD, NOTICE_TAIL, _deflate, _final_block, write_zip

HEAD, TAIL = document("__BODY__").encode().split(b"__BODY__")


def _member(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)


def hostile_docx(path: Path, block: bytes, mib: int, declared: int | None = None, inside: bytes = b"") -> Path:
    """A .docx whose body is `block` repeated to `mib` MiB (inside the element `inside`, if given).

    `declared`: the size the zip directory states for document.xml (default: the true size).
    """
    assert MiB % len(block) == 0
    head = HEAD + (b"<%s>" % inside if inside else b"")
    tail = (b"</%s>" % inside if inside else b"") + TAIL
    stream = _deflate(head) + _deflate(block * (MiB // len(block))) * mib + _deflate(tail) + _final_block()
    size = len(head) + mib * MiB + len(tail)
    members = [
        ("[Content_Types].xml", *_member(CONTENT_TYPES.encode())),
        ("_rels/.rels", *_member(rels(("officeDocument", "word/document.xml")).encode())),
        (DOCUMENT_XML, stream, size if declared is None else declared, 0),
    ]
    return write_zip(path, members)


@pytest.fixture
def inflated(monkeypatch):
    """Bytes of word/document.xml the reader inflated."""
    counts = {"bytes": 0}
    original = docxtext._Package.chunks

    def counting(self, name):
        for chunk in original(self, name):
            if name == DOCUMENT_XML:
                counts["bytes"] += len(chunk)
            yield chunk

    monkeypatch.setattr(docxtext._Package, "chunks", counting)
    return counts


def refused(path: Path) -> str:
    with pytest.raises(CheckerInputError) as info:
        read_docx_paragraphs(path)
    return info.value.one_line()


# 64 bytes a paragraph: 16 paragraphs of 4 characters in a KiB
PARAGRAPH = b"<w:p><w:r><w:t>" + "认真落实".encode() + b"</w:t></w:r></w:p>" + b" " * 19


def test_a_long_document_is_refused_while_reading_not_after(tmp_path, inflated):
    assert len(PARAGRAPH) == 64
    path = hostile_docx(tmp_path / "long.docx", PARAGRAPH, mib=300)  # 300 MiB of text: 25 million characters
    with limits_overridden(max_zip_ratio=10_000, max_document_chars=10_000):
        assert refused(path) == f"{path}: 公文过长（超过 10,000 个字符，上限 10,000），未检查 [INPUT-LIMIT]"
    assert inflated["bytes"] <= docxtext._OUT_CHUNK  # 10,000 characters are in the first 160 KiB


def test_millions_of_empty_paragraphs_count_as_lines(tmp_path, inflated):
    path = hostile_docx(tmp_path / "empty.docx", b"<w:p/>" * 2 + b"    ", mib=300)
    with limits_overridden(max_zip_ratio=10_000, max_document_chars=20_000):
        assert refused(path) == f"{path}: 公文过长（超过 20,000 个字符，上限 20,000），未检查 [INPUT-LIMIT]"
    assert inflated["bytes"] <= 20_000 * 8 + docxtext._OUT_CHUNK  # 8 bytes a line


def test_one_long_paragraph_is_refused_while_reading(tmp_path, inflated):
    run = b"<w:r><w:t>" + "长".encode() * 14 + b"</w:t></w:r>"  # 64 bytes, 14 characters
    assert len(run) == 64
    path = hostile_docx(tmp_path / "para.docx", run, mib=300, inside=b"w:p")
    # past max_line_chars the paragraph is counted, not kept, until it ends or the document is too long
    with limits_overridden(max_zip_ratio=10_000, max_line_chars=1_000, max_document_chars=100_000):
        assert refused(path) == f"{path}: 公文过长（超过 100,000 个字符，上限 100,000），未检查 [INPUT-LIMIT]"
    assert inflated["bytes"] <= 100_000 // 14 * 64 + docxtext._OUT_CHUNK


def test_a_member_larger_than_it_declares_is_refused(tmp_path, inflated):
    path = hostile_docx(tmp_path / "liar.docx", b" " * 1024, mib=400, declared=64 * 1024)
    assert refused(path) == (
        f"{path}: 压缩包成员“word/document.xml”解压后超过其声明的 64 KiB（大小信息不实），疑似压缩炸弹，未读取 [INPUT-LIMIT]"
    )
    assert inflated["bytes"] <= 64 * 1024


def _declare_compressed(path: Path, name: str, compress_size: int) -> None:
    """Make the zip directory state `compress_size` compressed bytes for member `name`."""
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 20, compress_size)
    path.write_bytes(bytes(data))


def test_a_member_that_inflates_far_more_than_its_compressed_size_says_is_refused(tmp_path, inflated):
    # 400 MiB declared from 8 MiB (50 times: allowed); the stream is 400 KiB, so it really inflates 1,000 times
    path = hostile_docx(tmp_path / "ratio.docx", b" " * 1024, mib=400)
    _declare_compressed(path, DOCUMENT_XML, 8 * MiB)
    message = refused(path)
    assert message.startswith(f"{path}: 压缩包成员“word/document.xml”解压出 1.2 MiB，是已读压缩数据的 ")
    assert message.endswith(" 倍（上限 100 倍），疑似压缩炸弹，未读取 [INPUT-LIMIT]")
    assert inflated["bytes"] <= docxtext.ZIP_RATIO_FLOOR_BYTES + docxtext._OUT_CHUNK


def test_a_damaged_member_is_refused(tmp_path):
    body = document(p("甲")).encode()
    members = [
        ("[Content_Types].xml", *_member(CONTENT_TYPES.encode())),
        ("_rels/.rels", *_member(rels(("officeDocument", "word/document.xml")).encode())),
    ]
    crc = write_zip(tmp_path / "crc.docx", [*members, (DOCUMENT_XML, _member(body)[0], len(body), 12345)])
    assert refused(crc) == (
        f"{crc}: 不是有效的 Word（.docx）文件：压缩包成员“word/document.xml”已损坏（大小或 CRC 校验与声明不符） [INPUT-FILE]"
    )
    stream = _member(body)[0]
    cut = write_zip(tmp_path / "cut.docx", [*members, (DOCUMENT_XML, stream[: len(stream) // 2], len(body), 0)])
    assert refused(cut).endswith("压缩包成员“word/document.xml”的压缩数据不完整 [INPUT-FILE]")
    garbage = write_zip(tmp_path / "garbage.docx", [*members, (DOCUMENT_XML, b"\xff" * 40, len(body), 0)])
    assert refused(garbage).endswith("压缩包成员“word/document.xml”的压缩数据损坏 [INPUT-FILE]")
    honest = write_zip(tmp_path / "honest.docx", [*members, (DOCUMENT_XML, *_member(body))])
    assert read_docx_paragraphs(honest) == ["甲"]


def test_billion_laughs_in_a_docx_is_refused_before_any_expansion(tmp_path):
    from .builders import LAUGHS

    xml = f'<?xml version="1.0"?><!DOCTYPE w:document [{LAUGHS}]>' + document(p("&l9;")).split("?>", 1)[1]
    path = docx_file(tmp_path / "laughs.docx", xml=xml)
    assert refused(path).endswith("含文档类型声明（DOCTYPE，可用于实体扩展攻击），未读取 [INPUT-FILE]")


@pytest.mark.parametrize(
    "xml, fragment",
    [
        ("<foo/>", "“word/document.xml”的根元素是“foo”，应为 w:document [INPUT-FILE]"),
        (
            document(p("甲")).replace("<w:body>", "").replace("</w:body>", ""),
            "“word/document.xml”中没有正文（w:body） [INPUT-FILE]",
        ),
        (document(p("甲"))[:-30], "“word/document.xml”第 584 字节处 XML 格式错误（unclosed token） [INPUT-FILE]"),
    ],
)
def test_lint_reports_a_bad_docx_in_one_line_and_checks_the_rest(cli, tmp_path, xml, fragment):
    bad = docx_file(tmp_path / "bad.docx", xml=xml)
    good = tmp_path / "good.txt"
    good.write_text(NOTICE_HEAD + "结合我市实际。" + NOTICE_TAIL, encoding="utf-8")
    result = cli("lint", bad, good, "--format", "json", "--as-of", "2024-12-01")
    assert result.code == 2
    assert result.err.splitlines() == [f"checker: 输入错误 {bad}: 不是有效的 Word（.docx）文件：{fragment}"]
    doc = result.json()
    assert doc["errors"] == [f"{bad}: 不是有效的 Word（.docx）文件：{fragment}"]
    assert [(f["source"], f["rule_id"]) for f in doc["findings"]] == [
        (str(bad), "INPUT-FILE"),
        (str(good), "DOC-ISSUER-SELF"),  # the good file is still checked
    ]


def test_markup_without_text_is_refused_after_the_floor(tmp_path, inflated):
    """400 MiB of empty runs: no text limit is ever met, so the markup allowance (16 MiB + 256 bytes a
    character) stops it instead of parsing it all (about 40 s)."""
    block = b"<w:r><w:rPr><w:b/></w:rPr></w:r>" + b" " * 32
    assert len(block) == 64
    path = hostile_docx(tmp_path / "markup.docx", block, mib=400, inside=b"w:p")
    with limits_overridden(max_zip_ratio=10_000):
        message = refused(path)
    assert message == (
        f"{path}: “word/document.xml”已读 16.2 MiB 的 XML，其中文字只有 0 个字符"
        "（每个字符至多 256 字节标记，另加 16 MiB），不像正常的 Word 文件，未检查 [INPUT-LIMIT]"
    )
    assert inflated["bytes"] < 18 * MiB
