"""Smoke test of the benchmark's input generator (bench/generate.py), at a tiny scale.

The benchmark itself (`python bench/run.py`) is not run here; this checks that
its inputs are what it claims: deterministic for a seed, parseable by checker
without input errors, and with the intended mix — each record breaks exactly
the rules the generator meant it to (checked with the plain-Python evaluator),
most records clean, about one in ten breaking one rule, a few several.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench import generate
from checker.engine.python import PythonEvaluator
from checker.inputs.reader import read_records
from checker.records.normalize import normalize
from checker.rules.loader import load_rulebook, shipped_pack_dirs
from checker.run.facts import to_fact

N_PROJECTS, N_MIXED, N_APPROVALS, N_DOCS = 300, 400, 200, 30


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench") / "data"
    return generate.write_dataset(root, 7, [100, N_PROJECTS], N_MIXED, N_APPROVALS, N_DOCS, labels=True)


@pytest.fixture(scope="module")
def rulebook():
    return load_rulebook(shipped_pack_dirs())


def _finding_hits(book, evaluator, record) -> set[str]:
    """Finding rules (not subsidy windows) that fire on a record."""
    fact = to_fact(record, generate.AS_OF)
    hits: set[str] = set()
    for pack in book.packs_for(record.kind):
        if pack.spec.kind == "subsidy":
            continue
        hits |= {h for h in evaluator.fired(pack, fact, record.kind) if ":" not in h}
    return hits


def _records(path: Path):
    out = []
    for raw in read_records(path):
        record, issues = normalize(raw)
        assert not [i for i in issues if i.severity == "error"], (path.name, raw.index, issues)
        assert record is not None
        out.append(record)
    return out


def test_deterministic_for_a_seed(dataset, tmp_path):
    again = generate.write_dataset(tmp_path / "again", 7, [100, N_PROJECTS], N_MIXED, N_APPROVALS, N_DOCS, labels=True)
    assert again.manifest["digest"] == dataset.manifest["digest"]
    other = generate.write_dataset(tmp_path / "other", 8, [100, N_PROJECTS], N_MIXED, N_APPROVALS, N_DOCS)
    assert other.manifest["digest"] != dataset.manifest["digest"]
    # the smaller ledger is a prefix of the larger one (the memory runs compare like with like)
    small = dataset.projects_csv[100].read_text(encoding="utf-8-sig").splitlines()
    large = dataset.projects_csv[N_PROJECTS].read_text(encoding="utf-8-sig").splitlines()
    assert large[: len(small)] == small


def test_records_parse_and_break_exactly_the_intended_rules(dataset, rulebook):
    labels = dataset.manifest["labels"]
    evaluator = PythonEvaluator(rulebook)
    files = [
        (dataset.projects_csv[N_PROJECTS], "", N_PROJECTS),
        (dataset.approvals_csv, "", N_APPROVALS),
        (dataset.mixed_jsonl, "jsonl:", N_MIXED),
    ]
    for path, prefix, expected in files:
        records = _records(path)
        assert len(records) == expected, path.name
        for record in records:
            assert _finding_hits(rulebook, evaluator, record) == set(labels.get(prefix + record.id, [])), (
                path.name,
                record.id,
            )
    kinds = Counter(r.kind for r in _records(dataset.mixed_jsonl))
    assert kinds["project"] > N_MIXED // 3 and kinds["approval"] > N_MIXED // 3


def test_intended_mix():
    tally = Counter(len(p.breaks) for p in generate.projects(3, 4000))
    assert 0.86 < tally[0] / 4000 < 0.91
    assert 0.08 < tally[1] / 4000 < 0.12
    assert 0.005 < (tally[2] + tally[3]) / 4000 < 0.03
    approvals = Counter(len(a.breaks) for a in generate.mixed(3, 4000, approval_share=1.0))
    assert 0.08 < approvals[1] / 4000 < 0.12 and set(approvals) == {0, 1}
    docs = Counter(len(d.breaks) for d in generate.documents(3, 200))
    assert docs[0] > docs[1] > (docs[2] + docs[3]) > 0


def test_documents_have_realistic_size_and_intended_findings(dataset):
    sizes = [p.stat().st_size for p in dataset.docs_dir.glob("*.txt")]
    assert len(sizes) == N_DOCS
    assert all(5_000 <= s <= 30_000 for s in sizes), sizes
    assert 15_000 < sum(sizes) / len(sizes) < 25_000
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker",
            "lint",
            str(dataset.docs_dir),
            "--format",
            "json",
            "--as-of",
            generate.AS_OF.isoformat(),
            "--engine",
            "python",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    found: dict[str, set[str]] = {}
    for f in json.loads(out.stdout)["findings"]:
        found.setdefault(Path(f["source"]).name, set()).add(f["rule_id"])
    labels = dataset.manifest["labels"]
    for path in dataset.docs_dir.glob("*.txt"):
        assert found.get(path.name, set()) == set(labels[path.name]), path.name
    planted = {r for name in labels if name.startswith("doc") for r in labels[name]}
    assert len(planted) >= 3
    assert any(not labels[p.name] for p in dataset.docs_dir.glob("*.txt"))
