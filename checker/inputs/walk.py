"""The files named on the command line, and the files under directories, in a stable order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location


def iter_input_files(
    paths: list[str], suffixes: set[str], errors: list[CheckerInputError] | None = None
) -> Iterator[str]:
    """Files named on the command line ("-" is standard input), and files under directories (sorted).

    A missing path is collected in `errors` (when given) so the other inputs are still checked.
    """
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield raw
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in suffixes and not child.name.startswith((".", "~$")):
                    yield str(child)
        elif path.exists():
            yield raw
        else:
            error = CheckerInputError("文件不存在", Location(raw), code="INPUT-FILE")
            if errors is None:
                raise error
            errors.append(error)
