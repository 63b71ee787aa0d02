"""JSON record files: one string value is bounded, and the line scan keeps no per-character regex stack."""

from __future__ import annotations

import tracemalloc

import pytest

from checker.core.errors import CheckerInputError
from checker.core.limits import MiB, limits_overridden
from checker.inputs.reader import read_records
from tests.conftest import write


def test_a_string_over_the_value_limit_is_refused_before_json_builds_it(tmp_path):
    path = write(tmp_path / "long.json", '{"projects": [\n  {"id": "A",\n   "name": "' + "长" * 2001 + '"}\n]}\n')
    with limits_overridden(max_line_chars=2000), pytest.raises(CheckerInputError) as caught:
        list(read_records(path))
    assert caught.value.message == "字符串值过长（2,001 个字符，上限 2,000），未读取"
    assert caught.value.location.line == 3 and caught.value.code == "INPUT-LIMIT"


def test_escapes_count_as_written_and_a_value_at_the_limit_is_read(tmp_path):
    path = write(tmp_path / "edge.json", '{"projects": [{"id": "A", "name": "' + "\\n" * 1000 + '"}]}')
    with limits_overridden(max_line_chars=2000):
        [raw] = read_records(path)
    assert raw.data["name"] == "\n" * 1000


def test_scanning_a_long_string_keeps_memory_flat(tmp_path):
    """The old token pattern kept a backtracking point per character: a 49 MiB string took 6 GB."""
    value = ("甲" * 10 + "\\\\") * 400_000  # 4.4 M characters with escapes all along
    path = write(tmp_path / "big.json", '{"projects": [{"id": "A", "note": "' + value + '"}]}')
    with limits_overridden(max_line_chars=8 * MiB):
        tracemalloc.start()
        try:
            [raw] = read_records(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert raw.data["id"] == "A"
    assert peak < 150 * MiB, peak  # the text (≈ 18 MB as str), json's copy and the record; not 4.4 M stack frames
