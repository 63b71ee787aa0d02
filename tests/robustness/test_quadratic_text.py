"""`checker lint` of hostile documents that used to hang: each finishes, and reports exactly what the rules say —
every finding in its place, a kind with more observations than `max_observations` checked up to it and named
once (INPUT-TOO-MANY) with its full count.  The sizes are those at which the old finders needed a minute or
more (a cited-title scan restarted at every 《, patterns that went back over every space of a title line, a
line of dates or of numbers searched once per date or number)."""

from __future__ import annotations

from collections import Counter

import pytest

from checker.core.limits import limits_overridden

AS_OF = "2025-01-01"
META = {"DOC-META-DATE", "DOC-META-ISSUER", "DOC-META-LEVEL", "DOC-META-NUMBER", "DOC-META-TITLE"}


def lint(cli, tmp_path, text: str, cap: int = 50) -> list[dict]:
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    with limits_overridden(max_observations=cap):
        result = cli("lint", path, "--format", "json", "--no-config", "--as-of", AS_OF)
    assert result.code == 0, result.err
    return result.json()["findings"]


def test_100000_unclosed_title_marks(cli, tmp_path):
    # the document ("关于" and 300,000 《 took over two minutes): one unpaired 《 each, the first 50 checked
    found = lint(cli, tmp_path, "关于" + "《" * 100_000)
    unpaired = [f for f in found if f["rule_id"] == "DOC-PUNCT-UNPAIRED"]
    assert [(f["line"], f["column"], f["end_column"]) for f in unpaired] == [(1, c, c + 1) for c in range(3, 53)]
    assert {f["message"] for f in unpaired} == {"“《”没有与之配对的“》”"}
    [warning] = [f for f in found if f["rule_id"] == "INPUT-TOO-MANY"]
    assert (warning["severity"], warning["message"]) == ("warning", "文中标点超过 50 处，只检查了前 50 处，其余未查")
    assert Counter(f["rule_id"] for f in found) == Counter(
        {"DOC-PUNCT-UNPAIRED": 50, "INPUT-TOO-MANY": 1, **dict.fromkeys(META, 1)}
    )


@pytest.mark.parametrize("gap", [" " * 100_000, " \u3000\t" * 33_000])
def test_a_title_line_of_spaces(cli, tmp_path, gap):
    # spaces between 关于 and 的通知: no title (longer than any), the 主送机关 below still found
    found = lint(cli, tmp_path, "关于" + gap + "的通知\n各单位：\n正文。\n")
    assert sorted(f["rule_id"] for f in found) == sorted(META)


def test_a_line_of_10000_dates(cli, tmp_path):
    text = "关于某事的通知\n各单位：\n" + "2024年1月2日" * 10_000 + "\n新野县人民政府\n2024年3月5日\n"
    found = lint(cli, tmp_path, text)
    assert [(f["rule_id"], f["line"], f["column"], f["end_column"]) for f in found] == [
        ("DOC-REPEAT", 3, 1, 90_001),  # the date written 10,000 times; the 成文日期 below is read as such
        ("DOC-META-NUMBER", None, None, None),
    ]


def test_a_line_of_20000_numbers(cli, tmp_path):
    body = "见新政办〔2024〕1号" + "新政办〔2024〕1号" * 19_999
    found = lint(cli, tmp_path, "关于某事的通知\n各单位：\n" + body + "\n新野县人民政府\n2024年3月5日\n")
    assert [(f["rule_id"], f["message"]) for f in found] == [
        ("INPUT-TOO-MANY", "文中发文字号超过 50 处，只检查了前 50 处，其余未查"),
        ("DOC-META-NUMBER", "未识别到发文字号，未检查文号格式、文号年份与成文年份一致"),
    ]
