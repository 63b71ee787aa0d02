"""Records of a parsed YAML or JSON document: `projects:` (etc.) lists, or one record with `kind:`."""

from __future__ import annotations

from collections.abc import Iterator

from checker.core.errors import CheckerInputError, Location
from checker.core.values import printable
from checker.inputs.base import RecordBudget
from checker.records.fields import SCHEMAS, RecordSchema, resolve_field
from checker.records.raw import FileNotice, RawRecord


class Positioned:
    """A parsed document plus the line of each mapping (by object identity) and its duplicate keys."""

    def __init__(
        self,
        data: object,
        positions: dict[int, tuple[int, dict[str, int]]],
        duplicates: dict[int, list[tuple[str, int]]] | None = None,
    ):
        self.data = data
        self.positions = positions
        self.duplicates = duplicates or {}

    def lines_of(self, mapping: dict) -> tuple[int | None, dict[str, int]]:
        return self.positions.get(id(mapping), (None, {}))

    def duplicates_of(self, mapping: dict) -> list[tuple[str, int | None]]:
        return self.duplicates.get(id(mapping), [])


def schema_for_key(key: str) -> RecordSchema | None:
    for schema in SCHEMAS.values():
        if key == schema.list_key:
            return schema
    return None


def mapping_records(
    source: str, doc: Positioned, notices: list[FileNotice], budget: RecordBudget | None = None
) -> Iterator[RawRecord]:
    """Records of a YAML/JSON document: `projects:` (etc.) lists, or one record with `kind:`."""
    budget = budget or RecordBudget(source)
    data = doc.data
    if data is None:
        raise CheckerInputError("文件为空", Location(source), code="INPUT-FORMAT")
    if isinstance(data, dict) and "kind" in data:
        schema = SCHEMAS.get(str(data["kind"]))
        if schema is None:
            raise CheckerInputError(
                f"未知的记录类型 kind“{printable(data['kind'])}”",
                Location(source, line=doc.lines_of(data)[0]),
                code="INPUT-FORMAT",
            )
        budget.take(doc.lines_of(data)[0])
        yield raw_from_mapping(source, schema, 1, data, doc)
        return
    if not isinstance(data, dict):
        raise CheckerInputError(
            "顶层应为映射（含 projects: 列表，或带 kind: 的单条记录）", Location(source), code="INPUT-FORMAT"
        )
    lists = [(key, schema_for_key(str(key))) for key in data]
    known = [(key, schema) for key, schema in lists if schema is not None]
    if not known:
        expected = "、".join(f"{s.list_key}:" for s in SCHEMAS.values())
        raise CheckerInputError(f"找不到记录列表（应有 {expected}）", Location(source), code="INPUT-FORMAT")
    for key, line in doc.duplicates_of(data):
        if schema_for_key(str(key)) is not None:  # a second `projects:` would silently replace the first
            raise CheckerInputError(
                f"键“{printable(key)}”出现了两次，前一个列表会被后一个覆盖，未检查",
                Location(source, line=line),
                code="INPUT-FORMAT",
            )
    for key, schema in known:
        items = data[key]
        if items is None:
            continue
        if not isinstance(items, list):
            line = doc.lines_of(data)[1].get(str(key))
            raise CheckerInputError(f"{key}: 应为列表", Location(source, line=line), code="INPUT-FORMAT")
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise CheckerInputError(
                    f"{key} 第{index}条应为映射", Location(source, record=f"第{index}条"), code="INPUT-FORMAT"
                )
            budget.take(doc.lines_of(item)[0])
            yield raw_from_mapping(source, schema, index, item, doc)


def raw_from_mapping(source: str, schema: RecordSchema, index: int, item: dict, doc: Positioned) -> RawRecord:
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
            problems.append(
                (name, "INPUT-DUPLICATE-FIELD", f"键“{printable(prefix + str(key))}”重复{where}，不能确定以哪个值为准")
            )
    for key, value in _flatten(item):
        if key == "kind":
            continue
        name = resolve_field(schema, str(key))
        if name is None:
            unknown.append(printable(key))
            continue
        if name in data:
            problems.append(
                (
                    name,
                    "INPUT-DUPLICATE-FIELD",
                    f"“{printable(written_as[name])}”与“{printable(key)}”都对应字段 {name}，不能确定以哪个值为准",
                )
            )
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
