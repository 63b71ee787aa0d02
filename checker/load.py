"""Step 1 of the pipeline: read input files into raw records, with positions.

A raw record is a mapping from *field names* (aliases already resolved) to the
values exactly as written, plus where it came from (file, line, row).  Nothing
is converted here; `normalize` does that, so that a bad value is reported with
its position and the other records are still checked.

Files are read lazily (generators) so a large ledger is never held in memory
as a whole.  YAML is read with a safe loader that also refuses aliases (an
"alias bomb" is a few bytes that expand to gigabytes).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CheckerInputError, Location
from .fields import SCHEMAS, RecordSchema, resolve_field

RECORD_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl", ".csv", ".xlsx"}


@dataclass
class RawRecord:
    source: str  # the path as the user gave it (or found under a directory)
    kind: str  # record schema kind: "project", ...
    index: int  # 1-based position among the file's records
    line: int | None  # line (text files) or spreadsheet row of the record
    data: dict[str, object]  # field name -> value as written
    field_lines: dict[str, int] = field(default_factory=dict)
    unknown_fields: list[str] = field(default_factory=list)
    row_based: bool = False  # CSV/XLSX rows are named "第N行", YAML records "第N条"

    @property
    def label(self) -> str:
        """How the record is named in messages: its id, else its position."""
        rid = self.data.get("id")
        if rid not in (None, ""):
            return str(rid).strip()
        return f"第{self.line}行" if self.row_based and self.line else f"第{self.index}条"

    def location(self, field_name: str | None = None) -> Location:
        line = self.field_lines.get(field_name, self.line) if field_name else self.line
        return Location(self.source, line=line, record=self.label, field=field_name)


@dataclass
class FileNotice:
    """Something about a whole file worth telling (unknown columns and the like)."""

    source: str
    message: str
    code: str
    severity: str = "info"


def iter_input_files(paths: list[str], suffixes: set[str], errors: list[CheckerInputError] | None = None) -> Iterator[str]:
    """Files named on the command line ("-" is standard input), and files under directories (sorted).

    A missing path is collected in `errors` (when given) so the other inputs are still checked.
    """
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield raw
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in suffixes and not child.name.startswith((".", "~$")):
                    yield str(child)
        elif path.exists():
            yield raw
        else:
            error = CheckerInputError("文件不存在", Location(raw), code="INPUT-FILE")
            if errors is None:
                raise error
            errors.append(error)


def read_records(path: Path | str, notices: list[FileNotice] | None = None) -> Iterator[RawRecord]:
    """All records of one file, by its extension; file-level problems raise CheckerInputError."""
    path = Path(path)
    suffix = path.suffix.lower()
    source = str(path)
    notices = notices if notices is not None else []
    if suffix in (".yaml", ".yml"):
        yield from _mapping_records(source, _load_yaml(path), notices)
    elif suffix == ".json":
        yield from _mapping_records(source, _load_json(path), notices)
    elif suffix == ".jsonl":
        yield from _jsonl_records(path, notices)
    elif suffix == ".csv":
        yield from _table_records(source, _csv_rows(path), notices)
    elif suffix == ".xlsx":
        yield from _xlsx_records(path, notices)
    else:
        raise CheckerInputError(f"不支持的文件类型“{path.suffix}”", Location(source), code="INPUT-FILE")


# ---------------------------------------------------------------- text files

def read_text(path: Path) -> str:
    """Text of a record file: UTF-8 (BOM allowed) or GB18030/GBK, detected; binary is refused."""
    from .text.decode import read_text_file

    return read_text_file(path).text


class _LineSafeLoader(yaml.SafeLoader):
    """Safe loader that remembers the line of every mapping and of its keys, and refuses aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self.positions: dict[int, tuple[int, dict[str, int]]] = {}

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"line {event.start_mark.line + 1}: 不允许使用 YAML 别名（*{event.anchor}）")
        return super().compose_node(parent, index)

    def construct_positioned_map(self, node):
        """Like SafeConstructor.construct_yaml_map, remembering the lines of the mapping and its keys."""
        data: dict = {}
        keys = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                keys[str(key_node.value)] = key_node.start_mark.line + 1
        self.positions[id(data)] = (node.start_mark.line + 1, keys)
        yield data
        data.update(self.construct_mapping(node))


_LineSafeLoader.add_constructor("tag:yaml.org,2002:map", _LineSafeLoader.construct_positioned_map)


class _Positioned:
    """A parsed document plus the line of each mapping (by object identity)."""

    def __init__(self, data: object, positions: dict[int, tuple[int, dict[str, int]]]):
        self.data = data
        self.positions = positions

    def lines_of(self, mapping: dict) -> tuple[int | None, dict[str, int]]:
        return self.positions.get(id(mapping), (None, {}))


def _load_yaml(path: Path) -> _Positioned:
    text = read_text(path)
    loader = _LineSafeLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CheckerInputError(f"YAML 格式错误：{exc.problem or exc}", Location(str(path), line=line),
                                code="INPUT-FORMAT") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise CheckerInputError(f"YAML 格式错误：{exc}", Location(str(path)), code="INPUT-FORMAT") from None
    finally:
        loader.dispose()
    return _Positioned(data, loader.positions)


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]\n]')


def _json_object_lines(text: str) -> list[tuple[int, int]]:
    """(depth, line) of every JSON object in document order, from a light scan.

    json does not report positions; this scan does, so that JSON records get
    line numbers like YAML ones.  Strings are skipped as whole tokens.
    """
    line, depth, found = 1, 0, []
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token in "{[":
            if token == "{":
                found.append((depth, line))
            depth += 1
        elif token in "}]":
            depth -= 1
    return found


def _load_json(path: Path) -> _Positioned:
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CheckerInputError(f"JSON 格式错误：{exc.msg}", Location(str(path), line=exc.lineno, column=exc.colno),
                                code="INPUT-FORMAT") from None
    except RecursionError:
        raise CheckerInputError("JSON 嵌套层数过深", Location(str(path)), code="INPUT-FORMAT") from None
    positions: dict[int, tuple[int, dict[str, int]]] = {}
    # Objects are visited in the same order the scan found them.
    object_lines = iter(_json_object_lines(text))

    def walk(node: object) -> None:
        if isinstance(node, dict):
            entry = next(object_lines, None)
            if entry:
                positions[id(node)] = (entry[1], {})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    try:
        walk(data)
    except RecursionError:
        raise CheckerInputError("JSON 嵌套层数过深", Location(str(path)), code="INPUT-FORMAT") from None
    return _Positioned(data, positions)


def _schema_for_key(key: str) -> RecordSchema | None:
    for schema in SCHEMAS.values():
        if key == schema.list_key:
            return schema
    return None


def _mapping_records(source: str, doc: _Positioned, notices: list[FileNotice]) -> Iterator[RawRecord]:
    """Records of a YAML/JSON document: `projects:` (etc.) lists, or one record with `kind:`."""
    data = doc.data
    if data is None:
        raise CheckerInputError("文件为空", Location(source), code="INPUT-FORMAT")
    if isinstance(data, dict) and "kind" in data:
        schema = SCHEMAS.get(str(data["kind"]))
        if schema is None:
            raise CheckerInputError(f"未知的记录类型 kind“{data['kind']}”", Location(source, line=doc.lines_of(data)[0]),
                                    code="INPUT-FORMAT")
        yield _raw_from_mapping(source, schema, 1, data, doc)
        return
    if not isinstance(data, dict):
        raise CheckerInputError("顶层应为映射（含 projects: 列表，或带 kind: 的单条记录）", Location(source),
                                code="INPUT-FORMAT")
    lists = [(key, _schema_for_key(str(key))) for key in data]
    known = [(key, schema) for key, schema in lists if schema is not None]
    if not known:
        expected = "、".join(f"{s.list_key}:" for s in SCHEMAS.values())
        raise CheckerInputError(f"找不到记录列表（应有 {expected}）", Location(source), code="INPUT-FORMAT")
    for key, schema in known:
        items = data[key]
        if items is None:
            continue
        if not isinstance(items, list):
            line = doc.lines_of(data)[1].get(str(key))
            raise CheckerInputError(f"{key}: 应为列表", Location(source, line=line), code="INPUT-FORMAT")
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise CheckerInputError(f"{key} 第{index}条应为映射", Location(source, record=f"第{index}条"),
                                        code="INPUT-FORMAT")
            yield _raw_from_mapping(source, schema, index, item, doc)


def _raw_from_mapping(source: str, schema: RecordSchema, index: int, item: dict, doc: _Positioned) -> RawRecord:
    line, key_lines = doc.lines_of(item)
    data: dict[str, object] = {}
    field_lines: dict[str, int] = {}
    unknown: list[str] = []
    for key, value in _flatten(item).items():
        if key == "kind":
            continue
        name = resolve_field(schema, str(key))
        if name is None:
            unknown.append(str(key))
            continue
        data[name] = value
        if str(key) in key_lines:
            field_lines[name] = key_lines[str(key)]
    return RawRecord(source, schema.kind, index, line, data, field_lines, unknown)


def _flatten(item: dict) -> dict:
    """Nested groups become prefixed fields: approval_flow: {type: …} → approval_flow_type."""
    if not any(isinstance(v, dict) for v in item.values()):
        return item
    flat: dict = {}
    for key, value in item.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key}_{sub}"] = inner
        else:
            flat[key] = value
    return flat


def _jsonl_records(path: Path, notices: list[FileNotice]) -> Iterator[RawRecord]:
    """One JSON object per line; streamed, never read whole."""
    source = str(path)
    default = SCHEMAS["project"]
    try:
        handle = path.open("r", encoding="utf-8-sig")
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    with handle:
        index = 0
        try:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                index += 1
                try:
                    item = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as exc:
                    msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "嵌套层数过深"
                    raise CheckerInputError(f"JSON 格式错误：{msg}", Location(source, line=line_no),
                                            code="INPUT-FORMAT") from None
                if not isinstance(item, dict):
                    raise CheckerInputError("每行应为一个 JSON 对象", Location(source, line=line_no), code="INPUT-FORMAT")
                schema = SCHEMAS.get(str(item.get("kind", default.kind)))
                if schema is None:
                    raise CheckerInputError(f"未知的记录类型 kind“{item.get('kind')}”", Location(source, line=line_no),
                                            code="INPUT-FORMAT")
                record = _raw_from_mapping(source, schema, index, item, _Positioned(item, {}))
                record.line = line_no
                yield record
        except UnicodeDecodeError:
            raise CheckerInputError("JSONL 文件应为 UTF-8 编码", Location(source), code="INPUT-FILE") from None


# ---------------------------------------------------------------- tables

def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    """(line, cells) for every CSV row; delimiter sniffed among , ; tab."""
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            yield start, list(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CheckerInputError(f"CSV 格式错误：{exc}", Location(str(path), line=reader.line_num),
                                code="INPUT-FORMAT") from None


def _xlsx_records(path: Path, notices: list[FileNotice]) -> Iterator[RawRecord]:
    """Rows of every sheet whose header row names known fields."""
    import zipfile

    from openpyxl import load_workbook  # heavy: imported only for .xlsx

    source = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CheckerInputError(f"不是有效的 .xlsx 文件（{type(exc).__name__}）", Location(source),
                                code="INPUT-FORMAT") from None
    try:
        sheets = workbook.worksheets
        found_any = False
        for sheet in sheets:
            label = source if len(sheets) == 1 else f"{source}#{sheet.title}"
            rows = _xlsx_rows(sheet)
            try:
                yield from _table_records(label, rows, notices)
                found_any = True
            except CheckerInputError as exc:
                if exc.code != "INPUT-NO-HEADER" or len(sheets) == 1:
                    raise
        if not found_any:
            raise CheckerInputError("工作簿中没有可识别表头的工作表", Location(source), code="INPUT-NO-HEADER")
    finally:
        workbook.close()


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[object]]]:
    for row in sheet.iter_rows():
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
            yield line, cells


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_records(source: str, rows: Iterator[tuple[int, list[object]]], notices: list[FileNotice]) -> Iterator[RawRecord]:
    """Records from a header row and data rows (CSV or a worksheet)."""
    header_line, header = None, None
    for line, cells in rows:
        if any(not _is_blank(c) for c in cells):
            header_line, header = line, ["" if c is None else str(c).strip() for c in cells]
            break
    if header is None:
        raise CheckerInputError("表格为空（找不到表头）", Location(source), code="INPUT-NO-HEADER")
    schema, columns = _match_header(source, header_line, header)
    unknown = [h for h, name in zip(header, columns) if h and name is None]
    if unknown:
        notices.append(FileNotice(source, f"已忽略未识别的列：{'、'.join(unknown)}", "INPUT-UNKNOWN-COLUMN"))
    index = 0
    for line, cells in rows:
        if all(_is_blank(c) for c in cells):
            continue
        index += 1
        data = {}
        for name, value in zip(columns, cells):
            if name is not None and not _is_blank(value):
                data[name] = value.strip() if isinstance(value, str) else value
        yield RawRecord(source, schema.kind, index, line, data, row_based=True)


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
        raise CheckerInputError("表头中没有可识别的列名（如 编号、项目名称）", Location(source, line=line),
                                code="INPUT-NO-HEADER")
    seen: dict[str, str] = {}
    for head, name in zip(header, columns):
        if name is None:
            continue
        if name in seen:
            raise CheckerInputError(f"列“{seen[name]}”与列“{head}”重复（都对应字段 {name}）",
                                    Location(source, line=line, field=name), code="INPUT-DUPLICATE-COLUMN")
        seen[name] = head
    missing = [f.label for f in schema.fields if f.required and f.name not in seen]
    if missing:
        raise CheckerInputError(f"缺少必填列：{'、'.join(missing)}", Location(source, line=line), code="INPUT-MISSING-COLUMN")
    return schema, columns
