"""Old binary word-processor files (.doc, .wps) become a .docx through LibreOffice, then are read as one.

There is no well-kept pure-Python reader of Word 97 or WPS binaries; LibreOffice reads both (and the HTML or
RTF files that web sites often serve under a .doc name).  It is an optional dependency: without `soffice` on
PATH the file is an input error saying what to do.

The conversion runs in a private temporary directory, on a copy of the input under a fixed name, with a
LibreOffice profile of its own (so it never hands the job to a LibreOffice the user has open, and two runs
never share a profile), in a process group of its own that is killed whole once `max_convert_seconds` pass.
The .docx it writes is then read with every limit a .docx has.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.limits import get_limits
from checker.core.values import printable

# the programs LibreOffice installs under, first found wins
SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """The LibreOffice command on PATH, or None."""
    return next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)


@contextmanager
def converted_to_docx(path: str | Path, source: str) -> Iterator[str]:
    """The path of a .docx LibreOffice made from `path` (removed on exit); CheckerInputError when it cannot."""
    from checker.inputs.decode import checked_file_size

    suffix = Path(path).suffix.lower()
    soffice = find_soffice()
    if soffice is None:
        raise CheckerInputError(
            f"{suffix} 文件需要 LibreOffice 转换后才能检查，但未找到 soffice 命令："
            "请安装 LibreOffice（并使 soffice 在 PATH 中），或在 WPS/Word 中另存为 .docx 后再检查",
            Location(source),
            code="INPUT-CONVERT",
        )
    checked_file_size(path, source)
    with tempfile.TemporaryDirectory(prefix="checker-convert-") as folder:
        work = Path(folder)
        copy = work / f"input{suffix}"
        try:
            shutil.copyfile(path, copy)
        except OSError as exc:
            raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
        out = work / "out"
        out.mkdir()
        seconds = get_limits().max_convert_seconds
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(copy),
        ]
        env = {**os.environ, "HOME": str(work)}  # LibreOffice writes under HOME even with its own profile
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=work,
                env=env,
                start_new_session=True,  # its own process group: a timeout kills soffice.bin as well
            )
        except OSError as exc:
            raise CheckerInputError(
                f"无法启动 LibreOffice（{printable(soffice)}）：{exc.strerror}", Location(source), code="INPUT-CONVERT"
            ) from None
        try:
            _, err = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            raise CheckerInputError(
                f"LibreOffice 转换超过 {seconds} 秒仍未完成，已中止，未检查"
                "（文件可能损坏或过大；可在 WPS/Word 中另存为 .docx 后再检查）",
                Location(source),
                code="INPUT-CONVERT",
            ) from None
        finally:
            _kill_group(process)  # on a timeout, and any helper process it left behind
        converted = out / "input.docx"
        if process.returncode != 0 or not converted.is_file():
            said = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
            detail = f"：{printable(said[-1], 160)}" if said else ""
            raise CheckerInputError(
                f"LibreOffice 未能把此文件转换为 .docx（退出码 {process.returncode}）{detail}，未检查"
                "（文件可能损坏，或不是 Word/WPS 文档）",
                Location(source),
                code="INPUT-CONVERT",
            )
        yield str(converted)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
