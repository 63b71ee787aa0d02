"""The parts of a notice the rules need: own 发文字号, 发文机关, 成文日期, title.

Works on lines (plain text split on "\\n", or docx paragraphs).  What is not
found is None: the caller reports it as information; nothing is guessed.

Heuristics and limits:
- own doc number: the first one (in order) that is alone on its line, or that
  starts one of the first 8 non-empty lines (签发人 may follow it).  A forwarded document pasted in full has its own number
  alone on a line too; it is found only if the forwarding notice has none.
- issuer: a line among the first 8 non-empty ones ending with 文件
  ("新野县人民政府办公室文件", letter-spaced too); otherwise the signature.
- date: a full date alone on its line (brackets and spaces allowed), or at
  the end of a signature line.  Preferred: the first such line right below
  signature-like lines; else the last one among the last 12 non-empty lines.
  A long attachment after the signature pushes the date out of that window.
- signature: up to 4 contiguous lines right above the date line that have no
  sentence punctuation.
- title: among the first 12 non-empty lines, a line starting with 关于 or
  ending with a document kind, without ，。；：; a 关于 line that does not end
  with a kind is joined with up to two following lines.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from checker.core.lazyre import lazy_compile
from checker.domains.documents.text.cndate import DateObs, find_dates
from checker.domains.documents.text.docnumber import DocNumberObs, find_doc_numbers

KINDS = (
    "通知",
    "通报",
    "意见",
    "决定",
    "报告",
    "请示",
    "批复",
    "函",
    "纪要",
    "公告",
    "通告",
    "决议",
    "命令",
    "公报",
    "议案",
    "方案",
)
_KIND_END = lazy_compile("(?:" + "|".join(sorted(KINDS, key=len, reverse=True)) + ")$")
_SENTENCE_PUNCT = lazy_compile(r"[，。；：:,;？！?!]")
_SIGNATURE_BAD = lazy_compile(r"[，。；：:,;？！?!、《》“”0-9０-９]")
_NOT_SIGNATURE_START = ("附件", "抄送", "联系人", "联系电话", "（此件", "(此件")
_CJK_CHAR = lazy_compile("[\u4e00-\u9fff]")
_SPACES = lazy_compile(r"[ \u3000\t]+")
_HEADER = lazy_compile(r"(.+?)[ \u3000\t]*文[ \u3000\t]*件")
_TOP_LINES = 8
_TITLE_LINES = 12
_TAIL_LINES = 12


@dataclass(frozen=True, slots=True)
class MetaItem:
    text: str  # as written (for a title over several lines: the lines' texts joined)
    value: str  # `text` without spaces: letter-spaced red heads ("新 野 县 … 文 件") become names
    line: int
    column: int
    end_line: int
    end_column: int
    source: str  # "header" | "signature" | "title"


@dataclass(frozen=True)
class DocumentMeta:
    doc_number: DocNumberObs | None
    issuer: MetaItem | None  # from the 文件 header line, else the first signature line
    signature: tuple[MetaItem, ...]
    date: DateObs | None  # 成文日期
    title: MetaItem | None
    kind: str | None  # the document kind the title ends with


def _item(lines: list[str], i: int, source: str, text: str | None = None) -> MetaItem:
    raw = lines[i]
    stripped = raw.strip()
    col = raw.index(stripped) + 1 if stripped else 1
    text = stripped if text is None else text
    return MetaItem(text, _SPACES.sub("", text), i + 1, col, i + 1, col + len(text), source)


def _signature_like(s: str) -> bool:
    s = s.strip()
    return (
        2 < len(s) <= 40
        and not _SIGNATURE_BAD.search(s)
        and not s.startswith(_NOT_SIGNATURE_START)
        and len(_CJK_CHAR.findall(s)) >= 4
        and not _KIND_END.search(s)
    )


def _own_doc_number(lines: list[str], numbers: list[DocNumberObs], top: set[int]) -> DocNumberObs | None:
    for o in numbers:
        line = lines[o.line - 1]
        if line.strip() == o.full_raw:
            return o
        if (o.line - 1) in top and not o.cited:
            return o
    return None


def _header_issuer(lines: list[str], nonempty: list[int]) -> MetaItem | None:
    for i in nonempty[:_TOP_LINES]:
        s = lines[i].strip()
        m = _HEADER.fullmatch(s)
        if m and not _SIGNATURE_BAD.search(s) and len(_CJK_CHAR.findall(m.group(1))) >= 4:
            return _item(lines, i, "header", m.group(1))
    return None


def _date_line(lines: list[str], dates: list[DateObs]) -> list[tuple[DateObs, int, str]]:
    """(date, line index, text before the date on that line) for each candidate 成文日期."""
    found = []
    for d in dates:
        if d.precision != "day":
            continue
        line = lines[d.line - 1]
        before = line[: d.column - 1].strip()
        after = line[d.end_column - 1 :].strip()
        if after not in ("", "）", ")"):
            continue
        if before in ("", "（", "("):
            found.append((d, d.line - 1, ""))
        elif line[d.column - 2] in " \u3000\t" and _signature_like(before):
            found.append((d, d.line - 1, before))
    return found


def _signature_above(lines: list[str], i: int) -> list[int]:
    j = i - 1
    blanks = 0
    while j >= 0 and not lines[j].strip() and blanks < 3:
        j -= 1
        blanks += 1
    sig: list[int] = []
    while j >= 0 and lines[j].strip() and _signature_like(lines[j]) and len(sig) < 4:
        sig.append(j)
        j -= 1
    return sig[::-1]


def _title(lines: list[str], nonempty: list[int], skip: set[int]) -> tuple[MetaItem, str] | None:
    for i in nonempty[:_TITLE_LINES]:
        if i in skip:
            continue
        s = lines[i].strip()
        if len(s) > 80 or _SENTENCE_PUNCT.search(s):
            continue
        kind = _KIND_END.search(s)
        if kind and len(s) >= 4:
            return _item(lines, i, "title"), kind.group()
        if s.startswith("关于"):
            text = s
            for k in range(i + 1, min(i + 3, len(lines))):
                nxt = lines[k].strip()
                if not nxt or _SENTENCE_PUNCT.search(nxt):
                    break
                text += nxt
                kind = _KIND_END.search(text)
                if kind:
                    first, last = _item(lines, i, "title"), _item(lines, k, "title")
                    return (
                        MetaItem(
                            text, _SPACES.sub("", text), first.line, first.column, last.line, last.end_column, "title"
                        ),
                        kind.group(),
                    )
    return None


def extract_meta(
    lines: list[str],
    known_prefixes: Collection[str] | None = None,
    *,
    doc_numbers: list[DocNumberObs] | None = None,
    dates: list[DateObs] | None = None,
) -> DocumentMeta:
    """Own doc number, issuer, signature, 成文日期 and title of one document, each with its position.

    `known_prefixes` is passed to `find_doc_numbers` (see there).  A caller that
    has already run `find_doc_numbers` / `find_dates` on "\n".join(lines) may
    pass their results to avoid scanning twice.
    """
    text = "\n".join(lines) if doc_numbers is None or dates is None else ""
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    top = set(nonempty[:_TOP_LINES])
    if doc_numbers is None:
        doc_numbers = find_doc_numbers(text, known_prefixes)
    if dates is None:
        dates = find_dates(text)
    number = _own_doc_number(lines, doc_numbers, top)
    header = _header_issuer(lines, nonempty)

    date = None
    signature: list[MetaItem] = []
    first_lines = set(nonempty[:3])
    candidates = [c for c in _date_line(lines, dates) if c[1] not in first_lines]
    chosen = None
    for c in candidates:
        if c[2] or _signature_above(lines, c[1]):
            chosen = c
            break
    if chosen is None:
        tail = set(nonempty[-_TAIL_LINES:])
        in_tail = [c for c in candidates if c[1] in tail]
        chosen = in_tail[-1] if in_tail else None
    if chosen is not None:
        date, i, before = chosen
        signature = [_item(lines, j, "signature") for j in _signature_above(lines, i)]
        if before:
            signature.append(_item(lines, i, "signature", before))

    skip = set()
    if header is not None:
        skip.add(header.line - 1)
    if number is not None:
        skip.add(number.line - 1)
    found = _title(lines, nonempty, skip)
    title, kind = found if found else (None, None)
    issuer = header or (signature[0] if signature else None)
    return DocumentMeta(number, issuer, tuple(signature), date, title, kind)
