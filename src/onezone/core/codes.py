"""Validators for the national codes the platform takes as input.

Pure functions, no Django: the unified social credit code (USCC, GB 32100-2015), the resident ID
number (GB 11643-1999), mainland mobile numbers, administrative division codes (GB/T 2260), and
the masks used wherever personal numbers are listed (个人信息保护法).

Every ``validate_*`` function returns the normalised value or raises :class:`CodeError`, whose
message is a Chinese sentence saying what is wrong and what to do. Normalisation is the same
everywhere: blanks and zero-width marks around the value are dropped, full-width ASCII (as typed
with a Chinese input method) becomes ASCII, and letters become upper case. Characters are never
dropped from the middle of a code, so an error position counts from the first non-blank character
of what the user entered. Each ``validate_*`` function is idempotent on its own output.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from zoneinfo import ZoneInfo

from onezone.core.areacodes import PROVINCES

__all__ = [
    "RESIDENT_ID_WEIGHTS",
    "USCC_ALPHABET",
    "USCC_AUTHORITIES",
    "USCC_ORGANISATION_TYPES",
    "USCC_WEIGHTS",
    "CodeError",
    "mask_mobile",
    "mask_resident_id",
    "resident_id_check_char",
    "uscc_check_char",
    "validate_area_code",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
]


class CodeError(ValueError):
    """A code failed validation.

    ``message`` is a precise Chinese sentence saying what is wrong and what to do; ``position``
    is the 1-based character position at fault, or ``None`` when no single character is;
    ``expected`` is the value that position should hold, when it is known (a check character).
    """

    def __init__(self, message: str, *, position: int | None = None, expected: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.expected = expected


# --- normalisation -------------------------------------------------------------------------

_CHINA = ZoneInfo("Asia/Shanghai")
_DIGITS = frozenset(string.digits)
# Full-width ASCII (U+FF01–U+FF5E) maps one-to-one onto ASCII, so positions are unchanged.
_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
# Text copied from web pages and Word often carries zero-width marks that str.strip() keeps.
_EDGE_BLANKS = re.compile(r"\A[\s\u200b\u200c\u200d\u2060\ufeff]+|[\s\u200b\u200c\u200d\u2060\ufeff]+\Z")


def _clean(value: str) -> str:
    """Fold full-width ASCII to ASCII and drop blanks and zero-width marks at both ends."""
    return _EDGE_BLANKS.sub("", value.translate(_FULLWIDTH_TO_ASCII))


def _char_fault(label: str, position: int, char: str, rule: str) -> str:
    """Describe a character that does not belong in a code, naming blanks and invisible ones."""
    if char.isspace():
        return f"{label}第{position}位是空格，请删除空格。"
    if not char.isprintable():
        return f"{label}第{position}位是不可见字符（U+{ord(char):04X}），请删除后重新填写。"
    return f"{label}第{position}位“{char}”{rule}"


def _is_visible_check_char(code: str, position: int) -> bool:
    """Whether ``position`` is the check character of an 18-character code and can be shown.

    A wrong but visible character there is reported together with the character expected,
    which tells the user more than "not a legal character" would.
    """
    char = code[position - 1]
    return position == len(code) == 18 and char.isprintable() and not char.isspace()


# --- administrative division codes (GB/T 2260) ---------------------------------------------


def _area_problem(area: str) -> tuple[str, int] | None:
    """Say what is structurally wrong with a six-character division code, and where (1-based).

    The structural rule: six ASCII digits whose first two are a province-level code.
    Returns ``None`` when the code passes.
    """
    for offset, char in enumerate(area, start=1):
        if char not in _DIGITS:
            return f"“{char}”不是数字，行政区划代码应为6位数字", offset
    if area[:2] not in PROVINCES:
        return f"前两位“{area[:2]}”不是有效的省级代码", 1
    return None


def validate_area_code(value: str) -> str:
    """Return the six-digit GB/T 2260 division code in ``value``, or raise :class:`CodeError`.

    Only the structure is checked: six digits, the first two a province-level code listed in
    :data:`onezone.core.areacodes.PROVINCES`. Whether the prefecture and county exist is not.
    """
    code = _clean(value)
    if not code:
        raise CodeError("请填写行政区划代码。")
    for position, char in enumerate(code, start=1):
        if char not in _DIGITS:
            raise CodeError(
                _char_fault("行政区划代码", position, char, "不是数字，行政区划代码应为6位数字。"),
                position=position,
            )
    if len(code) != 6:
        raise CodeError(f"行政区划代码应为6位数字，实际为{len(code)}位。")
    problem = _area_problem(code)
    if problem is not None:
        fragment, position = problem
        raise CodeError(f"行政区划代码{fragment}，请核对代码。", position=position)
    return code


# --- unified social credit code (GB 32100-2015) --------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {char: value for value, char in enumerate(USCC_ALPHABET)}
# 3**(i-1) mod 31: every weight is a unit mod 31 (31 is prime), so any single substituted
# character changes the weighted sum mod 31 and is caught by the check character.
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# The letters GB 32100 leaves out, and the digit each is usually a misreading of.
_USCC_EXCLUDED_LOOKALIKES = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": ""}

USCC_AUTHORITIES: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

# Organisation types (position 2) checked per registering authority. Deliberately small: only
# the authorities whose codes the zone meets every day. For any authority not listed here any
# alphabet character is accepted, because rejecting a real code costs more than letting through
# a code with a mistyped type (the check character still catches most typos). Type 9 under
# authority 9 is accepted although the 2015 table lists only 1–3 there, for the same reason.
USCC_ORGANISATION_TYPES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

# Bodies registered at national level carry 100000 (the whole country) in positions 3–8,
# which is not under any province.
_USCC_NATIONAL_AREA = "100000"


def _uscc_char_fault(position: int, char: str) -> str:
    """Message for a character outside the USCC alphabet at ``position``."""
    upper = char.translate(_ASCII_UPPER)
    if upper in _USCC_EXCLUDED_LOOKALIKES:
        lookalike = _USCC_EXCLUDED_LOOKALIKES[upper]
        advice = f"请核对是否应为数字“{lookalike}”。" if lookalike else "请核对代码是否抄错。"
        rule = f"不是合法字符，统一社会信用代码不使用 I、O、Z、S、V，{advice}"
    else:
        rule = "不是合法字符，统一社会信用代码只由数字和大写英文字母组成（不使用 I、O、Z、S、V）。"
    return _char_fault("统一社会信用代码", position, char, rule)


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character (position 18) for the first 17 characters of a USCC.

    ``first17`` must be exactly 17 characters of :data:`USCC_ALPHABET`; lower-case letters are
    accepted. Anything else raises :class:`CodeError`.
    """
    body = first17.translate(_ASCII_UPPER)
    total = 0
    for position, (char, weight) in enumerate(zip(body, USCC_WEIGHTS, strict=False), start=1):
        value = _USCC_VALUES.get(char)
        if value is None:
            raise CodeError(_uscc_char_fault(position, first17[position - 1]), position=position)
        total += value * weight
    if len(body) != 17:
        raise CodeError(f"计算校验码需要统一社会信用代码的前17位，实际为{len(body)}位。")
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the unified social credit code in ``value``, normalised, or raise :class:`CodeError`.

    Checks, in this order, so that the message names the first real problem: every character is
    in :data:`USCC_ALPHABET` (a visible character outside it in position 18 is left to the check
    character test, whose message names the character expected); there are 18 of them;
    position 1 is a registering authority of :data:`USCC_AUTHORITIES`; position 2 is an
    organisation type that authority uses (where :data:`USCC_ORGANISATION_TYPES` lists it);
    positions 3–8 are a structurally valid division code or 100000; position 18 is the check
    character of positions 1–17.
    """
    text = _clean(value)
    if not text:
        raise CodeError("请填写统一社会信用代码。")
    code = text.translate(_ASCII_UPPER)
    for position, char in enumerate(code, start=1):
        if char not in _USCC_VALUES and not _is_visible_check_char(code, position):
            raise CodeError(_uscc_char_fault(position, text[position - 1]), position=position)
    if len(code) != 18:
        raise CodeError(f"统一社会信用代码应为18位，实际为{len(code)}位，请核对是否漏填或多填。")

    authority, organisation_type = code[0], code[1]
    if authority not in USCC_AUTHORITIES:
        raise CodeError(
            f"统一社会信用代码第1位登记管理部门代码“{authority}”无效，应为数字1–9或字母A、N、Y，请核对代码。",
            position=1,
        )
    types = USCC_ORGANISATION_TYPES.get(authority)
    if types is not None and organisation_type not in types:
        allowed = "、".join(types)
        allowed_text = f"{allowed}之一" if len(types) > 1 else allowed
        raise CodeError(
            f"统一社会信用代码第2位机构类别代码“{organisation_type}”与第1位登记管理部门"
            f"“{authority}”（{USCC_AUTHORITIES[authority]}）不符，应为{allowed_text}，请核对代码。",
            position=2,
        )

    area = code[2:8]
    problem = None if area == _USCC_NATIONAL_AREA else _area_problem(area)
    if problem is not None:
        fragment, offset = problem
        raise CodeError(
            f"统一社会信用代码第3–8位登记管理机关行政区划码“{area}”无效：{fragment}，请核对代码。",
            position=2 + offset,
        )

    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            f"统一社会信用代码第18位校验码应为“{expected}”，实际为“{code[17]}”，请核对代码是否抄错。",
            position=18,
            expected=expected,
        )
    return code


# --- resident ID number (GB 11643-1999) ----------------------------------------------------

# 2**(18-i) mod 11: every weight is a unit mod 11, so any single substituted digit is caught.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK_CHARS = "10X98765432"
# Residence permits for Taiwan residents (港澳台居民居住证) use 830000 in positions 1–6; Hong Kong
# and Macao use 810000 and 820000, already province-level codes.
_RESIDENCE_PERMIT_PREFIXES = frozenset({"83"})
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def resident_id_check_char(first17: str) -> str:
    """Return the GB 11643 check character (``0``–``9`` or ``X``) for the first 17 digits.

    ``first17`` must be exactly 17 ASCII digits; anything else raises :class:`CodeError`.
    """
    for position, char in enumerate(first17, start=1):
        if char not in _DIGITS:
            raise CodeError(
                _char_fault("身份证号码", position, char, "不是数字，身份证号码前17位应为数字。"),
                position=position,
            )
    if len(first17) != 17:
        raise CodeError(f"计算校验码需要身份证号码的前17位，实际为{len(first17)}位。")
    total = sum(int(char) * weight for char, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK_CHARS[total % 11]


def _birth_date_problem(digits: str, today: dt.date) -> tuple[str, int] | None:
    """Say what is wrong with an eight-digit YYYYMMDD birth date, and at which ID position."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if not 1 <= month <= 12:
        return f"月份“{digits[4:6]}”不存在（应为01–12）", 11
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]
    if not 1 <= day <= days:
        return f"{digits[:4]}年{month}月只有{days}天，日“{digits[6:]}”不存在", 13
    if year < 1900:
        return f"出生年份“{digits[:4]}”早于1900年", 7
    if dt.date(year, month, day) > today:
        return "出生日期晚于今天", 7
    return None


def validate_resident_id(value: str, *, today: dt.date | None = None) -> str:
    """Return the 18-character resident ID number in ``value``, normalised, or raise CodeError.

    Checks, in this order: positions 1–17 are digits and position 18 a digit or ``X`` (``x`` is
    accepted and returned upper case; any other visible character there is left to the check
    character test, whose message names the character expected); there are 18 characters;
    positions 1–6 are a structurally valid division code (or 83xxxx, a Taiwan resident's
    residence permit); positions 7–14 are a real date from 1900-01-01 up to ``today`` (default:
    today in China); position 18 is the check character of positions 1–17.
    """
    text = _clean(value)
    if not text:
        raise CodeError("请填写身份证号码。")
    number = text.translate(_ASCII_UPPER)
    for position, char in enumerate(number, start=1):
        if char in _DIGITS or (char == "X" and position == len(number)):
            continue
        if _is_visible_check_char(number, position):
            continue
        raise CodeError(
            _char_fault(
                "身份证号码",
                position,
                text[position - 1],
                "不是数字，身份证号码前17位应为数字，第18位为数字或X。",
            ),
            position=position,
        )
    if len(number) == 15:
        raise CodeError("身份证号码应为18位，实际为15位；15位的旧号码已停用，请填写18位号码。")
    if len(number) != 18:
        raise CodeError(f"身份证号码应为18位，实际为{len(number)}位，请核对是否漏填或多填。")

    area = number[:6]
    problem = None if area[:2] in _RESIDENCE_PERMIT_PREFIXES else _area_problem(area)
    if problem is not None:
        fragment, position = problem
        raise CodeError(
            f"身份证号码第1–6位行政区划代码“{area}”无效：{fragment}，请核对号码。",
            position=position,
        )

    birth = number[6:14]
    if today is None:
        today = dt.datetime.now(tz=_CHINA).date()
    problem = _birth_date_problem(birth, today)
    if problem is not None:
        fragment, position = problem
        raise CodeError(
            f"身份证号码第7–14位出生日期“{birth}”不是有效日期：{fragment}，请核对号码。",
            position=position,
        )

    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise CodeError(
            f"身份证号码第18位校验码应为“{expected}”，实际为“{number[17]}”，请核对号码是否抄错。",
            position=18,
            expected=expected,
        )
    return number


# --- mainland mobile numbers ---------------------------------------------------------------

_MOBILE_RULE = "手机号码应为11位数字，以1开头，第二位为3–9"
_MOBILE_SEPARATORS = frozenset(" -")


def validate_mobile(value: str) -> str:
    """Return the 11-digit mainland mobile number in ``value``, or raise :class:`CodeError`.

    Accepted around the number: spaces and hyphens anywhere, and a country prefix ``+86``,
    ``0086`` or ``86``. The number itself is 11 digits, starts with 1, and its second digit
    is 3–9. A position in an error counts characters of the trimmed input for a stray
    character, and digits of the number for a wrong first or second digit.
    """
    text = _clean(value)
    if not text:
        raise CodeError("请填写手机号码。")
    international = text.startswith("+")
    digits: list[str] = []
    for position, char in enumerate(text, start=1):
        if char in _DIGITS:
            digits.append(char)
        elif char in _MOBILE_SEPARATORS or char.isspace() or (char == "+" and position == 1):
            continue
        else:
            raise CodeError(
                _char_fault("手机号码", position, char, f"不是数字，{_MOBILE_RULE}。"),
                position=position,
            )
    number = "".join(digits)

    if international:
        if not number.startswith("86"):
            raise CodeError(f"只能填写中国大陆手机号码（国际区号+86），{_MOBILE_RULE}。")
        number = number[2:]
    elif len(number) == 15 and number.startswith("0086"):
        number = number[4:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]

    if len(number) != 11:
        raise CodeError(f"{_MOBILE_RULE}，实际为{len(number)}位数字。")
    if number[0] == "0":
        raise CodeError(
            f"{_MOBILE_RULE}；“{number}”以0开头，像是固定电话号码，请填写手机号码。",
            position=1,
        )
    if number[0] != "1":
        raise CodeError(f"{_MOBILE_RULE}，实际第1位为“{number[0]}”。", position=1)
    if number[1] not in "3456789":
        raise CodeError(f"{_MOBILE_RULE}，实际第2位为“{number[1]}”。", position=2)
    return number


# --- masks for lists (个人信息保护法) ---------------------------------------------------------


def _mask(value: str, keep_head: int, keep_tail: int) -> str:
    """Keep ``keep_head`` and ``keep_tail`` characters and star the rest; star everything when
    keeping them would leave nothing hidden."""
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_resident_id(value: str) -> str:
    """Return ``value`` with all but its first 6 and last 4 characters replaced by ``*``.

    The result has the same length as ``value`` (``110105********002X``). The value is not
    validated or normalised; a value of 10 characters or fewer is starred entirely.
    """
    return _mask(value, 6, 4)


def mask_mobile(value: str) -> str:
    """Return ``value`` with all but its first 3 and last 4 characters replaced by ``*``.

    The result has the same length as ``value`` (``138****5678``). Pass the normalised number
    from :func:`validate_mobile`; a value of 7 characters or fewer is starred entirely.
    """
    return _mask(value, 3, 4)
