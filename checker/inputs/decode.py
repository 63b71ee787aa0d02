"""Bytes to text, and .docx to paragraphs.

Encodings are detected, never assumed: a BOM decides; otherwise strict UTF-8,
then strict GB18030 (the superset of GBK that county offices save in);
charset-normalizer is consulted only when neither gives plausible text.
Line endings become "\\n"; nothing else in the text is changed, so positions
refer to what the author wrote.
"""

from __future__ import annotations

import codecs
import os
import stat
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.core.limits import ZIP_RATIO_FLOOR_BYTES, format_bytes, get_limits
from checker.core.plain import plain

if TYPE_CHECKING:
    from checker.inputs.docxtext import DocxLine, DocxText


@plain(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-16-le", "utf-16-be", "gbk", "gb18030", or charset-normalizer's name
    had_bom: bool


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than \t \n \v \f \r, plus DEL: not in real documents.
_BAD_CONTROL = lazy_compile("[\x00-\x08\x0e-\x1f\x7f]")
_PRIVATE_USE = lazy_compile("[\ue000-\uf8ff]")
_NOT_TEXT = "不是文本文件（含二进制内容或无法识别的编码，已尝试 UTF-8、UTF-16、GB18030）"


def _plausible(text: str) -> bool:
    """Text a person wrote: (almost) no control characters, few private-use characters.

    GB18030 maps its user-defined byte areas to the Private Use Area, so binary
    data decoded as GB18030 shows up there; a real document may carry one or
    two 造字 characters, hence a ratio, not zero.
    """
    return _plausible_counts(len(text), len(_BAD_CONTROL.findall(text)), len(_PRIVATE_USE.findall(text)))


def _plausible_counts(chars: int, bad: int, private: int) -> bool:
    """At most 1 % control characters and 1 % private-use characters (the rule of `_plausible`)."""
    n = chars or 1
    return bad * 100 <= n and private * 100 <= n


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_WIDE = lazy_compile("[\u0800-\ufffc\ufffe-\U0010ffff]+")  # characters of 3 and 4 UTF-8 bytes (汉字 among them)
_NON_ASCII = lazy_compile("[^\x00-\x7f]")


def _damaged_utf8(data: bytes, exc: UnicodeDecodeError, source: str) -> CheckerInputError | None:
    """UTF-8 text with a few bad bytes (a half-written or damaged file), not text in another encoding.

    Decoding such a file as GB18030 would "succeed" and turn it into nonsense,
    so it is refused with the line of the first bad byte.  GBK text read as
    UTF-8 fails at nearly every 汉字 (fewer than 1 good wide character per 10
    bad bytes on real documents); damaged UTF-8 is the other way round.
    """
    before = data[: exc.start].decode("utf-8")  # valid: the first error is at exc.start
    line = _normalize_newlines(before).count("\n") + 1
    if exc.end == len(data) and exc.reason == "unexpected end of data" and _NON_ASCII.search(before):
        return CheckerInputError(
            "文件末尾的字符不完整（UTF-8 多字节字符被截断），文件可能未写完",
            Location(source, line=line),
            code="INPUT-FILE",
        )
    replaced = data.decode("utf-8", "replace")
    bad = replaced.count("\ufffd")
    good = sum(map(len, _WIDE.findall(replaced)))  # U+FFFD is outside _WIDE
    if good >= 4 and good >= 4 * bad:
        return CheckerInputError(
            f"UTF-8 编码损坏：有 {bad} 处无效字节（第一处在本行），文件可能未写完或已损坏",
            Location(source, line=line),
            code="INPUT-FILE",
        )
    return None


def decode_text(data: bytes, source: str) -> DecodedText:
    """Decode a text file's bytes; binary or undecodable data raises CheckerInputError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = str(memoryview(data)[len(bom) :], encoding)  # no copy of the bytes without the BOM
            except UnicodeDecodeError:
                raise CheckerInputError(
                    f"文件以 {encoding.upper()} 字节顺序标记开头，但内容无法按该编码解码",
                    Location(source),
                    code="INPUT-FILE",
                ) from None
            if "\x00" in text or not _plausible(text):
                raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE")
            return DecodedText(_normalize_newlines(text), encoding, True)

    if b"\x00" in data:
        raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        damaged = _damaged_utf8(data, exc, source)
        if damaged is not None:
            raise damaged from None
    else:
        if not _plausible(text):
            raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE")
        return DecodedText(_normalize_newlines(text), "utf-8", False)

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible(text):
        try:
            encoding = "gbk" if data.decode("gbk") == text else "gb18030"
        except UnicodeDecodeError:
            encoding = "gb18030"
        return DecodedText(_normalize_newlines(text), encoding, False)

    # Tie-breaker only: neither strict decoder gave plausible text.  charset-normalizer
    # is optional (it is not a declared dependency): without it such data is refused.
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE") from None

    best = from_bytes(data).best()
    if best is not None and best.encoding and best.chaos <= 0.1:
        text = str(best)
        if "\x00" not in text and _plausible(text):
            return DecodedText(_normalize_newlines(text), best.encoding, False)
    raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE")


def read_text_file(path: str | Path) -> DecodedText:
    """Read and decode a text file, naming it in every error (size limit enforced, lines not checked)."""
    source = str(path)
    return decode_text(read_limited_bytes(path, source), source)


# ---------------------------------------------------------------- streamed text

_SCAN_CHUNK = 256 * 1024


@plain(frozen=True, slots=True)
class TextScan:
    """What `scan_text_file` found: the file can be read line by line with `encoding` from byte `start`."""

    encoding: str  # "utf-8" or "gb18030" (GBK text decodes the same with it)
    start: int  # bytes before the text: 3 for a UTF-8 BOM, else 0


class _TextStats:
    """Counts over a text decoded piece by piece: what `_plausible` and `check_line_lengths` would say of the whole."""

    def __init__(self) -> None:
        self.limit = get_limits().max_line_chars
        self.chars = 0
        self.bad = 0
        self.private = 0
        self.nul = False
        self.long = False
        self._run = 0  # characters of the current line so far
        self._cr = False  # the previous piece ended with "\r" (a "\n" starting this one is the same break)

    def feed(self, text: str) -> None:
        if not text:
            return
        self.chars += len(text)
        self.bad += len(_BAD_CONTROL.findall(text))
        self.private += len(_PRIVATE_USE.findall(text))
        self.nul = self.nul or "\x00" in text
        if self._cr and text[0] == "\n":
            text = text[1:]
        self._cr = text[-1:] == "\r"
        if "\r" in text:
            text = _normalize_newlines(text)
        lines = text.split("\n")
        self._run += len(lines[0])
        if len(lines) > 1:
            longest = max(map(len, lines[1:]))
            self.long = self.long or self._run > self.limit or longest > self.limit
            self._run = len(lines[-1])
        self.long = self.long or self._run > self.limit

    @property
    def plausible(self) -> bool:
        return _plausible_counts(self.chars, self.bad, self.private)


def scan_text_file(path: str | Path, source: str) -> TextScan | None:
    """Decide, reading a few hundred KiB at a time, how a record file's text can be streamed.

    A TextScan is returned only when `read_text_file` plus `check_line_lengths` would accept the file and
    give exactly the text that decoding its lines with `encoding` from `start` gives (newlines normalized):
    UTF-8 with or without BOM, or GB18030/GBK, plausible text, every line within `max_line_chars`.
    Anything else -- UTF-16, a charset-normalizer guess, damaged or binary data, a long line, a file that
    grows -- gives None: the caller then reads the file whole, which decodes it or raises the usual error.
    The size limit, a missing file, a directory or device raise CheckerInputError here as there.
    """
    limits = get_limits()
    checked_file_size(path, source)
    try:
        with open(path, "rb") as handle:
            head = handle.read(3)
            if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                return None
            start = len(codecs.BOM_UTF8) if head == codecs.BOM_UTF8 else 0
            handle.seek(start)
            verdict = _scan_utf8(handle, limits.max_file_bytes - start)
            if verdict is not False:
                return TextScan("utf-8", start) if verdict else None
            if start:
                return None  # a UTF-8 BOM and no UTF-8 after it: decode_text names that
            handle.seek(0)
            return TextScan("gb18030", 0) if _scan_gb18030(handle, limits.max_file_bytes) else None
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None


def _chunks(handle: BinaryIO, budget: int) -> Iterator[bytes]:
    """The rest of the file in pieces; OverflowError once more than `budget` bytes come (the file grew)."""
    while True:
        block = handle.read(_SCAN_CHUNK)
        if not block:
            return
        budget -= len(block)
        if budget < 0:
            raise OverflowError
        yield block


def _scan_utf8(handle: BinaryIO, budget: int) -> bool | None:
    """True: valid UTF-8, plausible, short lines.  False: invalid UTF-8 before the end (damaged, or another
    encoding).  None: anything else for decode_text to judge (binary, truncated at the end, long line …)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    stats = _TextStats()
    try:
        for block in _chunks(handle, budget):
            try:
                stats.feed(decoder.decode(block))
            except UnicodeDecodeError:
                return False
            if stats.nul or stats.long:
                return None
        stats.feed(decoder.decode(b"", True))
    except (UnicodeDecodeError, OverflowError):  # cut in the middle of a character at the end; or grown
        return None
    return None if stats.nul or stats.long or not stats.plausible else True


def _scan_gb18030(handle: BinaryIO, budget: int) -> bool:
    """True when decode_text would take the file as GB18030/GBK (the UTF-8 attempt having failed before the end)
    and its lines are short: no NUL byte, not damaged UTF-8 (see `_damaged_utf8`), strict GB18030, plausible."""
    utf8 = codecs.getincrementaldecoder("utf-8")("replace")
    gb18030 = codecs.getincrementaldecoder("gb18030")("strict")
    stats = _TextStats()
    replaced = good = 0
    try:
        for block in _chunks(handle, budget):
            if b"\x00" in block:
                return False
            as_utf8 = utf8.decode(block)
            replaced += as_utf8.count("\ufffd")
            good += sum(map(len, _WIDE.findall(as_utf8)))
            stats.feed(gb18030.decode(block))
            if stats.long:
                return False
        as_utf8 = utf8.decode(b"", True)
        replaced += as_utf8.count("\ufffd")
        stats.feed(gb18030.decode(b"", True))
    except (UnicodeDecodeError, OverflowError):
        return False
    if good >= 4 and good >= 4 * replaced:  # damaged UTF-8: decode_text refuses it, naming the line
        return False
    return not stats.long and stats.plausible


# ---------------------------------------------------------------- limits


def _too_big(size: int, source: str) -> CheckerInputError:
    limit = get_limits().max_file_bytes
    return CheckerInputError(
        f"文件过大（{size:,} 字节，上限 {limit:,} 字节，即 {format_bytes(limit)}），未读取",
        Location(source),
        code="INPUT-LIMIT",
    )


def checked_file_size(path: str | Path, source: str) -> int:
    """Size of a regular file within `max_file_bytes`; anything else raises CheckerInputError.

    Devices and pipes are refused before they are opened (reading a pipe with no
    writer would wait forever).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise CheckerInputError("文件不存在", Location(source), code="INPUT-FILE") from None
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    if stat.S_ISDIR(info.st_mode):
        raise CheckerInputError("是目录，不是文件", Location(source), code="INPUT-FILE")
    if not stat.S_ISREG(info.st_mode):
        raise CheckerInputError("不是普通文件（设备或管道），未读取", Location(source), code="INPUT-FILE")
    if info.st_size > get_limits().max_file_bytes:
        raise _too_big(info.st_size, source)
    return info.st_size


def read_limited_bytes(path: str | Path, source: str) -> bytes:
    """All bytes of a regular file, refusing files above `max_file_bytes` before reading them."""
    size = checked_file_size(path, source)
    limit = get_limits().max_file_bytes
    try:
        with open(path, "rb") as handle:
            # read(n) allocates n bytes up front: ask for the size on disk (+1 to see growth), not the limit
            data = handle.read(min(size, limit) + 1)
            if len(data) > size:  # the file grew meanwhile: read on, never more than the limit + 1
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    if len(data) > limit:
        raise _too_big(len(data), source)
    return data


def read_stream_limited(stream: BinaryIO, source: str) -> bytes:
    """Standard input and the like: at most `max_file_bytes`."""
    limit = get_limits().max_file_bytes
    try:
        data = stream.read(limit + 1)
    except OSError as exc:  # a closed or unreadable standard input
        raise CheckerInputError(f"无法读取：{exc.strerror or exc}", Location(source), code="INPUT-FILE") from None
    if len(data) > limit:
        raise CheckerInputError(
            f"输入过大（超过 {limit:,} 字节，即 {format_bytes(limit)}），未读取", Location(source), code="INPUT-LIMIT"
        )
    return data


def long_line_error(source: str, line: int, length: int | None, what: str = "行") -> CheckerInputError:
    limit = get_limits().max_line_chars
    size = f"{length:,} 个字符" if length is not None else f"超过 {limit:,} 个字符"
    return CheckerInputError(
        f"{what}过长（{size}，上限 {limit:,}），未读取此文件", Location(source, line=line), code="INPUT-LIMIT"
    )


def check_line_lengths(text: str, source: str) -> None:
    """Refuse text (newlines normalized) with a line longer than `max_line_chars`, naming the line."""
    limit = get_limits().max_line_chars
    n = len(text)
    start = 0
    while n - start > limit:
        end = text.find("\n", start, start + limit + 1)
        if end < 0:
            stop = text.find("\n", start)
            length = (n if stop < 0 else stop) - start
            raise long_line_error(source, text.count("\n", 0, start) + 1, length)
        start = end + 1


def _zip_directory(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    """(entries, central-directory bytes) declared by a zip's end record, read before zipfile builds its list."""
    tail_len = min(size, 22 + 0xFFFF)
    handle.seek(size - tail_len)
    tail = handle.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        return None
    entries, cd_size = struct.unpack_from("<HI", tail, pos + 10)
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and pos >= 20 and tail[pos - 20 : pos - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, pos - 20 + 8)
        if offset + 56 <= size:
            handle.seek(offset)
            record = handle.read(56)
            if record[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", record, 32)
    return entries, cd_size


def check_zip_archive(path: str | Path, source: str, invalid: str, invalid_code: str = "INPUT-FORMAT") -> None:
    """Refuse an .xlsx/.docx before any XML is parsed: not a zip, too big, too many members, a zip bomb.

    Only declared sizes are read (the central directory), never the members.
    A header that lies low gains nothing: Python's zipfile stops a member at
    its declared size (openpyxl reads .xlsx members through it, in chunks), and
    the .docx reader (docxtext) inflates in chunks against running caps.
    """
    import zipfile

    limits = get_limits()
    size = checked_file_size(path, source)
    try:
        with open(path, "rb") as handle:
            directory = _zip_directory(handle, size)
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    if directory is None:
        raise CheckerInputError(f"{invalid}（不是 zip 压缩包，或文件不完整）", Location(source), code=invalid_code)
    entries, cd_size = directory
    if entries > limits.max_zip_members or cd_size > limits.max_zip_members * 4096:
        raise CheckerInputError(
            f"压缩包声明有 {entries:,} 个成员（目录 {format_bytes(cd_size)}），超过上限 "
            f"{limits.max_zip_members:,} 个，未读取",
            Location(source),
            code="INPUT-LIMIT",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise CheckerInputError(f"{invalid}（{type(exc).__name__}）", Location(source), code=invalid_code) from None
    from checker.core.values import printable

    total = 0
    for info in members:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR_BYTES and info.file_size > packed * limits.max_zip_ratio:
            ratio = info.file_size // packed
            raise CheckerInputError(
                f"压缩包成员“{printable(info.filename)}”声明解压后 {format_bytes(info.file_size)}，是压缩后的 {ratio:,} 倍"
                f"（上限 {limits.max_zip_ratio:,} 倍），疑似压缩炸弹，未读取",
                Location(source),
                code="INPUT-LIMIT",
            )
    if total > limits.max_unpacked_bytes:
        raise CheckerInputError(
            f"压缩包声明解压后共 {format_bytes(total)}，超过上限 {format_bytes(limits.max_unpacked_bytes)}"
            f"（文件大小上限的 {limits.max_unpacked_factor} 倍），疑似压缩炸弹，未读取",
            Location(source),
            code="INPUT-LIMIT",
        )


def read_docx(path: str | Path, source: str | None = None, parts: Iterable[str] = ("body",)) -> list[DocxLine]:
    """The lines of a .docx, one per paragraph, with where each stands (see `checker.inputs.docxtext`).

    `parts`: "body" (the body with its tables and text boxes, in reading order), "headers", "footers",
    "footnotes", "endnotes"; lines come part by part in that order.  The zip directory is checked first
    (`check_zip_archive`), then every member is read as a stream within the limits.
    """
    return _read_docx(path, source, parts).lines()


def read_docx_paragraphs(path: str | Path) -> list[str]:
    """Body paragraphs of a .docx in reading order: line N of the result is paragraph N.

    Tables are read where they stand and text boxes after their paragraph (see `checker.inputs.docxtext`);
    a line break inside a paragraph is one space, so a paragraph is always one line and columns stay
    character-exact.  Headers, footers and footnotes are not part of it (`read_docx` gives them).
    """
    return _read_docx(path, None, ("body",)).texts


def read_docx_text(path: str | Path, parts: Iterable[str], source: str | None = None) -> DocxText:
    """`read_docx` as two parallel lists (texts, places): what lint reads, with no object per line."""
    return _read_docx(path, source, parts)


def _read_docx(path: str | Path, source: str | None, parts: Iterable[str]) -> DocxText:
    from checker.inputs.docxtext import INVALID, read_package

    source = str(path) if source is None else source
    check_zip_archive(path, source, INVALID, "INPUT-FILE")
    return read_package(path, source, parts, lambda line, length: long_line_error(source, line, length, "段落"))
