"""Every citation says what its source says: quotations verbatim against kept passages, summaries marked as such,
and the corrections of part 12 pinned rule by rule."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from checker.rules.loader import load_rulebook, shipped_pack_dirs
from tests.conftest import ROOT

PASSAGES = yaml.safe_load((Path(__file__).parent / "passages.yaml").read_text(encoding="utf-8"))
DOMAIN_NOTES = ROOT.parent / "shared" / "notes" / "domain.md"
REPORT = "新野县住房和城乡建设局巡察整改情况的通报（2024-11-25）"
TIAOLI = "党政机关公文处理工作条例"
GB9704 = "GB/T 9704-2012《党政机关公文格式》"


@pytest.fixture(scope="module")
def book():
    return load_rulebook(shipped_pack_dirs())


def _citations(book):
    for rule in book.rules:
        for index, cite in enumerate(rule.citations):
            yield rule, index, cite


def _passage(cite):
    """The kept passage a citation quotes: same document, and a clause the citation's clause starts with."""
    matching = [p for p in PASSAGES if p["document"] == cite.document and (cite.clause or "").startswith(p["clause"])]
    return max(matching, key=lambda p: len(p["clause"]), default=None)  # 第九条（十二） before 第九条


def test_every_quotation_is_the_sources_own_words(book):
    quoted = 0
    for rule, index, cite in _citations(book):
        if cite.kind != "quote":
            continue
        quoted += 1
        passage = _passage(cite)
        assert passage is not None, f"{rule.id} citation {index + 1}: no kept passage for {cite.short()}"
        parts = [part for part in re.split(r"……", cite.text) if part]
        for part in parts:
            assert part in passage["text"], f"{rule.id}: “{part}” is not in {cite.short()} as kept"
        if not passage["confirmed"]:
            assert cite.confirmed is False, f"{rule.id}: quotes an unchecked passage as if it were checked"
    assert quoted >= 25  # the check is not vacuous (29 quotations when written)


def test_the_reports_own_sentences_are_never_dressed_as_quotations(book):
    # We hold no copy of the rectification report itself, only what the project notes say of it: every citation
    # of the report is therefore a summary (the subsidy clause it quotes is cited as 新政办〔2022〕34号).
    for rule, _index, cite in _citations(book):
        if cite.document == REPORT:
            assert cite.kind == "summary", f"{rule.id} presents the report's wording as a quotation"


def test_the_kept_subsidy_clause_is_the_one_the_project_notes_quote():
    if not DOMAIN_NOTES.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{DOMAIN_NOTES} is missing: CI must have ../shared")
        pytest.skip("../shared is not beside this checkout")
    notes = DOMAIN_NOTES.read_text(encoding="utf-8")
    section = notes[notes.index("## 1.") :]
    quoted = section[section.index("\n> ") + 3 :].split("\n", 1)[0]
    (kept,) = [p for p in PASSAGES if p["document"] == "新政办〔2022〕34号"]
    assert kept["text"] == quoted


def test_a_quotation_keeps_the_sources_characters():
    # the brackets of a quoted 文号 are the source's, not normalized ones: NFKC would turn ﹝﹞ into 〔〕
    for passage in PASSAGES:
        assert "\n" not in passage["text"].strip()
    clause = next(p for p in PASSAGES if p["document"] == "新政办〔2022〕34号")["text"]
    assert "(含)" in clause and "（含）" not in clause  # the report writes half-width brackets here


# ------------------------------------------------------------ the corrections, rule by rule

NUMBER_RULES = ["DOC-NUMBER-BRACKET", "DOC-NUMBER-CHARS", "DOC-NUMBER-DI", "DOC-NUMBER-LEADING-ZERO", "DOC-NUMBER-YEAR"]
DATE_NUMERAL_RULES = ["DOC-DATE-FORMAT", "DOC-DATE-LEADING-ZERO", "DOC-DATE-SHORT-YEAR"]


def _cited(book, rule_id):
    return [(c.document, c.clause, c.kind) for c in book.rule(rule_id).citations]


@pytest.mark.parametrize("rule_id", NUMBER_RULES)
def test_number_rules_cite_gbt_9704_725_which_says_where_the_number_stands(book, rule_id):
    (cite,) = book.rule(rule_id).citations
    assert (cite.document, cite.clause, cite.kind, cite.confirmed) == (GB9704, "7.2.5 发文字号", "quote", False)
    assert cite.text.startswith("编排在发文机关标志下空二行位置，居中排布。")
    assert "由发文机关代字、年份、发文顺序号组成" not in cite.text  # that is the 条例's wording, not the standard's


@pytest.mark.parametrize("rule_id", DATE_NUMERAL_RULES)
def test_date_numeral_rules_cite_7354_and_only_its_numeral_rule(book, rule_id):
    (cite,) = book.rule(rule_id).citations
    assert (cite.document, cite.clause) == (GB9704, "7.3.5.4 成文日期中的数字")
    assert cite.text == "用阿拉伯数字将年、月、日标全，年份应标全称，月、日不编虚位（即1不编为01）。"


def test_what_a_date_is_comes_from_the_tiaoli(book):
    assert _cited(book, "DOC-DATE-FUTURE") == [(TIAOLI, "第九条（十二）", "quote")]
    assert _cited(book, "DOC-DATE-INVALID") == [
        (TIAOLI, "第九条（十二）", "quote"),
        (TIAOLI, "第二十条（四）", "quote"),
    ]
    assert (
        book.rule("DOC-DATE-FUTURE").citations[0].text.startswith("成文日期。署会议通过或者发文机关负责人签发的日期。")
    )


def test_year_mismatch_rests_on_both_clauses_and_says_it_is_an_inference(book):
    assert _cited(book, "DOC-DATE-YEAR-MISMATCH") == [
        (TIAOLI, "第九条（五）", "quote"),
        (TIAOLI, "第九条（十二）", "quote"),
    ]
    notes = book.rule("DOC-DATE-YEAR-MISMATCH").spec.interpretation
    assert any("没有条文规定" in n and "推断" in n for n in notes)


@pytest.mark.parametrize("rule_id", ["DOC-TYPO", "DOC-TYPO-QUOTED", "DOC-COUNT-MISMATCH"])
def test_typo_and_count_rules_cite_what_review_checks(book, rule_id):
    cites = book.rule(rule_id).citations
    assert (cites[0].document, cites[0].clause) == (TIAOLI, "第二十条（四）")
    assert all("用语准确" not in c.text and "文风简洁" not in c.text for c in cites)  # not in the 条例
    if rule_id == "DOC-COUNT-MISMATCH":
        assert [c.clause for c in cites] == ["第二十条（四）", "第十九条（三）"]
        assert "表述准确" in cites[1].text


def test_approval_benchmarks_say_whose_numbers_they_are(book):
    for rule_id in ("APPROVAL-STAGES-RESIDENTIAL", "APPROVAL-STAGES-INDUSTRIAL"):
        (cite,) = book.rule(rule_id).citations
        assert "省内先进水平" in cite.text and cite.kind == "summary"
        assert "省内先进水平为 {max_stages} 个" in book.rule(rule_id).spec.message
    for rule_id, days in (("APPROVAL-DURATION-RESIDENTIAL", 28), ("APPROVAL-DURATION-INDUSTRIAL", 26)):
        rule = book.rule(rule_id)
        assert f"{days} 个工作日左右" in rule.citations[0].text and "不是省内基准" in rule.citations[0].text
        assert "本县整改目标" in rule.spec.message
    texts = [c.text for r in book.rules for c in r.citations] + [p.spec.description or "" for p in book.packs]
    assert not [t for t in texts if "最佳实践" in t]


def test_the_permit_regulation_is_order_18(book):
    examples = [e["text"] for e in book.rule("DOC-NUMBER-DI").spec.examples.pass_ if "text" in e]
    assert any("住房和城乡建设部令第18号" in e for e in examples)
    assert not [e for e in examples if "管理办法》（住房和城乡建设部令第42号）" in e]


def test_prefab_mandate_cites_the_henan_standard_and_the_commitment(book):
    for rule_id in ("PREFAB-MANDATE-GOV", "PREFAB-MANDATE-GOV-UNKNOWN"):
        documents = [c.document for c in book.rule(rule_id).citations]
        assert documents == [
            "GB/T 51129-2017《装配式建筑评价标准》",
            "DBJ41/T 222-2019《河南省装配式建筑评价标准》",
            REPORT,
        ]
        assert "政府投资和主导的项目" in book.rule(rule_id).citations[2].text


def test_the_calendar_package_floor_knows_2026():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"chinesecalendar>=1.11"' in text


# ------------------------------------------------------------ what tools and reviewers read


def test_rules_json_gives_citation_objects_and_interpretation_notes(cli):
    rules = {r["id"]: r for r in json.loads(cli("rules", "--format", "json").out)["rules"]}
    count = rules["DOC-COUNT-MISMATCH"]
    assert count["citation"] == {
        "document": TIAOLI,
        "clause": "第二十条（四）",
        "kind": "quote",
        "text": "文种是否正确，格式是否规范；人名、地名、时间、数字、段落顺序、引文等是否准确；"
        "文字、数字、计量单位和标点符号等用法是否规范。",
        "source": "中共中央办公厅、国务院办公厅印发（中办发〔2012〕14号），2012年7月1日起施行；"
        "第二十条列公文文稿签发前审核的重点",
        "confirmed": True,
    }
    assert [c["clause"] for c in count["citations"]] == ["第二十条（四）", "第十九条（三）"]
    assert count["interpretation"][0].startswith("列举：数量后跟")
    self_ref = rules["DOC-ISSUER-SELF"]
    assert self_ref["citation"]["kind"] == "summary"
    # pack notes come first, then the rule's own
    assert self_ref["interpretation"][0].startswith("发文机关层级按发文机关全称")
    assert all(
        set(c) == {"document", "clause", "kind", "text", "source", "confirmed"}
        for r in rules.values()
        for c in r["citations"]
    )


def test_text_and_html_reports_mark_a_summary(cli, tmp_path):
    from tests.conftest import EXAMPLES

    copy = EXAMPLES / "documents" / "forwarded-city-copy.txt"
    text = cli("lint", copy, "--as-of", "2025-11-25", "--no-config", "--no-color").out.replace("\n", "")
    assert f"依据 {REPORT} 转发文件问题（摘要）新工改办〔2022〕16号为县级文件" in text  # (wrapped at the space)
    assert "转发文件问题「" not in text
    html = tmp_path / "r.html"
    cli("lint", copy, "--as-of", "2025-11-25", "--no-config", "--format", "html", "--output", html)
    page = html.read_text(encoding="utf-8")
    assert '<span class="summary"><span class="tag">摘要</span>新工改办〔2022〕16号为县级文件' in page
    number = write_notice(tmp_path)
    shown = cli("lint", number, "--as-of", "2025-11-25", "--no-config", "--no-color").out.replace("\n", "")
    assert f"依据 {GB9704} 7.2.5 发文字号「编排在发文机关标志下空二行位置" in shown
    assert "在阿拉伯数字后加“号”字…」（未核对原文）" not in shown and "「编排" in shown and "…」（未核对原文）" in shown


def write_notice(tmp_path) -> Path:
    path = tmp_path / "n.txt"
    path.write_text("各股室：\n根据《实施意见》（新政办[2024]12号）要求，认真落实。\n", encoding="utf-8")
    return path
