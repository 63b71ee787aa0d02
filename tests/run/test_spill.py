"""A run that writes its findings to disk (run.spill) reports exactly what one holding them all reports."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.values import compact_json
from checker.run.findings import Finding
from checker.run.result import RunResult
from checker.run.spill import FindingSpill
from tests.conftest import EXAMPLES, write

_FINDING = st.tuples(
    st.sampled_from(["a.csv", "b.csv", "a.csv#表2"]),
    st.integers(0, 6),  # record index (0: no record)
    st.sampled_from([None, "P1"]),  # record id
    st.sampled_from([None, 1, 2, 9]),  # line
    st.sampled_from(["error", "warning", "info"]),
    st.sampled_from(["R-A", "R-B", "INPUT-X"]),
    st.sampled_from([None, "waived"]),
)


def _findings(specs) -> list[Finding]:
    out = []
    for n, (source, index, record_id, line, severity, rule, waived) in enumerate(specs):
        finding = Finding(
            rule_id=rule,
            category="input",
            severity=severity,
            source=source,
            record_id=record_id,
            message=f"第{n}条",  # every finding tells apart, so any misplacement shows
            citation="c",
            line=line,
            record_index=index,
        )
        if waived:
            finding.waiver = {"reason": "批准"}
        out.append(finding)
    return out


def _in_memory(findings: list[Finding]) -> list[str]:
    result = RunResult(as_of=date(2025, 1, 1), book=None, evaluator="python", findings=list(findings))
    result.sort()
    return [compact_json(f.to_json()) for f in result.findings]


@settings(max_examples=150, deadline=None)
@given(st.lists(_FINDING, max_size=60), st.randoms(use_true_random=False))
def test_batches_of_whole_records_in_any_order_give_the_report_order(specs, rnd):
    """Records are never split over batches, but a later batch may hold earlier records (a worker's range);
    findings with a line and no record (record 0) come in any batch."""
    findings = _findings(specs)
    records: dict[tuple, list[Finding]] = {}
    own, unplaced = [], []
    for f in findings:
        if f.file_level:
            own.append(f)
        elif f.record_index == 0:  # a line but no record: each range of a file may report its own
            unplaced.append(f)
        else:
            records.setdefault((f.source, f.record_index), []).append(f)
    groups = list(records.values())
    rnd.shuffle(groups)
    at = 0
    for f in unplaced:  # anywhere among the records, but in the order they came (as a run appends them)
        at = rnd.randint(at, len(groups))
        groups.insert(at, [f])
        at += 1
    spill = FindingSpill(settle=lambda batch: batch)
    while groups:
        size = rnd.randint(1, len(groups))
        spill.take([f for group in groups[:size] for f in group])
        groups = groups[size:]
    spill.take(own)  # a file's own findings, in the order they came
    assert list(spill.texts()) == _in_memory(findings)
    assert spill.counts == {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    assert spill.waived == sum(f.waived for f in findings)
    assert spill.worst_counting == max((f.rank for f in findings if f.counts), default=0)


def test_report_order_puts_the_most_severe_record_first_and_a_files_own_findings_before_it():
    found = _findings(
        [
            ("a.csv", 1, "P1", 2, "info", "R-A", None),
            ("a.csv", 2, "P2", 3, "warning", "R-B", None),
            ("a.csv", 2, "P2", 3, "info", "R-A", None),
            ("a.csv", 0, None, None, "info", "INPUT-X", None),  # the file's own
            ("a.csv", 3, "P3", 4, "info", "R-B", None),
        ]
    )
    spill = FindingSpill(settle=lambda batch: batch)
    spill.take(found[:3])
    spill.take(found[3:])
    assert [json.loads(t)["message"] for t in spill.texts()] == ["第3条", "第1条", "第2条", "第0条", "第4条"]


def _ledger(tmp_path, rows: int):
    lines = ["编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期"]
    pick = random.Random(7)
    for i in range(rows):
        category = pick.choice(["住宅", "公共建筑", "商住"])
        investment = pick.choice(["政府投资", "社会投资"])
        if i % 10 == 3:  # a government building below the mandate: PREFAB-MANDATE-GOV (L3 is waived)
            lines.append(f"L{i},项目{i},公共建筑,政府投资,20000,30%,")
            continue
        lines.append(
            f"L{i % (rows - 3)},项目{i},{category},{investment},{pick.randint(800, 90000)},{pick.randint(5, 80)}%,"
        )
    return write(tmp_path / "ledger.csv", "\n".join(lines) + "\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_spilled_json_report_is_byte_for_byte_the_held_one(cli, tmp_path, monkeypatch, jobs):
    """A ledger with repeated ids, approvals and documents (inline waivers among them), a waiver file (one
    waiver used, one expired, one unused) and --ignore: the same report, summary and exit code whether the
    findings stayed in memory or went to disk three at a time."""
    import checker.run.result as result_module
    import checker.run.spill as spill_module
    import checker.run.tasks as tasks_module

    monkeypatch.setattr(tasks_module, "CHUNK_MIN_BYTES", 1)
    ledger = _ledger(tmp_path, 400)
    notice = (EXAMPLES / "documents" / "forwarded-city-copy.txt").read_text(encoding="utf-8")
    marker = '<!-- checker: waive DOC-ISSUER-AGENCY reason="照录上级原文" approver="李" expires=2030-01-01 -->\n'
    write(tmp_path / "docs" / "n.md", notice.replace("一、各单位要按照", marker + "一、各单位要按照"))
    waivers = write(
        tmp_path / "checker-waivers.yaml",
        yaml.safe_dump(
            {
                "waivers": [
                    {
                        "rule": "PREFAB-MANDATE-GOV",
                        "record": "L3",
                        "reason": "批准",
                        "approver": "王",
                        "expires": "2099-01-01",
                    },
                    {
                        "rule": "PREFAB-MANDATE-GOV",
                        "record": "L4",
                        "reason": "旧",
                        "approver": "王",
                        "expires": "2020-01-01",
                    },
                    {
                        "rule": "PREFAB-MANDATE-GOV",
                        "record": "无此项",
                        "reason": "错",
                        "approver": "王",
                        "expires": "2099-01-01",
                    },
                ]
            },
            allow_unicode=True,
        ),
    )
    args = [
        "check",
        ledger,
        EXAMPLES / "approvals.csv",
        EXAMPLES / "documents",
        tmp_path / "docs",
        "--waivers",
        waivers,
        "--ignore",
        "INPUT-UNKNOWN-COLUMN",
        "--format",
        "json",
        "--as-of",
        "2025-11-25",
        "--no-config",
        "--jobs",
        jobs,
    ]
    held = cli(*args)
    taken = []
    original_take = spill_module.FindingSpill.take

    def take(self, findings, settled=False):
        taken.append(len(findings))
        return original_take(self, findings, settled)

    monkeypatch.setattr(spill_module.FindingSpill, "take", take)
    monkeypatch.setattr(result_module, "HELD_FINDINGS", 3)
    spilled = cli(*args)
    assert (spilled.code, spilled.out, spilled.err) == (held.code, held.out, held.err)
    report = held.json()
    assert len(taken) > 10 and sum(taken) >= len(report["findings"])
    assert held.code == 2  # the repeated ids are input errors
    waived = [(f["rule_id"], f["record_id"], f["line"]) for f in report["findings"] if f["waived"]]
    assert waived == [("DOC-ISSUER-AGENCY", "n.md", 12), ("PREFAB-MANDATE-GOV", "L3", 5)]
    assert report["summary"]["waived"] == 2
    rules = [f["rule_id"] for f in report["findings"]]
    assert rules.count("WAIVER-EXPIRED") == 1 and rules.count("WAIVER-UNUSED") == 1
    assert "INPUT-UNKNOWN-COLUMN" not in rules and rules.count("INPUT-DUPLICATE-ID") == 3


def test_exit_code_comes_from_findings_on_disk(cli, tmp_path, monkeypatch):
    """--fail-on reads what the spill counted: a warning written to disk still fails the run."""
    import checker.run.result as result_module

    monkeypatch.setattr(result_module, "HELD_FINDINGS", 1)
    ledger = write(
        tmp_path / "p.csv",
        "编号,项目名称,建筑类别,投资类型,建筑面积,装配率\nW1,县医院,公共建筑,政府投资,20000,30%\n"
        "W2,县学校,公共建筑,政府投资,20000,60%\n",
    )
    args = ["check", ledger, "--format", "json", "--as-of", "2025-06-01", "--no-config"]
    failing = cli(*args, "--fail-on", "warning")
    assert failing.code == 1 and failing.json()["summary"]["findings"]["warning"] >= 1
    assert cli(*args, "--fail-on", "error").code == 0


def test_a_full_temporary_directory_is_one_line_and_exit_2(cli, tmp_path, monkeypatch):
    """No space for the findings on disk: the user's to fix (TMPDIR), said in one line, not an internal error."""
    import tempfile

    import checker.run.result as result_module

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(result_module, "HELD_FINDINGS", 1)
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    ledger = write(
        tmp_path / "p.csv",
        "编号,项目名称,建筑类别,投资类型,建筑面积,装配率\nW1,县医院,公共建筑,政府投资,20000,30%\n"
        "W2,县学校,公共建筑,政府投资,20000,30%\n",  # W1's finding is written out before W2 is read
    )
    result = cli("check", ledger, "--format", "json", "--as-of", "2025-06-01", "--no-config")
    assert result.code == 2 and result.out == ""
    assert result.err == (
        f"checker: 临时文件无法写入或读回（{tempfile.gettempdir()}）：[Errno 28] No space left on device；"
        "磁盘已满或目录不可写时，可设置 TMPDIR 指向有空间的目录后重试\n"
    )
