""".doc and .wps are converted to .docx by LibreOffice, then linted as one: text, metadata and layout.

CI installs LibreOffice (.ci/run), so the real conversion is exercised there; elsewhere those tests skip when
soffice is missing.  A soffice that hangs, fails, or is not there is one line, exit 2, and the other files
are still checked.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from checker.core.limits import limits_overridden

AS_OF = "2024-12-01"
LINES = [
    "新野县住房和城乡建设局文件",
    "新建文〔2024〕5号",
    "关于开展装配式建筑项目检查的通知",
    "各乡镇人民政府：",
    "为贯彻落实我市装配式建筑政策，现将有关事项通知如下。",
    "新野县住房和城乡建设局",
    "2024年5月6日",
]


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs LibreOffice (.ci/run): soffice is not on PATH")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.fixture(scope="module")
def word97(tmp_path_factory) -> Path:
    """A real Word 97-2003 file, made by LibreOffice from a .docx."""
    soffice = _soffice()
    import docx

    folder = tmp_path_factory.mktemp("doc")
    document = docx.Document()
    for line in LINES:
        document.add_paragraph(line)
    document.save(folder / "notice.docx")
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc", "--outdir", str(folder)]
        + [str(folder / "notice.docx")],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "notice.doc"


def _issuer_findings(report: dict) -> list[tuple]:
    return [
        (f["source"].rsplit("/", 1)[-1], f["rule_id"], f["line"], f["column"], f["place"])
        for f in report["findings"]
        if f["rule_id"].startswith("DOC-ISSUER")
    ]


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_a_doc_or_wps_is_converted_and_linted(cli, word97, tmp_path, suffix):
    path = tmp_path / f"notice{suffix}"
    shutil.copyfile(word97, path)  # a WPS Writer file is the same compound-file format LibreOffice reads
    result = cli("lint", path, "--format", "json", "--as-of", AS_OF)
    assert result.code == 1, result.err
    report = result.json()
    assert _issuer_findings(report) == [(path.name, "DOC-ISSUER-SELF", 5, 6, "正文")]
    rules = {f["rule_id"] for f in report["findings"]}
    assert {"DOC-LAYOUT-PAPER", "DOC-LAYOUT-MARGIN"} <= rules  # the layout is read from the converted .docx
    assert list(tmp_path.iterdir()) == [path]  # nothing written beside the input


def test_a_piped_doc_is_converted(cli, word97, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(word97.read_bytes())))
    result = cli("lint", "-", "--format", "json", "--as-of", AS_OF)
    assert _issuer_findings(result.json()) == [("<stdin>", "DOC-ISSUER-SELF", 5, 6, "正文")]


def _fake_soffice(folder: Path, body: str) -> None:
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def _only_path(monkeypatch, folder: Path) -> None:
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/usr/bin{os.pathsep}/bin")


def test_without_libreoffice_it_says_what_to_do(cli, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    (tmp_path / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "b.txt").write_text("\n".join(LINES), encoding="utf-8")
    result = cli("lint", tmp_path / "a.doc", tmp_path / "b.txt", "--format", "json", "--as-of", AS_OF)
    assert result.code == 2
    assert (
        f"checker: 输入错误 {tmp_path / 'a.doc'}: .doc 文件需要 LibreOffice 转换后才能检查，但未找到 soffice 命令："
        "请安装 LibreOffice（并使 soffice 在 PATH 中），或在 WPS/Word 中另存为 .docx 后再检查 [INPUT-CONVERT]"
    ) in result.err
    assert ("b.txt", "DOC-ISSUER-SELF", 5, 6, None) in _issuer_findings(result.json())  # the rest is checked


def test_a_conversion_that_hangs_is_stopped_within_the_limit(cli, tmp_path, monkeypatch):
    pid_file = tmp_path / "child.pid"
    _fake_soffice(tmp_path, f"sleep 300 &\necho $! > {pid_file}\nwait")  # its child must die with it
    _only_path(monkeypatch, tmp_path)
    (tmp_path / "a.wps").write_bytes(b"\xd0\xcf\x11\xe0")
    with limits_overridden(max_convert_seconds=1):
        result = cli("lint", tmp_path / "a.wps")
    assert result.code == 2
    assert "LibreOffice 转换超过 1 秒仍未完成，已中止，未检查" in result.err
    status = Path(f"/proc/{int(pid_file.read_text())}/status")
    if status.exists():  # killed but not yet reaped (a container's init may never reap it): a zombie
        assert "\nState:\tZ" in status.read_text()


def test_a_conversion_that_fails_names_what_libreoffice_said(cli, tmp_path, monkeypatch):
    _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1")
    _only_path(monkeypatch, tmp_path)
    (tmp_path / "a.doc").write_bytes(b"not a document")
    result = cli("lint", tmp_path / "a.doc")
    assert result.code == 2
    assert (
        "LibreOffice 未能把此文件转换为 .docx（退出码 1）：Error: source file could not be loaded，未检查" in result.err
    )
