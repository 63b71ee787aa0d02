"""Raw records to typed records: every value converted by its field's declared kind.

Every problem becomes an `InputIssue` that names file, record, field and line.  A record with an error is not
checked further, but the rest of the file is.  The values are converted and checked here once, to exactly the
types the record classes hold, so the records themselves validate nothing.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from checker.core.errors import Location
from checker.core.lazyre import lazy_compile
from checker.core.memo import by_identity
from checker.core.plain import plain
from checker.core.values import (
    control_character,
    format_number,
    parse_area,
    parse_date,
    parse_number,
    parse_percent,
    printable,
)
from checker.records.fields import RULE_SCHEMAS, FieldSpec
from checker.records.raw import RawRecord
from checker.records.record import Record, record_class

MAX_TEXT_CHARS = 2000
# Control characters a value may hold: tab and line breaks (a spreadsheet cell with Alt+Enter); a long text
# (a document body) also form feed and vertical tab (page and line breaks of word-processor exports).
# Anything else (ESC starts terminal escape sequences) is refused, never shown raw.
_ALLOWED_CONTROLS = "\t\n\r"
_ALLOWED_CONTROLS_LONG_TEXT = "\t\n\r\x0b\x0c"
_SCALARS = (str, int, float, date)
# problems found while reading after which the record's fields are not worth checking one by one
_UNREADABLE = {"INPUT-EXTRA-CELLS", "INPUT-FORMAT", "INPUT-LIMIT"}


@plain
class InputIssue:
    """A problem with one input value; errors drop the record, warnings do not."""

    severity: str  # "error" | "warning" | "info"
    code: str  # INPUT-… rule id
    message: str
    location: Location

    def one_line(self) -> str:
        return f"{self.location.render()}: {' '.join(self.message.split())} [{self.code}]"


def _scalar_text(value: object, what: str, allowed: str = _ALLOWED_CONTROLS) -> str:
    """The text of a scalar cell/value; containers, booleans and control characters are refused."""
    if isinstance(value, bool):
        # YAML reads unquoted true/false as booleans: a name or an id is never one
        raise ValueError(f"应为{what}，实际为布尔值 {str(value).lower()}（如确是文字，请加引号）")
    if not isinstance(value, _SCALARS):
        raise ValueError(f"应为{what}，实际为{printable(value)}")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # spreadsheet ids such as 101.0
    try:
        text = str(value)
    except ValueError:  # an int of more digits than Python will print
        raise ValueError(f"应为{what}，实际为位数过多的整数") from None
    found = control_character(text, allowed)
    if found is not None:
        offset, char = found
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise ValueError(
                f"含无效字符 U+{ord(char):04X}（第 {offset + 1} 个字符；孤立的 UTF-16 代理项，常见于损坏的 JSON 转义）"
            )
        raise ValueError(f"含控制字符 U+{ord(char):04X}（第 {offset + 1} 个字符），不是正常的文字")
    return text


_CONTROL_ANY = lazy_compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_enum_fast: dict[int, tuple[FieldSpec, dict[str, str]]] = {}


def _enum_spellings(spec: FieldSpec) -> dict[str, str]:
    """Exact cell texts that `_convert` maps to a choice: each was run through the general path once, here."""
    return by_identity(_enum_fast, spec, _build_enum_spellings)


def _build_enum_spellings(spec: FieldSpec) -> dict[str, str]:
    table = {}
    for choice, spellings in spec.choices.items():
        for text in (choice, *spellings):
            try:
                if _convert_slow(spec, text)[0] == choice:
                    table[text] = choice
            except ValueError:
                pass
    return table


def _convert(spec: FieldSpec, value: object) -> tuple[Any, str | None]:
    """(converted value, warning or None); raises ValueError with a Chinese message.

    Fast paths for what most cells hold give exactly what the general path (`_convert_slow`) gives.
    """
    if type(value) is str:
        kind = spec.kind
        if kind in _REMEMBERED_KINDS:
            return _remembered(spec, value)
        if kind == "enum":
            choice = _enum_spellings(spec).get(value)
            if choice is not None:
                return choice, None
        elif (
            kind == "text"
            and not spec.max_chars
            and len(value) <= MAX_TEXT_CHARS
            and _CONTROL_ANY.search(value) is None
            and unicodedata.is_normalized("NFC", value)
        ):
            return value.strip(), None
    return _convert_slow(spec, value)


_REMEMBERED_KINDS = {"date", "number", "list"}  # few distinct cells in a ledger column; text and ids are unique
_CELL_MEMORY = 1024  # distinct cells remembered per field (memory stays flat: it is full after ~10k rows)
_remembered_cells: dict[int, tuple[FieldSpec, dict[str, tuple[Any, str | None] | str]]] = {}


def _remembered(spec: FieldSpec, value: str) -> tuple[Any, str | None]:
    """`_convert_slow` of a cell text, each distinct text converted once (errors too)."""
    cells = by_identity(_remembered_cells, spec, lambda _: {})
    known = cells.get(value)
    if known is None:
        try:
            known = _convert_slow(spec, value)
        except ValueError as exc:
            known = str(exc)
        if len(cells) < _CELL_MEMORY:
            cells[value] = known
    if isinstance(known, str):
        raise ValueError(known)
    converted, warning = known
    return (list(converted) if isinstance(converted, list) else converted), warning


def _convert_slow(spec: FieldSpec, value: object) -> tuple[Any, str | None]:
    if spec.kind == "text":
        limit = spec.max_chars or MAX_TEXT_CHARS
        if isinstance(value, str) and len(value) > limit:
            raise ValueError(f"文本过长（{len(value):,} 字，上限 {limit:,}）")
        raw = _scalar_text(value, "文本", _ALLOWED_CONTROLS_LONG_TEXT if spec.max_chars else _ALLOWED_CONTROLS)
        text = raw if spec.max_chars else unicodedata.normalize("NFC", raw).strip()
        if len(text) > limit:
            raise ValueError(f"文本过长（{len(text):,} 字，上限 {limit:,}）")
        return text, None
    if spec.kind == "enum":
        text = unicodedata.normalize("NFKC", _scalar_text(value, spec.label)).strip()
        for choice, spellings in spec.choices.items():
            if text.lower() == choice or text in spellings:
                return choice, None
        allowed = "、".join(s[0] for s in spec.choices.values())
        raise ValueError(f"未知的{spec.label}“{printable(value)}”（可选：{allowed}）")
    if spec.kind == "date":
        return parse_date(value), None
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower() if isinstance(value, _SCALARS) else None
        if text in ("true", "yes", "是", "1"):
            return True, None
        if text in ("false", "no", "否", "0"):
            return False, None
        raise ValueError(f"应为 是/否，实际为“{printable(value)}”")
    if spec.kind == "list":
        if isinstance(value, (list, tuple)):
            items = [_scalar_text(v, "文本").strip() for v in value]
        else:
            text = unicodedata.normalize("NFC", _scalar_text(value, "文本"))
            for sep in ("；", ";", "，", ","):
                text = text.replace(sep, "、")
            items = [part.strip() for part in text.split("、")]
        return [i for i in items if i], None
    # numbers
    if spec.parser == "area":
        number = parse_area(value)
    elif spec.parser == "percent":
        number = parse_percent(value)
    else:
        number = parse_number(value)
    unit = spec.unit or ""
    if abs(number) >= 1e15:
        raise ValueError(f"数值过大：{printable(value, 20)}")
    if spec.above is not None and number <= spec.above:
        raise ValueError(f"{spec.label}应大于 {format_number(spec.above)}，实际为 {format_number(number)}{unit}")
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(f"{spec.label}不能小于 {format_number(spec.minimum)}，实际为 {format_number(number)}{unit}")
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(
            f"{spec.label}不能大于 {format_number(spec.maximum)}{unit}，实际为 {format_number(number)}{unit}"
        )
    warning = None
    if spec.warn_fraction and 0 < number <= 1:
        warning = (
            f"{spec.label}为 {format_number(number)}，按 {format_number(number)}{unit} 处理；"
            f"若台账本意是 {format_number(number * 100)}{unit}，请改写为 {format_number(number * 100)}{unit}"
        )
    return number, warning


def normalize(raw: RawRecord) -> tuple[Record | None, list[InputIssue]]:
    """A typed record (None when any value is bad) and the issues found."""
    schema = RULE_SCHEMAS[raw.kind]
    issues: list[InputIssue] = []
    values: dict[str, Any] = {}
    for field_name, code, message in raw.problems:  # found while reading: duplicate keys, stray cells
        issues.append(InputIssue("error", code, message, raw.location(field_name)))
    if any(code in _UNREADABLE for _, code, _ in raw.problems):
        return None, issues  # shifted cells, an unparsable line: what they would say about each field is noise
    for spec in schema.fields:
        if spec.derived:
            continue
        value = raw.data.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                issues.append(
                    InputIssue("error", "INPUT-MISSING", f"缺少必填字段（{spec.label}）", raw.location(spec.name))
                )
            continue
        try:
            converted, warning = _convert(spec, value)
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            message = str(exc) if isinstance(exc, ValueError) else f"无法识别的值（{type(exc).__name__}）"
            issues.append(InputIssue("error", "INPUT-VALUE", f"{spec.label}：{message}", raw.location(spec.name)))
            continue
        if warning:
            issues.append(InputIssue("warning", "INPUT-RATE-FRACTION", warning, raw.location(spec.name)))
        values[spec.name] = converted
    for first, later in schema.ordered:
        if first in values and later in values and values[later] < values[first]:
            first_label, later_label = schema.get(first).label, schema.get(later).label
            issues.append(
                InputIssue(
                    "error",
                    "INPUT-DATE-ORDER",
                    f"{later_label} {values[later].isoformat()} 早于{first_label} {values[first].isoformat()}",
                    raw.location(later),
                )
            )
    for key in raw.unknown_fields:
        issues.append(InputIssue("warning", "INPUT-UNKNOWN-FIELD", f"未知字段“{key}”已忽略", raw.location()))
    if any(issue.severity == "error" for issue in issues):
        return None, issues
    text_field = schema.text_field
    if (
        text_field
        and isinstance(values.get(text_field), str)
        and "\n" in values[text_field]
        and text_field in raw.field_lines
    ):
        values["text_line"] = raw.field_lines[text_field] + 1  # a block scalar starts on the line after its key
    values.update(source=raw.source, line=raw.line, index=raw.index)
    values.update(raw.attributes)  # set by the reader as they are (a text file's origin, encoding, digest)
    return record_class(raw.kind)(**values), issues
