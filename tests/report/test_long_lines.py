"""Reports keep about 200 characters of a long source line around each finding, not the whole line."""

from __future__ import annotations

import json

import pytest

from checker.run.findings import Finding
from tests.conftest import write


def _finding(snippet: str, column: int, end_column: int) -> Finding:
    return Finding(
        rule_id="R",
        category="c",
        severity="warning",
        source="x.txt",
        record_id=None,
        message="m",
        citation="c",
        line=1,
        column=column,
        end_column=end_column,
        snippet=snippet,
    )


def test_context_is_the_line_when_short_and_a_window_when_long():
    assert _finding("甲乙丙", 2, 3).context() == ("甲乙丙", 1, 2, 1)
    line = "".join(chr(0x4E00 + n % 500) for n in range(20_000))
    text, start, end, first = _finding(line, 10_001, 10_003).context()
    assert len(text) == 200 and first == 10_001 - 99 and text[start:end] == line[10_000:10_002]
    text, start, end, first = _finding(line, 1, 2).context()  # at the start: all room to the right
    assert (len(text), start, first) == (200, 0, 1)
    text, start, end, first = _finding(line, 20_000, 20_001).context()  # at the end: all room to the left
    assert (len(text), end, first) == (200, 200, 19_801)


@pytest.mark.parametrize("fmt", ["sarif", "html", "junit"])
def test_a_thousand_findings_on_one_long_line_make_a_small_report(cli, tmp_path, fmt):
    """20,000 characters of unclosed 《 on one line: each finding used to carry the whole line (≈ 60 MB)."""
    path = write(tmp_path / "n.txt", "关于某事的通知\n各单位：\n" + "《" * 20_000 + "\n新野县人民政府\n2024年3月5日\n")
    result = cli("lint", path, "--format", fmt, "--as-of", "2024-12-01")
    assert result.code in (0, 1), result.err
    assert result.out.count("DOC-PUNCT-UNPAIRED") >= 1000
    assert len(result.out.encode()) < 3_000_000
    if fmt == "sarif":
        results = [r for r in json.loads(result.out)["runs"][0]["results"] if r["ruleId"] == "DOC-PUNCT-UNPAIRED"]
        context = results[0]["locations"][0]["physicalLocation"]["contextRegion"]
        assert context["startColumn"] == 1 and context["endColumn"] == 201 and context["snippet"]["text"] == "《" * 200
