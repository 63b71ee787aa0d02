"""JSON and JSONL record files; JSON objects get line numbers from a light scan, as YAML mappings do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from checker.core.errors import CheckerInputError, Location
from checker.core.lazyre import lazy_compile
from checker.core.limits import get_limits
from checker.core.values import printable
from checker.inputs.base import RecordBudget, RecordFormat, ResumePoint
from checker.inputs.mapping import Positioned, mapping_records, raw_from_mapping
from checker.inputs.textlines import TextLines, read_text, utf8_bom_length
from checker.records.fields import SCHEMAS
from checker.records.raw import FileNotice, RawRecord

# Possessive repeats: a string token is scanned without keeping a backtracking point per character (the
# plain `(?:[^"\\]|\\.)*` held one per character: a 49 MiB string took 6 GB of regex stack).
_JSON_TOKEN = lazy_compile(r'"(?:[^"\\\n]++|\\.)*+"|[{}\[\]\n]')


def _json_object_lines(text: str, source: str, first_line: int = 1) -> list[tuple[int, int]]:
    """(depth, line) of every JSON object in document order, from a light scan; too deep a nesting is refused.

    json does not report positions; this scan does, so that JSON records get
    line numbers like YAML ones.  Strings are skipped as whole tokens; one
    longer than `max_line_chars` (as written) is refused here, before json
    builds it.
    """
    limits = get_limits()
    limit, longest = limits.max_nesting, limits.max_line_chars + 2
    line, depth, found = first_line, 0, []
    for match in _JSON_TOKEN.finditer(text):
        if match.end() - match.start() > longest:
            raise CheckerInputError(
                f"字符串值过长（{match.end() - match.start() - 2:,} 个字符，上限 {limits.max_line_chars:,}），未读取",
                Location(source, line=line),
                code="INPUT-LIMIT",
            )
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


def load_json(path: Path) -> Positioned:
    source = str(path)
    text = read_text(path, check_lines=False)
    object_lines = _json_object_lines(text, source)  # the nesting and value limits, before json builds anything
    duplicates, hooks = _json_hooks()
    try:
        data = json.loads(text, **hooks)
    except json.JSONDecodeError as exc:
        raise CheckerInputError(
            f"JSON 格式错误：{exc.msg}", Location(source, line=exc.lineno, column=exc.colno), code="INPUT-FORMAT"
        ) from None
    except RecursionError:
        raise CheckerInputError("JSON 嵌套层数过深", Location(source), code="INPUT-LIMIT") from None
    except ValueError as exc:
        raise CheckerInputError(
            f"JSON 格式错误：{printable(exc, 120)}", Location(source), code="INPUT-FORMAT"
        ) from None
    positions: dict[int, tuple[int, dict[str, int]]] = {}
    # Objects are visited in the same order the scan found them.
    object_lines = iter(object_lines)

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
    return Positioned(data, positions, duplicates)


JSONL_NOT_UTF8 = "JSONL 文件应为 UTF-8 编码"


def jsonl_records(
    path: Path,
    notices: list[FileNotice],
    budget: RecordBudget | None = None,
    start: ResumePoint | None = None,
    stop: ResumePoint | None = None,
) -> Iterator[RawRecord]:
    """One JSON object per line; streamed, never read whole (each line within `max_line_chars`).

    From `start` to `stop` when given (see `read_records`).
    """
    from checker.inputs.decode import checked_file_size

    source = str(path)
    budget = budget or RecordBudget(source)
    default = SCHEMAS["project"]
    checked_file_size(path, source)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise CheckerInputError(f"无法读取文件：{exc.strerror}", Location(source), code="INPUT-FILE") from None
    with handle:
        if start is None:
            lines = TextLines(handle, source, "utf-8", utf8_bom_length(handle), 1, JSONL_NOT_UTF8)
            index = 0
        else:
            lines = TextLines(handle, source, "utf-8", start.offset, start.line, JSONL_NOT_UTF8)
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
                    raise CheckerInputError(
                        f"未知的记录类型 kind“{printable(item.get('kind'))}”",
                        Location(source, line=line_no),
                        code="INPUT-FORMAT",
                    )
            except CheckerInputError as exc:
                # one unreadable line is that record's error: the lines are independent, the others are checked
                record = RawRecord(source, default.kind, index, line_no, {}, problems=[(None, exc.code, exc.message)])
                yield record
                continue
            record = raw_from_mapping(source, schema, index, item, Positioned(item, {}, duplicates))
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
        msg = (
            exc.msg
            if isinstance(exc, json.JSONDecodeError)
            else "嵌套层数过深"
            if isinstance(exc, RecursionError)
            else printable(exc, 120)
        )
        raise CheckerInputError(f"JSON 格式错误：{msg}", Location(source, line=line_no), code="INPUT-FORMAT") from None
    if not isinstance(item, dict):
        raise CheckerInputError("每行应为一个 JSON 对象", Location(source, line=line_no), code="INPUT-FORMAT")
    return item, duplicates


def jsonl_record_starts(handle, source: str, encoding: str, text_start: int) -> Iterator[tuple[int, int, int]]:
    """(offset, line, index) of each JSONL record; ends quietly where a full read would raise."""
    limit = get_limits().max_records
    lines = TextLines(handle, source, encoding, text_start, 1, JSONL_NOT_UTF8)
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


def _read_json(path: Path, notices, budget, start=None, stop=None):
    return mapping_records(str(path), load_json(path), notices, budget)


def _jsonl_layout(path: Path, source: str) -> tuple[str, int]:
    with path.open("rb") as handle:
        return "utf-8", utf8_bom_length(handle)


JSON_FORMAT = RecordFormat("JSON", (".json",), _read_json)
JSONL_FORMAT = RecordFormat("JSONL", (".jsonl",), jsonl_records, jsonl_record_starts, _jsonl_layout)
