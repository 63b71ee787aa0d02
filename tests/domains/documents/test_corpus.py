"""The linter on real public documents: precision and recall against a careful reading of each one.

corpus/ holds real notices, 批复, 通报, 公告 and 印发/转发 notices from many provinces and levels, saved as their
web pages gave them (SOURCES-*.md names each page), and beside each a reading as a strict 公文 reviewer would do
it (`*.expected.yaml`): the problems in scope that must be flagged, the spans that look like problems but are
right (`must_not`), and the metadata (文号, 发文机关 and its level, 标题, 成文日期, 主送机关).

Printed with `pytest -s`: precision of the findings at warning and above, recall of the problems in scope, per
rule, and how often each piece of metadata is read right.  The targets are asserted.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

CORPUS = Path(__file__).resolve().parent / "corpus"
AS_OF = "2026-11-30"
PRECISION_TARGET, RECALL_TARGET = 0.95, 0.90
META_TARGETS = {
    "doc_number": 0.9,
    "issuer": 0.85,
    "issuer_level": 0.85,
    "title": 0.8,
    "issue_date": 0.9,
    "addressees": 0.8,
}


# Rules about the width of punctuation are scored on the widened copies (corpus/wide/, made by
# scripts/widen_corpus.py): the web pages turned the documents' full-width marks half-width, and a half-width
# colon there is the page's, not the document's.  Every other rule is scored on the pages as published.
WIDE_RULES = frozenset({"DOC-PUNCT-HALFWIDTH"})


def _expectations() -> dict[str, dict]:
    return {
        path.name.removesuffix(".expected.yaml") + ".txt": yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(CORPUS.glob("*.expected.yaml"))
    }


def _lint(texts: list[str], *options: str) -> dict:
    args = ["lint", *texts, "--format", "json", "--no-config", "--as-of", AS_OF, "--fail-on", "never", *options]
    done = subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def report():
    """The pages as published for every rule but WIDE_RULES, and the widened copies for those."""
    published = _lint([str(p) for p in sorted(CORPUS.glob("*.txt"))])
    wide = [
        CORPUS / "wide" / p.name if (CORPUS / "wide" / p.name).exists() else p for p in sorted(CORPUS.glob("*.txt"))
    ]
    widened = _lint([str(p) for p in wide], "--select", ",".join(sorted(WIDE_RULES)))
    published["findings"] = [f for f in published["findings"] if f["rule_id"] not in WIDE_RULES]
    published["findings"] += [f for f in widened["findings"] if f["rule_id"] in WIDE_RULES]
    return published


def _span(lines: list[str], line: int, text: str) -> tuple[int, int] | None:
    if not 1 <= line <= len(lines):
        return None
    col = lines[line - 1].find(text)
    return (col + 1, col + 1 + len(text)) if col >= 0 else None


def _overlaps(finding: dict, span: tuple[int, int] | None) -> bool:
    if span is None or finding.get("column") is None:
        return True
    end = finding.get("end_column") or finding["column"] + 1
    return finding["column"] < span[1] and span[0] < end


def _score(report: dict):
    expected = _expectations()
    by_file: dict[str, list[dict]] = {}
    for f in report["findings"]:
        if f["severity"] in ("error", "warning"):
            by_file.setdefault(Path(f["source"]).name, []).append(f)
    rows = Counter()
    false_positives, misses = [], []
    for name, reading in expected.items():
        lines = (CORPUS / name).read_text(encoding="utf-8").split("\n")
        produced = by_file.get(name, [])
        used = set()
        for e in reading.get("findings") or []:
            rows[(e["rule"], "expected")] += 1
            span = _span(lines, e["line"], str(e["text"]))
            match = next(
                (
                    i
                    for i, f in enumerate(produced)
                    if i not in used and f["rule_id"] == e["rule"] and f["line"] == e["line"] and _overlaps(f, span)
                ),
                None,
            )
            if match is None:
                misses.append(f"{name}:{e['line']} {e['rule']} “{e['text']}”")
                continue
            used.add(match)
            rows[(e["rule"], "tp")] += 1
        for i, f in enumerate(produced):
            rows[(f["rule_id"], "found")] += 1
            if i not in used:
                rows[(f["rule_id"], "fp")] += 1
                false_positives.append(f"{name}:{f['line']}:{f.get('column')} {f['rule_id']} {f['message']}")
    return rows, false_positives, misses


def _meta_score(report: dict):
    documents = {Path(d["source"]).name: d for d in report["documents"]}
    right, total, wrong = Counter(), Counter(), []
    for name, reading in _expectations().items():
        meta = reading.get("meta") or {}
        got = documents.get(name)
        assert got is not None, f"{name}: no documents entry"
        for field in META_TARGETS:
            if field == "issuer":
                issuers = meta.get("issuers") or []
                want = (issuers[0]["text"], issuers[0]["line"]) if issuers else None
                have = (got["issuer"], got["issuer_line"]) if got["issuer"] else None
                if want and have and want[0].replace(" ", "") != have[0].replace(" ", ""):
                    # the 文件 header and the signature are both the issuer; the text must match one of them
                    have_all = [(i["text"], i["line"]) for i in got["issuers"]]
                    if any(t.replace(" ", "") == want[0].replace(" ", "") for t, _ in have_all):
                        have = want
                same = (want is None) == (have is None) and (
                    want is None or want[0].replace(" ", "") == have[0].replace(" ", "")
                )
            elif field == "issuer_level":
                want, have = meta.get("issuer_level"), got["issuer_level"]
                same = want == have
            else:
                item = meta.get(field)
                want = _norm(item["text"]) if item else None
                have = _norm(got[field]) if got[field] else None
                same = want == have
                if field == "title" and want and have and not same:
                    # GB/T 9704 puts the issuer's name in the title, and a red head above a 关于… line may be read
                    # as either: the same title with or without the issuer's name in front is the same title
                    issuer = _norm(got["issuer"] or "")
                    same = bool(issuer) and (have == issuer + want or want == issuer + have)
            total[field] += 1
            right[field] += same
            if not same:
                wrong.append(f"{name} {field}: want {want!r}, got {have!r}")
    return right, total, wrong


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", str(text))


def test_the_corpus_is_large_and_varied():
    expected = _expectations()
    assert len(expected) >= 40
    assert all((CORPUS / name).is_file() for name in expected)
    levels = Counter((e.get("meta") or {}).get("issuer_level") for e in expected.values())
    assert {"province", "city", "county", "district"} <= set(levels)
    sources = "".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("SOURCES-*.md"))
    assert all(name in sources for name in expected)  # every document names the page it came from


def test_precision_and_recall_on_real_documents(report):
    rows, false_positives, misses = _score(report)
    rules = sorted({rule for rule, _ in rows})
    tp = sum(rows[(r, "tp")] for r in rules)
    found = sum(rows[(r, "found")] for r in rules)
    expected = sum(rows[(r, "expected")] for r in rules)
    precision = tp / found if found else 1.0
    recall = tp / expected if expected else 1.0
    print(
        f"\ncorpus: {len(_expectations())} documents; precision {precision:.1%} ({tp}/{found}), recall {recall:.1%} ({tp}/{expected})"
    )
    print(f"{'rule':28} {'expected':>8} {'found':>6} {'tp':>4} {'fp':>4}")
    for r in rules:
        print(f"{r:28} {rows[(r, 'expected')]:>8} {rows[(r, 'found')]:>6} {rows[(r, 'tp')]:>4} {rows[(r, 'fp')]:>4}")
    for line in false_positives:
        print("  false positive:", line)
    for line in misses:
        print("  missed:", line)
    assert precision >= PRECISION_TARGET, false_positives
    assert recall >= RECALL_TARGET, misses


def test_metadata_is_read_as_a_reviewer_reads_it(report):
    right, total, wrong = _meta_score(report)
    print()
    for field in META_TARGETS:
        print(f"{field:14} {right[field]}/{total[field]} = {right[field] / total[field]:.0%}")
    for line in wrong:
        print("  ", line)
    for field, target in META_TARGETS.items():
        assert right[field] / total[field] >= target, [w for w in wrong if f" {field}:" in w]


def test_the_widened_copies_are_the_originals_with_only_their_web_punctuation_widened():
    sys.path.insert(0, str(ROOT / "scripts"))
    from widen_corpus import WIDE, widen

    originals = sorted(CORPUS.glob("*.txt"))
    for path in originals:
        original = path.read_text(encoding="utf-8")
        copy = CORPUS / "wide" / path.name
        expected = widen(original)
        if expected == original:
            assert not copy.exists()
            continue
        wide = copy.read_text(encoding="utf-8")
        assert wide == expected, f"{copy} is stale: run python scripts/widen_corpus.py"
        assert len(wide) == len(original)
        assert all(a == b or WIDE.get(a) == b for a, b in zip(original, wide))
