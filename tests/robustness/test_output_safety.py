"""`--output` never damages what it names: devices and FIFOs are written through, symlinks followed, modes kept,
and an output that is one of the inputs is refused (part 15, "Damage")."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading

import pytest

from tests.conftest import EXAMPLES, ROOT, write

LEDGER = EXAMPLES / "ledger.csv"


def test_a_device_stays_a_device(cli, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("replacing /dev/null needs root: the failure this guards against only happens as root")
    before = os.stat("/dev/null")
    result = cli("subsidy", LEDGER, "--format", "json", "--output", "/dev/null")
    assert result.code == 0, result.err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_dev_stdout_gets_the_report(tmp_path):
    """/dev/stdout is a symlink to the process's stdout: the report goes there, nothing is renamed."""
    done = subprocess.run(
        [sys.executable, "-m", "checker", "subsidy", str(LEDGER), "--format", "json", "--output", "/dev/stdout"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["subsidy"]["projects"] == 16


def test_a_fifo_is_written_through(cli, tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = cli("subsidy", LEDGER, "--format", "json", "--output", fifo)
    reader.join(timeout=30)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0])["summary"]["subsidy"]["projects"] == 16


def test_a_symlinked_report_is_followed_and_stays_a_link(cli, tmp_path):
    real = write(tmp_path / "reports" / "latest.json", "old\n")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    assert cli("subsidy", LEDGER, "--format", "json", "--output", link).code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text(encoding="utf-8"))["summary"]["subsidy"]["projects"] == 16
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["latest.json"]  # no temporary left


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600])
def test_an_existing_report_keeps_its_mode(cli, tmp_path, mode):
    report = write(tmp_path / "report.txt", "old\n")
    report.chmod(mode)
    assert cli("subsidy", LEDGER, "--output", report).code == 0
    assert stat.S_IMODE(report.stat().st_mode) == mode
    assert "新政办〔2022〕34号" in report.read_text(encoding="utf-8")


def test_a_new_report_gets_the_umask(cli, tmp_path):
    old = os.umask(0o022)
    try:
        report = tmp_path / "new" / "report.json"
        assert cli("subsidy", LEDGER, "--format", "json", "--output", report).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(report.stat().st_mode) == 0o644


def test_an_output_that_is_an_input_is_refused(cli, tmp_path):
    ledger = tmp_path / "ledger.csv"
    ledger.write_bytes(LEDGER.read_bytes())
    alias = tmp_path / "alias.csv"
    alias.symlink_to(ledger)
    for output in (ledger, alias):
        result = cli("check", ledger, "--output", output)
        assert result.code == 2
        [line] = result.err.splitlines()
        assert f"输出文件就是输入文件 {ledger}，未写入" in line and line.endswith("[OUTPUT-FILE]")
        assert ledger.read_bytes() == LEDGER.read_bytes()


def test_a_lone_surrogate_from_json_is_that_records_error(cli, tmp_path):
    """A JSON "\\ud800" escape cannot be written by any encoder: it is the record's input error (exit 2),
    the other records are checked, and no writer or the engine ever sees it."""
    data = (
        '{"approvals": ['
        '{"id": "A1", "item": "\\ud800", "accepted_on": "2024-03-01", "completed_on": "2024-03-04"},'
        '{"id": "A2", "item": "建筑工程施工许可证核发", "accepted_on": "2024-03-01", "completed_on": "2024-03-04"}]}'
    )
    ledger = write(tmp_path / "a.json", data)
    for fmt in ("json", "sarif", "html", "junit", "text"):
        result = cli("check", ledger, "--format", fmt, "--as-of", "2024-12-01")
        assert result.code == 2, (fmt, result.err)
        assert "记录 A1 字段 item: 事项名称：含无效字符 U+D800（第 1 个字符" in result.err
        assert "内部错误" not in result.err and "规则引擎出错" not in result.err
    found = cli("check", ledger, "--format", "json", "--as-of", "2024-12-01").json()
    assert found["summary"]["records_checked"] == 1  # A2


def test_a_folder_walk_skips_the_waiver_file_and_names_what_it_cannot_read(cli, tmp_path):
    folder = tmp_path / "ledgers"
    (folder / "locked").mkdir(parents=True)
    (folder / "ledger.csv").write_bytes(LEDGER.read_bytes())
    write(
        folder / "checker-waivers.yaml",
        "waivers:\n  - {rule: PREFAB-MANDATE-GOV, record: H7, reason: 批准, approver: 王, expires: 2026-12-31}\n",
    )
    result = cli(
        "check", folder, "--format", "json", "--as-of", "2024-12-01", "--waivers", folder / "checker-waivers.yaml"
    )
    assert result.code in (0, 1), result.err  # the waiver file is the waivers, not a ledger that fails to read
    assert result.json()["files"] == [str(folder / "ledger.csv")]


def test_a_folder_that_cannot_be_listed_is_an_input_error_and_the_rest_is_checked(cli, tmp_path, monkeypatch):
    """root reads any folder, so the refusal the OS gives an ordinary user is simulated at os.walk."""
    import errno

    import checker.inputs.walk as walk

    folder = tmp_path / "ledgers"
    (folder / "locked").mkdir(parents=True)
    (folder / "ledger.csv").write_bytes(LEDGER.read_bytes())
    real_walk = os.walk

    def walk_refusing_locked(top, onerror=None, **kwargs):
        for entry in real_walk(top, onerror=onerror, **kwargs):
            if entry[0].endswith("locked"):
                onerror(PermissionError(errno.EACCES, "Permission denied", entry[0]))
                continue
            yield entry

    monkeypatch.setattr(walk.os, "walk", walk_refusing_locked)
    result = cli("check", folder, "--format", "json", "--as-of", "2024-12-01")
    assert result.code == 2
    assert f"checker: 输入错误 {folder / 'locked'}: 无法读取目录：Permission denied [INPUT-FILE]" in result.err
    assert result.json()["summary"]["records_checked"] == 16  # the readable ledger was still checked


def test_escape_sequences_and_bidi_controls_never_reach_a_report(cli, tmp_path):
    """A file name, a waiver's reason and approver with ESC sequences (clear screen, window title, an OSC 8
    link) and U+202E: every human-readable report shows U+FFFD in their place."""
    hostile = "\x1b]0;pwned\x07\x1b[2J\u202e"
    name = f"ledger{hostile}.csv"
    ledger = tmp_path / name
    ledger.write_bytes(LEDGER.read_bytes())
    escaped = r"\e]0;pwned\a\e[2J\u202e"  # YAML escapes: the file itself is plain text
    waivers = write(
        tmp_path / "w.yaml",
        "waivers:\n"
        f'  - {{rule: PREFAB-MANDATE-GOV, record: H7, reason: "批准{escaped}", approver: "王{escaped}", '
        "expires: 2026-12-31}\n",
    )
    for fmt in ("text", "html", "junit"):
        out = cli("check", ledger, "--waivers", waivers, "--format", fmt, "--as-of", "2024-12-01").out
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, fmt
        assert "\ufffd" in out, fmt
    text = cli("check", ledger, "--waivers", waivers, "--as-of", "2024-12-01").out
    assert "批准\ufffd]0;pwned" in text and "[2J\ufffd（批准：王\ufffd]0;pwned" in text
