"""Closed standard streams, a full disk, and special files named as configuration, waivers or rules: each is a
one-line error and exit 2 (they used to end in exit 3, or hang)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT, write

LEDGER = str(EXAMPLES / "ledger.csv")
BAD_ROW = "id,name,floor_area_m2\nA,某项目,abc\n"


_CLOSE = {0: "<&-", 1: ">&-", 2: "2>&-"}


def _run(args, close=()):
    """checker started by a shell that closed some of its standard streams (`>&-`): Python finds None there."""
    redirect = " ".join(_CLOSE[fd] for fd in close)
    return subprocess.run(
        ["bash", "-c", f'exec "$@" {redirect}', "_", sys.executable, "-m", "checker", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "html"])
def test_a_closed_stdout_is_one_line_and_exit_2(tmp_path, fmt):
    bad = write(tmp_path / "bad.csv", BAD_ROW)
    done = _run(["check", bad, LEDGER, "--format", fmt], close=[1])
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "checker: <stdout>: 无法写出报告：标准输出已关闭 [OUTPUT-FILE]"
    assert "内部错误" not in done.stderr


def test_a_closed_stdout_does_not_matter_with_output(tmp_path):
    report = tmp_path / "r.json"
    done = _run(["check", LEDGER, "--format", "json", "--output", report], close=[1])
    assert done.returncode == 1 and done.stderr == ""  # the example ledger has errors: exit 1, report written
    assert report.read_text(encoding="utf-8").startswith("{")


def test_a_closed_stderr_keeps_the_exit_code(tmp_path):
    bad = write(tmp_path / "bad.csv", BAD_ROW)
    assert _run(["check", bad, LEDGER], close=[2]).returncode == 2
    assert _run(["check", LEDGER, "--format", "json"], close=[1, 2]).returncode == 2


def test_a_closed_stdin_is_that_input_s_error(tmp_path):
    good = write(tmp_path / "good.txt", "关于做好防汛工作的通知\n各乡镇：\n请做好防汛工作。\n")
    done = _run(["lint", "-", good, "--format", "json"], close=[0])
    assert done.returncode == 2
    assert "checker: 输入错误 <stdin>: 无法读取：标准输入已关闭 [INPUT-FILE]" in done.stderr.splitlines()
    summary = json.loads(done.stdout)["summary"]
    assert (summary["files"], summary["records_checked"], summary["input_errors"]) == (2, 1, 1)  # good.txt checked


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_stdout_on_a_full_disk_is_exit_2(fmt):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "checker", "check", LEDGER, "--format", fmt],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == "checker: <stdout>: 无法写出报告：No space left on device [OUTPUT-FILE]"


def test_waivers_named_by_a_fifo_or_a_folder_are_refused_unread(cli, tmp_path):
    fifo = tmp_path / "w.yaml"
    os.mkfifo(fifo)
    for target in (fifo, tmp_path):
        result = cli("check", LEDGER, "--waivers", target)
        assert result.code == 2
        assert result.err.strip() == f"checker: {target}: 豁免文件应为普通文件（不是目录、设备或管道） [CONFIG]"


def test_a_fifo_named_pyproject_toml_is_not_read(cli, tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    assert cli("check", LEDGER, "--format", "json").code == 1  # ran with the defaults; did not hang


def test_a_rule_file_that_is_a_fifo_or_too_big_is_a_rule_error(cli, tmp_path):
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "checker" / "domains" / "subsidy" / "packs" / "prefab-subsidy", pack)
    os.mkfifo(pack / "ZZ-FIFO.yaml")
    result = cli("check", LEDGER, "--rules", tmp_path)
    assert result.code == 2
    assert "ZZ-FIFO.yaml" in result.err and "规则文件应为普通文件（不是目录、设备或管道），未读取" in result.err
    (pack / "ZZ-FIFO.yaml").unlink()
    write(pack / "ZZ-BIG.yaml", "# " + "x" * (1 << 20) + "\n")
    result = cli("check", LEDGER, "--rules", tmp_path)
    assert result.code == 2 and "规则文件过大（超过 1,048,576 字节），未读取" in result.err
