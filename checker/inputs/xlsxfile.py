"""Excel (.xlsx) record files: every sheet whose header row names known fields (the package is checked for zip bombs first)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.values import printable
from checker.inputs.base import RecordBudget, RecordFormat
from checker.inputs.tables import note_header, table_header, table_records
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

    from checker.inputs.xlsxcells import WorkbookFormats, sheet_cells

    # openpyxl warns on stderr (two lines, not ours) about styles and extensions it does not read: silenced
    # for good rather than per call (catch_warnings is not thread-safe); filterwarnings does not duplicate
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheets = workbook.worksheets
        formats = WorkbookFormats(workbook)
    except Exception as exc:
        raise CheckerInputError(
            f"{_XLSX_INVALID}（{type(exc).__name__}）", Location(source), code="INPUT-FORMAT"
        ) from None
    try:
        found_any = False
        for sheet in sheets:
            label = source if len(sheets) == 1 else f"{source}#{printable(sheet.title, 40)}"
            try:
                yield from _sheet_records(label, sheet_cells(sheet, formats, label), notices, budget)
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


def _sheet_records(
    label: str, rows: Iterator[tuple[int, dict[int, object]]], notices: list[FileNotice], budget: RecordBudget
) -> Iterator[RawRecord]:
    """Records of one sheet, from its present cells only (column number -> value, blanks left out).

    Only the header's field columns are laid out as a row (a handful, wherever they are): a cell in
    column XFD costs nothing more than one in column B.  A row whose only values lie in other columns
    still counts as a record, as it would with every column laid out (one such value is kept, beyond the
    field columns, so the row is not taken for blank).  The rows looked at for the header (title rows
    above it: a merged A1:I1 holds its text in A1 only) are laid out whole.
    """

    def header_rows() -> Iterator[tuple[int, list[object]]]:
        for line, values in rows:
            if values:
                yield line, [values.get(c) for c in range(1, max(values) + 1)]

    header = table_header(label, header_rows())  # takes no row after the header from `rows`
    note_header(label, header, notices)
    fields = [i for i, name in enumerate(header.columns) if name is not None]
    position = {i + 1: k for k, i in enumerate(fields)}
    compact = header._replace(cells=[header.cells[i] for i in fields], columns=[header.columns[i] for i in fields])
    lead: list[object] = [None]  # the row's first non-blank cell, by column (a 合计 or 填表说明 in column A)

    def data_rows() -> Iterator[tuple[int, list[object]]]:
        width = len(fields)
        for line, values in rows:
            if not values:
                continue
            cells: list[object] = [None] * width
            stray = None
            for column, value in values.items():
                k = position.get(column)
                if k is not None:
                    cells[k] = value
                elif stray is None:
                    stray = value
            if stray is not None:
                cells.append(stray)
            lead[0] = values[min(values)]
            yield line, cells

    return table_records(label, data_rows(), notices, budget, header=compact, lead_cell=lambda _cells: lead[0])


def _read(path: Path, notices, budget, start=None, stop=None):
    return xlsx_records(path, notices, budget)


FORMAT = RecordFormat("Excel", (".xlsx",), _read)
