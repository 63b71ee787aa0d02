"""Two threads using the public API at once get the results each would get alone.

One DurableEvaluator is shared (it serializes evaluations with its lock); the readers keep no shared state
between calls.  Each thread runs `checker.run.pipeline.run` on different inputs, several times, started together.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from checker.inputs.reader import read_records
from checker.records.normalize import normalize
from checker.run.pipeline import run
from tests.conftest import EXAMPLES

CORPUS = Path(__file__).resolve().parent / "corpus"
AS_OF = date(2024, 12, 1)

INPUTS = {
    "ledgers": [
        str(EXAMPLES / "ledger.csv"),
        str(EXAMPLES / "ledger.xlsx"),
        str(CORPUS / "numbers.csv"),
        str(CORPUS / "yaml-dates.yaml"),
        str(CORPUS / "mixed-endings.csv"),
    ],
    "approvals": [
        str(EXAMPLES / "approvals.csv"),
        str(CORPUS / "approvals-bad.csv"),
        str(CORPUS / "control-chars.csv"),
    ],
    "documents": [
        str(EXAMPLES / "documents"),
        str(CORPUS / "gbk.txt"),
        str(CORPUS / "mixed-endings.txt"),
        str(CORPUS / "control-chars.txt"),
    ],
}


def outcome(result) -> dict:
    """Everything a report is made of, as plain values."""
    return {
        "errors": list(result.errors),
        "records_checked": result.records_checked,
        "findings": [
            (f.rule_id, f.source, f.record_id, f.line, f.column, f.message, f.evidence) for f in result.findings
        ],
        "subsidies": [(s.record.id, s.status, s.amount_yuan) for s in result.sections["subsidies"]],
        "approvals": [(a.record.id, a.verdict, a.days) for a in result.sections["approvals"]],
    }


def run_in_threads(jobs: dict, repeat: int) -> dict[str, list]:
    barrier = threading.Barrier(len(jobs))
    results: dict[str, list] = {name: [] for name in jobs}
    failures: list[BaseException] = []

    def work(name, job):
        try:
            barrier.wait()
            for _ in range(repeat):
                results[name].append(job())
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(name, job)) for name, job in jobs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    assert not any(t.is_alive() for t in threads)
    return results


def test_two_threads_share_one_durable_evaluator(book, durable):
    alone = {name: outcome(run(paths, book, durable, AS_OF)) for name, paths in INPUTS.items()}
    assert alone["ledgers"]["subsidies"] and alone["approvals"]["approvals"] and alone["documents"]["findings"]
    assert all(alone[name]["errors"] for name in alone)  # every input list mixes good and bad records
    pairs = [("ledgers", "approvals"), ("approvals", "documents"), ("documents", "ledgers")]
    for first, second in pairs:
        jobs = {
            name: (lambda paths=INPUTS[name]: outcome(run(paths, book, durable, AS_OF))) for name in (first, second)
        }
        results = run_in_threads(jobs, repeat=3)
        for name, outcomes in results.items():
            assert outcomes == [alone[name]] * 3, name


def test_threads_reading_records_at_once(tmp_path):
    """The loaders (YAML with libyaml, CSV with its global field limit, xlsx) called from several threads."""
    files = [
        CORPUS / "numbers.yaml",
        CORPUS / "dates.csv",
        EXAMPLES / "ledger.xlsx",
        CORPUS / "numbers.json",
        CORPUS / "jsonl-bad-lines.jsonl",
    ]

    def read(path):
        out = []
        for raw in read_records(path):
            record, issues = normalize(raw)
            out.append((raw.line, record.values() if record else None, [i.one_line() for i in issues]))
        return out

    alone = {str(p): read(p) for p in files}
    jobs = {str(p): (lambda p=p: read(p)) for p in files}
    results = run_in_threads(jobs, repeat=5)
    for name, outcomes in results.items():
        assert outcomes == [alone[name]] * 5, name
