"""The layout of a .docx as Word shows it: page setup, the document grid, and each paragraph's fonts, sizes,
alignment and indents resolved through styles, document defaults and theme fonts; the footers' page numbers.

The text itself is read by checker.inputs.docxtext (streaming, bounded); this reads only the few parts layout
needs (document, styles, theme, settings, footers), after the same zip-directory check, with an lxml parser that
loads no DTD, resolves no entity and refuses a DOCTYPE.  Paragraphs are numbered in docxtext's reading order
(body, table cells, text boxes; mc:Fallback skipped), so paragraph N is text line N.
"""

from __future__ import annotations

import posixpath
import re

from checker.core.plain import field, plain

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TWIPS_PER_MM = 1440 / 25.4
_MAX_CHAIN = 32  # basedOn links followed (a cycle stops here)
_PAGE_FIELD = re.compile(r"^\s*PAGE(\s|\\|$)")
_WRAPPERS = {f"{{{W}}}{t}" for t in ("sdt", "sdtContent", "customXml", "smartTag")}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class LayoutUnreadable(ValueError):
    """A part layout needs is missing or damaged (the text could still be read)."""


@plain(frozen=True)
class Section:
    number: int
    width: float  # mm
    height: float
    top: float
    bottom: float
    left: float  # the gutter included
    right: float
    line_pitch: float | None  # pt: the document grid's, or the body's exact line spacing
    char_pitch: float | None  # pt: the character grid's, or None (characters at their own size)
    grid: str | None  # w:docGrid type, or "exact" when the line pitch is an exact line spacing


@plain(frozen=True)
class Run:
    start: int  # character offsets in the paragraph's text
    end: int
    font: str | None  # the Chinese (w:eastAsia) font as resolved
    size: float | None  # pt


@plain(frozen=True)
class Paragraph:
    line: int  # its text line (reading order)
    top_level: bool  # a body paragraph (not in a table or text box)
    text: str
    runs: tuple[Run, ...]
    align: str | None  # w:jc as resolved (None: Word's default, left)
    first_line: float  # first-line indent in characters of the paragraph's size (hanging: negative)
    left: float  # left indent in characters


@plain(frozen=True)
class Footer:
    kind: str  # "default" | "even"
    has_page: bool
    before: str = ""  # the text around the PAGE field in its paragraph
    after: str = ""
    size: float | None = None
    font: str | None = None  # the Latin (w:ascii) font of the field: Arabic numerals
    align: str | None = None  # the paragraph's alignment, or its frame's xAlign


@plain
class Layout:
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    footers: dict[str, Footer] = field(default_factory=dict)  # of the last (main) section
    even_odd: bool = False  # w:evenAndOddHeaders
    body_size: float | None = None  # the default paragraph style's size, pt


# ---------------------------------------------------------------- the package


class _Parts:
    def __init__(self, path: str, source: str) -> None:
        import zipfile

        from checker.inputs.decode import check_zip_archive
        from checker.inputs.docxtext import INVALID

        check_zip_archive(path, source, INVALID, "INPUT-FILE")
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise LayoutUnreadable(f"无法打开（{type(exc).__name__}）") from None
        self.names = {n.lower(): n for n in self.zip.namelist()}

    def close(self) -> None:
        self.zip.close()

    def xml(self, name: str):
        from lxml import etree

        real = self.names.get(name.lower())
        if real is None:
            return None
        try:
            data = self.zip.read(real)
        except Exception as exc:  # zipfile raises many kinds on a damaged member
            raise LayoutUnreadable(f"“{name}”已损坏（{type(exc).__name__}）") from None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise LayoutUnreadable(f"“{name}”不是有效的 XML（{exc.msg}）") from None
        if root.getroottree().docinfo.doctype:
            raise LayoutUnreadable(f"“{name}”含 DOCTYPE 声明")
        return root

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (type's last word, part name) of a part's internal relationships."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
        out = {}
        for rel in root if root is not None else ():
            if rel.tag != f"{{{_PKG}}}Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id")] = ((rel.get("Type") or "").rpartition("/")[2], path)
        return out


# ---------------------------------------------------------------- styles


class _Styles:
    """Property lookup as Word resolves it: direct → style chain → document defaults → theme fonts."""

    def __init__(self, styles, theme, settings) -> None:
        self.by_id: dict[str, object] = {}
        self.default_para = None
        self.rpr_default = self.ppr_default = None
        if styles is not None:
            for style in styles.iter(_w("style")):
                sid = style.get(_w("styleId"))
                if sid is not None:
                    self.by_id.setdefault(sid, style)
                if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on"):
                    self.default_para = self.default_para or sid
            defaults = styles.find(_w("docDefaults"))
            if defaults is not None:
                self.rpr_default = defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
                self.ppr_default = defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}")
        self.theme = _theme_fonts(theme, settings)

    def chain(self, style_id: str | None, tag: str) -> list:
        """The `tag` (w:rPr or w:pPr) of a style and of each style it is based on, nearest first."""
        out, seen = [], set()
        while style_id and style_id not in seen and len(seen) < _MAX_CHAIN:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                break
            props = style.find(_w(tag))
            if props is not None:
                out.append(props)
            based = style.find(_w("basedOn"))
            style_id = based.get(_w("val")) if based is not None else None
        return out

    def run_chain(self, run, para_style: str | None) -> list:
        rpr = run.find(_w("rPr")) if run is not None else None
        chain = [rpr] if rpr is not None else []
        if rpr is not None:
            rstyle = rpr.find(_w("rStyle"))
            if rstyle is not None:
                chain += self.chain(rstyle.get(_w("val")), "rPr")
        chain += self.chain(para_style, "rPr")
        if self.rpr_default is not None:
            chain.append(self.rpr_default)
        return chain

    def para_chain(self, p) -> tuple[list, str | None]:
        ppr = p.find(_w("pPr"))
        style = None
        if ppr is not None:
            pstyle = ppr.find(_w("pStyle"))
            style = pstyle.get(_w("val")) if pstyle is not None else None
        style = style or self.default_para
        chain = ([ppr] if ppr is not None else []) + self.chain(style, "pPr")
        if self.ppr_default is not None:
            chain.append(self.ppr_default)
        return chain, style

    def font(self, chain: list, which: str = "eastAsia") -> str | None:
        for rpr in chain:
            fonts = rpr.find(_w("rFonts"))
            if fonts is None:
                continue
            theme = fonts.get(_w(which + "Theme"))
            if theme:
                return self.theme.get(theme)
            name = fonts.get(_w(which))
            if name:
                return name
        return None

    @staticmethod
    def size(chain: list) -> float | None:
        for rpr in chain:
            sz = rpr.find(_w("sz"))
            if sz is not None and _number(sz.get(_w("val"))) is not None:
                return _number(sz.get(_w("val"))) / 2
        return None


def _theme_fonts(theme, settings) -> dict[str, str | None]:
    """Theme font name (minorEastAsia …) -> typeface: the ea font, else the script's (Hans) from the list."""
    out: dict[str, str | None] = {}
    if theme is None:
        return out
    script = "Hans"
    if settings is not None:
        lang = settings.find(_w("themeFontLang"))
        if lang is not None and (lang.get(_w("eastAsia")) or "").lower() in ("zh-tw", "zh-hk", "zh-mo"):
            script = "Hant"
    for major in ("major", "minor"):
        font = next(theme.iter(f"{{{_A}}}{major}Font"), None)
        if font is None:
            continue
        latin, ea = font.find(f"{{{_A}}}latin"), font.find(f"{{{_A}}}ea")
        east = ea.get("typeface") if ea is not None else None
        if not east:
            listed = next((f for f in font.findall(f"{{{_A}}}font") if f.get("script") == script), None)
            east = listed.get("typeface") if listed is not None else None
        west = latin.get("typeface") if latin is not None else None
        out[f"{major}EastAsia"] = east or None
        for name in ("Ascii", "HAnsi", "Bidi"):
            out[f"{major}{name}"] = west or None
    return out


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _attr(chain: list, tag: str, *names: str):
    """The first element of `chain` holding `tag` with any of `names`, as {name: value}."""
    for props in chain:
        element = props.find(_w(tag))
        if element is not None and any(element.get(_w(n)) is not None for n in names):
            return {n: element.get(_w(n)) for n in names}
    return None


def _align(chain: list) -> str | None:
    for props in chain:
        frame = props.find(_w("framePr"))
        if frame is not None and frame.get(_w("xAlign")):
            return frame.get(_w("xAlign"))
        jc = props.find(_w("jc"))
        if jc is not None and jc.get(_w("val")):
            return jc.get(_w("val"))
    return None


def _indents(chain: list, size: float) -> tuple[float, float]:
    """(first-line, left) indents in characters of `size` pt (hanging is a negative first line)."""
    chars = size * 20 if size else 320
    first = left = 0.0
    ind = _attr(chain, "ind", "firstLine", "firstLineChars", "hanging", "hangingChars")
    if ind is not None:
        if ind["hangingChars"] is not None or ind["hanging"] is not None:
            hc = _number(ind["hangingChars"])
            first = -(hc / 100 if hc is not None else (_number(ind["hanging"]) or 0) / chars)
        else:
            fc = _number(ind["firstLineChars"])
            first = fc / 100 if fc is not None else (_number(ind["firstLine"]) or 0) / chars
    ind = _attr(chain, "ind", "left", "start", "leftChars", "startChars")
    if ind is not None:
        lc = _number(ind["leftChars"] or ind["startChars"])
        left = lc / 100 if lc is not None else (_number(ind["left"] or ind["start"]) or 0) / chars
    return first, left


# ---------------------------------------------------------------- paragraphs in reading order


def _paragraphs(root) -> list:
    """Every w:p under `root` in docxtext's reading order (mc:Fallback and later branches skipped)."""
    out, stack = [], [root]
    while stack:
        element = stack.pop()
        if element.tag == _w("p"):
            out.append(element)
        children = list(element)
        if element.tag == f"{{{_MC}}}AlternateContent":
            children = children[:1]
        stack.extend(reversed([c for c in children if isinstance(c.tag, str)]))
    return out


def _owner(element):
    """The nearest enclosing w:p."""
    parent = element.getparent()
    while parent is not None and parent.tag != _w("p"):
        parent = parent.getparent()
    return parent


def _top_level(p, body) -> bool:
    parent = p.getparent()
    while parent is not None and parent is not body:
        if parent.tag not in _WRAPPERS:
            return False
        parent = parent.getparent()
    return parent is body


def _own_runs(p) -> list:
    return [r for r in p.iter(_w("r")) if _owner(r) is p]


def _run_text(run) -> str:
    parts = []
    for child in run:
        if child.tag == _w("t"):
            parts.append(child.text or "")
        elif child.tag in (_w("tab"), _w("ptab")):
            parts.append("\t")
    return "".join(parts)


def _paragraph(p, line: int, body, styles: _Styles) -> Paragraph:
    pchain, style = styles.para_chain(p)
    runs, text = [], ""
    size_of_mark = styles.size(styles.run_chain(None, style))
    for run in _own_runs(p):
        piece = _run_text(run)
        if not piece:
            continue
        chain = styles.run_chain(run, style)
        runs.append(Run(len(text), len(text) + len(piece), styles.font(chain), styles.size(chain)))
        text += piece
    size = next((r.size for r in runs if r.size), None) or size_of_mark or 10.0
    first, left = _indents(pchain, size)
    return Paragraph(line, _top_level(p, body), text, tuple(runs), _align(pchain), first, left)


# ---------------------------------------------------------------- sections and footers


def _section(sect, number: int, grid_pitch_fallback: float | None) -> Section:
    size, margins = sect.find(_w("pgSz")), sect.find(_w("pgMar"))

    def twips(element, name: str, default: float) -> float:
        value = _number(element.get(_w(name))) if element is not None else None
        return abs(value) if value is not None else default

    width, height = twips(size, "w", 12240), twips(size, "h", 15840)  # Word's default: Letter
    gutter = twips(margins, "gutter", 0)
    top, bottom = twips(margins, "top", 1440), twips(margins, "bottom", 1440)
    left, right = twips(margins, "left", 1800) + gutter, twips(margins, "right", 1800)
    grid = sect.find(_w("docGrid"))
    kind = grid.get(_w("type")) if grid is not None else None
    line_pitch = char_pitch = None
    if kind in ("lines", "linesAndChars", "snapToChars"):
        pitch = _number(grid.get(_w("linePitch")))
        line_pitch = pitch / 20 if pitch else None
    if kind in ("linesAndChars", "snapToChars"):
        space = _number(grid.get(_w("charSpace")))
        char_pitch = space  # raw; made relative to the body size by the caller
    if line_pitch is None and grid_pitch_fallback is not None:
        line_pitch, kind = grid_pitch_fallback, "exact"
    mm = TWIPS_PER_MM
    return Section(
        number, width / mm, height / mm, top / mm, bottom / mm, left / mm, right / mm, line_pitch, char_pitch, kind
    )


def _exact_spacing(paragraphs: list, styles: _Styles) -> float | None:
    """The exact line spacing (pt) most body paragraphs have, when they have one."""
    counts: dict[float, int] = {}
    for p in paragraphs:
        chain, _ = styles.para_chain(p)
        spacing = _attr(chain, "spacing", "line", "lineRule")
        if spacing and spacing["lineRule"] == "exact" and _number(spacing["line"]):
            pitch = _number(spacing["line"]) / 20
            counts[pitch] = counts.get(pitch, 0) + 1
    if not counts:
        return None
    pitch, count = max(counts.items(), key=lambda kv: kv[1])
    return pitch if count * 2 > len(paragraphs) else None


def _footer(root, kind: str, styles: _Styles) -> Footer:
    """The footer's page number: the first paragraph holding a PAGE field, with the text around the field."""
    for p in _paragraphs(root):
        found = _page_field(p)
        if found is not None:
            before, after, field_run = found
            pchain, style = styles.para_chain(p)
            chain = styles.run_chain(field_run, style)
            return Footer(kind, True, before, after, styles.size(chain), styles.font(chain, "ascii"), _align(pchain))
    return Footer(kind, False)


def _page_field(p) -> tuple[str, str, object] | None:
    """(text before, text after, the field's first run) of the paragraph's PAGE field, or None.

    Complex fields (fldChar begin … instrText … end, nested ones too) and simple ones (w:fldSimple); the field's
    own result is not text around it."""
    from lxml import etree

    before, after = [], []
    fields: list[list] = []  # open complex fields: [instruction, first run]
    simple = None  # the w:fldSimple being walked, when it is a PAGE field
    page_run, done = None, False
    for event, element in etree.iterwalk(p, events=("start", "end")):
        tag = element.tag
        if event == "end":
            if element is simple:
                simple, done = None, True
            continue
        if tag == _w("fldSimple") and _owner(element) is p and not done and simple is None:
            if _PAGE_FIELD.match(element.get(_w("instr")) or ""):
                simple = element
                page_run = element.find(f".//{_w('r')}")
        elif tag == _w("fldChar") and _owner(element) is p:
            what = element.get(_w("fldCharType"))
            if what == "begin":
                fields.append(["", element.getparent()])
            elif what == "end" and fields:
                instr, run = fields.pop()
                if not done and _PAGE_FIELD.match(instr):
                    done, page_run = True, run
        elif tag == _w("instrText") and fields and _owner(element) is p:
            fields[-1][0] += element.text or ""
        elif tag in (_w("t"), _w("tab")) and not fields and simple is None and _owner(element) is p:
            (after if done else before).append(element.text or "" if tag == _w("t") else "\t")
    if not done:
        return None
    return "".join(before), "".join(after), page_run


# ---------------------------------------------------------------- the whole


def read_layout(path: str, source: str) -> Layout:
    """The layout of the .docx at `path`; LayoutUnreadable when a part it needs is damaged."""
    parts = _Parts(path, source)
    try:
        return _read(parts)
    finally:
        parts.close()


def _read(parts: _Parts) -> Layout:
    main = "word/document.xml"
    for _rid, (kind, target) in parts.rels("").items():
        if kind == "officeDocument":
            main = target
    document = parts.xml(main)
    body = document.find(_w("body")) if document is not None else None
    if body is None:
        raise LayoutUnreadable("缺少正文部分")
    related = parts.rels(main)
    by_kind = {}
    for _rid, (kind, target) in related.items():
        by_kind.setdefault(kind, target)
    styles = _Styles(
        parts.xml(by_kind["styles"]) if "styles" in by_kind else None,
        parts.xml(by_kind["theme"]) if "theme" in by_kind else None,
        settings := (parts.xml(by_kind["settings"]) if "settings" in by_kind else None),
    )
    layout = Layout()
    if settings is not None:
        flag = settings.find(_w("evenAndOddHeaders"))
        layout.even_odd = flag is not None and flag.get(_w("val"), "true") not in ("0", "false", "off")
    layout.body_size = styles.size(styles.run_chain(None, styles.default_para)) or 10.0
    ps = _paragraphs(body)
    layout.paragraphs = [_paragraph(p, n, body, styles) for n, p in enumerate(ps, 1)]
    top = [p for p, info in zip(ps, layout.paragraphs) if info.top_level and info.text.strip()]
    exact = _exact_spacing(top, styles)
    sects = [e for e in body.iter(_w("sectPr")) if e.getparent().tag == _w("pPr")] + body.findall(_w("sectPr"))
    for number, sect in enumerate(sects, 1):
        section = _section(sect, number, exact)
        if section.char_pitch is not None:  # charSpace: 4096ths of a point added to the default size
            section = Section(
                *(getattr(section, f) for f in ("number", "width", "height", "top", "bottom", "left", "right")),
                section.line_pitch,
                layout.body_size + section.char_pitch / 4096,
                section.grid,
            )
        layout.sections.append(section)
    if sects:
        for ref in sects[-1].findall(_w("footerReference")):
            kind = ref.get(_w("type")) or "default"
            target = related.get(ref.get(f"{{{_R}}}id"))
            if kind in ("default", "even") and target is not None:
                root = parts.xml(target[1])
                if root is not None:
                    layout.footers[kind] = _footer(root, kind, styles)
    return layout
