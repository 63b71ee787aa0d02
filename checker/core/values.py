"""Parsers for the values people type into ledgers: areas, percentages, dates.

Each parser returns a clean Python value or raises ValueError with a Chinese
message; the caller adds file/record/field.  Accepting "1.2万平方米" or
"2024年5月31日" here is what lets ledgers be checked as they are exported.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from checker.core.lazyre import compile_pattern, lazy_compile

# One line of JSON as checker writes it everywhere (report lines, spill files, engine facts): compact, UTF-8 as is.
_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_SURROGATE = lazy_compile("[\ud800-\udfff]")


def _byte_or_replacement(code: int) -> str:
    """A lone surrogate as shown: U+DC80–U+DCFF is a byte of a file name that is not UTF-8 (Python's
    surrogateescape: a GBK name unzipped on Linux), shown as \\xNN; any other becomes U+FFFD."""
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def json_text(serialized: str) -> str:
    """JSON text that every UTF-8 encoder can write: lone surrogates (only file names carry them) become the
    characters \\xNN (the escaped backslash included) or U+FFFD, inside the strings that held them."""
    if not _SURROGATE.search(serialized):
        return serialized
    return _SURROGATE.sub(lambda m: _byte_or_replacement(ord(m.group())).replace("\\", "\\\\"), serialized)


def compact_json(value: Any) -> str:
    """One value as compact JSON (no spaces, Chinese as is), always encodable as UTF-8."""
    return json_text(_compact_json(value))


_NUMBER = lazy_compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_SCIENTIFIC = lazy_compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+")
# control characters, and lone UTF-16 surrogates (a JSON "\ud800" escape): no encoder can write one out
_CONTROL = lazy_compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PLAIN_NUMBER = lazy_compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")  # what most ledger cells hold: float() reads it as is
_ISO_DATE = lazy_compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AREA_UNITS = ("平方米", "平米", "㎡", "m²", "m2", "m^2", "平方")


# What a report must never pass on raw, from any source (file names, waiver reasons, rule texts, documents):
# control characters that move the cursor, clear the screen or start escape sequences (ESC, CR, BS…), and the
# bidi controls that make a terminal or a browser show text in another order than it is (U+202E).  Each
# becomes U+FFFD, one character for one, so positions and styles over the text stay where they were.
_UNSAFE_RANGES = (  # [low, high) code points
    (0x00, 0x09),  # tab (0x09) and line feed (0x0A) are kept
    (0x0B, 0x20),
    (0x7F, 0xA0),
    (0x200E, 0x2010),  # LRM, RLM
    (0x202A, 0x202F),  # LRE … RLO (U+202E)
    (0x2066, 0x206A),  # isolates
    (0xD800, 0xE000),  # lone surrogates
)
_UNSAFE = lazy_compile(
    "[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi - 1))}" for lo, hi in _UNSAFE_RANGES) + "]"
)
_NEUTRAL = {code: "\ufffd" for lo, hi in _UNSAFE_RANGES for code in range(lo, hi)}


def neutralized(text: str) -> str:
    """`text` with every control and bidi-control character (but tab and line break) replaced by U+FFFD.

    A byte of a non-UTF-8 file name (a surrogate from surrogateescape) is shown as \\xNN instead: only file
    names carry them, never the text whose positions are styled.
    """
    if not _UNSAFE.search(text):
        return text
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(lambda m: _byte_or_replacement(ord(m.group())), text)
    return text.translate(_NEUTRAL)


def printable(value: object, max_chars: int = 60) -> str:
    """A value as quoted in a one-line message: at most `max_chars` characters, control characters escaped.

    Values come from the input; a cell holding a terminal escape sequence or a
    megabyte of text must not reach the terminal, nor make the message long.
    """
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        text = f"<{type(value).__name__}，{len(value)} 项>"
    elif isinstance(value, (bytes, bytearray)):
        text = f"<二进制数据，{len(value)} 字节>"
    else:
        try:
            text = value if isinstance(value, str) else str(value)
        except (ValueError, OverflowError):  # an int of more digits than Python will print
            text = f"<{type(value).__name__}>"
    if len(text) > max_chars:
        text = text[:max_chars] + "…"
    return _CONTROL.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return _byte_or_replacement(code)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def lines_holding(text: str, pattern, line: int = 0, offset: int = 0) -> Iterator[int]:
    """The 0-based indexes of the lines, from the one at `offset` (its index: `line`), in which `pattern` occurs
    (never across a newline), in order: one search a line, in C, so lines without a match are never looped over."""
    last, search = offset, pattern.search
    while (m := search(text, offset)) is not None:
        at = m.start()
        line += text.count("\n", last, at)
        last = at
        yield line
        end = text.find("\n", at)
        if end < 0:
            return
        offset = end + 1


def control_character(text: str, allowed: str = "\t\n\r") -> tuple[int, str] | None:
    """(offset, character) of the first control character in `text` not in `allowed`, or None.

    One search in C with a class that leaves `allowed` out: a document of 150,000 lines is not 150,000 matches
    of its newlines looped over in Python."""
    match = _control_except(allowed).search(text)
    return (match.start(), match.group()) if match is not None else None


@functools.lru_cache(maxsize=8)
def _control_except(allowed: str) -> re.Pattern:
    ranges = [(0x00, 0x1F), (0x7F, 0x9F), (0xD800, 0xDFFF)]
    cut = sorted({ord(c) for c in allowed})
    parts = []
    for low, high in ranges:
        start = low
        for code in cut:
            if low <= code <= high:
                if start <= code - 1:
                    parts.append((start, code - 1))
                start = code + 1
        if start <= high:
            parts.append((start, high))
    return compile_pattern("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in parts) + "]")


def _nfkc(text: str) -> str:
    # full-width digits and signs (１２０００, ％) become ASCII; "㎡" would
    # become "m2", which the unit list accepts.
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(value: object) -> float:
    """A finite number from a cell: 1200, "1,200.5", "１２０００"."""
    if isinstance(value, bool):
        raise ValueError(f"应为数值，实际为布尔值 {value}")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            raise ValueError(f"数值过大：{printable(value, 20)}") from None
    elif isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        number = float(value)  # the general path below gives the same number, after more work
    elif isinstance(value, str):
        text = _nfkc(value).replace(" ", "")
        if _SCIENTIFIC.fullmatch(text):
            # never guessed: a spreadsheet shows 1.23457E+11 for a number it has already rounded
            raise ValueError(f"不接受科学计数法“{printable(value)}”（请写出完整数字）")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"无法识别的数值“{printable(value)}”")
        number = float(text.replace(",", ""))
        if math.isinf(number):  # hundreds of digits
            raise ValueError(f"数值过大：{printable(value, 20)}")
    else:
        raise ValueError(f"应为数值，实际为{printable(value)}")
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"数值无效“{printable(value)}”")
    return number


def parse_area(value: object) -> float:
    """Floor area in m²: a number, or text with 万 and/or an area unit."""
    if not isinstance(value, str):
        return parse_number(value)
    if _PLAIN_NUMBER.fullmatch(value):  # 12000: what the general path below also gives
        return round(float(value), 6)
    text = _nfkc(value).replace(" ", "")
    scale = 1.0
    for unit in _AREA_UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if text.endswith("万"):
        scale, text = 10000.0, text[:-1]
    try:
        return round(parse_number(text) * scale, 6)
    except ValueError as exc:
        if "无法识别" not in str(exc):  # too large, scientific notation: that message is the clearer one
            raise
        raise ValueError(f"无法识别的面积“{printable(value)}”（可写 12000、12000㎡、1.2万平方米）") from None


def parse_percent(value: object) -> float:
    """A percentage 0–100 written as 30, 30.5 or "30%"; fractions are the caller's concern."""
    if isinstance(value, str):
        if _PLAIN_NUMBER.fullmatch(value[:-1] if value.endswith("%") else value):  # 53, 53% (as below)
            return float(value[:-1] if value.endswith("%") else value)
        text = _nfkc(value).replace(" ", "")
        if text.endswith("%"):
            text = text[:-1]
        try:
            return parse_number(text)
        except ValueError as exc:
            if "无法识别" not in str(exc):
                raise
            raise ValueError(f"无法识别的百分比“{printable(value)}”（可写 30 或 30%）") from None
    return parse_number(value)


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_DATE_PATTERNS = (
    lazy_compile(r"(?P<y>\d{2,4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
    lazy_compile(r"(?P<y>\d{2,4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    lazy_compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_CN_DATE = lazy_compile(
    r"(?P<y>[〇零○一二三四五六七八九]{2,4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})[日号]"
)
_CN_UNDER_100 = lazy_compile(r"(?P<tens>[一二三四五六七八九]?)十(?P<units>[一二三四五六七八九]?)")
MIN_YEAR, MAX_YEAR = 1900, 2100
# a number given as a date can only be one written YYYYMMDD
_YYYYMMDD_LOW, _YYYYMMDD_HIGH = 10**7, 10**8
_NUMBER_DATE_HINT = "数字只可写成 20240531 这样的八位日期；表格中的日期请设为日期格式"


def cn_numeral(text: str) -> int:
    """Chinese numerals up to 99 (十二, 二十, 三十一) or digit-by-digit (二〇二四); ValueError otherwise."""
    if "十" not in text:
        value = 0
        for ch in text:
            if ch not in _CN_DIGITS:
                raise ValueError(f"无法识别的中文数字“{printable(text)}”")
            value = value * 10 + _CN_DIGITS[ch]
        return value
    match = _CN_UNDER_100.fullmatch(text)
    if match is None:  # 十十, 二十十, 十二十
        raise ValueError(f"无法识别的中文数字“{printable(text)}”")
    tens, units = match["tens"], match["units"]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _build_date(year: int, month: int, day: int, original: object) -> date:
    try:
        built = date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在“{printable(original)}”") from None
    return _in_range(built, original)


def _in_range(day: date, original: object) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"年份不合理“{printable(original)}”（应在 {MIN_YEAR}–{MAX_YEAR} 年之间）")
    return day


def parse_date(value: object) -> date:
    """A calendar date from a cell or text.

    Accepts date/datetime objects, 2024-05-31, 2024/5/31, 2024.5.31, 20240531 (text or number),
    2024年5月31日 and 二〇二四年五月三十一日.  Two-digit years are ambiguous and rejected, never guessed.
    A number is never taken for a spreadsheet serial day (19538 is not 1953-06-29): only a cell the
    spreadsheet formats as a date is one, and the .xlsx reader turns those into dates itself.
    """
    if isinstance(value, datetime):
        return _in_range(value.date(), value)
    if isinstance(value, date):
        return _in_range(value, value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"无法识别的日期“{printable(value)}”")
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):  # 2024-05-31: most cells, read directly
        try:
            return _in_range(date.fromisoformat(value), value)
        except ValueError:
            pass  # 2024-02-30 and the like: the general path words the message
    if isinstance(value, (int, float)):
        whole = isinstance(value, int) or (math.isfinite(value) and value.is_integer())
        if not (whole and _YYYYMMDD_LOW <= value < _YYYYMMDD_HIGH):
            raise ValueError(f"无法识别的日期“{printable(value, 20)}”（{_NUMBER_DATE_HINT}）")
        value = str(int(value))
    text = _nfkc(value)
    match = _CN_DATE.fullmatch(text)
    if match:
        if len(match["y"]) != 4:
            raise ValueError(f"年份须写全四位“{printable(value)}”")
        return _build_date(cn_numeral(match["y"]), cn_numeral(match["m"]), cn_numeral(match["d"]), value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            if len(match["y"]) != 4:
                raise ValueError(f"年份须写全四位“{printable(value)}”")
            return _build_date(int(match["y"]), int(match["m"]), int(match["d"]), value)
    raise ValueError(f"无法识别的日期“{printable(value)}”（可写 2024-05-31、2024/5/31、2024年5月31日）")


def date_key(day: date) -> int:
    """Dates enter the rule engine as YYYYMMDD integers: ordered, JSON-safe, never text."""
    return day.year * 10000 + day.month * 100 + day.day


def date_from_key(key: int) -> date:
    return date(key // 10000, key // 100 % 100, key % 100)


def format_number(value: float) -> str:
    """30.0 -> "30", 12345.5 -> "12,345.5" (thousands separators for reports)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")
