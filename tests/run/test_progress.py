"""The progress bar counts records, so one large ledger moves it too (not one step per file or range)."""

from __future__ import annotations

from datetime import date

import pytest

from checker.run.pipeline import run
from checker.run.tasks import estimate_records
from tests.conftest import EXAMPLES, write


class Recorder:
    """What the pipeline tells a progress bar (cli._Progress has the same four calls)."""

    def __init__(self):
        self.total = None
        self.ticks = 0
        self.reached: list[int] = []
        self.advanced: list[int] = []

    def start(self, total):
        self.total = total

    def tick(self):
        self.ticks += 1

    def advance(self, records):
        self.advanced.append(records)

    def reach(self, count):
        self.reached.append(count)


def _ledger(tmp_path, rows: int):
    lines = ["编号,项目名称,建筑类别,投资类型,建筑面积,装配率,竣工验收日期"]
    lines += [f"P{i},项目{i},商住建筑,社会投资,25000,35%,2022-06-30" for i in range(rows)]
    return write(tmp_path / "big.csv", "\n".join(lines) + "\n")


def test_one_large_file_moves_the_bar_record_by_record(tmp_path, book, python_eval):
    ledger = _ledger(tmp_path, 500)
    progress = Recorder()
    run([str(ledger)], book, python_eval, date(2024, 12, 1), progress=progress)
    assert progress.total == 500 and progress.ticks == 500 and progress.reached == [500]


@pytest.mark.parametrize("path", ["approvals.csv", "ledger.xlsx", "documents/clean-county-notice.txt"])
def test_estimates(path):
    expected = {"approvals.csv": 30, "ledger.xlsx": 16, "documents/clean-county-notice.txt": 1}[path]
    assert estimate_records(str(EXAMPLES / path)) == expected


def test_with_jobs_each_range_advances_by_its_records(tmp_path, book, monkeypatch):
    import checker.run.tasks as tasks_module

    monkeypatch.setattr(tasks_module, "CHUNK_MIN_BYTES", 1)
    ledger = _ledger(tmp_path, 400)
    progress = Recorder()
    run([str(ledger), str(EXAMPLES / "approvals.csv")], book, None, date(2024, 12, 1), jobs=2, progress=progress)
    assert progress.total == 430
    assert sum(progress.advanced) == 430 and len(progress.advanced) > 2  # ranges, not one step per file
    assert progress.reached == [400, 430]
