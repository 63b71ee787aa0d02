"""YAML record lists are read one item at a time: memory stays flat, and what comes before an error is checked."""

from __future__ import annotations

import tracemalloc

import pytest

from checker.core.errors import CheckerInputError
from checker.inputs.reader import read_records
from checker.inputs.yamlfile import load_yaml
from tests.conftest import write


def _ids(path):
    return [raw.data.get("id") for raw in read_records(path)]


def test_items_are_read_one_at_a_time(tmp_path):
    """10,000 small records: the streamed reader peaks at a fraction of what the whole node tree takes."""
    body = "projects:\n" + "".join(f"  - id: P{i}\n    name: 项目{i}\n    floor_area_m2: {i}\n" for i in range(10_000))
    path = write(tmp_path / "many.yaml", body)
    tracemalloc.start()
    try:
        count = 0
        for raw in read_records(path):
            count += 1
            assert raw.line == 2 + 3 * (count - 1)
        _, streamed = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        load_yaml(path)
        _, whole = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert streamed * 5 < whole, (streamed, whole)


def test_records_before_damage_are_checked_and_the_error_names_the_line(tmp_path):
    path = write(tmp_path / "cut.yaml", "projects:\n  - id: A\n  - id: B\n  - id: [C\n")
    got = []
    with pytest.raises(CheckerInputError) as caught:
        for raw in read_records(path):
            got.append(raw.data["id"])
    assert got == ["A", "B"]
    assert caught.value.location.line == 5 and caught.value.code == "INPUT-FORMAT"


def test_a_second_list_with_the_same_key_is_an_error_after_the_first_is_read(tmp_path):
    path = write(tmp_path / "twice.yaml", "projects:\n  - id: A\nprojects:\n  - id: B\n")
    got = []
    with pytest.raises(CheckerInputError, match="键“projects”出现了两次，第二个列表及以后的内容未检查") as caught:
        for raw in read_records(path):
            got.append(raw.data["id"])
    assert got == ["A"] and caught.value.location.line == 3


def test_kind_before_any_list_is_one_record(tmp_path):
    path = write(tmp_path / "one.yaml", "name: 单条\nkind: project\nid: S1\n")
    [raw] = read_records(path)
    assert raw.kind == "project" and raw.data["id"] == "S1" and raw.line == 1 and raw.field_lines["name"] == 1


def test_kind_after_a_list_is_refused(tmp_path):
    path = write(tmp_path / "both.yaml", "projects:\n  - id: A\nkind: project\n")
    with pytest.raises(CheckerInputError, match="顶层既有记录列表又有 kind:") as caught:
        list(read_records(path))
    assert caught.value.location.line == 3


@pytest.mark.parametrize("value", ["", " ~", " null", " !!null ''"])
def test_an_empty_list_has_no_records(tmp_path, value):
    path = write(tmp_path / "empty.yaml", f"projects:{value}\napprovals:\n  - id: A\n    kind: approval\n")
    assert _ids(path) == ["A"]


def test_other_top_level_keys_are_skipped_and_lists_are_needed(tmp_path):
    assert _ids(write(tmp_path / "meta.yaml", "title: 台账\nprojects:\n  - id: A\nnote: {a: 1}\n")) == ["A"]
    with pytest.raises(CheckerInputError, match="找不到记录列表"):
        list(read_records(write(tmp_path / "none.yaml", "title: 台账\n")))


def test_a_second_document_is_an_error(tmp_path):
    path = write(tmp_path / "two.yaml", "projects:\n  - id: A\n---\nprojects: []\n")
    got = []
    with pytest.raises(CheckerInputError, match="只应有一个文档") as caught:
        for raw in read_records(path):
            got.append(raw.data["id"])
    assert got == ["A"] and caught.value.location.line == 3


def test_aliases_are_refused_inside_items_and_as_the_list(tmp_path):
    with pytest.raises(CheckerInputError, match="不允许使用 YAML 别名") as caught:
        list(read_records(write(tmp_path / "a.yaml", "projects:\n  - &x {id: A}\n  - *x\n")))
    assert caught.value.location.line == 3
    with pytest.raises(CheckerInputError, match="不允许使用 YAML 别名"):
        list(read_records(write(tmp_path / "b.yaml", "x: &l [ {id: A} ]\nprojects: *l\n")))
