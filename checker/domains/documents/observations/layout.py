"""版式 (GB/T 9704-2012): paper, margins, the 22 × 28 grid, fonts and sizes by element, indents and alignment,
page numbers — read from the .docx itself (text.docx_layout), as Word shows it.

Only .docx documents have a layout to read; of a PDF, the page sizes and where its text stands are measured
(`judge_pdf`); text documents and YAML/JSON records get no layout observation.  Which
paragraph is the title, the 发文字号 or the 主送机关 comes from the document's metadata (`reading.meta`); paragraph N
of the .docx is text line N.  Every number, tolerance and font-name table is a setting of
packs/document-layout/pack.yaml.

A rule example cannot be a .docx: a text example (origin "example", set only by the rule-example runner) holding
YAML under the key `版式示例` is read as a layout description instead — a conforming layout with the example's
departures (`layout_spec`).  No document a user lints has that origin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from checker.core.edits import UNSAFE
from checker.core.lazyre import lazy_compile
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

PACK = Path(__file__).resolve().parents[1] / "packs" / "document-layout" / "pack.yaml"
SPEC_KEY = "版式示例"

PARTS = {
    "page": ("页面设置",),
    "body": ("正文",),
    "title": ("标题",),
    "heading1": ("一级标题",),
    "heading2": ("二级标题",),
    "heading3": ("三级标题",),
    "heading4": ("四级标题",),
    "addressee": ("主送机关",),
    "doc_number": ("发文字号",),
    "record": ("版记",),
    "page_number": ("页码",),
}
PROBLEMS = {
    "paper": ("纸张不是 A4",),
    "margin": ("页边距不合标准",),
    "text_extent": ("文字伸出版心（按 PDF 中文字的范围测得）",),
    "grid_lines": ("每面行数不合标准",),
    "grid_chars": ("每行字数不合标准",),
    "no_grid": ("未设置文档网格或固定行距",),
    "font": ("字体不合标准",),
    "size": ("字号不合标准",),
    "indent": ("缩进不合标准",),
    "align": ("对齐方式不合标准",),
    "missing": ("没有页码",),
    "dashes": ("页码两侧没有一字线",),
    "odd_even": ("未设置奇偶页不同",),
    "unreadable": ("版式信息无法读取",),
}

SCHEMA = observation_schema(
    "layout",
    "版式",
    (
        FieldSpec("part", "版面要素", "enum", choices=PARTS),
        FieldSpec("problem", "问题", "enum", choices=PROBLEMS),
        FieldSpec("element", "位置", "text"),
        FieldSpec("found", "实际", "text"),
        FieldSpec("expected", "应为", "text"),
    ),
    producer=__name__,
    limits=(
        "只检查 .docx 文件；.txt/.md 文本和 YAML/JSON 公文记录没有版式信息，不检查",
        "字体、字号按 Word 的显示逐级解析：字符的直接格式、字符样式、段落样式及其 basedOn 链、文档默认格式（docDefaults）、主题字体；"
        "中文字体取 w:eastAsia（页码数字取 w:ascii）；少于 min_run_chars 个汉字的字符段（含只有数字、字母的）不查字体",
        "字体、缩进只查正文中的段落（不查表格和文本框中的段落）；识别不到标题时不查正文各段；不查加粗",
        "正文从标题、主送机关之后算起，到落款（署名、成文日期）或版记为止；标题、发文字号、主送机关的位置依赖公文要素识别",
        "需要分页才能判断的要求（首页必须显示正文、版记位于最后一页、页码位置距版心的距离）不检查",
        "发文字号在有“签发人”的上行文中应居左，这种版头不检查发文字号的对齐",
        "文档网格按 w:docGrid 计算（字符网格的字距相对于默认段落样式的字号）；没有网格时按正文段落的固定行距计算行数，每行字数按正文字号计算",
        "页码只看最后一节（主体部分）的页脚：默认页脚作单页、偶数页页脚作双页；页码在图文框中时按图文框的水平位置判断左右",
        "Strict Open XML 格式的 .docx（命名空间为 purl.oclc.org）不检查",
    ),
)


def settings():
    from checker.domains.documents.pack_settings import compiled

    return compiled(PACK, _settings)


class _Settings:
    def __init__(self, raw: dict) -> None:
        self.raw = raw
        self.paper = tuple(float(v) for v in raw["paper_mm"])
        self.paper_tolerance = float(raw["paper_tolerance_mm"])
        self.margins = {side: float(raw[f"margin_{side}_mm"]) for side in ("top", "bottom", "left", "right")}
        self.margin_tolerance = float(raw["margin_tolerance_mm"])
        self.extent_tolerance = float(raw["text_extent_tolerance_mm"])
        self.lines, self.chars = float(raw["lines_per_page"]), float(raw["chars_per_line"])
        self.grid_tolerance = float(raw["grid_tolerance"])
        self.size_tolerance = float(raw["size_tolerance_pt"])
        self.indent_chars = float(raw["first_line_indent_chars"])
        self.indent_tolerance = float(raw["indent_tolerance_chars"])
        self.min_run_chars = int(raw["min_run_chars"])
        heading = float(raw["heading_size_pt"])
        self.sizes = {part: heading for part in ("heading1", "heading2", "heading3", "heading4")}
        self.sizes.update((part, float(raw[f"{part}_size_pt"])) for part in ("body", "title", "record", "page_number"))
        self.size_names = {}
        for entry in raw["size_names"]:
            name, _, size = str(entry).rpartition("=")
            self.size_names[float(size)] = name
        self.fonts = {part: str(raw[f"{part}_font"]) for part in self.sizes}
        groups = [
            {_fold(str(n)) for n in names}
            for key, names in raw.items()
            if key.endswith("_names") and key != "size_names"
        ]
        self.folded = {}
        for font in self.fonts.values():
            self.folded[font] = set().union({_fold(font)}, *(g for g in groups if _fold(font) in g))
        self.dashes = tuple(str(d) for d in raw["page_number_dashes"])
        self.record_lines = int(raw["record_scan_lines"])

    def size_label(self, size: float) -> str:
        name = self.size_names.get(size)
        return f"{name}（{_pt(size)} 磅）" if name else f"{_pt(size)} 磅"

    def family_ok(self, family: str, font: str | None) -> bool:
        return font is not None and _fold(font) in self.folded[family]

    @staticmethod
    def family_label(family: str) -> str:
        return family


def _settings(raw: dict) -> _Settings:
    try:
        return _Settings(raw)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"document-layout 的设置不完整或格式不对：{exc}") from None


def _fold(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).casefold()


def _pt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _mm(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


_ALIGN = {
    None: "左对齐",
    "left": "左对齐",
    "start": "左对齐",
    "both": "两端对齐",
    "distribute": "分散对齐",
    "center": "居中",
    "right": "右对齐",
    "end": "右对齐",
    "outside": "外侧",
    "inside": "内侧",
}
_LEFT = (None, "left", "start", "both", "distribute")
_HEADINGS = (
    ("heading1", lazy_compile(r"[一二三四五六七八九十百]+、")),
    ("heading2", lazy_compile(r"（[一二三四五六七八九十百]+）")),
    ("heading3", lazy_compile(r"[0-9]+[.．](?![0-9])")),
    ("heading4", lazy_compile(r"（[0-9]+）")),
)
_HEADING_END = lazy_compile(r"[。：:]")
_SIDES = {"top": "上", "bottom": "下", "left": "左", "right": "右"}  # the margins, in the order messages give them
_CJK = lazy_compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def observe(reading) -> Iterator[Observation]:
    doc = reading.doc
    if doc.origin == "docx":
        from checker.domains.documents.text.docx_layout import LayoutUnreadable, read_layout

        try:
            layout = read_layout(doc.file or doc.source, doc.source)
        except LayoutUnreadable as exc:
            yield _observation(reading, None, "page", "unreadable", "版式信息", f"无法读取：{exc}", "有效的 Word 文件")
            return
        meta, lines = reading.meta, reading.body_lines
    elif doc.origin == "pdf":  # no page setup to read: the page sizes, and where the text stands on them
        from checker.core.errors import CheckerInputError
        from checker.inputs.pdftext import pdf_layout

        try:
            measured = pdf_layout(doc.file or doc.source)
        except CheckerInputError as exc:
            yield _observation(
                reading, None, "page", "unreadable", "版式信息", f"无法读取：{exc.message}", "有效的 PDF 文件"
            )
            return
        for found in judge_pdf(measured, settings()):
            yield _observation(reading, *found)
        return
    elif doc.origin == "example" and SPEC_KEY in reading.text:  # a rule example describes its layout in YAML
        measured = pdf_spec(reading.text)
        if measured is not None:  # a PDF's measured pages (`pdf: {pages: [...]}`, as `pdf_layout` gives them)
            for found in judge_pdf(measured, settings()):
                yield _observation(reading, *found)
            return
        layout, lines, unreadable = layout_spec(reading.text)
        if unreadable:
            yield _observation(
                reading, None, "page", "unreadable", "版式信息", f"无法读取：{unreadable}", "有效的 Word 文件"
            )
            return
        if layout is None:
            return
        from checker.domains.documents.text.document_meta import extract_meta

        meta = extract_meta(lines, reading.prefixes)
    else:
        return
    for found in judge(layout, meta, lines, settings()):
        yield _observation(reading, *found)


def _observation(reading, line, part, problem, element, found, expected) -> Observation:
    doc = reading.doc
    text_line = line
    snippet = reading.lines[line - 1] if line is not None and line <= len(reading.lines) else None
    values = {"part": part, "problem": problem, "element": element, "found": found, "expected": expected}
    values["quoted"] = False
    return Observation(
        "layout",
        doc.id,
        doc.source,
        doc.index,
        reading.at(line) if line is not None else None,
        None,
        None,
        element,
        values,
        None,
        text_line,
        UNSAFE,
        snippet,
        reading.place(text_line),
    )


# ---------------------------------------------------------------- judging a layout


def judge(layout, meta, lines: list[str], s: _Settings) -> list[tuple]:
    """(line, part, problem, element, found, expected) for each departure from the standard's layout."""
    out: list[tuple] = []
    out += _page_setup(layout, s)
    out += _paragraph_checks(layout, meta, lines, s)
    out += _page_numbers(layout, s)
    return out


def judge_pdf(measured: dict, s: _Settings) -> list[tuple]:
    """A PDF's departures: pages not A4 (measured exactly: `paper`), and text standing outside the 版心
    (`text_extent`) — measured from the text's extent (`checker.inputs.pdftext.pdf_layout`), so said only when the
    text passes the margin by more than `text_extent_tolerance_mm`, and by a rule of its own at info (a running
    head or a stamp's text in the margin would look the same); text that does not fill the 版心 proves nothing
    and is not reported."""
    width, height = s.paper
    out: list[tuple] = []
    wrong = [p for p in measured["pages"] if _not_paper(p["width"], p["height"], s)]
    if wrong:
        first = wrong[0]
        out.append(
            (
                None,
                "page",
                "paper",
                "纸张",
                f"为 {_mm(first['width'])} × {_mm(first['height'])} 毫米（{_pages_of([p['page'] for p in wrong])}，按 PDF 页面尺寸）",
                f"A4（{_mm(width)} × {_mm(height)} 毫米）",
            )
        )
    worst: dict[str, tuple[float, list[int]]] = {}
    for page in measured["pages"]:
        box = page["text"]
        if box is None or page["width"] > page["height"]:
            continue  # no text, or a landscape page (a wide table): its margins turn with it
        room = {
            "top": box["top"],
            "left": box["left"],
            "bottom": page["height"] - box["bottom"],
            "right": page["width"] - box["right"],
        }
        for side, margin in s.margins.items():
            if room[side] < margin - s.extent_tolerance:
                least, pages = worst.get(side, (room[side], []))
                worst[side] = (min(least, room[side]), [*pages, page["page"]])
    if worst:
        found = "、".join(
            f"{_SIDES[side]}边仅 {_mm(worst[side][0])} 毫米（{_pages_of(worst[side][1])}）"
            for side in _SIDES
            if side in worst
        )
        want = "、".join(f"{_SIDES[k]} {_mm(s.margins[k])}" for k in _SIDES)
        out.append(
            (
                None,
                "page",
                "text_extent",
                "页边距（按 PDF 中文字的范围测得）",
                f"文字伸出版心：{found}",
                f"文字在版心内，页边距{want} 毫米（字宽为估计值，伸出 {_mm(s.extent_tolerance)} 毫米以内不报告）",
            )
        )
    return out


def _not_paper(width: float, height: float, s: _Settings) -> bool:
    """Whether a page of these sides (mm, either way up) is not the standard's paper."""
    short, long = sorted((width, height))
    return abs(short - s.paper[0]) > s.paper_tolerance or abs(long - s.paper[1]) > s.paper_tolerance


def _pages_of(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:5]) + (" 等" if len(numbers) > 5 else "")
    return f"第 {shown} 页"


def _page_setup(layout, s: _Settings) -> list[tuple]:
    out = []
    many = len(layout.sections) > 1
    width, height = s.paper
    text_height = height - s.margins["top"] - s.margins["bottom"]
    text_width = width - s.margins["left"] - s.margins["right"]
    for sec in layout.sections:
        where = f"第 {sec.number} 节" if many else ""
        if _not_paper(sec.width, sec.height, s):
            out.append(
                (
                    None,
                    "page",
                    "paper",
                    f"{where}纸张",
                    f"为 {_mm(sec.width)} × {_mm(sec.height)} 毫米",
                    f"A4（{_mm(width)} × {_mm(height)} 毫米）",
                )
            )
        if sec.width > sec.height:
            continue  # a landscape page (a wide table): its margins turn with it
        got = {"top": sec.top, "bottom": sec.bottom, "left": sec.left, "right": sec.right}
        if any(abs(got[k] - v) > s.margin_tolerance for k, v in s.margins.items()):
            found = "、".join(f"{_SIDES[k]} {_mm(got[k])}" for k in _SIDES)
            want = "、".join(f"{_SIDES[k]} {_mm(s.margins[k])}" for k in _SIDES)
            out.append(
                (
                    None,
                    "page",
                    "margin",
                    f"{where}页边距",
                    f"为{found} 毫米",
                    f"{want} 毫米（±{_mm(s.margin_tolerance)} 毫米；版心 {_mm(text_width)} × {_mm(text_height)} 毫米）",
                )
            )
        page_text_height = (sec.height - sec.top - sec.bottom) * 72 / 25.4
        page_text_width = (sec.width - sec.left - sec.right) * 72 / 25.4
        if sec.line_pitch is None:
            out.append(
                (
                    None,
                    "page",
                    "no_grid",
                    f"{where}版心",
                    "未设置文档网格，正文也不是固定行距",
                    f"每面排 {_pt(s.lines)} 行（文档网格或固定值行距）",
                )
            )
        else:
            lines = page_text_height / sec.line_pitch
            if abs(lines - s.lines) > s.grid_tolerance:
                out.append(
                    (
                        None,
                        "page",
                        "grid_lines",
                        f"{where}版心",
                        f"每面排 {_pt(lines)} 行（行距 {_pt(sec.line_pitch)} 磅）",
                        f"每面排 {_pt(s.lines)} 行",
                    )
                )
        pitch = sec.char_pitch or s.sizes["body"]
        chars = page_text_width / pitch
        if abs(chars - s.chars) > s.grid_tolerance:
            out.append(
                (
                    None,
                    "page",
                    "grid_chars",
                    f"{where}版心",
                    f"每行排 {_pt(chars)} 个字（字距 {_pt(pitch)} 磅）",
                    f"每行排 {_pt(s.chars)} 个字",
                )
            )
    return out


def _roles(meta, lines: list[str], s: _Settings) -> dict[int, str]:
    """Text line -> the element it is (title, addressee, doc_number, body, record); lines not listed are not checked."""
    roles: dict[int, str] = {}
    if meta is None or meta.title is None:
        return roles
    for n in range(meta.title.line, meta.title.end_line + 1):
        roles[n] = "title"
    head_end = meta.title.end_line
    if meta.doc_number is not None and meta.doc_number.line < meta.title.line:
        if not any("签发人" in line for line in lines[: meta.title.line]):
            roles[meta.doc_number.line] = "doc_number"
    if meta.addressees is not None:
        for n in range(meta.addressees.line, meta.addressees.end_line + 1):
            roles[n] = "addressee"
        head_end = max(head_end, meta.addressees.end_line)
    stops = [item.line for item in meta.signature if item.line > head_end]
    if meta.date is not None and meta.date.line > head_end:
        stops.append(meta.date.line)
    last = len(lines)
    for n in range(max(head_end + 1, last - s.record_lines + 1), last + 1):
        text = lines[n - 1].strip()
        if text.startswith("抄送") or ("印发" in text and len(text) <= 60):
            roles[n] = "record"
            stops.append(n)
    end = min(stops) if stops else last + 1
    for n in range(head_end + 1, end):
        if lines[n - 1].strip():
            roles.setdefault(n, "body")
    return roles


def _paragraph_checks(layout, meta, lines: list[str], s: _Settings) -> list[tuple]:
    if len(layout.paragraphs) != len(lines):
        return []  # the paragraphs read here are not the lines the text was read as: no place to name
    out = []
    roles = _roles(meta, lines, s)
    body_count = 0
    for para in layout.paragraphs:
        role = roles.get(para.line)
        if role is None or not para.top_level or not para.text.strip():
            continue
        if role == "body":
            body_count += 1
            out += _body(para, body_count, s)
        elif role == "title":
            out += _fonts(para, "title", "标题", 0, len(para.text), s)
            if para.align != "center":
                out.append((para.line, "title", "align", "标题", f"{_ALIGN.get(para.align, para.align)}", "居中"))
        elif role == "addressee":
            if abs(para.first_line) > s.indent_tolerance or abs(para.left) > s.indent_tolerance:
                found = f"首行缩进 {_pt(para.first_line)} 字、左缩进 {_pt(para.left)} 字"
                out.append((para.line, "addressee", "indent", "主送机关", found, "顶格（不缩进）"))
            elif para.align not in _LEFT:
                out.append(
                    (para.line, "addressee", "align", "主送机关", _ALIGN.get(para.align, para.align), "顶格（左对齐）")
                )
        elif role == "doc_number":
            if para.align != "center":
                out.append((para.line, "doc_number", "align", "发文字号", _ALIGN.get(para.align, para.align), "居中"))
        elif role == "record":
            out += _fonts(para, "record", f"版记（第 {para.line} 段）", 0, len(para.text), s)
    return out


def _body(para, number: int, s: _Settings) -> list[tuple]:
    out = []
    text = para.text
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    heading, end = None, 0
    for part, pattern in _HEADINGS:
        if pattern.match(stripped):
            heading = part
            stop = _HEADING_END.search(stripped)
            end = lead + (stop.end() if stop else len(stripped))
            break
    element = f"正文第 {number} 段"
    if heading is not None:
        label = PARTS[heading][0]
        out += _fonts(para, heading, f"{label}（正文第 {number} 段）", 0, end, s)
        out += _fonts(para, "body", element, end, len(text), s)
    else:
        out += _fonts(para, "body", element, 0, len(text), s)
    if abs(para.first_line - s.indent_chars) > s.indent_tolerance:
        out.append(
            (
                para.line,
                "body",
                "indent",
                element,
                f"首行缩进 {_pt(para.first_line)} 字",
                f"首行缩进 {_pt(s.indent_chars)} 字（左空二字）",
            )
        )
    return out


def _fonts(para, part: str, element: str, start: int, end: int, s: _Settings) -> list[tuple]:
    """The font and size of the paragraph's text in [start, end): the first run that departs, once each."""
    if start >= end:
        return []
    out = []
    family = s.fonts[part]
    want_size = s.sizes[part]
    font_bad = size_bad = None
    for run in para.runs:
        lo, hi = max(run.start, start), min(run.end, end)
        if lo >= hi:
            continue
        piece = para.text[lo:hi]
        if font_bad is None and len(_CJK.findall(piece)) >= s.min_run_chars and not s.family_ok(family, run.font):
            font_bad = run
        if size_bad is None and len(piece.strip()) >= s.min_run_chars:
            if run.size is None or abs(run.size - want_size) > s.size_tolerance:
                size_bad = run
    line = para.line
    if font_bad is not None:
        found = f"字体为{font_bad.font}" if font_bad.font else "未设置中文字体"
        out.append((line, part, "font", element, found, s.family_label(family)))
    if size_bad is not None:
        found = f"字号为 {_pt(size_bad.size)} 磅" if size_bad.size else "未设置字号"
        out.append((line, part, "size", element, found, s.size_label(want_size)))
    return out


def _page_numbers(layout, s: _Settings) -> list[tuple]:
    footers = layout.footers
    odd, even = footers.get("default"), footers.get("even")
    if odd is None or not odd.has_page:
        found = "未编排：页脚中没有页码域（PAGE）" if odd is not None else "未编排：没有页脚"
        return [(None, "page_number", "missing", "页码", found, "页脚中以 PAGE 域编排页码，如“— 1 —”")]
    out = []
    shown = [f for f in (odd, even) if f is not None and f.has_page]
    for footer in shown:
        which = "双页页码" if footer.kind == "even" else ("单页页码" if len(shown) > 1 else "页码")
        before, after = footer.before.strip(" \u3000\u00a0\t"), footer.after.strip(" \u3000\u00a0\t")
        if before not in s.dashes or after not in s.dashes:
            found = f"为“{footer.before}1{footer.after}”"
            out.append((None, "page_number", "dashes", which, found, "数码左右各放一条一字线（“— 1 —”）"))
        want = s.sizes["page_number"]
        if footer.size is None or abs(footer.size - want) > s.size_tolerance:
            found = f"字号为 {_pt(footer.size)} 磅" if footer.size else "未设置字号"
            out.append((None, "page_number", "size", which, found, s.size_label(want)))
        family = s.fonts["page_number"]
        if not s.family_ok(family, footer.font):
            found = f"数字字体为{footer.font}" if footer.font else "未设置数字字体"
            out.append((None, "page_number", "font", which, found, f"半角{s.family_label(family)}阿拉伯数字"))
    if not layout.even_odd or even is None or not even.has_page:
        found = "未设置奇偶页不同" if not layout.even_odd else "偶数页页脚中没有页码"
        out.append((None, "page_number", "odd_even", "页码", found, "单页码居右、双页码居左（奇偶页不同）"))
    else:
        if odd.align not in ("right", "end", "outside"):
            out.append((None, "page_number", "align", "单页页码", _ALIGN.get(odd.align, odd.align), "居右"))
        if even.align not in ("left", "start", None, "outside"):
            out.append((None, "page_number", "align", "双页页码", _ALIGN.get(even.align, even.align), "居左"))
    return out


# ---------------------------------------------------------------- rule examples: a layout described in YAML


def pdf_spec(text: str) -> dict | None:
    """The measured pages of a rule example that describes a PDF (`版式示例: {pdf: {pages: [...]}}`), else None."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    spec = data.get(SPEC_KEY) if isinstance(data, dict) else None
    pdf = spec.get("pdf") if isinstance(spec, dict) else None
    if not isinstance(pdf, dict):
        return None
    pages = []
    for number, page in enumerate(pdf.get("pages") or [], 1):
        width, height = page.get("paper", settings().raw["paper_mm"])
        pages.append({"page": number, "width": float(width), "height": float(height), "text": page.get("text")})
    return {"pages": pages}


def layout_spec(text: str):
    """(Layout, lines, why unreadable) from a rule example's YAML description: a conforming notice with the
    example's changes (`unreadable: why` stands for a damaged file).

    Keys under `版式示例`: `sections` (a list of {paper: [w, h], margins: [top, bottom, left, right], line_pitch,
    char_pitch}: mm and pt), `paragraphs` (a list of {text, font, size, align, first_line, left}; defaults: the
    body's), `footers` ({default|even: {before, after, size, font, align} or null}), `even_odd`."""
    import yaml

    from checker.domains.documents.text.docx_layout import Footer, Layout, Paragraph, Run, Section

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None, [], None
    spec = data.get(SPEC_KEY) if isinstance(data, dict) else None
    if not isinstance(spec, dict):
        return None, [], None
    if spec.get("unreadable"):
        return None, [], str(spec["unreadable"])
    raw = settings().raw
    base = {
        "paper": raw["paper_mm"],
        "margins": [raw[f"margin_{side}_mm"] for side in ("top", "bottom", "left", "right")],
        "line_pitch": 28.95,
        "char_pitch": 15.79,
    }
    sections = []
    for number, sec in enumerate(spec.get("sections") or [{}], 1):
        sec = {**base, **sec}
        (w, h), (top, bottom, left, right) = sec["paper"], sec["margins"]
        grid = "linesAndChars" if sec["line_pitch"] else None
        sections.append(Section(number, w, h, top, bottom, left, right, sec["line_pitch"], sec["char_pitch"], grid))
    fonts, sizes = settings().fonts, settings().sizes
    default_paragraphs = [
        {
            "text": "新野县住房和城乡建设局关于开展燃气安全检查的通知",
            "font": fonts["title"],
            "size": sizes["title"],
            "align": "center",
            "first_line": 0,
        },
        {"text": "各乡镇人民政府：", "first_line": 0},
        {"text": "现将有关事项通知如下。"},
        {"text": "新野县住房和城乡建设局", "first_line": 0},
        {"text": "2024年5月6日", "first_line": 0},
    ]
    paragraphs = []
    for number, p in enumerate(spec.get("paragraphs") or default_paragraphs, 1):
        p = {"font": fonts["body"], "size": sizes["body"], "align": "both", "first_line": 2, "left": 0, **p}
        runs = (Run(0, len(p["text"]), p["font"], p["size"]),)
        paragraphs.append(Paragraph(number, True, p["text"], runs, p["align"], p["first_line"], p["left"]))
    footer = {"before": "— ", "after": " —", "size": sizes["page_number"], "font": fonts["page_number"]}
    given = spec.get("footers") or {}
    footers = {}
    for kind, align in (("default", "right"), ("even", "left")):
        if kind in given and given[kind] is None:
            continue
        f = {**footer, "align": align, **(given.get(kind) or {})}
        footers[kind] = Footer(kind, True, f["before"], f["after"], f["size"], f["font"], f["align"])
    layout = Layout(sections, paragraphs, footers, bool(spec.get("even_odd", True)), sizes["body"])
    return layout, [p.text for p in paragraphs], None


prepare = settings  # compiled when a run starts (documents domain), so a bad setting is reported before any file
