"""The code is formatted and linted by ruff as pyproject.toml configures it (part of the one test command)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

TREES = ["checker", "tests", "bench", "scripts"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    ruff = str(Path(sys.executable).parent / "ruff")  # the one the test extra installed next to this Python
    if not Path(ruff).exists():
        ruff = shutil.which("ruff") or ruff
    return subprocess.run([ruff, *args, *TREES], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_is_clean():
    done = _ruff("check", "--output-format", "concise")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]


def test_ruff_format_is_applied():
    done = _ruff("format", "--check")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
