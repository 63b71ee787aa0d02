"""Builders of the bad inputs that are not committed: large, binary, archives, special files.

Each generator takes a directory and returns the path it wrote; `GENERATORS`
maps the names used in expected.yaml to them.  Zip bombs are written by hand
(raw deflate blocks repeated), so a member that declares gigabytes costs a few
megabytes and milliseconds to build.
"""

from __future__ import annotations

import os
import random
import struct
import zipfile
import zlib
from pathlib import Path

from checker.core.limits import MiB

AS_OF = "2024-12-01"
HEADER = "编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期"
ROW = "{id},{name},商住,社会投资,25000,35%,2023-06-30"
NOTICE_HEAD = "新野县人民政府办公室文件\n\n新政办〔2024〕5号\n\n关于某事的通知\n\n各乡镇人民政府：\n\n"
NOTICE_TAIL = "\n\n新野县人民政府办公室\n2024年3月5日\n"


def ledger_rows(n: int, prefix: str = "R") -> list[str]:
    return [ROW.format(id=f"{prefix}{i}", name=f"项目{i}") for i in range(1, n + 1)]


# ---------------------------------------------------------------- zip archives written by hand


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _final_block() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.flush(zlib.Z_FINISH)


def padded_member(prefix: bytes, padding_mib: int, suffix: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, uncompressed size, crc) of prefix + padding_mib MiB of spaces + suffix.

    A full flush resets the compressor, so one compressed MiB of spaces is a
    block that can be repeated: the stream is valid and inflates to the size
    declared.  The CRC is only computed for small paddings (no reader gets to
    the end of a bomb); for big ones it is 0.
    """
    block = _deflate(b" " * MiB)
    stream = _deflate(prefix) + block * padding_mib + _deflate(suffix) + _final_block()
    size = len(prefix) + padding_mib * MiB + len(suffix)
    crc = 0
    if padding_mib <= 8:
        crc = zlib.crc32(prefix)
        for _ in range(padding_mib):
            crc = zlib.crc32(b" " * MiB, crc)
        crc = zlib.crc32(suffix, crc)
    return stream, size, crc


def write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip of (name, raw deflate data, uncompressed size, crc) members (sizes below 4 GiB)."""
    local, central = bytearray(), bytearray()
    for name, data, size, crc in members:
        encoded = name.encode("utf-8")
        offset = len(local)
        local += (
            struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
            + encoded
            + data
        )
        central += (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0x800,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local) + bytes(central) + end)
    return path


def _plain_members(source: Path, replace: str) -> tuple[list[tuple[str, bytes, int, int]], bytes]:
    """Every member of a real package but `replace` (deflated here), and the replaced member's bytes."""
    members, replaced = [], b""
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == replace:
                replaced = data
                continue
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            members.append((info.filename, compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)))
    return members, replaced


SHEET = "xl/worksheets/sheet1.xml"
DOCUMENT_XML = "word/document.xml"


def real_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def ledger_xlsx(path: Path, n: int = 2) -> Path:
    return real_xlsx(path, [HEADER.split(",")] + [row.split(",") for row in ledger_rows(n)])


def bomb_xlsx(directory: Path, padding_mib: int = 2048, name: str = "zip-bomb.xlsx") -> Path:
    """A valid workbook whose sheet XML declares `padding_mib` MiB of whitespace inside <sheetData>."""
    base = ledger_xlsx(directory / f".base-{name}")
    members, sheet = _plain_members(base, SHEET)
    base.unlink()
    head, tail = sheet.split(b"</sheetData>")
    members.append((SHEET, *padded_member(head, padding_mib, b"</sheetData>" + tail)))
    return write_zip(directory / name, members)


def bomb_docx(directory: Path, padding_mib: int = 2048, name: str = "zip-bomb.docx") -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("新政办〔2024〕012号")
    base = directory / f".base-{name}"
    document.save(base)
    members, body = _plain_members(base, DOCUMENT_XML)
    base.unlink()
    head, tail = body.split(b"</w:body>")
    members.append((DOCUMENT_XML, *padded_member(head, padding_mib, b"</w:body>" + tail)))
    return write_zip(directory / name, members)


def _sheet_variant(directory: Path, name: str, change) -> Path:
    base = ledger_xlsx(directory / f".base-{name}", 3)
    members, sheet = _plain_members(base, SHEET)
    base.unlink()
    data = change(sheet)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    members.append((SHEET, compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)))
    return write_zip(directory / name, members)


def _doctype(sheet: bytes, declarations: str) -> bytes:
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    return f'<?xml version="1.0"?><!DOCTYPE worksheet [{declarations}]>'.encode() + body


LAUGHS = '<!ENTITY l0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))


# ---------------------------------------------------------------- generators used by expected.yaml


def gen_deep_json(d: Path) -> Path:
    path = d / "deep-nesting.json"
    path.write_text('{"projects": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return path


def gen_deep_yaml(d: Path) -> Path:
    path = d / "deep-nesting.yaml"
    path.write_text("projects: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return path


def gen_deep_yaml_block(d: Path) -> Path:
    path = d / "deep-nesting-block.yaml"
    path.write_text("projects:\n  " + "- " * 100_000 + "x\n", encoding="utf-8")
    return path


def gen_deep_yaml_65(d: Path) -> Path:
    path = d / "nesting-65.yaml"
    path.write_text("projects:\n  - id: N1\n    name: " + "[" * 63 + "]" * 63 + "\n", encoding="utf-8")
    return path


def gen_deep_jsonl(d: Path) -> Path:
    path = d / "deep-nesting.jsonl"
    path.write_text(
        '{"id": "L1", "name": "好"}\n{"id": "L2", "name": '
        + "[" * 100_000
        + "]" * 100_000
        + '}\n{"id": "L3", "name": "好"}\n',
        encoding="utf-8",
    )
    return path


def gen_zip_bomb_xlsx(d: Path) -> Path:
    return bomb_xlsx(d)


def gen_zip_bomb_docx(d: Path) -> Path:
    return bomb_docx(d)


def gen_small_padded_xlsx(d: Path) -> Path:
    """The bomb builder with a little padding: a valid workbook checker reads (the builder is honest)."""
    return bomb_xlsx(d, padding_mib=1, name="padded.xlsx")


def gen_unpacked_total_xlsx(d: Path) -> Path:
    """Members that inflate moderately, but more in total than max_file_bytes × max_unpacked_factor."""
    rows = [HEADER.split(",")] + [
        [f"R{i}", f"项目{random.Random(i).random():.12f}", "商住", "社会投资", 1000 + i, 30, "2023-06-30"]
        for i in range(1, 3000)
    ]
    return real_xlsx(d / "unpacked-total.xlsx", rows)


def gen_members_xlsx(d: Path) -> Path:
    return ledger_xlsx(d / "many-members.xlsx")


def gen_no_text_docx(d: Path) -> Path:
    from docx import Document

    path = d / "no-text.docx"
    document = Document()
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.save(path)
    return path


def gen_broken_sheet_xlsx(d: Path) -> Path:
    return _sheet_variant(d, "broken-sheet.xlsx", lambda sheet: sheet[: sheet.index(b'<row r="4"') + 30])


def gen_entity_bomb_xlsx(d: Path) -> Path:
    return _sheet_variant(
        d,
        "entity-bomb.xlsx",
        lambda sheet: _doctype(sheet, LAUGHS).replace(
            b'<row r="3"', b'<row r="3"><c r="J3" t="inlineStr"><is><t>&l9;</t></is></c></row><row r="99"'
        ),
    )


def gen_external_entity_xlsx(d: Path) -> Path:
    return _sheet_variant(
        d,
        "external-entity.xlsx",
        lambda sheet: _doctype(sheet, '<!ENTITY secret SYSTEM "file:///etc/passwd">').replace(
            b'<row r="3"', b'<row r="3"><c r="J3" t="inlineStr"><is><t>&secret;</t></is></c></row><row r="99"'
        ),
    )


def gen_long_line_csv(d: Path) -> Path:
    path = d / "long-line.csv"
    rows = ledger_rows(1) + ["L2," + "长" * MiB + ",商住,社会投资,25000,35%,2023-06-30"] + ledger_rows(1, "S")
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def gen_long_cell_csv(d: Path) -> Path:
    path = d / "long-cell.csv"
    rows = ledger_rows(1) + ["L2," + "长" * 200_000 + ",商住,社会投资,25000,35%,2023-06-30"] + ledger_rows(1, "S")
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def gen_megabyte_line_txt(d: Path) -> Path:
    path = d / "megabyte-line.txt"
    body = ("按照要求认真落实有关工作，" * 80_000)[:1_000_000] + "结合我市实际。"
    path.write_text(NOTICE_HEAD + body + NOTICE_TAIL, encoding="utf-8")
    return path


def gen_over_default_size_csv(d: Path) -> Path:
    """A sparse file just over the default 50 MiB: refused from its size, never read."""
    path = d / "too-big.csv"
    with open(path, "wb") as handle:
        handle.write((HEADER + "\n").encode())
        handle.truncate(50 * MiB + 1)
    return path


def gen_small_csv(d: Path) -> Path:
    path = d / "over-small-limit.csv"
    path.write_text("\n".join([HEADER, *ledger_rows(5)]) + "\n", encoding="utf-8")
    return path


def gen_records_csv(d: Path) -> Path:
    return gen_small_csv(d).rename(d / "too-many-records.csv")


def gen_records_yaml(d: Path) -> Path:
    path = d / "too-many-records.yaml"
    path.write_text(
        "projects:\n" + "".join(f"  - id: R{i}\n    name: 项目{i}\n" for i in range(1, 6)), encoding="utf-8"
    )
    return path


def gen_records_jsonl(d: Path) -> Path:
    path = d / "too-many-records.jsonl"
    path.write_text("".join(f'{{"id": "R{i}", "name": "项目{i}"}}\n' for i in range(1, 6)), encoding="utf-8")
    return path


def gen_records_xlsx(d: Path) -> Path:
    return ledger_xlsx(d / "too-many-records.xlsx", 5)


def gen_fifo_csv(d: Path) -> Path:
    path = d / "pipe.csv"
    os.mkfifo(path)
    return path


def gen_random_binary_yaml(d: Path) -> Path:
    path = d / "random.yaml"
    path.write_bytes(random.Random(7).randbytes(4096))
    return path


def gen_random_binary_txt(d: Path) -> Path:
    path = d / "random.txt"
    path.write_bytes(random.Random(8).randbytes(4096))
    return path


def gen_long_document_txt(d: Path) -> Path:
    path = d / "long-document.txt"
    path.write_text(NOTICE_HEAD + "认真落实。\n" * 300 + NOTICE_TAIL, encoding="utf-8")
    return path


def gen_long_line_yaml(d: Path) -> Path:
    path = d / "long-line.yaml"
    path.write_text("projects:\n  - id: Y1\n    name: " + "长" * 200 + "\n", encoding="utf-8")
    return path


def gen_no_styles_xlsx(d: Path) -> Path:
    """A workbook as some other programs write it, a stylesheet without named styles: openpyxl warns
    ("Workbook contains no default style"), checker stays quiet."""
    base = ledger_xlsx(d / ".base-no-styles.xlsx", 2)
    members, _ = _plain_members(base, "xl/styles.xml")
    base.unlink()
    styles = (
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>'
    )
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    members.append(("xl/styles.xml", compressor.compress(styles) + compressor.flush(), len(styles), zlib.crc32(styles)))
    return write_zip(d / "no-styles.xlsx", members)


GENERATORS = {name[4:]: fn for name, fn in globals().items() if name.startswith("gen_")}
