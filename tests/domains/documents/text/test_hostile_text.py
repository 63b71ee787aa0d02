"""Hostile text for the document finders: each shape made one of them scan its text again from every one of many
starting points (seconds to hours); here each runs at a size the old reading needed 30 s to hours for, and the
findings are still exactly what they were.  Where a pattern was replaced by code, the old pattern is kept here as
the reference and random text must read the same with both."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.domains.documents.observe import cited_titles
from checker.domains.documents.text import document_meta
from checker.domains.documents.text.counts import find_count_mismatches
from checker.domains.documents.text.docnumber import find_doc_numbers
from checker.domains.documents.text.document_meta import extract_meta
from checker.domains.documents.text.elements import Vocabulary, find_placeholders
from checker.domains.documents.text.places import default_places
from checker.domains.documents.text.positions import quoted_spans


def meta(text: str):
    return extract_meta(text.split("\n"), default_places().prefix_forms())


# ------------------------------------------------------------------ cited titles 《…》 (observe.py)

OLD_CITED_TITLE = re.compile(r"《[^》\n]*》")


def test_300000_unclosed_title_marks_are_no_title():
    # the document: each 《 used to be read to the end of the line again (> 2 minutes)
    assert cited_titles("关于" + "《" * 300_000) == []
    assert cited_titles("《" * 300_000 + "》") == [(0, 300_001)]  # the first 《 reaches the 》: one title
    text = "按照《甲》执行" + "《" * 200_000 + "\n见《乙》"
    assert cited_titles(text) == [(2, 5), (len(text) - 3, len(text))]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="《》\na甲 ", max_size=40))
def test_cited_titles_read_as_the_old_pattern(text):
    assert cited_titles(text) == [m.span() for m in OLD_CITED_TITLE.finditer(text)]


# ------------------------------------------------------------------ quoted spans (positions.py)


def _old_quoted_spans(text: str) -> list[tuple[int, int]]:
    """The reading before: a closer looked its opener up by scanning the whole stack."""
    pairs = {"“": "”", "‘": "’", "「": "」", "『": "』"}
    closers = {v: k for k, v in pairs.items()}
    spans, stack, outer_start = [], [], 0
    for pos, ch in enumerate(text):
        if ch not in '“”‘’「」『』"\n':
            continue
        if ch == "\n":
            if stack:
                spans.append((outer_start, pos))
                stack.clear()
            continue
        if ch == '"':
            if stack and stack[-1] == '"':
                stack.pop()
                if not stack:
                    spans.append((outer_start, pos))
                continue
            opener = True
        else:
            opener = ch in pairs
        if opener:
            if not stack:
                outer_start = pos + 1
            stack.append(ch)
            continue
        want = closers[ch]
        if want in stack:
            while stack.pop() != want:
                pass
            if not stack:
                spans.append((outer_start, pos))
    if stack:
        spans.append((outer_start, len(text)))
    return spans


def test_closers_after_a_long_run_of_other_openers():
    # 50,000 “ then 50,000 ’: each ’ searched the 50,000 open “ for its ‘ (a minute); none closes anything
    text = "“" * 50_000 + "’" * 50_000
    assert quoted_spans(text) == [(1, 100_000)]
    text = "“" * 50_000 + "”" + "’" * 50_000 + "\n“甲”"
    assert quoted_spans(text) == [(1, 100_001), (100_003, 100_004)]  # ” closes the last “: still open at the line end


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='“”‘’「」『』"\na', max_size=40))
def test_quoted_spans_read_as_before(text):
    assert quoted_spans(text) == _old_quoted_spans(text)


# ------------------------------------------------------------------ the document's metadata (document_meta.py)

OLD_DECORATION = re.compile(r"^[-—－=＝*·•\s]+|[-—－=＝*·•\s]+$")
OLD_DATE_IN_BRACKETS = re.compile(r"[（(]{1,2}[ \u3000]*(?P<inner>[^（）()]{0,40}?)[ \u3000]*[）)]{1,2}$")
OLD_HEADER = re.compile(r"(.+?)[ \u3000\t]*文[ \u3000\t]*件")


def test_a_million_spaces_inside_a_title_line():
    # the red head's 文件, the decoration and the bracketed number at the end were read by patterns that went
    # back over every space (20,000 spaces: 5 s; 8,000 after a bracket: 2.5 minutes; these: hours)
    found = meta("关于" + " " * 100_000 + "的通知\n各单位：\n正文。\n")
    assert (found.title, found.issuer, found.addressees.line, found.addressees.text) == (None, None, 2, "各单位：")
    found = meta("关于（" + " " * 100_000 + "的通知\n各单位：\n正文。\n")
    assert (found.title, found.addressees.line) == (None, 2)
    found = meta("关于某事的通知（" + " " * 20_000 + "新政办〔2024〕3号" + " " * 20_000 + "）\n各单位：\n正文。\n")
    assert (found.title.value, found.title.end_column, found.doc_number) == ("关于某事的通知", 8, None)
    found = meta("新野县人民政府" + " " * 100_000 + "文件\n关于某事的通知\n各单位：\n正文。\n")
    assert (found.issuer.value, found.issuer.source, found.title.line) == ("新野县人民政府", "header", 2)


def test_a_line_of_10000_dates():
    # each date of the line used to copy the line and search it for a web page's chrome (a minute)
    found = meta("关于某事的通知\n各单位：\n" + "2024年1月2日" * 10_000 + "\n新野县人民政府\n2024年3月5日\n")
    assert (found.date.line, found.date.column, found.date.raw) == (5, 1, "2024年3月5日")
    assert [(s.line, s.value) for s in found.signature] == [(4, "新野县人民政府")]


def test_a_head_line_of_cited_numbers():
    # each number on a head line used to search the whole line for chrome and for itself (10,000: minutes)
    found = meta("关于" + "".join(f"甲新政办〔2024〕{i}号" for i in range(10_000)) + "\n")
    assert found.doc_number is None  # all cited in running text
    found = meta("关于某事的通知" + "".join(f"（新政办〔2024〕{i}号）" for i in range(25_000)) + "\n")
    number = found.doc_number
    assert (number.line, number.prefix_start_column, number.column, number.full_raw) == (1, 9, 12, "新政办〔2024〕0号")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="（()） \u3000\t-—*·a年1", max_size=14), st.integers(0, 45))
def test_end_brackets_and_decoration_read_as_the_old_patterns(text, filler):
    text = text[:3] + "x" * filler + text[3:]
    old = OLD_DATE_IN_BRACKETS.search(text)
    assert document_meta._end_brackets(text) == ((old.start(), old.group("inner")) if old else None)
    assert document_meta._strip_decoration(text) == OLD_DECORATION.sub("", text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \u3000\t文件a\n", max_size=10))
def test_header_name_reads_as_the_old_pattern(text):
    old = OLD_HEADER.fullmatch(text)
    assert document_meta._header_name(text) == (old.group(1) if old else None)


def _old_ends_title_line(line, number):
    s = line.strip()
    for open_b, _close in document_meta._BRACKETS:
        at = s.rfind(open_b + number.full_raw)
        if at > 0 and document_meta._KIND_END.search(s[:at].rstrip()):
            return True
    return False


NUMBER_LINE_PIECES = ["新政办〔2024〕1号", "新政办〔2024〕2号", "（", "(", "）", "通知", " ", "\u3000", "文号："]
NUMBER_LINE_PIECES += ["发文字号", "• ", "2024年1月2日", "甲", "关于"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NUMBER_LINE_PIECES), min_size=1, max_size=8).map("".join))
def test_each_number_of_a_line_is_judged_as_before(line):
    numbers = find_doc_numbers(line)
    info = document_meta._NumberLine(line, numbers)
    for number in numbers:
        old_label = bool(document_meta._NUMBER_LABEL.match(line[: number.prefix_start_column - 1]))
        assert info.alone(number) == document_meta._alone(line, number)
        assert info.labelled(number) == old_label
        assert info.ends_title_line(number) == _old_ends_title_line(line, number)


# ------------------------------------------------------------------ 发文字号 (docnumber.py)


def test_25000_numbers_on_one_line():
    # each number was checked against every number taken before it, and the line copied up to it (a minute)
    text = "见新政办〔2024〕1号" + "新政办〔2024〕1号" * 24_999
    found = find_doc_numbers(text)
    assert len(found) == 25_000
    assert [(n.column, n.prefix, n.raw, n.cited) for n in (found[0], found[1], found[-1])] == [
        (5, "新政办", "〔2024〕1号", True),
        (16, "新政办", "〔2024〕1号", True),
        (len(text) - 7, "新政办", "〔2024〕1号", True),
    ]
    assert find_doc_numbers("新政办〔2024〕1号\n" * 3)[2].cited is False  # each starts its line


# ------------------------------------------------------------------ stated counts (counts.py)


def test_10000_counts_before_a_long_line():
    # each count read the rest of its line (a million characters) for its list: a minute
    text = "共5个，分别是甲" * 10_000 + "乙" * 1_000_000 + "共3个，分别是甲、乙、丙。"
    [claim] = find_count_mismatches(text)
    assert (claim.column, claim.stated, claim.found, claim.items, claim.agrees) == (
        len(text) - 11,
        3,
        3,
        ("甲", "乙", "丙"),
        True,
    )


def test_a_list_of_100000_items_is_read_to_its_end():
    [claim] = find_count_mismatches("共5个，分别是" + "甲、" * 100_000 + "乙。")
    assert (claim.stated, claim.found, claim.items[-2:], claim.agrees) == (5, 100_001, ("甲", "乙"), False)


# ------------------------------------------------------------------ placeholders (elements.py)


def test_100000_blanks_on_one_line():
    # each blank copied the line up to it to see whether a colon stood before it (half a minute)
    line = "填写___ " * 99_999 + "单位：___"
    found = find_placeholders([line], Vocabulary())
    assert len(found) == 100_000
    assert [(o.column, o.end_column, o.problem, o.form_field) for o in (found[0], found[-2], found[-1])] == [
        (3, 6, "blank", False),
        (len(line) - 9, len(line) - 6, "blank", False),
        (len(line) - 2, len(line) + 1, "blank", True),
    ]
    assert find_placeholders(["______ ______"], Vocabulary()) == []  # a rule, not blanks


# ------------------------------------------------------------------ per-line and per-finding cost (speed pass)

OLD_CHROME = re.compile(
    r"索\s*引\s*号|组配分类|信息分类|发布机构|生成日期|发文日期|生效时间|废止时间|信息来源|浏览次数|内容概述"
    r"|统一编号|实施日期|失效日期|发布机关|文件状态|分享到|视力保护色|字号[:：]|【字体|打印本页|关闭窗口|浏览量"
    r"|来源[:：]|发布时间|发布日期|有\s*效\s*性|主\s*题\s*词|【[^】]{2,6}】|^[\s•·]*[•·]|\|"
    r"|^\s*(?:标\s+题|发文机关|成文日期|文\s+号)[\s:：]"
)


def test_page_chrome_is_told_as_by_the_one_pattern():
    chrome = document_meta._chrome
    assert chrome(" • 首页") and chrome("标 题：关于……的通知") and chrome("\u3000文 号 新政〔2024〕1号")
    assert chrome("正文" * 1000 + "发布机构：新野县人民政府") and chrome("甲|乙")
    assert (
        not chrome("正文 • 首页".replace("•", "。"))
        and not chrome("关于标 题的通知")
        and not chrome("甲新政办〔2024〕1号" * 5000)
    )


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \u3000•·标题文号发布机构：:【】甲乙|", max_size=20))
def test_page_chrome_reads_as_the_old_pattern(line):
    assert document_meta._chrome(line) == bool(OLD_CHROME.search(line))


OLD_DECIMAL = re.compile(r"[0-9]{1,2}(?:[.．][0-9]{1,2})+(?![.．]?[0-9])(?=[ \u3000\u4e00-\u9fff])")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=" \u3000\t1.．2甲a", max_size=8), max_size=6))
def test_decimal_scheme_is_found_as_line_by_line(lines):
    from checker.domains.documents.text.headings import _DECIMAL_LINE

    indent = re.compile(r"[ \u3000\t]*")
    old = any(OLD_DECIMAL.match(s, indent.match(s).end()) for s in lines)
    assert (_DECIMAL_LINE.search("\n".join(lines)) is not None) == old


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="，；,;。甲1", max_size=20), st.integers(0, 20), st.integers(0, 20))
def test_clauses_one_at_a_time_are_the_split(text, start, stop):
    from checker.domains.documents.text.counts import _CLAUSE_SPLIT, _clauses

    start, stop = min(start, len(text)), min(max(start, stop), len(text))
    assert list(_clauses(text, start, stop)) == _CLAUSE_SPLIT.split(text[start:stop])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="新野政办县市府甲文件关于", max_size=30))
def test_prefix_by_known_lengths_is_the_longest_known_tail(run):
    from checker.domains.documents.text.docnumber import _prefix

    known = frozenset(default_places().prefix_forms()) | {"新野政办", "县府", "甲"}
    lengths = tuple(sorted({len(k) for k in known if 0 < len(k) <= 12}, reverse=True))
    text = run + "〔2024〕1号"
    assert _prefix(text, len(run), known, lengths) == _prefix(text, len(run), known)


def test_schedule_section_lines_and_100000_lines_opening_none():
    from checker.domains.documents.observations.schedule_date import _schedule_sections

    lines = [
        "一、总体要求",
        "正文。",
        "二、进度安排",
        "（一）2024年3月底前完成。",
        "",
        "（二）4月底前验收。",
        "三、保障措施",
        "正文。",
    ]
    assert _schedule_sections(lines) == {4, 5, 6}
    assert _schedule_sections(["检查时间：2017年12月25～31日", "正文。"]) == {1, 2}
    assert _schedule_sections(["一、正文。"] * 100_000 + ["二、时间安排", "2024年底前。"]) == {100_002}


def test_paragraphs_ending_without_a_chinese_character_are_no_missing_end():
    from checker.domains.documents.text.punctuation import find_punctuation

    text = (
        "各单位：\n\u3000\u3000本项工作由甲负责，乙配合\n\u3000\u3000下一段。\n"
        + "\u3000\u3000甲，乙、\n" * 50_000
        + "完。"
    )
    found = [(p.line, p.column, p.raw, p.problem) for p in find_punctuation(text) if p.problem == "no_end"]
    assert found == [(2, 12, "乙配合", "no_end")]


def test_ranges_among_200000_numbers_followed_by_no_connector():
    from checker.domains.documents.observations.number_usage import words
    from checker.domains.documents.text.digit_usage import find_digit_usage

    text = "共12人、" * 200_000 + "增长15～30%，9～16亿元。"
    found = [(o.column, o.raw, o.problem, o.suggestion) for o in find_digit_usage(text, words())]
    assert found == [
        (1_000_003, "15～30%", "range_unit", "15%～30%"),
        (1_000_010, "9～16亿", "range_unit", "9亿～16亿"),
    ]


def test_a_year_written_100000_times_is_read_once_per_way_of_writing_it():
    from checker.domains.documents.observations.number_usage import words
    from checker.domains.documents.text.digit_usage import find_digit_usage

    text = "二零二五年、二○二五年、二〇二五年、一零零零年，" * 50_000 + "二ＯＯ二年"
    found = [(o.column, o.raw, o.problem, o.suggestion) for o in find_digit_usage(text, words())]
    assert len(found) == 100_001
    assert found[:2] == [
        (1, "二零二五年", "zero_in_year", "二〇二五年"),
        (7, "二○二五年", "zero_in_year", "二〇二五年"),
    ]
    assert found[-1] == (1_200_001, "二ＯＯ二年", "zero_in_year", "二〇〇二年")
    assert {o.lookalike for o in find_digit_usage(text[:24], words())} == {"零", "○"}
