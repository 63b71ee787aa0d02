"""The commands as a user runs them: output, JSON contract, exit codes."""

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT, write


def test_subsidy_examples_text_and_json_agree(cli):
    text = cli("subsidy", EXAMPLES / "ledger.csv", "--as-of", "2025-11-25", "--no-color")
    data = cli("subsidy", EXAMPLES / "ledger.csv", "--as-of", "2025-11-25", "--format", "json")
    assert text.code == data.code == 0
    doc = data.json()
    by_id = {s["record_id"]: s for s in doc["subsidies"]}
    assert len(by_id) == 16
    expected = {
        "H1": ("eligible", 500000, "SUB-COUNTY-2023", False),
        "H2": ("eligible", 2000000, "SUB-COUNTY-2023", True),
        "H3": ("eligible", 240000, "SUB-COUNTY-2023", False),
        "H4": ("eligible", 400000, "SUB-COUNTY-2023", False),
        "H5": ("not_eligible", 0, None, False),
        "H6": ("eligible", 120000, "SUB-REWARD-2025", True),
        "H7": ("pending_acceptance", 0, None, True),
        "H8": ("eligible", 450000, "SUB-REWARD-2025", True),
        "H9": ("eligible", 1500000, "SUB-REWARD-2025", True),
        "H10": ("outside_window", 0, None, False),
        "H11": ("not_eligible", 0, None, True),
        "H12": ("pending_acceptance", 0, None, True),
        "H13": ("pending_acceptance", 0, None, False),
        "H14": ("not_eligible", 0, None, False),
        "H15": ("not_eligible", 0, None, False),
        "H16": ("pending_acceptance", 0, None, True),
    }
    for rid, (status, amount, window, referral) in expected.items():
        s = by_id[rid]
        assert (s["status"], s["amount_yuan"], s["window"], s["municipal_referral"]) == (
            status,
            amount,
            window,
            referral,
        )
        assert s["eligible"] == (status == "eligible")
    assert by_id["H13"]["if_accepted_on"]["amount_yuan"] == 390000
    assert doc["summary"]["subsidy"]["total_amount_yuan"] == 5210000
    # the terminal report shows the same rows and totals
    out = text.out
    for rid in by_id:
        assert f" {rid} " in out
    assert "2,000,000" in out and "不超过 1,500,000" in out and "待竣工验收" in out
    assert "共 16 个项目：符合 7 个，合计 5,210,000 元（含上限金额）；待竣工验收 4 个；转市级以上 8 个" in out
    assert "依据 新政办〔2022〕34号 第二条第13项" in out


def test_check_json_findings_contract(cli):
    result = cli("check", EXAMPLES / "ledger.xlsx", "--format", "json")
    assert result.code == 1  # approval-stage errors
    findings = result.json()["findings"]
    keys = {
        "rule_id",
        "category",
        "severity",
        "source",
        "record_id",
        "line",
        "column",
        "message",
        "citation",
        "evidence",
    }
    assert all(keys <= f.keys() for f in findings)
    got = [(f["rule_id"], f["record_id"], f["line"], f["severity"]) for f in findings]
    assert got == [  # the file's own findings, then records with the most severe findings first, then file order
        ("INPUT-UNKNOWN-COLUMN", None, None, "info"),
        ("APPROVAL-STAGES-RESIDENTIAL", "H1", 2, "error"),
        ("APPROVAL-DURATION-RESIDENTIAL", "H1", 2, "warning"),
        ("APPROVAL-STAGES-INDUSTRIAL", "H6", 7, "error"),
        ("PREFAB-MANDATE-GOV", "H7", 8, "warning"),
        ("APPROVAL-DURATION-RESIDENTIAL", "H9", 10, "warning"),
        ("PREFAB-MANDATE-GOV", "H12", 13, "warning"),
        ("INPUT-RATE-FRACTION", "H15", 16, "warning"),
        ("PREFAB-MANDATE-GOV-UNKNOWN", "H16", 17, "info"),
    ]
    h7 = findings[4]
    assert h7["message"] == "政府投资或政府主导的公共建筑项目装配率为 30%，低于装配式建筑要求的 50%"
    assert h7["citation"] == (
        "GB/T 51129-2017《装配式建筑评价标准》 3.0.3；DBJ41/T 222-2019《河南省装配式建筑评价标准》；"
        "新野县住房和城乡建设局巡察整改情况的通报（2024-11-25） 整改措施"
    )
    assert [(c["document"], c["kind"], c["confirmed"]) for c in h7["citations"]] == [
        ("GB/T 51129-2017《装配式建筑评价标准》", "quote", False),  # not checked against the standard itself
        ("DBJ41/T 222-2019《河南省装配式建筑评价标准》", "summary", True),
        ("新野县住房和城乡建设局巡察整改情况的通报（2024-11-25）", "summary", True),
    ]
    assert h7["citation_text"] == h7["citations"][0]["text"]
    assert h7["evidence"] == "投资类型 = 政府投资；建筑类别 = 公共建筑；装配率 = 30%"
    assert h7["category"] == "prefab-mandate"


def test_fail_on_threshold(cli, tmp_path):
    path = write(
        tmp_path / "w.yaml",
        """
        projects:
          - {id: W1, name: 只有警告, investment: 政府投资, category: 公共建筑, prefab_rate_pct: 30}
        """,
    )
    assert cli("check", path, "--fail-on", "warning").code == 1
    assert cli("check", path, "--fail-on", "error").code == 0
    assert cli("check", path).code == 0
    assert cli("check", EXAMPLES / "ledger.csv").code == 1
    assert cli("check", EXAMPLES / "ledger.csv", "--fail-on", "never").code == 0


def test_check_text_groups_by_file_and_record(cli):
    out = cli("check", EXAMPLES / "ledger.csv", "--no-color").out
    assert out.index("H7") < out.index("H12") < out.index("H15")
    assert "warning[PREFAB-MANDATE-GOV] 政府投资或政府主导的公共建筑项目装配率为 30%" in out
    assert out.index("H1 ") < out.index("H6 ") < out.index("H7 ")  # errors first
    assert "共 1 个文件、16 条记录：错误 2，警告 5，提示 2" in out


def test_rules_catalogue(cli):
    result = cli("rules", "--format", "json")
    ids = [r["id"] for r in result.json()["rules"]]
    assert {"SUB-COUNTY-2023", "SUB-REWARD-2025", "SUB-GOV-REFERRAL", "PREFAB-MANDATE-GOV"} <= set(ids)
    text = cli("rules", "--no-color").out
    assert "PREFAB-MANDATE-GOV" in text and "新政办〔2022〕34号" in text


def test_usage_error_exit_2(cli):
    result = cli("check", "x.csv", "--as-of", "someday")
    assert result.code == 2 and "用法错误" in result.err and "someday" in result.err


def test_output_file_is_written(cli, tmp_path):
    target = tmp_path / "report.json"
    result = cli("subsidy", EXAMPLES / "ledger.csv", "--format", "json", "--output", target)
    assert result.code == 0 and result.out == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))["subsidies"]) == 16


def test_output_into_a_new_folder_makes_it_and_an_unwritable_target_is_exit_2(cli, tmp_path):
    target = tmp_path / "reports" / "2026" / "report.json"
    result = cli("subsidy", EXAMPLES / "ledger.csv", "--format", "json", "--output", target)
    assert result.code == 0 and len(json.loads(target.read_text(encoding="utf-8"))["subsidies"]) == 16
    blocked = write(tmp_path / "file", "x")  # a file where the folder should be
    result = cli("subsidy", EXAMPLES / "ledger.csv", "--output", blocked / "report.txt")
    assert result.code == 2 and result.err.startswith(f"checker: {blocked / 'report.txt'}: 无法写入输出文件：")
    assert result.err.rstrip().endswith("[OUTPUT-FILE]") and len(result.err.splitlines()) == 1
    assert blocked.read_text(encoding="utf-8") == "x"


def test_python_dash_m_and_console_script(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        """
        projects:
          - {id: Z1, name: 子进程, category: 商住, investment: 社会投资, floor_area_m2: 20000, prefab_rate_pct: 30,
             completion_acceptance_date: 2023-01-10}
        """,
    )
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "subsidy", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["subsidies"][0]["amount_yuan"] == 400000
    bad = subprocess.run(
        [sys.executable, "-m", "checker", "check", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_jobs_output_identical_to_single_process(cli, tmp_path, monkeypatch):
    """Files and chunks of a large ledger over 2 processes: same findings, outcomes, order and summary."""
    import checker.run.tasks as tasks_module

    monkeypatch.setattr(tasks_module, "CHUNK_MIN_BYTES", 1)
    rows = ["编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期,项目类型,审批环节"]
    for i in range(60):
        category = ["商住", "公共建筑", "工业建筑", "保障性住房"][i % 4]
        investment = "政府投资" if i % 5 == 0 else "社会投资"
        rate = ["35%", "55%", "0.3", "20%"][i % 4]
        rows.append(
            f"P{i % 57},项目{i},{category},{investment},{10000 + 1000 * i},{rate},2024-0{1 + i % 9}-15,"
            f"社会投资一般住宅项目,{'、'.join(['立项', '规划', '施工', '验收'][: 2 + i % 3])}"
        )
    rows.insert(30, "BAD,坏行,商住,社会投资,-1,35%,2024-01-01,,")
    ledger = tmp_path / "big.csv"
    ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")
    approvals = tmp_path / "approvals.csv"
    approval_rows = ["编号,事项名称,受理日期,办结日期,承诺时限(工作日)"] + [
        f"A{i},建筑工程施工许可证核发,2024-05-0{1 + i % 8},2024-05-{10 + i % 9},{1 + i % 3}" for i in range(40)
    ]
    approvals.write_text("\n".join(approval_rows) + "\n", encoding="utf-8")
    args = ["check", ledger, approvals, EXAMPLES / "documents", "--format", "json", "--as-of", "2025-11-25"]
    single = cli(*args)
    double = cli(*args, "--jobs", "2")
    assert single.code == double.code == 2
    assert single.out == double.out
    assert single.err == double.err
    doc = single.json()
    assert sum("INPUT-DUPLICATE-ID" in e for e in doc["errors"]) == 3  # P0, P1, P2 appear twice (across chunks)
    promised = [(f["record_id"], f["line"]) for f in doc["findings"] if f["rule_id"] == "ONE-DAY-PROMISED"]
    assert promised == [("建筑工程施工许可证核发", 4)]  # A2, the first row promising 3 days
    tasks = tasks_module.plan_tasks([str(ledger)], 2)
    assert len(tasks) > 2 and tasks[0].first and tasks[-1].last and not any(t.first or t.last for t in tasks[1:-1])
    assert [t.stop for t in tasks[:-1]] == [t.start for t in tasks[1:]]
    # the terminal report: workers send outcome objects (JSON output has them write JSON lines instead)
    text_args = [a for a in args if a not in ("--format", "json")]
    assert cli(*text_args).out == cli(*text_args, "--jobs", "2").out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "html"])
def test_every_format_is_the_same_with_any_number_of_jobs(cli, tmp_path, monkeypatch, fmt):
    """--jobs 2 and 4 print byte for byte what one process prints, in every format: several files, each kind
    of input (a ledger in ranges, an approval export, documents), and the outcome sections (the JUnit
    prefab-subsidy suite was lost with --jobs)."""
    import checker.run.tasks as tasks_module

    monkeypatch.setattr(tasks_module, "CHUNK_MIN_BYTES", 1)
    rows = ["编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期"]
    rows += [
        f"L{i},项目{i},商住,社会投资,{20000 + 97 * i},{25 + i % 40}%,2023-0{1 + i % 9}-1{i % 9}" for i in range(300)
    ]
    ledger = write(tmp_path / "large.csv", "\n".join(rows) + "\n")
    args = [
        "check",
        ledger,
        EXAMPLES / "ledger.xlsx",
        EXAMPLES / "approvals.csv",
        EXAMPLES / "documents",
        "--format",
        fmt,
        "--as-of",
        "2025-11-25",
        "--no-config",
        "--no-color",
    ]
    one = cli(*args)
    assert one.code == 1
    for jobs in ("2", "4"):
        many = cli(*args, "--jobs", jobs)
        err = "".join(line for line in many.err.splitlines(True) if "超过本机 CPU 数" not in line)  # 4 on 2 cores
        assert (many.code, many.out, err) == (one.code, one.out, one.err), f"--jobs {jobs}"
    if fmt == "junit":
        assert '<testsuite name="prefab-subsidy" tests="316"' in one.out


def test_many_documents_go_to_workers_a_few_at_a_time_and_report_the_same(cli, tmp_path):
    """130 notices with --jobs 2 are sent two at a time (imap keeps their order): the report is byte for byte the
    single process's; a ledger split into ranges is still sent one range at a time."""
    from checker.run.parallel import chunk_size
    from checker.run.tasks import Task

    notice = (EXAMPLES / "documents" / "forwarded-city-copy.txt").read_text(encoding="utf-8")
    folder = tmp_path / "notices"
    for n in range(130):
        write(folder / f"n{n:03d}.txt", notice.replace("各单位要按照", f"各单位要按照第{n}项"))
    whole = [Task(str(path)) for path in sorted(folder.iterdir())]
    assert chunk_size(whole, 2) == 2 and chunk_size(whole[:127], 2) == 1 and chunk_size(whole * 8, 2) == 8
    assert chunk_size([*whole, Task("big.csv", stop=object())], 2) == 1
    args = ["lint", folder, "--format", "json", "--as-of", "2025-01-01", "--no-config"]
    one, two = cli(*args), cli(*args, "--jobs", "2")
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)
    assert len(one.json()["findings"]) >= 130 and one.json()["summary"]["records_checked"] == 130


def test_jobs_identical_when_reading_stops_midway_and_for_jsonl(cli, tmp_path, monkeypatch):
    """An unclosed quote ends a full read: ranges must end there too; JSONL ranges resume at byte offsets."""
    import checker.run.tasks as tasks_module

    monkeypatch.setattr(tasks_module, "CHUNK_MIN_BYTES", 1)
    rows = ["编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期"]
    rows += [f"Q{i},项目{i},商住,社会投资,{20000 + i},{30 + i % 40}%,2024-03-0{1 + i % 9}" for i in range(80)]
    rows.insert(50, 'Q-BAD,"未闭合,商住,社会投资,30000,40%,2024-03-01')
    ledger = tmp_path / "stops.csv"
    ledger.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")
    lines = [
        json.dumps(
            {
                "kind": "approval",
                "id": f"J{i}",
                "item": "建筑工程施工许可证核发",
                "accepted_on": "2024-05-06",
                "completed_on": f"2024-05-{7 + i % 9:02d}",
                "promised_working_days": 1,
            },
            ensure_ascii=False,
        )
        for i in range(70)
    ]
    lines.insert(20, "{not json")
    lines.insert(40, "")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for path in (ledger, feed):
        assert len(tasks_module.plan_tasks([str(path)], 2)) > 2, path
    args = ["check", ledger, feed, "--format", "json", "--as-of", "2025-11-25"]
    single, double = cli(*args), cli(*args, "--jobs", "2")
    assert single.code == double.code == 2
    assert single.out == double.out and single.err == double.err
    doc = single.json()
    assert len(doc["subsidies"]) == 49  # the rows before the unclosed quote
    assert [e for e in doc["errors"] if "stops.csv" in e] == [next(e for e in doc["errors"] if "stops.csv:51" in e)]
    assert sum("feed.jsonl:21" in e for e in doc["errors"]) == 1 and len(doc["approvals"]) == 70


# ------------------------------------------------------------------ part 14: no silent no-ops, exact exit codes


@pytest.mark.parametrize(
    ("option", "value", "closest"),
    [
        ("--select", "DOC-ISSUER-SLEF", "（最接近的是 DOC-ISSUER-SELF）"),
        ("--select", "NOPE", "（checker rules 列出全部规则和类别）"),
        ("--ignore", "issuer-consistensy", "（最接近的是 issuer-consistency）"),
        ("--select", "DOC-X*", ""),
    ],
)
def test_an_unknown_selection_is_a_usage_error(cli, option, value, closest):
    result = cli("lint", EXAMPLES / "documents", option, value)
    assert result.code == 2 and result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith(f"checker: 用法错误：{option} 中的“{value}”不是已知的规则、类别或前缀{closest}")


def test_ids_and_categories_match_case_insensitively(cli):
    def rules(*args):
        result = cli("lint", EXAMPLES / "documents", "--format", "json", "--as-of", "2024-12-01", *args)
        assert result.code in (0, 1), result.err
        return sorted({(f["rule_id"], f["category"]) for f in result.json()["findings"]})

    assert rules("--select", "doc-issuer-self") == [("DOC-ISSUER-SELF", "issuer-consistency")]
    assert rules("--select", "Issuer-Consistency") == rules("--select", "issuer-consistency")
    assert "issuer-consistency" not in {c for _, c in rules("--ignore", "ISSUER-CONSISTENCY")}


def test_an_unknown_selection_in_the_config_is_a_usage_error(cli, tmp_path, monkeypatch):
    write(tmp_path / "checker.toml", 'select = ["DOC-ISSUER-SLEF"]\n')
    monkeypatch.chdir(tmp_path)
    result = cli("lint", EXAMPLES / "documents")
    assert result.code == 2
    [line] = result.err.splitlines()
    assert "checker.toml" in line and "“DOC-ISSUER-SLEF”" in line and "DOC-ISSUER-SELF" in line


def test_the_exit_code_survives_a_closed_pipe():
    """`checker … | head -1`: the reader goes away, the findings still make the exit code 1 (not 0, not 120)."""
    script = (
        f"{sys.executable} -m checker lint {EXAMPLES / 'documents'} --as-of 2024-12-01 | head -1 >/dev/null; "
        "echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.stdout.strip() == "1", done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_explain_lists_fired_records_first_and_fired_only_those(cli):
    result = cli("explain", "PREFAB-MANDATE-GOV", EXAMPLES / "ledger.csv", "--format", "json", "--as-of", "2025-11-25")
    subjects = result.json()["subjects"]
    fired = [s["fired"] for s in subjects]
    assert fired == sorted(fired, reverse=True) and fired.count(True) == 2
    assert [s["record_id"] for s in subjects[:2]] == ["H7", "H12"]  # input order among the fired
    only = cli("explain", "prefab-mandate-gov", EXAMPLES / "ledger.csv", "--fired", "--format", "json").json()
    assert [s["record_id"] for s in only["subjects"]] == ["H7", "H12"]
    typo = cli("explain", "PREFAB-MANDATE-GVO", EXAMPLES / "ledger.csv")
    assert typo.code == 2 and "是否要找 PREFAB-MANDATE-GOV？" in typo.err


def test_every_option_of_every_command_has_a_help_text():
    import argparse

    from checker.cli import build_parser

    missing: list[str] = []

    def walk(parser, name: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, sub_parser in action.choices.items():
                    walk(sub_parser, f"{name} {sub_name}".strip())
            if name and not isinstance(action, argparse._HelpAction) and not action.help:
                missing.append(f"{name} {action.option_strings or action.dest}")

    walk(build_parser(), "")
    assert missing == []


def test_a_run_builds_the_parser_of_its_command_alone_and_parses_as_the_full_one():
    from checker.cli import build_parser

    def commands(parser):
        return next(a for a in parser._actions if a.dest == "command").choices

    full, lint = build_parser(), build_parser("lint")
    assert set(commands(full)) == {
        "check",
        "subsidy",
        "approvals",
        "lint",
        "explain",
        "calendar",
        "rules",
        "test-rules",
    }
    assert list(commands(lint)) == ["lint"]
    argv = ["lint", "a.txt", "--format", "json", "--select", "DOC-*", "--fix"]
    assert vars(lint.parse_args(argv)) == vars(full.parse_args(argv))


def test_an_unknown_command_is_told_every_command(cli):
    wrong = cli("lnit", "a.txt")
    assert wrong.code == 2
    assert "invalid choice: 'lnit' (choose from 'check', 'subsidy', 'approvals', 'lint', 'explain'" in wrong.err


def test_main_gives_the_cyclic_collector_back_as_it_found_it(cli):
    import gc

    assert gc.isenabled()
    assert cli("lint", str(EXAMPLES / "documents" / "clean-county-notice.txt")).code in (0, 1)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        assert cli("rules").code == 0
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()


def test_jobs_beyond_the_cpus_are_capped_from_the_config_and_warned_about_from_the_command_line(
    cli, tmp_path, monkeypatch
):
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    write(tmp_path / "checker.toml", "jobs = 64\n")
    monkeypatch.chdir(tmp_path)
    configured = cli("subsidy", EXAMPLES / "ledger.csv", "--summary")
    assert configured.code == 0
    assert "checker: 配置的 jobs = 64 超过本机 CPU 数 2，按 2 个进程运行" in configured.err
    asked = cli("subsidy", EXAMPLES / "ledger.csv", "--summary", "--jobs", "3")
    assert "checker: --jobs 3 超过本机 CPU 数 2（按要求启动 3 个进程，通常不会更快）" in asked.err
    assert asked.out == configured.out


def test_the_command_returns_the_runs_code_and_leaves_its_objects_frozen_for_the_exit(monkeypatch, capsys):
    import gc

    from checker import cli as cli_module

    monkeypatch.setattr("sys.argv", ["checker", "rules", "show", "DOC-ISSUER-SELF"])
    try:
        assert cli_module.command() == 0
        assert gc.get_freeze_count() > 0  # the interpreter's last collection will not walk them
    finally:
        gc.unfreeze()
    assert "DOC-ISSUER-SELF" in capsys.readouterr().out
