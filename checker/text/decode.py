"""Bytes to text, and .docx to paragraphs.

Encodings are detected, never assumed: a BOM decides; otherwise strict UTF-8,
then strict GB18030 (the superset of GBK that county offices save in);
charset-normalizer is consulted only when neither gives plausible text.
Line endings become "\\n"; nothing else in the text is changed, so positions
refer to what the author wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CheckerInputError, Location


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-16-le", "utf-16-be", "gbk", "gb18030", or charset-normalizer's name
    had_bom: bool


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# C0 controls other than \t \n \v \f \r, plus DEL: not in real documents.
_BAD_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_NOT_TEXT = "不是文本文件（含二进制内容或无法识别的编码，已尝试 UTF-8、UTF-16、GB18030）"


def _plausible(text: str) -> bool:
    """Text a person wrote: (almost) no control characters, few private-use characters.

    GB18030 maps its user-defined byte areas to the Private Use Area, so binary
    data decoded as GB18030 shows up there; a real document may carry one or
    two 造字 characters, hence a ratio, not zero.
    """
    n = len(text) or 1
    bad = len(_BAD_CONTROL.findall(text))
    if bad * 100 > n:
        return False
    return len(_PRIVATE_USE.findall(text)) * 100 <= n


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, source: str) -> DecodedText:
    """Decode a text file's bytes; binary or undecodable data raises CheckerInputError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise CheckerInputError(f"文件以 {encoding.upper()} 字节顺序标记开头，但内容无法按该编码解码",
                                        Location(source), code="INPUT-FILE") from None
            if "\x00" in text or not _plausible(text):
                raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE")
            return DecodedText(_normalize_newlines(text), encoding, True)

    if b"\x00" in data:
        raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
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

    # Tie-breaker only: neither strict decoder gave plausible text.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and best.chaos <= 0.1:
        text = str(best)
        if "\x00" not in text and _plausible(text):
            return DecodedText(_normalize_newlines(text), best.encoding, False)
    raise CheckerInputError(_NOT_TEXT, Location(source), code="INPUT-FILE")


def read_text_file(path: str | Path) -> DecodedText:
    """Read and decode a text file, naming it in every error."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CheckerInputError("文件不存在", Location(source), code="INPUT-FILE") from None
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    return decode_text(data, source)


def read_docx_paragraphs(path: str | Path, include_tables: bool = False) -> list[str]:
    """Body paragraphs of a .docx in order: line N of the result is paragraph N.

    A soft line break inside a paragraph becomes one space, so a paragraph is
    always one line and columns stay character-exact.  With `include_tables`,
    the paragraphs inside tables (nested ones too, each merged cell once) are
    appended after the body paragraphs.  Headers, footers, text boxes and
    footnotes are not read.
    """
    import zipfile

    source = str(path)
    if not Path(path).is_file():
        raise CheckerInputError("文件不存在", Location(source), code="INPUT-FILE")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CheckerInputError(f"不是有效的 Word（.docx）文件：{type(exc).__name__}", Location(source),
                                code="INPUT-FILE") from None
    except Exception as exc:  # lxml syntax errors and the like from a damaged package
        if type(exc).__module__.startswith(("lxml", "docx", "zipfile")):
            raise CheckerInputError(f"不是有效的 Word（.docx）文件：{type(exc).__name__}", Location(source),
                                    code="INPUT-FILE") from None
        raise
    lines = [_one_line(p.text) for p in document.paragraphs]
    if include_tables:
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        for table in document.tables:
            for p in table._tbl.iter(qn("w:p")):
                lines.append(_one_line(Paragraph(p, table).text))
    return lines


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
