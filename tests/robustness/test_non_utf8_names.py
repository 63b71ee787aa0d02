"""File names that are not UTF-8 (GBK names, as unzip leaves archives made on Chinese Windows): every writer shows
them with each undecodable byte as \\xNN (SARIF: percent-encoded bytes) and never loses the report."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes")

GBK_TXT = "测试.txt".encode("gbk")  # b"\xb2\xe2\xca\xd4.txt"
GBK_CSV = "测.csv".encode("gbk")  # b"\xb2\xe2.csv" (a GBK name like 台账 may happen to be valid UTF-8)
SHOWN_TXT = r"\xb2\xe2\xca\xd4.txt"
SHOWN_CSV = r"\xb2\xe2.csv"


@pytest.fixture
def folder(tmp_path):
    root = os.fsencode(tmp_path)
    with open(os.path.join(root, GBK_TXT), "wb") as handle:
        handle.write("关于做好防汛工作的通知\n各乡镇：\n请认真做好防汛工作。\n".encode())
    with open(os.path.join(root, GBK_CSV), "wb") as handle:
        handle.write((EXAMPLES / "ledger.csv").read_bytes())
    return tmp_path


@pytest.mark.parametrize("to_file", [False, True])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "html"])
def test_every_format_shows_the_bytes(cli, folder, fmt, to_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / f"report.{fmt}"
    args = ["lint", folder / os.fsdecode(GBK_TXT), "--format", fmt] + (["--output", out] if to_file else [])
    result = cli(*args)
    assert result.code == 0, result.err
    report = out.read_text(encoding="utf-8") if to_file else result.out
    if fmt == "json":
        data = json.loads(report)
        assert {f["source"] for f in data["findings"]} == {str(folder / SHOWN_TXT)}
        assert {f["record_id"] for f in data["findings"]} == {SHOWN_TXT}
    elif fmt == "sarif":
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(report)["runs"][0]["results"]
        }
        assert len(uris) == 1 and uris.pop().endswith("/%B2%E2%CA%D4.txt")
    elif fmt == "junit":
        ET.fromstring(report)  # well-formed
        assert SHOWN_TXT in report
    else:
        assert SHOWN_TXT in report
    assert "\ufffd" not in report


@pytest.mark.parametrize("command", ["check", "subsidy"])
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_ledgers_with_such_names_are_checked(cli, folder, command, fmt):
    result = cli(command, folder, "--format", fmt, "--as-of", "2024-12-01")
    assert result.code in (0, 1), result.err
    assert "内部错误" not in result.err
    text = result.out
    data = json.loads(text)
    expected = {SHOWN_CSV, SHOWN_TXT}  # check lints the notice; subsidy lists it as skipped
    if fmt == "json":
        assert {f["source"] for f in data["findings"]} == {str(folder / name) for name in expected}
        skipped = [f["rule_id"] for f in data["findings"] if f["source"] == str(folder / SHOWN_TXT)]
        assert (skipped == ["INPUT-SKIPPED"]) == (command == "subsidy")
    else:
        uris = {a["location"]["uri"].rsplit("/", 1)[1] for a in data["runs"][0]["artifacts"]}
        assert "%B2%E2.csv" in uris and uris <= {"%B2%E2.csv", "%B2%E2%CA%D4.txt"}  # the files walked


def test_an_error_line_names_the_file_with_its_bytes(cli, folder):
    bad = os.path.join(os.fsencode(folder), "坏.csv".encode("gbk"))
    with open(bad, "wb") as handle:
        handle.write("id,name,floor_area_m2\nA,某项目,abc\n".encode())
    result = cli("check", os.fsdecode(bad))
    assert result.code == 2
    assert result.err.startswith(f"checker: 输入错误 {folder}/\\xbb\\xb5.csv:2 记录 A 字段 floor_area_m2:")


def test_a_skipped_file_of_such_a_name_is_shown_with_its_bytes_under_strict_inputs(cli, folder):
    with open(os.path.join(os.fsencode(folder), "表.xls".encode("gbk")), "wb") as handle:
        handle.write(b"\xd0\xcf\x11\xe0")
    result = cli("lint", folder, "--strict-inputs", "--format", "json")
    assert result.code == 2
    assert f"checker: 输入错误 {folder}/\\xb1\\xed.xls: 已跳过：文件类型“.xls”不受支持" in result.err
    assert "\udcb1" not in result.out and json.loads(result.out)["errors"][0].startswith(f"{folder}/\\xb1\\xed.xls: ")
