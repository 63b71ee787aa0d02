"""Parsers for the values people type into ledgers: areas, percentages, dates.

Each parser returns a clean Python value or raises ValueError with a Chinese
message; the caller adds file/record/field.  Accepting "1.2万平方米" or
"2024年5月31日" here is what lets ledgers be checked as they are exported.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_AREA_UNITS = ("平方米", "平米", "㎡", "m²", "m2", "m^2", "平方")
_EXCEL_EPOCH = date(1899, 12, 30)


def _nfkc(text: str) -> str:
    # full-width digits and signs (１２０００, ％) become ASCII; "㎡" would
    # become "m2", which the unit list accepts.
    return unicodedata.normalize("NFKC", text).strip()


def parse_number(value: object) -> float:
    """A finite number from a cell: 1200, "1,200.5", "１２０００"."""
    if isinstance(value, bool):
        raise ValueError(f"应为数值，实际为布尔值 {value}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _nfkc(str(value)).replace(" ", "")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"无法识别的数值“{value}”")
        number = float(text.replace(",", ""))
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"数值无效“{value}”")
    return number


def parse_area(value: object) -> float:
    """Floor area in m²: a number, or text with 万 and/or an area unit."""
    if not isinstance(value, str):
        return parse_number(value)
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
    except ValueError:
        raise ValueError(f"无法识别的面积“{value}”（可写 12000、12000㎡、1.2万平方米）") from None


def parse_percent(value: object) -> float:
    """A percentage 0–100 written as 30, 30.5 or "30%"; fractions are the caller's concern."""
    if isinstance(value, str):
        text = _nfkc(value).replace(" ", "")
        if text.endswith("%"):
            text = text[:-1]
        try:
            return parse_number(text)
        except ValueError:
            raise ValueError(f"无法识别的百分比“{value}”（可写 30 或 30%）") from None
    return parse_number(value)


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{2,4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(r"(?P<y>\d{2,4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_CN_DATE = re.compile(r"(?P<y>[〇零○一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})[日号]")


def cn_numeral(text: str) -> int:
    """Chinese numerals up to 99 (十二, 二十, 三十一) or digit-by-digit (二〇二四)."""
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _build_date(year: int, month: int, day: int, original: object) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在“{original}”") from None


def parse_date(value: object) -> date:
    """A calendar date from a cell or text.

    Accepts date/datetime objects, spreadsheet serial numbers, 2024-05-31,
    2024/5/31, 2024.5.31, 20240531, 2024年5月31日 and 二〇二四年五月三十一日.
    Two-digit years are ambiguous and rejected, never guessed.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"无法识别的日期“{value}”")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise ValueError(f"无法识别的日期“{value}”")
        if 1 <= value < 2958466:  # Excel serial day (1900 date system)
            return _EXCEL_EPOCH + timedelta(days=int(value))
        value = str(int(value))
    text = _nfkc(str(value))
    match = _CN_DATE.fullmatch(text)
    if match:
        return _build_date(cn_numeral(match["y"]), cn_numeral(match["m"]), cn_numeral(match["d"]), value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            if len(match["y"]) != 4:
                raise ValueError(f"年份须写全四位“{value}”")
            return _build_date(int(match["y"]), int(match["m"]), int(match["d"]), value)
    raise ValueError(f"无法识别的日期“{value}”（可写 2024-05-31、2024/5/31、2024年5月31日）")


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
