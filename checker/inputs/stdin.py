"""Standard input ("-") read as whatever it is: a ledger, a record file, a .docx/.pdf/.ofd, or a text.

Standard input is read once (within `max_file_bytes`) into a private temporary file whose suffix says its
type, so every reader reads it exactly as it reads a file of that type, and `checker subsidy -` on a piped
ledger gives what `checker subsidy ledger.csv` gives.  The type is the suffix of `--stdin-filename` when one is
given (as ruff and pre-commit-style tools pass it; the findings then name that file), otherwise it is told from
the bytes (`sniff_suffix`): zip packages by the part that names them, PDF and the old Word/WPS binaries by their
magic bytes, and text by its first lines — JSON, JSON lines, YAML record lists, a CSV whose header names known
columns — among the types the command takes; any other text is a document.
"""

from __future__ import annotations

import atexit
import io
import json
import shutil
import sys
import tempfile
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.core.values import printable

STDIN_SOURCE = "<stdin>"  # the name of standard input in reports, when --stdin-filename gives none

# the binary kinds told by their first bytes
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc and WPS .wps (a compound file)
# the zip packages told by the part that only they hold (names compared in lower case)
_PACKAGES = ((".docx", "word/document.xml"), (".xlsx", "xl/workbook.xml"), (".ofd", "ofd.xml"))

_YAML_START = lazy_compile(r"(?:---|%YAML)(?:\s|$)")
_YAML_KEY = lazy_compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s|$)")
_YAML_LIST_ITEM = lazy_compile(r"-\s+[A-Za-z_][A-Za-z0-9_]*\s*:(?:\s|$)")
_CSV_HEADER_ROWS = 20  # a header may stand below title rows (a ledger's name, a blank line)


@plain(frozen=True)
class SpooledInput:
    """Standard input as a file: `path` to read, `source` to name it by, `suffix` its type."""

    path: str
    source: str
    suffix: str


def spool_stdin(filename: str | None, accepted: set[str] | frozenset[str]) -> SpooledInput:
    """Standard input read into a private file of the type it is (removed at exit); CheckerInputError when it
    cannot be read or is not of a type the command takes.  A run reads it once (`Context.spooled`)."""
    from checker.inputs.decode import read_stream_limited

    source = filename or STDIN_SOURCE
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise CheckerInputError("标准输入不可读", Location(source), code="INPUT-FILE")
    data = read_stream_limited(stream, source)
    if filename is not None:
        suffix = Path(filename).suffix.lower()
        if suffix not in accepted:
            raise CheckerInputError(unsupported(suffix, accepted), Location(source), "INPUT-FILE")
    else:
        suffix = sniff_suffix(data, accepted, source)
    folder = tempfile.mkdtemp(prefix="checker-stdin-")
    atexit.register(shutil.rmtree, folder, True)
    path = Path(folder) / f"stdin{suffix}"
    path.write_bytes(data)
    return SpooledInput(str(path), source, suffix)


def sniff_suffix(data: bytes, accepted: set[str] | frozenset[str], source: str = STDIN_SOURCE) -> str:
    """The type of `data` as a file suffix, among `accepted`; CheckerInputError for what is none of them."""
    found = _binary_kind(data)
    if found is None:
        found = _text_kind(data, accepted)
    if found not in accepted:
        what = {"": "二进制数据", ".txt": "文本（不是可识别的台账或记录文件）"}.get(found, found)
        raise CheckerInputError(
            f"标准输入的内容是{what}，本命令不检查此类型（本命令检查 {' '.join(sorted(accepted))}；"
            "可用 --stdin-filename 文件名 指明类型）",
            Location(source),
            "INPUT-FILE",
        )
    return found


def _binary_kind(data: bytes) -> str | None:
    """.docx/.xlsx/.ofd/.pdf/.doc by their bytes; "" for other binary data; None for text."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = {name.lower() for name in archive.namelist()}
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return ""
        return next((suffix for suffix, part in _PACKAGES if part in names), "")
    if b"%PDF-" in data[:1024]:
        return ".pdf"
    if data.startswith(_OLE):
        return ".doc"
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: text
        return None
    if b"\x00" in head:
        return ""
    return None


def _text_kind(data: bytes, accepted: set[str] | frozenset[str]) -> str:
    """Records (.json/.jsonl/.yaml/.csv) when the text's first lines say so and the command takes them; else .txt."""
    from checker.inputs.decode import decode_text

    try:
        text = decode_text(data[: 1 << 16], STDIN_SOURCE).text
    except CheckerInputError:
        return ".txt"  # the document reader names what is wrong with it
    lines = [line.strip() for line in text.splitlines()]
    significant = [line for line in lines if line and not line.startswith("#")]
    if not significant:
        return ".txt"
    first = significant[0]
    if first[0] in "[{":
        if ".jsonl" in accepted and first[0] == "{" and _json_line(first) and len(significant) > 1:
            return ".jsonl"
        if ".json" in accepted:
            return ".json"
    if ".yaml" in accepted and _looks_yaml(first):
        return ".yaml"
    if ".csv" in accepted and _csv_header(lines[:_CSV_HEADER_ROWS]):
        return ".csv"
    return ".txt"


def _json_line(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _looks_yaml(first: str) -> bool:
    """A YAML record file: a document start, a record list (`- id: …`), or a known list key (`projects:`)."""
    from checker.records.fields import SCHEMAS

    if _YAML_START.match(first) or _YAML_LIST_ITEM.match(first):
        return True
    key = _YAML_KEY.match(first)
    return key is not None and key.group(1) in {s.list_key for s in SCHEMAS.values() if s.list_key}


def _csv_header(lines: list[str]) -> bool:
    """Whether one of the first lines is a table header, by the table reader's own test (`names_columns`), split
    at one of the delimiters the CSV reader sniffs."""
    import csv

    from checker.inputs.tables import names_columns

    for line in lines:
        for delimiter in (",", "\t", ";"):
            try:
                cells = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:
                continue
            if len(cells) >= 2 and names_columns([cell.strip() for cell in cells]):
                return True
    return False


def not_read(suffix: str, accepted: set[str] | frozenset[str]) -> str:
    """Why a file is not read: a type another command reads (`check` reads them all), or one none reads."""
    from checker.inputs.documents import DOCUMENT_SUFFIXES
    from checker.inputs.formats import RECORD_SUFFIXES

    if suffix in RECORD_SUFFIXES | DOCUMENT_SUFFIXES:
        return f"本命令不检查“{suffix}”文件（本命令检查 {' '.join(sorted(accepted))}；checker check 检查全部类型）"
    return unsupported(suffix, accepted)


def unsupported(suffix: str, accepted: set[str] | frozenset[str]) -> str:
    """The message for a file type the command does not read: what it reads, and the way out for common ones."""
    shown = f"“{printable(suffix)}”" if suffix else "（无扩展名）"
    kinds = " ".join(sorted(accepted))
    advice = ""
    if suffix in (".xls", ".et"):
        advice = "；请在 Excel/WPS 中另存为 .xlsx 或 .csv"
    elif suffix in (".doc", ".wps", ".wpt", ".dot", ".rtf"):
        advice = "；.doc/.wps 需安装 LibreOffice 后检查，或在 WPS/Word 中另存为 .docx"
    elif suffix in (".ceb", ".caj", ".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        advice = "；扫描件或图片需先识别文字（OCR）"
    return f"文件类型{shown}不受支持（本命令检查 {kinds}）{advice}"
