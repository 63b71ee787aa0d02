"""The parts of a 公文 around its body (GB/T 9704-2012 7.3.2, 7.3.4, 7.4.2) and unfilled placeholders.

Pure functions over the document's lines (split on "\\n"); positions are 1-based lines and character columns,
end exclusive.  What the rules need of the document's structure (where the 主送机关 is, which line holds the
成文日期 and the signature) is passed in: text.document_meta finds it once.

- 附件说明 (7.3.4): a line starting with 附件 or 附 and a colon (or 附件 and a space) before the 成文日期 line, and
  the item lines under it ("附件：" then "1.…" "2.…"); several such lines in a row are one note.  After the
  成文日期 nothing is read as a 附件说明: there a line starting with 附件 is an attachment's own heading, or a
  web page's list of the files it links.  A line holding only 附件 / 附件1 (the attachment's heading) is never one.
- 主送机关 (7.3.2): the colon ending the line document_meta found.
- 抄送 (7.4.2): a line starting with 抄送 or 抄报; the list may run on over lines ending with ，、 .  A line that also
  holds the 印发 part of the 版记 (web copies run them together) is not judged.
- placeholders: ×× / XX / ＸＸ runs, × standing for a digit of a date or number (×月×日, 〔2024〕×号),
  editor's notes in 【】 (【待补】), notes such as （此处填写…）, and blanks (＿＿＿, ___).  A surname followed by
  ×× is a name withheld in a published text (王××), not a placeholder; XX inside Latin text (XXGK, XXL) is not one.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator
from itertools import islice

from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.core.values import lines_holding

_SPACE = " \u3000\t"
_NOTE = lazy_compile(
    r"^(?P<indent>[ \u3000\t]*)(?P<label>附件|附)(?P<num>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,2})?"
    r"(?P<sep>[ \u3000\t]*[：:]|[ \u3000\t]+)"
)
_ITEM_NUMBER = lazy_compile(
    r"(?P<token>(?P<arabic>[0-9０-９]{1,2})(?P<after>[.．](?![0-9０-９])|[、，,：:）)])"
    r"|[（(](?P<paren>[0-9０-９]{1,2})[）)]"
    r"|(?P<circled>[①-⑳])"
    r"|(?P<chinese>[一二三四五六七八九十]{1,2})[、.．])"
)
# matched against a stripped line: no two runs of spaces meet (a line of spaces must not backtrack)
_HEADING_ONLY = lazy_compile(r"附[ \u3000\t]*件[ \u3000\t]*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,2})?")
_ATTACHMENT_MARK = lazy_compile("附")
_MORE_ITEMS = lazy_compile(r"[ \u3000\t]+[0-9０-９]{1,2}[.．、]")  # 附件：1.方案 2.申报表: a copy that joined lines
_NAME_END_PUNCT = "。；;，,.．：:！!？?、"
_SOFT_END = "，,、"  # a name may run on to the next line after these
_BOOK_TITLE = lazy_compile(r"《[^《》\n]+》(?:[（(][^《》\n]*)?")
_CC = lazy_compile(r"^(?P<indent>[ \u3000\t]*)(?P<label>抄送|抄报)(?P<sep>[ \u3000\t]*[：:]|[ \u3000\t]+)")
_CC_SEP = "，,、；;"
_CC_WRONG_END = "，,、；;.．：:"
_PRINTED = lazy_compile(r"印发|印制")
_CJK_OR_CLOSE = lazy_compile(r"[\u3400-\u4dbf\u4e00-\u9fff）)\]】》”]")
_CLAUSE_SEP = "，,、；;"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

_CROSS = lazy_compile(r"[×Ｘｘ]{2,}|(?<![0-9０-９×Ｘｘ])[×Ｘ](?=[年月日号])")
_LATIN = lazy_compile(r"(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])")
_BRACKET_NOTE = lazy_compile(r"【(?P<inner>[^【】\n]{1,30})】")
# a note to the drafter: （此处填写数量）, （待补充）; not （此处略）, which tells the reader something was left out
_PAREN_NOTE = lazy_compile(
    r"[（(](?P<inner>(?:此处(?:填|写|插入|补|输入|添加|粘贴)|请填写|请补充|待补充|待补|待填写|待填)[^（）()\n]{0,30})[）)]"
)
_BLANK = lazy_compile(r"＿{2,}|_{3,}")
# what each placeholder opens with (×× / XX / 【 / （此处… / ＿＿ / ___): the lines worth the five scans.  One class
# first, the rest told by looking around it: a class opening the pattern is scanned for in C
_PLACEHOLDER_MARK = lazy_compile(
    r"[×Ｘｘ【Xx（(＿_](?:(?<=[×Ｘｘ【])|(?<=[Xx])(?=[Xx])|(?<=[（(])(?=此处|请|待)|(?<=＿)(?=＿)|(?<=_)(?=__))"
)
_UNIT_AFTER = frozenset("年月日号届期次批个名万元县市区镇乡村街局委办厅省州盟旗路")


@plain(frozen=True)
class Vocabulary:
    """Language data the finder needs, from the pack's settings (packs/document-document-elements/pack.yaml)."""

    extensions: tuple[str, ...] = ()  # file extensions an attachment's title never has (pdf, docx …)
    note_words: tuple[str, ...] = ()  # words opening an editor's note in 【】: 待补, 待定, 此处 …
    surnames: str = ""  # characters before ×× that make it a withheld name (王××)


# not frozen (hashable all the same): a frozen class pays a call per field to be built, and a hostile
# document makes hundreds of thousands of these
@plain(slots=True, unsafe_hash=True)
class ElementObs:
    line: int
    column: int
    end_column: int
    raw: str
    element: str  # attachment | addressee | cc | placeholder
    problem: str
    expected: str | None = None  # what the span should read, for the message
    context: str = ""  # (a colon's finding) what the colon follows: 附件, the last 主送机关, 抄送
    replacement: str | None = None  # the fix for the span, when there is one
    safe: bool = False  # the replacement is unambiguous
    in_attachment: bool = False  # (placeholders) in the attachments after the 成文日期
    form_field: bool = False  # (placeholders) a blank after a label colon: a form to fill in


@plain
class _Item:
    line: int  # 0-based
    start: int  # 0-based offset of the item (its number, if any) in the line
    text: str  # from its number to the end of the line, right-stripped
    label_num: str | None = None  # the number of an 附件1： label


def find_element_problems(
    lines: list[str],
    vocabulary: Vocabulary,
    *,
    addressee: tuple[int, int] | None = None,
    date_line: int | None = None,
    stop_lines: Collection[int] = (),
    limit: int | None = None,
    text: str | None = None,
) -> list[ElementObs]:
    """Problems of the 附件说明, the 主送机关's colon and the 抄送 line, in text order: the first `limit` of them
    (None: all).

    `addressee`: (line, end_column) of the 主送机关 as found (its colon is the character before end_column);
    `date_line`: the 成文日期's line; `stop_lines`: the signature's lines (1-based); `text`: the lines joined
    with "\\n", when the caller has it (only the lines opening with 附 or 抄 are read one by one).
    """
    if text is None:
        text = "\n".join(lines)
    room = sys.maxsize if limit is None else limit
    last = date_line - 1 if date_line else len(lines)
    stops = {s - 1 for s in stop_lines}
    # each part stops at a note or 抄送 line once it has `room` problems: what comes after stands after them all
    out = _attachment_problems(lines, text, vocabulary, last, stops, room)
    if addressee is not None:
        found = _addressee_colon(lines, *addressee)
        if found is not None:
            out.append(found)
    out.extend(_cc_problems(lines, text, room))
    out.sort(key=lambda o: (o.line, o.column))
    return out if limit is None else out[:limit]


def _opening_lines(text: str, first: str) -> Iterator[int]:
    """The 0-based indexes of the lines whose text opens (after the indentation) with the character `first`, in
    order: found with str.find, in C, not a match tried at every line."""
    line, last = 0, 0
    at = text.find(first)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        if not text[start:at].strip(_SPACE):
            line += text.count("\n", last, start)
            last = start
            yield line
        end = text.find("\n", at)  # one look a line, however many times it holds `first`
        if end < 0:
            return
        at = text.find(first, end)


# ------------------------------------------------------------------ 附件说明


def _attachment_problems(
    lines: list[str], text: str, vocabulary: Vocabulary, limit: int, stops: set[int], room: int
) -> list[ElementObs]:
    out: list[ElementObs] = []
    i = 0
    for at in _opening_lines(text, "附"):  # (what a 附件说明 opens with)
        if at >= limit or len(out) >= room:
            break
        if at < i:
            continue  # inside the note just read
        i = at
        if i in stops or not _note_match(lines[i]):
            continue
        items, labels, i = _note_group(lines, i, limit, stops)
        out.extend(labels)
        out.extend(_numbering(lines, items))
        for k, item in enumerate(items):
            nxt = items[k + 1].line if k + 1 < len(items) else None
            out.extend(_name_problems(lines, item, vocabulary, _runs_on(lines, item.line, nxt, limit, stops)))
    return out


def _note_match(line: str):
    """The 附件说明 label a line starts with, or None (an attachment's heading alone is none)."""
    m = _NOTE.match(line)
    if m is None:
        return None
    rest = line[m.end() :].strip(_SPACE)
    colon = any(c in m.group("sep") for c in "：:")
    if m.group("label") == "附" and (not colon or m.group("num")):
        return None  # 附 表…, 附1：
    if not colon:
        if m.group("num") or not rest or _HEADING_ONLY.fullmatch(line.strip()) or rest.isdigit():
            return None  # 附件1 名单 (a heading and its title run together), 附件 1
    return m


def _note_group(lines: list[str], i: int, limit: int, stops: set[int]):
    """The items of the 附件说明 starting at line `i`, its label problems, and the line after it."""
    items: list[_Item] = []
    labels: list[ElementObs] = []
    note_lines: list[int] = []
    j = i
    blanks = 0
    while j < limit and j not in stops:
        line = lines[j]
        if not line.strip():
            blanks += 1
            if blanks > 2:
                break
            j += 1
            continue
        m = _note_match(line)
        if m is not None:
            note_lines.append(j)
            labels.extend(_label_problems(line, j, m))
            rest_at = m.end() + (len(line) - m.end() - len(line[m.end() :].lstrip(_SPACE)))
            rest = line[rest_at:].rstrip()
            if rest:
                items.append(_Item(j, rest_at, rest, m.group("num")))
        elif note_lines and _is_item_line(line, items):
            start = len(line) - len(line.lstrip(_SPACE))
            items.append(_Item(j, start, line[start:].rstrip()))
        else:
            break
        blanks = 0
        j += 1
    # numbered labels (附件1：… 附件2：…): the numbering is wrong, whatever else the lines say
    numbered = [k for k, it in enumerate(items) if it.label_num]
    for pos, k in enumerate(numbered):
        item = items[k]
        m = _NOTE.match(lines[item.line])
        start, end = m.start("label"), m.end("sep")
        expected = ("附件：" if len(items) == 1 else "附件：1.") if pos == 0 else f"{pos + 1}."
        labels.append(
            _obs(item.line, start, end, lines[item.line][start:end], "attachment", "label_numbered", expected)
        )
    return items, labels, max(j, i + 1)


def _is_item_line(line: str, items: list[_Item]) -> bool:
    """A numbered line under the label: of the same family of numbers as the items before it, if numbered."""
    stripped = line.lstrip(_SPACE)
    m = _ITEM_NUMBER.match(stripped)
    if m is None:
        return False
    family = _family(m)
    previous = next((_ITEM_NUMBER.match(it.text) for it in reversed(items)), None)
    if previous is None:
        return not items or family == "arabic"  # 附件：名单 / 2.名单 : several, the first unnumbered
    return _family(previous) == family or (family == "arabic" and _family(previous) != "chinese")


def _family(m) -> str:
    for name in ("arabic", "paren", "circled", "chinese"):
        if m.group(name):
            return name
    return "arabic"


def _label_problems(line: str, j: int, m) -> list[ElementObs]:
    start = m.start("label")
    sep = m.group("sep")
    end = m.end("sep") if any(c in sep for c in "：:") else m.end("label") + len(sep)
    raw = line[start:end]
    if m.group("label") == "附":
        return [_obs(j, start, end, raw, "attachment", "label_short", "附件：", "附件：")]
    if not any(c in sep for c in "：:"):
        return [_obs(j, start, end, raw, "attachment", "label_no_colon", "附件：", "附件：")]
    if ":" in sep:  # the colon alone: the span a general half-width check proposes the same fix for
        at = m.start("sep") + sep.index(":")
        label = line[start:at]
        return [_obs(j, at, at + 1, ":", "attachment", "label_colon", label + "：", "：", True, label)]
    return []


def _item_number(item: _Item):
    m = _ITEM_NUMBER.match(item.text)
    if m is None:
        return None
    if m.group("arabic"):
        value = int(m.group("arabic").translate(_FULLWIDTH_DIGITS))
    elif m.group("paren"):
        value = int(m.group("paren").translate(_FULLWIDTH_DIGITS))
    elif m.group("circled"):
        value = ord(m.group("circled")) - ord("①") + 1
    else:
        value = _cn_value(m.group("chinese"))
    return m, value


def _cn_value(s: str) -> int:
    if s == "十":
        return 10
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN_DIGITS.get(s[1], 0)
    if len(s) == 2 and s[1] == "十":
        return _CN_DIGITS.get(s[0], 0) * 10
    return _CN_DIGITS.get(s[0], 0) if len(s) == 1 else 0


def _numbering(lines: list[str], items: list[_Item]) -> list[ElementObs]:
    """One attachment is not numbered; several are numbered 1. 2. … in order (GB/T 9704-2012 7.3.4)."""
    if any(it.label_num for it in items):
        return []  # reported as label_numbered
    out = []
    numbers = [_item_number(it) for it in items]
    if len(items) == 1:
        if numbers[0] is not None and not _MORE_ITEMS.search(items[0].text):
            m, _value = numbers[0]
            item = items[0]
            end = item.start + m.end()
            while end < len(lines[item.line]) and lines[item.line][end] in _SPACE:
                end += 1
            if end < len(lines[item.line]):  # a name follows the number
                raw = lines[item.line][item.start : end]
                out.append(_obs(item.line, item.start, end, raw, "attachment", "single_numbered", "", ""))
        return out
    for k, (item, number) in enumerate(zip(items, numbers, strict=True), start=1):
        if number is None:
            name = item.text
            out.append(
                _obs(item.line, item.start, item.start + len(name), name, "attachment", "several_unnumbered", f"{k}.")
            )
            continue
        m, value = number
        token = m.group("token")
        begin, end = item.start, item.start + len(token)
        if value != k:
            out.append(_obs(item.line, begin, end, token, "attachment", "number_sequence", f"{k}."))
        elif token != f"{k}." and token != f"{k}．":
            safe = bool(m.group("arabic") or m.group("paren"))
            out.append(_obs(item.line, begin, end, token, "attachment", "number_form", f"{k}.", f"{k}.", safe))
    return out


def _runs_on(lines: list[str], i: int, next_item: int | None, limit: int, stops: set[int]) -> bool:
    """Whether the line after item line `i` may carry on its name (a long title broken over lines)."""
    j = i + 1
    if j >= limit or j in stops or j == next_item:
        return False
    return bool(lines[j].strip()) and _NOTE.match(lines[j]) is None and _ITEM_NUMBER.match(lines[j].lstrip()) is None


def _name_problems(lines: list[str], item: _Item, vocabulary: Vocabulary, runs_on: bool) -> list[ElementObs]:
    """A file name for a title (名单.pdf), punctuation after the name, a name in 《》."""
    number = _ITEM_NUMBER.match(item.text)
    offset = number.end() if number else 0
    name = item.text[offset:]
    lead = len(name) - len(name.lstrip(_SPACE))
    name = name[lead:]
    if not name:
        return []
    start = item.start + offset + lead
    out = []
    ext = _extension(name, vocabulary.extensions)
    if ext:
        bare = name[: len(name) - ext].rstrip(_SPACE)
        out.append(_obs(item.line, start, start + len(name), name, "attachment", "file_extension", bare, bare))
    else:
        bare = name.rstrip(_NAME_END_PUNCT)
        if bare and bare != name and not (runs_on and name[-1] in _SOFT_END):
            out.append(
                _obs(item.line, start, start + len(name), name, "attachment", "trailing_punct", bare, bare, True)
            )
    whole = name + lines[item.line + 1].strip(_SPACE) if runs_on else name  # a title broken over two lines
    if _BOOK_TITLE.fullmatch(whole) and name.count("《") == 1 and "》" in name:
        close = name.index("》")
        bare = name[1:close] + name[close + 1 :]
        out.append(_obs(item.line, start, start + len(name), name, "attachment", "title_marks", bare, bare))
    return out


def _extension(name: str, extensions: tuple[str, ...]) -> int:
    """The length of a file extension ending `name` (with the dot and any space before it), or 0."""
    dot = name.rfind(".")
    if dot <= 0:
        return 0
    if name[dot + 1 :].lower() not in extensions:
        return 0
    return len(name) - len(name[:dot].rstrip(_SPACE))


# ------------------------------------------------------------------ 主送机关


def _addressee_colon(lines: list[str], line: int, end_column: int) -> ElementObs | None:
    """A half-width colon after the last 主送机关 (the span: that body and its colon)."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    at = end_column - 2  # 0-based offset of the colon
    if not 0 <= at < len(text) or text[at] != ":":
        return None
    begin = at
    while begin > 0 and text[begin - 1] not in _CLAUSE_SEP and text[begin - 1] not in _SPACE:
        begin -= 1
    name = text[begin:at]
    return _obs(line - 1, at, at + 1, ":", "addressee", "addressee_colon", name + "：", "：", True, name)


# ------------------------------------------------------------------ 抄送


def _cc_problems(lines: list[str], text: str, room: int) -> list[ElementObs]:
    out: list[ElementObs] = []
    for i in _opening_lines(text, "抄"):  # (what a 抄送 line opens with)
        if len(out) >= room:
            break  # a later 抄送 line's problems stand after these (its list never reaches back)
        line = lines[i]
        m = _CC.match(line)
        if m is None:
            continue
        sep = m.group("sep")
        colon = any(c in sep for c in "：:")
        rest = line[m.end() :].strip(_SPACE)
        if not rest:
            continue
        start = m.start("label")
        if not colon:
            end = m.end("label") + len(sep)
            label = m.group("label") + "："
            out.append(_obs(i, start, end, line[start:end], "cc", "cc_no_colon", label, label))
        elif ":" in sep:
            at = m.start("sep") + sep.index(":")
            label = line[start:at]
            out.append(_obs(i, at, at + 1, ":", "cc", "cc_colon", label + "：", "：", True, label))
        end_obs = _cc_end(lines, i)
        if end_obs is not None:
            out.append(end_obs)
    return out


def _cc_end(lines: list[str], i: int) -> ElementObs | None:
    """The 抄送 list's last body, when no full stop follows it."""
    last = i
    while lines[last].rstrip().endswith(tuple(_SOFT_END)) and last + 1 < len(lines):
        j = last + 1
        while j < len(lines) and not lines[j].strip() and j - last <= 2:
            j += 1
        if j >= len(lines) or not lines[j].strip() or _CC.match(lines[j]) or _PRINTED.search(lines[j]):
            break
        last = j
    nxt = last + 1
    if nxt < len(lines) and _wrapped_cc(lines[last], lines[nxt]):
        last = nxt  # a list broken inside a name: "…县人大常委会办公" / "室，县政协办公室。"
    block = lines[i : last + 1]
    if any(_PRINTED.search(b) for b in block):
        return None  # the 印发 part run together with the list: not judged
    text = lines[last].rstrip()
    if not text or text.endswith("。"):
        return None
    begin = len(text)
    while begin > 0 and text[begin - 1] in _CC_WRONG_END:
        begin -= 1
    body_end = begin
    if body_end == 0:
        return None
    while (
        begin > 0 and text[begin - 1] not in _CC_SEP and text[begin - 1] not in "：:" and text[begin - 1] not in _SPACE
    ):
        begin -= 1
    body = text[begin:body_end]
    if not body or not _CJK_OR_CLOSE.fullmatch(body[-1]):
        return None  # a number, a name in Latin letters: not a list of bodies as far as can be told
    raw = text[begin:]
    return _obs(last, begin, len(text), raw, "cc", "cc_end", body + "。", body + "。", True)


def _wrapped_cc(line: str, nxt: str) -> bool:
    """The next line carries on the 抄送 list: it ends with its full stop and is no other part of the 版记."""
    s = nxt.strip(_SPACE)
    return (
        bool(s)
        and not line.rstrip().endswith("。")
        and s.endswith("。")
        and _CC.match(nxt) is None
        and not _PRINTED.search(s)
        and "：" not in s
        and ":" not in s
    )


# ------------------------------------------------------------------ placeholders


def find_placeholders(
    lines: list[str],
    vocabulary: Vocabulary,
    attachments_from: int | None = None,
    *,
    limit: int | None = None,
    text: str | None = None,
) -> list[ElementObs]:
    """Unfilled placeholders, in text order: the first `limit` of them (None: all).  `attachments_from`: the
    1-based line where the attachments begin (after the date); `text`: the lines joined with "\\n", when the
    caller has it (only the lines holding a placeholder's mark are read one by one)."""
    if text is None:
        text = "\n".join(lines)
    room = sys.maxsize if limit is None else limit
    out: list[ElementObs] = []
    surnames = vocabulary.surnames
    for i in lines_holding(text, _PLACEHOLDER_MARK):
        line = lines[i]
        in_attachment = attachments_from is not None and i + 1 >= attachments_from
        # each kind stops once it has what may still be reported (a line of 100,000 ×× costs the first ones)
        want = room - len(out)
        found: list[ElementObs] = []
        if "×" in line or "Ｘ" in line or "ｘ" in line:  # (what the scan, slow to fail, could find)
            crosses = (m for m in _CROSS.finditer(line) if not _withheld_name(line, m.start(), m.end(), surnames))
            found += (_placeholder(i, m.start(), m.end(), line, "cross", in_attachment) for m in islice(crosses, want))
        if "X" in line or "x" in line:
            latin = (m for m in _LATIN.finditer(line) if _latin_placeholder(line, m.start(), m.end(), surnames))
            found += (_placeholder(i, m.start(), m.end(), line, "latin", in_attachment) for m in islice(latin, want))
        if "【" in line:
            words = vocabulary.note_words
            notes = (m for m in _BRACKET_NOTE.finditer(line) if m.group("inner").strip(_SPACE).startswith(words))
            found += (_placeholder(i, m.start(), m.end(), line, "note", in_attachment) for m in islice(notes, want))
        notes = islice(_PAREN_NOTE.finditer(line), want)
        found += (_placeholder(i, m.start(), m.end(), line, "note", in_attachment) for m in notes)
        if ("_" in line or "＿" in line) and line.strip(_SPACE + "_＿"):  # a line of only underscores is a rule
            for m in islice(_BLANK.finditer(line), want):
                form = _after_colon(line, m.start()) or in_attachment
                found.append(_placeholder(i, m.start(), m.end(), line, "blank", in_attachment, form))
        found.sort(key=lambda o: o.column)  # (no two kinds start at one column: each opens with its own marks)
        out += found[:want]
        if len(out) >= room:
            break
    return out


def _after_colon(line: str, pos: int) -> bool:
    """A colon is the last character before `pos` but spaces (填报单位：____): the spaces walked lie between two
    blanks, so each is walked once however many blanks the line has."""
    while pos and line[pos - 1] in _SPACE:
        pos -= 1
    return pos > 0 and line[pos - 1] in "：:"


def _withheld_name(line: str, start: int, end: int, surnames: str) -> bool:
    """王×× / 李××× in a published text: a surname, and after it nothing that makes it a place or a date."""
    if start == 0 or line[start - 1] not in surnames:
        return False
    return end >= len(line) or line[end] not in _UNIT_AFTER


def _latin_placeholder(line: str, start: int, end: int, surnames: str) -> bool:
    """XX standing for something (XX县, 20XX年): not inside Latin text, a model number or a web address."""
    before = line[start - 1] if start else ""
    after = line[end] if end < len(line) else ""
    if before.isdigit() and (after.isdigit() or after in "-_"):
        return False  # 12XX34, 3XX-1: a model number
    if line[start:end].islower() and (before in "./@:_-" or after in "./@:_-"):
        return False  # www.xx.gov.cn, xx@163.com: an address
    return not _withheld_name(line, start, end, surnames)


def _placeholder(i: int, start: int, end: int, line: str, problem: str, in_attachment: bool, form: bool = False):
    return ElementObs(
        i + 1,
        start + 1,
        end + 1,
        line[start:end],
        "placeholder",
        problem,
        in_attachment=in_attachment,
        form_field=form or (in_attachment and problem == "blank"),
    )


def attachments_start(lines: list[str], date_line: int | None, text: str | None = None) -> int | None:
    """The 1-based line of the first attachment's heading (附件 / 附件1 alone on its line) after the 成文日期;
    `text`: the lines joined with "\\n", when the caller has it (only the lines holding 附 are read one by one)."""
    begin = date_line or 0
    if begin >= len(lines):
        return None
    if text is None:
        text = "\n".join(lines)
    if begin * 2 < len(lines):  # where line `begin` starts, counted from the nearer end (the date ends a body)
        offset = sum(map(len, islice(lines, begin))) + begin
    else:
        offset = len(text) - sum(map(len, lines[begin:])) - (len(lines) - 1 - begin)
    for i in lines_holding(text, _ATTACHMENT_MARK, begin, offset):
        if _HEADING_ONLY.fullmatch(lines[i].strip()):
            return i + 1
    return None


def _obs(
    i: int,
    start: int,
    end: int,
    raw: str,
    element: str,
    problem: str,
    expected: str | None = None,
    replacement: str | None = None,
    safe: bool = False,
    context: str = "",
) -> ElementObs:
    return ElementObs(i + 1, start + 1, end + 1, raw, element, problem, expected, context, replacement, safe)
