"""`--fix` and `--diff`: apply the safe replacements of findings to text files.

Only .txt/.md documents are ever rewritten, only with replacements that the
rule files mark `fixable`, and only when asked.  The new content is written to
a temporary file in the same directory and renamed over the original (keeping
its permissions), so a failure at any step leaves the original intact.  The
original's encoding, BOM and line endings are kept.  A file that changed on
disk since it was read, or a symbolic link, is not touched.
"""

from __future__ import annotations

import codecs
import difflib
import os
import stat
from pathlib import Path
from typing import Any

from checker.core.atomic import replacing
from checker.core.digest import sha256_hex
from checker.core.edits import Edit, apply_edits
from checker.core.plain import field, plain
from checker.inputs.documents import TEXT_SUFFIXES
from checker.run.findings import Finding

_BOM = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


@plain
class FilePlan:
    document: Any  # a record read from a text file (origin, encoding, digest, source)
    findings: list[Finding] = field(default_factory=list)  # the findings whose replacement is applied
    covered: list[Finding] = field(default_factory=list)  # every finding those edits fix (several rules, one span)
    old_text: str = ""
    new_text: str = ""
    refused: str | None = None  # why the file is not rewritten
    failed: bool = False  # refused because the file is not as checked (changed, gone, a link): exit code 2


class FixError(Exception):
    """A file could not be rewritten; the original is intact."""


def _edits(findings: list[Finding]) -> list[Finding]:
    """One edit per span (several rules may propose the same fix), overlapping spans dropped."""
    chosen: dict[tuple[int, int, int], Finding] = {}
    for f in findings:
        if f.replacement is None or f.line is None or f.column is None or f.end_column is None:
            continue
        chosen.setdefault((f.line, f.column, f.end_column), f)
    kept: list[Finding] = []
    last: dict[int, int] = {}
    for key in sorted(chosen):
        line, start, end = key
        if start < last.get(line, 0):
            continue  # overlaps an earlier edit on the line
        kept.append(chosen[key])
        last[line] = end
    return kept


def plan(documents: list[Any], findings: list[Finding], writing: bool = True) -> list[FilePlan]:
    """What --fix would write to each document; `writing` False (--diff alone) also plans standard input, whose
    text is shown as a diff but has no file to write back to."""
    by_source: dict[str, list[Finding]] = {}
    for f in findings:
        if f.replacement is not None:
            by_source.setdefault(f.source, []).append(f)
    plans = []
    for doc in documents:
        proposed = by_source.get(doc.source)
        if not proposed:
            continue
        p = FilePlan(doc)
        if doc.stdin and doc.origin == "text":
            if writing:
                p.refused = "标准输入无法改写（用 --diff 查看修改，或对文件运行 --fix）"
            else:
                p.old_text = doc.body
                p.findings = _edits(proposed)
                applied = {(f.line, f.column, f.end_column, f.replacement) for f in p.findings}
                p.covered = [f for f in proposed if (f.line, f.column, f.end_column, f.replacement) in applied]
                p.new_text = _apply(p.old_text, p.findings)
            plans.append(p)
            continue
        if doc.origin != "text" or doc.stdin or Path(doc.source).suffix.lower() not in TEXT_SUFFIXES:
            p.refused = (
                ".docx 与记录文件不会被改写，请按报告手工修改" if doc.origin == "docx" else "只改写 .txt/.md 文件"
            )
            plans.append(p)
            continue
        refused = _not_writable(Path(doc.source))
        if refused:
            p.refused, p.failed = refused, True
            plans.append(p)
            continue
        try:
            raw = Path(doc.source).read_bytes()
            read_only = writing and not Path(doc.source).stat().st_mode & stat.S_IWUSR
        except OSError as exc:
            p.refused, p.failed = f"无法读取：{exc.strerror}", True
            plans.append(p)
            continue
        if read_only:
            p.refused, p.failed = "文件为只读，未改写（如确需修改，请先取消只读）", True
            plans.append(p)
            continue
        if doc.digest and sha256_hex(raw) != doc.digest:
            p.refused, p.failed = "文件在检查后已被修改，未改写（请重新运行）", True
            plans.append(p)
            continue
        text = _decode(raw, doc.encoding)
        p.old_text = text
        p.findings = _edits(proposed)
        applied = {(f.line, f.column, f.end_column, f.replacement) for f in p.findings}
        p.covered = [f for f in proposed if (f.line, f.column, f.end_column, f.replacement) in applied]
        p.new_text = _apply(text, p.findings)
        plans.append(p)
    return plans


def _decode(raw: bytes, encoding: str | None) -> str:
    encoding = encoding or "utf-8"
    bom = _BOM.get(encoding)
    if bom and raw.startswith(bom):
        raw = raw[len(bom) :]
    return raw.decode(encoding)


def _encode(text: str, document: Any, original: bytes) -> bytes:
    encoding = document.encoding or "utf-8"
    bom = _BOM.get(encoding)
    data = text.encode(encoding)
    return (bom + data) if bom and original.startswith(bom) else data


def _apply(text: str, edits: list[Finding]) -> str:
    """Apply the findings' replacements on the raw text, keeping every original line break as it was."""
    return apply_edits(text, [Edit(f.line, f.column, f.end_column, f.replacement) for f in edits])


def diff(p: FilePlan) -> str:
    return "".join(
        difflib.unified_diff(
            p.old_text.splitlines(keepends=True),
            p.new_text.splitlines(keepends=True),
            fromfile=f"a/{p.document.source}",
            tofile=f"b/{p.document.source}",
        )
    )


def write(p: FilePlan) -> None:
    """Atomic replace: temp file in the same directory, fsync, keep mode, owner and xattrs, re-check, rename."""
    path = Path(p.document.source)
    refused = _not_writable(path)
    if refused:
        raise FixError(refused)
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            original = handle.read()
        if p.document.digest and sha256_hex(original) != p.document.digest:
            raise FixError("文件在检查后已被修改，未改写")
        data = _encode(p.new_text, p.document, original)
    except (OSError, UnicodeEncodeError) as exc:
        raise FixError(f"未改写：{exc}") from None
    if not info.st_mode & stat.S_IWUSR:  # read-only (0444): the owner asked for it not to change
        raise FixError("文件为只读，未改写（如确需修改，请先取消只读）")

    def unchanged_since_read() -> None:
        """The last moment before the rename: an editor's save in between would otherwise be lost."""
        try:
            now = os.lstat(path)
        except OSError:
            raise FixError("文件在改写前已被删除或移走，未改写") from None
        if (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) != (
            info.st_dev,
            info.st_ino,
            info.st_size,
            info.st_mtime_ns,
        ):
            raise FixError("文件在改写前又被修改，未改写（请重新运行）")

    try:
        with replacing(
            path,
            stat.S_IMODE(info.st_mode),
            (info.st_uid, info.st_gid),
            suffix=".checker-tmp",
            keep_attributes=True,
            before_rename=unchanged_since_read,
        ) as handle:
            handle.write(data)
    except OSError as exc:
        raise FixError(f"写入失败，原文件未改动：{exc.strerror or exc}") from None


def _not_writable(path: Path) -> str | None:
    """Why --fix will not write through `path`: a symlink, or a symlinked folder in the path as written
    (the rename would land in the folder the link points to, not the one the user named)."""
    if path.is_symlink():
        return "是符号链接，未修改（请对链接指向的文件运行 --fix）"
    parts = path.parent.parts
    for depth in range(1, len(parts) + 1):
        folder = Path(*parts[:depth])
        if folder.is_symlink():
            return f"路径中的目录 {folder} 是符号链接，未修改（请对实际路径运行 --fix）"
    return None
