"""Step 1 of the pipeline: read input files into raw records, with positions.

A raw record is a mapping from *field names* (aliases already resolved) to the
values exactly as written, plus where it came from (file, line, row).  Nothing
is converted here; `normalize` does that, so that a bad value is reported with
its position and the other records are still checked.

Files are read lazily (generators) so a large ledger is never held in memory
as a whole.  YAML is read with a safe loader that also refuses aliases (an
"alias bomb" is a few bytes that expand to gigabytes) and constructs nothing
but plain values: no tag builds an object, and what YAML 1.1 would silently
reinterpret (010 as octal 8, 1:30 as 90, `on` as true, an impossible date)
stays text as written, for the field's own parser to accept or refuse.

Every reader enforces `checker.limits` (file size, line length, records per
file, nesting depth, .xlsx zip bombs); going over one is a CheckerInputError
naming the file and the line, never a crash.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor

from .errors import CheckerInputError, Location
from .fields import SCHEMAS, RecordSchema, resolve_field
from .limits import get_limits
from .values import printable

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
    # problems found while reading (duplicate keys, stray cells): (field or None, code, message); errors
    problems: list[tuple[str | None, str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the record is named in messages: its id (shortened, control characters escaped), else its position."""
        rid = self.data.get("id")
        if rid is not None:
            text = printable(rid, 40).strip()
            if text:
                return text
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


def read_records(path: Path | str, notices: list[FileNotice] | None = None, start: ResumePoint | None = None,
                 stop: ResumePoint | None = None) -> Iterator[RawRecord]:
    """All records of one file, by its extension; file-level problems raise CheckerInputError.

    With `start` and/or `stop` (points from `split_points` for this file), only the records from the one
    at `start` (inclusive; None: the first) to the one at `stop` (exclusive; None: the end) are read, with
    the index, line, data, problems and errors a full read gives them.  What concerns the whole file is
    only done by the range that begins the file (`start` None): the file's notices (unknown columns) and
    its encoding check; a range with `stop` never says the file is empty (it has records).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    source = str(path)
    notices = notices if notices is not None else []
    budget = _RecordBudget(source)
    if start is not None or stop is not None:
        if suffix not in (".csv", ".jsonl"):
            raise ValueError(f"record ranges are only for .csv and .jsonl files, not {source}")
        if start is not None:
            budget.count = start.index - 1
    if suffix in (".yaml", ".yml"):
        yield from _mapping_records(source, _load_yaml(path), notices, budget)
    elif suffix == ".json":
        yield from _mapping_records(source, _load_json(path), notices, budget)
    elif suffix == ".jsonl":
        yield from _jsonl_records(path, notices, budget, start, stop)
    elif suffix == ".csv":
        yield from _csv_records(path, notices, budget, start, stop)
    elif suffix == ".xlsx":
        yield from _xlsx_records(path, notices, budget)
    else:
        raise CheckerInputError(f"不支持的文件类型“{printable(path.suffix)}”", Location(source), code="INPUT-FILE")


@dataclass(frozen=True)
class ResumePoint:
    """Where a record of a .csv/.jsonl file starts, so that reading can begin (or end) there.

    Made by `split_points`; valid for the file as it was then.
    """

    offset: int  # byte offset in the file of the first line of the record
    line: int  # 1-based number of that line (RawRecord.line of the record)
    index: int  # RawRecord.index of the record (1-based among the file's records; >= 2)
    encoding: str  # how the file's text is decoded ("utf-8", "gb18030"): a range need not detect it again
    text_start: int = 0  # bytes before the text (3 for a UTF-8 BOM): where a CSV header is read from


class _RecordBudget:
    """Counts a file's records against `max_records`; the ones within the limit are still checked."""

    def __init__(self, source: str):
        self.source = source
        self.limit = get_limits().max_records
        self.count = 0

    def take(self, line: int | None = None) -> None:
        self.count += 1
        if self.count > self.limit:
            raise CheckerInputError(f"记录数超过上限 {self.limit:,} 条，第 {self.count:,} 条及以后的记录未检查",
                                    Location(self.source, line=line), code="INPUT-LIMIT")


# ---------------------------------------------------------------- text files

def read_text(path: Path, check_lines: bool = True) -> str:
    """Text of a record file: UTF-8 (BOM allowed) or GB18030/GBK, detected; binary is refused.

    The file size limit always applies; the line length limit unless `check_lines` is false
    (JSON is often written on one line).
    """
    from .text.decode import check_line_lengths, read_text_file

    text = read_text_file(path).text
    if check_lines:
        check_line_lengths(text, str(path))
    return text


class _TextLines:
    """Lines of a text file read from a byte offset, decoded one at a time; an iterator of str.

    Line breaks are those of `read_text` and of io.TextIOWrapper's universal newlines: "\\r\\n", "\\r"
    and "\\n" each end a line and become "\\n" (the last line may have none).  A break byte never occurs
    inside a UTF-8 or GB18030 character, so each line decodes on its own.  `offset` is the byte
    offset of the next line and `line` the number of the last line returned.  A line longer than
    `max_line_chars`, bytes that do not decode (`undecodable` names the problem), or more than
    `max_file_bytes` in all raise CheckerInputError naming the line.
    """

    _CHUNK = 64 * 1024

    def __init__(self, handle, source: str, encoding: str, offset: int, line: int = 1,
                 undecodable: str = "文件内容无法按检测到的编码解码（读取中文件被修改？）"):
        limits = get_limits()
        handle.seek(offset)
        self._handle = handle
        self._source = source
        self._encoding = encoding
        self._undecodable = undecodable
        self._limit = limits.max_line_chars
        self._max_pending = 4 * limits.max_line_chars + 4  # bytes: a longer line has too many characters
        self._budget = limits.max_file_bytes - offset
        self.offset = offset
        self.line = line - 1
        self._lines: list[bytes] = []
        self._next = 0
        self._rest = b""
        self._eof = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._next >= len(self._lines):
            self._fill()
        raw = self._lines[self._next]
        self._next += 1
        self.offset += len(raw)
        self.line += 1
        try:
            text = raw.decode(self._encoding)
        except UnicodeDecodeError:
            raise CheckerInputError(self._undecodable, Location(self._source, line=self.line),
                                    code="INPUT-FILE") from None
        if text[-1:] == "\n":
            if text[-2:-1] == "\r":
                text = text[:-2] + "\n"
            length = len(text) - 1
        elif text[-1:] == "\r":
            text = text[:-1] + "\n"
            length = len(text) - 1
        else:
            length = len(text)
        if length > self._limit:
            raise _long_line(self._source, self.line)
        return text

    def _fill(self) -> None:
        self._lines, self._next = [], 0
        while not self._lines:
            if len(self._rest) > self._max_pending:
                raise _long_line(self._source, self.line + 1)
            block = b"" if self._eof else self._handle.read(self._CHUNK)
            if not block:
                self._eof = True
                if not self._rest:
                    raise StopIteration
                self._lines, self._rest = [self._rest], b""
                return
            self._budget -= len(block)
            if self._budget < 0:
                raise CheckerInputError("文件过大（读取中仍在增长），未读完", Location(self._source, line=self.line + 1),
                                        code="INPUT-LIMIT")
            lines = (self._rest + block).splitlines(True) if self._rest else block.splitlines(True)
            # an unfinished last line, or one ending in "\r" that a "\n" in the next block may complete, waits
            self._rest = lines.pop() if lines[-1][-1:] != b"\n" else b""
            self._lines = lines


def _long_line(source: str, line: int) -> CheckerInputError:
    from .text.decode import long_line_error

    return long_line_error(source, line, None)


class _Refused(yaml.YAMLError):
    """Something the loader refuses on purpose (an alias, too deep a nesting), with its line."""

    def __init__(self, message: str, line: int | None, code: str = "INPUT-FORMAT"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_YAML_SPECIAL_FLOATS = {".inf", "+.inf", "-.inf", ".nan"}


class _PositionsMixin:
    """What our loaders add to PyYAML: lines of mappings and keys, duplicate keys; aliases and depth refused."""

    def _init_positions(self) -> None:
        self.positions: dict[int, tuple[int, dict[str, int]]] = {}
        self.duplicates: dict[int, list[tuple[str, int]]] = {}
        self._depth = 0
        self._max_depth = get_limits().max_nesting

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"不允许使用 YAML 别名（*{printable(event.anchor)}）", event.start_mark.line + 1)
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                event = self.peek_event()
                raise _Refused(f"嵌套层数超过上限 {self._max_depth} 层", event.start_mark.line + 1, "INPUT-LIMIT")
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1

    def construct_positioned_map(self, node):
        """Like SafeConstructor.construct_yaml_map, remembering the lines of the mapping, its keys and duplicates."""
        data: dict = {}
        keys: dict[str, int] = {}
        duplicates: list[tuple[str, int]] = []
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = str(key_node.value)
                if key in keys:
                    duplicates.append((key, key_node.start_mark.line + 1))
                else:
                    keys[key] = key_node.start_mark.line + 1
        self.positions[id(data)] = (node.start_mark.line + 1, keys)
        if duplicates:
            self.duplicates[id(data)] = duplicates
        yield data
        data.update(self.construct_mapping(node))

    # Scalars YAML 1.1 would reinterpret stay text as written; the field's parser decides.
    def construct_plain_int(self, node):
        value = self.construct_scalar(node)
        return int(value) if _PLAIN_INT.fullmatch(value) else value  # 010, 0x1F, 1_000, 1:30, 30 digits

    def construct_plain_float(self, node):
        value = self.construct_scalar(node)
        if value.lower() in _YAML_SPECIAL_FLOATS:
            return SafeConstructor.construct_yaml_float(self, node)  # NaN/infinity: refused by the field parser
        return float(value) if _PLAIN_FLOAT.fullmatch(value) else value

    def construct_plain_bool(self, node):
        value = self.construct_scalar(node)
        lowered = value.lower()
        return True if lowered == "true" else False if lowered == "false" else value  # yes/no/on/off stay text

    def construct_checked_timestamp(self, node):
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except (ValueError, TypeError, AttributeError, OverflowError):
            return self.construct_scalar(node)  # 2023-02-30: the date parser names it


def _register_constructors(loader: type) -> None:
    loader.add_constructor("tag:yaml.org,2002:map", loader.construct_positioned_map)
    loader.add_constructor("tag:yaml.org,2002:int", loader.construct_plain_int)
    loader.add_constructor("tag:yaml.org,2002:float", loader.construct_plain_float)
    loader.add_constructor("tag:yaml.org,2002:bool", loader.construct_plain_bool)
    loader.add_constructor("tag:yaml.org,2002:timestamp", loader.construct_checked_timestamp)


class _LineSafeLoader(_PositionsMixin, yaml.SafeLoader):
    """Pure-Python safe loader with positions (used when libyaml is not installed)."""

    def __init__(self, stream):
        yaml.SafeLoader.__init__(self, stream)
        self._init_positions()


_register_constructors(_LineSafeLoader)

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

if _CParser is not None:
    class _FastLineSafeLoader(_PositionsMixin, Composer, _CParser, SafeConstructor, yaml.resolver.Resolver):
        """libyaml's scanner and parser (several times faster) under PyYAML's composer and our constructors.

        The composer stays in Python so that aliases and nesting are refused at
        the event where they occur, with its line.
        """

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._init_positions()

    _register_constructors(_FastLineSafeLoader)
    _YAML_LOADER: type = _FastLineSafeLoader
else:
    _YAML_LOADER = _LineSafeLoader


class _Positioned:
    """A parsed document plus the line of each mapping (by object identity) and its duplicate keys."""

    def __init__(self, data: object, positions: dict[int, tuple[int, dict[str, int]]],
                 duplicates: dict[int, list[tuple[str, int]]] | None = None):
        self.data = data
        self.positions = positions
        self.duplicates = duplicates or {}

    def lines_of(self, mapping: dict) -> tuple[int | None, dict[str, int]]:
        return self.positions.get(id(mapping), (None, {}))

    def duplicates_of(self, mapping: dict) -> list[tuple[str, int | None]]:
        return self.duplicates.get(id(mapping), [])


_UNKNOWN_TAG = re.compile(r"could not determine a constructor for the tag '([^']*)'")


def _yaml_problem(exc: Exception) -> str:
    return printable(" ".join(str(exc).split()), 160)


def _load_yaml(path: Path) -> _Positioned:
    source = str(path)
    text = read_text(path)
    loader = None
    try:
        loader = _YAML_LOADER(text)  # the pure-Python reader checks the characters here already
        data = loader.get_single_data()
    except _Refused as exc:
        raise CheckerInputError(exc.message, Location(source, line=exc.line), code=exc.code) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1000) met before ours
            raise CheckerInputError(f"嵌套层数超过上限 {get_limits().max_nesting} 层", Location(source, line=line),
                                    code="INPUT-LIMIT") from None
        tag = _UNKNOWN_TAG.search(str(exc.problem))
        if isinstance(exc, yaml.constructor.ConstructorError) and tag:
            raise CheckerInputError(f"不允许的 YAML 标签“{printable(tag.group(1))}”（只读取普通数据，不构造任何对象）",
                                    Location(source, line=line), code="INPUT-FORMAT") from None
        raise CheckerInputError(f"YAML 格式错误：{_yaml_problem(exc.problem or exc)}", Location(source, line=line),
                                code="INPUT-FORMAT") from None
    except yaml.reader.ReaderError as exc:
        line = None
        if isinstance(exc.position, int):  # libyaml counts UTF-8 bytes, PyYAML's reader characters
            before = text.encode("utf-8")[:exc.position] if _CParser and isinstance(loader, _CParser) else \
                text[:exc.position]
            line = before.count(b"\n" if isinstance(before, bytes) else "\n") + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "字节"
        raise CheckerInputError(f"YAML 格式错误：含不允许的字符 {what}（控制字符）", Location(source, line=line),
                                code="INPUT-FORMAT") from None
    except RecursionError:
        raise CheckerInputError("YAML 嵌套层数过深", Location(source), code="INPUT-LIMIT") from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, OverflowError) as exc:
        # a constructor that choked on an explicit tag (!!binary of bad base64, !!set of …): the file's fault
        raise CheckerInputError(f"YAML 格式错误：{_yaml_problem(exc)}", Location(source), code="INPUT-FORMAT") from None
    finally:
        if loader is not None:
            loader.dispose()
    return _Positioned(data, loader.positions, loader.duplicates)


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]\n]')


def _json_object_lines(text: str, source: str, first_line: int = 1) -> list[tuple[int, int]]:
    """(depth, line) of every JSON object in document order, from a light scan; too deep a nesting is refused.

    json does not report positions; this scan does, so that JSON records get
    line numbers like YAML ones.  Strings are skipped as whole tokens.
    """
    limit = get_limits().max_nesting
    line, depth, found = first_line, 0, []
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token in "{[":
            if token == "{":
                found.append((depth, line))
            depth += 1
            if depth > limit:
                raise CheckerInputError(f"嵌套层数超过上限 {limit} 层", Location(source, line=line), code="INPUT-LIMIT")
        elif token in "}]":
            depth -= 1
    return found


def _json_hooks() -> tuple[dict[int, list[tuple[str, int | None]]], dict]:
    """json.loads hooks: duplicate keys remembered (never silently dropped), long integers kept as text."""
    duplicates: dict[int, list[tuple[str, int | None]]] = {}

    def pairs_hook(pairs):
        data: dict = {}
        repeated = []
        for key, value in pairs:
            if key in data:
                repeated.append((key, None))
            data[key] = value
        if repeated:
            duplicates[id(data)] = repeated
        return data

    def parse_int(text: str):
        # a number of hundreds of digits is not converted (Python refuses beyond 4300); the field parser names it
        return int(text) if len(text) <= 18 else text

    return duplicates, {"object_pairs_hook": pairs_hook, "parse_int": parse_int}


def _load_json(path: Path) -> _Positioned:
    source = str(path)
    text = read_text(path, check_lines=False)
    duplicates, hooks = _json_hooks()
    try:
        data = json.loads(text, **hooks)
    except json.JSONDecodeError as exc:
        raise CheckerInputError(f"JSON 格式错误：{exc.msg}", Location(source, line=exc.lineno, column=exc.colno),
                                code="INPUT-FORMAT") from None
    except RecursionError:
        _json_object_lines(text, source)  # names the line where the nesting goes too deep
        raise CheckerInputError("JSON 嵌套层数过深", Location(source), code="INPUT-LIMIT") from None
    except ValueError as exc:
        raise CheckerInputError(f"JSON 格式错误：{printable(exc, 120)}", Location(source), code="INPUT-FORMAT") from None
    positions: dict[int, tuple[int, dict[str, int]]] = {}
    # Objects are visited in the same order the scan found them.
    object_lines = iter(_json_object_lines(text, source))

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

    walk(data)  # depth already within max_nesting
    return _Positioned(data, positions, duplicates)


def _schema_for_key(key: str) -> RecordSchema | None:
    for schema in SCHEMAS.values():
        if key == schema.list_key:
            return schema
    return None


def _mapping_records(source: str, doc: _Positioned, notices: list[FileNotice],
                     budget: _RecordBudget | None = None) -> Iterator[RawRecord]:
    """Records of a YAML/JSON document: `projects:` (etc.) lists, or one record with `kind:`."""
    budget = budget or _RecordBudget(source)
    data = doc.data
    if data is None:
        raise CheckerInputError("文件为空", Location(source), code="INPUT-FORMAT")
    if isinstance(data, dict) and "kind" in data:
        schema = SCHEMAS.get(str(data["kind"]))
        if schema is None:
            raise CheckerInputError(f"未知的记录类型 kind“{printable(data['kind'])}”",
                                    Location(source, line=doc.lines_of(data)[0]), code="INPUT-FORMAT")
        budget.take(doc.lines_of(data)[0])
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
    for key, line in doc.duplicates_of(data):
        if _schema_for_key(str(key)) is not None:  # a second `projects:` would silently replace the first
            raise CheckerInputError(f"键“{printable(key)}”出现了两次，前一个列表会被后一个覆盖，未检查",
                                    Location(source, line=line), code="INPUT-FORMAT")
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
            budget.take(doc.lines_of(item)[0])
            yield _raw_from_mapping(source, schema, index, item, doc)


def _raw_from_mapping(source: str, schema: RecordSchema, index: int, item: dict, doc: _Positioned) -> RawRecord:
    line, key_lines = doc.lines_of(item)
    data: dict[str, object] = {}
    field_lines: dict[str, int] = {}
    written_as: dict[str, str] = {}
    unknown: list[str] = []
    problems: list[tuple[str | None, str, str]] = []
    groups = [("", item)] + [(f"{key}_", value) for key, value in item.items() if isinstance(value, dict)]
    for prefix, mapping in groups:
        for key, dup_line in doc.duplicates_of(mapping):
            name = resolve_field(schema, f"{prefix}{key}")
            where = f"（第{dup_line}行再次出现）" if dup_line else ""
            problems.append((name, "INPUT-DUPLICATE-FIELD",
                             f"键“{printable(prefix + str(key))}”重复{where}，不能确定以哪个值为准"))
    for key, value in _flatten(item):
        if key == "kind":
            continue
        name = resolve_field(schema, str(key))
        if name is None:
            unknown.append(printable(key))
            continue
        if name in data:
            problems.append((name, "INPUT-DUPLICATE-FIELD",
                             f"“{printable(written_as[name])}”与“{printable(key)}”都对应字段 {name}，不能确定以哪个值为准"))
            continue
        data[name] = value
        written_as[name] = str(key)
        if str(key) in key_lines:
            field_lines[name] = key_lines[str(key)]
    return RawRecord(source, schema.kind, index, line, data, field_lines, unknown, problems=problems)


def _flatten(item: dict) -> list[tuple[object, object]]:
    """Nested groups become prefixed fields: approval_flow: {type: …} → approval_flow_type."""
    flat: list[tuple[object, object]] = []
    for key, value in item.items():
        if isinstance(value, dict):
            flat.extend((f"{key}_{sub}", inner) for sub, inner in value.items())
        else:
            flat.append((key, value))
    return flat


_JSONL_NOT_UTF8 = "JSONL 文件应为 UTF-8 编码"


def _utf8_bom_length(handle) -> int:
    """Bytes of a UTF-8 byte order mark at the start of a binary file (read from its start), 0 without one."""
    handle.seek(0)
    return len(codecs.BOM_UTF8) if handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0


def _jsonl_records(path: Path, notices: list[FileNotice], budget: _RecordBudget | None = None,
                   start: ResumePoint | None = None, stop: ResumePoint | None = None) -> Iterator[RawRecord]:
    """One JSON object per line; streamed, never read whole (each line within `max_line_chars`).

    From `start` to `stop` when given (see `read_records`).
    """
    from .text.decode import checked_file_size

    source = str(path)
    budget = budget or _RecordBudget(source)
    default = SCHEMAS["project"]
    checked_file_size(path, source)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    with handle:
        if start is None:
            lines = _TextLines(handle, source, "utf-8", _utf8_bom_length(handle), 1, _JSONL_NOT_UTF8)
            index = 0
        else:
            lines = _TextLines(handle, source, "utf-8", start.offset, start.line, _JSONL_NOT_UTF8)
            index = start.index - 1
        end = stop.line if stop is not None else None
        while end is None or lines.line + 1 < end:
            line = next(lines, None)
            if line is None:
                break
            line_no = lines.line
            if not line.strip():
                continue
            index += 1
            budget.take(line_no)
            try:
                item, duplicates = _jsonl_object(line, source, line_no)
                schema = SCHEMAS.get(str(item.get("kind", default.kind)))
                if schema is None:
                    raise CheckerInputError(f"未知的记录类型 kind“{printable(item.get('kind'))}”",
                                            Location(source, line=line_no), code="INPUT-FORMAT")
            except CheckerInputError as exc:
                # one unreadable line is that record's error: the lines are independent, the others are checked
                record = RawRecord(source, default.kind, index, line_no, {}, problems=[(None, exc.code, exc.message)])
                yield record
                continue
            record = _raw_from_mapping(source, schema, index, item, _Positioned(item, {}, duplicates))
            record.line = line_no
            yield record
        if index == 0 and start is None and stop is None:
            raise CheckerInputError("文件为空（没有任何记录）", Location(source), code="INPUT-FORMAT")


def _jsonl_object(line: str, source: str, line_no: int) -> tuple[dict, dict]:
    """The JSON object of one JSONL line and its duplicate keys; CheckerInputError naming the line otherwise."""
    if line.count("{") + line.count("[") > get_limits().max_nesting:  # fewer brackets cannot nest too deep
        _json_object_lines(line, source, line_no)  # nesting limit
    duplicates, hooks = _json_hooks()
    try:
        item = json.loads(line, **hooks)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "嵌套层数过深" if isinstance(
            exc, RecursionError) else printable(exc, 120)
        raise CheckerInputError(f"JSON 格式错误：{msg}", Location(source, line=line_no), code="INPUT-FORMAT") from None
    if not isinstance(item, dict):
        raise CheckerInputError("每行应为一个 JSON 对象", Location(source, line=line_no), code="INPUT-FORMAT")
    return item, duplicates


# ---------------------------------------------------------------- tables

def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, sliced one at a time (io.StringIO would copy the whole text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter among , ; tab that the first line (without its break) uses most."""
    return max(",;\t", key=first_line.count) if first_line else ","


def _csv_records(path: Path, notices: list[FileNotice], budget: _RecordBudget, start: ResumePoint | None = None,
                 stop: ResumePoint | None = None) -> Iterator[RawRecord]:
    """Records of a CSV file, streamed line by line (from `start` to `stop` when given, see `read_records`)."""
    from .text.decode import checked_file_size, scan_text_file

    source = str(path)
    stop_line = stop.line if stop is not None else None
    if start is None:
        scan = scan_text_file(path, source)
        if scan is None:  # UTF-16, a guessed encoding, or an error decode_text names: read whole as before
            text = read_text(path)
            end = text.find("\n")
            delimiter = _sniff_delimiter(text if end < 0 else text[:end])
            rows = _csv_rows(source, _lines(text), delimiter, stop_line=stop_line)
            yield from _table_records(source, rows, notices, budget, csv_width=True)
            return
        encoding, text_start = scan.encoding, scan.start
    else:
        checked_file_size(path, source)
        encoding, text_start = start.encoding, start.text_start
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    with handle:
        lines = _TextLines(handle, source, encoding, text_start)
        first = next(lines, "")
        delimiter = _sniff_delimiter(first[:-1] if first.endswith("\n") else first)
        rows = _csv_rows(source, itertools.chain((first,), lines), delimiter,
                         stop_line=stop_line if start is None else None)
        if start is None:
            yield from _table_records(source, rows, notices, budget, csv_width=True)
            return
        # the header row still names the columns; the records then come from the resume point on
        header = _table_header(source, rows)
        del rows
        lines = _TextLines(handle, source, encoding, start.offset, start.line)
        data_rows = _csv_rows(source, lines, delimiter, first_line=start.line, stop_line=stop_line)
        yield from _table_records(source, data_rows, [], budget, csv_width=True, header=header,
                                  first_index=start.index)


def _csv_rows(source: str, lines: Iterator[str], delimiter: str, first_line: int = 1,
              stop_line: int | None = None) -> Iterator[tuple[int, list[object]]]:
    """(line, cells) for every CSV row of `lines` (the first being line `first_line`), up to the row that starts
    on `stop_line`; malformed quoting is refused."""
    limit = get_limits().max_line_chars
    csv.field_size_limit(limit)  # a cell is no longer than a line (one spanning lines neither)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    base = first_line - 1
    start = first_line
    try:
        while stop_line is None or start < stop_line:
            row = next(reader, None)
            if row is None:
                return
            yield start, row
            start = base + reader.line_num + 1
    except csv.Error as exc:
        message = str(exc)
        shown = "制表符" if delimiter == "\t" else delimiter
        if "unexpected end of data" in message:
            raise CheckerInputError("引号未闭合：本行开始的带引号单元格直到文件末尾都没有结束引号（文件可能未写完），"
                                    "此后的内容未检查", Location(source, line=start), code="INPUT-FORMAT") from None
        if "expected after" in message:
            raise CheckerInputError(f"引号使用有误：结束引号后还有其他字符（应紧跟分隔符“{shown}”或换行），此后的内容未检查",
                                    Location(source, line=base + reader.line_num), code="INPUT-FORMAT") from None
        if "field larger than field limit" in message:
            raise CheckerInputError(f"单元格过长（超过 {limit:,} 个字符），此后的内容未检查",
                                    Location(source, line=start), code="INPUT-LIMIT") from None
        raise CheckerInputError(f"CSV 格式错误：{printable(message, 120)}",
                                Location(source, line=base + reader.line_num), code="INPUT-FORMAT") from None


def split_points(path: Path | str, parts: int) -> list[ResumePoint]:
    """Up to `parts - 1` points splitting a .csv/.jsonl file into `parts` ranges of about equal bytes.

    Each point is the start of a record (never the first), in file order; `read_records(path, notices,
    start, stop)` over consecutive points -- (None, p1), (p1, p2), …, (pk, None) -- reads exactly the
    records, in order, with the same index/line/data/problems, and raises the same errors as one full read.
    The scan decodes and parses the file once (no records are built).  No point is placed after something
    that ends a full read (a quoting error, an undecodable byte, a long line, `max_records`), so such an
    error is raised by the last range only.  [] -- read the file in one go -- for other file types, for
    files read whole (UTF-16, guessed encodings), for files with a file-level problem (which the full read
    reports), and when the file has too few records.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    source = str(path)
    if parts < 2 or suffix not in (".csv", ".jsonl"):
        return []
    from .text.decode import checked_file_size, scan_text_file

    try:
        size = checked_file_size(path, source)
        if suffix == ".csv":
            scan = scan_text_file(path, source)
            if scan is None:
                return []
            encoding, text_start = scan.encoding, scan.start
        else:
            encoding, text_start = "utf-8", 0
        with path.open("rb") as handle:
            if suffix == ".jsonl":
                text_start = _utf8_bom_length(handle)
            targets = [size * k // parts for k in range(1, parts)]
            points = (_csv_record_starts if suffix == ".csv" else _jsonl_record_starts)(
                handle, source, encoding, text_start)
            found: list[ResumePoint] = []
            for offset, line, index in points:
                if index >= 2 and offset >= targets[0]:
                    found.append(ResumePoint(offset, line, index, encoding, text_start))
                    targets = [t for t in targets if t > offset]
                    if not targets:
                        break
            return found
    except (CheckerInputError, OSError):
        return []


def _jsonl_record_starts(handle, source: str, encoding: str, text_start: int) -> Iterator[tuple[int, int, int]]:
    """(offset, line, index) of each JSONL record; ends quietly where a full read would raise."""
    limit = get_limits().max_records
    lines = _TextLines(handle, source, encoding, text_start, 1, _JSONL_NOT_UTF8)
    index = 0
    try:
        while index < limit:
            offset = lines.offset
            line = next(lines, None)
            if line is None:
                return
            if line.strip():
                index += 1
                yield offset, lines.line, index
    except CheckerInputError:
        return


def _csv_record_starts(handle, source: str, encoding: str, text_start: int) -> Iterator[tuple[int, int, int]]:
    """(offset, line, index) of each CSV record (a row not blank after the header); ends quietly where a full
    read would raise (no header, a bad header, quoting errors, a long line, `max_records`)."""
    limit = get_limits().max_records
    lines = _TextLines(handle, source, encoding, text_start)
    first = next(lines, "")
    delimiter = _sniff_delimiter(first[:-1] if first.endswith("\n") else first)
    rows = _csv_rows(source, itertools.chain((first,), lines), delimiter)
    index = 0
    try:
        _table_header(source, rows)
        offset = lines.offset  # where the next row starts: the reader pulls no line ahead of its row
        for line, cells in rows:
            if "".join(cells).strip():  # the cells of a CSV row are strings: blank when all are
                if index >= limit:
                    return
                index += 1
                yield offset, line, index
            offset = lines.offset
    except CheckerInputError:
        return


_XLSX_INVALID = "不是有效的 .xlsx 文件"


def _xlsx_records(path: Path, notices: list[FileNotice], budget: _RecordBudget | None = None) -> Iterator[RawRecord]:
    """Rows of every sheet whose header row names known fields (the package is checked for zip bombs first)."""
    import warnings

    from .text.decode import check_zip_archive

    source = str(path)
    budget = budget or _RecordBudget(source)
    check_zip_archive(path, source, _XLSX_INVALID)
    from openpyxl import load_workbook  # heavy: imported only for .xlsx

    # openpyxl warns on stderr (two lines, not ours) about styles and extensions it does not read: silenced
    # for good rather than per call (catch_warnings is not thread-safe); filterwarnings does not duplicate
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheets = workbook.worksheets
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl trips over in a damaged package is the file's fault
        raise CheckerInputError(f"{_XLSX_INVALID}（{type(exc).__name__}）", Location(source),
                                code="INPUT-FORMAT") from None
    try:
        found_any = False
        for sheet in sheets:
            label = source if len(sheets) == 1 else f"{source}#{printable(sheet.title, 40)}"
            rows = _xlsx_rows(sheet, label)
            try:
                yield from _table_records(label, rows, notices, budget)
                found_any = True
            except CheckerInputError as exc:
                if exc.code != "INPUT-NO-HEADER" or len(sheets) == 1:
                    raise
        if not found_any:
            raise CheckerInputError("工作簿中没有可识别表头的工作表", Location(source), code="INPUT-NO-HEADER")
    finally:
        try:
            workbook.close()
        except Exception:  # noqa: BLE001 - closing a damaged package must not hide the real error
            pass


def _xlsx_rows(sheet, label: str) -> Iterator[tuple[int, list[object]]]:
    rows = sheet.iter_rows()
    last = None
    while True:
        try:
            row = next(rows, None)
        except Exception as exc:  # noqa: BLE001 - broken sheet XML (truncated, undefined entities, …)
            raise CheckerInputError(f"工作表内容损坏（{type(exc).__name__}），此处及以后的内容未检查",
                                    Location(label, line=last + 1 if last else None), code="INPUT-FORMAT") from None
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


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_header(source: str, rows: Iterator[tuple[int, list[object]]]) -> tuple[list[str], RecordSchema,
                                                                                 list[str | None]]:
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


def _table_records(source: str, rows: Iterator[tuple[int, list[object]]], notices: list[FileNotice],
                   budget: _RecordBudget | None = None, csv_width: bool = False,
                   header: tuple[list[str], RecordSchema, list[str | None]] | None = None,
                   first_index: int = 1) -> Iterator[RawRecord]:
    """Records from a header row and data rows (CSV or a worksheet).

    With `csv_width`, a row with more non-blank cells than the header has columns is an error
    for that row (an unquoted delimiter inside a value shifts every later cell).  With `header`
    (from `_table_header`), `rows` are data rows only, the first record being number `first_index`.
    """
    budget = budget or _RecordBudget(source)
    if header is None:
        header, schema, columns = _table_header(source, rows)
        unknown = [printable(h) for h, name in zip(header, columns) if h and name is None]
        if unknown:
            notices.append(FileNotice(source, f"已忽略未识别的列：{'、'.join(unknown)}", "INPUT-UNKNOWN-COLUMN"))
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
        extra = [c for c in cells[len(header):] if not _is_blank(c)]
        if csv_width and extra:
            problems.append((None, "INPUT-EXTRA-CELLS",
                             f"本行有 {len(cells)} 个单元格，多于表头的 {len(header)} 列（多出“{printable('、'.join(map(str, extra)))}”）："
                             "值中是否有未加引号的分隔符？本行未检查"))
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
        raise CheckerInputError("表头中没有可识别的列名（如 编号、项目名称）", Location(source, line=line),
                                code="INPUT-NO-HEADER")
    seen: dict[str, str] = {}
    for head, name in zip(header, columns):
        if name is None:
            continue
        if name in seen:
            raise CheckerInputError(f"列“{printable(seen[name])}”与列“{printable(head)}”重复（都对应字段 {name}）",
                                    Location(source, line=line, field=name), code="INPUT-DUPLICATE-COLUMN")
        seen[name] = head
    missing = [f.label for f in schema.fields if f.required and f.name not in seen]
    if missing:
        raise CheckerInputError(f"缺少必填列：{'、'.join(missing)}", Location(source, line=line), code="INPUT-MISSING-COLUMN")
    return schema, columns
