"""The cells an .xlsx worksheet really holds, row by row, never the ones its declared size promises.

openpyxl's read-only rows are padded: to the `<dimension>` a file declares (A1:XFD1048576 in 5 KB is
17 billion cells), to the last cell of each row, and with an empty row for every missing row number.  Here
openpyxl's own streaming sheet parser is run directly, so time and memory follow the cells present.  The
parser is given no date formats: whether a number is a date is decided here, from the cell's format only
(a General cell holding 45000 stays a number), and serial 60 (1900-02-29, Excel's Lotus leap-year bug) is
never turned into another day.  These are openpyxl internals (the ones its read-only worksheet itself uses),
kept to this module.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.core.errors import CheckerInputError, Location
from checker.core.values import printable

# Built-in format ids whose code depends on the locale, so files carry the id alone (ids 27–36, 50–58: the
# East Asian dates and times; in Chinese Excel 31 is yyyy"年"m"月"d"日", 57 年月, 58 月日).  openpyxl knows no
# code for them and would read a date typed in Chinese Excel as a plain number.
_LOCALE_DATE_FORMAT_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))
# what Excel shows for serial 60 of the 1900 date system: a day that never was (Lotus 1-2-3 counted 1900 as leap)
_LOTUS_LEAP_DAY = "1900-02-29"


class _MissingString:
    """A shared-string reference to no string (a negative or too large index): the cell is named, not read."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


class _SharedStrings:
    """The shared-string table indexed from 0 only: openpyxl indexes a Python list, where -1 is the last string."""

    def __init__(self, strings):
        self._strings = strings

    def __len__(self) -> int:
        return len(self._strings)

    def __getitem__(self, index: int):
        if 0 <= index < len(self._strings):
            return self._strings[index]
        return _MissingString(index)


class WorkbookFormats:
    """Which cell styles (the `s` of a cell) show a number as a date, a duration or a percentage: read once a workbook."""

    def __init__(self, workbook):
        from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

        self.epoch = workbook.epoch
        self.dates = set(workbook._date_formats)
        self.durations = set(workbook._timedelta_formats)
        self.percents = set()
        custom = workbook._number_formats
        for index, style in enumerate(workbook._cell_styles):
            code = style.numFmtId
            if code in _LOCALE_DATE_FORMAT_IDS:
                self.dates.add(index)
            if code < BUILTIN_FORMATS_MAX_SIZE:
                text = BUILTIN_FORMATS.get(code, "")
            else:
                text = custom[code - BUILTIN_FORMATS_MAX_SIZE] if code - BUILTIN_FORMATS_MAX_SIZE < len(custom) else ""
            if "%" in text:
                self.percents.add(index)


def _date_value(serial: int | float, formats: WorkbookFormats, style: int) -> object:
    """A date-formatted cell's serial as the date (or time, or duration) it shows; text when it shows none."""
    from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

    duration = style in formats.durations
    if not duration and formats.epoch == WINDOWS_EPOCH and 60 <= serial < 61:
        return _LOTUS_LEAP_DAY  # read as a date, this day is reported as one that does not exist
    try:
        return from_excel(serial, formats.epoch, timedelta=duration)
    except (OverflowError, ValueError):  # beyond year 9999 or before year 1, NaN
        return f"日期序号 {printable(serial, 20)}（超出可表示的日期范围）"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_name(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_cells(sheet, formats: WorkbookFormats, label: str) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {column number: value}) for each row of `sheet` present in the file, in file order.

    Only cells holding a value that is not blank are given.  Numbers shown as dates become dates, numbers
    shown as percentages are multiplied by 100 (a cell shown as 30% holds 0.3).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    strings = _SharedStrings(sheet._shared_strings)
    last = None
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, strings, data_only=True, epoch=formats.epoch, date_formats=frozenset())
        rows = parser.parse()
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
            line, cells = row
            last = line
            values: dict[int, object] = {}
            for cell in cells:
                value = cell["value"]
                if type(value) is _MissingString:
                    raise CheckerInputError(
                        f"单元格 {_column_name(cell['column'])}{line} 引用的共享字符串（第 {value.index} 项）不存在"
                        f"（共 {len(strings):,} 项）：文件已损坏，此处及以后的内容未检查",
                        Location(label, line=line),
                        code="INPUT-FORMAT",
                    )
                if _is_blank(value):
                    continue
                if cell["data_type"] == "n" and isinstance(value, (int, float)):
                    style = cell["style_id"]
                    if style in formats.dates:
                        value = _date_value(value, formats, style)
                    elif style in formats.percents:
                        value = round(value * 100, 10)
                values[cell["column"]] = value
            yield line, values
