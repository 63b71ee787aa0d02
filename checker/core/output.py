"""Writing a report to `--output`: atomically into regular files, straight through to everything else.

A temporary file renamed over the target keeps a half-written report from ever being seen, but it must not
replace what is not a plain file: `--output /dev/null` as root would turn the device into a file, and
`--output /dev/stdout` (a symlink) would lose the report.  So a device, a FIFO or a terminal is written to
directly; a symlink is followed to the file it names (the link stays a link); an existing file keeps its mode
(a new one gets the umask's); and an output that is one of the run's inputs is refused, so a ledger is never
overwritten by its own report.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from checker.core.atomic import replacing
from checker.core.errors import CheckerInputError, Location


def _fail(message: str, target: str) -> CheckerInputError:
    return CheckerInputError(message, Location(target), "OUTPUT-FILE")


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def input_named(info: os.stat_result, inputs: Iterable[str]) -> str | None:
    """The first of `inputs` that is the file `info` describes (same device and inode: a hard link or a symlink to
    it too), or None.  An output must never overwrite one of the run's inputs."""
    for source in inputs:
        try:
            other = os.stat(source)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return source
    return None


def write_output(path: str, writer: Callable[[TextIO], None], inputs: Iterable[str] = ()) -> None:
    """Run `writer` on a text stream that ends up as `path` (see the module's docstring for how)."""
    target = str(path)
    try:
        info = os.stat(target)  # follows a symlink: what the name finally is
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _fail(f"无法写入输出文件：{exc.strerror or exc}", target) from None
    if info is not None:
        source = input_named(info, inputs)
        if source is not None:
            raise _fail(f"输出文件就是输入文件 {source}，未写入（请换一个输出文件名）", target)
        if not stat.S_ISREG(info.st_mode):
            try:  # a device, a FIFO, a terminal: write through, rename nothing
                with open(target, "w", encoding="utf-8") as handle:
                    writer(handle)
            except OSError as exc:
                raise _fail(f"无法写入输出文件：{exc.strerror or exc}", target) from None
            return
    real = Path(os.path.realpath(target))  # a symlinked report: replace the file it names, keep the link
    mode = stat.S_IMODE(info.st_mode) if info is not None else _umask_mode()
    try:  # a missing folder is made, as `--output reports/x.json` means
        real.parent.mkdir(parents=True, exist_ok=True)
        with replacing(real, mode) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            writer(text)
            text.flush()
            text.detach()  # the handle stays open: replacing() syncs and renames it
    except OSError as exc:
        raise _fail(f"无法写入输出文件：{exc.strerror or exc}", target) from None
