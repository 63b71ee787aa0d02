"""The scaffold for a new document check: what it writes loads, passes its own examples, and finds what it should."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_a_scaffolded_observation_kind_works_end_to_end(tmp_path):
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "checker", copy / "checker", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "tests").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "new_observation.py"),
            "sample_marker",
            "样例标记",
            "--rule",
            "DOC-SAMPLE-MARKER",
            "--category",
            "sample-marker",
            "--pattern",
            "××|【待补】",
            "--title",
            "未填写的占位符",
            "--message",
            "“{raw}”是未填写的占位符",
            "--root",
            str(copy),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    written = {line.split(" ", 1)[1] for line in done.stdout.splitlines() if line.startswith("wrote ")}
    assert written == {
        "checker/domains/documents/observations/sample_marker.py",
        "checker/domains/documents/packs/document-sample-marker/pack.yaml",
        "checker/domains/documents/packs/document-sample-marker/DOC-SAMPLE-MARKER.yaml",
        "tests/domains/documents/observations/test_sample_marker.py",
        "checker/domains/documents/observations/__init__.py",
    }
    env = dict(os.environ, PYTHONPATH=str(copy), XDG_CACHE_HOME=str(tmp_path / "cache"))
    rules = subprocess.run(
        [sys.executable, "-m", "checker", "test-rules", "--no-color"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert rules.returncode == 0, rules.stdout[-2000:] + rules.stderr
    assert "PASS DOC-SAMPLE-MARKER  2 个示例" in rules.stdout
    notice = tmp_path / "n.txt"
    notice.write_text("关于××的通知\n请于【待补】前报送，“××”为示例。\n", encoding="utf-8")
    lint = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker",
            "lint",
            str(notice),
            "--format",
            "json",
            "--no-config",
            "--select",
            "DOC-SAMPLE-MARKER",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    found = [(f["line"], f["column"], f["message"]) for f in json.loads(lint.stdout)["findings"]]
    assert found == [(1, 3, "“××”是未填写的占位符"), (2, 3, "“【待补】”是未填写的占位符")]
