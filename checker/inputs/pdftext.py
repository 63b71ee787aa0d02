"""The text of a .pdf as a reader sees it: one line per printed line, page by page.

Read with pypdf (pure Python, no dependencies of its own; AES-encrypted files also need `cryptography`).
pdfplumber/pdfminer.six read Chinese as well (both were measured on reportlab CID-font and LibreOffice
exports), but pdfminer inflates every stream whole with no limit (a 1 MB file holding 1 GB of zeros is 1 GB
of memory) and pdfplumber adds pypdfium2 and Pillow; pypdf bounds what it inflates and parses
(`pypdf.Configuration`, set per reading below) and was 2–9× faster.

pypdf's own text is not used as it comes: it puts a line break at every text object that ends with a
line move (one character per line for producers that place each character on its own) and a space at every
gap wider than half a space (justified and 分散对齐 lines, letter-spaced titles, the gap LibreOffice and Word
leave between 汉字 and digits: "2022 年 5 月 6 日", "34 号").  So each piece of text pypdf reports is
placed where it is printed (its baseline, through the text and page matrices), pieces whose baselines lie
within half a font size form one line, lines run top to bottom and pieces left to right; the page's main
text direction counts as upright (a landscape page drawn turned reads as well).  In a line:

- a space next to a 汉字 or Chinese punctuation is dropped (an extractor's, not the author's: the PDF
  keeps no difference between a typed space and a gap; Chinese text has no word spaces);
- single digits spaced out next to 汉字 ("2 0 2 2年", a letter-spaced title) are joined;
- spaces between Latin words and digits stay; two pieces that end and start with Latin letters or digits
  get one when the gap between them is wider than a third of an em (widths estimated: 汉字 one em, others
  half).

A line that is only a page number ("— 1 —", "- 2 -", "1", "第1页", "第 1 页 共 3 页", "1/3") is dropped when it is
the first or last line of its page (where a 公文 prints it); lines are numbered within their page without
it ("第2页第5行").  Nothing is joined across lines.

Refused with one line: a file that is not a PDF or is damaged, one that needs a password, pages with no text
at all (a scan: `NO_TEXT`), text that cannot be decoded (a font without a Unicode map gives control or
private-use characters), and anything beyond the limits, all checked while reading, page by page: the file
size (`max_file_bytes`), `MAX_PAGES`, the characters read (`max_document_chars`), one line
(`max_line_chars`), `MAX_PIECES_PER_PAGE`, and for PDF bombs `MAX_STREAM_BYTES` inflated per stream (and
`MAX_DECODING_BYTES` through a chain of filters), `MAX_STREAM_TOKENS` parsed per content stream, and
the tokens of content operators read in the whole file (`TOKENS_FLOOR` plus `TOKENS_PER_CHAR` per character
of text: a page of vector drawing is read, a stream shared by 2,000 pages is not).  pypdf itself refuses page
trees that loop and nesting that overflows.

`pdf_layout` measures the pages and the extent of their text in millimetres (GB/T 9704: A4 210 × 297 mm,
版心 156 × 225 mm, 天头 37 mm, 订口 28 mm); nothing checks it yet.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import MiB, format_bytes, get_limits
from checker.core.values import printable
from checker.inputs.decode import checked_file_size, long_line_error

NO_TEXT = (
    "无文字层（扫描件），未检查：PDF 中只有图像，没有可读取的文字；请先用 OCR 软件识别成文字"
    "（如 WPS“图片转文字”、Adobe Acrobat“扫描和 OCR”），或改查原始的 Word/WPS 文件"
)
INVALID = "不是有效的 PDF 文件，或文件已损坏"

MAX_PAGES = 2_000  # a 公文 has tens of pages; the same bound as .ofd
MAX_PIECES_PER_PAGE = 100_000  # an A4 page at 5 pt holds about 5,000 characters: memory stays bounded
# A page's content stream is 5–50 KB of operators (a page of vector drawing a few MB); fonts' ToUnicode maps
# are smaller.  Images are not decoded to read text.
MAX_STREAM_BYTES = 16 * MiB
MAX_DECODING_BYTES = 4 * MAX_STREAM_BYTES  # all the filters of one stream together ([/FlateDecode /FlateDecode])
MAX_STREAM_TOKENS = 200_000  # pypdf parses about 100,000 tokens a second; a dense text page has 2,000–5,000
# Tokens of content operators (Tj, Td, re, cm … and their operands, in forms too) read in the whole file:
# Word and LibreOffice write about 3 per character of text, a producer that places each character in a text
# object of its own 10–14; a page of vector drawing is read, a stream of drawing shared by 2,000 pages (the
# file stays small) is not.
TOKENS_FLOOR = 500_000
TOKENS_PER_CHAR = 16

_PAGE_NUMBER = re.compile(
    r"[-—–－‒―~～]{0,2}\s*\d{1,4}\s*[-—–－‒―~～]{0,2}"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[，,/／]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
)
# 汉字 and the punctuation set with them: CJK symbols (、。〔〕《》「」 and the ideographic space), full-width
# forms (，：；（）！？), the quotation marks, dash, ellipsis and middle dot Chinese text uses.
_CJK = (
    "\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_SPACES_BY_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+|[ \u00a0]+(?=[{_CJK}])")
# single digits spaced out with a 汉字 on one side and a 汉字 or the line's end on the other
_SPACED_DIGITS = re.compile(rf"(?<=[{_CJK}])\d(?: \d)+(?![^{_CJK}])|(?<![^{_CJK}])\d(?: \d)+(?=[{_CJK}])")
_WIDE = frozenset("WFA")  # east-asian widths a Chinese font draws one em wide
# controls other than tab (a font with no Unicode map gives its glyph numbers), and the private-use area
_UNDECODED = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff]")
_SPACE = " \t\n\r\u00a0"  # what pypdf puts between pieces; not the ideographic space U+3000
_TOP = 0.88  # a Chinese font's em box: 0.88 em above the baseline, 0.12 below
_MM_PER_PT = 25.4 / 72


class _Piece(NamedTuple):
    """A piece of text pypdf reports, where it is printed: page coordinates in points, y growing downwards,
    turned so that the page's main text direction runs left to right."""

    y: float  # baseline
    x: float  # left end
    x_end: float  # right end (estimated from the characters' widths)
    size: float  # font size as printed
    seq: int  # order in the content stream: ties keep it
    text: str
    alone: bool  # set in another direction (a stamp, a sideways label): a line of its own


class _Line(NamedTuple):
    text: str
    pieces: tuple[_Piece, ...]


def read_pdf_text(path: str | Path, source: str) -> tuple[list[str], list[str]]:
    """(texts, places): the lines of a .pdf in reading order and where each stands ("第2页第5行")."""
    texts: list[str] = []
    places: list[str] = []
    with _Document(path, source) as document:
        for number, lines in document.pages():
            for line, text in enumerate(lines, start=1):
                document.emit(text.text, len(texts) + 1)
                texts.append(text.text)
                places.append(f"第{number}页第{line}行")
    if not texts:
        raise CheckerInputError(NO_TEXT, Location(source), code="INPUT-FILE")
    return texts, places


def pdf_layout(path: str | Path) -> dict[str, Any]:
    """Each page's size and the box its text fills, in millimetres from the page's top left corner.

    {"pages": [{"page": 1, "width": 210.0, "height": 297.0, "text": {"left": 28.0, "top": 37.0, "right":
    184.0, "bottom": 262.0, "width": 156.0, "height": 225.0}}, …]}; "text" is None on a page without
    text.  The box is that of the characters' em boxes (widths estimated, see the module), page numbers left
    out; a page is measured in the direction its text reads.  Limits and errors as `read_pdf_text`.
    """
    source = str(path)
    pages = []
    with _Document(path, source) as document:
        for number, lines in document.pages():
            left, top, width, height = document.frame
            box = None
            pieces = [piece for line in lines for piece in line.pieces]
            if pieces:
                edges = (
                    min(p.x for p in pieces) - left,
                    min(p.y - _TOP * p.size for p in pieces) - top,
                    max(p.x_end for p in pieces) - left,
                    max(p.y + (1 - _TOP) * p.size for p in pieces) - top,
                )
                x0, y0, x1, y1 = (round(value * _MM_PER_PT, 1) for value in edges)
                box = {"left": x0, "top": y0, "right": x1, "bottom": y1, "width": round(x1 - x0, 1)}
                box["height"] = round(y1 - y0, 1)
            pages.append(
                {
                    "page": number,
                    "width": round(width * _MM_PER_PT, 1),
                    "height": round(height * _MM_PER_PT, 1),
                    "text": box,
                }
            )
    return {"pages": pages}


# ---------------------------------------------------------------- pypdf, bounded


class _OverBudget(Exception):
    """Raised from a visitor to stop pypdf; pypdf swallows it inside a form XObject, so the flag is what counts."""


class _PypdfWarnings(logging.Handler):
    """pypdf's log, noted per reading thread: a limit it hit in a form XObject (which it then skips) is only
    logged; and nothing of it reaches the terminal."""

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        seen = getattr(self.local, "seen", None)
        if seen is None:
            return
        args = record.args.values() if isinstance(record.args, dict) else record.args or ()
        # a limit pypdf hit where it skips what it cannot read (a form XObject), not its repairs of odd files
        if any(type(arg).__name__ == "LimitReachedError" for arg in args) or "form XObject invocations" in str(
            record.msg
        ):
            seen.append(record.getMessage())

    @contextmanager
    def noting(self) -> Iterator[list[str]]:
        previous = getattr(self.local, "seen", None)
        self.local.seen = seen = []
        try:
            yield seen
        finally:
            self.local.seen = previous


_warnings: _PypdfWarnings | None = None
_install_lock = threading.Lock()


def _pypdf_warnings() -> _PypdfWarnings:
    global _warnings
    with _install_lock:
        if _warnings is None:
            _warnings = _PypdfWarnings()
            logger = logging.getLogger("pypdf")
            logger.addHandler(_warnings)
            logger.propagate = False  # pypdf's repairs of odd files are not the user's business
    return _warnings


def _configuration() -> dict[str, int]:
    return {
        "zlib_maximum_output_length": MAX_STREAM_BYTES,
        "lzw_maximum_output_length": MAX_STREAM_BYTES,
        "run_length_maximum_output_length": MAX_STREAM_BYTES,
        "brotli_maximum_output_length": MAX_STREAM_BYTES,
        "jbig2_maximum_output_length": MAX_STREAM_BYTES,
        "array_based_stream_maximum_output_length": MAX_STREAM_BYTES,
        "image_maximum_buffer_size": MAX_STREAM_BYTES,
        "stream_decoding_work_maximum_length": MAX_DECODING_BYTES,
        "stream_parsing_work_maximum_count": MAX_STREAM_TOKENS,
        "disable_legacy_handling": True,
    }


class _Document:
    """An open PDF read page by page within the limits; every failure is a one-line CheckerInputError."""

    def __init__(self, path: str | Path, source: str) -> None:
        self.path = path
        self.source = source
        limits = get_limits()
        self.max_chars = limits.max_document_chars
        self.max_line = limits.max_line_chars
        self.chars = 0  # characters of the lines kept plus one per line: the joined text is this minus one
        self.raw_chars = 0  # characters pypdf reported (spaces it added among them)
        self.tokens = 0  # of content operators and their operands
        self.over: str | None = None  # why a visitor stopped pypdf
        self.page = 0
        self.frame = (0.0, 0.0, 0.0, 0.0)  # the current page's left, top, width, height in the pieces' frame

    def __enter__(self) -> _Document:
        import pypdf

        checked_file_size(self.path, self.source)
        self._stack = stack = ExitStack()
        try:
            handle = stack.enter_context(open(self.path, "rb"))
        except OSError as exc:
            raise self._error(f"无法读取文件：{exc.strerror}") from None
        if b"%PDF-" not in handle.read(1024):
            stack.close()
            raise self._error("不是 PDF 文件（开头没有 %PDF 标记），未检查")
        handle.seek(0)
        stack.enter_context(pypdf.apply_configuration(**_configuration()))
        self.seen = stack.enter_context(_pypdf_warnings().noting())
        try:
            self.reader = self._guarded(lambda: pypdf.PdfReader(handle, strict=False))
            self._decrypt()
            self.count = self._guarded(lambda: len(self.reader.pages))
        except BaseException:
            stack.close()
            raise
        if self.count > MAX_PAGES:
            stack.close()
            raise self._error(f"PDF 有 {self.count:,} 页，超过上限 {MAX_PAGES:,} 页，未检查", "INPUT-LIMIT")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _error(self, message: str, code: str = "INPUT-FILE", line: int | None = None) -> CheckerInputError:
        return CheckerInputError(message, Location(self.source, line=line), code=code)

    def _guarded(self, read: Any, page: int | None = None) -> Any:
        """`read()`, with pypdf's failures (and the limits it or a visitor hit) as one-line errors."""
        from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

        where = f"第 {page} 页" if page else ""
        try:
            result = read()
        except _OverBudget:
            result = None
        except LimitReachedError as exc:
            raise self._bomb(where, str(exc)) from None
        except FileNotDecryptedError:
            raise self._error("PDF 已加密，需要密码才能打开，未检查：请提供未加密的文件") from None
        except DependencyError as exc:  # AES encryption without `cryptography`
            raise self._error(f"读取此 PDF 所需的组件未安装（{printable(str(exc), 80)}），未检查") from None
        except MemoryError:
            raise self._error(f"{where}内容过大，内存不足，未检查", "INPUT-LIMIT") from None
        except RecursionError:
            raise self._error(f"{INVALID}（{where}对象嵌套过深），未检查") from None
        except Exception as exc:  # pypdf raises what a damaged file makes it raise: not only its own errors
            detail = f"{type(exc).__name__}: {printable(str(exc), 80)}" if str(exc) else type(exc).__name__
            raise self._error(f"{INVALID}（{where + '：' if where else ''}{detail}），未检查") from None
        if self.over is not None:
            raise self._error(self.over, "INPUT-LIMIT")
        if self.seen:
            raise self._bomb(where, self.seen[0])
        return result

    def _bomb(self, where: str, detail: str) -> CheckerInputError:
        return self._error(
            f"{where or 'PDF '}内容超出读取上限（单个数据流解压后至多 {format_bytes(MAX_STREAM_BYTES)}、"
            f"解析至多 {MAX_STREAM_TOKENS:,} 个记号；{printable(detail, 80)}），疑似 PDF 炸弹，未检查",
            "INPUT-LIMIT",
        )

    def _decrypt(self) -> None:
        from pypdf import PasswordType

        if not self._guarded(lambda: self.reader.is_encrypted):
            return
        result = self._guarded(lambda: self.reader.decrypt(""))  # a file that only restricts printing or copying
        if result == PasswordType.NOT_DECRYPTED:
            raise self._error("PDF 已加密，需要密码才能打开，未检查：请提供未加密的文件")

    # ------------------------------------------------------------ pages

    def pages(self) -> Iterator[tuple[int, list[_Line]]]:
        """(page number, its lines without the page number) for each page in order."""
        for index in range(self.count):
            self.page = number = index + 1
            page = self._guarded(lambda index=index: self.reader.pages[index], number)
            pieces = self._guarded(lambda page=page: self._pieces(page), number)
            lines = _lines(pieces or [])
            for i in (len(lines) - 1, 0):
                if 0 <= i < len(lines) and _PAGE_NUMBER.fullmatch(lines[i].text):
                    del lines[i]
            yield number, lines

    def emit(self, text: str, line: int) -> None:
        """Count line `line` (of the whole text) against the limits, and refuse text that is not text."""
        self.chars += len(text) + 1
        if self.chars - 1 > self.max_chars:
            raise self._too_long()
        if len(text) > self.max_line:
            raise long_line_error(self.source, line, len(text), "行")
        bad = _UNDECODED.findall(text)
        if bad and (any(c < "\ue000" for c in bad) or len(bad) * 10 > len(text)):
            raise self._error(
                f"第 {self.page} 页的文字无法解码（读出 U+{ord(bad[0]):04X}：字体没有到 Unicode 的映射），未检查："
                "请用 OCR 软件识别，或改查原始的 Word/WPS 文件",
                line=line,
            )

    def _too_long(self) -> CheckerInputError:
        return self._error(
            f"公文过长（超过 {self.max_chars:,} 个字符，上限 {self.max_chars:,}），未检查", "INPUT-LIMIT"
        )

    def _pieces(self, page: Any) -> list[_Piece]:
        """The text pypdf reports on `page`, each piece where it is printed, in the page's reading frame."""
        from pypdf import mult

        found: list[tuple[float, float, float, float, int, str]] = []  # x, y, size, angle, seq, text

        def text(chars: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if self.over is not None:
                raise _OverBudget
            self.raw_chars += len(chars)
            if self.raw_chars > 2 * self.max_chars:
                self.over = self._too_long().message
                raise _OverBudget
            if not chars.strip(_SPACE):
                return
            m = mult(tm, cm)
            scale = math.hypot(m[2], m[3]) or 1.0
            for offset, part in enumerate(chars.split("\n")):
                if part.strip(_SPACE):  # an ideographic space (a typed indent) is text
                    if len(found) >= MAX_PIECES_PER_PAGE:
                        self.over = (
                            f"第 {self.page} 页有超过 {MAX_PIECES_PER_PAGE:,} 段文字，不像正常的公文页面，未检查"
                        )
                        raise _OverBudget
                    angle = math.degrees(math.atan2(m[1], m[0]))
                    # a part after a line break pypdf put inside one piece: one line lower
                    x, y = m[4] - offset * m[2] * size, m[5] - offset * m[3] * size
                    found.append((x, y, abs(size) * scale, angle, len(found), part))

        def operation(operator: bytes, operands: list[Any], cm: object, tm: object) -> None:
            self.tokens += 1 + sum(len(operand) if isinstance(operand, list) else 1 for operand in operands)
            if self.tokens > TOKENS_FLOOR + TOKENS_PER_CHAR * self.raw_chars and self.over is None:
                self.over = (
                    f"第 {self.page} 页：全文已读 {self.tokens:,} 个内容记号，文字只有 {self.raw_chars:,} 个字符"
                    f"（上限 {TOKENS_FLOOR:,} 个另加每字 {TOKENS_PER_CHAR} 个），疑似 PDF 炸弹，未检查"
                )
            if self.over is not None:
                raise _OverBudget

        page.extract_text(visitor_text=text, visitor_operand_before=operation)
        if self.over is not None:
            raise _OverBudget
        return self._framed(page, found)

    def _framed(self, page: Any, found: list[tuple[float, float, float, float, int, str]]) -> list[_Piece]:
        """The pieces turned so that the page's main text direction (most characters) reads left to right."""
        weights = [0, 0, 0, 0]
        for *_, angle, _seq, part in found:
            weights[round(angle / 90) % 4] += len(part)
        turn = max(range(4), key=lambda q: (weights[q], -q))
        cos, sin = ((1, 0), (0, 1), (-1, 0), (0, -1))[turn]

        def framed(x: float, y: float) -> tuple[float, float]:
            # turned back by the main direction's angle, y flipped to grow downwards
            return x * cos + y * sin, -(-x * sin + y * cos)

        box = page.mediabox
        corners = [framed(float(x), float(y)) for x in (box.left, box.right) for y in (box.bottom, box.top)]
        left, top = min(c[0] for c in corners), min(c[1] for c in corners)
        self.frame = (left, top, max(c[0] for c in corners) - left, max(c[1] for c in corners) - top)
        pieces = []
        for x, y, size, angle, seq, part in found:
            fx, fy = framed(x, y)
            skew = abs((angle - turn * 90 + 180) % 360 - 180)
            width = sum(size if unicodedata.east_asian_width(c) in _WIDE else size / 2 for c in part)
            pieces.append(_Piece(fy, fx, fx + width, size, seq, part, skew > 10))
        return pieces


# ---------------------------------------------------------------- pieces to lines


def _lines(pieces: list[_Piece]) -> list[_Line]:
    """The lines of a page, top to bottom; lines of only spaces left out."""
    pieces.sort(key=lambda piece: (piece.y, piece.x, piece.seq))
    groups: list[list[_Piece]] = []
    anchor = None  # the first piece of the line being made, and that line
    for piece in pieces:
        if piece.alone:
            groups.append([piece])
        elif anchor is not None and piece.y - anchor[0].y <= max(anchor[0].size, piece.size) / 2:
            anchor[1].append(piece)
        else:
            groups.append([piece])
            anchor = (piece, groups[-1])
    lines = []
    for group in groups:
        group.sort(key=lambda piece: (piece.x, piece.seq))
        parts = [group[0].text]
        for before, after in zip(group, group[1:]):
            gap = after.x - before.x_end
            if _latin(parts[-1][-1]) and _latin(after.text[0]) and gap > max(before.size, after.size) / 3:
                parts.append(" ")
            parts.append(after.text)
        text = tidy("".join(parts))
        if text:
            lines.append(_Line(text, tuple(group)))
    return lines


def tidy(line: str) -> str:
    """A line as printed: no extractor's spaces by 汉字, spaced-out digits joined, no spaces at either end."""
    line = _SPACES_BY_CJK.sub("", line)
    line = _SPACED_DIGITS.sub(lambda match: match.group().replace(" ", ""), line)
    return line.strip(_SPACE)


def _latin(char: str) -> bool:
    """A Latin letter, digit or ASCII sign: words of these keep a space between them."""
    return "!" <= char <= "~"
