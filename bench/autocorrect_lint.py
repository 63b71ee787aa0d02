"""autocorrect-py over a folder of documents: the peer `checker lint`'s documents/s is measured against.

    python bench/autocorrect_lint.py DIR [--output OUT.jsonl]

Reads every .txt under DIR (sorted) as UTF-8 and lints it with autocorrect-py (CJK spacing and punctuation, a
Rust core), one JSON line per document with its number of findings.  The whole process is timed, start-up
included, as `checker lint DIR` is.  autocorrect-py is optional (`pip install -e .[bench]`); the benchmark
skips the figure with a note when it is not installed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import autocorrect_py


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="autocorrect-py lint of a folder (benchmark peer)")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    out = sys.stdout if args.output is None else args.output.open("w", encoding="utf-8")
    try:
        for path in sorted(args.directory.rglob("*.txt")):
            result = autocorrect_py.lint_for(path.read_text(encoding="utf-8"), str(path))
            out.write(json.dumps({"file": path.name, "findings": len(result.lines)}, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
