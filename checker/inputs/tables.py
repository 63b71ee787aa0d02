"""Tables (CSV rows, worksheet rows): the header row names the record kind and each column's field.

Ledgers are kept for people to read: a title row or two above the header ("2024年装配式建筑项目台账"), 合计
and 小计 rows among the projects, notes and signatures below the table.  None of these is a record: the
header is looked for among the first rows, totals rows are checked against the rows they sum (when a
column's field is `summed`), and the rows from the first notes row on are left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from typing import NamedTuple

from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.core.values import format_number, parse_area, parse_number, parse_percent, printable
from checker.inputs.base import RecordBudget
from checker.records.fields import SCHEMAS, FieldSpec, RecordSchema, resolve_field
from checker.records.raw import FileNotice, RawRecord

# Non-blank rows looked at for the header: the ones above it are title rows (a title, the reporting office,
# "单位：平方米").  A file whose header is not among them is refused as before, named by its first row.
HEADER_SEARCH_ROWS = 20

# Input-format knowledge, like the field aliases: what offices write in a table's rows that are not records.
# A totals row says one of these in its id cell (or, when the id is blank, its first cell or its name cell);
# spaces inside and a colon after are allowed ("合 计", "合计：").  小计 sums the rows since the previous 小计
# or 合计, 合计 and 总计 every row of the table.
TOTALS_WORDS = ("合计", "小计", "总计")
SUBTOTAL_WORDS = ("小计",)
# The first row below the table whose first cell opens with one of these, and every row after it, are notes
# and signatures, not records.  These open a notes row whatever follows them:
NOTES_OPENINGS = ("填表说明", "编制说明", "以下空白", "以下无内容", "以下无正文")
# and these when a colon, a space or the cell's end follows (with a number between: "注1：")
NOTES_LABELS = (
    "说明",
    "注",
    "备注",
    "附注",
    "制表",
    "制表人",
    "填表人",
    "填报人",
    "审核",
    "审核人",
    "复核人",
    "负责人",
    "单位负责人",
    "联系人",
    "联系电话",
    "制表日期",
    "填表日期",
    "填报日期",
    "制表时间",
    "填报时间",
    "日期",
)
_NOTES = lazy_compile(
    "(?:" + "|".join(NOTES_OPENINGS) + ")|(?:" + "|".join(NOTES_LABELS) + r")[0-9]{0,3}(?::|\s|$)"
)  # on the NFKC text: a full-width colon is ":" there
_NOTES_INITIALS = frozenset(word[0] for word in NOTES_OPENINGS + NOTES_LABELS)
_TOTALS_INITIALS = frozenset(word[0] for word in TOTALS_WORDS)
MAX_TOTAL_NOTICES = 20  # a table's totals mismatches named one by one; the rest are counted in one notice
_NUMBER_PARSERS: dict[str | None, Callable[[object], float]] = {"area": parse_area, "percent": parse_percent}


class WholeTable(Exception):
    """Raised by a scan for record ranges: the table holds a totals row, which is checked against the rows
    above it, so one reader must read it from its header on (`checker.inputs.ranges.split_points`)."""


class TableHeader(NamedTuple):
    """A table's header row: its cells, the record kind and each column's field, and where it was found."""

    cells: list[str]
    schema: RecordSchema
    columns: list[str | None]
    line: int | None = None
    titles: int = 0  # non-blank rows above the header: title rows, not records


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def first_filled(cells: list[object]) -> object:
    """The first cell of a row that is not blank (None if there is none: the row is blank)."""
    for cell in cells:
        if cell is not None and (type(cell) is not str or cell.strip()):
            return cell
    return None


def table_header(source: str, rows: Iterator[tuple[int, list[object]]]) -> TableHeader:
    """The header row of `rows`: the first of the first `HEADER_SEARCH_ROWS` non-blank rows that names
    columns well enough (`names_columns`), its record kind and each column's field.

    No row after the header is taken from `rows` (the CSV reader parses the rows after it with the header's
    delimiter).  When no row qualifies, the first non-blank row is judged as the header, as it always was:
    the file is refused with what is wrong with it (no known column, a required column missing).
    """
    first: tuple[int, list[str]] | None = None
    titles = 0
    for line, cells in rows:
        if all(_is_blank(c) for c in cells):
            continue
        header = ["" if c is None else str(c).strip() for c in cells]
        if first is None:
            first = (line, header)
        if names_columns(header):
            schema, columns = _match_header(source, line, header)
            return TableHeader(header, schema, columns, line, titles)
        titles += 1
        if titles >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise CheckerInputError("表格为空（找不到表头）", Location(source), code="INPUT-NO-HEADER")
    schema, columns = _match_header(source, *first)  # raises: the row names too few columns
    return TableHeader(first[1], schema, columns, first[0], 0)


def names_columns(header: list[str]) -> bool:
    """Whether a row is a header: two known column names, or one that is all its kind requires.

    A title row of one merged cell ("2024年装配式建筑项目台账") names no column; one cell is a header only
    if it is the one column its kind requires (a document list's 编号).  Every row `_match_header` accepts
    qualifies, so a file whose header is its first row reads as before.
    """
    score, schema, columns = _best_kind(header)
    if score >= 2:
        return True
    return score == 1 and all(not f.required or f.name in columns for f in schema.fields)


def note_header(source: str, header: TableHeader, notices: list[FileNotice]) -> None:
    """The file's notices about its header: title rows above it, header cells that name no field."""
    if header.titles:
        notices.append(
            FileNotice(
                source, f"表头取自第{header.line}行（其上 {header.titles} 行为标题，未作为记录）", "INPUT-HEADER-ROW"
            )
        )
    unknown = [printable(h) for h, name in zip(header.cells, header.columns) if h and name is None]
    if unknown:
        notices.append(FileNotice(source, f"已忽略未识别的列：{'、'.join(unknown)}", "INPUT-UNKNOWN-COLUMN"))


def totals_word(value: object) -> str | None:
    """合计, 小计 or 总计 when a cell says it (spaces inside, a colon after), else None."""
    if type(value) is not str or len(value) > 20:
        return None
    head = value[:1]  # most ids: "H1" is no total, and costs no more to tell
    if head not in _TOTALS_INITIALS and (not head.isspace() or value.lstrip()[:1] not in _TOTALS_INITIALS):
        return None
    key = "".join(unicodedata.normalize("NFKC", value).split()).rstrip(":")
    return key if key in TOTALS_WORDS else None


def plain_cell(cell: object) -> bool:
    """Whether a cell can begin no totals or notes row: a number, or text opening with an ASCII letter or digit."""
    if type(cell) is str:
        head = cell[:1]
        return head.isascii() and head.isalnum()
    return type(cell) is int or type(cell) is float


def row_totals_word(cells: list[object], id_at: int | None, name_at: int | None, lead: object) -> str | None:
    """The totals word of a row: what its id cell says, or when the id is blank its first cell or name cell."""
    rid = cells[id_at] if id_at is not None and id_at < len(cells) else None
    if rid is not None and (type(rid) is not str or rid.strip()):
        return totals_word(rid)
    name = cells[name_at] if name_at is not None and name_at < len(cells) else None
    return totals_word(lead) or totals_word(name)


def is_notes_row(lead: object) -> bool:
    """Whether a row whose first non-blank cell is `lead` opens the notes below a table (填表说明, 制表人：…)."""
    if type(lead) is not str:
        return False
    head = lead[:1]  # most rows: "H1" opens no notes, and costs no more to tell
    if head not in _NOTES_INITIALS and (not head.isspace() or lead.lstrip()[:1] not in _NOTES_INITIALS):
        return False
    return _NOTES.match(unicodedata.normalize("NFKC", lead.lstrip()[:16])) is not None  # the words are short


NOTES_ROW = "notes"  # what `special_row` says of the first notes row (no totals word reads so)


def special_row(
    cells: list[object], lead: object, id_at: int | None, name_at: int | None, after_records: bool
) -> str | None:
    """What a non-blank row whose first non-blank cell is `lead` is when it is not a record: its totals word
    (合计, 小计, 总计), or `NOTES_ROW` for the first notes row after a record; None for a record.  The one test
    of the full read (`table_records`) and of the CSV range scan (`csv_record_starts`)."""
    rid = cells[id_at] if id_at is not None and id_at < len(cells) else None
    if plain_cell(lead) and (rid is lead or plain_cell(rid)):  # most rows: an id such as "H1" comes first
        return None
    word = row_totals_word(cells, id_at, name_at, lead)
    if word is not None:
        return word
    return NOTES_ROW if after_records and is_notes_row(lead) else None


def table_records(
    source: str,
    rows: Iterator[tuple[int, list[object]]],
    notices: list[FileNotice],
    budget: RecordBudget | None = None,
    csv_width: bool = False,
    header: TableHeader | None = None,
    first_index: int = 1,
    lead_cell: Callable[[list[object]], object] | None = None,
) -> Iterator[RawRecord]:
    """Records from a header row and data rows (CSV or a worksheet).

    With `csv_width`, a row with more non-blank cells than the header has columns is an error
    for that row (an unquoted delimiter inside a value shifts every later cell).  With `header`
    (from `table_header`), `rows` are data rows only, the first record being number `first_index`
    (the header's notices are then the caller's).  Totals rows are not records: each is checked against the
    rows it sums (a notice when they differ).  The first notes row after a record ends the records.
    `lead_cell(cells)` is a row's first non-blank cell when `cells` are not in column order (a worksheet).
    """
    budget = budget or RecordBudget(source)
    if header is None:
        header = table_header(source, rows)
        note_header(source, header, notices)
    cells_of_header, schema, columns = header.cells, header.schema, header.columns
    width = len(cells_of_header)
    id_at = columns.index("id") if "id" in columns else None
    name_at = columns.index("name") if "name" in columns else None
    totals = _TotalsCheck(source, schema, columns)
    index = first_index - 1
    after_records = first_index > 1
    for line, cells in rows:
        if lead_cell is None:
            lead = first_filled(cells)
            if lead is None:
                continue  # a blank row
        elif all(_is_blank(c) for c in cells):
            continue
        else:
            lead = lead_cell(cells)
        extra = [c for c in cells[width:] if not _is_blank(c)] if len(cells) > width else ()
        shifted = csv_width and bool(extra)
        special = special_row(cells, lead, id_at, name_at, after_records)
        if special == NOTES_ROW:  # notes and signatures below the table, and what follows them
            notices.append(
                FileNotice(
                    source,
                    f"第{line}行起为表格下方的说明或签署（“{printable(lead, 20)}”），此行及以下各行未作为记录",
                    "INPUT-NOTES-ROWS",
                )
            )
            break
        if special is not None:
            totals.close(special, line, cells, shifted, notices)
            after_records = True
            continue
        after_records = True
        index += 1
        budget.take(line)
        totals.add(line, cells, shifted)
        data = {}
        for name, value in zip(columns, cells):
            if name is not None and not _is_blank(value):
                data[name] = value.strip() if isinstance(value, str) else value
        problems: list[tuple[str | None, str, str]] = []
        if shifted:
            problems.append(
                (
                    None,
                    "INPUT-EXTRA-CELLS",
                    f"本行有 {len(cells)} 个单元格，多于表头的 {width} 列（多出“{printable('、'.join(map(str, extra)))}”）："
                    "值中是否有未加引号的分隔符？本行未检查",
                )
            )
        yield RawRecord(source, schema.kind, index, line, data, row_based=True, problems=problems)
    totals.finish(notices)


def _cell_number(spec: FieldSpec, value: object) -> float | None:
    """A cell's number, read by the field's parser as normalization reads it (None: blank or unreadable).

    Digits alone (most cells), and numbers from a worksheet, are what every parser reads as float() does.
    """
    kind = type(value)
    if kind is str:
        value = value.strip()
        if value.isdigit() and value.isascii():
            number = float(value)
            return number if number < 1e15 else None
        if not value:
            return None
    elif kind is float:
        return value if abs(value) < 1e15 else None  # NaN and infinities too
    elif kind is int:
        return float(value) if abs(value) < 1e15 else None
    elif value is None:
        return None
    try:
        number = _NUMBER_PARSERS.get(spec.parser, parse_number)(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return number if abs(number) < 1e15 else None


_WRITTEN_NUMBER = lazy_compile(r"[0-9]+(?:\.([0-9]+))?")


def _written_step(value: object) -> float:
    """The unit of the last digit a total is written to: "4.8万㎡" 1,000, "48000" 1, a number cell 0."""
    if not isinstance(value, str):
        return 0.0
    text = unicodedata.normalize("NFKC", value).replace(",", "")
    match = _WRITTEN_NUMBER.search(text)
    if match is None:
        return 0.0
    return (10000.0 if "万" in text else 1.0) * 10.0 ** -len(match.group(1) or "")


class _TotalsCheck:
    """合计/小计/总计 rows checked against the rows above them, in the columns whose field is `summed`.

    合计 and 总计 sum every record row above (not the totals rows), 小计 the rows since the previous 小计
    or 合计.  A 合计 above every record (statistics tables put it first) is checked against the rows
    below it, at the end.  A column with a blank or unreadable value among the rows summed, or in the totals
    row, is not checked (those rows have their own input errors).  Only running sums are kept (a 小计 is
    the difference from the sums at the previous totals row): a row costs one addition a summed column.
    """

    def __init__(self, source: str, schema: RecordSchema, columns: list[str | None]):
        self.source = source
        self.label = schema.label
        self.fields = [
            (k, spec) for k, name in enumerate(columns) if name is not None and (spec := schema.get(name)).summed
        ]
        self.sums = [0.0] * len(self.fields)
        self.broken = [0] * len(self.fields)  # the count of record rows at the last blank or unreadable value
        self.count = 0  # record rows so far
        self.last: int | None = None  # line of the last record row
        # since the previous totals row: the sums and count then, the line of the first record row after it
        self.since_sums = list(self.sums)
        self.since_count = 0
        self.since_first: int | None = None
        self.pending: tuple[int, str, list[object], bool] | None = None  # a 合计 row above every record
        self.reported = 0
        self.unreported = 0  # mismatches beyond MAX_TOTAL_NOTICES

    def add(self, line: int, cells: list[object], shifted: bool) -> None:
        self.count += 1
        self.last = line
        if self.since_first is None:
            self.since_first = line
        for j, (k, spec) in enumerate(self.fields):
            # cells moved by an unquoted delimiter (`shifted`): no value is where its column is
            value = cells[k] if k < len(cells) and not shifted else None
            if type(value) is str and value.isdigit() and value.isascii() and len(value) < 16:
                self.sums[j] += float(value)  # what `_cell_number` gives, without its call
                continue
            number = _cell_number(spec, value)
            if number is None:
                self.broken[j] = self.count
            else:
                self.sums[j] += number

    def close(self, word: str, line: int, cells: list[object], shifted: bool, notices: list[FileNotice]) -> None:
        if self.fields:
            if word in SUBTOTAL_WORDS:
                if self.count > self.since_count:
                    self._compare(line, word, cells, shifted, "上方", notices, self.since_count, self.since_sums)
            elif self.count:
                self._compare(line, word, cells, shifted, "上方", notices)
            elif self.pending is None:
                self.pending = (line, word, cells, shifted)
        self.since_sums = list(self.sums)
        self.since_count = self.count
        self.since_first = None

    def finish(self, notices: list[FileNotice]) -> None:
        if self.pending is not None and self.count:
            self._compare(*self.pending, "下方", notices)
        if self.unreported:
            notices.append(
                FileNotice(
                    self.source,
                    f"另有 {self.unreported:,} 处合计/小计与其所计各行之和不符，未逐一列出",
                    "INPUT-TOTAL-MISMATCH",
                    "warning",
                )
            )

    def _compare(
        self,
        line: int,
        word: str,
        cells: list[object],
        shifted: bool,
        side: str,
        notices: list[FileNotice],
        base_count: int = 0,
        base_sums: list[float] | None = None,
    ) -> None:
        """The notice for each summed column where the totals row differs from the rows after `base_count`."""
        count = self.count - base_count
        rows = f"{side} {count} 个{self.label}"
        if base_sums is not None:
            lines = f"第{self.since_first}行" + (f"至第{self.last}行" if self.last != self.since_first else "")
            rows = f"{side}{lines} {count} 个{self.label}"
        for j, (k, spec) in enumerate(self.fields):
            written = None if shifted or k >= len(cells) else _cell_number(spec, cells[k])
            if written is None or self.broken[j] > base_count:
                continue
            total = round(self.sums[j] - (base_sums[j] if base_sums is not None else 0.0), 6)
            tolerance = max(0.01, _written_step(cells[k]) / 2, 1e-9 * max(abs(written), abs(total)))
            difference = abs(written - total)
            if difference <= tolerance * (1 + 1e-9):
                continue
            if self.reported >= MAX_TOTAL_NOTICES:
                self.unreported += 1
                continue
            self.reported += 1
            unit = f" {spec.unit}" if spec.unit else ""
            notices.append(
                FileNotice(
                    self.source,
                    f"第{line}行“{word}”的{spec.label}为 {format_number(written)}{unit}，"
                    f"{rows}之和为 {format_number(total)}{unit}"
                    f"（相差 {format_number(round(difference, 6))}{unit}）",
                    "INPUT-TOTAL-MISMATCH",
                    "warning",
                )
            )


def _best_kind(header: list[str]) -> tuple[int, RecordSchema, list[str | None]]:
    """The record kind whose fields the header names most (the first registered of equals), and its columns."""
    schemas = list(SCHEMAS.values())
    by_kind: list[list[str | None]] = [[] for _ in schemas]
    for h in header:  # a cell looked up by every kind in turn (a long one is normalized once)
        for columns, schema in zip(by_kind, schemas):
            columns.append(resolve_field(schema, h) if h else None)
    best: tuple[int, RecordSchema, list[str | None]] | None = None
    for schema, columns in zip(schemas, by_kind):
        score = sum(1 for c in columns if c)
        if best is None or score > best[0]:
            best = (score, schema, columns)
    return best


def _match_header(source: str, line: int | None, header: list[str]) -> tuple[RecordSchema, list[str | None]]:
    """Pick the record kind whose fields the header names best; refuse duplicate columns."""
    score, schema, columns = _best_kind(header)
    if score == 0:
        raise CheckerInputError(
            "表头中没有可识别的列名（如 编号、项目名称）", Location(source, line=line), code="INPUT-NO-HEADER"
        )
    seen: dict[str, str] = {}
    for head, name in zip(header, columns):
        if name is None:
            continue
        if name in seen:
            raise CheckerInputError(
                f"列“{printable(seen[name])}”与列“{printable(head)}”重复（都对应字段 {name}）",
                Location(source, line=line, field=name),
                code="INPUT-DUPLICATE-COLUMN",
            )
        seen[name] = head
    missing = [f.label for f in schema.fields if f.required and f.name not in seen]
    if missing:
        raise CheckerInputError(
            f"缺少必填列：{'、'.join(missing)}", Location(source, line=line), code="INPUT-MISSING-COLUMN"
        )
    return schema, columns
