"""The terminal report: laid out to a terminal's width without splitting a number, date or id; written to pipes
and files unwrapped and unpadded; reasons only where a reader needs them."""

from __future__ import annotations

import re
import sys

import pytest
from rich.cells import cell_len

from tests.conftest import EXAMPLES, write

AS_OF = "2024-12-01"
DOCS = EXAMPLES / "documents"
NUMBERS = re.compile(r"\d[\d,.]*%?|\d{4}-\d{2}-\d{2}")


@pytest.fixture
def terminal(monkeypatch):
    """Make the CLI's text report think it is on a terminal `width` cells wide (no colours, so text compares)."""
    from rich.console import Console

    import checker.cli as cli_module
    from checker.report.text import Out

    def at(width: int):
        def fake(args, stream=None):
            console = Console(
                file=stream or sys.stdout, width=width, force_terminal=True, color_system=None, highlight=False
            )
            return Out(console, terminal=True)

        monkeypatch.setattr(cli_module, "_out", fake)

    return at


@pytest.mark.parametrize("width", [60, 80, 100])
def test_a_narrow_terminal_stacks_the_subsidy_table_and_splits_no_number(cli, terminal, width):
    terminal(width)
    out = cli("subsidy", EXAMPLES / "ledger.csv", "--as-of", AS_OF, "-q").out
    lines = out.splitlines()
    assert all(cell_len(line) <= width for line in lines), max(lines, key=cell_len)
    assert "┏" not in out  # 11 columns with whole numbers and dates do not fit: one block per project
    block = out[out.index("  H2 滨河花园二期") :].split("\n\n")[0].splitlines()
    assert block == [
        "  H2 滨河花园二期",
        "    类别      商住建筑",
        "    投资      社会投资",
        "    面积(m²)  120,000",
        "    装配率    55%",
        "    竣工验收  2023-09-15",
        "    结果      符合 ⚠待确认",
        "    金额(元)  2,000,000",
        "    档次      2023年底前",
        "    市级      转市级",
    ]


def test_a_wide_terminal_keeps_the_table_and_every_number_on_one_line(cli, terminal):
    terminal(130)
    out = cli("subsidy", EXAMPLES / "ledger.csv", "--as-of", AS_OF, "-q").out
    assert "┏" in out
    rows = [line for line in out.splitlines() if line.startswith("│ H")]
    assert len(rows) == 16
    h2 = next(line for line in rows if line.startswith("│ H2 "))
    cells = [c.strip() for c in h2.strip("│").split("│")]
    assert cells[0] == "H2" and "120,000" in cells and "55%" in cells and "2023-09-15" in cells
    assert "2,000,000" in cells
    # a wrapped name continues on the next line; a number or a date never does
    for line in out.splitlines():
        if line.startswith("│      │"):  # a continuation row: empty id cell
            continuation = [c.strip() for c in line.strip("│").split("│")]
            assert not any(NUMBERS.fullmatch(c) for c in continuation if c), line


def test_approvals_table_keeps_dates_whole_at_80_columns(cli, terminal):
    terminal(80)
    out = cli("approvals", EXAMPLES / "approvals.csv", "--as-of", AS_OF, "-q").out
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    for date in ("2024-06-07", "2024-06-11", "2024-09-30"):
        assert date in out  # whole, on one line
    assert not re.search(r"\b20\d\d\s*\n", out)  # no year left at a line's end by a wrap


def test_lint_snippet_is_cut_to_the_terminal_and_the_underline_stays_under_its_text(cli, terminal, tmp_path):
    long_line = "根据" + "有关规定和工作安排，" * 12 + "请接照要求按时报送。"
    doc = write(
        tmp_path / "n.txt", f"关于报送材料的通知\n各乡镇：\n{long_line}\n新野县住房和城乡建设局\n2024年3月5日\n"
    )
    terminal(60)
    out = cli("lint", doc, "--as-of", AS_OF, "--select", "DOC-TYPO").out
    lines = out.splitlines()
    source = next(i for i, line in enumerate(lines) if line.lstrip().startswith("3 │"))
    text_line, underline = lines[source], lines[source + 1]
    assert cell_len(text_line) <= 60 and cell_len(underline) <= 60
    start = underline.index("━")
    width = underline.count("━")
    # the cells above the underline are the date that is wrong
    cells = ""
    position = 0
    for ch in text_line:
        if start <= position < start + width:
            cells += ch
        position += cell_len(ch)
    assert cells == "接照"
    assert "…" in text_line  # the line was cut, and says so


def test_piped_output_is_neither_wrapped_nor_padded(cli):
    out = cli("check", EXAMPLES / "approvals.csv", "--as-of", AS_OF).out
    assert not [line for line in out.splitlines() if line != line.rstrip()]
    evidence = next(line for line in out.splitlines() if "受理 2024-05-06，办结 2024-05-09" in line)
    assert evidence.endswith("办理用时 = 3 个工作日")  # a 200-cell line stays one line
    assert cell_len(evidence) > 160


def test_reasons_only_for_projects_that_need_them_unless_explain(cli, tmp_path):
    ledger = write(
        tmp_path / "p.csv",
        "编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期\n"
        "P1,甲项目,商住建筑,社会投资,25000,35%,2022-06-30\n"  # eligible, nothing to confirm: the table says it all
        "P2,乙项目,商住建筑,社会投资,25000,20%,2024-06-30\n",  # not eligible: why?
    )
    plain = cli("subsidy", ledger, "--as-of", AS_OF).out
    assert "P2 乙项目 — 不符合" in plain and "P1 甲项目 —" not in plain
    assert "│ P1   │ 甲项目" in plain  # still in the table
    explained = cli("subsidy", ledger, "--as-of", AS_OF, "--explain").out
    assert "P1 甲项目 — 符合，500,000 元（2023年底前）" in explained
    assert "P2 乙项目 — 不符合" in explained


def test_quiet_keeps_table_and_summary_and_summary_prints_only_the_summary(cli):
    quiet = cli("subsidy", EXAMPLES / "ledger.csv", "--as-of", AS_OF, "-q").out
    assert "┏" in quiet and "共 16 个项目：符合" in quiet
    assert "checker 0.1.0" not in quiet and "依据 新政办" not in quiet  # no header, no reasons
    summary = cli("subsidy", EXAMPLES / "ledger.csv", "--as-of", AS_OF, "--summary").out
    assert summary.splitlines() == [
        "共 16 个项目：符合 7 个，合计 5,210,000 元（含上限金额）；待竣工验收 4 个；转市级以上 8 个；需人工确认 5 个"
    ]
    lint = cli("lint", DOCS / "clean-county-notice.txt", "--as-of", AS_OF, "--summary").out
    assert lint.splitlines()[-1] == "共 1 个文件、1 条记录：错误 0，警告 0，提示 0"
    assert "checker lint —" not in lint


def test_counts_have_thousands_separators(cli, tmp_path):
    rows = ["编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期"]
    rows += [f"P{i},项目{i},商住建筑,社会投资,25000,20%,2024-06-30" for i in range(1200)]
    ledger = write(tmp_path / "p.csv", "\n".join(rows) + "\n")
    out = cli("subsidy", ledger, "--as-of", AS_OF, "--summary").out
    assert out.startswith("共 1,200 个项目：符合 0 个，合计 0 元")
    check = cli("check", ledger, "--as-of", AS_OF, "--summary").out
    assert "共 1 个文件、1,200 条记录" in check


def test_an_empty_ledger_still_names_the_policy(cli, tmp_path):
    ledger = write(tmp_path / "empty.csv", "编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期\n")
    out = cli("subsidy", ledger, "--as-of", AS_OF).out
    assert out.splitlines()[0].startswith("新政办〔2022〕34号 装配式建筑补贴 — checker")


def test_a_file_level_finding_comes_before_the_records_in_every_command(cli):
    for command in ("check", "approvals"):
        out = cli(command, EXAMPLES / "ledger.csv", "--as-of", AS_OF).out
        section = out[out.index(f"\n{EXAMPLES / 'ledger.csv'}\n") :]
        lines = section.splitlines()
        assert lines[2] == "  （整个文件）", command
        assert lines[3].startswith("    info[INPUT-UNKNOWN-COLUMN] 已忽略未识别的列：备注"), command
        assert lines[5].startswith("  H1  第2行"), command


def test_record_lines_do_not_repeat_the_file_name_or_the_line(cli, tmp_path):
    out = cli("lint", DOCS / "forwarded-city-copy.txt", "--as-of", AS_OF).out
    assert "  forwarded-city-copy.txt" not in out
    ledger = write(
        tmp_path / "p.csv",
        "编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期\n,无编号,公共建筑,政府投资,9000,30%,\n",
    )
    text = cli("check", ledger, "--as-of", AS_OF).out
    assert "第2行  第2行" not in text and "  第2行\n" in text


def test_a_level_taken_from_the_number_is_said_in_the_headline(cli, tmp_path):
    doc = write(tmp_path / "t.txt", "新政办〔2024〕3号\n关于某事的通知\n各乡镇：\n我市将开展检查。\n2024年3月5日\n")
    out = cli("lint", doc, "--as-of", AS_OF).out
    assert "发文机关 —（按县级检查，据发文字号）" in out
    assert "error[DOC-ISSUER-SELF] 县级文件自称“我市”" in out


@pytest.mark.parametrize(
    ("environment", "styled"),
    [({}, False), ({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": ""}, False), ({"TTY_COMPATIBLE": "1"}, True)],
)
def test_a_pipe_gets_plain_text_unless_the_environment_asks_for_styles(tmp_path, environment, styled):
    """A pipe's report is written without rich; FORCE_COLOR or TTY_COMPATIBLE=1 (rich's own switches) still
    style it, and NO_COLOR (or --no-color) wins over both."""
    import os
    import subprocess

    document = DOCS / "forwarded-city-copy.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    env.update(environment, XDG_CACHE_HOME=str(tmp_path))
    run = [sys.executable, "-m", "checker", "lint", str(document), "--as-of", AS_OF, "--no-config"]
    out = subprocess.run(run, capture_output=True, text=True, env=env).stdout
    assert ("\x1b[" in out) is styled
    assert "error[DOC-ISSUER-SELF]" in out
    plain = subprocess.run([*run, "--no-color"], capture_output=True, text=True, env=env).stdout
    assert "\x1b[" not in plain and "error[DOC-ISSUER-SELF]" in plain
    if not styled:
        assert out == plain
