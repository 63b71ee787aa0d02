"""The files named on the command line, and the files under directories, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location

# files a directory walk never takes as input: checker's own (the waiver file lives beside the ledgers)
NOT_INPUT = frozenset({"checker-waivers.yaml"})


def iter_input_files(
    paths: list[str],
    suffixes: set[str],
    errors: list[CheckerInputError] | None = None,
    skipped: list[str] | None = None,
) -> Iterator[str]:
    """Files named on the command line ("-" is standard input), and files under directories (sorted).

    A missing or unreadable path, or a directory that cannot be listed, is collected in `errors` (when given)
    so the other inputs are still checked.  A file under a directory whose type is not among `suffixes` is
    collected in `skipped` (when given): the report lists it.  Only what is never a document or a ledger is
    passed over without a word: hidden files, Word's ~$ lock files, checker's own waiver file.
    """

    def fail(message: str, where: str) -> None:
        error = CheckerInputError(message, Location(where), code="INPUT-FILE")
        if errors is None:
            raise error
        errors.append(error)

    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield raw
            continue
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # a path under a directory we may not enter
            fail(f"无法访问：{exc.strerror or exc}", raw)
            continue
        if is_dir:
            found: list[str] = []
            passed: list[str] = []

            def unlisted(exc: OSError, top: str = raw) -> None:
                fail(f"无法读取目录：{exc.strerror or exc}", str(exc.filename or top))

            for folder, _dirs, names in os.walk(path, onerror=unlisted):
                for name in names:
                    child = Path(folder) / name
                    if name in NOT_INPUT or name.startswith((".", "~$")):
                        continue
                    if child.suffix.lower() not in suffixes:
                        if skipped is not None and child.is_file():
                            passed.append(str(child))
                        continue
                    if child.is_file():
                        found.append(str(child))
            yield from sorted(found, key=lambda p: Path(p).parts)
            if skipped is not None:
                skipped.extend(sorted(passed, key=lambda p: Path(p).parts))
        elif exists:
            yield raw
        else:
            fail("文件不存在", raw)
