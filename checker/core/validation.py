"""pydantic's validation errors in Chinese: every file checker validates (config, rule, waiver, place files) says
what is wrong in the users' language, with the key's path, never pydantic's English."""

from __future__ import annotations

from typing import Any

_TYPES = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "dict_type": "应为键值表",
    "model_type": "应为键值表",
    "model_attributes_type": "应为键值表",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期，不带时刻",
    "datetime_parsing": "应为日期时间",
    "none_required": "应为空",
    "is_instance_of": "类型不对",
    "finite_number": "应为有限的数字",
    "missing": "缺少此项",
    "extra_forbidden": "未知的键",
}
_BOUNDS = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "string_too_short": "至少 {min_length} 个字",
    "string_too_long": "至多 {max_length} 个字",
    "too_short": "至少 {min_length} 项",
    "too_long": "至多 {max_length} 项",
    "string_pattern_mismatch": "格式不符（应匹配 {pattern}）",
    "multiple_of": "应为 {multiple_of} 的倍数",
}


def error_location(err: dict) -> str:
    """The key's path as the file writes it: `settings.doc-issuer.places[2].name`."""
    out = ""
    for part in err.get("loc", ()):
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def error_text(err: dict) -> str:
    """What is wrong, in Chinese (without the location)."""
    kind = err.get("type", "")
    ctx: dict[str, Any] = err.get("ctx") or {}
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        return f"应为 {expected.replace(' or ', '、').replace(', ', '、')} 之一"
    if kind == "enum":
        return f"应为 {str(ctx.get('expected', '')).replace(' or ', '、').replace(', ', '、')} 之一"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error") or err.get("msg", ""))
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in _BOUNDS:
        shown = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in ctx.items()}
        try:
            return _BOUNDS[kind].format(**shown)
        except (KeyError, IndexError):
            pass
    if kind in _TYPES:
        return _TYPES[kind]
    return f"取值不合法（{kind}）"


def error_line(err: dict, default: str = "", unknown: str = "未知的键") -> str:
    """`location: what is wrong` (or what is wrong alone when the error is about the whole file)."""
    where = error_location(err) or default
    if err.get("type") == "extra_forbidden":
        return f"{unknown}“{where}”"
    if err.get("type") == "missing":
        return f"缺少“{where}”"
    text = error_text(err)
    return f"{where}：{text}" if where else text


def errors_text(exc, default: str = "", limit: int = 5, unknown: str = "未知的键") -> str:
    """Every error of a ValidationError on one line, the first `limit` of them."""
    errors = exc.errors()
    lines = [error_line(err, default, unknown) for err in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"另有 {len(errors) - limit} 处")
    return "；".join(lines)
