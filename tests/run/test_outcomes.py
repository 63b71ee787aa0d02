"""Outcome lists: spilled to disk as JSON lines and copied back exactly, in order."""

from __future__ import annotations


class _CountingStats:
    """The totals interface a domain's statistics give outcome lists (key, add_key), counting only."""

    def __init__(self):
        self.items = 0

    key = staticmethod(lambda outcome: ())

    def add_key(self, key):
        self.items += 1


def test_spilled_outcomes_are_copied_in_blocks_exactly(monkeypatch):
    """write_joined copies a spill file block by block: separators land between items, never inside one; the
    same from memory, where this process's outcomes stay until they pass `HELD_CHARS`."""
    import io
    import json as _json
    import tempfile

    from checker.run import outcomes as module
    from checker.run.outcomes import Outcomes

    files = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: files.append(real(*a, **k)) or files[-1])

    texts = [
        _json.dumps({"n": i, "name": "行\n" * (i % 7) + "项" * (i % 300)}, ensure_ascii=False, separators=(",", ":"))
        for i in range(3000)
    ]
    for spill, held in ((False, module.HELD_CHARS), (True, module.HELD_CHARS), (True, 5000)):
        monkeypatch.setattr(module, "HELD_CHARS", held)
        files.clear()
        outcomes = Outcomes(_CountingStats(), lambda text: text)
        if spill:
            outcomes.spill()
        outcomes.extend(texts)
        assert len(files) == (held == 5000)  # about 480,000 characters: a file only past a smaller limit
        out = io.StringIO()
        assert outcomes.write_joined(out, ",\n    ") is True
        assert out.getvalue() == ",\n    ".join(texts)
        assert list(outcomes.json_lines()) == texts
        raw = io.BytesIO()
        stream = io.TextIOWrapper(raw, encoding="utf-8")  # a file: spilled bytes are copied as they are
        stream.write("[")
        assert outcomes.write_joined(stream, ",\n    ") is True
        stream.write("]")
        stream.flush()
        assert raw.getvalue().decode("utf-8") == "[" + ",\n    ".join(texts) + "]"
    empty = Outcomes(_CountingStats(), lambda text: text)
    empty.spill()
    assert empty.write_joined(io.StringIO(), ",") is False


class _Outcome:
    def __init__(self, index):
        self.index = index
        self.record = self


def _as_json(outcome) -> str:
    return f'{{"n":{outcome.index}}}'


def _worker(directory, indices):
    """A worker's outcome list for `indices`, spilled into `directory`, as it reaches the parent (by pickle)."""
    import pickle

    from checker.run.outcomes import Outcomes

    part = Outcomes(_CountingStats(), _as_json)
    part.spill(str(directory))
    part.extend(_Outcome(i) for i in indices)
    return pickle.loads(pickle.dumps(part))


def _parent():
    from checker.run.outcomes import Outcomes

    parent = Outcomes(_CountingStats(), _as_json)
    parent.spill()
    return parent


def test_worker_outcome_files_are_taken_over_in_order(tmp_path, monkeypatch):
    """--jobs: the parent takes workers' spill files as segments, between its own, and filters duplicates; of
    its own segments only the newest stays in memory."""
    import io
    import tempfile

    from checker.run import outcomes as module

    monkeypatch.setattr(module, "HELD_CHARS", 20)  # three lines of 7 characters do not fit: a worker's file
    files = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: files.append(real(*a, **k)) or files[-1])
    parent = _parent()
    parent.append(_Outcome(0))
    parent.absorb(_worker(tmp_path, [1, 2, 3]), set())
    assert files == []  # the parent's line 0 is held in memory, before the worker's file
    parent.absorb(_worker(tmp_path, [4, 5, 6]), {5})  # 4 and 6 copied into a new segment of the parent's
    assert len(files) == 1  # ... and the held one moved to disk
    parent.append(_Outcome(7))
    assert len(files) == 2  # 4, 6 and 7 pass HELD_CHARS
    parent.absorb(_worker(tmp_path, [8]), set())
    assert list(parent.json_lines()) == [f'{{"n":{i}}}' for i in (0, 1, 2, 3, 4, 6, 7, 8)]
    out = io.StringIO()
    parent.write_joined(out, ",")
    assert out.getvalue() == ",".join(f'{{"n":{i}}}' for i in (0, 1, 2, 3, 4, 6, 7, 8))
    assert len(parent) == 8


def test_a_worker_writes_a_spill_file_only_past_what_it_holds_in_memory(tmp_path, monkeypatch):
    """A task with a few outcomes (a document) sends them back in its result; a long range spills, and the
    merge keeps the order whichever way each worker's lines arrive."""
    from checker.run import outcomes as module

    monkeypatch.setattr(module, "HELD_CHARS", 20)  # three lines of 7 characters do not fit
    held = _worker(tmp_path, [1, 2])
    assert list(tmp_path.iterdir()) == []  # held in memory: no file
    spilled = _worker(tmp_path, [3, 4, 5, 6])
    [spill_file] = tmp_path.iterdir()
    assert spill_file.read_text(encoding="utf-8").splitlines() == [f'{{"n":{i}}}' for i in (3, 4, 5, 6)]
    parent = _parent()
    parent.append(_Outcome(0))
    parent.absorb(held, set())
    parent.absorb(spilled, {4})
    parent.absorb(_worker(tmp_path, [7]), set())
    parent.append(_Outcome(8))
    assert list(parent.json_lines()) == [f'{{"n":{i}}}' for i in (0, 1, 2, 3, 5, 6, 7, 8)]
    assert (len(parent), parent.stats.items) == (8, 8)


def test_outcomes_that_cannot_go_to_disk_are_one_line_and_exit_2(cli, monkeypatch):
    """A full temporary directory under the outcome spill: exit 2 and what to do, not an internal error."""
    import tempfile

    import checker.run.outcomes as outcomes_module
    from tests.conftest import EXAMPLES

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    monkeypatch.setattr(outcomes_module, "HELD_CHARS", 100)  # the ledger's outcomes do not fit in memory
    result = cli("subsidy", EXAMPLES / "ledger.csv", "--format", "json", "--as-of", "2025-11-25", "--no-config")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"checker: 临时文件无法写入或读回（{tempfile.gettempdir()}）：[Errno 28] No space left on device；"
        "磁盘已满或目录不可写时，可设置 TMPDIR 指向有空间的目录后重试\n"
    )
