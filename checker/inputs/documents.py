"""Whole-text inputs (.txt/.md/.docx/stdin): one raw record each, of the kind that declares a text field.

Text files are decoded (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK
detected, not assumed); a .docx is read paragraph by paragraph, body first (so line N
of the body is paragraph N), then its headers, footers and notes, each line
knowing where it stands (`places`).  What the text says is found later by the domain that owns the
kind; records of that kind in YAML/JSON files arrive through the record
formats like every other record.

What is read is bounded by `checker.limits` (file size, line length, document
length; .docx packages are checked for zip bombs before any XML is parsed).  A
document with no text, or with control characters (ESC starts terminal escape
sequences), is refused with its position rather than checked or echoed.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

from checker.core.digest import sha256_hex
from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.records.fields import text_kinds
from checker.records.raw import RawRecord

TEXT_SUFFIXES = {".txt", ".md"}
# fixed-layout documents, each read by a module of its own: suffix -> (module, function, origin).  The function
# takes (path, source) and gives (texts, places): one line of text each, and where it stands (第3页第5行).
PAGED_READERS = {
    ".pdf": ("checker.inputs.pdftext", "read_pdf_text", "pdf"),
    ".ofd": ("checker.inputs.ofdtext", "read_ofd_text", "ofd"),
}
# word-processor files of the old binary kinds: converted to .docx by LibreOffice, then read as one
CONVERTED_SUFFIXES = {".doc", ".wps"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | {".docx"} | set(PAGED_READERS) | CONVERTED_SUFFIXES
STDIN = "-"

# C0 controls other than tab, line feed, vertical tab, form feed and carriage return (word processors write
# \v and \f for manual line and page breaks), DEL, and the C1 controls (U+009B is a terminal CSI).
_CONTROL = lazy_compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def read_text_input(path: str) -> tuple[str, str]:
    """(source, text) of a whole-text file or of standard input ("-"), checked as documents are."""
    from checker.inputs.decode import decode_text, read_docx_paragraphs, read_limited_bytes, read_stream_limited

    if path == STDIN:
        source = "<stdin>"
        return source, _checked_text(decode_text(read_stream_limited(sys.stdin.buffer, source), source).text, source)
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return path, _checked_text("\n".join(read_docx_paragraphs(path)), path, docx=True)
    if suffix in PAGED_READERS or suffix in CONVERTED_SUFFIXES:  # a notice as a PDF, an OFD or a .doc
        with ExitStack() as held:
            return path, _text_of(open_document(held, path, path))
    if not Path(path).is_file():
        raise CheckerInputError("文件不存在", Location(path), code="INPUT-FILE")
    return path, _checked_text(decode_text(read_limited_bytes(path, path), path).text, path)


# Parts of a .docx that are there but not checked: the report says so (info) rather than leaving the reader to
# assume a 批注 was looked at.  Headers, footers and notes are read (`DOCX_PARTS`).
_UNREAD_DOCX_PARTS = ((lazy_compile(r"word/comments\d*\.xml"), "批注"),)

# What lint reads of a .docx, in this order: the body (with its tables and text boxes) first, so line N of the
# body is its N-th paragraph whatever else the file holds, then the headers, footers, footnotes and endnotes.
DOCX_PARTS = ("body", "headers", "footers", "footnotes", "endnotes")


def unread_docx_parts(path: str) -> list[str]:
    """What a .docx holds that lint does not check (comments), in a fixed order."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return []
    return [what for pattern, what in _UNREAD_DOCX_PARTS if any(pattern.fullmatch(name) for name in names)]


def place_runs(places: list[str]) -> tuple[tuple[int, str], ...]:
    """(first line, place) for each run of lines in the same place: a 300-page body costs a few entries."""
    runs: list[tuple[int, str]] = []
    last = None
    for number, place in enumerate(places, start=1):
        if place != last:
            runs.append((number, place))
            last = place
    return tuple(runs)


def _text_of(raw: RawRecord) -> str:
    kinds = text_kinds()
    return str(raw.data[kinds[0].text_field])


def open_document(held: ExitStack, path: str, source: str, stdin: bool = False) -> RawRecord:
    """`read_document`, with a .doc/.wps converted first: the .docx LibreOffice made stays in `held` until the
    caller closes it, so the layout checks read it while the record is checked."""
    if Path(path).suffix.lower() in CONVERTED_SUFFIXES:
        from checker.inputs.convert import converted_to_docx

        path = held.enter_context(converted_to_docx(path, source))
    return read_document(path, 1, source, stdin=stdin)


def read_document(path: str, index: int = 1, source: str | None = None, stdin: bool = False) -> RawRecord:
    """One whole-text file as a raw record; bad input raises CheckerInputError.  A .doc/.wps is read through
    `open_document`, which converts it first; standard input is spooled to a file (`checker.inputs.stdin`).

    `source`: the name findings give the file when it is not `path` (standard input spooled to a file, a .doc
    converted); `stdin`: the text came from standard input (never rewritten by --fix).
    """
    from checker.inputs.decode import decode_text, read_limited_bytes

    source = path if source is None else source
    suffix = Path(path).suffix.lower()
    if suffix in CONVERTED_SUFFIXES:
        raise ValueError(f"{suffix} is converted first: read it with open_document")
    if suffix == ".docx":
        document = _docx_document(path, source, index)
    elif suffix in PAGED_READERS:
        from importlib import import_module

        module, function, origin = PAGED_READERS[suffix]
        texts, places = getattr(import_module(module), function)(path, source)
        text = _checked_text("\n".join(texts), source, docx=True, origin=origin)
        document = _document(source, index, text, origin, None, None, place_runs(places), len(texts))
    else:
        data = read_limited_bytes(path, source)
        decoded = decode_text(data, source)
        text = _checked_text(decoded.text, source)
        digest = None if stdin else sha256_hex(data)
        document = _document(source, index, text, "text", decoded.encoding, digest)
    document.attributes["file"], document.attributes["stdin"] = path, stdin
    return document


def _docx_document(path: str, source: str, index: int) -> RawRecord:
    from checker.inputs.decode import read_docx_text
    from checker.inputs.docxtext import BODY_PLACES

    read = read_docx_text(path, DOCX_PARTS, source)
    text = _checked_text("\n".join(read.texts), source, docx=True)
    body = sum(1 for place in read.places if place in BODY_PLACES)
    return _document(source, index, text, "docx", None, None, place_runs(read.places), body)


_EMPTY = {"docx": "Word 文件中没有文字", "pdf": "PDF 中没有文字（无文字层（扫描件））", "ofd": "OFD 文件中没有文字"}


def _checked_text(text: str, source: str, docx: bool = False, origin: str = "docx") -> str:
    """The document's text if it is within the limits, not empty, and free of control characters.

    `docx`: the lines are paragraphs of a laid-out document (.docx, .pdf, .ofd, as `origin` says)."""
    from checker.core.errors import CheckerInputError, Location
    from checker.core.limits import get_limits
    from checker.inputs.decode import check_line_lengths, long_line_error

    limits = get_limits()
    if len(text) > limits.max_document_chars:
        raise CheckerInputError(
            f"公文过长（{len(text):,} 个字符，上限 {limits.max_document_chars:,}），未检查",
            Location(source),
            code="INPUT-LIMIT",
        )
    if docx:
        for number, paragraph in enumerate(text.split("\n"), start=1):
            if len(paragraph) > limits.max_line_chars:
                raise long_line_error(source, number, len(paragraph), "段落")
    else:
        check_line_lengths(text, source)
    if not text.strip():
        what = _EMPTY[origin] if docx else "文件为空（没有文字）"
        raise CheckerInputError(f"{what}，未检查", Location(source), code="INPUT-FILE")
    match = _CONTROL.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        raise CheckerInputError(
            f"含控制字符 U+{ord(match.group()):04X}（不是正常的文字，可能是终端转义序列或损坏的数据），未检查",
            Location(source, line=line, column=column),
            code="INPUT-FILE",
        )
    return text


def _document(
    source: str,
    index: int,
    text: str,
    origin: str,
    encoding: str | None,
    digest: str | None,
    places: tuple[tuple[int, str], ...] | None = None,
    body_lines: int | None = None,
) -> RawRecord:
    kinds = text_kinds()
    if not kinds:
        raise CheckerInputError("没有可读取整篇文本的记录类型", Location(source), code="INPUT-FILE")
    schema = kinds[0]
    from checker.core.values import printable

    # a file name that is not UTF-8 (a GBK name from an unzipped archive) is the id as shown: \xNN per byte
    name = printable(Path(source).name, 255) if source != "<stdin>" else source
    return RawRecord(
        source,
        schema.kind,
        index,
        None,
        {"id": name, schema.text_field: text},
        attributes={
            "id": name,
            "origin": origin,
            "encoding": encoding,
            "digest": digest,
            "text_line": 1,
            "places": places,
            "body_lines": body_lines,
        },
    )
