"""Standard input is read as whatever it is: the type told from its bytes, or named by --stdin-filename."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

from checker.core.errors import CheckerInputError
from checker.inputs.documents import DOCUMENT_SUFFIXES
from checker.inputs.formats import RECORD_SUFFIXES
from checker.inputs.stdin import sniff_suffix

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LINT = set(DOCUMENT_SUFFIXES | {".yaml", ".yml", ".json", ".jsonl"})
LEDGERS = set(RECORD_SUFFIXES)
EVERYTHING = LINT | LEDGERS

NOTICE = "关于开展检查的通知\n各乡镇人民政府：\n结合我市实际，现通知如下。\n新野县住房和城乡建设局\n2024年3月5日\n"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_zip("[Content_Types].xml", "word/document.xml"), ".docx"),
        (_zip("[Content_Types].xml", "xl/workbook.xml"), ".xlsx"),
        (_zip("OFD.xml", "Doc_0/Document.xml"), ".ofd"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ".pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
        (b'[{"id": "P1"}]', ".json"),
        ('{"id": "P1", "name": "甲"}\n{"id": "P2", "name": "乙"}\n'.encode(), ".jsonl"),
        (b'{\n  "projects": []\n}\n', ".json"),
        (b"projects:\n  - id: P1\n", ".yaml"),
        ("# 台账\n---\n- id: P1\n".encode(), ".yaml"),
        ("- id: P1\n  name: 甲\n".encode(), ".yaml"),
        ("编号,项目名称,建筑面积\nP1,甲,100\n".encode("gb18030"), ".csv"),
        ("2024年装配式建筑项目台账\n\n编号\t项目名称\t装配率\nP1\t甲\t30%\n".encode(), ".csv"),
        (NOTICE.encode(), ".txt"),
        (NOTICE.encode("utf-16"), ".txt"),
        ("Note: 本文不是记录\n".encode(), ".txt"),
    ],
)
def test_the_type_is_told_from_the_bytes(data, expected):
    assert sniff_suffix(data, EVERYTHING) == expected


def test_a_csv_is_a_document_to_a_command_that_reads_no_csv():
    assert sniff_suffix("编号,项目名称\nP1,甲\n".encode(), LINT) == ".txt"


@pytest.mark.parametrize(
    ("data", "accepted", "message"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", LINT, "标准输入的内容是二进制数据，本命令不检查此类型"),
        (_zip("mimetype", "content.xml"), LINT, "标准输入的内容是二进制数据，本命令不检查此类型"),
        (NOTICE.encode(), LEDGERS, "标准输入的内容是文本（不是可识别的台账或记录文件），本命令不检查此类型"),
        (b"%PDF-1.4\n", LEDGERS, "标准输入的内容是.pdf，本命令不检查此类型"),
    ],
)
def test_what_the_command_does_not_read_is_an_input_error(data, accepted, message):
    with pytest.raises(CheckerInputError) as caught:
        sniff_suffix(data, accepted)
    assert caught.value.message.startswith(message)
    assert caught.value.message.endswith("；可用 --stdin-filename 文件名 指明类型）")
    assert caught.value.location.source == "<stdin>" and caught.value.code == "INPUT-FILE"


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _without_source(report: dict, *names: str) -> str:
    text = json.dumps({k: v for k, v in report.items() if k != "files"}, ensure_ascii=False, sort_keys=True)
    for name in names:
        text = text.replace(json.dumps(name)[1:-1], "SOURCE")
    return text


@pytest.mark.parametrize("ledger", ["ledger.csv", "ledger.xlsx"])
def test_a_piped_ledger_gives_what_the_file_gives(cli, monkeypatch, ledger):
    path = EXAMPLES / ledger
    on_file = cli("subsidy", path, "--format", "json", "--as-of", "2024-12-01")
    _stdin(monkeypatch, path.read_bytes())
    piped = cli("subsidy", "-", "--format", "json", "--as-of", "2024-12-01")
    assert piped.code == on_file.code and piped.err == on_file.err.replace(str(path), "<stdin>")
    assert piped.json()["summary"]["subsidy"]["projects"] == 16
    assert _without_source(piped.json(), "<stdin>") == _without_source(on_file.json(), str(path))


def test_stdin_filename_names_the_input_and_its_type(cli, monkeypatch):
    _stdin(monkeypatch, (EXAMPLES / "ledger.csv").read_bytes())
    result = cli("subsidy", "--stdin-filename", "台账/ledger.csv", "--format", "json", "--as-of", "2024-12-01")
    report = result.json()
    assert report["summary"]["subsidy"]["projects"] == 16
    assert {f["source"] for f in report["findings"]} == {"台账/ledger.csv"}


def test_stdin_filename_of_a_type_not_read_is_an_input_error(cli, monkeypatch):
    _stdin(monkeypatch, b"x")
    result = cli("subsidy", "-", "--stdin-filename", "a.xls")
    assert result.code == 2
    assert (
        "checker: 输入错误 a.xls: 文件类型“.xls”不受支持（本命令检查 .csv .json .jsonl .xlsx .yaml .yml）" in result.err
    )


def test_stdin_filename_is_for_standard_input_only(cli, tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    result = cli("lint", tmp_path / "a.txt", "--stdin-filename", "b.txt")
    assert result.code == 2 and "--stdin-filename 只用于标准输入：请在 PATH 中写 -" in result.err


def test_no_path_without_stdin_filename_is_a_usage_error(cli):
    result = cli("lint")
    assert result.code == 2 and "缺少 PATH" in result.err


def test_a_piped_docx_is_linted_as_a_docx(cli, monkeypatch):
    data = (EXAMPLES / "documents" / "forwarded-city-copy.docx").read_bytes()
    on_file = cli(
        "lint", EXAMPLES / "documents" / "forwarded-city-copy.docx", "--format", "json", "--as-of", "2024-12-01"
    )
    _stdin(monkeypatch, data)
    piped = cli("lint", "-", "--format", "json", "--as-of", "2024-12-01")
    got = [(f["rule_id"], f["line"], f["column"], f["place"]) for f in piped.json()["findings"]]
    want = [(f["rule_id"], f["line"], f["column"], f["place"]) for f in on_file.json()["findings"]]
    assert got == want and ("DOC-ISSUER-SELF", 9, 57, "正文") in got


def test_a_piped_binary_is_one_line_exit_2(cli, monkeypatch):
    _stdin(monkeypatch, b"\x00\x01\x02garbage" * 10)
    result = cli("lint", "-")
    assert result.code == 2
    assert result.err.strip().splitlines()[-1].startswith("checker: 输入错误 <stdin>: 标准输入的内容是二进制数据")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("p.yaml", "projects:\n  - {id: P1, name: 甲, category: 商住, floor_area_m2: 30000, prefab_rate_pct: 60}\n"),
        (
            "p.json",
            '{"projects": [{"id": "P1", "name": "甲", "category": "商住", "floor_area_m2": 30000, "prefab_rate_pct": 60}]}',
        ),
        (
            "p.jsonl",
            '{"id": "P1", "name": "甲", "category": "商住", "floor_area_m2": 30000, "prefab_rate_pct": 60}\n{"id": "P2", "name": "乙"}\n',
        ),
    ],
)
def test_piped_record_files_give_what_their_file_gives(cli, monkeypatch, tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    on_file = cli("subsidy", path, "--format", "json", "--as-of", "2024-12-01")
    _stdin(monkeypatch, data.encode())
    piped = cli("subsidy", "-", "--format", "json", "--as-of", "2024-12-01")
    assert piped.json()["summary"]["subsidy"]["projects"] == on_file.json()["summary"]["subsidy"]["projects"] >= 1
    assert _without_source(piped.json(), "<stdin>") == _without_source(on_file.json(), str(path))
    assert piped.code == on_file.code


def test_reports_list_standard_input_once_under_its_name_and_as_what_it_was(cli, monkeypatch):
    import xml.etree.ElementTree as ET

    _stdin(monkeypatch, (EXAMPLES / "documents" / "forwarded-city-copy.txt").read_bytes())
    junit = cli("lint", "--stdin-filename", "notices/a.txt", "--format", "junit", "--as-of", "2024-12-01").out
    names = {case.get("file") for case in ET.fromstring(junit).iter("testcase")}
    assert names == {"notices/a.txt"}  # no testcase for a "<stdin>" that was never read as such
    _stdin(monkeypatch, (EXAMPLES / "ledger.csv").read_bytes())
    report = cli("check", "-", "--format", "json", "--as-of", "2024-12-01").json()
    assert report["files"] == ["<stdin>"] and report["documents"] == []
    _stdin(monkeypatch, (EXAMPLES / "ledger.csv").read_bytes())
    junit = cli("check", "-", "--format", "junit", "--as-of", "2024-12-01").out
    input_cases = [
        c.get("name") for c in ET.fromstring(junit).iter("testcase") if c.get("classname") == "checker.input"
    ]
    assert "<stdin> · <stdin>" not in input_cases and "<stdin> · （文件）" in input_cases
