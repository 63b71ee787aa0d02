"""Every bad input in the corpus gives its exact expected outcome, through the command line.

The outcomes live in expected.yaml: exit code, every one-line error (file, line, record, field), which records
were still checked, findings, values read.  Committed files are in corpus/ (make_corpus.py writes them);
large, binary and special files are built in a temporary directory by builders.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from checker.core.limits import limits_overridden
from checker.inputs.reader import read_records
from checker.records.normalize import normalize

from .builders import AS_OF, GENERATORS, bomb_xlsx

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
EXPECTED: dict[str, dict] = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))
ROOT = HERE.parent.parent


def materialize(name: str, spec: dict, directory: Path) -> Path:
    if "generate" in spec:
        path = GENERATORS[spec["generate"]](directory)
        assert path.name == name, "expected.yaml names the file its builder writes"
        return path
    return CORPUS / name


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("checker: 输入错误 ")]


def assert_clean_stderr(stderr: str) -> None:
    """Nothing but one-line `checker:` messages: no traceback, no raw control character."""
    assert "Traceback" not in stderr
    assert all(line.startswith("checker: ") for line in stderr.splitlines()), stderr
    assert not any(ch in stderr for ch in "\x1b\x07\x00\x9b"), repr(stderr)


def test_corpus_is_complete_and_small():
    committed = sorted(p.name for p in CORPUS.iterdir())
    described = sorted(name for name, spec in EXPECTED.items() if "generate" not in spec)
    assert committed == described, "every committed file has an expected outcome, and every outcome a file"
    assert len(EXPECTED) >= 40
    assert all(p.stat().st_size < 20_000 for p in CORPUS.iterdir())
    assert {spec["generate"] for spec in EXPECTED.values() if "generate" in spec} <= set(GENERATORS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name, cli, tmp_path):
    spec = EXPECTED[name]
    path = materialize(name, spec, tmp_path)
    command = spec.get("command", "check")
    started = time.monotonic()
    with limits_overridden(**spec.get("limits", {})):
        result = cli(command, path, "--format", "json", "--as-of", AS_OF)
    elapsed = time.monotonic() - started

    assert result.code == spec["exit"], result.err
    assert_clean_stderr(result.err)
    assert error_lines(result.err) == [f"checker: 输入错误 {path}{fragment}" for fragment in spec["errors"]]
    doc = result.json()
    assert doc["errors"] == [line.removeprefix("checker: 输入错误 ") for line in error_lines(result.err)]
    checked = [s["record_id"] for s in doc["subsidies"]] + [a["record_id"] for a in doc["approvals"]]
    if "checked" in spec:
        assert checked == [str(i) for i in spec["checked"]]
    assert doc["summary"]["records_checked"] == spec.get("records", len(spec.get("checked", [])))
    others = [
        [f["rule_id"], f["line"], f["column"]]
        for f in doc["findings"]
        if not (f["category"] == "input" and f["severity"] == "error")
    ]
    assert others == spec.get("findings", [])
    if "seconds" in spec:
        assert elapsed < spec["seconds"], f"{name} took {elapsed:.2f}s"
    if "values" in spec:
        with limits_overridden(**spec.get("limits", {})):
            records = {}
            try:
                for raw in read_records(path):
                    record, _ = normalize(raw)
                    if record is not None:
                        records.setdefault(record.id, record)
            except Exception as exc:
                assert type(exc).__name__ == "CheckerInputError"
        for record_id, fields in spec["values"].items():
            for field_name, value in fields.items():
                assert getattr(records[str(record_id)], field_name) == value, (record_id, field_name)


def test_nothing_in_a_file_is_executed_or_fetched(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("check", CORPUS / "yaml-python-tag.yaml", CORPUS / "yaml-custom-tag.yaml", "--format", "json")
    assert result.code == 2 and not (tmp_path / "checker-pwned").exists()
    assert list(tmp_path.iterdir()) == []
    xxe = GENERATORS["external_entity_xlsx"](tmp_path)
    result = cli("check", xxe, "--format", "json", "--as-of", AS_OF)
    assert "root:" not in result.out + result.err  # /etc/passwd was never read into a value


def test_zip_bomb_is_refused_before_openpyxl_opens_it(cli, tmp_path, monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not be reached")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    path = bomb_xlsx(tmp_path, padding_mib=4096 - 1)  # declares 4 GiB - 1 MiB: the largest without zip64
    started = time.monotonic()
    result = cli("check", path, "--format", "json")
    assert time.monotonic() - started < 1
    assert result.code == 2 and "疑似压缩炸弹" in result.err and "4 GiB" in result.err


def test_whole_corpus_in_one_run(cli):
    """All committed files in one `check` run: each file's errors exactly as alone, every good record checked."""
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in CORPUS.iterdir()}
    result = cli("check", CORPUS, "--format", "json", "--as-of", AS_OF)
    assert result.code == 2
    assert_clean_stderr(result.err)
    walked = {Path(p).name for p in result.json()["files"]}
    assert walked == {p.name for p in CORPUS.iterdir() if p.suffix not in (".xls",)}
    expected = Counter(
        f"checker: 输入错误 {CORPUS / name}{fragment}"
        for name, spec in EXPECTED.items()
        if name in walked
        for fragment in spec["errors"]
    )
    assert Counter(error_lines(result.err)) == expected
    records = sum(
        spec.get("records", len(spec.get("checked", []))) for name, spec in EXPECTED.items() if name in walked
    )
    assert result.json()["summary"]["records_checked"] == records
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in CORPUS.iterdir()}
    assert after == before  # reading never modifies an input


SUBPROCESS_FILES = [
    "yaml-alias-bomb.yaml",
    "control-chars.csv",
    "binary.csv",
    "csv-truncated-quote.csv",
    "numbers.json",
    "gbk.csv",
]


def test_real_process_no_traceback(tmp_path):
    """`python -m checker` on the nastiest inputs at once: one line per problem, exit 2, no traceback."""
    files = [str(CORPUS / name) for name in SUBPROCESS_FILES]
    files += [str(GENERATORS[name](tmp_path)) for name in ("zip_bomb_xlsx", "deep_json", "fifo_csv", "no_styles_xlsx")]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CHECKER_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "check", *files, "--as-of", AS_OF, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert_clean_stderr(proc.stderr)
    expected = [
        f"checker: 输入错误 {CORPUS / name}{fragment}"
        for name in SUBPROCESS_FILES
        for fragment in EXPECTED[name]["errors"]
    ]
    expected += [
        f"checker: 输入错误 {tmp_path / name}{EXPECTED[name]['errors'][0]}"
        for name in ("zip-bomb.xlsx", "deep-nesting.json", "pipe.csv")
    ]
    assert sorted(error_lines(proc.stderr)) == sorted(expected)
    import json

    doc = json.loads(proc.stdout)
    assert sorted(s["record_id"] for s in doc["subsidies"]) == [
        "C1",
        "C2",
        "G1",
        "G2",
        "J6",
        "K1",
        "K3",
        "K4",
        "K5",
        "K6",
        "K7",
        "K8",
        "R1",
        "R2",
    ]


def test_real_process_text_report_shows_no_control_characters(tmp_path):
    """The terminal report of a ledger with an escape sequence: the sequence never reaches the terminal."""
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "check", str(CORPUS / "control-chars.csv"), "--as-of", AS_OF, "--no-color"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 2
    assert "\x1b" not in proc.stdout + proc.stderr
    assert_clean_stderr(proc.stderr)


def test_stdin_over_the_size_limit(cli, monkeypatch):
    import io

    data = ("新野县人民政府办公室文件\n" * 100).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    with limits_overridden(max_file_bytes=1000):
        result = cli("lint", "-", "--format", "json")
    assert result.code == 2
    assert error_lines(result.err) == [
        "checker: 输入错误 <stdin>: 输入过大（超过 1,000 字节，即 1000 字节），未读取 [INPUT-LIMIT]"
    ]


def test_corpus_copy_still_checks_when_renamed(cli, tmp_path):
    """Outcomes depend on content and extension only (not on the corpus directory)."""
    copy = tmp_path / "副本 with space.csv"
    shutil.copy(CORPUS / "mixed-endings.csv", copy)
    result = cli("check", copy, "--format", "json", "--as-of", AS_OF)
    assert error_lines(result.err) == [
        f"checker: 输入错误 {copy}{fragment}" for fragment in EXPECTED["mixed-endings.csv"]["errors"]
    ]


YAML_FILES = sorted(name for name in EXPECTED if name.endswith(".yaml") and "generate" not in EXPECTED[name])


def _outcome(path):
    """(line, record, field, code) of every problem, and the records read, through checker.inputs + normalize."""
    problems, records = [], []
    try:
        for raw in read_records(path):
            record, issues = normalize(raw)
            problems += [(i.location.line, i.location.record, i.location.field, i.code) for i in issues]
            if record is not None:
                records.append(record.values())
    except Exception as exc:
        assert type(exc).__name__ == "CheckerInputError", exc
        problems.append((exc.location.line, exc.location.record, exc.location.field, exc.code))
    return problems, records


@pytest.mark.parametrize("name", YAML_FILES)
def test_pure_python_yaml_loader_agrees_with_libyaml(name, monkeypatch):
    """Without libyaml, the pure-Python loader gives the same records and the same problems at the same places."""
    import checker.inputs.yamlfile as load

    if load._YAML_LOADER is load._LineSafeLoader:
        pytest.skip("PyYAML without libyaml: only the pure-Python loader exists")
    fast = _outcome(CORPUS / name)
    monkeypatch.setattr(load, "_YAML_LOADER", load._LineSafeLoader)
    assert _outcome(CORPUS / name) == fast
