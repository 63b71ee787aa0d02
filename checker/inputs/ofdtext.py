"""The text of an .ofd (GB/T 33190-2016) as a reader sees it: one line per printed line, page by page.

OFD is a zip of XML parts: OFD.xml names the document (DocBody/DocRoot), Document.xml lists its pages in
order (Pages/Page/@BaseLoc) and its template pages (CommonData/TemplatePage), and each page's Content.xml
places text objects (Layer/…/TextObject/TextCode) at coordinates in millimetres, y growing downwards.
No reader on PyPI is fit to use: easyofd extracts every member to the working directory and parses each
whole with xmltodict (no size, ratio or depth limit; a PDF converter that pulls in PyMuPDF and reportlab),
and ofdreader 0.1.0 ships no code.  So the parts are read here, with the .docx reader's machinery
(`checker.inputs.docxtext`): the zip directory is checked first (`check_zip_archive`), every member is
inflated as a stream against running caps (declared sizes not trusted), and expat refuses any DOCTYPE and
nesting deeper than `MAX_XML_DEPTH`; no tree is built.

What is read:

- the first document only (the first DocBody of OFD.xml: a package may hold several, a viewer opens the
  first);
- its pages in the order of Document.xml's Pages; a page's text is that of its TextObjects (in any layer
  or page block) and of the template pages it names (Page/Template/@TemplateID, and templates those name;
  each template read once per page, so a loop ends);
- locations (DocRoot, BaseLoc) relative to the part that names them, "/…" from the package root; one that
  is not found there is looked for from the root too (some producers write it so); elements in the OFD
  namespace, in that of the drafts before the standard ("http://www.ofdspec.org", still written by Suwell's
  tools) or in none (some producers omit it); others are ignored.

Reading order: each TextCode is placed at its baseline (Boundary origin plus X/Y, through the object's CTM
when it has one) and codes whose baselines lie within half a font size form one line; lines run top to
bottom, codes in a line left to right.  Characters are concatenated (DeltaX spacing is not text); only a gap
of more than one em between two codes that end and start with Latin letters, digits or ASCII signs becomes
one space.  A line that is only a page number ("— 1 —", "- 2 -", "1", "第1页") is dropped where a 公文
prints its page number: on a template, or as the first or last line of a page.  Not read: annotations,
signatures, attachments, custom tags, composite objects (CompositeGraphicUnit), text drawn as paths.

A page that Document.xml lists twice is read once (its text is not checked twice); its page number still
counts, so later pages keep theirs.

Limits, all checked while reading: the characters of the text codes read (and of the lines made of them)
against `max_document_chars`, one line against `max_line_chars`, at most `MAX_PAGES` pages and
`MAX_TEXT_CODES_PER_PAGE` codes on a page, and XML markup read per character of text (`MARKUP_FLOOR_BYTES`,
`MARKUP_BYTES_PER_CHAR`), besides the zip caps of `_Package`.
"""

from __future__ import annotations

import math
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import MiB, format_bytes, get_limits
from checker.core.values import printable
from checker.inputs.decode import check_zip_archive, long_line_error
from checker.inputs.docxtext import MAX_XML_DEPTH, _Package, _parse, _parser

OFD_NAMESPACE = "http://www.ofdspec.org/2016"
# the namespace of the drafts before the 2016 standard, which Suwell's widely used tools still write
OFD_NAMESPACES = frozenset((OFD_NAMESPACE, "http://www.ofdspec.org"))
INVALID = "不是有效的 OFD 文件"
NO_TEXT = "OFD 文件中没有文字层（可能是扫描件），未检查"

MAX_PAGES = 2_000  # a 公文 has tens of pages; a bound that no real file meets keeps a forged page list short
MAX_TEXT_CODES_PER_PAGE = 100_000  # an A4 page at 5 pt holds about 5,000 characters: memory stays bounded
# XML read per character of text, beyond a floor: producers write 10–250 bytes per character (one text object
# per character at worst); a page of vector drawing has some megabytes and no text at all.
MARKUP_FLOOR_BYTES = 16 * MiB
MARKUP_BYTES_PER_CHAR = 1024
DEFAULT_FONT_SIZE = 3.5  # mm (about 10 pt), for a TextObject that states no usable Size

_PAGE_NUMBER = re.compile(
    r"[-—–－‒―~～]{0,2}\s*\d{1,3}\s*[-—–－‒―~～]{0,2}|第\s*\d{1,3}\s*页(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?"
)
_WIDE = frozenset("WFA")  # east-asian widths a Chinese font draws one em wide


class _Piece(NamedTuple):
    """One TextCode where it is printed (page coordinates, mm)."""

    y: float  # baseline
    x: float  # left end
    x_end: float  # right end (estimated from DeltaX and the characters' widths)
    size: float  # font size as printed
    seq: int  # order in the files: ties keep it
    text: str
    template: bool  # from a template page


def read_ofd_text(path: str | Path, source: str) -> tuple[list[str], list[str]]:
    """(texts, places): the lines of an .ofd in reading order and where each stands ("第2页第5行")."""
    check_zip_archive(path, source, INVALID, "INPUT-FILE")
    with _OfdPackage(path, source) as package:
        return _Reader(package, source).read()


# ---------------------------------------------------------------- the package


class _OfdPackage(_Package):
    """The .docx reader's zip, with OFD wording and a bound on markup read per character of text."""

    def __init__(self, path: str | Path, source: str) -> None:
        self.text_chars = 0  # characters of text codes read so far, set by the reader
        super().__init__(path, source)
        # members zipped on Windows by some producers: "Doc_0\\Pages\\Page_0\\Content.xml"
        self._slashed = {name.replace("\\", "/").lower(): name for name in self.members if "\\" in name}

    def find(self, name: str) -> str | None:
        found = super().find(name)
        return found if found is not None or not self._slashed else self._slashed.get(name.lower())

    def _invalid(self, what: str, sep: str = "：", code: str = "INPUT-FILE") -> CheckerInputError:
        return CheckerInputError(f"{INVALID}{sep}{what}", Location(self.source), code=code)

    def chunks(self, name: str) -> Iterator[bytes]:
        for chunk in super().chunks(name):
            if self.inflated > MARKUP_FLOOR_BYTES + MARKUP_BYTES_PER_CHAR * self.text_chars:
                raise CheckerInputError(
                    f"已读 {format_bytes(self.inflated)} 的 XML（读到“{printable(name)}”），其中文字只有 "
                    f"{self.text_chars:,} 个字符（每个字符至多 {MARKUP_BYTES_PER_CHAR} 字节标记，另加 "
                    f"{format_bytes(MARKUP_FLOOR_BYTES)}），不像正常的 OFD 文件，未检查",
                    Location(self.source),
                    code="INPUT-LIMIT",
                )
            yield chunk

    def resolve(self, base: str, loc: str) -> tuple[str | None, str]:
        """(member, name as written out) of location `loc` named by a part in folder `base`."""
        loc = loc.strip().replace("\\", "/")
        if not loc:
            return None, ""
        if loc.startswith("/"):
            candidates = [loc.lstrip("/")]
        else:
            candidates = [posixpath.join(base, loc), loc]
        shown = posixpath.normpath(candidates[0])
        for candidate in candidates:
            candidate = posixpath.normpath(candidate)
            if candidate in (".", "..") or candidate.startswith("../"):
                continue
            found = self.find(candidate)
            if found is not None:
                return found, shown
        return None, shown

    def missing(self, what: str, shown: str) -> CheckerInputError:
        return self._invalid(f"缺少{what}“{printable(shown)}”" if shown else f"缺少{what}（未写明位置）")


def _local(tag: str) -> str | None:
    """The local name of an element in an OFD namespace or in none; None for any other namespace."""
    namespace, sep, local = tag.rpartition("}")
    return local if not sep or namespace in OFD_NAMESPACES else None


def _tags(local: str) -> frozenset[str]:
    """The names expat gives element `local` in an OFD namespace or in none (compared as they come: no
    name is split on the way of a page's thousands of elements)."""
    return frozenset({local, *(f"{namespace}}}{local}" for namespace in OFD_NAMESPACES)})


_TEXT_OBJECT, _TEXT_CODE, _TEMPLATE = _tags("TextObject"), _tags("TextCode"), _tags("Template")


def _read_xml(package: _OfdPackage, name: str, handler: _Handler) -> None:
    """Feed member `name` to `handler`, element by element."""
    parser = _parser(package, name)
    handler.package, handler.name = package, name
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.chars
    _parse(parser, package, name)  # an encoding expat cannot read is refused there


class _Handler:
    """What is done with a part's elements: `tag` is the name as expat gives it ("namespace}Local").

    Each `start` counts the depth and calls `_check` at the root and beyond `MAX_XML_DEPTH` (inline, not
    through a wrapper: a page has thousands of elements)."""

    root: str | None = None  # the local name the root must have
    package: _OfdPackage
    name: str
    depth = 0

    def _check(self, tag: str, depth: int) -> None:
        if depth >= MAX_XML_DEPTH:
            raise self.package._invalid(
                f"“{printable(self.name)}”：XML 嵌套超过 {MAX_XML_DEPTH} 层，未读取", code="INPUT-LIMIT"
            )
        if self.root is not None and _local(tag) != self.root:
            shown = printable(tag.rpartition("}")[2])
            raise self.package._invalid(f"“{printable(self.name)}”的根元素是“{shown}”，应为 ofd:{self.root}")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        depth = self.depth
        if depth == 0 or depth >= MAX_XML_DEPTH:
            self._check(tag, depth)
        self.depth = depth + 1

    def end(self, tag: str) -> None:
        self.depth -= 1

    def chars(self, data: str) -> None:
        pass


class _Entry(_Handler):
    """OFD.xml: the DocRoot of the first DocBody."""

    root = "OFD"

    def __init__(self) -> None:
        self.bodies = 0
        self.in_root = False
        self.doc_root: list[str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        super().start(tag, attrs)
        local, depth = _local(tag), self.depth
        if local == "DocBody" and depth == 2:
            self.bodies += 1
        elif local == "DocRoot" and depth == 3 and self.bodies == 1 and self.doc_root is None:
            self.doc_root = []
            self.in_root = True

    def end(self, tag: str) -> None:
        self.depth -= 1
        if _local(tag) == "DocRoot":
            self.in_root = False

    def chars(self, data: str) -> None:
        if self.in_root:
            self.doc_root.append(data)


class _Document(_Handler):
    """Document.xml: the pages' locations in order, the template pages' by ID."""

    root = "Document"

    def __init__(self, package: _OfdPackage) -> None:
        self.package = package
        self.pages: list[str] = []
        self.templates: dict[str, str] = {}
        self.parents: list[str | None] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        super().start(tag, attrs)
        local = _local(tag)
        parent = self.parents[-1] if self.parents else None
        self.parents.append(local)
        if local == "Page" and parent == "Pages":
            if len(self.pages) >= MAX_PAGES:
                raise CheckerInputError(
                    f"OFD 文件超过 {MAX_PAGES:,} 页（上限 {MAX_PAGES:,}），未检查",
                    Location(self.package.source),
                    code="INPUT-LIMIT",
                )
            self.pages.append(attrs.get("BaseLoc", ""))
        elif local == "TemplatePage" and parent == "CommonData":
            self.templates.setdefault(attrs.get("ID", ""), attrs.get("BaseLoc", ""))

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.parents.pop()


class _Content(_Handler):
    """A page's (or template page's) Content.xml: its text codes as pieces, and the templates it names."""

    def __init__(self, reader: _Reader, template: bool) -> None:
        self.reader = reader
        self.template = template
        self.templates: list[str] = []
        self.object: tuple[float, float, tuple[float, ...] | None, float] | None = None
        self.x = self.y = 0.0  # the previous code's X and Y: a code without them takes those
        self.code: dict[str, str] | None = None
        self.parts: list[str] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        depth = self.depth
        if depth == 0 or depth >= MAX_XML_DEPTH:
            self._check(tag, depth)
        self.depth = depth + 1
        if tag in _TEXT_OBJECT:
            left, top = _numbers(attrs.get("Boundary"), 4)[:2] or (0.0, 0.0)
            ctm = _numbers(attrs.get("CTM"), 6) or None
            size = _number(attrs.get("Size"))
            self.object = (left, top, ctm, size if size is not None and size > 0 else DEFAULT_FONT_SIZE)
            self.x = self.y = 0.0
        elif tag in _TEXT_CODE and self.object is not None:
            self.code = attrs
            self.parts = []
        elif tag in _TEMPLATE:
            self.templates.append(attrs.get("TemplateID", ""))

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.code is not None and tag in _TEXT_CODE:
            attrs, self.code = self.code, None
            x, y = _number(attrs.get("X")), _number(attrs.get("Y"))
            self.x = self.x if x is None else x
            self.y = self.y if y is None else y
            text = "".join(self.parts)
            if text:
                self.reader.add(self._piece(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "), attrs))
        elif tag in _TEXT_OBJECT:
            self.object = None

    def chars(self, data: str) -> None:
        if self.code is not None:
            self.parts.append(data)
            self.reader.count(len(data))

    def _piece(self, text: str, attrs: dict[str, str]) -> _Piece:
        left, top, ctm, size = self.object
        x, y = self.x, self.y
        advance = _advance(attrs.get("DeltaX"), text, size)
        if ctm is None:
            return _Piece(top + y, left + x, left + x + advance, size, self.reader.seq, text, self.template)
        a, b, c, d, e, f = ctm
        scale = math.sqrt(abs(a * d - b * c)) or 1.0
        return _Piece(
            top + b * x + d * y + f,
            left + a * x + c * y + e,
            left + a * (x + advance) + c * y + e,
            size * scale,
            self.reader.seq,
            text,
            self.template,
        )


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _numbers(value: str | None, count: int) -> tuple[float, ...]:
    """`count` numbers separated by spaces, or () when `value` is not that."""
    if value is None:
        return ()
    try:
        numbers = tuple(map(float, value.split()))
    except ValueError:
        return ()
    return numbers if len(numbers) == count and all(map(math.isfinite, numbers)) else ()


def _width(char: str, size: float) -> float:
    return size if unicodedata.east_asian_width(char) in _WIDE else size / 2


def _advance(delta_x: str | None, text: str, size: float) -> float:
    """From the first character's origin to the last one's right edge: DeltaX offsets ("g 3 5.6" is three of
    5.6) as far as they go, estimated character widths for the rest."""
    wanted = len(text) - 1
    total, given = 0.0, 0
    tokens = (delta_x or "").split()
    i = 0
    try:
        while i < len(tokens) and given < wanted:
            if tokens[i] == "g":
                take = min(int(tokens[i + 1]), wanted - given)
                value = float(tokens[i + 2])
                i += 3
            else:
                take, value = 1, float(tokens[i])
                i += 1
            if take < 0 or not math.isfinite(value):
                raise ValueError
            total += take * value
            given += take
    except (ValueError, IndexError):
        total, given = 0.0, 0
    total += sum(_width(char, size) for char in text[given:wanted])
    return total + _width(text[-1], size)


# ---------------------------------------------------------------- pages to lines


class _Reader:
    """The pages of the first document, one after another, each made into lines as soon as it is read."""

    def __init__(self, package: _OfdPackage, source: str) -> None:
        limits = get_limits()
        self.package = package
        self.source = source
        self.max_chars = limits.max_document_chars
        self.max_line = limits.max_line_chars
        self.texts: list[str] = []
        self.places: list[str] = []
        self.chars = 0  # characters of the lines plus one per line: the joined text is this minus one
        self.seq = 0
        self.pieces: list[_Piece] = []
        self.page = 0

    def read(self) -> tuple[list[str], list[str]]:
        package = self.package
        entry_name = package.find("OFD.xml")
        if entry_name is None:
            raise package.missing("入口文件", "OFD.xml")
        entry = _Entry()
        _read_xml(package, entry_name, entry)
        doc_root = "".join(entry.doc_root or ()).strip()
        if not doc_root:
            raise package._invalid(f"“{printable(entry_name)}”中没有文档（ofd:DocBody/ofd:DocRoot）", sep="：")
        document_name, shown = package.resolve(posixpath.dirname(entry_name.replace("\\", "/")), doc_root)
        if document_name is None:
            raise package.missing("文档根文件", shown)
        document = _Document(package)
        _read_xml(package, document_name, document)
        if not document.pages:
            raise package._invalid(f"“{printable(document_name)}”中没有页面（ofd:Pages/ofd:Page）", sep="：")
        base = posixpath.dirname(document_name.replace("\\", "/"))
        seen: set[str] = set()
        for number, loc in enumerate(document.pages, start=1):
            self.page = number
            name, shown = package.resolve(base, loc)
            if name is None:
                raise package.missing(f"第 {number} 页的页面文件", shown)
            if name in seen:
                continue
            seen.add(name)
            self._read_page(name, base, document.templates)
        if not self.texts:
            raise CheckerInputError(NO_TEXT, Location(self.source), code="INPUT-FILE")
        return self.texts, self.places

    def _read_page(self, name: str, base: str, templates: dict[str, str]) -> None:
        self.pieces = []
        content = _Content(self, template=False)
        _read_xml(self.package, name, content)
        read = {name}
        wanted, done = list(content.templates), set()
        while wanted:
            template_id = wanted.pop(0)
            if template_id in done or template_id not in templates:
                continue
            done.add(template_id)
            member, shown = self.package.resolve(base, templates[template_id])
            if member is None:
                raise self.package.missing(f"第 {self.page} 页的模板页文件", shown)
            if member in read:
                continue
            read.add(member)
            inner = _Content(self, template=True)
            _read_xml(self.package, member, inner)
            wanted.extend(inner.templates)
        lines = _lines(self.pieces)
        self.pieces = []
        last = len(lines) - 1
        line = 0
        for i, (text, template) in enumerate(lines):
            if (template or i in (0, last)) and _PAGE_NUMBER.fullmatch(text):
                continue
            line += 1
            self._emit(text, f"第{self.page}页第{line}行")

    def count(self, n: int) -> None:
        """`n` more characters of text codes read."""
        self.package.text_chars += n
        if self.package.text_chars > self.max_chars:
            raise self._too_long()

    def add(self, piece: _Piece) -> None:
        if len(self.pieces) >= MAX_TEXT_CODES_PER_PAGE:
            raise CheckerInputError(
                f"第 {self.page} 页有超过 {MAX_TEXT_CODES_PER_PAGE:,} 段文字（ofd:TextCode），不像正常的公文页面，未检查",
                Location(self.source),
                code="INPUT-LIMIT",
            )
        self.pieces.append(piece)
        self.seq += 1

    def _emit(self, text: str, place: str) -> None:
        self.chars += len(text) + 1
        if self.chars - 1 > self.max_chars:
            raise self._too_long()
        self.texts.append(text)
        self.places.append(place)
        if len(text) > self.max_line:
            raise long_line_error(self.source, len(self.texts), len(text), "行")

    def _too_long(self) -> CheckerInputError:
        return CheckerInputError(
            f"公文过长（超过 {self.max_chars:,} 个字符，上限 {self.max_chars:,}），未检查",
            Location(self.source),
            code="INPUT-LIMIT",
        )


def _lines(pieces: list[_Piece]) -> list[tuple[str, bool]]:
    """(text, all from templates) per line of a page, top to bottom; lines of only spaces left out."""
    pieces.sort(key=lambda piece: (piece.y, piece.x, piece.seq))
    groups: list[list[_Piece]] = []
    anchor = None
    for piece in pieces:
        if anchor is not None and piece.y - anchor.y <= max(anchor.size, piece.size) / 2:
            groups[-1].append(piece)
        else:
            groups.append([piece])
            anchor = piece
    lines = []
    for group in groups:
        group.sort(key=lambda piece: (piece.x, piece.seq))
        parts = [group[0].text]
        for before, after in zip(group, group[1:]):
            if (
                after.x - before.x_end > max(before.size, after.size)
                and _latin(before.text[-1])
                and _latin(after.text[0])
            ):
                parts.append(" ")
            parts.append(after.text)
        text = "".join(parts).strip()
        if text:
            lines.append((text, all(piece.template for piece in group)))
    return lines


def _latin(char: str) -> bool:
    """A Latin letter, digit or ASCII sign: words of these keep a space between them."""
    return "!" <= char <= "~"
