from bisect import bisect_right
from itertools import islice

import pytest

from checker.domains.documents.text import quoting
from checker.domains.documents.text.places import default_places
from checker.domains.documents.text.positions import in_spans, quoted_spans
from checker.domains.documents.text.quoting import (
    find_agency_mentions,
    find_self_references,
    iter_agency_mentions,
    iter_self_references,
    quoted_spans_when_asked,
)


def test_self_references_with_levels_and_quotes():
    text = "文件中出现“我市工作”等字样。结合我县实际，本省、我区、本市均有要求。"
    found = find_self_references(text)
    assert [(o.column, o.raw, o.level, o.quoted) for o in found] == [
        (7, "我市", "city", True),
        (18, "我县", "county", False),
        (23, "本省", "province", False),
        (26, "我区", "district", False),
        (29, "本市", "city", False),
    ]
    assert all(o.end_column == o.column + 2 for o in found)


def test_quote_spanning_one_line_only():
    found = find_self_references("“我市工作\n我县实际")
    assert [(o.line, o.column, o.quoted) for o in found] == [(1, 2, True), (2, 1, False)]


@pytest.mark.parametrize(
    "text", ["基本市场", "本区域内", "成本县级", "基本县情", "规范市场秩序", "文本省略", "样本区间"]
)
def test_words_containing_the_characters_are_not_self_references(text):
    assert find_self_references(text) == []


def test_agency_bare_vs_with_place():
    text = "请市自然资源和规划局、南阳市自然资源和规划局和县住房和城乡建设局配合，报省住房和城乡建设厅。"
    found = find_agency_mentions(text, default_places())
    assert [(o.column, o.raw, o.level, o.place, o.agency, o.bare) for o in found] == [
        (2, "市自然资源和规划局", "city", None, "自然资源和规划局", True),
        (12, "南阳市自然资源和规划局", "city", "南阳市", "自然资源和规划局", False),
        (24, "县住房和城乡建设局", "county", None, "住房和城乡建设局", True),
        (37, "省住房和城乡建设厅", "province", None, "住房和城乡建设厅", True),
    ]


def test_agency_quoted_and_county_city_level():
    found = find_agency_mentions("通报指出“市自然资源和规划局”字样；邓州市住建局已整改。")
    assert [(o.raw, o.quoted, o.level, o.place) for o in found] == [
        ("市自然资源和规划局", True, "city", None),
        ("邓州市住建局", False, "county_city", "邓州市"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "由市场监管局负责",
        "全市住建局系统",
        "各县住建局",
        "郑州市住建局",
        "城市管理局",
        "市委托第三方评估",
        "县城格局",
    ],
)
def test_agency_non_findings(text):
    assert find_agency_mentions(text) == []


# ------------------------------------------------------------------ bounded reading (issue 19)


def test_the_first_self_references_of_a_megabyte_of_them():
    text = "我市我县“我省”本市" * 1_000
    assert find_self_references(text, limit=1_000) == find_self_references(text)[:1_000]
    found = list(islice(iter_self_references("我市我县我省本市" * 125_000), 1_001))  # read 2,002 characters far
    assert len(found) == 1_001
    assert [(o.column, o.raw, o.level) for o in (found[0], found[-1])] == [(1, "我市", "city"), (2_001, "我市", "city")]


def test_the_first_agency_mentions_of_many():
    text = "请市自然资源和规划局、县住房和城乡建设局配合；" * 1_000
    assert find_agency_mentions(text, limit=1_000) == find_agency_mentions(text)[:1_000]
    found = list(islice(iter_agency_mentions(text * 50), 1_001))
    assert len(found) == 1_001 and (found[-1].raw, found[-1].column) == ("市自然资源和规划局", 11_502)


def test_quoted_spans_are_found_when_first_asked_about(monkeypatch):
    text = "甲“乙”丙“丁\n戊”"
    asked = []
    monkeypatch.setattr(quoting, "quoted_spans_cached", lambda t: asked.append(t) or quoted_spans(t))
    spans = quoted_spans_when_asked(text)
    assert asked == []  # not read yet: a document nothing is asked about never reads its quotes
    assert in_spans(2, spans) and not in_spans(4, spans) and asked == [text]
    assert spans == [(2, 3), (6, 7)] == quoted_spans(text) and bisect_right(spans, (6, 0)) == 1
    assert asked == [text]  # read once, a list from then on
    for ask in (
        len,
        list,
        bool,
        lambda s: s[0],
        lambda s: (2, 3) in s,
        repr,
        lambda s: s != [],
        lambda s: s.index((6, 7)),
    ):
        fresh = quoted_spans_when_asked(text)
        assert ask(fresh) == ask(quoted_spans(text))
