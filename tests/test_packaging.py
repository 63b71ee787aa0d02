"""A wheel built from the repository carries the rule packs and data: installed non-editably, every command runs
from any directory.  (Editable installs read the packs from the checkout and could hide a packaging bug.)"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package installed from a freshly built wheel into a directory of its own (dependencies: this env's)."""
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(work / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((work / "dist").glob("checker-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "checker/domains/subsidy/packs/prefab-subsidy/pack.yaml" in names
    assert "checker/domains/documents/data/lexicon/typos.yaml" in names
    assert "checker/domains/approvals/data/calendars/2026.yaml" in names
    target = work / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    return target


def _run(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(installed), XDG_CACHE_HOME=str(cwd / "cache"), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(installed))
    where = subprocess.run(
        [sys.executable, "-c", "import checker; print(checker.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed)


def test_every_command_runs_from_another_directory(installed, tmp_path):
    rules = _run(installed, tmp_path, "rules", "--format", "json")
    assert rules.returncode == 0, rules.stderr
    assert '"id": "SUB-COUNTY-2023"' in rules.stdout and '"id": "DOC-ISSUER-SELF"' in rules.stdout
    runs = {
        "lint": ["lint", str(EXAMPLES / "documents" / "forwarded-city-copy.txt")],
        "subsidy": ["subsidy", str(EXAMPLES / "ledger.csv")],
        "approvals": ["approvals", str(EXAMPLES / "approvals.csv")],
        "check": ["check", str(EXAMPLES)],
    }
    for name, args in runs.items():
        done = _run(installed, tmp_path, *args, "--as-of", "2025-11-25", "--format", "json", "--no-config")
        assert done.returncode in (0, 1), (name, done.stderr)
        assert '"rules_version": "approval-benchmark@' in done.stdout, name
    lint = _run(
        installed,
        tmp_path,
        "lint",
        str(EXAMPLES / "documents" / "forwarded-city-copy.txt"),
        "--as-of",
        "2025-11-25",
        "--no-config",
    )
    assert "error[DOC-ISSUER-SELF]" in lint.stdout and lint.returncode == 1


def test_the_shipped_calendar_files_are_found_installed(installed, tmp_path):
    shown = _run(installed, tmp_path, "calendar", "show", "2026", "--format", "json", "--no-config")
    assert shown.returncode == 0, shown.stderr
    assert '"source": "国务院办公厅关于2026年部分节假日安排的通知（checker 内置日历文件）"' in shown.stdout
