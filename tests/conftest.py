"""Shared fixtures: the shipped rule book, both evaluators, a CLI runner, a pack writer."""

from __future__ import annotations

import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from checker.cli import main
from checker.domains import install
from checker.engine.durable import DurableEvaluator
from checker.engine.python import PythonEvaluator
from checker.rules.loader import load_rulebook

install()  # the domains, before any test looks up a record kind or loads rules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Tests write rule books and packs of their own: keep them out of the user's ~/.cache/checker."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(autouse=True)
def _default_calendar():
    """A run with --calendar files counts with them from then on (process-wide, as the limits): not past a test."""
    yield
    from checker.domains.approvals.workdays import use_calendar

    use_calendar(None)


@pytest.fixture(scope="session")
def book():
    return load_rulebook()


@pytest.fixture(scope="session")
def durable(book):
    return DurableEvaluator(book)


@pytest.fixture(scope="session")
def python_eval(book):
    return PythonEvaluator(book)


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):
    def run(*args: str) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def build(kind: str, source: str = "t", **values):
    """A record of `kind` built from field values the way input is: through normalize (so "50" becomes 50.0)."""
    from checker.records.normalize import normalize
    from checker.records.raw import RawRecord

    record, issues = normalize(RawRecord(source, kind, 1, None, dict(values)))
    errors = [i.one_line() for i in issues if i.severity == "error"]
    assert record is not None and not errors, errors
    return record


def fresh_kept_table(monkeypatch, tmp_path: Path, module, name: str):
    """`module.<name>` (a cache.KeptTable) replaced, for one test, by an empty one whose file is under `tmp_path`."""
    from checker.core.cache import KeptTable

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CHECKER_NO_CACHE", raising=False)
    kept = getattr(module, name)
    fresh = KeptTable(kept.kind, kept.key, kept.limit)
    monkeypatch.setattr(module, name, fresh)
    return fresh


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
    return path


def _shipped_categories() -> dict[str, str]:
    from checker.rules.loader import shipped_pack_dirs

    out: dict[str, str] = {}
    for directory in shipped_pack_dirs():
        for pack in sorted(directory.glob("*/pack.yaml")):
            out.update(yaml.safe_load(pack.read_text(encoding="utf-8")).get("categories", {}))
    return out


SHIPPED_CATEGORIES = _shipped_categories()


@pytest.fixture
def make_pack(tmp_path):
    """Write a findings pack of the given rule mappings to a fresh directory and return the dir."""
    counter = {"n": 0}

    def make(
        rules: list[dict], pack_id: str = "test-pack", kind: str = "findings", applies_to: str = "project", **pack_extra
    ) -> Path:
        counter["n"] += 1
        directory = tmp_path / f"rules{counter['n']}" / pack_id
        directory.mkdir(parents=True)
        full_rules = [{"category": "prefab-mandate", **rule} for rule in rules]
        # the shipped packs' vocabulary (a test's unknown category stays undeclared, as in a careless pack)
        shipped = SHIPPED_CATEGORIES
        categories = {r["category"]: shipped[r["category"]] for r in full_rules if r["category"] in shipped}
        pack = {
            "id": pack_id,
            "title": "测试规则包",
            "version": "0.0.1",
            "kind": kind,
            "applies_to": applies_to,
            "categories": categories,
            **pack_extra,
        }
        (directory / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
        for rule in rules:
            full = {
                "title": "测试规则",
                "category": "prefab-mandate",
                "severity": "warning",
                "citation": {"document": "测试文件", "kind": "summary", "text": "测试条文"},
                "message": "测试消息",
                **rule,
            }
            (directory / f"{rule['id']}.yaml").write_text(yaml.safe_dump(full, allow_unicode=True), encoding="utf-8")
        return directory

    return make
