"""The self-contained HTML report, rendered from real runs on the shipped examples."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from typing import ClassVar

import pytest

from checker import __version__
from checker.report import html as html_report
from checker.run.pipeline import run
from tests.conftest import EXAMPLES

AS_OF = date(2024, 12, 1)

WAIVER = {
    "reason": "已报县政府同意延期办结",
    "approver": "王科长",
    "expires": "2026-12-31",
    "source": "checker-waivers.yaml",
    "line": 3,
}

FORWARDED = "examples/documents/forwarded-city-copy.txt"


@pytest.fixture
def result(book, python_eval, monkeypatch):
    """A fresh run on the examples (ledger, documents, approvals) for every test: tests mutate findings."""
    monkeypatch.chdir(EXAMPLES.parent)
    return run(["examples/ledger.csv", "examples/documents", "examples/approvals.csv"], book, python_eval, AS_OF)


def find(result, rule_id, source=None, line=None):
    hits = [
        f
        for f in result.findings
        if f.rule_id == rule_id and (source is None or f.source == source) and (line is None or f.line == line)
    ]
    assert hits, (rule_id, source, line)
    return hits[0]


class _Outline(HTMLParser):
    """Tag balance, external references, and the text of table rows."""

    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "link", "input", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def outline(text: str) -> _Outline:
    parser = _Outline()
    parser.feed(text)
    parser.close()
    assert not parser.problems, parser.problems[:5]
    assert parser.stack == [], parser.stack
    return parser


def test_html_is_self_contained_and_printable(result):
    text = html_report.render(result)
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "@media print" in text
    page = outline(text)
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert not [a for a in page.attrs if a[0] in ("src", "href") or a[0].startswith("on")]
    for external in ("http://", "https://", "url(", "@import"):
        assert external not in text


def test_html_escapes_hostile_text(result):
    finding = find(result, "DOC-ISSUER-SELF", FORWARDED, line=9)
    finding.message = '<script>alert("x")</script>'
    finding.evidence = '<img src=x onerror="alert(1)">'
    finding.snippet = "结合<我市>工作" + "<script>"  # the span now covers "<我"
    finding.record_id = "<b>id</b>"
    finding.waiver = {**WAIVER, "reason": "</article><script>bad()</script>"}
    text = html_report.render(result)
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text
    assert "&lt;/article&gt;&lt;script&gt;bad()&lt;/script&gt;" in text
    page = outline(text)
    assert "script" not in page.tags and "img" not in page.tags


def test_html_header_and_summary(result):
    text = html_report.render(result)
    assert f"<dd>{__version__}</dd>" in text
    assert result.book.digest in text and result.book.version in text
    assert "<dd>2024-12-01</dd>" in text
    for path in result.files:
        assert f"<li>{path}</li>" in text
    rows = outline(text).rows
    errors = sum(1 for f in result.findings if f.severity == "error")
    assert ["错误 error", str(errors), "0"] in rows  # no "其中已修正" column: --fix did not run
    assert "其中已修正" not in text
    assert "<title>checker 检查报告 · 2024-12-01</title>" in text
    assert text.count("<article ") == len(result.findings)  # the same findings as every other format


def test_html_findings_grouped_with_snippet_and_citation(result):
    find(result, "DOC-ISSUER-SELF", FORWARDED, line=9).waiver = dict(WAIVER)
    text = html_report.render(result)
    section = text[text.index(f'<h3 class="mono">{FORWARDED}</h3>') :]
    section = section[: section.index("</section>")]
    assert section.count("<article ") == 3
    assert "<h4>forwarded-city-copy.txt</h4>" in section
    assert "结合<mark>我市</mark>工作实际" in section
    assert f"{FORWARDED}:9:57" in section
    assert "<code>DOC-ISSUER-SELF</code>" in section
    assert "新野县住房和城乡建设局巡察整改情况的通报（2024-11-25） 转发文件问题" in section
    assert "按发文机关层级改写（县级文件写“我县”）" in section  # the fix
    assert '<span class="tag waived">已豁免</span>' in section
    assert "已报县政府同意延期办结（批准人 王科长，有效期至 2026-12-31，见 checker-waivers.yaml:3）" in section
    # a record finding shows its row
    assert "<h4>H7 第8行</h4>" in text


def test_html_subsidy_and_approval_tables(result):
    rows = outline(html_report.render(result)).rows
    assert [
        "编号",
        "项目名称",
        "类别",
        "投资",
        "面积(m²)",
        "装配率",
        "竣工验收",
        "结果",
        "金额(元)",
        "档次",
        "市级",
    ] in rows
    assert [
        "H1",
        "城南商住小区一期",
        "商住建筑",
        "社会投资",
        "25,000",
        "35%",
        "2023-06-30",
        "符合 ⚠待确认",  # accepted in 2023: which of the two windows applies is for a reviewer
        "500,000",
        "2023年底前",
        "否",
    ] in rows
    assert [
        "H6",
        "中原机械厂房",
        "工业建筑",
        "社会投资",
        "8,000",
        "60%",
        "2024-08-20",
        "符合 ⚠待确认",  # an industrial building qualifies only under the window that names no category
        "不超过 120,000",
        "2023年至2025年底",
        "转市级",
    ] in rows
    assert [
        "H7",
        "县精神病医院建设项目",
        "公共建筑",
        "政府投资",
        "15,000",
        "30%",
        "—",
        "待竣工验收",
        "0",
        "—",
        "转市级",
    ] in rows
    assert ["编号", "事项名称", "项目", "受理", "办结", "用时(工作日)", "承诺时限", "结论"] in rows
    a07 = next(r for r in rows if r and r[0] == "A07")
    assert a07[1] == "建筑工程施工许可证核发" and a07[-1] == "超过一个工作日"


def test_html_without_subsidies_or_approvals_has_no_tables(book, python_eval, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    result = run(["examples/documents/clean-county-notice.txt"], book, python_eval, AS_OF)
    text = html_report.render(result)
    assert 'id="subsidies"' not in text and 'id="approvals"' not in text
    assert "未发现问题。" in text
    outline(text)


class _CountingStats:
    """The totals interface of outcomes.SubsidyStats/ApprovalStats, counting only."""

    def __init__(self):
        self.items = 0

    key = staticmethod(lambda outcome: ())

    def add_key(self, key):
        self.items += 1


def test_html_title_names_the_command_and_fix_runs_count_what_they_fixed(cli, tmp_path):
    ledger = EXAMPLES / "ledger.csv"
    for command, title in (("subsidy", "补贴"), ("approvals", "审批"), ("check", "检查"), ("lint", "公文")):
        text = cli(command, ledger if command != "lint" else EXAMPLES / "documents", "--format", "html").out
        assert f"<h1>checker {title}报告</h1>" in text, command
        assert f"<title>checker {title}报告 · " in text, command
    doc = tmp_path / "n.txt"
    doc.write_text(
        "关于某事的通知\n各乡镇：\n请接照要求办理。\n新野县住房和城乡建设局\n2024年3月5日\n", encoding="utf-8"
    )
    fixed = cli("lint", doc, "--fix", "--format", "html", "--as-of", "2024-12-01").out
    rows = outline(fixed).rows
    assert "其中已修正" in fixed and ["警告 warning", "1", "0", "1"] in rows
