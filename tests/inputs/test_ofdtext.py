"""The .ofd reader: the lines a reader sees, in reading order, page by page, and every bad package refused in one line.

The packages are written here part by part (`ofd_file`), so each test controls the XML exactly.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import pytest

from checker.core.errors import CheckerInputError
from checker.core.limits import MiB, limits_overridden
from checker.inputs import ofdtext
from checker.inputs.docxtext import MAX_XML_DEPTH
from checker.inputs.ofdtext import MAX_PAGES, read_ofd_text
from tests.robustness.builders import LAUGHS, _deflate, _final_block, write_zip

NS = "http://www.ofdspec.org/2016"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def code(x: float, y: float, text: str, delta_x: str | None = None) -> str:
    """A TextCode at (x, y) of its object (None: the attribute left out)."""
    xy = "".join(f' {name}="{value}"' for name, value in (("X", x), ("Y", y)) if value is not None)
    delta = f' DeltaX="{delta_x}"' if delta_x is not None else ""
    return f"<ofd:TextCode{xy}{delta}>{text}</ofd:TextCode>"


def text_object(left: float, top: float, *codes: str, size: float = 5.0, ctm: str | None = None) -> str:
    transform = f' CTM="{ctm}"' if ctm else ""
    return (
        f'<ofd:TextObject ID="9" Boundary="{left} {top} 160 12" Font="3" Size="{size}"{transform}>'
        '<ofd:FillColor Value="0 0 0"/>' + "".join(codes) + "</ofd:TextObject>"
    )


def line(left: float, top: float, text: str, size: float = 5.0) -> str:
    """One text object holding one line whose baseline is one font size below `top`."""
    return text_object(left, top, code(0, size, text), size=size)


def page(*objects: str, templates: tuple[str, ...] = ()) -> str:
    """A page's Content.xml: `objects` in one layer, and the template pages it names."""
    named = "".join(f'<ofd:Template TemplateID="{t}" ZOrder="Background"/>' for t in templates)
    return (
        f'{DECLARATION}<ofd:Page xmlns:ofd="{NS}">{named}'
        "<ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area>"
        f'<ofd:Content><ofd:Layer ID="2" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def document(page_locs: list[str], template_locs: dict[str, str] | None = None) -> str:
    templates = "".join(
        f'<ofd:TemplatePage ID="{t}" BaseLoc="{loc}" ZOrder="Background"/>' for t, loc in (template_locs or {}).items()
    )
    pages = "".join(f'<ofd:Page ID="{i}" BaseLoc="{loc}"/>' for i, loc in enumerate(page_locs, 10))
    return (
        f'{DECLARATION}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{templates}</ofd:CommonData>"
        f"<ofd:Pages>{pages}</ofd:Pages></ofd:Document>"
    )


def entry(*doc_roots: str) -> str:
    bodies = "".join(
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>abc</ofd:DocID></ofd:DocInfo><ofd:DocRoot>{root}</ofd:DocRoot></ofd:DocBody>"
        for root in doc_roots
    )
    return f'{DECLARATION}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">{bodies}</ofd:OFD>'


def ofd_file(path: Path, pages: list[str], templates: dict[str, str] | None = None, **members: str | None) -> Path:
    """An .ofd with one document (Doc_0) of `pages` and template pages `templates` (ID -> Content.xml);
    `members`, given as **{name: xml}, added or replacing those (None: left out)."""
    templates = templates or {}
    parts: dict[str, str | None] = {
        "OFD.xml": entry("Doc_0/Document.xml"),
        "Doc_0/Document.xml": document(
            [f"Pages/Page_{i}/Content.xml" for i in range(len(pages))],
            {t: f"Tpls/Tpl_{t}/Content.xml" for t in templates},
        ),
        "Doc_0/PublicRes.xml": f'{DECLARATION}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"/>',
    }
    parts.update({f"Doc_0/Pages/Page_{i}/Content.xml": xml for i, xml in enumerate(pages)})
    parts.update({f"Doc_0/Tpls/Tpl_{t}/Content.xml": xml for t, xml in templates.items()})
    parts.update(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def read(path: Path) -> list[tuple[str, str]]:
    texts, places = read_ofd_text(path, str(path))
    assert len(texts) == len(places)
    return list(zip(places, texts))


def refused(path: Path) -> str:
    with pytest.raises(CheckerInputError) as info:
        read_ofd_text(path, str(path))
    return info.value.one_line()


# ---------------------------------------------------------------- reading order


def test_a_two_page_notice_is_read_in_reading_order_without_its_page_numbers(tmp_path):
    first = page(
        # given bottom first, and one line in two objects right part first: the order is the layout's
        text_object(53.0, 90.0, code(0, 5, "结合我市实际。")),
        text_object(
            25.0,
            75.0,
            code(0, 5, "各乡镇", delta_x="g 2 5"),
            code(15, 5, "人民政府", delta_x="5 5 5"),
            code(35, 5, "："),
        ),
        line(25.0, 90.0, "请各单位"),
        line(40.0, 55.0, "关于某事的通知", size=7.7),
        line(30.0, 35.0, "新野县人民政府办公室文件", size=10.0),
        templates=("shared", "number1"),
    )
    second = page(
        line(25.0, 60.0, "2024年3月5日"),
        line(25.0, 50.0, "新野县人民政府办公室"),
        templates=("shared", "number2"),
    )
    path = ofd_file(
        tmp_path / "notice.ofd",
        [first, second],
        {
            "shared": page(line(25.0, 10.0, "内部资料", size=4.0)),
            "number1": page(text_object(95.0, 280.0, code(0, 5, "— "), code(6, 5, "1"), code(10, 5, " —"))),
            "number2": page(line(95.0, 280.0, "- 2 -")),
        },
    )
    assert read(path) == [
        ("第1页第1行", "内部资料"),
        ("第1页第2行", "新野县人民政府办公室文件"),
        ("第1页第3行", "关于某事的通知"),
        ("第1页第4行", "各乡镇人民政府："),
        ("第1页第5行", "请各单位结合我市实际。"),
        ("第2页第1行", "内部资料"),
        ("第2页第2行", "新野县人民政府办公室"),
        ("第2页第3行", "2024年3月5日"),
    ]


def test_baselines_within_half_a_font_size_are_one_line(tmp_path):
    objects = [
        line(60.0, 20.4, "乙"),  # 0.4 below 甲: the same line (tolerance 2.5)
        line(25.0, 20.0, "甲"),
        line(25.0, 22.6, "丙"),  # 2.6 below 甲: a line of its own
        text_object(25.0, 0.0, code(0, 5, "丁"), ctm="1 0 0 1 0 39"),  # the CTM moves it below the rest
        text_object(0.0, 0.0, code(10, 5, "戊"), ctm="2 0 0 2 0 30"),  # scaled: baseline 10 + 30 = 40, x 20
    ]
    assert [text for _, text in read(ofd_file(tmp_path / "t.ofd", [page(*objects)]))] == ["甲乙", "丙", "戊丁"]


def test_a_code_without_x_or_y_takes_the_previous_ones(tmp_path):
    obj = text_object(25.0, 20.0, code(0, 5, "第一"), code(None, None, "行"), code(0, 12, "第二行"))
    assert [text for _, text in read(ofd_file(tmp_path / "t.ofd", [page(obj)]))] == ["第一行", "第二行"]


@pytest.mark.parametrize(
    "codes, expected",
    [
        ([(0, "PM2.5", None), (40, "100", None)], "PM2.5 100"),  # a wide gap between Latin/digits: one space
        ([(0, "ab", None), (7, "cd", None)], "abcd"),  # 2 mm after "ab" (5 mm wide): less than an em
        ([(0, "ab", "10"), (14, "cd", None)], "abcd"),  # DeltaX puts "b" at 10: it ends at 12.5, 1.5 mm before "cd"
        ([(0, "ab", "1"), (14, "cd", None)], "ab cd"),  # "b" at 1: it ends at 3.5, more than an em before "cd"
        ([(0, "我县", None), (60, "工作", None)], "我县工作"),  # never a space between CJK characters
        ([(0, "共", None), (60, "12", None)], "共12"),
        ([(0, "A ", None), (60, "B", None)], "A B"),  # the space already there: not doubled
    ],
)
def test_latin_words_far_apart_get_one_space(tmp_path, codes, expected):
    objects = [text_object(25.0 + x, 20.0, code(0, 5, text, delta)) for x, text, delta in codes]
    assert read(ofd_file(tmp_path / "t.ofd", [page(*objects)])) == [("第1页第1行", expected)]


def test_page_numbers_are_dropped_on_templates_and_as_a_first_or_last_line_only(tmp_path):
    body = page(
        line(95.0, 10.0, "— 3 —"),  # first line of the page: a page number at the top
        line(25.0, 40.0, "一、总体要求"),
        line(25.0, 50.0, "12"),  # a number in the middle of the page is text
        line(25.0, 60.0, "第 1 页 共 3 页"),
        line(25.0, 70.0, "—1—"),
        line(25.0, 80.0, "附件：1"),
        line(95.0, 280.0, "第3页"),  # last line
        templates=("t",),
    )
    template = page(line(95.0, 150.0, "8"), line(25.0, 30.0, "-8-9"))  # on a template: dropped wherever it stands
    years = page(line(25.0, 20.0, "2024"), line(25.0, 30.0, "年度"), line(25.0, 280.0, "— 1000 —"))  # 4 digits: text
    assert read(ofd_file(tmp_path / "t.ofd", [body, years], {"t": template})) == [
        ("第1页第1行", "-8-9"),
        ("第1页第2行", "一、总体要求"),
        ("第1页第3行", "12"),
        ("第1页第4行", "第 1 页 共 3 页"),
        ("第1页第5行", "—1—"),
        ("第1页第6行", "附件：1"),
        ("第2页第1行", "2024"),
        ("第2页第2行", "年度"),
        ("第2页第3行", "— 1000 —"),
    ]


def test_text_in_page_blocks_and_in_every_layer_is_read_other_objects_are_not(tmp_path):
    xml = page(line(25.0, 20.0, "甲")).replace(
        "</ofd:Layer>",
        '</ofd:Layer><ofd:Layer ID="5" Type="Foreground"><ofd:PageBlock ID="6"><ofd:PageBlock ID="7">'
        + line(25.0, 30.0, "乙")
        + "</ofd:PageBlock></ofd:PageBlock>"
        '<ofd:PathObject ID="8" Boundary="0 0 10 10"><ofd:AbbreviatedData>M 0 0 L 1 1</ofd:AbbreviatedData>'
        '</ofd:PathObject><ofd:ImageObject ID="9" ResourceID="4" Boundary="0 0 10 10"/></ofd:Layer>',
    )
    assert [text for _, text in read(ofd_file(tmp_path / "t.ofd", [xml]))] == ["甲", "乙"]


def _rewritten(xml: str, style: str) -> str:
    """`xml` with its elements in the default namespace, in none, or in the pre-2016 draft namespace."""
    if style == "draft":
        return xml.replace(f'xmlns:ofd="{NS}"', 'xmlns:ofd="http://www.ofdspec.org"')
    replaced = xml.replace("<ofd:", "<").replace("</ofd:", "</")
    return (
        replaced.replace("xmlns:ofd=", "xmlns=") if style == "default" else replaced.replace(f' xmlns:ofd="{NS}"', "")
    )


@pytest.mark.parametrize("style", ["default", "none", "draft"])
def test_elements_in_the_default_namespace_in_none_or_in_the_draft_one_are_read(tmp_path, style):
    path = ofd_file(
        tmp_path / "t.ofd", [page(line(25.0, 20.0, "甲"), templates=("t",))], {"t": page(line(25.0, 10.0, "眉"))}
    )
    with zipfile.ZipFile(path) as archive:
        members = {name: _rewritten(archive.read(name).decode(), style) for name in archive.namelist()}
    assert all((NS not in xml) if style == "draft" else ("<ofd:" not in xml) for xml in members.values())
    ofd_file(path, [], **members)
    assert read(path) == [("第1页第1行", "眉"), ("第1页第2行", "甲")]


def test_elements_of_another_namespace_are_ignored(tmp_path):
    xml = page(line(25.0, 20.0, "甲")).replace(
        "</ofd:Layer>",
        '<x:TextObject xmlns:x="urn:other"><x:TextCode X="0" Y="5">外</x:TextCode></x:TextObject></ofd:Layer>',
    )
    assert read(ofd_file(tmp_path / "t.ofd", [xml])) == [("第1页第1行", "甲")]


# ---------------------------------------------------------------- the package: locations, documents, pages


def test_locations_relative_absolute_and_from_the_root(tmp_path):
    body = [page(line(25.0, 20.0, f"第{n}页正文")) for n in range(3)]
    members = {
        "OFD.xml": entry("/Doc_0/Document.xml"),
        # relative to Document.xml, absolute, and (as some producers write it) relative to the package root
        "Doc_0/Document.xml": document(["Pages/Page_0/Content.xml", "/Doc_0/Pages/Page_1/Content.xml", "Doc_0/P2.xml"]),
        "Doc_0/Pages/Page_0/Content.xml": body[0],
        "Doc_0/Pages/Page_1/Content.xml": body[1],
        "Doc_0/P2.xml": body[2],
    }
    assert read(ofd_file(tmp_path / "t.ofd", [], **members)) == [
        ("第1页第1行", "第0页正文"),
        ("第2页第1行", "第1页正文"),
        ("第3页第1行", "第2页正文"),
    ]


def test_members_zipped_with_backslashes_are_found(tmp_path):
    path = ofd_file(
        tmp_path / "t.ofd",
        [],
        **{
            "Doc_0/Document.xml": None,
            "Doc_0\\Document.xml": document(["Pages/Page_0/Content.xml"]),
            "Doc_0\\Pages\\Page_0\\Content.xml": page(line(25.0, 20.0, "甲")),
        },
    )
    assert read(path) == [("第1页第1行", "甲")]


def test_only_the_first_document_is_read(tmp_path):
    path = ofd_file(
        tmp_path / "t.ofd",
        [page(line(25.0, 20.0, "第一份"))],
        **{
            "OFD.xml": entry("Doc_0/Document.xml", "Doc_1/Document.xml"),
            "Doc_1/Document.xml": document(["Pages/Page_0/Content.xml"]),
            "Doc_1/Pages/Page_0/Content.xml": page(line(25.0, 20.0, "第二份")),
        },
    )
    assert read(path) == [("第1页第1行", "第一份")]


def test_pages_come_in_the_order_document_xml_lists_them(tmp_path):
    members = {
        "Doc_0/Document.xml": document(["Pages/Page_1/Content.xml", "Pages/Page_0/Content.xml"]),
    }
    path = ofd_file(tmp_path / "t.ofd", [page(line(25.0, 20.0, "后")), page(line(25.0, 20.0, "前"))], **members)
    assert read(path) == [("第1页第1行", "前"), ("第2页第1行", "后")]


def test_a_page_listed_twice_is_read_once_and_a_template_loop_ends(tmp_path):
    pages = [page(line(25.0, 40.0, "正文"), templates=("a", "a"))]
    templates = {
        "a": page(line(25.0, 10.0, "眉一"), templates=("b",)),
        "b": page(line(25.0, 20.0, "眉二"), templates=("a", "b", "unknown")),
    }
    locs = ["Pages/Page_0/Content.xml", "Pages/Page_0/Content.xml", "Pages/Page_1/Content.xml"]
    members = {
        "Doc_0/Document.xml": document(locs, {t: f"Tpls/Tpl_{t}/Content.xml" for t in templates}),
        "Doc_0/Pages/Page_1/Content.xml": page(line(25.0, 40.0, "末页"), templates=("b",)),
    }
    assert read(ofd_file(tmp_path / "t.ofd", pages, templates, **members)) == [
        ("第1页第1行", "眉一"),
        ("第1页第2行", "眉二"),
        ("第1页第3行", "正文"),
        ("第3页第1行", "眉一"),  # template b names a again: each is read once on a page
        ("第3页第2行", "眉二"),
        ("第3页第3行", "末页"),
    ]


def test_too_many_pages_are_refused_before_any_is_read(tmp_path):
    members = {"Doc_0/Document.xml": document(["Pages/Page_0/Content.xml"] * (MAX_PAGES + 1))}
    path = ofd_file(tmp_path / "t.ofd", [page(line(25.0, 20.0, "甲"))], **members)
    assert refused(path) == f"{path}: OFD 文件超过 2,000 页（上限 2,000），未检查 [INPUT-LIMIT]"
    members = {"Doc_0/Document.xml": document(["Pages/Page_0/Content.xml"] * MAX_PAGES)}
    assert read(ofd_file(tmp_path / "t.ofd", [page(line(25.0, 20.0, "甲"))], **members)) == [("第1页第1行", "甲")]


# ---------------------------------------------------------------- bad packages


INVALID = "不是有效的 OFD 文件"
CONTENT = "Doc_0/Pages/Page_0/Content.xml"
BROKEN = page(line(25.0, 20.0, "甲")).replace("</ofd:Layer>", "</ofd:Lay>")


@pytest.mark.parametrize(
    "members, message",
    [
        ({"OFD.xml": None}, "缺少入口文件“OFD.xml”"),
        ({"OFD.xml": entry()}, "“OFD.xml”中没有文档（ofd:DocBody/ofd:DocRoot）"),
        ({"OFD.xml": entry("Doc_9/Document.xml")}, "缺少文档根文件“Doc_9/Document.xml”"),
        ({"OFD.xml": entry("../../etc/passwd")}, "缺少文档根文件“../../etc/passwd”"),
        ({"Doc_0/Document.xml": None}, "缺少文档根文件“Doc_0/Document.xml”"),
        ({"Doc_0/Document.xml": document([])}, "“Doc_0/Document.xml”中没有页面（ofd:Pages/ofd:Page）"),
        ({"Doc_0/Pages/Page_1/Content.xml": None}, "缺少第 2 页的页面文件“Doc_0/Pages/Page_1/Content.xml”"),
        ({"Doc_0/Document.xml": document(["Pages/Page_0/Content.xml", " "])}, "缺少第 2 页的页面文件（未写明位置）"),
        ({"Doc_0/Tpls/Tpl_t/Content.xml": None}, "缺少第 1 页的模板页文件“Doc_0/Tpls/Tpl_t/Content.xml”"),
        ({"OFD.xml": "<Document/>"}, "“OFD.xml”的根元素是“Document”，应为 ofd:OFD"),
        ({"Doc_0/Document.xml": entry("x")}, "“Doc_0/Document.xml”的根元素是“OFD”，应为 ofd:Document"),
        (
            {"Doc_0/Pages/Page_0/Content.xml": BROKEN},
            f"“Doc_0/Pages/Page_0/Content.xml”第 {BROKEN.encode().index(b'ofd:Lay>') + 1} 字节处 XML 格式错误"
            "（mismatched tag）",
        ),
    ],
)
def test_a_missing_or_broken_part_is_named_in_one_line(tmp_path, members, message):
    pages = [page(line(25.0, 20.0, "甲"), templates=("t",)), page(line(25.0, 20.0, "乙"))]
    path = ofd_file(tmp_path / "t.ofd", pages, {"t": page()}, **members)
    assert refused(path) == f"{path}: {INVALID}：{message} [INPUT-FILE]"


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "t.ofd"
    path.write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert refused(path) == f"{path}: {INVALID}（不是 zip 压缩包，或文件不完整） [INPUT-FILE]"
    assert refused(tmp_path / "none.ofd") == f"{tmp_path / 'none.ofd'}: 文件不存在 [INPUT-FILE]"


def test_pages_without_text_are_a_scan(tmp_path):
    image = '<ofd:ImageObject ID="5" ResourceID="4" Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/>'
    only_number = page(line(95.0, 280.0, "— 1 —"))
    path = ofd_file(tmp_path / "scan.ofd", [page(image), only_number, page(line(25.0, 20.0, "  "))])
    assert refused(path) == f"{path}: OFD 文件中没有文字层（可能是扫描件），未检查 [INPUT-FILE]"


@pytest.mark.parametrize(
    "declaration",
    [
        "<!DOCTYPE ofd:Page>",
        f"<!DOCTYPE ofd:Page [{LAUGHS}]>",
        '<!DOCTYPE ofd:Page [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_doctype_and_entities_are_refused(tmp_path, declaration):
    xml = DECLARATION + declaration + page(line(25.0, 20.0, "&l9;")).removeprefix(DECLARATION)
    path = ofd_file(tmp_path / "t.ofd", [xml])
    assert refused(path) == (
        f"{path}: {INVALID}：“Doc_0/Pages/Page_0/Content.xml”含文档类型声明（DOCTYPE，可用于实体扩展攻击），未读取 [INPUT-FILE]"
    )


@pytest.mark.parametrize(
    "encoding, reason",
    [("GBK", "multi-byte encodings are not supported"), ("UT9-8", "unknown encoding: UT9-8")],
)
def test_an_encoding_expat_cannot_read_is_refused_in_one_line(tmp_path, encoding, reason):
    xml = page(line(25.0, 20.0, "甲")).replace('encoding="UTF-8"', f'encoding="{encoding}"')
    path = ofd_file(tmp_path / "t.ofd", [xml])
    assert refused(path) == (
        f"{path}: {INVALID}：“{CONTENT}”的 XML 声明了无法读取的字符编码（{reason}；应为 UTF-8 或 UTF-16），未读取 [INPUT-FILE]"
    )


def test_xml_nesting_is_bounded(tmp_path):
    def nested(levels: int) -> str:
        return page("<ofd:PageBlock>" * levels + line(25.0, 20.0, "深") + "</ofd:PageBlock>" * levels)

    path = ofd_file(tmp_path / "deep.ofd", [nested(MAX_XML_DEPTH)])
    assert refused(path) == (
        f"{path}: {INVALID}：“Doc_0/Pages/Page_0/Content.xml”：XML 嵌套超过 {MAX_XML_DEPTH} 层，未读取 [INPUT-LIMIT]"
    )
    assert read(ofd_file(tmp_path / "fits.ofd", [nested(MAX_XML_DEPTH - 8)])) == [("第1页第1行", "深")]


# ---------------------------------------------------------------- limits, checked while reading


def hostile_ofd(path: Path, block: bytes, mib: int, declared: int | None = None, inside: bytes = b"") -> Path:
    """An .ofd whose one page holds `block` repeated to `mib` MiB inside the layer (and inside `inside`);
    written as repeated deflate blocks, so hundreds of MiB cost a few hundred KiB.  `declared`: the size the
    zip directory states for the page (default: the true size)."""
    assert MiB % len(block) == 0
    head, tail = page("@@").encode().split(b"@@")
    head += inside
    tail = (b"</" + inside[1:].split(b" ")[0] + b">" if inside else b"") + tail
    stream = _deflate(head) + _deflate(block * (MiB // len(block))) * mib + _deflate(tail) + _final_block()
    size = len(head) + mib * MiB + len(tail)

    def member(name: str, xml: str) -> tuple[str, bytes, int, int]:
        data = xml.encode()
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return name, compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)

    members = [
        member("OFD.xml", entry("Doc_0/Document.xml")),
        member("Doc_0/Document.xml", document(["Pages/Page_0/Content.xml"])),
        (CONTENT, stream, size if declared is None else declared, 0),
    ]
    return write_zip(path, members)


@pytest.fixture
def inflated(monkeypatch):
    """Bytes of the page's Content.xml the reader inflated."""
    counts = {"bytes": 0}
    original = ofdtext._Package.chunks

    def counting(self, name):
        for chunk in original(self, name):
            if name == CONTENT:
                counts["bytes"] += len(chunk)
            yield chunk

    monkeypatch.setattr(ofdtext._Package, "chunks", counting)
    return counts


def test_a_member_larger_than_it_declares_is_refused(tmp_path, inflated):
    path = hostile_ofd(tmp_path / "liar.ofd", b" " * 1024, mib=400, declared=64 * 1024)
    assert refused(path) == (
        f"{path}: 压缩包成员“{CONTENT}”解压后超过其声明的 64 KiB（大小信息不实），疑似压缩炸弹，未读取 [INPUT-LIMIT]"
    )
    assert inflated["bytes"] <= 64 * 1024


def test_a_zip_bomb_is_refused_by_its_declared_ratio_before_reading(tmp_path, inflated):
    path = hostile_ofd(tmp_path / "bomb.ofd", b" " * 1024, mib=400)
    message = refused(path)
    assert message.startswith(f"{path}: 压缩包成员“{CONTENT}”声明解压后 400 MiB，是压缩后的 ")
    assert message.endswith("倍（上限 100 倍），疑似压缩炸弹，未读取 [INPUT-LIMIT]")
    assert inflated["bytes"] == 0


# 64 bytes a text code of 4 characters
TEXT_CODE = b'<ofd:TextCode X="0" Y="5">' + "认真落实".encode() + b"</ofd:TextCode>" + b" " * 11


def test_a_long_page_is_refused_while_reading_not_after(tmp_path, inflated):
    assert len(TEXT_CODE) == 64
    path = hostile_ofd(
        tmp_path / "long.ofd", TEXT_CODE, mib=300, inside=b'<ofd:TextObject Boundary="0 0 1 1" Size="5">'
    )
    with limits_overridden(max_zip_ratio=10_000, max_document_chars=10_000):
        assert refused(path) == f"{path}: 公文过长（超过 10,000 个字符，上限 10,000），未检查 [INPUT-LIMIT]"
    assert inflated["bytes"] <= 10_000 // 4 * 64 + 256 * 1024


def test_too_many_text_codes_on_a_page_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ofdtext, "MAX_TEXT_CODES_PER_PAGE", 3)
    fits = ofd_file(tmp_path / "fits.ofd", [page(*(line(25.0, 10.0 * n, "字") for n in range(1, 4)))])
    assert len(read(fits)) == 3
    path = ofd_file(
        tmp_path / "t.ofd", [page(line(25.0, 20.0, "甲")), page(*(line(25.0, 10.0 * n, "字") for n in range(1, 5)))]
    )
    assert refused(path) == f"{path}: 第 2 页有超过 3 段文字（ofd:TextCode），不像正常的公文页面，未检查 [INPUT-LIMIT]"


def test_markup_without_text_is_refused_after_the_floor(tmp_path, inflated):
    path_data = b"<ofd:AbbreviatedData>" + b"M 0 0 L 1 1 " * 77 + b"</ofd:AbbreviatedData>"
    block = b'<ofd:PathObject Boundary="0 0 1 1">' + path_data + b"</ofd:PathObject>"
    block += b" " * (1024 - len(block))
    path = hostile_ofd(tmp_path / "markup.ofd", block, mib=40)
    with limits_overridden(max_zip_ratio=10_000):
        message = refused(path)
    assert message == (
        f"{path}: 已读 16 MiB 的 XML（读到“{CONTENT}”），其中文字只有 0 个字符（每个字符至多 1024 字节标记，"
        "另加 16 MiB），不像正常的 OFD 文件，未检查 [INPUT-LIMIT]"
    )
    assert inflated["bytes"] < 17 * MiB


def test_document_length_is_the_joined_lines(tmp_path):
    path = ofd_file(tmp_path / "t.ofd", [page(line(25.0, 20.0, "一二三")), page(line(25.0, 20.0, "四五"))])
    with limits_overridden(max_document_chars=6):  # "一二三\n四五": 6 characters
        assert read(path) == [("第1页第1行", "一二三"), ("第2页第1行", "四五")]
    with limits_overridden(max_document_chars=5):
        assert refused(path) == f"{path}: 公文过长（超过 5 个字符，上限 5），未检查 [INPUT-LIMIT]"


def test_a_long_line_is_named_by_its_line_number(tmp_path):
    long_line = text_object(25.0, 40.0, code(0, 5, "长" * 30), code(150, 5, "长" * 20))
    path = ofd_file(tmp_path / "t.ofd", [page(line(25.0, 20.0, "短"), line(25.0, 30.0, "短")), page(long_line)])
    with limits_overridden(max_line_chars=50):
        assert read(path)[2] == ("第2页第1行", "长" * 50)
    with limits_overridden(max_line_chars=49):
        assert refused(path) == f"{path}:3: 行过长（50 个字符，上限 49），未读取此文件 [INPUT-LIMIT]"


def test_advance_reads_delta_x_and_estimates_the_rest():
    assert ofdtext._advance("g 3 5.6", "我县县城", 5.6) == pytest.approx(22.4)
    assert ofdtext._advance("2 g 2 3", "abcdef", 4.0) == pytest.approx(2 + 6 + 2 + 2 + 2)  # 2 given, 2 estimated
    assert ofdtext._advance("g 1000000000000 1", "abc", 5.0) == pytest.approx(2 + 2.5)
    assert ofdtext._advance("x y", "我a", 4.0) == pytest.approx(4 + 2)  # unreadable: estimated
    assert ofdtext._advance(None, "“我”", 4.0) == pytest.approx(12)


# ---------------------------------------------------------------- end to end


def notice_ofd(path: Path) -> Path:
    """A county 公文 in two pages (page number on a template) that says “我市” on line 5."""
    notice = page(
        line(40.0, 30.0, "新野县人民政府办公室文件", size=10.0),
        line(80.0, 50.0, "新政办〔2024〕5号"),
        line(40.0, 65.0, "关于某事的通知", size=7.7),
        line(25.0, 85.0, "各乡镇人民政府："),
        text_object(35.0, 95.0, code(0, 5, "结合我市实际，"), code(35, 5, "认真落实。")),
        templates=("n",),
    )
    signature = page(line(120.0, 40.0, "新野县人民政府办公室"), line(125.0, 50.0, "2024年3月5日"), templates=("n",))
    return ofd_file(path, [notice, signature], {"n": page(line(95.0, 280.0, "— 1 —"))})


def test_lint_reads_an_ofd_notice_and_places_its_findings(cli, tmp_path):
    path = notice_ofd(tmp_path / "通知.ofd")
    result = cli("lint", path, "--format", "json", "--as-of", "2024-12-01")
    assert result.code == 1, result.err
    doc = result.json()
    assert doc["errors"] == []
    assert [(f["rule_id"], f["line"], f["column"], f["place"], f["message"]) for f in doc["findings"]] == [
        ("DOC-ISSUER-SELF", 5, 3, "第1页第5行", "县级文件自称“我市”")
    ]
    (meta,) = doc["documents"]
    assert (meta["doc_number"], meta["title"], meta["issue_date"], meta["issue_date_line"]) == (
        "新政办〔2024〕5号",
        "关于某事的通知",
        "2024年3月5日",
        7,
    )


def test_lint_reports_a_bad_ofd_in_one_line_and_checks_the_rest(cli, tmp_path):
    bad = ofd_file(tmp_path / "bad.ofd", [page(line(25.0, 20.0, "甲"))], **{"Doc_0/Document.xml": None})
    good = notice_ofd(tmp_path / "good.ofd")
    result = cli("lint", bad, good, "--format", "json", "--as-of", "2024-12-01")
    assert result.code == 2
    message = f"{bad}: 不是有效的 OFD 文件：缺少文档根文件“Doc_0/Document.xml” [INPUT-FILE]"
    assert result.err.splitlines() == [f"checker: 输入错误 {message}"]
    doc = result.json()
    assert doc["errors"] == [message]
    assert [(f["source"], f["rule_id"], f["place"]) for f in doc["findings"]] == [
        (str(bad), "INPUT-FILE", None),
        (str(good), "DOC-ISSUER-SELF", "第1页第5行"),
    ]
