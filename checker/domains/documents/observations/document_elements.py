"""公文要素: the 附件说明, the 主送机关's colon, the 抄送 line (GB/T 9704-2012 7.3.4, 7.3.2, 7.4.2) and unfilled
placeholders (××, 【待补】) — the parts around the body a proofreader checks before a document is issued.

Where the 主送机关, the signature and the 成文日期 are comes from text.document_meta (read once, `reading.meta`);
the language data (file extensions, the words of an editor's note, surnames) are settings of the pack.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checker.core.edits import SAFE, UNSAFE
from checker.domains.documents.observation import Observation
from checker.domains.documents.records import observation_schema
from checker.records.fields import FieldSpec

PACK = Path(__file__).resolve().parents[1] / "packs" / "document-document-elements" / "pack.yaml"

SCHEMA = observation_schema(
    "document_elements",
    "公文要素",
    (
        FieldSpec(
            "element",
            "要素",
            "enum",
            choices={
                "attachment": ("附件说明",),
                "addressee": ("主送机关",),
                "cc": ("抄送机关",),
                "placeholder": ("占位符",),
            },
        ),
        FieldSpec(
            "problem",
            "问题",
            "enum",
            choices={
                "label_colon": ("“附件”后应标全角冒号",),
                "label_short": ("附件说明应以“附件”二字标注，后标全角冒号",),
                "label_no_colon": ("“附件”后应标全角冒号",),
                "label_numbered": ("顺序号应标在“附件：”之后（附件：1.……）",),
                "single_numbered": ("只有一个附件，不标顺序号",),
                "several_unnumbered": ("有多个附件，应用阿拉伯数字依次标注顺序号",),
                "number_form": ("附件顺序号应写作“1.”“2.”的形式",),
                "number_sequence": ("附件顺序号应从1起依次编排",),
                "trailing_punct": ("附件名称后不加标点符号",),
                "file_extension": ("附件名称应为附件的标题，不写文件扩展名",),
                "title_marks": ("附件名称一般不加书名号",),
                "addressee_colon": ("最后一个主送机关后应标全角冒号",),
                "cc_colon": ("“抄送”后应标全角冒号",),
                "cc_no_colon": ("“抄送”后应标全角冒号",),
                "cc_end": ("最后一个抄送机关后应标句号",),
                "cross": ("以××代替的内容",),
                "latin": ("以XX代替的内容",),
                "note": ("待补充的注记",),
                "blank": ("待填写的空格",),
            },
        ),
        FieldSpec("expected", "应为", "text"),
        FieldSpec("context", "冒号前的文字", "text", evidence=False),
        FieldSpec("in_attachment", "在附件中", "bool"),
        FieldSpec("form_field", "在填写栏中", "bool"),
    ),
    producer=__name__,
    limits=(
        "附件说明只在成文日期之前查找（行首的“附件：”“附：”及其下逐行编号的附件名称）；成文日期之后的“附件”行视为附件本身或网页所列的附件文件，不检查",
        "附件名称回行时只检查首行；名称中间的错误（如缺字）查不到",
        "主送机关依赖公文要素识别（标题后、以冒号结尾的机关名称行）；主送机关后缺少冒号的识别不到",
        "抄送行与印发机关、印发日期写在同一行时不检查句号",
        "占位符只识别××、XX、【待补】类注记、（此处填写……）和下划线空格；“某某”“○○”及空着的“〔2024〕  号”识别不到；姓氏后的××视为隐去的姓名，不报告",
    ),
)


def vocabulary():
    """The finder's language data: the pack's settings in force (the configuration may extend them)."""
    from checker.domains.documents.pack_settings import compiled

    return compiled(PACK, _vocabulary)


def _vocabulary(settings: dict):
    from checker.domains.documents.text.elements import Vocabulary

    return Vocabulary(
        extensions=tuple(str(e).lower() for e in settings.get("attachment_file_extensions") or ()),
        note_words=tuple(str(w) for w in settings.get("placeholder_note_words") or ()),
        surnames="".join(str(s) for s in settings.get("withheld_name_surnames") or ()),
    )


def observe(reading) -> Iterator[Observation]:
    from checker.domains.documents.text.elements import attachments_start, find_element_problems, find_placeholders

    words = vocabulary()
    meta = reading.meta
    date_line = closing_date_line(meta)
    addressee = None
    if meta is not None and meta.addressees is not None:
        addressee = (meta.addressees.end_line, meta.addressees.end_column)
    signature = [item.line for item in meta.signature] if meta is not None else []
    lines, text, wanted = reading.body_lines, reading.body_text, reading.wanted
    found = find_element_problems(
        lines, words, addressee=addressee, date_line=date_line, stop_lines=signature, limit=wanted, text=text
    )
    if len(found) < wanted:  # the placeholders come after the other problems: only as many as may be reported
        start = attachments_start(lines, date_line, text)
        found += find_placeholders(lines, words, start, limit=wanted - len(found), text=text)

    def build(obs) -> Observation:
        values = {
            "element": obs.element,
            "problem": obs.problem,
            "in_attachment": obs.in_attachment,
            "form_field": obs.form_field,
            "quoted": reading.quoted(obs),
            "context": obs.context,
        }
        if obs.expected is not None:
            values["expected"] = obs.expected
        return reading.make(
            "document_elements",
            obs,
            values,
            obs.replacement,
            applicability=SAFE if obs.safe else UNSAFE,
        )

    yield from reading.each(found, build)


def closing_date_line(meta) -> int | None:
    """The 成文日期's line, when it ends the body: not a date in brackets under the title (政府公报 style), nor
    one on a head line (a document run together on its first lines gives no place to the 附件说明)."""
    if meta is None or meta.date is None or meta.date_bracketed:
        return None
    head = max(
        (item.end_line for item in (meta.title, meta.addressees) if item is not None),
        default=0,
    )
    return meta.date.line if meta.date.line > head else None


prepare = vocabulary  # compiled when a run starts (documents domain), so a bad setting is reported before any file
