"""Excel (.xlsx) record files: every sheet whose header row names known fields (the package is checked for zip bombs first)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.values import printable
from checker.inputs.base import RecordBudget, RecordFormat
from checker.inputs.tables import table_records
from checker.records.raw import FileNotice, RawRecord

_XLSX_INVALID = "不是有效的 .xlsx 文件"


def xlsx_records(path: Path, notices: list[FileNotice], budget: RecordBudget | None = None) -> Iterator[RawRecord]:
    """Rows of every sheet whose header row names known fields (the package is checked for zip bombs first)."""
    import warnings

    from checker.inputs.decode import check_zip_archive

    source = str(path)
    budget = budget or RecordBudget(source)
    check_zip_archive(path, source, _XLSX_INVALID)
    from openpyxl import load_workbook  # heavy: imported only for .xlsx

    # openpyxl warns on stderr (two lines, not ours) about styles and extensions it does not read: silenced
    # for good rather than per call (catch_warnings is not thread-safe); filterwarnings does not duplicate
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheets = workbook.worksheets
    except Exception as exc:
        raise CheckerInputError(
            f"{_XLSX_INVALID}（{type(exc).__name__}）", Location(source), code="INPUT-FORMAT"
        ) from None
    try:
        found_any = False
        for sheet in sheets:
            label = source if len(sheets) == 1 else f"{source}#{printable(sheet.title, 40)}"
            rows = _xlsx_rows(sheet, label)
            try:
                yield from table_records(label, rows, notices, budget)
                found_any = True
            except CheckerInputError as exc:
                if exc.code != "INPUT-NO-HEADER" or len(sheets) == 1:
                    raise
        if not found_any:
            raise CheckerInputError("工作簿中没有可识别表头的工作表", Location(source), code="INPUT-NO-HEADER")
    finally:
        try:
            workbook.close()
        except Exception:
            pass


def _xlsx_rows(sheet, label: str) -> Iterator[tuple[int, list[object]]]:
    rows = sheet.iter_rows()
    last = None
    while True:
        try:
            row = next(rows, None)
        except Exception as exc:
            raise CheckerInputError(
                f"工作表内容损坏（{type(exc).__name__}），此处及以后的内容未检查",
                Location(label, line=last + 1 if last else None),
                code="INPUT-FORMAT",
            ) from None
        if row is None:
            return
        cells = []
        line = None
        for cell in row:
            if line is None and getattr(cell, "row", None):
                line = cell.row
            value = cell.value
            fmt = getattr(cell, "number_format", None) or ""
            if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
                value = round(value * 100, 10)  # a cell shown as 30% holds 0.3
            cells.append(value)
        if line is not None:
            last = line
            yield line, cells


def _read(path: Path, notices, budget, start=None, stop=None):
    return xlsx_records(path, notices, budget)


FORMAT = RecordFormat("Excel", (".xlsx",), _read)
