"""checker.limits: the defaults, changing them, and every limit enforced exactly at its boundary."""

from __future__ import annotations

import zlib

import pytest

from checker.core import plain
from checker.core.errors import CheckerInputError
from checker.core.limits import (
    DEFAULT_LIMITS,
    Limits,
    MiB,
    format_bytes,
    get_limits,
    limits_overridden,
    set_limits,
)
from checker.inputs.decode import check_line_lengths, check_zip_archive
from checker.inputs.reader import read_records

from .builders import HEADER, SHEET, _plain_members, ledger_rows, ledger_xlsx, write_zip


def test_defaults_are_documented_values():
    assert plain.asdict(DEFAULT_LIMITS) == {
        "max_file_bytes": 50 * MiB,
        "max_line_chars": MiB,
        "max_records": 1_000_000,
        "max_document_chars": 2_000_000,
        "max_nesting": 64,
        "max_unpacked_factor": 10,
        "max_zip_ratio": 100,
        "max_zip_members": 10_000,
        "max_convert_seconds": 60,
        "max_observations": 1_000,
    }
    assert DEFAULT_LIMITS.max_unpacked_bytes == 500 * MiB
    assert get_limits() == DEFAULT_LIMITS  # no test leaves its limits behind


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10", None])
def test_limits_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="max_records"):
        Limits(max_records=bad)


def test_limits_are_frozen():
    with pytest.raises(plain.FrozenError):
        DEFAULT_LIMITS.max_records = 5  # type: ignore[misc]


def test_set_limits_returns_previous_and_checks_type():
    small = Limits(max_records=7)
    previous = set_limits(small)
    try:
        assert get_limits() is small and previous == DEFAULT_LIMITS
        with pytest.raises(TypeError):
            set_limits({"max_records": 7})  # type: ignore[arg-type]
        assert get_limits() is small
    finally:
        set_limits(previous)
    assert get_limits() == DEFAULT_LIMITS


def test_context_manager_restores_after_an_error():
    with pytest.raises(RuntimeError):
        with limits_overridden(max_records=2, max_line_chars=10) as inside:
            assert get_limits() is inside and inside.max_records == 2 and inside.max_file_bytes == 50 * MiB
            with limits_overridden(max_records=1):  # nests on the current limits
                assert get_limits().max_line_chars == 10 and get_limits().max_records == 1
            assert get_limits() is inside
            raise RuntimeError
    assert get_limits() == DEFAULT_LIMITS


def test_format_bytes():
    assert [format_bytes(n) for n in (0, 1023, 1024, 1536, 50 * MiB, 2 * 1024 * MiB)] == [
        "0 字节",
        "1023 字节",
        "1 KiB",
        "1.5 KiB",
        "50 MiB",
        "2 GiB",
    ]


def test_line_limit_boundary():
    with limits_overridden(max_line_chars=5):
        check_line_lengths("12345\n12345\n", "a.txt")  # exactly at the limit
        check_line_lengths("12345", "a.txt")
        with pytest.raises(CheckerInputError) as info:
            check_line_lengths("1\n12345\n\n123456\n1", "a.txt")
    assert info.value.one_line() == "a.txt:4: 行过长（6 个字符，上限 5），未读取此文件 [INPUT-LIMIT]"


def _ledger(tmp_path, n):
    path = tmp_path / "l.csv"
    path.write_text("\n".join([HEADER, *ledger_rows(n)]) + "\n", encoding="utf-8")
    return path


def test_record_limit_boundary(tmp_path):
    path = _ledger(tmp_path, 4)
    with limits_overridden(max_records=4):
        assert [r.data["id"] for r in read_records(path)] == ["R1", "R2", "R3", "R4"]
    seen = []
    with limits_overridden(max_records=3), pytest.raises(CheckerInputError) as info:
        for raw in read_records(path):
            seen.append(raw.data["id"])
    assert seen == ["R1", "R2", "R3"]  # the records within the limit were handed on before the error
    assert info.value.code == "INPUT-LIMIT" and info.value.location.line == 5


def test_file_size_boundary(tmp_path):
    path = _ledger(tmp_path, 2)
    size = path.stat().st_size
    with limits_overridden(max_file_bytes=size):
        assert len(list(read_records(path))) == 2
    with limits_overridden(max_file_bytes=size - 1), pytest.raises(CheckerInputError, match="文件过大"):
        list(read_records(path))


def test_small_members_may_compress_well(tmp_path):
    """The ratio is judged only above 1 MiB: a sheet of 900 KiB of spaces (ratio ~1000) is a normal workbook."""
    base = ledger_xlsx(tmp_path / "base.xlsx", 2)
    members, sheet = _plain_members(base, SHEET)
    head, tail = sheet.split(b"</sheetData>")
    data = head + b" " * (900 * 1024) + b"</sheetData>" + tail
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    members.append((SHEET, compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)))
    path = write_zip(tmp_path / "spaces.xlsx", members)
    check_zip_archive(path, str(path), "x")
    assert [r.data["id"] for r in read_records(path)] == ["R1", "R2"]


def test_zip_ratio_boundary(tmp_path):
    base = ledger_xlsx(tmp_path / "base.xlsx", 2)
    members, sheet = _plain_members(base, SHEET)
    head, tail = sheet.split(b"</sheetData>")
    data = head + b" " * (2 * MiB) + b"</sheetData>" + tail
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    members.append((SHEET, packed, len(data), zlib.crc32(data)))
    path = write_zip(tmp_path / "ratio.xlsx", members)
    ratio = len(data) // len(packed)
    with limits_overridden(max_zip_ratio=ratio + 1):
        assert len(list(read_records(path))) == 2
    with limits_overridden(max_zip_ratio=ratio - 1), pytest.raises(CheckerInputError, match="疑似压缩炸弹"):
        list(read_records(path))


def test_docx_bomb_refused_before_python_docx(tmp_path, monkeypatch):
    import docx

    from checker.inputs.documents import read_document

    from .builders import bomb_docx

    path = bomb_docx(tmp_path)
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx must not be reached"))
    with pytest.raises(CheckerInputError, match="疑似压缩炸弹"):
        read_document(str(path))


def test_docx_paragraph_is_a_line(tmp_path):
    from docx import Document

    from checker.inputs.documents import read_document

    document = Document()
    document.add_paragraph("新政办〔2024〕5号")
    document.add_paragraph("长" * 50)
    path = tmp_path / "p.docx"
    document.save(path)
    with limits_overridden(max_line_chars=49), pytest.raises(CheckerInputError) as info:
        read_document(str(path))
    assert info.value.one_line() == f"{path}:2: 段落过长（50 个字符，上限 49），未读取此文件 [INPUT-LIMIT]"
    with limits_overridden(max_line_chars=50):
        assert read_document(str(path)).data["body"].endswith("长" * 50)


def test_jsonl_line_limit_without_reading_the_line_whole(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "A", "name": "一"}\n{"id": "B", "name": "' + "长" * 100 + '"}\n', encoding="utf-8")
    seen = []
    with limits_overridden(max_line_chars=50), pytest.raises(CheckerInputError) as info:
        for raw in read_records(path):
            seen.append(raw.data["id"])
    assert seen == ["A"]
    assert info.value.one_line() == f"{path}:2: 行过长（超过 50 个字符，上限 50），未读取此文件 [INPUT-LIMIT]"
