"""Golden outputs: every command on the shipped examples, in every format, with one and two processes.

The restructuring of the package must not change what users see; these files pin it byte for byte.
Only what legitimately varies is masked: the rule-set digest (it changes whenever a rule file's bytes do),
the checkout's absolute path and the installed chinesecalendar version.  Regenerate after an intended change with

    CHECKER_UPDATE_GOLDEN=1 pytest tests/golden

and review the diff like any other change.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).resolve().parent / "expected"
AS_OF = ("--as-of", "2025-11-25")
FORMATS = ("text", "json", "sarif", "junit", "html")

RUNS: dict[str, tuple[str, ...]] = {
    "check": ("check", "examples/"),
    "subsidy": ("subsidy", "examples/ledger.xlsx", "examples/ledger.csv"),
    "approvals": ("approvals", "examples/approvals.xlsx", "examples/approvals.csv", "examples/ledger.xlsx"),
    "lint": ("lint", "examples/documents/"),
}
EXTRA: dict[str, tuple[str, ...]] = {
    "explain-prefab-mandate-gov.text": ("explain", "PREFAB-MANDATE-GOV", "examples/ledger.csv", *AS_OF),
    "explain-one-day-late.json": ("explain", "ONE-DAY-LATE", "examples/approvals.csv", "--format", "json", *AS_OF),
    "explain-doc-issuer-self.text": ("explain", "DOC-ISSUER-SELF", "examples/documents/", *AS_OF),
    "explain-approval-item.json": (
        "explain",
        "ONE-DAY-PROMISED",
        "examples/approvals.xlsx",
        "--format",
        "json",
        *AS_OF,
    ),
    "lint-quiet.text": ("lint", "examples/documents/", "-q", *AS_OF),
    "lint-diff.text": ("lint", "examples/documents/", "--diff", *AS_OF),
    "check-select.json": (
        "check",
        "examples/",
        "--select",
        "DOC-*,one-day-handling",
        "--ignore",
        "DOC-META-TITLE",
        "--format",
        "json",
        *AS_OF,
    ),
    "test-rules.text": ("test-rules",),
}


def _cases() -> list[tuple[str, tuple[str, ...]]]:
    cases = []
    for name, args in RUNS.items():
        for fmt in FORMATS:
            for jobs in (1, 2):
                cases.append((f"{name}.jobs{jobs}.{fmt}", (*args, "--format", fmt, "--jobs", str(jobs), *AS_OF)))
    cases.extend(EXTRA.items())
    return cases


_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")
_PACKAGE_CALENDAR = re.compile(r"chinesecalendar \d+(?:\.\d+)+")  # the installed version names its counts
_SHORT_DIGEST = re.compile(r"(规则包 \d+ 个、规则 \d+ 条（|规则 )[0-9a-f]{12}(）| ·)")


def _masked(text: str) -> str:
    text = text.replace(str(ROOT), "<ROOT>")
    text = _DIGEST.sub("<DIGEST>", text)
    text = _PACKAGE_CALENDAR.sub("chinesecalendar <VERSION>", text)
    return _SHORT_DIGEST.sub(lambda m: f"{m.group(1)}<DIGEST12>{m.group(2)}", text)


@pytest.mark.parametrize(("name", "args"), _cases(), ids=[name for name, _ in _cases()])
def test_golden_output(name, args, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main([*args, "--no-config"] if args[0] != "test-rules" else list(args))
    captured = capsys.readouterr()
    got = f"exit {code}\n--- stdout\n{_masked(captured.out)}--- stderr\n{_masked(captured.err)}"
    path = EXPECTED / f"{name}.out"
    # --jobs 2 must print what --jobs 1 prints: its own file exists only where it (still) does not
    single = EXPECTED / f"{name.replace('.jobs2.', '.jobs1.')}.out"
    if os.environ.get("CHECKER_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path != single and single.is_file() and single.read_text(encoding="utf-8") == got:
            path.unlink(missing_ok=True)
        else:
            path.write_text(got, encoding="utf-8")
    if not path.is_file():
        path = single
    assert path.is_file(), f"no golden file {path.name}: run with CHECKER_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert got == expected, f"{name}: output differs from {path}"
