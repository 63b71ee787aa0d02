"""A folder as offices keep one: .pdf, .ofd, .doc, .txt notices and an .xls nobody converted, linted in one run;
and each of those kinds piped on standard input gives what the file gives."""

from __future__ import annotations

import io
import shutil
import sys

import pytest

from tests.inputs.test_convert import LINES, word97  # noqa: F401  (word97 is a fixture)
from tests.inputs.test_ofdtext import notice_ofd
from tests.inputs.test_pdftext import cid_pdf

AS_OF = "2024-12-01"


def _pdf(path):
    lines = [(28, 40 + 12 * i, text) for i, text in enumerate(LINES)]
    return cid_pdf(path, [lines])


@pytest.fixture
def folder(tmp_path, word97):  # noqa: F811
    root = tmp_path / "收文"
    (root / "sub").mkdir(parents=True)
    _pdf(root / "a.pdf")
    notice_ofd(root / "b.ofd")
    shutil.copyfile(word97, root / "sub" / "c.doc")
    (root / "sub" / "d.txt").write_text("\n".join(LINES) + "\n", encoding="utf-8")
    (root / "sub" / "e.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    return root


def _self_references(report: dict) -> list[tuple]:
    return [
        (f["source"].rsplit("/", 1)[-1], f["line"], f["column"], f["place"])
        for f in report["findings"]
        if f["rule_id"] == "DOC-ISSUER-SELF"
    ]


def test_every_kind_in_a_folder_is_linted_and_the_rest_is_listed(cli, folder):
    result = cli("lint", folder, "--format", "json", "--as-of", AS_OF)
    report = result.json()
    assert report["errors"] == [] and result.code == 1
    assert [p.rsplit("/", 1)[-1] for p in report["files"]] == ["a.pdf", "b.ofd", "c.doc", "d.txt"]
    assert _self_references(report) == [
        ("a.pdf", 5, 6, "第1页第5行"),
        ("b.ofd", 5, 3, "第1页第5行"),
        ("c.doc", 5, 6, "正文"),
        ("d.txt", 5, 6, None),
    ]
    skipped = [
        (f["source"].rsplit("/", 1)[-1], f["severity"]) for f in report["findings"] if f["rule_id"] == "INPUT-SKIPPED"
    ]
    assert skipped == [("e.xls", "info")]
    assert report["summary"]["files"] == 4 and report["summary"]["skipped_files"] == 1
    strict = cli("lint", folder, "--format", "json", "--as-of", AS_OF, "--strict-inputs")
    assert strict.code == 2 and len(strict.json()["errors"]) == 1


@pytest.mark.parametrize("name", ["a.pdf", "b.ofd", "sub/c.doc", "sub/d.txt"])
def test_each_kind_piped_gives_what_its_file_gives(cli, folder, monkeypatch, name):
    path = folder / name
    on_file = cli("lint", path, "--format", "json", "--as-of", AS_OF).json()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    piped = cli("lint", "-", "--format", "json", "--as-of", AS_OF).json()

    def shown(report):
        return [(f["rule_id"], f["line"], f["column"], f["place"], f["message"]) for f in report["findings"]]

    assert shown(piped) == shown(on_file) and shown(piped)
    assert {f["source"] for f in piped["findings"]} == {"<stdin>"}
