"""The finding: one rule broken by one record (or one place in a document).

Every output format (text, JSON, SARIF, JUnit, HTML) renders these same
objects, so the formats cannot disagree.
"""

from __future__ import annotations

from typing import Any

from checker.core.edits import SAFE, Fix
from checker.core.plain import field, plain
from checker.core.severity import SEVERITY_RANK
from checker.rules.conditions import Check, explain

INPUT_CITATION = "checker 输入格式说明（README“输入格式”）"
# The codes of findings the machinery makes (not rules of a rule file), each with what it means: `--select`
# and `--ignore` know them, and SARIF describes them.  Domains add theirs (Domain.codes).
MACHINE_CODES: dict[str, str] = {
    "INPUT-FILE": "无法读取输入文件（不存在、无法打开、类型不支持或编码不对）",
    "INPUT-FORMAT": "输入文件格式错误（YAML/JSON/JSONL/表格无法解析或结构不符）",
    "INPUT-NO-HEADER": "表格中找不到可识别的表头",
    "INPUT-DUPLICATE-COLUMN": "表头中有重复的列",
    "INPUT-MISSING-COLUMN": "表格缺少必填列",
    "INPUT-UNKNOWN-COLUMN": "表格中有未知的列，已忽略",
    "INPUT-NOT-READ": "Word 文件中有未检查的部分（批注）",
    "INPUT-SKIPPED": "目录中有本命令不检查的文件类型，已跳过（--strict-inputs 时为输入错误）",
    "INPUT-CONVERT": ".doc/.wps 无法经 LibreOffice 转换（未安装、超时或转换失败）",
    "INPUT-HEADER-ROW": "表头不在第一行：其上的标题行未作为记录",
    "INPUT-TOTAL-MISMATCH": "表格的合计/小计行与其上各行之和不符",
    "INPUT-NOTES-ROWS": "表格下方的说明、签署等行（填表说明、制表人……）未作为记录",
    "INPUT-MISSING": "记录缺少必填字段，本条未检查",
    "INPUT-VALUE": "字段取值无效（类型、范围或日期不合法），本条未检查",
    "INPUT-INVALID": "输入无效",
    "INPUT-RATE-FRACTION": "装配率写成 0 到 1 之间的小数，请核实是否应为百分数",
    "INPUT-DATE-ORDER": "日期先后顺序不合理（如办结日期早于受理日期），本条未检查",
    "INPUT-UNKNOWN-FIELD": "记录中有未知字段，已忽略",
    "INPUT-DUPLICATE-ID": "同一文件中编号重复，重复的记录未检查",
    "INPUT-DUPLICATE-FIELD": "记录中同一字段出现多次",
    "INPUT-EXTRA-CELLS": "表格行的单元格多于表头",
    "INPUT-LIMIT": "输入超过处理上限",
    "INPUT-TOO-MANY": "文中同类观察过多，只检查了前若干处",
    "INPUT-CALENDAR": "工作日日历文件无效",
    "WAIVER-FILE-INVALID": "豁免文件无法读取或格式不对",
    "WAIVER-INVALID": "豁免条目无效，未生效",
    "WAIVER-EXPIRED": "豁免已过期",
    "WAIVER-UNUSED": "豁免没有用上（其规则在其对象上运行了但未触发）",
}


def machine_codes() -> dict[str, str]:
    """The machinery's codes and every installed domain's."""
    from checker.run.domain import installed

    out = dict(MACHINE_CODES)
    for domain in installed():
        out.update(domain.codes)
    return out


# Categories of findings the machinery itself makes; rule packs declare theirs in pack.yaml.
BUILTIN_CATEGORIES = {"input": "输入数据问题（缺失、格式错误、可疑取值）", "waiver": "豁免声明问题"}


def category_titles(book) -> dict[str, str]:
    """Every category a report may show, id -> description: the machinery's, the domains' own and the packs'."""
    from checker.run.domain import installed

    domains = {key: text for domain in installed() for key, text in domain.categories.items()}
    return {**BUILTIN_CATEGORIES, **domains, **(book.categories if book is not None else {})}


CONTEXT_CHARS = 200  # characters of the source line a report keeps around a finding

# (condition, fields, values) -> the explanation as JSON data: a document's thousand findings of one rule mostly
# share their values (the same typo, the same 我市), and explaining each again was a tenth of writing the report
_CHECKS_JSON: dict[tuple, tuple[Any, list]] = {}
_CHECKS_JSON_MAX = 4096


@plain(slots=True)
class Finding:
    rule_id: str
    category: str
    severity: str
    source: str
    record_id: str | None
    message: str
    citation: str  # short: document number and clause
    citation_text: str | None = None  # the main clause's wording
    # every source the rule rests on ({document, clause, kind, text, source, confirmed}); empty for the machinery's
    citations: tuple[dict[str, Any], ...] = ()
    line: int | None = None
    column: int | None = None
    end_column: int | None = None
    title: str | None = None
    evidence: str | None = None  # what was seen, in Chinese
    fix: str | None = None
    autofix: Fix | None = None  # the graded fix of the span, as far as the rule allows it
    snippet: str | None = None  # the source line, for the terminal report
    fixed: bool = False  # set when `--fix` applied the replacement
    waiver: dict[str, Any] | None = None  # the waiver that covers it: reason, approver, expires, source, line
    # (condition, fields it reads, their values) that made the rule fire: explained when a report shows it,
    # because a ledger's findings are kept until the end of the run and explanations were most of their size
    explained: tuple[Any, tuple[str, ...], tuple[Any, ...]] | None = field(default=None, repr=False)
    record_index: int = 0  # position in the file, for stable ordering
    place: str | None = None  # where in a .docx: 正文, 表格, 文本框, 页眉, 页脚, 脚注, 尾注

    def context(self, limit: int = CONTEXT_CHARS) -> tuple[str, int, int, int]:
        """The finding's line cut to about `limit` characters around its span: (text, span start and end within
        it, 0-based, end exclusive; the 1-based column where the text starts).

        Reports copy this, never the whole line: a 20,000-character line with 1,000 findings made a SARIF, HTML
        or JUnit report of 60 MB (300,000 unclosed 《 would have made one of 900 MB).
        """
        line = self.snippet or ""
        start = min(max((self.column or 1) - 1, 0), len(line))
        end = min(max((self.end_column or (self.column or 1) + 1) - 1, start), len(line))
        if len(line) <= limit:
            return line, start, end, 1
        room = max(limit - (end - start), 0)
        left = max(0, start - room // 2)
        right = min(len(line), end + room - (start - left))
        left = max(0, min(left, right - max(limit, end - start)))
        return line[left:right], start - left, end - left, left + 1

    @property
    def checks(self) -> list[Check]:
        """The conditions that made the rule fire, each with the value found."""
        if self.explained is None:
            return []
        condition, names, values = self.explained
        return [explain(condition, {n: v for n, v in zip(names, values) if v is not None})]

    def _checks_json(self) -> list[dict[str, Any]]:
        if self.explained is None:
            return []
        condition, names, values = self.explained
        key = (id(condition), names, values)
        try:
            cached = _CHECKS_JSON.get(key)
        except TypeError:  # a value that cannot be a key: explained afresh
            return [c.to_json() for c in self.checks]
        if cached is None or cached[0] is not condition:
            if len(_CHECKS_JSON) >= _CHECKS_JSON_MAX:
                _CHECKS_JSON.clear()
            cached = _CHECKS_JSON[key] = (condition, [c.to_json() for c in self.checks])
        return cached[1]

    @property
    def suggestion(self) -> str | None:
        """Suggested text for [column, end_column), shown to the reader whatever the fix's applicability."""
        return self.autofix.content if self.autofix is not None else None

    @property
    def replacement(self) -> str | None:
        """The same text when `--fix` may apply it (a safe fix)."""
        return self.autofix.content if self.autofix is not None and self.autofix.applies(SAFE) else None

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def citation_lines(self, clip: int | None = None) -> list[str]:
        """What reports show after 依据: one line per source, a quotation in 「」 and a summary marked 摘要."""
        from checker.rules.book import citation_label

        if not self.citations:
            return [self.citation + (f"「{self.citation_text}」" if self.citation_text else "")]
        return [citation_label(c, clip) for c in self.citations]

    @property
    def where(self) -> str:
        """file:line:column as reports show it (only the parts known)."""
        if not self.line:
            return self.source
        return f"{self.source}:{self.line}" + (f":{self.column}" if self.column else "")

    @property
    def position(self) -> str:
        """`where`, and in a .docx where the line stands: a.docx:41:3（页眉）."""
        return self.where + (f"（{self.place}）" if self.place and self.line else "")

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def counts(self) -> bool:
        """Whether it can fail the run: waived and fixed findings are shown but do not count."""
        return not self.waived and not self.fixed

    @property
    def file_level(self) -> bool:
        """About the file as a whole (an unknown column), not one of its records."""
        return self.record_id is None and self.line is None

    def sort_key(self) -> tuple:
        # a file's own findings come first, before its records
        index = -1 if self.file_level else self.record_index
        return (self.source, index, -self.rank, self.line or 0, self.column or 0, self.rule_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity,
            "source": self.source,
            "record_id": self.record_id,
            "line": self.line,
            "column": self.column,
            "end_column": self.end_column,
            "place": self.place,
            "title": self.title,
            "message": self.message,
            "citation": self.citation,
            "citation_text": self.citation_text,
            "citations": list(self.citations),
            "evidence": self.evidence,
            "fix": self.fix,
            "suggestion": self.suggestion,
            "replacement": self.replacement,
            "fixed": self.fixed,
            "waived": self.waived,
            "waiver": self.waiver,
            "checks": self._checks_json(),
        }
