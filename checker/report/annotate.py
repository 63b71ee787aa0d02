"""Findings back into Word: a copy of a .docx with every finding as a comment (批注) on exactly its characters.

Line N of a linted .docx is its N-th body paragraph as `checker.inputs.docxtext` reads it, and a finding's
columns count characters of that line.  `paragraphs()` walks the document's XML (python-docx's tree, the one
that is saved) in exactly the reader's order and with exactly its text rules, keeping for every character the
run child it comes from; so a span is found again as runs, and a run that the span starts or ends inside is
split in two (both halves keep the run's w:rPr, so its formatting).  A tab, a break or a symbol is a child of
its own, so spans around it are exact too; only text that is not a w:t of the run itself (ruby's base text)
cannot be cut: the comment covers that whole element.

Every paragraph's text is compared with the reader's before anything is anchored; a paragraph whose text
differed would have its comments on the whole paragraph, never on the wrong characters.  A finding without a
line (about the file as a whole) is on the first paragraph, one with a line but no column on its paragraph;
one in a header, footer or note (whose lines follow the body's) is on the first paragraph and says where it is.
Waived findings are not written.  Nothing here names a domain: any command that reads .docx files can use it.
"""

from __future__ import annotations

import copy
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from checker.core.atomic import replacing
from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.core.plain import field, plain
from checker.inputs.docxtext import (
    BODY_PLACES,
    IN_RUN_CHARACTERS,
    MC_NAMESPACE,
    SKIPPED_ELEMENTS,
    W_NAMESPACES,
    step_field,
)

AUTHOR, INITIALS = "checker", "ck"

_W = W_NAMESPACES  # the second (Strict Open XML) is read, never written
_MC = MC_NAMESPACE
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# An element's own text node: python-docx's w:p, w:r and w:hyperlink classes make `.text` their whole text.
_RAW_TEXT = etree._Element.text

# What an open element is (as in docxtext): only these matter to the elements below it or at its end.
_PLAIN, _RUN, _SKIP, _PARA, _TEXT, _ALT = range(6)

# Not read, and one character in a run: the reader's own tables, so the walk reaches the same characters.
_SKIPPED = SKIPPED_ELEMENTS
_IN_RUN = IN_RUN_CHARACTERS


# ---------------------------------------------------------------- the document's paragraphs, character by character


@plain(slots=True)
class Piece:
    """Characters [start, start + len(text)) of a line, and the child of a run they come from.

    `unit` is a direct child of the paragraph's outermost run around the text: the w:t itself when the text is
    exactly that w:t's text (`splittable`: a span may start or end inside it), else the child to cover whole.
    None: the text is in no run (the comment then covers the whole paragraph).
    """

    start: int
    text: str
    unit: Any
    splittable: bool

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@plain(slots=True)
class Paragraph:
    """One line: its w:p and the pieces of its text in reading order."""

    element: Any
    pieces: list[Piece] = field(default_factory=list)
    text: str = ""
    mapped: bool = True  # columns are characters of `pieces` (false when the reader read the text otherwise)
    starts: list[int] = field(default_factory=list)  # each piece's start, for bisection
    loose: bool = False  # some of its text is in no run

    def __post_init__(self) -> None:
        self.starts = [piece.start for piece in self.pieces]
        self.loose = any(piece.unit is None for piece in self.pieces)

    def index(self, position: int) -> int:
        """The piece that holds character `position` (0-based, within the text)."""
        return bisect_right(self.starts, position) - 1


class _Open:
    """A paragraph being read: its pieces, its open fields, the text-box paragraphs that follow it."""

    __slots__ = ("element", "fields", "hidden", "length", "pending", "pieces")

    def __init__(self, element: Any) -> None:
        self.element = element
        self.pieces: list[Piece] = []
        self.length = 0
        self.hidden = 0  # open fields in their instruction part
        self.fields: list[bool] = []  # open fields, innermost last: True while in the instruction part
        self.pending: list[Paragraph] = []


def _split_tag(tag: Any) -> tuple[str, str]:
    if not isinstance(tag, str) or not tag.startswith("{"):
        return "", tag if isinstance(tag, str) else ""
    namespace, _, local = tag[1:].partition("}")
    return namespace, local


class _Walker:
    """docxtext._Reader's rules on a tree: the same start and end actions, in document order."""

    def __init__(self) -> None:
        self.lines: list[Paragraph] = []
        self.skip = False
        self.in_text = False
        self.open: list[_Open] = []
        self.branches: list[bool] = []

    def walk(self, root: Any) -> list[Paragraph]:
        self._visit(root, 0, _PLAIN)
        return self.lines

    def _visit(self, element: Any, depth: int, parent: int) -> None:
        code = self._start(element, depth, parent)
        if self.in_text and not self.skip:
            text = _RAW_TEXT.__get__(element)
            if text:
                self._chars(text, element, own=True)
        for child in element:
            if isinstance(child.tag, str):
                self._visit(child, depth + 1, code)
            if child.tail and self.in_text and not self.skip:  # text after a child is the parent's
                self._chars(child.tail, element, own=False)
        self._end(code)

    # -- start tags

    def _start(self, element: Any, depth: int, parent: int) -> int:
        if self.skip:
            return _PLAIN
        namespace, local = _split_tag(element.tag)
        if depth == 0:
            return _PLAIN
        if depth == 1:  # the root's children: only the body is read
            if namespace in _W and local == "body":
                return _PLAIN
            self.skip = True
            return _SKIP
        if namespace == _MC:
            if local == "AlternateContent":
                self.branches.append(False)
                return _ALT
            if local in ("Choice", "Fallback") and parent == _ALT:
                if self.branches[-1]:
                    self.skip = True
                    return _SKIP
                self.branches[-1] = True
            return _PLAIN
        if namespace not in _W:
            return _PLAIN
        if local in _SKIPPED:
            self.skip = True
            return _SKIP
        if local == "p":
            self.open.append(_Open(element))
            return _PARA
        if local == "r":
            return _RUN
        if local == "t":
            paragraph = self._paragraph()
            if paragraph is None or paragraph.hidden:
                self.skip = True
                return _SKIP
            self.in_text = True
            return _TEXT
        if parent == _RUN:
            if local in _IN_RUN:
                self._add(_IN_RUN[local], element)
            elif local == "br":
                if element.get(f"{{{namespace}}}type", "textWrapping") == "textWrapping":
                    self._add(" ", element)
            elif local == "sym":
                self._sym(element, namespace)
        if local == "fldChar":
            self._field_char(element, namespace)
        return _PLAIN

    def _sym(self, element: Any, namespace: str) -> None:
        code = element.get(f"{{{namespace}}}char", "")
        if re.fullmatch("[0-9A-Fa-f]{1,6}", code):
            value = int(code, 16)
            if 0x20 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF and not 0x7F <= value <= 0x9F:
                self._add(chr(value), element)

    def _field_char(self, element: Any, namespace: str) -> None:
        paragraph = self._paragraph()
        if paragraph is None:
            return
        step_field(paragraph, element.get(f"{{{namespace}}}fldCharType"))

    # -- end tags

    def _end(self, code: int) -> None:
        if code == _SKIP:
            self.skip = False
        elif code == _TEXT:
            self.in_text = False
        elif code == _ALT:
            self.branches.pop()
        elif code == _PARA:
            self._end_paragraph()

    def _end_paragraph(self) -> None:
        done = self.open.pop()
        line = Paragraph(done.element, done.pieces, _one_line("".join(p.text for p in done.pieces)))
        line.mapped = all("\r" not in p.text for p in done.pieces)  # "\r\n" is one space: columns would shift
        anchor = self._paragraph()
        if anchor is not None:  # a text box's paragraph: its line follows the anchoring paragraph's
            anchor.pending.append(line)
            anchor.pending.extend(done.pending)
            return
        self.lines.append(line)
        self.lines.extend(done.pending)

    # -- text

    def _paragraph(self) -> _Open | None:
        return self.open[-1] if self.open else None

    def _chars(self, text: str, holder: Any, own: bool) -> None:
        whole = own and len(holder) == 0 and _split_tag(holder.tag)[1] == "t"  # all of a w:t's text
        self._add(text, holder, splittable=whole)

    def _add(self, text: str, element: Any, splittable: bool = False) -> None:
        paragraph = self._paragraph()
        if paragraph is None or paragraph.hidden:
            return
        unit = _unit(element, paragraph.element)
        piece = Piece(paragraph.length, text, unit, splittable and unit is element)
        paragraph.pieces.append(piece)
        paragraph.length += len(text)


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _is_run(element: Any) -> bool:
    namespace, local = _split_tag(element.tag)
    return local == "r" and namespace in _W


def _unit(element: Any, paragraph: Any) -> Any:
    """The child of the outermost run (below `paragraph`) that holds `element`; None when no run holds it."""
    unit = None
    node = element
    while node is not None and node is not paragraph:
        parent = node.getparent()
        if parent is not None and _is_run(parent):
            unit = node
        node = parent
    return unit


def paragraphs(body_root: Any) -> list[Paragraph]:
    """The lines of a document part's root (w:document), as `read_docx` reads its body, with their pieces."""
    return _Walker().walk(body_root)


# ---------------------------------------------------------------- runs cut at a span's ends


def _w(local: str) -> str:
    return f"{{{_W[0]}}}{local}"


def _cut_before(unit: Any) -> None:
    """Split `unit`'s run so that `unit` is its first content: what comes before it goes into a new run, before
    it, with a copy of the run's properties (w:rPr), so the text keeps its formatting."""
    from docx.oxml.parser import OxmlElement

    run = unit.getparent()
    moved = []
    node = unit.getprevious()
    while node is not None and node.tag != _w("rPr"):  # only what is before it: a cut costs what it moves
        moved.append(node)
        node = node.getprevious()
    if not moved:
        return
    moved.reverse()
    left = OxmlElement("w:r")
    for name, value in run.attrib.items():
        left.set(name, value)
    if node is not None:  # the run's w:rPr, where the walk back stopped
        left.append(copy.deepcopy(node))
    for child in moved:
        left.append(child)  # moved, not copied: the pieces that name it stay right
    run.addprevious(left)


def _next_content(unit: Any) -> Any:
    """The element after `unit` in its run (None: it is the run's last)."""
    node = unit.getnext()
    while node is not None and not isinstance(node.tag, str):
        node = node.getnext()
    return node


def _split_text(line: Paragraph, index: int, offset: int) -> None:
    """Split piece `index` (all of one w:t) after `offset` characters into two w:t of the same run."""
    from docx.oxml.parser import OxmlElement

    piece = line.pieces[index]
    t = piece.unit
    left = OxmlElement("w:t")
    for name, value in t.attrib.items():
        left.set(name, value)
    left.set(_XML_SPACE, "preserve")  # a space at the cut must stay a space
    t.set(_XML_SPACE, "preserve")
    text = _RAW_TEXT.__get__(t)
    _RAW_TEXT.__set__(left, text[:offset])
    _RAW_TEXT.__set__(t, text[offset:])
    t.addprevious(left)
    line.pieces[index : index + 1] = [
        Piece(piece.start, text[:offset], left, True),
        Piece(piece.start + offset, text[offset:], t, True),
    ]
    line.starts.insert(index + 1, piece.start + offset)


def _split_at(line: Paragraph, position: int) -> None:
    """A piece boundary at `position` (0-based), where the piece there is all of one w:t."""
    index = line.index(position)
    if 0 <= index < len(line.pieces):
        piece = line.pieces[index]
        if piece.start < position < piece.end and piece.splittable:
            _split_text(line, index, position - piece.start)


def _runs_for(line: Paragraph, start: int, end: int) -> tuple[Any, Any] | None:
    """The first and last run of [start, end), the runs cut so that they hold nothing outside it (as far as
    the text allows); None when some of it is in no run."""
    _split_at(line, start)
    _split_at(line, end)
    pieces = line.pieces
    i, j = max(line.index(start), 0), line.index(end - 1)  # the pieces [i, j] hold the span
    if j < i or (line.loose and any(pieces[k].unit is None for k in range(i, j + 1))):
        return None
    first, last = pieces[i], pieces[j]
    if i == 0 or pieces[i - 1].unit is not first.unit:  # a unit is never cut through
        _cut_before(first.unit)
    after = _next_content(last.unit)
    if after is not None and (j + 1 == len(pieces) or pieces[j + 1].unit is not last.unit):
        _cut_before(after)
    return first.unit.getparent(), last.unit.getparent()


def _whole(line: Paragraph) -> tuple[Any, Any]:
    """The first and last run of the paragraph's text; an empty run of its own when it has none."""
    if line.pieces:
        found = _runs_for(line, 0, line.pieces[-1].end)
        if found is not None:
            return found
        units = [p.unit for p in line.pieces if p.unit is not None]
        if units:
            return units[0].getparent(), units[-1].getparent()
    from docx.oxml.parser import OxmlElement

    empty = OxmlElement("w:r")
    line.element.append(empty)
    return empty, empty


def _span(finding: Any, length: int) -> tuple[int, int] | None:
    """The finding's characters as a 0-based [start, end) within a line of `length`, None: the whole line."""
    if finding.column is None or length == 0:
        return None
    start = min(max(finding.column - 1, 0), length - 1)
    end = finding.end_column - 1 if finding.end_column is not None else start + 1
    end = min(max(end, start + 1), length)  # an insertion point is the character at it
    return start, end


# ---------------------------------------------------------------- comments


def comment_text(finding: Any) -> str:
    """`[RULE] message`, the suggested text and what to do, and the clause it rests on."""
    lines = [f"[{finding.rule_id}] {finding.message}"]
    place = getattr(finding, "place", None)
    if place and place not in BODY_PLACES:  # Word has no comments in a header: say where it is
        text = finding.context(60)[0] if finding.snippet else ""
        lines.append(f"位置：{place}" + (f"“{text}”" if text else ""))
    if finding.suggestion is not None:
        lines.append(f"改为：“{finding.suggestion}”")
    if finding.fix:
        lines.append(f"建议：{finding.fix}")
    if finding.citation:
        lines.append(f"依据：{finding.citation}")
    return "\n".join(lines)


def annotate(path: str | Path, findings: Iterable[Any], target: str | Path, source: str | None = None) -> int:
    """Write a copy of the .docx `path` to `target` with each finding that is not waived as a comment;
    returns the number of comments written.  `path` is never written; `target` is replaced atomically."""
    from checker.inputs.decode import read_docx

    source = str(path) if source is None else source
    try:
        expected = [line.text for line in read_docx(path, source)]  # the reader's lines, within its limits
    except CheckerInputError as exc:
        raise CheckerInputError(f"无法写入批注：{exc.message}", exc.location, exc.code) from None
    document = _open(path, source)
    root = document.element
    if _split_tag(root.tag)[0] != _W[0]:
        raise CheckerInputError("Strict Open XML 格式的 Word 文件，无法写入批注", Location(source), "INPUT-FILE")
    lines = paragraphs(root)
    if len(lines) != len(expected):
        raise RuntimeError(f"{source}: 批注定位读出 {len(lines)} 段，检查时读出 {len(expected)} 段")
    for line, text in zip(lines, expected):
        if line.text != text:
            line.mapped = False
    comments = _Comments(document)
    count = 0
    for finding in sorted(findings, key=lambda f: (f.line or 0, f.column or 0)):  # ids in reading order
        if finding.waived:
            continue
        comments.add(lines, finding)
        count += 1
    _save(document, Path(target), source)
    return count


def _open(path: str | Path, source: str) -> Any:
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises what its parts raise: KeyError, ValueError, lxml's errors
        raise CheckerInputError(
            f"无法写入批注：python-docx 无法打开此文件（{type(exc).__name__}）", Location(source), "INPUT-FILE"
        ) from None


class _Comments:
    """python-docx's comments part, each comment written as python-docx writes one (`Comments.add_comment`: the
    CommentText paragraphs, the annotation mark, author, initials, date) and anchored by `Run.mark_comment_range`,
    but made here in one piece with the ids counted here: python-docx reads every id in the part again for each
    new comment and builds its text a character at a time, which made ten thousand comments (possible:
    `max_observations` per kind) take minutes."""

    def __init__(self, document: Any) -> None:
        import datetime as dt

        comments = document.comments  # the part, made when the document has none
        self.document = document
        self.element = comments._comments_elm
        self.used = {int(value) for value in self.element.xpath("./w:comment/@w:id")}
        self.next_id = 0
        self.date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _take_id(self) -> int:
        while self.next_id in self.used:  # the smallest unused: always within the schema's 32-bit range
            self.next_id += 1
        self.used.add(self.next_id)
        return self.next_id

    def add(self, lines: list[Paragraph], finding: Any) -> None:
        from docx.oxml.ns import nsdecls
        from docx.oxml.parser import parse_xml
        from docx.text.paragraph import Paragraph as DocxParagraph
        from docx.text.run import Run

        number = finding.line if finding.line and finding.line <= len(lines) else 1
        line = lines[number - 1]
        span = _span(finding, len(line.text)) if finding.line and line.mapped else None
        runs = _runs_for(line, *span) if span is not None else None
        first, last = runs if runs is not None else _whole(line)
        comment_id = self._take_id()
        paragraphs = "".join(
            _COMMENT_PARAGRAPH.format(mark=_ANNOTATION_MARK if i == 0 else "", text=_xml_text(text))
            for i, text in enumerate(comment_text(finding).split("\n"))
        )
        self.element.append(
            parse_xml(
                f'<w:comment {nsdecls("w")} w:id="{comment_id}" w:author="{AUTHOR}" w:initials="{INITIALS}" '
                f'w:date="{self.date}">{paragraphs}</w:comment>'
            )
        )
        holder = DocxParagraph(line.element, self.document._body)
        Run(first, holder).mark_comment_range(Run(last, holder), comment_id)


_ANNOTATION_MARK = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
_COMMENT_PARAGRAPH = (
    '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>{mark}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
)
_NOT_XML = lazy_compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """`text` as XML character data: escaped, and what XML cannot hold (a control character) as U+FFFD."""
    from xml.sax.saxutils import escape

    return escape(_NOT_XML.sub("\ufffd", text))


def _save(document: Any, target: Path, source: str) -> None:
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _output_error(f"无法写入批注文件：{exc.strerror or exc}", target) from None
    real = Path(os.path.realpath(target))  # a symlink: replace the file it names, keep the link
    mode = stat.S_IMODE(info.st_mode) if info is not None else _umask_mode()
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        with replacing(real, mode) as handle:
            document.save(handle)
    except OSError as exc:
        raise _output_error(f"无法写入批注文件：{exc.strerror or exc}", target) from None


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _output_error(message: str, target: str | Path) -> CheckerInputError:
    return CheckerInputError(message, Location(str(target)), "OUTPUT-FILE")


# ---------------------------------------------------------------- where the copies go


def is_docx(path: str) -> bool:
    return Path(path).suffix.lower() == ".docx"


def targets(files: list[str], out: str) -> list[tuple[str, Path]]:
    """(input, copy) for each .docx of `files`: `out` itself for one input when it names a .docx (and is not a
    directory), else `out/<name>`.  Raises ValueError (a usage error) and CheckerInputError (a copy that would
    be an input, or two inputs of the same name)."""
    docs = [f for f in files if is_docx(f)]
    if not docs:
        raise ValueError("--annotate 只用于 .docx 文件，输入中没有 .docx")
    single = is_docx(out) and not Path(out).is_dir()
    if single and len(docs) > 1:
        raise ValueError(f"有 {len(docs)} 个 .docx 输入，--annotate 应为目录（写入 目录/原文件名）")
    pairs = [(docs[0], Path(out))] if single else [(doc, Path(out) / Path(doc).name) for doc in docs]
    seen: dict[str, str] = {}
    for doc, target in pairs:
        key = os.path.normcase(os.path.abspath(target))
        if key in seen:
            raise _output_error(f"输入 {seen[key]} 与 {doc} 同名，批注文件会互相覆盖，未写入（请分别运行）", target)
        seen[key] = doc
        same = _same_file(target, files)
        if same is not None:
            raise _output_error(f"批注文件就是输入文件 {same}，未写入（请换一个输出文件名）", target)
    return pairs


def _same_file(target: Path, inputs: Iterable[str]) -> str | None:
    from checker.core.output import input_named

    try:
        info = os.stat(target)
    except OSError:
        return None
    return input_named(info, inputs)
