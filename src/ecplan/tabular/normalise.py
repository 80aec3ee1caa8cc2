"""Scalar cell normalisation for per-row validation in imports.

Each ``parse_*`` function takes a raw cell value (what the reader returns: ``str``, ``int``,
``float``, ``bool``, ``datetime.date``/``datetime.datetime`` or ``None``) and returns the
normalised value, ``None`` for an empty cell, or raises :class:`CellValueError` with a Chinese
message and hint. The grammar of numbers and periods is defined once here (character map and
regular expressions valid in both Python and Rust regex syntax) and shared with the vectorised
path in :mod:`ecplan.tabular.frames`, so both accept and refuse exactly the same texts.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Final

# --------------------------------------------------------------------------------------------
# shared grammar (also used by ecplan.tabular.frames)

#: characters replaced before parsing numbers and periods (full-width forms, minus signs,
#: exotic spaces) and characters removed (zero-width, BOM)
CHAR_MAP: Final[dict[str, str]] = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},  # ０-９
    "．": ".",
    "，": ",",
    "－": "-",  # full-width hyphen-minus
    "−": "-",  # U+2212 minus sign
    "‒": "-",  # U+2012 figure dash
    "–": "-",  # U+2013 en dash (pasted from Word)
    "﹣": "-",  # U+FE63 small hyphen-minus
    "＋": "+",
    "％": "%",
    "ｅ": "e",
    "Ｅ": "E",
    "／": "/",
    "：": ":",
    "\u00a0": " ",  # no-break space
    "\u3000": " ",  # ideographic space
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\t": " ",
    "\u200b": "",  # zero-width space
    "\ufeff": "",  # BOM / zero-width no-break space
}
STRIP_CHARS: Final = " \r\n"
_TRANSLATE = str.maketrans(CHAR_MAP)

#: a number after mapping and stripping: sign, digits with correct thousands groups or none,
#: decimals, exponent, percent sign
NUMBER_PATTERN: Final = (
    r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][+-]?[0-9]+)?%?"
)
#: texts people write instead of leaving a cell empty
PLACEHOLDERS: Final = frozenset(
    {
        "-", "--", "---", "—", "——", "/", "//", "\\", "无", "暂无", "空", "n/a", "na", "null",
        "none", "nil", "#n/a", "...", "…", "……", "x", "×", "*", "?", "？", "不详", "未知",
    }
)  # fmt: skip
#: words marking an approximate figure (only when the text also contains a digit)
APPROX_PATTERN: Final = r"约|大约|左右|近|余|多|不到|以上|以下|上下|≈|~|～|估"
#: a number followed (or preceded) by other text: a unit or a word
UNIT_PATTERN: Final = r"[+-]?[0-9][0-9,]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)? *[^0-9 .,+\-%eE][^0-9]*"
BAD_GROUPING_PATTERN: Final = r"[+-]?[0-9,]*[0-9][0-9,]*(?:\.[0-9]*)?%?"

#: periods: year and month with a separator (2025-03, 2025/3, 2025.03, 2025年3月, 2025年3月份)
PERIOD_YM_PATTERN: Final = r"([0-9]{4}) *(?:-|/|\.|年) *([0-9]{1,2}) *(?:月份?)?"
#: periods: six digits (202503)
PERIOD_COMPACT_PATTERN: Final = r"([0-9]{4})([0-9]{2})"
#: dates and date-times as text (2025-03-01, 2025/3/1 0:00, 2025年3月1日, 2025-03-01T08:00:00)
DATE_PATTERN: Final = (
    r"([0-9]{4}) *[-/.年] *([0-9]{1,2}) *[-/.月] *([0-9]{1,2}) *日?"
    r"(?:(?: +|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)
#: an Excel serial day number between 1990-01-01 and 2100-12-31, possibly with a time
SERIAL_PATTERN: Final = r"([0-9]{5})(?:\.[0-9]+)?"
SERIAL_MIN: Final = 32874  # 1990-01-01
SERIAL_MAX: Final = 73415  # 2100-12-31
EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
YEAR_MIN: Final = 1900
YEAR_MAX: Final = 2100

_NUMBER_RE = re.compile(NUMBER_PATTERN)
_APPROX_RE = re.compile(APPROX_PATTERN)
_UNIT_RE = re.compile(UNIT_PATTERN)
_BAD_GROUPING_RE = re.compile(BAD_GROUPING_PATTERN)
_DIGIT_RE = re.compile(r"[0-9]")
_EXAMPLE_RE = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_PERIOD_YM_RE = re.compile(PERIOD_YM_PATTERN)
_PERIOD_COMPACT_RE = re.compile(PERIOD_COMPACT_PATTERN)
_DATE_RE = re.compile(DATE_PATTERN)
_SERIAL_RE = re.compile(SERIAL_PATTERN)
YEAR_ONLY_PATTERN: Final = r"[0-9]{4} *年?"
_YEAR_ONLY_RE = re.compile(YEAR_ONLY_PATTERN)


class CellValueError(ValueError):
    """A cell's value cannot be used as the field requires.

    Attributes
    ----------
    code : str
        Machine-readable reason (``"not_number"``, ``"has_unit"`` …).
    message, hint : str
        Chinese text: what is wrong, how to fix it.
    value : object
        The raw value.
    """

    def __init__(self, code: str, message: str, hint: str, value: object = None):
        self.code = code
        self.message = message
        self.hint = hint
        self.value = value
        super().__init__(message + hint)


def clean_text(value: str) -> str:
    """Apply :data:`CHAR_MAP` and strip surrounding spaces (the first step of every parser)."""
    return value.translate(_TRANSLATE).strip(STRIP_CHARS)


def display(value: object) -> str:
    """How a raw value is quoted back to the user."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S").removesuffix(" 00:00:00")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# --------------------------------------------------------------------------------------------
# numbers

#: reason code → (message template, hint template); ``{v}`` is the value as typed,
#: ``{example}`` a number found in it (or 100)
NUMBER_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "placeholder": (
        "“{v}”不是数字。",
        "没有数据请留空；数值为零请填写 0。",
    ),
    "approximate": (
        "“{v}”不是数字（估计值）。",
        "请只填写准确的数字，例如 {example}。",
    ),
    "has_unit": (
        "“{v}”不是数字（含有单位或文字）。",
        "请只填写数字，例如 {example}；单位以表头或单位列为准。",
    ),
    "bad_grouping": (
        "“{v}”的千位分隔符位置不对。",
        "请写成 1,234.5 或不加分隔符写成 1234.5。",
    ),
    "percent_not_allowed": (
        "“{v}”是百分数，本列不接受百分号。",
        "请只填写数字，例如 {example}。",
    ),
    "negative": (
        "“{v}”是负数，本列不能为负。",
        "请填写零或正数；如确为冲减，请在备注中说明后联系管理员。",
    ),
    "out_of_range": (
        "“{v}”超出了可表示的数值范围。",
        "请检查数值是否多写了位数。",
    ),
    "not_number": (
        "“{v}”不是数字。",
        "请只填写数字，例如 {example}。",
    ),
    "bool_in_number": (
        "“{v}”是逻辑值，不是数字。",
        "请只填写数字，例如 100。",
    ),
    "date_in_number": (
        "“{v}”是日期，不是数字。",
        "请把该单元格格式改为“常规”或“数值”后填写数字。",
    ),
}


def number_problem(code: str, raw: str) -> CellValueError:
    """The :class:`CellValueError` for a number refused for reason ``code`` (shared with the
    vectorised path, so messages are identical)."""
    cleaned = clean_text(raw)
    found = _EXAMPLE_RE.search(cleaned)
    example = found.group(0).replace(",", "") if found else "100"
    message, hint = NUMBER_MESSAGES[code]
    shown = _clip(raw.strip() or raw)
    return CellValueError(
        code, message.format(v=shown, example=example), hint.format(v=shown, example=example), raw
    )


def classify_number_text(cleaned: str, *, allow_percent: bool) -> str | None:
    """Reason code for a cleaned, non-empty text that is not an acceptable number, or None when
    it is one (sign and range are checked after conversion)."""
    if _NUMBER_RE.fullmatch(cleaned):
        if cleaned.endswith("%") and not allow_percent:
            return "percent_not_allowed"
        return None
    if cleaned.lower() in PLACEHOLDERS:
        return "placeholder"
    if _DIGIT_RE.search(cleaned) and _APPROX_RE.search(cleaned):
        return "approximate"
    if _UNIT_RE.fullmatch(cleaned):
        return "has_unit"
    if "," in cleaned and _BAD_GROUPING_RE.fullmatch(cleaned):
        return "bad_grouping"
    return "not_number"


def parse_number(
    value: object, *, allow_percent: bool = False, allow_negative: bool = True
) -> float | None:
    """A number from a cell.

    Accepts numbers and texts with full-width digits and punctuation (０-９，．－), thousands
    separators (``1,234.5``, ``1，234``), surrounding spaces and no-break spaces, scientific
    notation, signs (``-``, ``－``, ``−``) and — when ``allow_percent`` — a percent sign
    (``12.5%`` → 0.125). Refuses text (``约100``, ``12吨``, ``-``, ``/``), booleans and dates.

    Returns
    -------
    float or None
        None for an empty cell (the caller decides whether the field is required).

    Raises
    ------
    CellValueError
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise number_problem("bool_in_number", display(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise number_problem("date_in_number", display(value))
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return None
    else:
        raw = str(value)
        cleaned = clean_text(raw)
        if cleaned == "":
            return None
        code = classify_number_text(cleaned, allow_percent=allow_percent)
        if code is not None:
            raise number_problem(code, raw)
        percent = cleaned.endswith("%")
        number = float(cleaned.rstrip("%").replace(",", ""))
        if percent:
            number = number / 100
    if math.isinf(number):
        raise number_problem("out_of_range", display(value))
    if number < 0 and not allow_negative:
        raise number_problem("negative", display(value))
    return number


# --------------------------------------------------------------------------------------------
# periods

PERIOD_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "not_period": ("“{v}”不是有效的年月。", "请写成“年-月”，例如 2025-03。"),
    "year_only": ("“{v}”只有年份，缺少月份。", "请写成“年-月”，例如 {year}-03。"),
    "bad_month": ("“{v}”中的月份不在 1–12 之间。", "请写成“年-月”，例如 2025-03。"),
    "bad_date": ("“{v}”不是有效的日期。", "请检查日期，或直接写成“年-月”，例如 2025-03。"),
    "bad_year": ("“{v}”中的年份不合理。", "请写成“年-月”，例如 2025-03。"),
    "ambiguous_period": (
        "“{v}”是数字，无法判断是 1 月还是 10 月（Excel 会把 2025.10 存成 2025.1）。",
        "请把该列设为“文本”格式后写成 2025-01 或 2025-10。",
    ),
    "bool_in_period": ("“{v}”是逻辑值，不是年月。", "请写成“年-月”，例如 2025-03。"),
}


def period_problem(code: str, raw: str) -> CellValueError:
    """The :class:`CellValueError` for a period refused for reason ``code``."""
    shown = _clip(raw.strip() or raw)
    year_match = re.search(r"[0-9]{4}", clean_text(raw))
    year = year_match.group(0) if year_match else "2025"
    message, hint = PERIOD_MESSAGES[code]
    return CellValueError(code, message.format(v=shown), hint.format(year=year), raw)


def _ym(year: int, month: int, raw: str) -> str:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise period_problem("bad_year", raw)
    if not 1 <= month <= 12:
        raise period_problem("bad_month", raw)
    return f"{year:04d}-{month:02d}"


def serial_to_date(serial: float) -> dt.date:
    """Excel serial day number (1900 date system, after 1900-03-01) → date."""
    return EXCEL_EPOCH + dt.timedelta(days=math.floor(serial))


def parse_period_text(cleaned: str, raw: str) -> str:
    """Year-month from a cleaned, non-empty text (the grammar shared with the vectorised path)."""
    m = _PERIOD_YM_RE.fullmatch(cleaned)
    if m:
        return _ym(int(m.group(1)), int(m.group(2)), raw)
    m = _PERIOD_COMPACT_RE.fullmatch(cleaned)
    if m:
        return _ym(int(m.group(1)), int(m.group(2)), raw)
    m = _DATE_RE.fullmatch(cleaned)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        period = _ym(year, month, raw)
        try:
            dt.date(year, month, day)
        except ValueError:
            raise period_problem("bad_date", raw) from None
        return period
    m = _SERIAL_RE.fullmatch(cleaned)
    if m and SERIAL_MIN <= int(m.group(1)) <= SERIAL_MAX:
        serial_day = serial_to_date(int(m.group(1)))
        return f"{serial_day.year:04d}-{serial_day.month:02d}"
    if _YEAR_ONLY_RE.fullmatch(cleaned):
        raise period_problem("year_only", raw)
    raise period_problem("not_period", raw)


def parse_period(value: object) -> str | None:
    """A reporting month ``"YYYY-MM"`` from a cell.

    Accepts ``2025-03``, ``2025-3``, ``2025/3``, ``2025.03``, ``2025年3月``, ``2025年03月份``,
    ``202503``, a date or date-time (cell or text, the day is dropped), and an Excel serial day
    number (1990–2100). Full-width digits are accepted. A number such as ``2025.1`` is refused
    as ambiguous: Excel stores a typed ``2025.10`` as ``2025.1``.

    Returns
    -------
    str or None
        ``"2025-03"``; None for an empty cell.

    Raises
    ------
    CellValueError
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise period_problem("bool_in_period", display(value))
    if isinstance(value, dt.date):  # datetime is a date too
        return _ym(value.year, value.month, display(value))
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer():
            text = str(int(number))
        else:
            text = repr(number)
            if re.fullmatch(r"[0-9]{4}\.1", text):
                raise period_problem("ambiguous_period", text)
        return parse_period_text(text, text)
    raw = str(value)
    cleaned = clean_text(raw)
    if cleaned == "":
        return None
    return parse_period_text(cleaned, raw)


def parse_date(value: object) -> dt.date | None:
    """A calendar date from a cell: a date cell, an Excel serial number (1990–2100) or a text
    such as ``2025-03-01``, ``2025/3/1``, ``2025年3月1日`` (a time part is dropped)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellValueError(
            "not_date", f"“{display(value)}”不是日期。", "请写成 2025-03-01。", value
        )
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        if math.isnan(value):
            return None
        if SERIAL_MIN <= value < SERIAL_MAX + 1:
            return serial_to_date(value)
        raise CellValueError(
            "not_date", f"“{display(value)}”不是日期。", "请写成 2025-03-01。", value
        )
    raw = str(value)
    cleaned = clean_text(raw)
    if cleaned == "":
        return None
    m = _DATE_RE.fullmatch(cleaned)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    m = _SERIAL_RE.fullmatch(cleaned)
    if m and SERIAL_MIN <= int(m.group(1)) <= SERIAL_MAX:
        return serial_to_date(int(m.group(1)))
    raise CellValueError(
        "not_date", f"“{_clip(raw.strip())}”不是有效的日期。", "请写成 2025-03-01。", raw
    )


# --------------------------------------------------------------------------------------------
# identifiers, booleans, text


def parse_code(
    value: object, *, expected_length: int | None = None, upper: bool = True
) -> str | None:
    """An identifier kept as text (credit code, area code, product code).

    Full-width letters and digits become half-width, all spaces are removed, letters are
    upper-cased (unless ``upper=False``). A number cell is accepted only if it still holds
    every digit: Excel keeps 15 significant digits, so an 18-digit code typed into a number
    cell has already lost its last digits and is refused; a code shorter than
    ``expected_length`` that came from a number cell has lost its leading zeros and is refused.
    """
    if value is None:
        return None
    hint_text = "请把该列设为“文本”格式（或在代码前加英文单引号 '）后重新填写完整代码。"
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise CellValueError("not_code", f"“{display(value)}”不是代码。", hint_text, value)
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and not value.is_integer():
            raise CellValueError(
                "not_code", f"“{display(value)}”不是代码（带有小数）。", hint_text, value
            )
        if abs(value) >= 1e15:
            raise CellValueError(
                "code_precision_lost",
                f"代码“{display(value)}”被 Excel 存成了数字，超过 15 位的部分已丢失。",
                hint_text,
                value,
            )
        text = str(int(value))
        if expected_length is not None and len(text) < expected_length:
            raise CellValueError(
                "code_leading_zeros_lost",
                f"代码“{text}”只有 {len(text)} 位，应为 {expected_length} 位（开头的 0 被 Excel 去掉了）。",
                hint_text,
                value,
            )
    else:
        text = clean_code_text(str(value), upper=upper)
        if text == "":
            return None
    if expected_length is not None and len(text) != expected_length:
        raise CellValueError(
            "code_length",
            f"代码“{_clip(text)}”有 {len(text)} 位，应为 {expected_length} 位。",
            "请核对代码是否完整。",
            value,
        )
    return text


#: characters removed from codes after NFKC normalisation
CODE_SPACE_PATTERN: Final = "[ \t\r\n\x0b\x0c\u200b\ufeff]+"
_CODE_SPACE_RE = re.compile(CODE_SPACE_PATTERN)
ASCII_UPPER: Final[dict[str, str]] = {chr(c): chr(c - 32) for c in range(ord("a"), ord("z") + 1)}
_UPPER = str.maketrans(ASCII_UPPER)


def clean_code_text(value: str, *, upper: bool = True) -> str:
    """NFKC (full-width → half-width), spaces removed, a leading ``'`` removed, ASCII letters
    upper-cased (shared with the vectorised path)."""
    text = _CODE_SPACE_RE.sub("", unicodedata.normalize("NFKC", value))
    text = text.removeprefix("'")
    return text.translate(_UPPER) if upper else text


_TRUE = frozenset({"是", "是的", "y", "yes", "true", "t", "1", "√", "✓", "✔", "对"})
_FALSE = frozenset({"否", "不是", "n", "no", "false", "f", "0", "×", "✗", "✘", "错"})


def parse_bool(value: object) -> bool | None:
    """是/否 (also Y/N, yes/no, TRUE/FALSE, 1/0, √/×) → bool; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = clean_text(str(value)).lower()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellValueError(
        "not_bool", f"“{_clip(str(value).strip())}”不是“是”或“否”。", "请填写“是”或“否”。", value
    )


def parse_text(value: object, *, max_length: int | None = None) -> str | None:
    """Text with surrounding spaces (incl. no-break and ideographic spaces) removed; None for
    an empty cell. Numbers are shown as Excel shows them (``12`` not ``12.0``)."""
    if value is None:
        return None
    text = display(value).replace("\u00a0", " ").replace("\u3000", " ").strip()
    if text == "":
        return None
    if max_length is not None and len(text) > max_length:
        raise CellValueError(
            "too_long",
            f"内容有 {len(text)} 个字，超过上限 {max_length} 个字。",
            "请精简内容。",
            value,
        )
    return text
