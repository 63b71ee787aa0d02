"""Random text never crashes a finder, and every observation points at its raw text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.core.errors import CheckerInputError
from checker.domains.documents.text.cndate import find_dates, parse_cn_date
from checker.domains.documents.text.counts import find_count_mismatches
from checker.domains.documents.text.docnumber import find_doc_numbers
from checker.domains.documents.text.document_meta import extract_meta
from checker.domains.documents.text.lexicon import default_lexicon, find_typos
from checker.domains.documents.text.places import default_places
from checker.domains.documents.text.positions import LineIndex, quoted_spans
from checker.domains.documents.text.quoting import (
    find_agency_mentions,
    find_self_references,
)
from checker.inputs.decode import decode_text

PIECES = list(
    "新政办宛建行规豫国发〔〕﹝﹞【】〖〗［］[]（）()〘〙0123456789０１２第号令年月日底末〇○零一二两三四五六七八九十百"
    '我本基成省市县区场域局厅委政府办公室自然资源和规划住房城乡建设南阳新野邓州“”‘’「」『』"《》、，；。：个家项'
    "其中已完成需截止至目前接照不在出现峻工关于通知文件 \u3000\t\n\r-/.abcXYZ"
) + [
    "分别是",
    "包括",
    "新政办〔2022〕34号",
    "2024年5月31日",
    "二〇二四年五月三十一日",
    "市自然资源和规划局",
    "南阳市",
    "截止2024年10月底，",
    "共5个，分别是（甲、乙）",
    "问题12个，已完成10个，需推进2个",
    "“我市工作”",
    "新野县人民政府办公室文件",
    "关于",
    "的通知",
]

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8")), max_size=120).map("".join)


def check_positions(text, observations):
    idx = LineIndex(text)
    n_lines = len(idx.starts)
    for o in observations:
        assert 1 <= o.line <= n_lines, o
        assert o.column >= 1, o
        assert o.end_column == o.column + len(o.raw), o
        assert "\n" not in o.raw, o
        offset = idx.offset(o.line, o.column)
        assert text[offset : offset + len(o.raw)] == o.raw, o
        assert o.column - 1 + len(o.raw) <= len(idx.line_text(o.line)), o


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_finders_never_crash_and_positions_point_at_raw(text):
    places, lexicon = default_places(), default_lexicon()
    check_positions(text, find_doc_numbers(text))
    check_positions(text, find_dates(text))
    check_positions(text, find_self_references(text))
    check_positions(text, find_agency_mentions(text, places))
    check_positions(text, find_typos(text, lexicon))
    check_positions(text, find_count_mismatches(text))

    idx = LineIndex(text)
    for o in find_doc_numbers(text):
        start = idx.offset(o.line, o.prefix_start_column)
        assert text[start : start + len(o.prefix)] == o.prefix
        assert 1 <= len(o.prefix) <= 12

    spans = quoted_spans(text)
    assert spans == sorted(spans)
    for (_s1, e1), (s2, _) in zip(spans, spans[1:]):
        assert e1 <= s2
    for s, e in spans:
        assert 0 <= s <= e <= len(text) and "\n" not in text[s:e]

    lines = text.split("\n")
    meta = extract_meta(lines)
    for item in (meta.issuer, meta.title, *meta.signature):
        if item is not None and item.line == item.end_line:
            assert lines[item.line - 1][item.column - 1 : item.end_column - 1] == item.text
    for o in (meta.doc_number, meta.date):
        if o is not None:
            assert lines[o.line - 1][o.column - 1 : o.end_column - 1] == o.raw
    parse_cn_date(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_fails_with_anything_but_an_input_error(data):
    try:
        decoded = decode_text(data, "fuzz.bin")
    except CheckerInputError as exc:
        assert exc.location.source == "fuzz.bin"
    else:
        assert "\r" not in decoded.text
