"""Tables (CSV rows, worksheet rows): the header row names the record kind and each column's field."""

from __future__ import annotations

from collections.abc import Iterator

from checker.core.errors import CheckerInputError, Location
from checker.core.values import printable
from checker.inputs.base import RecordBudget
from checker.records.fields import SCHEMAS, RecordSchema, resolve_field
from checker.records.raw import FileNotice, RawRecord


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def table_header(
    source: str, rows: Iterator[tuple[int, list[object]]]
) -> tuple[list[str], RecordSchema, list[str | None]]:
    """The header row (the first one not blank) of `rows`, its record kind and each column's field."""
    header_line, header = None, None
    for line, cells in rows:
        if any(not _is_blank(c) for c in cells):
            header_line, header = line, ["" if c is None else str(c).strip() for c in cells]
            break
    if header is None:
        raise CheckerInputError("表格为空（找不到表头）", Location(source), code="INPUT-NO-HEADER")
    schema, columns = _match_header(source, header_line, header)
    return header, schema, columns


def note_unknown_columns(source: str, header: list, columns: list, notices: list[FileNotice]) -> None:
    """The file's notice of header cells that name no field (ignored columns), if there are any."""
    unknown = [printable(h) for h, name in zip(header, columns) if h and name is None]
    if unknown:
        notices.append(FileNotice(source, f"已忽略未识别的列：{'、'.join(unknown)}", "INPUT-UNKNOWN-COLUMN"))


def table_records(
    source: str,
    rows: Iterator[tuple[int, list[object]]],
    notices: list[FileNotice],
    budget: RecordBudget | None = None,
    csv_width: bool = False,
    header: tuple[list[str], RecordSchema, list[str | None]] | None = None,
    first_index: int = 1,
) -> Iterator[RawRecord]:
    """Records from a header row and data rows (CSV or a worksheet).

    With `csv_width`, a row with more non-blank cells than the header has columns is an error
    for that row (an unquoted delimiter inside a value shifts every later cell).  With `header`
    (from `table_header`), `rows` are data rows only, the first record being number `first_index`.
    """
    budget = budget or RecordBudget(source)
    if header is None:
        header, schema, columns = table_header(source, rows)
        note_unknown_columns(source, header, columns, notices)
    else:
        header, schema, columns = header
    index = first_index - 1
    for line, cells in rows:
        if all(_is_blank(c) for c in cells):
            continue
        index += 1
        budget.take(line)
        data = {}
        for name, value in zip(columns, cells):
            if name is not None and not _is_blank(value):
                data[name] = value.strip() if isinstance(value, str) else value
        problems: list[tuple[str | None, str, str]] = []
        extra = [c for c in cells[len(header) :] if not _is_blank(c)]
        if csv_width and extra:
            problems.append(
                (
                    None,
                    "INPUT-EXTRA-CELLS",
                    f"本行有 {len(cells)} 个单元格，多于表头的 {len(header)} 列（多出“{printable('、'.join(map(str, extra)))}”）："
                    "值中是否有未加引号的分隔符？本行未检查",
                )
            )
        yield RawRecord(source, schema.kind, index, line, data, row_based=True, problems=problems)


def _match_header(source: str, line: int | None, header: list[str]) -> tuple[RecordSchema, list[str | None]]:
    """Pick the record kind whose fields the header names best; refuse duplicate columns."""
    best: tuple[int, RecordSchema, list[str | None]] | None = None
    for schema in SCHEMAS.values():
        columns = [resolve_field(schema, h) if h else None for h in header]
        score = sum(1 for c in columns if c)
        if best is None or score > best[0]:
            best = (score, schema, columns)
    score, schema, columns = best
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
