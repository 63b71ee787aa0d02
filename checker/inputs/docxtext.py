"""The text of a .docx as Word shows it, read as a stream: no member is inflated whole, no tree is built.

Members are inflated a chunk at a time straight from the zip (raw deflate, CRC checked at the end) and
fed to expat; each paragraph becomes one line as soon as it ends.  Every limit is checked while reading,
so a hostile package costs at most about what the limit allows:

- the characters read (lines joined by "\\n") against `max_document_chars`, one paragraph against
  `max_line_chars`;
- the bytes inflated against `max_unpacked_bytes` (all members together), against the size the member
  declares (a header that lies is refused, not trusted), and against `max_zip_ratio` times the compressed
  bytes read so far (once past `ZIP_RATIO_FLOOR_BYTES`);
- a DOCTYPE (and so any entity declaration: billion laughs, external entities) is refused, XML nesting is
  at most `MAX_XML_DEPTH` levels.

What is read, in reading order (line N of the body is its N-th paragraph):

- the body's paragraphs; a table's paragraphs where the table stands, row by row, cell by cell (nested
  tables the same way, inside their cell);
- a text box's paragraphs (w:txbxContent) as lines of their own right after the paragraph that anchors it
  (a text box anchored in a table cell: after that cell paragraph);
- in a paragraph, the w:t text of runs, also inside hyperlinks, content controls (w:sdt, inline or block:
  its w:sdtContent), smart tags, custom XML, simple fields (w:fldSimple: the displayed runs), tracked
  insertions and moves (w:ins, w:moveTo), w:dir/w:bdo;
- complex fields (w:fldChar begin … separate … end): the result between separate and end, never the
  instruction (w:instrText, or the result of a field nested in the instruction).  A field's instruction
  is taken to end with its paragraph: a stray "begin" hides at most the rest of one paragraph;
- w:tab and w:ptab as "\\t", w:noBreakHyphen as "-", w:sym as its character code, w:br and w:cr as one
  space (a page or column break as nothing), so that a paragraph stays one line and columns stay exact;
  a newline inside w:t is a space too;
- of an mc:AlternateContent, the first branch only (mc:Choice): mc:Fallback repeats the same text box in
  VML and would give its text twice.

Deliberately not read: deleted text (w:del, w:moveFrom, w:delText), field instructions, ruby text (w:rt,
the phonetic guide over the base text, which is read), comments, footnote/endnote reference marks,
properties (w:pPr, w:rPr, w:sectPr, w:sdtPr …), anything in the document part outside w:body, the
glossary.  A deleted paragraph mark still ends its line (one paragraph, one line); text formatted as
hidden (w:vanish) is read, as it is written in the document.

Headers, footers, footnotes and endnotes are parts of their own (`PARTS`), found through the main part's
relationships and read the same way, in the order of their part names (header1.xml, header2.xml …);
footnote separators are skipped.  Lines come part by part in the order asked for.

The entry points are `checker.inputs.decode.read_docx` and `read_docx_paragraphs`: they check the zip
directory first (`check_zip_archive`) and then call `read_package`.  This module imports nothing from
decode, so that the two do not import each other.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from xml.parsers import expat

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import ZIP_RATIO_FLOOR_BYTES, format_bytes, get_limits
from checker.core.plain import plain
from checker.core.values import printable

if TYPE_CHECKING:
    import zipfile

    from checker.core.limits import Limits

INVALID = "不是有效的 Word（.docx）文件"

# Where a line stands: the body, a table cell, a text box (in the body); or a part of its own.
BODY, TABLE, TEXT_BOX = "正文", "表格", "文本框"
HEADER, FOOTER, FOOTNOTE, ENDNOTE = "页眉", "页脚", "脚注", "尾注"
BODY_PLACES = frozenset((BODY, TABLE, TEXT_BOX))  # where the body's lines stand
PARTS = {"body": BODY, "headers": HEADER, "footers": FOOTER, "footnotes": FOOTNOTE, "endnotes": ENDNOTE}

MAX_XML_DEPTH = 256  # as libxml2 (and so python-docx) allows by default; Word writes fewer than 30

W_NAMESPACES = _W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict Open XML
)
MC_NAMESPACE = _MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# What a line is made of, shared with the Word-comment writer (report/annotate.py), which must walk a document to
# the same characters: elements whose content is not read (properties, deleted and moved-away text, field
# instructions, ruby text, form-field data), and the elements that stand for one character in a run.
SKIPPED_ELEMENTS = frozenset(
    "pPr rPr tblPr tblPrEx tblGrid trPr tcPr sectPr sdtPr sdtEndPr customXmlPr smartTagPr "
    "del moveFrom delText delInstrText instrText rt fldData ffData".split()
)
IN_RUN_CHARACTERS = {"tab": "\t", "ptab": "\t", "cr": " ", "noBreakHyphen": "-"}


def step_field(paragraph, kind: str | None) -> None:
    """A w:fldChar of `kind` in `paragraph` (which has `fields`, innermost last, True while in the instruction
    part, and `hidden`, the count of those): instructions are hidden, the result shown."""
    fields = paragraph.fields
    if kind == "begin":
        fields.append(True)
        paragraph.hidden += 1
    elif kind == "separate":
        if fields and fields[-1]:
            fields[-1] = False
            paragraph.hidden -= 1
    elif kind == "end" and fields and fields.pop():
        paragraph.hidden -= 1


_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROOTS = {"body": "document", "headers": "hdr", "footers": "ftr", "footnotes": "footnotes", "endnotes": "endnotes"}
_REL_TYPES = {"headers": "header", "footers": "footer", "footnotes": "footnotes", "endnotes": "endnotes"}
_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}

_RAW_CHUNK = 64 * 1024  # compressed bytes read at a time
_OUT_CHUNK = 256 * 1024  # inflated bytes handed to expat at a time

# What an open element is, on the parser's stack: codes above _RUN have something to do at the end tag.
_PLAIN, _RUN, _SKIP, _PARA, _TEXT, _CONTAINER, _ALT = range(7)


@plain(frozen=True, slots=True)
class DocxLine:
    """One paragraph as one line, and where it stands (BODY, TABLE, TEXT_BOX, HEADER, FOOTER …)."""

    text: str
    place: str


@plain(frozen=True, slots=True)
class DocxText:
    """The lines read, as two parallel lists (millions of lines cost no object each)."""

    texts: list[str]
    places: list[str]

    def lines(self) -> list[DocxLine]:
        return [DocxLine(t, p) for t, p in zip(self.texts, self.places)]


def read_package(
    path: str | Path,
    source: str,
    parts: Iterable[str],
    paragraph_error: Callable[[int, int], CheckerInputError],
) -> DocxText:
    """The lines of `parts` of a .docx whose zip directory has been checked (`check_zip_archive`).

    `paragraph_error(line, length)` makes the error for a paragraph over `max_line_chars`.
    """
    wanted = list(parts)
    unknown = [p for p in wanted if p not in PARTS]
    if unknown:
        raise ValueError(f"unknown .docx parts: {unknown}")
    with _Package(path, source) as package:
        main = package.main_part()
        related = package.related(main) if any(p != "body" for p in wanted) else {}
        reader = _Reader(source, paragraph_error)
        for part in wanted:
            names = [main] if part == "body" else related.get(part, [])
            for name in names:
                reader.read(package, name, part)
        return DocxText(reader.texts, reader.places)


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


# ---------------------------------------------------------------- the zip, member by member


class _Package:
    """The zip's members (from its central directory), each inflated as a stream with running caps."""

    def __init__(self, path: str | Path, source: str) -> None:
        import zipfile

        self.source = source
        self.inflated = 0  # bytes inflated so far, all members
        try:
            self._file: BinaryIO = open(path, "rb")
        except OSError as exc:
            raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
        try:
            with zipfile.ZipFile(self._file) as archive:
                self.members = {info.filename: info for info in archive.infolist()}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as exc:
            self._file.close()
            raise self._invalid(f"（{type(exc).__name__}）", sep="") from None
        self._folded = {name.lower(): name for name in self.members}

    def __enter__(self) -> _Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def _invalid(self, what: str, sep: str = "：", code: str = "INPUT-FILE") -> CheckerInputError:
        return CheckerInputError(f"{INVALID}{sep}{what}", Location(self.source), code=code)

    def find(self, name: str) -> str | None:
        """The member named `name`; part names are case-insensitive (OPC), zip names are not."""
        return name if name in self.members else self._folded.get(name.lower())

    def main_part(self) -> str:
        """The main document part: the target of the package's officeDocument relationship."""
        target = None
        rels = self.find("_rels/.rels")
        if rels is not None:
            targets = self._relationships(rels, "", ("officeDocument",)).get("officeDocument", [])
            target = targets[0] if targets else None
        name = self.find(target or "word/document.xml") or self.find("word/document.xml")
        if name is None:
            raise self._invalid(f"缺少正文部分“{printable(target or 'word/document.xml')}”")
        return name

    def related(self, part: str) -> dict[str, list[str]]:
        """Headers, footers, footnotes and endnotes of `part`, by kind, each list in the order of part names."""
        folder, name = posixpath.split(part)
        rels = self.find(posixpath.join(folder, "_rels", name + ".rels"))
        if rels is None:
            return {}
        found = self._relationships(rels, folder, tuple(_REL_TYPES.values()))
        out = {}
        for kind, rel in _REL_TYPES.items():
            names = {self.find(target) for target in found.get(rel, [])} - {None}
            out[kind] = sorted(names, key=_natural)
        return out

    def _relationships(self, rels: str, base: str, types: tuple[str, ...]) -> dict[str, list[str]]:
        """Internal targets of the relationships in member `rels` whose type ends with one of `types`."""
        found: dict[str, list[str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name != f"{_RELS}}}Relationship" or attrs.get("TargetMode") == "External":
                return
            kind = attrs.get("Type", "").rpartition("/")[2]
            target = attrs.get("Target")
            if kind in types and target:
                path = target[1:] if target.startswith("/") else posixpath.join(base, target)
                found.setdefault(kind, []).append(posixpath.normpath(path))

        parser = _parser(self, rels)
        parser.StartElementHandler = start
        _parse(parser, self, rels)
        return found

    def chunks(self, name: str) -> Iterator[bytes]:
        """Member `name` inflated a chunk at a time; refused once it inflates beyond any cap."""
        info = self.members[name]
        shown = printable(name)
        if info.flag_bits & 0x1:
            raise self._invalid(f"压缩包成员“{shown}”已加密")
        if info.compress_type not in (0, 8):
            raise self._invalid(f"压缩包成员“{shown}”使用不支持的压缩方式（{info.compress_type}）")
        self._file.seek(info.header_offset)
        header = self._file.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise self._invalid(f"压缩包成员“{shown}”的本地文件头损坏")
        name_len, extra_len = struct.unpack_from("<HH", header, 26)
        self._file.seek(info.header_offset + 30 + name_len + extra_len)
        limits = get_limits()
        left = info.compress_size  # compressed bytes not read yet
        inflater = zlib.decompressobj(-15) if info.compress_type == 8 else None
        size = crc = 0
        tail = b""  # compressed bytes read but not inflated yet
        while True:
            raw = b""
            if not tail and left > 0:
                raw = self._file.read(min(_RAW_CHUNK, left))
                left -= len(raw)
            if inflater is None:
                data = raw
                if not data:
                    break
            else:
                if inflater.eof:
                    break
                try:
                    data = inflater.decompress(tail or raw, _OUT_CHUNK)
                except zlib.error:
                    raise self._invalid(f"压缩包成员“{shown}”的压缩数据损坏") from None
                tail = inflater.unconsumed_tail
                if not data:
                    if raw or tail or inflater.eof:
                        continue
                    raise self._invalid(f"压缩包成员“{shown}”的压缩数据不完整")
            size += len(data)
            self.inflated += len(data)
            self._check(info, size, info.compress_size - left - len(tail), limits)
            crc = zlib.crc32(data, crc)
            yield data
        if size != info.file_size or crc != info.CRC:
            raise self._invalid(f"压缩包成员“{shown}”已损坏（大小或 CRC 校验与声明不符）")

    def _check(self, info: zipfile.ZipInfo, size: int, packed: int, limits: Limits) -> None:
        """Refuse a member once it inflates beyond its declared size, the ratio, or all members beyond the cap."""
        shown = printable(info.filename)
        if size > info.file_size:
            raise CheckerInputError(
                f"压缩包成员“{shown}”解压后超过其声明的 {format_bytes(info.file_size)}（大小信息不实），"
                "疑似压缩炸弹，未读取",
                Location(self.source),
                code="INPUT-LIMIT",
            )
        if size > ZIP_RATIO_FLOOR_BYTES and size > max(packed, 1) * limits.max_zip_ratio:
            raise CheckerInputError(
                f"压缩包成员“{shown}”解压出 {format_bytes(size)}，是已读压缩数据的 {size // max(packed, 1):,} 倍"
                f"（上限 {limits.max_zip_ratio:,} 倍），疑似压缩炸弹，未读取",
                Location(self.source),
                code="INPUT-LIMIT",
            )
        if self.inflated > limits.max_unpacked_bytes:
            raise CheckerInputError(
                f"压缩包解压后超过上限 {format_bytes(limits.max_unpacked_bytes)}"
                f"（文件大小上限的 {limits.max_unpacked_factor} 倍），疑似压缩炸弹，未读取",
                Location(self.source),
                code="INPUT-LIMIT",
            )


def _natural(name: str) -> list:
    """header10.xml after header2.xml."""
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", name)]


def _parser(package: _Package, name: str) -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE (so any entity declaration) before it is read."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024

    def doctype(*_: object) -> None:
        raise package._invalid(f"“{printable(name)}”含文档类型声明（DOCTYPE，可用于实体扩展攻击），未读取")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    return parser


# Markup read per character of text, beyond a floor: Word writes 10–60 bytes of XML per character (runs, rsids,
# tracked changes), a vector drawing some megabytes with no text at all.  A member of hundreds of megabytes of
# markup and no text passes every zip and text limit; this stops it after the floor instead of parsing it all.
MARKUP_FLOOR_BYTES = 16 * 1024 * 1024
MARKUP_BYTES_PER_CHAR = 256


def _parse(
    parser: expat.XMLParserType, package: _Package, name: str, text_read: Callable[[], int] | None = None
) -> None:
    fed = 0
    try:
        for chunk in package.chunks(name):
            fed += len(chunk)
            if text_read is not None and fed > MARKUP_FLOOR_BYTES + MARKUP_BYTES_PER_CHAR * text_read():
                raise CheckerInputError(
                    f"“{printable(name)}”已读 {format_bytes(fed)} 的 XML，其中文字只有 {text_read():,} 个字符"
                    f"（每个字符至多 {MARKUP_BYTES_PER_CHAR} 字节标记，另加 {format_bytes(MARKUP_FLOOR_BYTES)}），"
                    "不像正常的 Word 文件，未检查",
                    Location(package.source),
                    code="INPUT-LIMIT",
                )
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise package._invalid(
            f"“{printable(name)}”第 {parser.ErrorByteIndex + 1:,} 字节处 XML 格式错误（{expat.ErrorString(exc.code)}）"
        ) from None
    except (LookupError, ValueError) as exc:  # expat's encodings: an unknown one, or one of several bytes (GBK)
        raise package._invalid(
            f"“{printable(name)}”的 XML 声明了无法读取的字符编码（{printable(str(exc))}；应为 UTF-8 或 UTF-16），未读取"
        ) from None


# ---------------------------------------------------------------- WordprocessingML to lines


class _Paragraph:
    __slots__ = ("fields", "hidden", "length", "pending", "place", "texts")

    def __init__(self, place: str) -> None:
        self.place = place
        self.texts: list[str] = []
        self.length = 0  # characters read, also those no longer kept (over max_line_chars)
        self.hidden = 0  # open fields in their instruction part: their text is not shown
        self.fields: list[bool] = []  # open fields, innermost last: True while in the instruction part
        self.pending: list[tuple[str, str, int]] | None = None  # text-box lines that follow this paragraph


class _Reader:
    """Lines of one part after another; the counts (characters, lines) run over all of them."""

    def __init__(self, source: str, paragraph_error: Callable[[int, int], CheckerInputError]) -> None:
        limits = get_limits()
        self.source = source
        self.paragraph_error = paragraph_error
        self.max_chars = limits.max_document_chars
        self.max_line = limits.max_line_chars
        self.texts: list[str] = []
        self.places: list[str] = []
        self.chars = 0  # characters read plus one per line ended: the joined text is this minus one

    # -- one part

    def read(self, package: _Package, name: str, part: str) -> None:
        self.package, self.name, self.part = package, name, part
        self.base_place = PARTS[part]
        self.stack: list[int] = []
        self.skip = False  # inside an element whose content is not read
        self.in_text = False
        self.paragraphs: list[_Paragraph] = []
        self.paragraph: _Paragraph | None = None
        self.containers: list[str] = [self.base_place]
        self.branches: list[bool] = []  # per open mc:AlternateContent: a branch has been read
        self.body_seen = False
        self.root: str | None = None
        parser = _parser(package, name)
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        _parse(parser, package, name, lambda: self.chars)
        if self.root is None:
            raise self._invalid("没有根元素")
        if part == "body" and not self.body_seen:
            raise self._invalid("中没有正文（w:body）", quoted=True)

    def _invalid(self, what: str, quoted: bool = False, code: str = "INPUT-FILE") -> CheckerInputError:
        where = f"“{printable(self.name)}”" + ("" if quoted else "：")
        return CheckerInputError(f"{INVALID}：{where}{what}", Location(self.source), code=code)

    # -- expat handlers

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        depth = len(stack)
        if depth >= MAX_XML_DEPTH:
            raise self._invalid(f"XML 嵌套超过 {MAX_XML_DEPTH} 层，未读取", code="INPUT-LIMIT")
        if self.skip:
            stack.append(_PLAIN)
            return
        if depth <= 1:
            stack.append(self._top(name, attrs, depth))
            return
        action = _ACTIONS.get(name)
        stack.append(_PLAIN if action is None else action(self, name, attrs))

    def _end(self, name: str) -> None:
        code = self.stack.pop()
        if code > _RUN:
            _ENDS[code](self)

    def _chars(self, data: str) -> None:
        if self.in_text and not self.skip:
            self._add(data)

    def _top(self, name: str, attrs: dict[str, str], depth: int) -> int:
        """The root, and its children: which of them hold text to read."""
        namespace, _, local = name.rpartition("}")
        if depth == 0:
            self.root = name
            if namespace not in _W or local != _ROOTS[self.part]:
                shown = printable(local if namespace in _W else name)
                raise self._invalid(f"的根元素是“{shown}”，应为 w:{_ROOTS[self.part]}", quoted=True)
            self.namespace = namespace
            return _PLAIN
        if self.part == "body":
            read = name == f"{self.namespace}}}body"
            self.body_seen = self.body_seen or read
        elif self.part in ("footnotes", "endnotes"):
            read = local in ("footnote", "endnote") and attrs.get(f"{namespace}}}type") not in _SEPARATORS
        else:
            read = True
        if not read:
            return self._skip(name, attrs)
        action = _ACTIONS.get(name)
        return _PLAIN if action is None else action(self, name, attrs)

    # -- start tags

    def _skip(self, name: str, attrs: dict[str, str]) -> int:
        self.skip = True
        return _SKIP

    def _run(self, name: str, attrs: dict[str, str]) -> int:
        return _RUN

    def _p(self, name: str, attrs: dict[str, str]) -> int:
        self.paragraph = _Paragraph(self.containers[-1])
        self.paragraphs.append(self.paragraph)
        return _PARA

    def _t(self, name: str, attrs: dict[str, str]) -> int:
        if self.paragraph is None or self.paragraph.hidden:
            return self._skip(name, attrs)
        self.in_text = True
        return _TEXT

    def _table(self, name: str, attrs: dict[str, str]) -> int:
        self.containers.append(TABLE if self.base_place == BODY else self.base_place)
        return _CONTAINER

    def _text_box(self, name: str, attrs: dict[str, str]) -> int:
        self.containers.append(TEXT_BOX if self.base_place == BODY else self.base_place)
        return _CONTAINER

    def _alternate(self, name: str, attrs: dict[str, str]) -> int:
        self.branches.append(False)
        return _ALT

    def _branch(self, name: str, attrs: dict[str, str]) -> int:
        if self.stack[-1] != _ALT:
            return _PLAIN
        if self.branches[-1]:
            return self._skip(name, attrs)
        self.branches[-1] = True
        return _PLAIN

    def _br(self, name: str, attrs: dict[str, str]) -> int:
        if self.stack[-1] == _RUN and attrs.get(name[: name.index("}") + 1] + "type", "textWrapping") == "textWrapping":
            self._add(" ")
        return _PLAIN

    def _sym(self, name: str, attrs: dict[str, str]) -> int:
        code = attrs.get(name[: name.index("}") + 1] + "char", "")
        if self.stack[-1] == _RUN and re.fullmatch("[0-9A-Fa-f]{1,6}", code):
            value = int(code, 16)
            if 0x20 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF and not 0x7F <= value <= 0x9F:
                self._add(chr(value))
        return _PLAIN

    def _field_char(self, name: str, attrs: dict[str, str]) -> int:
        paragraph = self.paragraph
        if paragraph is None:
            return _PLAIN
        kind = attrs.get(name[: name.index("}") + 1] + "fldCharType")
        if kind == "begin" and len(paragraph.fields) >= MAX_XML_DEPTH:
            raise self._invalid(f"域（w:fldChar）嵌套超过 {MAX_XML_DEPTH} 层，未读取", code="INPUT-LIMIT")
        step_field(paragraph, kind)
        return _PLAIN

    # -- end tags

    def _end_skip(self) -> None:
        self.skip = False

    def _end_text(self) -> None:
        self.in_text = False

    def _end_container(self) -> None:
        self.containers.pop()

    def _end_alternate(self) -> None:
        self.branches.pop()

    def _end_paragraph(self) -> None:
        paragraph = self.paragraphs.pop()
        self.paragraph = self.paragraphs[-1] if self.paragraphs else None
        too_long = paragraph.length if paragraph.length > self.max_line else 0
        text = "" if too_long else "".join(paragraph.texts)
        if "\n" in text or "\r" in text:
            text = _one_line(text)
        self.chars += 1
        if self.chars - 1 > self.max_chars:
            raise self._too_long()
        line = (text, paragraph.place, too_long)
        anchor = self.paragraph
        if anchor is not None:  # a text box's paragraph: its lines follow the anchoring paragraph's
            if anchor.pending is None:
                anchor.pending = []
            anchor.pending.append(line)
            if paragraph.pending:
                anchor.pending.extend(paragraph.pending)
            return
        self._emit(line)
        for pending in paragraph.pending or ():
            self._emit(pending)

    # -- text

    def _add(self, text: str) -> None:
        paragraph = self.paragraph
        if paragraph is None or paragraph.hidden:
            return
        n = len(text)
        self.chars += n
        paragraph.length += n
        if paragraph.length <= self.max_line:
            paragraph.texts.append(text)
        elif paragraph.texts:
            paragraph.texts.clear()  # over the limit: counted on to its end (the error names its length), not kept
        if self.chars > self.max_chars:
            raise self._too_long()

    def _emit(self, line: tuple[str, str, int]) -> None:
        text, place, too_long = line
        self.texts.append(text)
        self.places.append(place)
        if too_long:
            raise self.paragraph_error(len(self.texts), too_long)

    def _too_long(self) -> CheckerInputError:
        return CheckerInputError(
            f"公文过长（超过 {self.max_chars:,} 个字符，上限 {self.max_chars:,}），未检查",
            Location(self.source),
            code="INPUT-LIMIT",
        )


def _in_run(text: str) -> Callable[[_Reader, str, dict[str, str]], int]:
    """The start action of an element that stands for `text` where it is a run's child."""

    def action(reader: _Reader, name: str, attrs: dict[str, str]) -> int:
        if reader.stack[-1] == _RUN:
            reader._add(text)
        return _PLAIN

    return action


_ENDS: list[Callable[[_Reader], None] | None] = [None] * 7
_ENDS[_SKIP] = _Reader._end_skip
_ENDS[_PARA] = _Reader._end_paragraph
_ENDS[_TEXT] = _Reader._end_text
_ENDS[_CONTAINER] = _Reader._end_container
_ENDS[_ALT] = _Reader._end_alternate

_W_ACTIONS: dict[str, Callable[[_Reader, str, dict[str, str]], int]] = {
    "p": _Reader._p,
    "r": _Reader._run,
    "t": _Reader._t,
    "tbl": _Reader._table,
    "txbxContent": _Reader._text_box,
    **{local: _in_run(text) for local, text in IN_RUN_CHARACTERS.items()},
    "br": _Reader._br,
    "sym": _Reader._sym,
    "fldChar": _Reader._field_char,
}
for _local in SKIPPED_ELEMENTS:
    _W_ACTIONS[_local] = _Reader._skip
_ACTIONS = {f"{ns}}}{local}": action for ns in _W for local, action in _W_ACTIONS.items()}
_ACTIONS[f"{_MC}}}AlternateContent"] = _Reader._alternate
_ACTIONS[f"{_MC}}}Choice"] = _Reader._branch
_ACTIONS[f"{_MC}}}Fallback"] = _Reader._branch
del _local
