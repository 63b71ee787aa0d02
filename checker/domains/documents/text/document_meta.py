"""The parts of a notice the rules need: own 发文字号, 发文机关, 成文日期, title, 主送机关.

Works on lines (plain text split on "\\n", or docx paragraphs): a document as written, or as a web page copied
it (its 索引号/发布机构 table, blank lines between every paragraph, a title split over lines, paragraphs run
together).  What is not found is None: the caller reports it as information; nothing is guessed.

Heuristics and limits:
- page chrome: lines of a web page's metadata table (索引号, 发布机构, 【颁发时间】 …) are never a title, a
  signature or a 成文日期; a 文号 row there ("文号: 鹿山政〔2020〕72号") does give the own number.
- own doc number: the first one (in order) that is alone on its line (or in brackets, perhaps with its date:
  "（赣府字〔2010〕37号 2010年3月22日）"), that follows a 文号 label, that ends the title line in brackets,
  or that starts one of the first 8 non-empty lines (签发人 may follow it).  A forwarded document pasted in
  full has its own number alone on a line too; it is found only if the forwarding notice has none.
- issuer: a line among the first 8 non-empty ones ending with 文件 ("新野县人民政府办公室文件", letter-spaced,
  or 文件 on the next line); else the signature; else the body the title starts with (南阳市人民政府关于…).
  `issuers` are all signature lines (joint documents: several lines, or two names on one line).
- date: a full date alone on its line (brackets and spaces allowed), or at the end of a signature line, read
  leniently (spaces inside, no 日, a look-alike zero: each reported).  Preferred: the first such line right
  below signature-like lines; else the last one among the last 12 non-empty lines; else the date in brackets
  under the title (政府公报 style); else the first date alone on its line; else, for a 督查通报/简报, a date
  that ends a head line after the issuing office ("寿县人民政府督查室    2022年8月19"), or, for a short cover
  letter without 版头, a date alone on one of its first lines.
- signature: up to 4 lines right above the date line (blank lines between allowed) without sentence punctuation.
- title: before the 主送机关 line and the body, the first line (or up to three lines, blank lines between
  allowed) that holds 关于 or ends with a document kind, without ，。；：, stripped of decorations (------,
  a 《》 around it) and of its own number; an issuer-name line right above a 关于 line belongs to it.  A page
  without one has no title: an attachment's title is never taken.
- 主送机关: the first line after the title (within the first 15 non-empty lines) that starts with a list of
  bodies ended by a colon (各县（区）人民政府，市直有关部门：), alone or running into the body.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import compress

from checker.core.lazyre import lazy_compile
from checker.core.plain import plain
from checker.core.values import lines_holding
from checker.domains.documents.text.cndate import DateObs, find_dates, loose_date
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
    "规则",
    "办法",
    "细则",
    "规定",
    "公示",
    "告知书",
    "打算",
    "总结",
    "要点",
)
_KIND_ALT = "|".join(sorted(KINDS, key=len, reverse=True))
_KIND_END = lazy_compile(f"(?:{_KIND_ALT})$")
_TITLE_PREFIX = lazy_compile(rf"^(?P<title>[^，。；：:,;？！?!]{{4,90}}?(?:{_KIND_ALT}))(?=[ \u3000\t(（]|$)")
_SENTENCE_PUNCT = lazy_compile(r"[，。；：:,;？！?!]")
_SIGNATURE_BAD = lazy_compile(r"[，。；：:,;？！?!、《》“”0-9０-９【】|•·]")
_NOT_SIGNATURE_START = ("附件", "抄送", "联系人", "联系电话", "（此件", "(此件", "（此页", "(此页")
_CJK_CHAR = lazy_compile("[\u4e00-\u9fff]")
_SPACES = lazy_compile(r"[ \u3000\t]+")
# a web page's chrome (metadata table, toolbar), anywhere on a line or at its start: two patterns, because every
# alternative of the first opens with a literal (the engine then skips to the characters that can open one,
# 7 times faster on a 1 MB line than one alternation holding the anchored ones too)
_CHROME = lazy_compile(
    r"索\s*引\s*号|组配分类|信息分类|发布机构|生成日期|发文日期|生效时间|废止时间|信息来源|浏览次数|内容概述"
    r"|统一编号|实施日期|失效日期|发布机关|文件状态|分享到|视力保护色|字号[:：]|【字体|打印本页|关闭窗口|浏览量"
    r"|来源[:：]|发布时间|发布日期|有\s*效\s*性|主\s*题\s*词|【[^】]{2,6}】|\|"
)
_CHROME_START = lazy_compile(r"[\s•·]*[•·]|\s*(?:标\s+题|发文机关|成文日期|文\s+号)[\s:：]")
_LABEL_LEAD = lazy_compile(r"[\s•·]*")
_NUMBER_LABEL = lazy_compile(r"^[\s•·]*(?:【\s*)?(?:发文字号|文\s*号)(?:\s*】)?[\s:：|]*$")
# rules of dashes, stars or dots around a title line (----关于……的通知----), stripped from both ends
_DECORATION_HEAD = lazy_compile(r"[-—－=＝*·•\s]*")
_DECORATION_CHAR = lazy_compile(r"[-—－=＝*·•\s]")
_ISSUER_TITLE = lazy_compile(r"^(?P<issuer>.{4,40}?)(?=关于|转发|印发|批转)")
_ORG_PREFIX = lazy_compile(
    r"^(?P<issuer>(?:(?!关于|转发|印发|批转|《).){2,30}?"
    r"(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府|办公室|办公厅|委员会|人民法院|人民检察院|局|厅|委))"
    r"(?!办|会|员)"
)
_ADDRESSEE_VERB = (
    "为",
    "根据",
    "按照",
    "经",
    "现",
    "依据",
    "依照",
    "结合",
    "鉴于",
    "近日",
    "近期",
    "今年",
    "去年",
    "目前",
    "一、",
)
_ORG_WORDS = lazy_compile(
    r"政府|局|厅|委|办|部门|单位|公司|院|校|所|中心|处|科|室|站|队|村|社区|乡|镇|街道|党组|党委|机关|集团|协会|部|署|法院"
)
_LIST_SEP = lazy_compile(r"[，,、；;]")
_ORG_END = lazy_compile(
    r"(?:政府|局|厅|委|办|部门|单位|公司|院|校|所|中心|处|科|室|站|队|村|社区|乡|镇|街道|党组|党委|机关|集团|协会|部|署|法院"
    r"|区|县|市|省|州|盟|旗|机构|组织|企业|会|工委|群众|经营户|业主|居民|户)[）)]?$"
)
_TOP_LINES = 8
_TITLE_LINES = 14
_TAIL_LINES = 12
_ADDRESSEE_LINES = 15
_COLONS = "：:"
_NOT_ADDRESSEE = ("附件", "抄送", "联系人", "联系电话", "时间", "地点", "主题词", "签发人", "电话", "邮箱")
_BRACKETS = (("（", "）"), ("(", ")"))
_RUN_ON = "\0"  # a date candidate after the last sentence of a document run together on one line
_STRAY = "（([【{ \u3000"  # what may stand before a date alone on its line: an opening bracket, a stray brace


@plain(frozen=True, slots=True)
class MetaItem:
    text: str  # as written (for a title over several lines: the lines' texts joined)
    value: str  # `text` without spaces: letter-spaced red heads ("新 野 县 … 文 件") become names
    line: int
    column: int
    end_line: int
    end_column: int
    source: str  # "header" | "signature" | "title"


@plain(frozen=True)
class DocumentMeta:
    doc_number: DocNumberObs | None
    issuer: MetaItem | None  # from the 文件 header line, else the first signature line
    signature: tuple[MetaItem, ...]
    date: DateObs | None  # 成文日期
    title: MetaItem | None
    kind: str | None  # the document kind the title ends with
    addressees: MetaItem | None = None  # the 主送机关 line
    date_bracketed: bool = False  # the 成文日期 is the one in brackets under the title (政府公报 style)

    @property
    def issuers(self) -> tuple[MetaItem, ...]:
        """Every issuer: the signature lines (two for a joint document), else the 文件 header."""
        return self.signature or ((self.issuer,) if self.issuer else ())


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
        and not _chrome(s)
    )


def _chrome(s: str) -> bool:
    return _CHROME.search(s) is not None or _CHROME_START.match(s) is not None


def _bracketed(s: str) -> str | None:
    """What a line holds inside the brackets around all of it, or None."""
    for open_b, close_b in _BRACKETS:
        if s.startswith(open_b) and s.endswith(close_b):
            return s.strip("（）() \u3000")
    return None


def _alone(line: str, number: DocNumberObs) -> bool:
    """The number is all its line holds, perhaps in brackets and with its date: "（潮府办〔2008〕7号）"."""
    s = line.strip()
    inner = _bracketed(s)
    if inner is not None:
        rest = inner.replace(number.full_raw, "", 1)
        return number.full_raw in inner and (not rest.strip() or _is_date_text(rest))
    return s == number.full_raw


def _is_date_text(s: str) -> bool:
    s = s.strip()
    return bool(s) and bool(find_dates(s)) and find_dates(s)[0].raw == s


def _labelled(line: str, number: DocNumberObs) -> bool:
    """The number follows a 文号 label of a page's metadata table: "文号: 鹿山政〔2020〕72号"."""
    before = line[: number.prefix_start_column - 1]
    return bool(_NUMBER_LABEL.match(before))


def _ends_title_line(line: str, number: DocNumberObs) -> bool:
    """The number closes a title line in brackets: "关于……的通知（潮府办〔2008〕7号）"."""
    s = line.strip()
    for open_b, _close in _BRACKETS:
        at = s.rfind(open_b + number.full_raw)
        if at > 0 and _KIND_END.search(s[:at].rstrip()):
            return True
    return False


def _own_doc_number(lines: list[str], numbers: list[DocNumberObs], top: set[int]) -> DocNumberObs | None:
    on_line: dict[int, list[DocNumberObs]] = {}
    for o in numbers:
        on_line.setdefault(o.line, []).append(o)
    read: dict[int, _NumberLine] = {}  # each line holding numbers, read once however many it holds
    for o in numbers:
        info = read.get(o.line)
        if info is None:
            info = read[o.line] = _NumberLine(lines[o.line - 1], on_line[o.line])
        in_top = (o.line - 1) in top
        if info.alone(o) or (in_top and info.labelled(o)):
            return o
        if in_top and not info.chrome and (not o.cited or info.ends_title_line(o)):
            return o
    return None


_DATE_CHARS = 16  # longer than any date (二〇二四年十二月三十一日 has 12 characters)


class _NumberLine:
    """A line holding 发文字号, as `_own_doc_number` asks about each of them: `_alone`, `_labelled` and
    `_ends_title_line` of that number, with what they read of the line (stripped, its chrome, the inside of
    its brackets, where titles end before a bracket) found once: a line of 40,000 cited numbers is read a few
    times, not 40,000 times."""

    def __init__(self, line: str, numbers: list[DocNumberObs]):
        self.line = line
        self.numbers = numbers  # the numbers on this line
        self.s = line.strip()
        self.inner = _bracketed(self.s)
        # characters of the inside that are not spaces: more than a number and a date cannot be "alone"
        self.inner_width = len("".join(self.inner.split())) if self.inner is not None else 0
        self._chrome: bool | None = None
        self._starts_label: bool | None = None
        self._title_ends: dict[tuple[str, str], int] | None = None

    @property
    def chrome(self) -> bool:
        if self._chrome is None:
            self._chrome = _chrome(self.line)
        return self._chrome

    def alone(self, number: DocNumberObs) -> bool:
        """`_alone(line, number)`."""
        if self.inner is None:
            return self.s == number.full_raw
        if self.inner_width > len(number.full_raw) + _DATE_CHARS:
            return False  # what the number leaves of the inside is no date
        return _alone(self.line, number)

    def labelled(self, number: DocNumberObs) -> bool:
        """`_labelled(line, number)`, without copying the line up to each number."""
        if self._starts_label is None:
            at = _LABEL_LEAD.match(self.line).end()
            self._starts_label = self.line[at : at + 1] in ("【", "发", "文")  # as _NUMBER_LABEL must go on
        return self._starts_label and bool(_NUMBER_LABEL.match(self.line, 0, number.prefix_start_column - 1))

    def ends_title_line(self, number: DocNumberObs) -> bool:
        """`_ends_title_line(line, number)`: the last bracket + number on the line follows a title's end."""
        if self._title_ends is None:
            self._title_ends = self._find_title_ends()
        s, raw = self.s, number.full_raw
        for open_b, _close in _BRACKETS:
            at = self._title_ends.get((open_b, raw))
            if at is not None and s.find(open_b + raw, at + 1) < 0:
                return True  # no later one on the line: this one is what rfind finds
        return False

    def _find_title_ends(self) -> dict[tuple[str, str], int]:
        """(bracket, number) -> the last offset in the stripped line of that bracket, right after a document
        kind (spaces between allowed) and right before that number (as written, prefix and all)."""
        s = self.s
        lengths = {len(n.full_raw) for n in self.numbers}
        wanted = {n.full_raw for n in self.numbers}
        found: dict[tuple[str, str], int] = {}
        for open_b, _close in _BRACKETS:
            at = s.find(open_b, 1)
            while at > 0:
                end = at
                while end and s[end - 1].isspace():
                    end -= 1
                if s.endswith(KINDS, 0, end):
                    for size in lengths:
                        raw = s[at + 1 : at + 1 + size]
                        if raw in wanted:
                            found[(open_b, raw)] = at
                at = s.find(open_b, at + 1)
        return found


def _header_name(s: str) -> str | None:
    """The name a red head line gives before its 文件 ("新野县人民政府办公室文件", "新 野 县 … 文  件"), or None.
    Read from the end: the 件 that ends the line, the 文 before it, and what precedes them (at least one
    character), so spaces by the thousand between name and 文件 cost one pass."""
    gap = " \u3000\t"
    if "\n" in s or not s.endswith("件"):
        return None
    head = s[:-1].rstrip(gap)
    if not head.endswith("文"):
        return None
    head = head[:-1]
    name = head.rstrip(gap)
    return name or (head[:1] or None)


def _header_issuer(lines: list[str], nonempty: list[int]) -> MetaItem | None:
    top = nonempty[:_TOP_LINES]
    for pos, i in enumerate(top):
        s = lines[i].strip()
        name = _header_name(s)
        if name is not None and not _SIGNATURE_BAD.search(s) and len(_CJK_CHAR.findall(name)) >= 4:
            return _item(lines, i, "header", name)
        # the red head's 文件 on a line of its own: "新疆维吾尔自治区人民政府" / "文件"
        if pos + 1 < len(top) and _SPACES.sub("", lines[top[pos + 1]]) == "文件" and _signature_like(s):
            return _item(lines, i, "header")
    return None


_LENIENT_HINT = lazy_compile("年|19|20")


def _date_line(lines: list[str], dates: list[DateObs]) -> list[tuple[DateObs, int, str]]:
    """(date, line index, text before the date on that line) for each candidate 成文日期, read leniently
    where the strict reading missed a miswritten one (2021年12月 31 日, 2025年1月23, 二OO五年…)."""
    found = []
    strict_lines = set()
    tails: dict[int, int] = {}  # line index -> where the whitespace (and one closing bracket) ending it begins
    for d in dates:
        if d.precision != "day":
            continue
        line = lines[d.line - 1]
        # only a date that ends its line is read further: one test per date, whatever the line's length (a line
        # of 80,000 dates must not be copied and searched once for each of them)
        tail = tails.get(d.line)
        if tail is None:
            tail = tails[d.line] = _tail_start(line)
        if d.end_column - 1 < tail or _chrome(line):
            continue
        before = line[: d.column - 1].strip()
        lenient = loose_date(line[d.column - 1 :], d.line, d.column)  # a look-alike zero the strict one allows
        if not before.strip(_STRAY):
            found.append((lenient or d, d.line - 1, ""))
            strict_lines.add(d.line - 1)
        elif _after_sentence(line, d.column):
            found.append((lenient or d, d.line - 1, _RUN_ON))
            strict_lines.add(d.line - 1)
        elif (
            line[d.column - 2] in " \u3000\t"
            and _signature_like(before)
            and d.style in ("arabic_cn", "chinese_numeral")
        ):
            found.append((lenient or d, d.line - 1, before))  # (南阳市人民政府办公室 2011-03-04 is a page's table)
            strict_lines.add(d.line - 1)
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), -1)
    for i in lines_holding("\n".join(lines), _LENIENT_HINT):  # a line holding neither 年 nor 19/20 is passed over
        line = lines[i]
        bare = line.strip().lstrip(_STRAY)
        digits_only = bare[:2] in ("19", "20") and bare.replace(" ", "").replace("\u3000", "").isdigit()
        if (
            i in strict_lines
            or ("年" not in line and not digits_only)
            or (len(line) > 80 and i != last)
            or _chrome(line)
        ):
            continue
        stripped = line.strip()
        if digits_only:
            stripped = bare  # "{ 2017 6 23": the stray brace is not part of the date
        start = line.index(stripped) if stripped else 0
        tail = stripped[-40:] if len(stripped) > 80 else stripped
        d = loose_date(tail, i + 1, start + 1 + len(stripped) - len(tail))
        if d is None:
            continue
        before = line[: d.column - 1].strip()
        if not before.strip(_STRAY):
            found.append((d, i, ""))
        elif _after_sentence(line, d.column):
            found.append((d, i, _RUN_ON))
        elif line[d.column - 2] in " \u3000\t" and _signature_like(before):
            found.append((d, i, before))
    found.sort(key=lambda c: c[1])
    return found


def _tail_start(line: str) -> int:
    """Where what ends `line` begins, if it is whitespace and at most one closing bracket: a date ending there
    ends the line (what follows it strips to "", "）" or ")")."""
    end = len(line.rstrip())
    if end and line[end - 1] in "）)":
        end = len(line[: end - 1].rstrip())
    return end


def _after_sentence(line: str, column: int) -> bool:
    """A date after a finished sentence and a space, ending a document run together on one line (web copies)."""
    before = line[: column - 1]
    return before.rstrip() != before and before.rstrip().endswith(("。", "！", "!"))


def _bracket_date(lines: list[str], front: list[int], dates: list[DateObs]) -> DateObs | None:
    """The date in brackets under (or at the end of) the title, 政府公报 style: "（赣府字〔2010〕37号 2010年3月22日）"."""
    wanted = {i + 1 for i in front}
    ends: dict[int, tuple[int, str] | None] = {}  # line -> its end brackets, read once for all its dates
    for d in dates:
        if d.precision != "day" or d.line not in wanted:
            continue
        if d.line not in ends:
            ends[d.line] = _end_brackets(lines[d.line - 1].rstrip())
        bracketed = ends[d.line]
        if bracketed is not None and d.raw in bracketed[1]:
            return d
    return None


def _signature_above(lines: list[str], i: int) -> list[int]:
    """Signature lines right above line `i` (blank lines before and between them allowed, as web copies have)."""
    j = i - 1
    sig: list[int] = []
    while j >= 0 and len(sig) < 4:
        blanks = 0
        while j >= 0 and not lines[j].strip() and blanks < (8 if not sig else 1):
            j -= 1
            blanks += 1
        if j < 0 or not lines[j].strip() or not _signature_like(lines[j]):
            break
        sig.append(j)
        j -= 1
    return sig[::-1]


def _split_joint(lines: list[str], i: int, text: str | None = None) -> list[MetaItem]:
    """One signature line as its issuers: two names on one line ("鹤岗市人民政府 鹤岗市中级人民法院") are two."""
    raw = lines[i]
    s = (text if text is not None else raw).strip()
    parts = [p for p in _SPACES.split(s) if p]
    if len(parts) > 1 and all(len(_CJK_CHAR.findall(p)) >= 4 and _ORG_PREFIX.match(p) for p in parts):
        out = []
        pos = raw.index(s)
        for part in parts:
            col = raw.index(part, pos) + 1
            out.append(MetaItem(part, part, i + 1, col, i + 1, col + len(part), "signature"))
            pos = col - 1 + len(part)
        return out
    return [_item(lines, i, "signature", text)]


def _title_text(s: str, number: DocNumberObs | None) -> str:
    """A line as a title candidate: without decorations, a 《》 around all of it, its own number at its start,
    and a bracketed number or date at its end."""
    s = _strip_decoration(s.strip())
    if number is not None and s.startswith(number.full_raw):
        s = s[len(number.full_raw) :].strip()
    if s.startswith("《") and s.endswith("》") and s.count("《") == 1:
        s = s[1:-1]
    bracketed = _end_brackets(s)
    if bracketed is not None and bracketed[0] > 0:
        inner = bracketed[1]
        if (
            "〔" in inner
            or "[" in inner
            or "号" in inner
            or _is_date_text(inner)
            or (find_dates(inner) and "年" in inner)
        ):
            s = s[: bracketed[0]].rstrip()
    return s


def _strip_decoration(s: str) -> str:
    """`s` without the rule characters and spaces at its ends (each end read once: a line of a million spaces
    between two words costs one pass, not one per space)."""
    start = _DECORATION_HEAD.match(s).end()
    end = len(s)
    while end > start and _DECORATION_CHAR.match(s, end - 1):
        end -= 1
    return s[start:end]


def _end_brackets(s: str) -> tuple[int, str] | None:
    """(offset of the brackets that end `s`, what they hold without the spaces around it) when `s` ends with one or
    two closing brackets after one or two opening ones around at most 40 characters that hold no bracket:
    "……（赣府字〔2010〕37号 2010年3月22日）".  Found from the end in one pass, so spaces and brackets by the
    thousand cost no backtracking."""
    end = len(s)
    while end and s[end - 1] in "）)":
        end -= 1
    if not 1 <= len(s) - end <= 2:
        return None
    last = max(s.rfind(b, 0, end) for b in "（）()")  # the inside holds no bracket: it opens right after this one
    if last < 0 or s[last] not in "（(":
        return None
    inner = s[last + 1 : end].strip(" \u3000")
    if len(inner) > 40:
        return None
    return (last - 1 if last and s[last - 1] in "（(" else last), inner


def _title(
    lines: list[str], candidates: list[int], skip: set[int], number: DocNumberObs | None
) -> tuple[MetaItem, str] | None:
    """The first title among `candidates` (the lines before the 主送机关 and the body)."""
    for pos, i in enumerate(candidates):
        if i in skip or _chrome(lines[i]):
            continue
        raw = lines[i].strip()
        s = _title_text(raw, number)
        if len(s) < 4:
            continue
        parts = [i]
        if _SENTENCE_PUNCT.search(s) or len(s) > 90:
            m = _TITLE_PREFIX.match(s)  # a title run together with what follows it
            if not m or "关于" not in m.group("title"):
                continue
            text = m.group("title")
            kind = _KIND_END.search(_SPACES.sub("", text))  # 通 告: letter-spaced
        else:
            text = s
            kind = _KIND_END.search(_SPACES.sub("", text))  # 通 告: letter-spaced
            nxt = pos + 1
            while kind is None and len(parts) < 3 and nxt < len(candidates):
                k = candidates[nxt]
                if k in skip or k - parts[-1] > 2 or _chrome(lines[k]):
                    break
                if number is not None and lines[k].strip().startswith(number.full_raw):
                    break  # 版头, 文号, title: the number stands between two elements
                more = _title_text(lines[k], number)
                if not more or _SENTENCE_PUNCT.search(more) or len(text + more) > 120:
                    break
                parts.append(k)
                text += more
                kind = _KIND_END.search(_SPACES.sub("", text))  # 通 告: letter-spaced
                nxt += 1
        if kind is None or not ("关于" in text or len(parts) == 1 or len(text) <= 60):
            continue
        # the issuer's name alone on a line right above a 关于… line is the title's first part
        if pos > 0 and raw.startswith(("关于", "转发", "印发")):
            above = candidates[pos - 1]
            above_text = lines[above].strip()
            if i - above <= 3 and above not in skip and _signature_like(above_text) and "关于" not in above_text:
                parts.insert(0, above)
                text = above_text + text
        first, last = _item(lines, parts[0], "title"), _item(lines, parts[-1], "title")
        end_column = last.column + len(_title_text(lines[parts[-1]], number))
        return (
            MetaItem(text, _SPACES.sub("", text), first.line, first.column, last.line, end_column, "title"),
            kind.group(),
        )
    return None


def _title_issuer(title: MetaItem | None) -> MetaItem | None:
    """The body a title starts with: "南阳市人民政府关于…" → 南阳市人民政府 (when nothing else names the issuer)."""
    if title is None:
        return None
    m = _ISSUER_TITLE.match(title.text)
    name = m.group("issuer") if m and _signature_like(m.group("issuer")) else None
    if name is None:
        m = _ORG_PREFIX.match(title.text)
        name = m.group("issuer") if m and len(m.group("issuer")) < len(title.text) - 1 else None
    if not name:
        return None
    first = _SPACES.split(name.strip())[0]
    if first != name.strip() and _ORG_PREFIX.match(first):
        name = first  # 中共乌兰察布市委 乌兰察布市人民政府关于…: joint issuers, the first one
    return MetaItem(
        name, _SPACES.sub("", name), title.line, title.column, title.line, title.column + len(name), "title"
    )


def _addressee_prefix(s: str) -> str | None:
    """The list of bodies a line starts with, up to and with its colon, if it is one."""
    at = min((s.find(c) for c in _COLONS if c in s), default=-1)
    if at <= 0:
        return None
    head = s[: at + 1]
    body = head[:-1].strip()
    if len(head) > 150 or "。" in body or body.startswith(_ADDRESSEE_VERB) or body.startswith(_NOT_ADDRESSEE):
        return None
    if "如下" in body or len(_CJK_CHAR.findall(body)) < 2:
        return None
    if not (body.startswith("各") or _ORG_WORDS.search(body)):
        return None
    items = [it for it in _LIST_SEP.split(body) if it.strip()]
    if any(len(it) > 30 for it in items):
        return None  # a sentence, not a list of bodies
    named = sum(1 for it in items if it.strip().startswith("各") or _ORG_END.search(it.strip()))
    if named * 2 < len(items):
        return None
    return head


def _addressees(
    lines: list[str],
    nonempty: list[int],
    after: int,
    number: DocNumberObs | None,
    title_line: int | None = None,
    title_text: str = "",
) -> MetaItem | None:
    """The 主送机关: the first line after `after` (the title's last line index) starting with a list of bodies and
    a colon (the rest of the line may be the body, as web copies run them together)."""
    for i in nonempty[:_ADDRESSEE_LINES]:
        on_number = number is not None and number.line == i + 1
        if (i < after or (i == after and title_line != i and not on_number)) or _chrome(lines[i]):
            continue
        raw = lines[i]
        s = raw.strip()
        if on_number and s.startswith(number.full_raw):
            s = s[len(number.full_raw) :].strip()
        if title_line == i and title_text and _SPACES.sub("", s).startswith(title_text):
            s = _skip_chars(s, len(title_text))  # a title run together with its addressees
        head = _addressee_prefix(s)
        if head is not None:
            col = raw.index(head) + 1
            item = MetaItem(head, _SPACES.sub("", head), i + 1, col, i + 1, col + len(head), "addressees")
            above = next((k for k in reversed(nonempty) if k < i), None)
            if above is not None and above > after and lines[above].strip().endswith(("，", ",", "、")):
                joined = lines[above].strip() + head  # the list began on the line above
                first = _item(lines, above, "addressees")
                item = MetaItem(
                    joined, _SPACES.sub("", joined), first.line, first.column, i + 1, col + len(head), "addressees"
                )
            return item
        if "。" in s:
            return None  # the body has begun
    return None


def _skip_chars(s: str, count: int) -> str:
    """`s` after its first `count` non-space characters."""
    seen = 0
    for pos, ch in enumerate(s):
        if seen == count:
            return s[pos:].strip()
        if not ch.isspace():
            seen += 1
    return ""


def _front(lines: list[str], nonempty: list[int]) -> list[int]:
    """The lines a title may be on: the first 14 non-empty ones before the 主送机关 line and the body."""
    out = []
    for i in nonempty[:_TITLE_LINES]:
        s = lines[i].strip()
        if _chrome(s):
            continue
        run_together = _TITLE_PREFIX.match(s)
        if run_together and "关于" in run_together.group("title") and _SENTENCE_PUNCT.search(s):
            out.append(i)  # a title run together with the addressees and the body, as some web copies have it
            break
        if _addressee_prefix(s) is not None or ("。" in s and len(s) > 40):
            break
        out.append(i)
    return out


def extract_meta(
    lines: list[str],
    known_prefixes: Collection[str] | None = None,
    *,
    doc_numbers: list[DocNumberObs] | None = None,
    dates: list[DateObs] | None = None,
) -> DocumentMeta:
    """Own doc number, issuer, signature, 成文日期, title and 主送机关 of one document, each with its position.

    `known_prefixes` is passed to `find_doc_numbers` (see there).  A caller that
    has already run `find_doc_numbers` / `find_dates` on "\n".join(lines) may
    pass their results to avoid scanning twice.
    """
    text = "\n".join(lines) if doc_numbers is None or dates is None else ""
    nonempty = list(compress(range(len(lines)), map(str.strip, lines)))  # the lines that are not blank
    top = set(nonempty[:_TOP_LINES])
    if doc_numbers is None:
        doc_numbers = find_doc_numbers(text, known_prefixes)
    if dates is None:
        dates = find_dates(text)
    number = _own_doc_number(lines, doc_numbers, top)
    header = _header_issuer(lines, nonempty)
    front = _front(lines, nonempty)

    date = None
    signature: list[MetaItem] = []
    first_lines = set(nonempty[:3])
    all_candidates = _date_line(lines, dates)
    candidates = [c for c in all_candidates if c[1] not in first_lines]
    chosen = None
    for c in candidates:
        if (c[2] and c[2] != _RUN_ON) or _signature_above(lines, c[1]):
            chosen = c
            break
    if chosen is None:
        tail = set(nonempty[-_TAIL_LINES:])
        in_tail = [c for c in candidates if c[1] in tail]
        chosen = in_tail[-1] if in_tail else None
    bracket = _bracket_date(lines, front, dates) if chosen is None else None
    if bracket is not None:
        date = bracket
    elif chosen is None and candidates:
        # a date alone on its line (before an attachment), or ending a document run together on one line
        chosen = next((c for c in candidates if not c[2] or c[2] == _RUN_ON), None)
    if chosen is None and bracket is None:
        # a 督查通报/简报 head line ends with its date; a short cover letter has it on an early line
        early = [c for c in all_candidates if c[1] in first_lines]
        head = [c for c in early if c[2] and c[2] != _RUN_ON]
        alone = [c for c in early if c[2] == _RUN_ON or (not c[2] and nonempty and c[1] != nonempty[0])]
        chosen = head[0] if head else (alone[-1] if alone else None)
    run_on = chosen is not None and chosen[2] == _RUN_ON
    if chosen is not None:
        date, i, before = chosen
        for j in _signature_above(lines, i):
            signature.extend(_split_joint(lines, j))
        if before and before != _RUN_ON:
            signature.extend(_split_joint(lines, i, before))

    skip = set()
    if header is not None:
        skip.add(header.line - 1)
    if number is not None and (_alone(lines[number.line - 1], number) or _labelled(lines[number.line - 1], number)):
        skip.add(number.line - 1)
    if date is not None and bracket is None and not run_on:
        skip.add(date.line - 1)
    skip.update(j.line - 1 for j in signature)
    found = _title(lines, [i for i in front if i not in skip or i == (number.line - 1 if number else -1)], skip, number)
    title, kind = found if found else (None, None)
    heads = [item.line - 1 for item in (header, number) if item is not None]
    after = title.end_line - 1 if title else max(heads, default=-1)
    title_line = title.end_line - 1 if title else None
    addressees = _addressees(lines, nonempty, after, number, title_line, title.value if title else "")
    issuer = header or (signature[0] if signature else None) or _title_issuer(title)
    return DocumentMeta(number, issuer, tuple(signature), date, title, kind, addressees, bracket is not None)
