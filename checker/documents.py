"""Step 1 for documents: read notices (.txt/.md/.docx/stdin) into Document records.

Text files are decoded (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK
detected, not assumed); a .docx is read paragraph by paragraph, so line N is
paragraph N.  The metadata (发文字号, 发文机关, 成文日期, title) is found later
from the text itself by checker.observe; YAML/JSON document records arrive
through checker.load like every other record.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from .normalize import Document

TEXT_SUFFIXES = {".txt", ".md"}
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | {".docx"}
STDIN = "-"


def read_document(path: str, index: int = 1) -> Document:
    """One document file (or standard input for "-"); bad input raises CheckerInputError."""
    from .errors import CheckerInputError, Location
    from .text.decode import decode_text, read_docx_paragraphs

    if path == STDIN:
        decoded = decode_text(sys.stdin.buffer.read(), "<stdin>")
        return _document("<stdin>", index, decoded.text, "text", decoded.encoding, None)
    if Path(path).suffix.lower() == ".docx":
        lines = read_docx_paragraphs(path)
        return _document(path, index, "\n".join(lines), "docx", None, None)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(path), code="INPUT-FILE") from None
    decoded = decode_text(data, path)
    return _document(path, index, decoded.text, "text", decoded.encoding, hashlib.sha256(data).hexdigest())


def _document(source: str, index: int, text: str, origin: str, encoding: str | None, digest: str | None) -> Document:
    name = Path(source).name if source != "<stdin>" else source
    return Document(id=name, source=source, index=index, body=text, origin=origin, encoding=encoding,
                    digest=digest, body_line=1)
